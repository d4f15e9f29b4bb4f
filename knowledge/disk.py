"""Free space in the data directory: a full disk makes almen read-only instead of broken.

Writes (uploads, corrections, reviews, law imports, feedback, ``almen ingest``) are refused with
``StorageFullError`` (507) when the data directory's file system has less than ALMEN_MIN_FREE_DISK_MB free,
or when a write actually fails for lack of space; questions and searches go on (their audit row is skipped
with a logged error rather than failing the answer).
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from knowledge.config import Settings
from knowledge.errors import StorageFullError

_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
_FULL_WORDS = ("database or disk is full", "no space left on device", "disk quota exceeded")


def free_mb(path: Path) -> float | None:
    """Free megabytes on the file system holding ``path`` (its nearest existing parent); None if unknown."""
    probe = Path(path)
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return shutil.disk_usage(probe).free / (1024 * 1024)
    except OSError:
        return None


def out_of_room(path: Path) -> bool:
    """True when the file system of ``path`` has (nearly) no byte left: SQLite then reports a full disk as a
    plain 'disk I/O error' (its journal cannot grow)."""
    free = free_mb(path)
    return free is not None and free < 1.0


def low_on_space(settings: Settings) -> float | None:
    """The free megabytes when they are below the limit (or below 1 MB), else None: the disk has room."""
    free = free_mb(settings.home)
    if free is None or free >= max(settings.min_free_disk_mb, 1.0):
        return None
    return free


def full_message(free: float | None = None, settings: Settings | None = None) -> str:
    """The Danish message for a write refused for lack of space (``free`` MB left, the limit from ``settings``)."""
    shown = f"{free:.0f} MB fri" if free is not None else "ingen plads tilbage"
    limit = f"; mindst {settings.min_free_disk_mb:g} MB kræves" if settings is not None else ""
    return (f"Der er ikke plads nok på disken med almens datamappe ({shown}{limit}), så intet kan gemmes lige nu. "
            "Spørgsmål og søgning virker stadig. Bed driften om at frigøre plads og prøv igen.")


def require_space(settings: Settings) -> None:
    """Raise StorageFullError when the data directory is low on space (before a write starts)."""
    free = low_on_space(settings)
    if free is not None:
        raise StorageFullError(full_message(free, settings))


def is_disk_full(exc: BaseException) -> bool:
    """True when ``exc`` (or an exception it was raised from) means the disk or quota is full."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StorageFullError):
            return True
        if isinstance(current, OSError) and current.errno in _FULL_ERRNOS:
            return True
        worded = isinstance(current, (sqlite3.OperationalError, OSError, RuntimeError)) or type(
            current).__module__.startswith("chromadb")
        if worded and any(word in str(current).lower() for word in _FULL_WORDS):
            return True
        current = current.__cause__ or current.__context__
    return False
