"""How the store reads and writes: reads tried again and translated to StoreError, writes under the data
directory's inter-process lock on a store that has followed the other writers (knowledge.write_lock).
Kept apart from knowledge/store.py, which holds what touches Chroma itself."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from knowledge.errors import KnowledgeError, StoreError

P = ParamSpec("P")
R = TypeVar("R")


def read_error(exc: Exception) -> StoreError:
    return StoreError(f"Vidensbasen kunne ikke læses: {exc}. Prøv igen; sker det igen, så tjek ALMEN_HOME eller "
                      "ALMEN_CHROMA_URL (kører Chroma-serveren?).")


READ_ATTEMPTS = 3


def reads(method: Callable[P, R]) -> Callable[P, R]:
    """A read from Chroma: any failure of the client (server gone, file unreadable) becomes a StoreError.

    Reads are idempotent and are tried ``READ_ATTEMPTS`` times: a query that meets a delete committing in
    the same moment can fail inside Chroma ('Error finding id': the index still held an id whose record had
    just gone), and the next attempt sees the store after the delete."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(READ_ATTEMPTS):
            try:
                return method(*args, **kwargs)
            except KnowledgeError:
                raise
            except Exception as exc:  # noqa: BLE001 - translate any client failure
                if attempt + 1 == READ_ATTEMPTS:
                    raise read_error(exc) from exc
                time.sleep(0.02 * (attempt + 1))
        raise AssertionError("unreachable")

    return wrapper


def writes(method: Callable[P, R]) -> Callable[P, R]:
    """A write: under the data directory's inter-process lock, on a store that has followed every other
    writer's commits, and announced to the other processes afterwards (knowledge.write_lock)."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        store: Any = args[0]  # a knowledge.store.ChunkStore
        with store._lock.hold():
            store.follow()
            try:
                return method(*args, **kwargs)
            finally:
                if not store.settings.chroma_url:
                    store._announce()

    return wrapper
