"""GET /healthz (alive) and GET /readyz (store reachable, index loaded, chunk count, model). Open to all."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from knowledge.disk import free_mb, full_message, low_on_space
from knowledge.errors import KnowledgeError
from service.api.deps import KBDep, SettingsDep
from service.api.schemas import HealthPublic, ReadyPublic

router = APIRouter(tags=["drift"])


@router.get("/healthz", response_model=HealthPublic)
async def healthz() -> HealthPublic:
    """Svarer, så længe processen lever."""
    return HealthPublic(status="ok")


@router.get("/readyz", response_model=ReadyPublic,
            responses={503: {"model": ReadyPublic, "description": "Ikke klar (fx vidensbasen kan ikke nås)."}})
async def readyz(kb: KBDep, settings: SettingsDep) -> ReadyPublic | JSONResponse:
    """Klar til at svare: vidensbasen kan nås, søgeindekset er indlæst; antal tekststykker og embeddingmodel.
    Med for lidt fri plads på disken er status `read_only` (stadig 200: spørgsmål og søgning virker, men intet
    kan gemmes)."""
    try:
        status = await run_in_threadpool(kb.status)
    except KnowledgeError as exc:
        body = ReadyPublic(status="not_ready", store_reachable=False, index_loaded=False, chunks=0, sources=0,
                           embedding_model=kb.embeddings.model_id, detail=exc.message)
        return JSONResponse(body.model_dump(), status_code=503)
    except Exception as exc:  # noqa: BLE001 - readiness must answer, not crash
        body = ReadyPublic(status="not_ready", store_reachable=False, index_loaded=False, chunks=0, sources=0,
                           embedding_model=kb.embeddings.model_id, detail=f"Vidensbasen kan ikke nås: {type(exc).__name__}")
        return JSONResponse(body.model_dump(), status_code=503)
    loaded = kb.lexical.generation is not None
    ready = bool(status["store_reachable"]) and loaded
    chunks = int(status["chunks"])  # type: ignore[call-overload]
    low = low_on_space(settings)
    if not ready:
        detail = "Vidensbasen kan ikke nås, eller søgeindekset er ikke indlæst endnu."
    elif low is not None:
        detail = full_message(low, settings)
    elif chunks == 0:
        detail = "Vidensbasen er tom: indlæs dokumenter med 'almen ingest' eller POST /api/documents."
    else:
        detail = ""
    free = free_mb(settings.home)
    body = ReadyPublic(
        status="not_ready" if not ready else "read_only" if low is not None else "ready",
        store_reachable=bool(status["store_reachable"]), index_loaded=loaded,
        chunks=chunks, sources=int(status["sources"]),  # type: ignore[call-overload]
        embedding_model=str(status["embedding_model"]), generation=str(status["generation"]), detail=detail,
        writable=low is None, disk_free_mb=round(free, 1) if free is not None else None,
    )
    return body if ready else JSONResponse(body.model_dump(), status_code=503)
