"""Private scratch space for originals in flight, and the sweep that removes what a crash left behind.

An uploaded document or styringsrapport is on disk, unredacted, while it is read. It is written to
``ALMEN_HOME/tmp`` (mode 0700) as a file of mode 0600 whose name carries the host and the process id
of its writer, and is removed as soon as it has been read. If the process is killed (kill -9, power
loss) in between, the next start of the service or of a CLI command sweeps every entry whose writer
is dead, or that is older than a day whoever wrote it. Entries of live processes (the CLI and
``almen serve`` on one data folder) are left alone.

The sweep also removes what versions before the scratch folder left in the data folder: '.upload-*'
files in uploads/ and unfinished reviews (originals next to the notes) in reviews/.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import socket
import time
import uuid
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger("almen.scratch")

SCRATCH_DIRNAME = "tmp"
MAX_AGE_SECONDS = 24 * 3600  # no upload or review takes this long: an older entry is a leftover
_STARTED = time.time()
_NAME_RE = re.compile(r"^(?P<kind>[a-z]+)-(?P<host>[0-9a-f]{8})-(?P<pid>\d+)-[0-9a-f]{16}")


def _host_tag() -> str:
    """A short tag of this machine (pids of processes on other machines cannot be checked)."""
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def scratch_dir(home: Path) -> Path:
    """The private scratch folder of a data directory (created 0700; a looser existing mode is tightened)."""
    folder = Path(home) / SCRATCH_DIRNAME
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o077:
        folder.chmod(0o700)
    return folder


def _tagged_name(kind: str, suffix: str = "") -> str:
    return f"{kind}-{_host_tag()}-{os.getpid()}-{uuid.uuid4().hex[:16]}{suffix}"


def open_private_file(folder: Path, kind: str, suffix: str = "") -> tuple[Path, BinaryIO]:
    """A new file (mode 0600, never an existing one) in ``folder``, named after this process; open for writing."""
    path = Path(folder) / _tagged_name(kind, suffix)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    return path, os.fdopen(fd, "wb")


def make_private_dir(home: Path, kind: str) -> Path:
    """A new folder (mode 0700) in the scratch folder, named after this process."""
    path = scratch_dir(home) / _tagged_name(kind)
    path.mkdir(mode=0o700)
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OSError:
        return False
    return True


def is_leftover(entry: Path, *, now: float | None = None) -> bool:
    """True for a scratch entry nobody will remove: its writer is dead, or it is older than a day."""
    try:
        mtime = entry.lstat().st_mtime
    except FileNotFoundError:
        return False
    if (now or time.time()) - mtime > MAX_AGE_SECONDS:
        return True
    m = _NAME_RE.match(entry.name)
    if m is None or m.group("host") != _host_tag():
        return False  # a stranger's or another machine's entry: only its age tells
    pid = int(m.group("pid"))
    if pid == os.getpid():
        return mtime < _STARTED  # a process that had this pid before us
    return not _alive(pid)


def _remove(entry: Path) -> bool:
    try:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    except FileNotFoundError:
        return False
    return True


def _legacy_leftovers(home: Path) -> list[Path]:
    """What earlier versions wrote outside the scratch folder and a crash could leave: temporary uploads
    in uploads/, unfinished reviews and uploaded originals in reviews/ (a review is now moved there whole)."""
    found = list((home / "uploads").glob(".upload-*"))
    reviews = home / "reviews"
    if reviews.is_dir():
        for folder in reviews.iterdir():
            if not folder.is_dir():
                continue
            if not (folder / "review.json").is_file():
                found.append(folder)
            else:
                found += [p for p in folder.iterdir() if p.name.startswith(("report.", "previous.", ".upload-"))]
    return found


def sweep(home: Path) -> int:
    """Remove the originals a crash left behind; returns how many entries were removed.

    Called when the service and the CLI start. Never raises: a read-only or half-made data folder is
    reported elsewhere, and a leftover that cannot be removed now is tried again at the next start."""
    home = Path(home)
    removed = 0
    try:
        candidates = []
        folder = home / SCRATCH_DIRNAME
        if folder.is_dir():
            scratch_dir(home)  # tighten the mode of a folder made by hand
            candidates = [e for e in folder.iterdir() if is_leftover(e)]
        candidates += _legacy_leftovers(home)
    except OSError as exc:
        log.warning("Mappen %s kunne ikke gennemses for efterladte midlertidige filer: %s", home, exc)
        return 0
    for entry in candidates:
        try:
            removed += _remove(entry)
        except OSError as exc:
            log.warning("Den midlertidige fil %s kunne ikke fjernes: %s", entry.name, exc)
    if removed:
        log.info("Fjernede %d midlertidige filer efter en afbrudt upload eller gennemgang.", removed)
    return removed
