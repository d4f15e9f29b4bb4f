"""POST /api/reviews and the note downloads: review a styringsrapport (editor role).

Contract with the app factory (service/api/app.py):
- the factory includes ``router``; paths are absolute
  (/api/reviews ...), so include it without a prefix;
- dependencies come from ``service.api.deps``: ``KBDep``, ``SettingsDep``, ``AuditDep`` and ``EditorDep``
  (every route here needs the editor role);
- errors are ``ApiProblem`` (an HTTPException) with a Danish ``detail``; the factory's handlers turn them into
  RFC 9457 problem bodies: 404 unknown review, 413 too large, 415 file type, 422 unreadable / scanned /
  not a styringsrapport / previous-year report from another organisation. Bad input never gives a 500.
- files live under ``settings.home / "reviews" / <review_id>``: the uploads under generated names
  (``report.pdf``, ``previous.docx``; the client's filename is never used as a path) only while the review
  runs, then ``notat.md``, ``notat.docx`` and ``review.json``.
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

from ingest.errors import FileTooLargeError, LoadError, UnsupportedFormatError
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import slugify, upload_source_id
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from service.api.deps import AuditDep, EditorDep, KBDep, SettingsDep
from service.api.errors import ApiProblem
from service.api.schemas import problem_responses
from service.api.uploads import display_name, require_suffix, save_upload
from service.review.errors import ReviewError
from service.review.review import add_to_knowledge_base, review_report

router = APIRouter(prefix="/api", tags=["gennemgang"])
_ID_RE = re.compile(r"^[0-9a-f]{32}$")
DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def reviews_dir(home: FsPath) -> FsPath:
    """The folder under the data directory where reviews are kept."""
    return FsPath(home) / "reviews"


def review_folder(settings: Settings, review_id: str) -> FsPath:
    """The folder of one review; 404 for an id that is malformed or unknown."""
    if not _ID_RE.match(review_id):
        raise ApiProblem(404, "Gennemgangen findes ikke. Kontrollér id'et fra svaret på POST /api/reviews.")
    folder = reviews_dir(settings.home) / review_id
    if not (folder / "review.json").is_file():
        raise ApiProblem(404, "Gennemgangen findes ikke (eller er slettet). Upload rapporten igen.")
    return folder


def _links(review_id: str) -> dict[str, str]:
    return {"markdown": f"/api/reviews/{review_id}/notat.md", "docx": f"/api/reviews/{review_id}/notat.docx",
            "self": f"/api/reviews/{review_id}"}


def _status_for(exc: Exception) -> int:
    if isinstance(exc, UnsupportedFormatError):
        return 415
    if isinstance(exc, FileTooLargeError):
        return 413
    return 422


def _run(kb: KnowledgeBase, settings: Settings, folder: FsPath, report: FsPath, previous: FsPath | None,
         org: str | None, year: int | None, review_id: str, add_as: str | None = None) -> dict[str, Any]:
    review = review_report(report, kb=kb, settings=settings, previous_path=previous, org=org, year=year)
    review.review_id = review_id
    added = None
    if add_as is not None:  # the reviewed report joins the knowledge base: the register reads it as well
        ident = review.report.identity
        sid = upload_source_id(add_as, org=ident.organisation, municipality=ident.municipality)
        result = add_to_knowledge_base(kb, report, review, display_name=add_as, source_id=sid)
        added = {"status": result.status, "source_id": result.source_id, "title": result.title,
                 "message": result.message}
    review.write_markdown(folder / "notat.md")
    review.write_docx(folder / "notat.docx")
    data = review.to_dict()
    data["links"] = _links(review_id)
    if added is not None:
        data["knowledge_base"] = added
    (folder / "review.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return data


@router.post("/reviews", status_code=201, responses=problem_responses(401, 403, 413, 415, 422, 429))
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
    rapporten (`detected` viser, hvad der er aflæst); med add_to_kb=true tilføjes rapporten til vidensbasen."""
    started = time.perf_counter()
    suffix = require_suffix(display_name(file.filename), SUPPORTED_SUFFIXES)
    prev_suffix = None
    if previous is not None and (previous.filename or previous.size):
        prev_suffix = require_suffix(display_name(previous.filename), SUPPORTED_SUFFIXES)
    review_id = uuid.uuid4().hex
    folder = reviews_dir(settings.home) / review_id
    folder.mkdir(parents=True, exist_ok=False)
    try:
        saved = await save_upload(file, folder, suffix, max_bytes=settings.max_file_bytes)
        report_path = saved.rename(folder / f"report{suffix}")
        previous_path = None
        if prev_suffix is not None and previous is not None:
            saved_prev = await save_upload(previous, folder, prev_suffix, max_bytes=settings.max_file_bytes)
            previous_path = saved_prev.rename(folder / f"previous{prev_suffix}")
        try:
            data = await run_in_threadpool(_run, kb, settings, folder, report_path, previous_path,
                                           (org or "").strip() or None, year, review_id,
                                           display_name(file.filename) if add_to_kb else None)
        except (ReviewError, LoadError) as exc:
            raise ApiProblem(_status_for(exc), exc.message) from None
        finally:
            # The uploaded reports are read once: only the result (review.json, the notes) is kept, so a CPR
            # number or other personal data in an original does not stay in the data directory.
            for original in (report_path, previous_path):
                if original is not None:
                    original.unlink(missing_ok=True)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    await run_in_threadpool(audit.record, key_id=who.key_id, endpoint="/api/reviews", source_ids=[review_id],
                            latency_ms=(time.perf_counter() - started) * 1000, status=201)
    return data


@router.get("/reviews/{review_id}", responses=problem_responses(401, 403, 404, 429))
async def get_review(review_id: Annotated[str, Path(max_length=64)], settings: SettingsDep,
                     who: EditorDep) -> dict[str, Any]:
    """Hent resultatet af en tidligere gennemgang."""
    folder = review_folder(settings, review_id)
    return json.loads((folder / "review.json").read_text(encoding="utf-8"))


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
    folder = review_folder(settings, review_id)
    return FileResponse(folder / "notat.md", media_type="text/markdown; charset=utf-8",
                        filename=_download_name(folder, ".md"))


@router.get("/reviews/{review_id}/notat.docx", responses=problem_responses(401, 403, 404, 429))
async def download_docx(review_id: Annotated[str, Path(max_length=64)], settings: SettingsDep,
                        who: EditorDep) -> FileResponse:
    """Hent forberedelsesnotatet som Word-dokument (.docx)."""
    folder = review_folder(settings, review_id)
    return FileResponse(folder / "notat.docx", media_type=DOCX_MEDIA, filename=_download_name(folder, ".docx"))
