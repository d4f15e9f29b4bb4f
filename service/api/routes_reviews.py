"""POST /api/reviews and the note downloads: review a styringsrapport (editor role).

Contract with the app factory (service/api/app.py):
- the factory includes ``router``; paths are absolute
  (/api/reviews ...), so include it without a prefix;
- dependencies come from ``service.api.deps``: ``KBDep``, ``SettingsDep``, ``AuditDep`` and ``EditorDep``
  (every route here needs the editor role);
- errors are ``ApiProblem`` (an HTTPException) with a Danish ``detail``, or the review's and ingest's own
  errors (AlmenError); the factory's handlers turn them into RFC 9457 problem bodies: 404 unknown review,
  413 too large, 415 file type, 422 unreadable / scanned / not a styringsrapport / previous-year report
  from another organisation. Bad input never gives a 500.
- files live under ``settings.home / "reviews" / <review_id>``: ``notat.md``, ``notat.docx`` and
  ``review.json``. The uploads (``report.pdf``, ``previous.docx``; the client's filename is never used as a
  path) exist only while the review runs, in a private scratch folder (service.scratch) that is moved to
  reviews/ once the originals are gone.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import uuid
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, UploadFile
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import slugify, user_named
from knowledge.config import Settings
from knowledge.disk import require_space
from knowledge.errors import AlmenError
from knowledge.kb import KnowledgeBase
from service.api.deps import AuditDep, EditorDep, KBDep, SettingsDep
from service.api.errors import ApiProblem
from service.api.review_figures import with_key_figures
from service.api.schemas import problem_responses
from service.api.scopes import can_change, can_read, visible_sources
from service.api.security import Principal, Role
from service.api.upload_conflicts import target_for
from service.api.uploads import WRITE_LOCK, display_name, require_suffix, save_upload
from service.review.result import Review
from service.review.review import add_to_knowledge_base, review_report
from service.scratch import make_private_dir

router = APIRouter(prefix="/api", tags=["gennemgang"])
_ID_RE = re.compile(r"^[0-9a-f]{32}$")
DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def reviews_dir(home: FsPath) -> FsPath:
    """The folder under the data directory where reviews are kept."""
    return FsPath(home) / "reviews"


def review_folder(settings: Settings, review_id: str, who: Principal | None = None) -> FsPath:
    """The folder of one review; 404 for an id that is malformed, unknown or of another scope than the caller's."""
    if not _ID_RE.match(review_id):
        raise ApiProblem(404, "Gennemgangen findes ikke. Kontrollér id'et fra svaret på POST /api/reviews.")
    folder = reviews_dir(settings.home) / review_id
    if not (folder / "review.json").is_file() or (who is not None and not can_read(_owner(folder), False, who.scope)):
        raise ApiProblem(404, "Gennemgangen findes ikke (eller er slettet). Upload rapporten igen.")
    return folder


def _owner(folder: FsPath) -> str:
    """The scope of the caller who made the review ('' = the whole installation, also for older reviews)."""
    try:
        return str(json.loads((folder / "review.json").read_text(encoding="utf-8")).get("scope") or "")
    except (OSError, ValueError, AttributeError):
        return ""


def _links(review_id: str) -> dict[str, str]:
    return {"markdown": f"/api/reviews/{review_id}/notat.md", "docx": f"/api/reviews/{review_id}/notat.docx",
            "self": f"/api/reviews/{review_id}"}


