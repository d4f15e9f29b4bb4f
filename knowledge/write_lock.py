"""Sharing one data directory between processes: the CLI's `almen ingest` while `almen serve` runs.

Two things make that safe (knowledge.store uses both):

- ``WriteLock``: one writer at a time across processes (``fcntl.flock`` on ``<home>/.write.lock``), re-entrant
  within a process, given up after ALMEN_WRITE_LOCK_TIMEOUT seconds with a Danish message. Embedded Chroma keeps
  its vector index in each process's memory and writes it back to the same files, so two unserialised writers
  could lose each other's vectors.
- ``GenerationFile``: ``<home>/.generation`` is replaced on every commit. A reader reads it (a few bytes,
  microseconds) before searching and reopens its store when another writer has committed, so a document
  ingested by the CLI is found by the running service without a restart.
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from knowledge.errors import StoreError

LOCK_NAME = ".write.lock"
GENERATION_NAME = ".generation"
_POLL_SECONDS = 0.05


class WriteLockTimeoutError(StoreError):
    """Another process held the data directory's write lock for longer than ALMEN_WRITE_LOCK_TIMEOUT."""


class ReadOnlyHomeError(StoreError):
    """The data directory cannot be written (read-only file system or missing rights)."""


def read_only_message(home: Path) -> str:
    return (f"Datamappen '{home}' kan ikke skrives i (skrivebeskyttet eller manglende rettigheder). Giv brugeren, "
            "der kører almen, skriveadgang til mappen, eller vælg en anden mappe med ALMEN_HOME.")


def ensure_writable(home: Path) -> None:
    """Raise ReadOnlyHomeError (one Danish line) unless a file can be created in the data directory: a
    read-only folder would otherwise surface as a long traceback from whichever database opens first."""
    probe = Path(home) / f".skrivetest-{uuid.uuid4().hex}"
    try:
        Path(home).mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise ReadOnlyHomeError(read_only_message(Path(home))) from exc
        raise StoreError(f"Datamappen '{home}' kan ikke bruges: {exc.strerror}. Kontrollér ALMEN_HOME.") from exc


class WriteLock:
    """An inter-process write lock on a data directory, re-entrant within the process (one per directory)."""

    def __init__(self, home: Path, timeout: float) -> None:
        self.home = Path(home)
        self.timeout = timeout
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock inside the block; WriteLockTimeoutError when it cannot be had within the timeout."""
        deadline = time.monotonic() + self.timeout
        if not self._thread_lock.acquire(timeout=self.timeout):
            raise WriteLockTimeoutError(self._timeout_message())
        try:
            if self._depth == 0:
                self._fd = self._acquire_file(deadline)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                    os.close(self._fd)
                    self._fd = None
        finally:
            self._thread_lock.release()

    def _acquire_file(self, deadline: float) -> int:
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.home / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise ReadOnlyHomeError(read_only_message(self.home)) from exc
            raise StoreError(f"Skrivelåsen i datamappen '{self.home}' kunne ikke åbnes: {exc.strerror}.") from exc
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise WriteLockTimeoutError(self._timeout_message()) from None
                time.sleep(_POLL_SECONDS)

    def _timeout_message(self) -> str:
        return (f"En anden proces (fx 'almen ingest' eller 'almen serve') skriver i vidensbasen i '{self.home}' og "
                f"har gjort det i mere end {self.timeout:g} sekunder. Prøv igen, når den er færdig, eller hæv "
                "ventetiden med ALMEN_WRITE_LOCK_TIMEOUT.")


_LOCKS: dict[str, WriteLock] = {}
_LOCKS_GUARD = threading.Lock()


def write_lock(home: Path, timeout: float) -> WriteLock:
    """The process's one WriteLock of a data directory (two locks in one process would block each other)."""
    key = os.path.realpath(home)
    with _LOCKS_GUARD:
        lock = _LOCKS.get(key)
        if lock is None:
            lock = _LOCKS[key] = WriteLock(Path(home), timeout)
        lock.timeout = timeout
        return lock


class GenerationFile:
    """``<home>/.generation``: replaced (atomically) by every commit, watched by readers through its signature."""

    def __init__(self, home: Path) -> None:
        self.path = Path(home) / GENERATION_NAME

    def signature(self) -> str | None:
        """The generation last committed by any writer (a tiny read; None before the first commit)."""
        try:
            return self.path.read_text(encoding="utf-8")
        except OSError:
            return None

    def bump(self, generation: str) -> str | None:
        """Record a commit; what ``signature`` reads from now on (None if it could not be written)."""
        tmp = self.path.with_name(f"{GENERATION_NAME}.{uuid.uuid4().hex}")
        try:
            tmp.write_text(generation, encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)
            return None
        return generation
