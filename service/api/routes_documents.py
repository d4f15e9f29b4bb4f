"""GET/POST /api/documents, PATCH and DELETE /api/documents/{id}: the knowledge base's documents (editor role)."""

from __future__ import annotations

import time
from pathlib import Path as PathType
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, UploadFile
from starlette.concurrency import run_in_threadpool

from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import FileResult, file_hash, given_metadata, ingest_file, remove_source
from knowledge.disk import require_space
from knowledge.kb import KnowledgeBase
from knowledge.store import SourceRecord
from knowledge.types import normalise_kind
from service.api.deps import AuditDep, EditorDep, KBDep, SettingsDep
from service.api.errors import ApiProblem
from service.api.schemas import (
    DeletedPublic,
    DetectedPublic,
    DocumentListPublic,
    DocumentPublic,
    FileReportPublic,
    UploadPublic,
    problem_responses,
)
from service.api.scopes import can_change, visible_sources
from service.api.security import Role
from service.api.upload_conflicts import (
    UploadTarget,
    conflict,
    free_target,
    identical_document,
    target_for,
    unchanged_report,
)
from service.api.uploads import (
    WRITE_LOCK,
    display_name,
    kept_originals,
    place,
    require_suffix,
    save_upload,
    uploads_dir,
)
from service.review.document_identity import detect_identity
from service.scratch import scratch_dir

router = APIRouter(prefix="/api", tags=["dokumenter"])


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


UPLOAD_DESCRIPTION = """Upload et dokument; det indlæses med det samme, og svaret viser rapporten for filen.

Et dokument kendes på sit præcise filnavn og sin boligorganisation (og kommune). Findes der allerede et dokument
med samme filnavn for samme organisation, og er indholdet et andet, svarer tjenesten **409 Conflict** med et
problem, der nævner det eksisterende dokument (`existing`: titel, id og `ingested_at`, hvornår det blev
uploadet); intet bliver erstattet uden videre. Send filen igen med `replace=true` for at erstatte dokumentet
(rapportens status bliver `updated`), eller med `keep_both=true` for at beholde begge: det nye får så et nummer
i navnet, fx `Referat (2).pdf`. Præcis samme fil med samme metadata igen (under et hvilket som helst navn)
ændrer intet: status `unchanged` og det dokument, der allerede findes. Samme filnavn for en anden organisation,
med en anden filtype, med andre store/små bogstaver eller æ/ø/å er et andet dokument.

Uden `org` eller `year` aflæses de i dokumentet (titel, overskrifter, deltagerlinjer, mødedato, styringsår); svaret
viser det fundne under `detected`, og det kan rettes med `PATCH /api/documents/{source_id}`.

Med en afgrænset nøgle eller bruger (kommune eller kommune/afdeling) hører dokumentet til afgrænsningen: kun den
og dens overordnede eller underordnede afgrænsninger ser det, og en anden afgrænsnings dokument kan ikke
erstattes (**403**)."""


@router.post("/documents", response_model=UploadPublic, status_code=201, description=UPLOAD_DESCRIPTION,
             responses=problem_responses(401, 403, 409, 413, 415, 422, 429, 507))