def _run(kb: KnowledgeBase, settings: Settings, folder: FsPath, report: FsPath, previous: FsPath | None,
         org: str | None, year: int | None, review_id: str, who: Principal, add_as: str | None = None
         ) -> dict[str, Any]:
    review = review_report(report, kb=kb, settings=settings, previous_path=previous, org=org, year=year,
                           sources=visible_sources(kb, who))
    review.review_id = review_id
    # the reviewed report joins the knowledge base: the register reads it as well
    added = _add_report(kb, report, review, add_as, who) if add_as is not None else None
    review.write_markdown(folder / "notat.md")
    review.write_docx(folder / "notat.docx")
    data = review.to_dict()
    data["links"] = _links(review_id)
    data["scope"] = who.scope or ""  # the owner scope, written with the result so no review is ever without one
    if added is not None:
        data["knowledge_base"] = added
    (folder / "review.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return data


def _add_report(kb: KnowledgeBase, report: FsPath, review: Review, name: str, who: Principal) -> dict[str, Any]:
    """Add the reviewed report to the knowledge base as the caller's upload of it would be: its id carries the
    caller's scope and the report's organisation, the document belongs to the caller's scope, and a document
    the caller may not change is never replaced (the review itself is still returned)."""
    ident = review.report.identity
    with WRITE_LOCK:
        target = target_for(kb, name, org=ident.organisation, municipality=ident.municipality, scope=who.scope)
        existing = target.existing
        if existing is not None and not can_change(existing.scope, existing.builtin, who.scope,
                                                   admin=who.role >= Role.admin):
            return {"status": "failed", "source_id": target.source_id, "title": existing.title,
                    "message": f"Dokumentet '{target.source_id}' tilhører en anden afgrænsning og kan ikke "
                               "erstattes med din adgang. Giv filen et andet navn."}
        result = add_to_knowledge_base(kb, report, review, display_name=target.name, source_id=target.source_id,
                                       scope=who.scope or "")
    return {"status": result.status, "source_id": result.source_id, "title": result.title, "message": result.message}


@router.post("/reviews", status_code=201, responses=problem_responses(401, 403, 413, 415, 422, 429, 507))
async def create_review(
    kb: KBDep, settings: SettingsDep, audit: AuditDep, who: EditorDep,
    file: Annotated[UploadFile, File(description="Styringsrapporten (PDF, DOCX eller tekst).")],
    previous: Annotated[UploadFile | None, File(description="Sidste års styringsrapport (valgfri).")] = None,
    org: Annotated[str | None, Form(max_length=200, description="Boligorganisationens navn (valgfrit).")] = None,
    year: Annotated[int | None, Form(ge=1990, le=2200, description="Styringsår (valgfrit).")] = None,
    add_to_kb: Annotated[bool, Form(description="Tilføj rapporten til vidensbasen som organisationens "
                                                "styringsrapport (så aftaleoversigten også læser den).")] = False,
) -> dict[str, Any]:
    """Gennemgå en styringsrapport: nøgletal med sidetal, tjekliste, opfølgning på aftaler og et udkast til
    forberedelsesnotat (Markdown og Word), som kan hentes via linkene i svaret. Uden org og year aflæses de i
    rapporten (`detected` viser, hvad der er aflæst); med add_to_kb=true tilføjes rapporten til vidensbasen.
    Feltet key_figures er nøgletalstabellen: i år, sidste år, ændring og referenceniveau pr. nøgletal og
    afdeling."""
    started = time.perf_counter()
    require_space(settings)
    suffix = require_suffix(display_name(file.filename), SUPPORTED_SUFFIXES)
    prev_suffix = None
    if previous is not None and (previous.filename or previous.size):
        prev_suffix = require_suffix(display_name(previous.filename), SUPPORTED_SUFFIXES)
    review_id = uuid.uuid4().hex
    # The review is made in a private scratch folder and moved to reviews/ whole: the originals never
    # reach reviews/, and a crash leaves them only where the next start sweeps them away.
    staging = make_private_dir(settings.home, "review")
    try:
        saved = await save_upload(file, staging, suffix, max_bytes=settings.max_file_bytes)
        report_path = saved.rename(staging / f"report{suffix}")
        previous_path = None
        if prev_suffix is not None and previous is not None:
            saved_prev = await save_upload(previous, staging, prev_suffix, max_bytes=settings.max_file_bytes)
            previous_path = saved_prev.rename(staging / f"previous{prev_suffix}")
        try:  # a ReviewError or LoadError becomes its problem body in the app's error handler
            data = await run_in_threadpool(_run, kb, settings, staging, report_path, previous_path,
                                           (org or "").strip() or None, year, review_id, who,
                                           display_name(file.filename) if add_to_kb else None)
        except AlmenError as exc:  # name the files as the user knows them, not 'report.pdf' in the scratch folder
            exc.message = user_named(exc.message, report_path, display_name(file.filename))
            if previous_path is not None and previous is not None:
                exc.message = user_named(exc.message, previous_path, display_name(previous.filename))
            raise
        finally:
            # The uploaded reports are read once: only the result (review.json, the notes) is kept, so a CPR
            # number or other personal data in an original does not stay in the data directory.
            for original in (report_path, previous_path):
                if original is not None:
                    original.unlink(missing_ok=True)
        folder = reviews_dir(settings.home)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        staging.rename(folder / review_id)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    await run_in_threadpool(audit.record, key_id=who.key_id, endpoint="/api/reviews", source_ids=[review_id],
                            latency_ms=(time.perf_counter() - started) * 1000, status=201)
    return with_key_figures(data)


@router.get("/reviews/{review_id}", responses=problem_responses(401, 403, 404, 429))
async def get_review(review_id: Annotated[str, Path(max_length=64)], settings: SettingsDep,
                     who: EditorDep) -> dict[str, Any]:
    """Hent resultatet af en tidligere gennemgang."""
    folder = review_folder(settings, review_id, who)
    return with_key_figures(json.loads((folder / "review.json").read_text(encoding="utf-8")))


def _download_name(folder: FsPath, suffix: str) -> str:
    try:
        data = json.loads((folder / "review.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    parts = ["forberedelsesnotat", slugify(str(data.get("organisation") or ""), max_len=40), str(data.get("year") or "")]
    return "-".join(p for p in parts if p and p != "dokument") + suffix


@router.get("/reviews/{review_id}/notat.md", responses=problem_responses(401, 403, 404, 429))
async def download_markdown(review_id: Annotated[str, Path(max_length=64)], settings: SettingsDep,
                            who: EditorDep) -> FileResponse:
    """Hent forberedelsesnotatet som Markdown."""
    folder = review_folder(settings, review_id, who)
    return FileResponse(folder / "notat.md", media_type="text/markdown; charset=utf-8",
                        filename=_download_name(folder, ".md"))


@router.get("/reviews/{review_id}/notat.docx", responses=problem_responses(401, 403, 404, 429))
async def download_docx(review_id: Annotated[str, Path(max_length=64)], settings: SettingsDep,
                        who: EditorDep) -> FileResponse:
    """Hent forberedelsesnotatet som Word-dokument (.docx)."""
    folder = review_folder(settings, review_id, who)
    return FileResponse(folder / "notat.docx", media_type=DOCX_MEDIA, filename=_download_name(folder, ".docx"))
