"""GET /healthz (alive) and GET /readyz (store reachable, index loaded, chunk count, model). Open to all."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from knowledge.errors import KnowledgeError
from service.api.deps import KBDep
from service.api.schemas import HealthPublic, ReadyPublic

router = APIRouter(tags=["drift"])


@router.get("/healthz", response_model=HealthPublic)
async def healthz() -> HealthPublic:
    """Svarer, så længe processen lever."""
    return HealthPublic(status="ok")


@router.get("/readyz", response_model=ReadyPublic,
            responses={503: {"model": ReadyPublic, "description": "Ikke klar (fx vidensbasen kan ikke nås)."}})
async def readyz(kb: KBDep) -> ReadyPublic | JSONResponse:
    """Klar til at svare: vidensbasen kan nås, søgeindekset er indlæst; antal tekststykker og embeddingmodel."""
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
    if not ready:
        detail = "Vidensbasen kan ikke nås, eller søgeindekset er ikke indlæst endnu."
    elif chunks == 0:
        detail = "Vidensbasen er tom: indlæs dokumenter med 'almen ingest' eller POST /api/documents."
    else:
        detail = ""
    body = ReadyPublic(
        status="ready" if ready else "not_ready", store_reachable=bool(status["store_reachable"]), index_loaded=loaded,
        chunks=chunks, sources=int(status["sources"]),  # type: ignore[call-overload]
        embedding_model=str(status["embedding_model"]), generation=str(status["generation"]), detail=detail,
    )
    return body if ready else JSONResponse(body.model_dump(), status_code=503)