async def upload_document(
    kb: KBDep, settings: SettingsDep, audit: AuditDep, who: EditorDep,
    file: Annotated[UploadFile, File(description="PDF, DOCX, HTML, Markdown eller tekst.")],
    kind: Annotated[str | None, Form(max_length=40, description="Dokumenttype, fx notat eller styringsrapport.")] = None,
    org: Annotated[str | None, Form(max_length=200, description="Boligorganisation.")] = None,
    municipality: Annotated[str | None, Form(max_length=200, description="Kommune.")] = None,
    year: Annotated[int | None, Form(ge=1900, le=2200, description="År.")] = None,
    replace: Annotated[bool, Form(description="Erstat et dokument med samme filnavn og organisation "
                                              "(ellers 409 Conflict).")] = False,
    keep_both: Annotated[bool, Form(description="Behold et dokument med samme filnavn og organisation, og "
                                                "gem det nye med et nummer i navnet.")] = False,
) -> UploadPublic:
    started = time.perf_counter()
    require_space(settings)  # read-only while the disk is full: 507 before the upload is saved
    name = display_name(file.filename)
    suffix = require_suffix(name, SUPPORTED_SUFFIXES)
    if replace and keep_both:
        raise ApiProblem(422, "Vælg enten replace=true (erstat) eller keep_both=true (behold begge), ikke begge.")
    try:
        kind_value = normalise_kind(kind) if kind else None
    except ValueError as exc:
        raise ApiProblem(422, str(exc)) from None
    folder = uploads_dir(settings.home)
    saved = await save_upload(file, scratch_dir(settings.home), suffix, max_bytes=settings.max_file_bytes)
    org, municipality = org or None, municipality or None
    owner = who.scope or ""  # the caller's scope owns the document (service.api.scopes)
    detected: DetectedPublic | None = None
    if not org or not year:  # read from the document; shown in the answer so the user can correct it
        found = await run_in_threadpool(detect_identity, saved, kind_value, max_bytes=settings.max_file_bytes)
        fields = [name for name, given, value in (("org", org, found.organisation), ("year", year, found.year))
                  if not given and value]
        org, year = org or found.organisation, year or found.year
        detected = DetectedPublic(organisation=found.organisation, year=found.year, fields=fields)

    def work() -> tuple[FileResult, SourceRecord | None, ApiProblem | None]:
        doc_hash = file_hash(kb, saved.read_bytes(), given_metadata(kind=kind_value, org=org, year=year,
                                                                   municipality=municipality), scope=owner)
        with WRITE_LOCK:
            twin = identical_document(kb, doc_hash)  # the hash holds the owner scope: a twin is the caller's own
            if twin is not None:
                return unchanged_report(twin, name), twin, None
            pick = free_target if keep_both else target_for
            target = pick(kb, name, org=org, municipality=municipality, scope=who.scope)
            if target.existing is not None and not can_change(target.existing.scope, target.existing.builtin,
                                                              who.scope, admin=who.role >= Role.admin):
                return FileResult(path=name, status="failed", source_id=target.source_id), None, ApiProblem(
                    403, f"Dokumentet '{target.source_id}' tilhører en anden afgrænsning og kan ikke erstattes med "
                         "din adgang. Giv filen et andet navn.")
            if target.existing is not None and not replace:
                return FileResult(path=name, status="failed", source_id=target.source_id), None, conflict(
                    target.existing, name, document_public(target.existing).model_dump())
            return store_upload(kb, saved, target, folder, kind=kind_value, org=org, year=year, municipality=municipality,
                                scope=owner)

    try:
        result, record, problem = await run_in_threadpool(work)
    finally:
        saved.unlink(missing_ok=True)  # kept uploads were moved to their final name; nothing else stays
    report = report_public(result)
    status = problem.status_code if problem else 422 if record is None else 201
    await run_in_threadpool(audit.record, key_id=who.key_id, endpoint="/api/documents",
                            source_ids=[result.source_id] if result.source_id else [],
                            latency_ms=(time.perf_counter() - started) * 1000, status=status)
    if problem is not None:
        raise problem
    if record is None:
        raise ApiProblem(422, result.message or f"Filen '{name}' kunne ikke indlæses.",
                         extra={"report": report.model_dump()})
    return UploadPublic(report=report, document=document_public(record), detected=detected)


@router.patch("/documents/{source_id}", response_model=UploadPublic,
              responses=problem_responses(401, 403, 404, 409, 422, 429, 507))
