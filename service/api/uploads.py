"""Saving uploaded files safely: sanitised names, generated paths inside the data directory, size limits."""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

from fastapi import UploadFile

from knowledge.disk import full_message, is_disk_full
from knowledge.errors import StorageFullError
from service.api.errors import ApiProblem
from service.scratch import open_private_file

_COPY_CHUNK = 1024 * 1024
_MAX_NAME = 120
# One write to the knowledge base at a time per process: uploads, corrections, deletions and reviewed reports
# added to the knowledge base (the id a write picks depends on what is stored when it picks it).
WRITE_LOCK = threading.Lock()


def display_name(client_name: str | None) -> str:
    """A harmless display name from the client's filename: last path part, no control characters, bounded length."""
    raw = client_name or ""
    base = PureWindowsPath(PurePosixPath(raw.replace("\x00", "")).name).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = re.sub(r"\s+", " ", base).strip(" .")
    if len(base) > _MAX_NAME:
        stem, suffix = os.path.splitext(base)
        suffix = suffix if len(suffix) <= 10 else ""
        base = stem[: _MAX_NAME - len(suffix)].rstrip() + suffix
    return base or "dokument"


def require_suffix(name: str, allowed: tuple[str, ...]) -> str:
    """The lower-case suffix of a name; 415 when it is not one of ``allowed``."""
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        shown = suffix or "(ingen)"
        raise ApiProblem(415, f"Filtypen {shown} understøttes ikke. Upload en af disse: {', '.join(allowed)}.")
    return suffix


def uploads_dir(home: Path) -> Path:
    """The folder under the data directory where kept originals (those without CPR numbers) are stored."""
    folder = Path(home) / "uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


async def save_upload(upload: UploadFile, folder: Path, suffix: str, *, max_bytes: int) -> Path:
    """Copy an upload to a new private file (0600) in ``folder``, a private folder from ``service.scratch``
    (413 over the limit, 422 when empty). The caller removes it once read; a crash leaves it to the sweep."""
    target, out = open_private_file(folder, "upload", suffix)
    size = 0
    try:
        with out:
            while chunk := await upload.read(_COPY_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise ApiProblem(413, f"Filen er for stor. Grænsen er {max_bytes / 1024 / 1024:g} MB.")
                out.write(chunk)
        if size == 0:
            raise ApiProblem(422, "Filen er tom (0 byte). Vælg en fil med indhold.")
    except OSError as exc:
        target.unlink(missing_ok=True)
        if is_disk_full(exc):  # the disk filled up while the upload was written: 507, read-only mode
            raise StorageFullError(full_message()) from exc
        raise
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


_SOURCE_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*")  # every id almen makes; anything else names no file


def kept_originals(folder: Path, source_id: str) -> list[Path]:
    """The kept original of a document ('<source id>.<suffix>' in ``folder``); none for an id almen never makes.

    The id is matched as it is: a slug of it would miss scoped upload ids ('upload-kommune--notat-...')."""
    if not _SOURCE_ID_RE.fullmatch(source_id):
        return []
    return sorted(folder.glob(f"{source_id}.*"))


def place(saved: Path, folder: Path, final_name: str) -> Path:
    """Move a saved upload to its final generated name in ``folder`` (atomic replace, same file system)."""
    final = folder / final_name
    if final.resolve().parent != folder.resolve():
        raise ApiProblem(422, "Ugyldigt filnavn.")
    os.replace(saved, final)
    return final
