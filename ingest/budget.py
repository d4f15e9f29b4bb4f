"""How much work one document may cost: a parse-time deadline and a cap on its chunks.

A small hostile file (HTML nested 200,000 levels deep, Markdown with 200,000 headings) can cost minutes
to parse and hours to embed. ``ingest_file`` opens a budget for each file (``document_budget``); the loaders'
and the chunker's loops call ``check()`` now and then, and the chunker counts against ``max_chunks()``.
The budget lives in a context variable, so concurrent ingests (API threads) each have their own, and code
outside an ingest (tests, scripts) runs without limits.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from ingest.errors import LoadError


class DocumentTooCostlyError(LoadError):
    """A document would take too long to read or make too many chunks (ALMEN_MAX_PARSE_SECONDS,
    ALMEN_MAX_CHUNKS_PER_DOCUMENT)."""

    status = 422


@dataclass(frozen=True)
class _Budget:
    name: str
    deadline: float
    seconds: float
    max_chunks: int


# The bounds of a file read outside an ingest (a review, an upload's identity): Settings' defaults.
DEFAULT_SECONDS = 120.0
DEFAULT_MAX_CHUNKS = 5000

_CURRENT: ContextVar[_Budget | None] = ContextVar("almen_document_budget", default=None)


@contextmanager
def document_budget(name: str, *, seconds: float, max_chunks: int) -> Iterator[None]:
    """Limit the work done for the file ``name`` (the user's file name, for the message) inside the block."""
    token = _CURRENT.set(_Budget(name, time.monotonic() + seconds, seconds, max_chunks))
    try:
        yield
    finally:
        _CURRENT.reset(token)


@contextmanager
def ensure_budget(name: str) -> Iterator[None]:
    """The caller's budget when one is open, else the default one for the file ``name``."""
    if _CURRENT.get() is not None:
        yield
        return
    with document_budget(name, seconds=DEFAULT_SECONDS, max_chunks=DEFAULT_MAX_CHUNKS):
        yield


def check() -> None:
    """Raise DocumentTooCostlyError when the current file has used up its parse time (cheap: call it often)."""
    budget = _CURRENT.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise DocumentTooCostlyError(
            f"Filen '{budget.name}' tager for lang tid at læse (over {budget.seconds:g} sekunder) og er afvist. "
            "Den er usædvanligt opbygget; gem den igen som PDF eller ren tekst, eller del den op."
        )


def max_chunks() -> int | None:
    """The largest number of chunks the current file may make (None outside an ingest)."""
    budget = _CURRENT.get()
    return budget.max_chunks if budget is not None else None


def _refuse_over_cap(count: int, what: str) -> None:
    """Raise DocumentTooCostlyError naming the file when ``count`` is over the current file's chunk cap;
    ``what`` says what there are too many of and why that costs (Danish)."""
    budget = _CURRENT.get()
    if budget is not None and count > budget.max_chunks:
        raise DocumentTooCostlyError(
            f"Filen '{budget.name}' {what.format(n=budget.max_chunks)}. Del filen op i mindre dokumenter, eller "
            "hæv grænsen med ALMEN_MAX_CHUNKS_PER_DOCUMENT."
        )


def check_chunks(count: int) -> None:
    """Raise DocumentTooCostlyError when ``count`` chunks is over the current file's cap."""
    _refuse_over_cap(count, "bliver til mere end {n} tekststykker og er afvist (det ville tage meget lang tid at "
                            "indeksere)")


def check_headings(count: int) -> None:
    """Raise DocumentTooCostlyError when a file has more headings than chunks allowed: every heading opens a
    section, and every section with text is at least one chunk (called by the loaders as they go, so a file of
    200,000 headings is refused after the first few thousand instead of after all of them)."""
    _refuse_over_cap(count, "har mere end {n} overskrifter og er afvist (hver overskrift indleder et afsnit, og så "
                            "mange afsnit ville tage meget lang tid at indeksere)")


def refuse(name: str, reason: str) -> DocumentTooCostlyError:
    """A refusal of ``name`` for a structural reason found before parsing (e.g. nesting too deep)."""
    return DocumentTooCostlyError(f"Filen '{name}' {reason}")