async def correct_document(
    source_id: Annotated[str, Path(max_length=300)], kb: KBDep, settings: SettingsDep, audit: AuditDep,
    who: EditorDep,
    org: Annotated[str | None, Form(max_length=200, description="Boligorganisation.")] = None,
    year: Annotated[int | None, Form(ge=1900, le=2200, description="År.")] = None,
) -> UploadPublic:
    """Ret et uploadet dokuments boligorganisation eller år (fx når det aflæste var forkert); dokumentet indlæses
    igen fra den gemte originalfil med de nye oplysninger og beholder sit id."""
    require_space(settings)
    record = await run_in_threadpool(kb.store.get_source, source_id)
    allowed = await run_in_threadpool(visible_sources, kb, who)
    if record is None or record.builtin or (allowed is not None and source_id not in allowed):
        raise ApiProblem(404, f"Dokumentet '{source_id}' findes ikke blandt de uploadede dokumenter.")
    if not can_change(record.scope, record.builtin, who.scope, admin=who.role >= Role.admin):
        raise ApiProblem(403, f"Dokumentet '{source_id}' hører til afgrænsningen '{record.scope or 'hele installationen'}'; "
                              f"din adgang ('{who.scope}') må kun ændre sine egne dokumenter.")
    if not (org or "").strip() and not year:
        raise ApiProblem(422, "Angiv en boligorganisation (org) eller et år (year), der skal rettes.")
    original = next(iter(kept_originals(uploads_dir(settings.home), source_id)), None)
    if original is None:
        raise ApiProblem(409, "Originalfilen er ikke gemt (fx fordi den indeholdt CPR-numre). Upload filen igen "
                              "med den rigtige boligorganisation og det rigtige år.")

    def work() -> FileResult:
        with WRITE_LOCK:
            return ingest_file(kb, original, kind=record.kind, org=(org or "").strip() or record.org or None,
                               year=year or record.year or None, municipality=record.municipality or None,
                               display_name=record.path, source_id=source_id, scope=record.scope)

    result = await run_in_threadpool(work)
    await run_in_threadpool(audit.record, key_id=who.key_id, endpoint="/api/documents/correct",
                            source_ids=[source_id], status=200 if result.status != "failed" else 422)
    if result.status == "failed":
        raise ApiProblem(422, result.message or "Dokumentet kunne ikke indlæses igen.")
    updated = await run_in_threadpool(kb.store.get_source, source_id)
    return UploadPublic(report=report_public(result), document=document_public(updated) if updated else None)


def store_upload(kb: KnowledgeBase, saved: PathType, target: UploadTarget, folder: PathType, **meta: Any
                 ) -> tuple[FileResult, SourceRecord | None, None]:
    """Ingest a saved upload under its target id and keep the original next to the store (not with CPR numbers)."""
    result = ingest_file(kb, saved, display_name=target.name, source_id=target.source_id, **meta)
    if result.status == "failed":
        saved.unlink(missing_ok=True)
        return result, None, None
    for old in kept_originals(folder, target.source_id):
        old.unlink(missing_ok=True)
    if result.cpr_redactions:
        # The store holds the redacted text only; the original with the CPR numbers is not kept.
        saved.unlink(missing_ok=True)
        result.warnings.append("Filen indeholdt CPR-numre: de er fjernet fra teksten i vidensbasen, "
                               "og originalfilen er ikke gemt.")
    else:
        place(saved, folder, f"{target.source_id}{saved.suffix}")
    return result, kb.store.get_source(target.source_id), None


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
        with WRITE_LOCK:
            # The original goes first: a crash after it leaves the document without its file, never a
            # deleted document's file (with whatever personal data it held) that nothing refers to.
            folder = uploads_dir(settings.home)
            for old in kept_originals(folder, source_id):
                old.unlink(missing_ok=True)
            removed = remove_source(kb, source_id)
            kb.lexical.ensure(kb.store)
            return removed

    removed = await run_in_threadpool(work)
    await run_in_threadpool(audit.record, key_id=who.key_id, endpoint="/api/documents/delete", source_ids=[source_id])
    if not removed:
        raise ApiProblem(404, f"Dokumentet '{source_id}' findes ikke.")
    return DeletedPublic(source_id=source_id, deleted=True)
