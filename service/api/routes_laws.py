"""GET /api/laws (reader) and POST /api/laws (editor): official statute texts and which version is current."""

from __future__ import annotations

import threading
import time
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from starlette.concurrency import run_in_threadpool

from ingest.law_import import LawImportResult, import_law, import_law_file
from knowledge.config import Settings
from knowledge.disk import require_space
from knowledge.errors import AlmenError
from knowledge.kb import KnowledgeBase
from knowledge.statutes import law_overview
from service.api.deps import AuditDep, EditorDep, KBDep, ReaderDep, SettingsDep
from service.api.errors import ApiProblem
from service.api.schemas import problem_responses
from service.api.schemas_laws import LawImportPublic, LawListPublic, LawPublic
from service.api.uploads import display_name, require_suffix, save_upload
from service.scratch import scratch_dir

router = APIRouter(prefix="/api", tags=["love"])
LAW_SUFFIXES = (".html", ".htm", ".xml", ".pdf", ".txt")
_import_lock = threading.Lock()  # one import at a time per process: versions of one act are reconciled in turn


@router.get("/laws", response_model=LawListPublic, responses=problem_responses(401, 403, 429))
async def list_laws(kb: KBDep, who: ReaderDep) -> LawListPublic:
    """Lovene i vidensbasen og den gældende version af hver (fra importerede officielle tekster, ellers fra de
    indbyggede notater)."""
    records = await run_in_threadpool(kb.store.list_sources)
    laws = [LawPublic.model_validate(o.to_dict()) for o in law_overview(records)]
    return LawListPublic(laws=laws, count=len(laws))


IMPORT_DESCRIPTION = """Importér en lov eller bekendtgørelse, som den er udgivet på retsinformation.dk: send filen
(`file`: HTML, XML, PDF eller tekst) eller dens adresse (`url`; kun når ALMEN_LAW_FETCH eller
ALMEN_LAW_FETCH_HOSTS tillader det, ellers **403**).

Teksten gemmes som én version af loven (type, nummer, dato og titel). Den nyeste version er den gældende;
tidligere versioner markeres som afløst og gemmes til spørgsmål om, hvad der gjaldt på en dato. Samme fil igen
ændrer intet (`status`: `unchanged`); samme version i et andet format erstatter den (`updated`). En fil, der ikke
er en lov eller bekendtgørelse med nummer og dato, afvises med **422**."""


@router.post("/laws", response_model=LawImportPublic, status_code=201, description=IMPORT_DESCRIPTION,
             responses=problem_responses(401, 403, 413, 415, 422, 429, 507))
async def import_law_route(
    kb: KBDep, settings: SettingsDep, audit: AuditDep, who: EditorDep,
    file: Annotated[UploadFile | None, File(description="Lovteksten: HTML, XML, PDF eller tekst.")] = None,
    url: Annotated[str | None, Form(max_length=2000, description="Lovens adresse, fx på retsinformation.dk.")] = None,
) -> LawImportPublic:
    started = time.perf_counter()
    require_space(settings)
    if who.scope is not None:  # an official text is read by the whole installation (service.api.scopes.is_public)
        raise ApiProblem(403, "Love og bekendtgørelser gælder for hele installationen og importeres med en nøgle "
                              "eller bruger uden afgrænsning.")
    url = (url or "").strip() or None
    if (file is None) == (url is None):
        raise ApiProblem(422, "Send enten en fil (file) eller en adresse (url) – præcis én af dem.")
    status = 201
    source_ids: list[str] = []
    try:
        result = await (_import_upload(kb, settings, file) if file is not None
                        else run_in_threadpool(_locked_import, kb, url or ""))
        source_ids = [result.source_id]
        return LawImportPublic.model_validate(result.to_dict())
    except AlmenError as exc:
        status = exc.status
        raise ApiProblem(exc.status, exc.message) from None
    except ApiProblem as exc:
        status = exc.status_code
        raise
    finally:
        await run_in_threadpool(audit.record, key_id=who.key_id, endpoint="/api/laws", source_ids=source_ids,
                                latency_ms=(time.perf_counter() - started) * 1000, status=status)


def _locked_import(kb: KnowledgeBase, url: str) -> LawImportResult:
    with _import_lock:
        return import_law(kb, url)


async def _import_upload(kb: KnowledgeBase, settings: Settings, file: UploadFile) -> LawImportResult:
    name = display_name(file.filename)
    suffix = require_suffix(name, LAW_SUFFIXES)
    saved = await save_upload(file, scratch_dir(settings.home), suffix, max_bytes=settings.max_file_bytes)

    def work() -> LawImportResult:
        with _import_lock:
            return import_law_file(kb, saved, display_name=name)

    try:
        return await run_in_threadpool(work)
    finally:
        saved.unlink(missing_ok=True)  # the store holds the text; a public statute needs no kept original
