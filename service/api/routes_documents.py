"""GET/POST /api/documents and DELETE /api/documents/{id}: the knowledge base's documents (editor role)."""

from __future__ import annotations

import threading
import time
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, UploadFile
from starlette.concurrency import run_in_threadpool

from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import FileResult, ingest_file, remove_source, slugify
from knowledge.store import SourceRecord
from knowledge.types import normalise_kind
from service.api.deps import AuditDep, EditorDep, KBDep, SettingsDep
from service.api.errors import ApiProblem
from service.api.scopes import can_change, scoped_upload_id, visible_sources
from service.api.schemas import (
    DeletedPublic, DocumentListPublic, DocumentPublic, FileReportPublic, UploadPublic, problem_responses,
)
from service.api.security import Role
from service.api.uploads import display_name, place, require_suffix, save_upload, uploads_dir

router = APIRouter(prefix="/api", tags=["dokumenter"])
_write_lock = threading.Lock()  # one write at a time per process (uploads and deletions)


def document_public(rec: SourceRecord) -> DocumentPublic:
    """The public view of a source record."""
    return DocumentPublic(
        source_id=rec.source_id, title=rec.title, kind=rec.kind, chunk_count=rec.chunk_count, name=rec.path,
        fmt=rec.fmt, org=rec.org, municipality=rec.municipality, year=rec.year, pages=rec.pages,
        cpr_redactions=rec.cpr_redactions, builtin=rec.builtin, ingested_at=rec.ingested_at, scope=rec.scope,
    )


def report_public(result: FileResult) -> FileReportPublic:
    """The public view of an ingest result."""
    return FileReportPublic(
        name=result.path, status=result.status, source_id=result.source_id, title=result.title, kind=result.kind,
        chunks=result.chunks, pages=result.pages, cpr_redactions=result.cpr_redactions, message=result.message,
        warnings=list(result.warnings), seconds=round(result.seconds, 3),
    )


@router.get("/documents", response_model=DocumentListPublic, responses=problem_responses(401, 403, 429))
async def list_documents(kb: KBDep, who: EditorDep) -> DocumentListPublic:
    """List alle dokumenter i vidensbasen."""
    records = await run_in_threadpool(kb.store.list_sources)
    allowed = await run_in_threadpool(visible_sources, kb, who)
    docs = [document_public(r) for r in records if allowed is None or r.source_id in allowed]
    return DocumentListPublic(documents=docs, count=len(docs))


@router.post("/documents", response_model=UploadPublic, status_code=201,
             responses=problem_responses(401, 403, 413, 415, 422, 429))
async def upload_document(
    kb: KBDep, settings: SettingsDep, audit: AuditDep, who: EditorDep,
    file: Annotated[UploadFile, File(description="PDF, DOCX, HTML, Markdown eller tekst.")],
    kind: Annotated[str | None, Form(max_length=40, description="Dokumenttype, fx notat eller styringsrapport.")] = None,
    org: Annotated[str | None, Form(max_length=200, description="Boligorganisation.")] = None,
    municipality: Annotated[str | None, Form(max_length=200, description="Kommune.")] = None,
    year: Annotated[int | None, Form(ge=1900, le=2200, description="År.")] = None,
) -> UploadPublic:
    """Upload et dokument; det indlæses med det samme, og svaret viser rapporten for filen.

    Et dokument med samme navn som et tidligere upload erstatter det tidligere."""
    started = time.perf_counter()
    name = display_name(file.filename)
    suffix = require_suffix(name, SUPPORTED_SUFFIXES)
    try:
        kind_value = normalise_kind(kind) if kind else None
    except ValueError as exc:
        raise ApiProblem(422, str(exc)) from None
    folder = uploads_dir(settings.home)
    saved = await save_upload(file, folder, suffix, max_bytes=settings.max_file_bytes)
    source_id = "upload-" + slugify(name.rsplit(".", 1)[0] if "." in name else name)
    source_id = scoped_upload_id(source_id, who.scope)  # two scopes never share an upload id

    def work() -> tuple[FileResult, SourceRecord | None]:
        with _write_lock:
            existing = kb.store.get_source(source_id)
            if existing is not None and not can_change(existing.scope, existing.builtin, who.scope,
                                                       admin=who.role >= Role.admin):
                saved.unlink(missing_ok=True)
                raise ApiProblem(403, f"Dokumentet '{source_id}' tilhører en anden afgrænsning og kan ikke erstattes "
                                      "med din adgang.")
            result = ingest_file(kb, saved, kind=kind_value, org=org or None, year=year,
                                 municipality=municipality or None, display_name=name, source_id=source_id,
                                 scope=who.scope or "")
            if result.status == "failed":
                saved.unlink(missing_ok=True)
                return result, None
            for old in folder.glob(f"{source_id}.*"):
                old.unlink(missing_ok=True)
            if result.cpr_redactions:
                # The store holds the redacted text only; the original with the CPR numbers is not kept.
                saved.unlink(missing_ok=True)
                result.warnings.append("Filen indeholdt CPR-numre: de er fjernet fra teksten i vidensbasen, "
                                       "og originalfilen er ikke gemt.")
            else:
                place(saved, f"{source_id}{suffix}")
            return result, kb.store.get_source(source_id)

    result, record = await run_in_threadpool(work)
    report = report_public(result)
    await run_in_threadpool(audit.record, key_id=who.key_id, endpoint="/api/documents", source_ids=[source_id],
                            latency_ms=(time.perf_counter() - started) * 1000, status=422 if record is None else 201)
    if record is None:
        raise ApiProblem(422, result.message or f"Filen '{name}' kunne ikke indlæses.",
                         extra={"report": report.model_dump()})
    return UploadPublic(report=report, document=document_public(record))


@router.delete("/documents/{source_id}", response_model=DeletedPublic, responses=problem_responses(401, 403, 404, 429))
async def delete_document(source_id: Annotated[str, Path(max_length=300)], kb: KBDep, settings: SettingsDep,
                          audit: AuditDep, who: EditorDep) -> DeletedPublic:
    """Slet et dokument og alle dets tekststykker; det forsvinder straks fra søgning og svar."""
    record = await run_in_threadpool(kb.store.get_source, source_id)
    allowed = await run_in_threadpool(visible_sources, kb, who)
    if record is None or (allowed is not None and source_id not in allowed):
        raise ApiProblem(404, f"Dokumentet '{source_id}' findes ikke. Se listen på GET /api/documents.")
    if record.builtin and who.role < Role.admin:
        raise ApiProblem(403, "Dokumenter fra den indbyggede vidensbase kan kun slettes med en admin-nøgle.")
    if not can_change(record.scope, record.builtin, who.scope, admin=who.role >= Role.admin):
        raise ApiProblem(403, f"Dokumentet '{source_id}' hører til afgrænsningen '{record.scope or 'hele installationen'}'; "
                              f"din adgang ('{who.scope}') må kun ændre sine egne dokumenter.")

    def work() -> bool:
        with _write_lock:
            removed = remove_source(kb, source_id)
            kb.lexical.ensure(kb.store)
            folder = uploads_dir(settings.home)
            for old in folder.glob(f"{slugify(source_id, max_len=300)}.*"):
                old.unlink(missing_ok=True)
            return removed

    removed = await run_in_threadpool(work)
    await run_in_threadpool(audit.record, key_id=who.key_id, endpoint="/api/documents/delete", source_ids=[source_id])
    if not removed:
        raise ApiProblem(404, f"Dokumentet '{source_id}' findes ikke.")
    return DeletedPublic(source_id=source_id, deleted=True)
