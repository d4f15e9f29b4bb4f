"""Types of a search request and its result (used by the retriever, answering and the API).

``build_filters`` is the one way to turn what a user typed (CLI options, API fields, a question set's
filters) into ``SearchFilters``: kinds normalised, dates parsed, empty values dropped, Danish errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from knowledge.authority import in_force, is_superseded
from knowledge.errors import QueryError
from knowledge.legal import LegalRef
from knowledge.types import Chunk, Hit, normalise_kind


@dataclass
class SearchFilters:
    """Metadata filters; every field optional. on_date keeps chunks in force on that date."""

    kind: str | None = None
    org: str | None = None
    municipality: str | None = None
    year: int | None = None
    on_date: date | None = None
    source_id: str | None = None
    sources: frozenset[str] | None = None  # access: only these documents (the caller's scope), set by the API

    def is_empty(self) -> bool:
        return not any(v is not None for v in vars(self).values())

    def access_only(self) -> bool:
        """True when the only filter is the caller's access (no filter the user chose)."""
        return self.sources is not None and all(v is None for k, v in vars(self).items() if k != "sources")

    def describe(self) -> list[str]:
        return [f"{k}={v}" for k, v in vars(self).items() if v is not None and k != "sources"]


def parse_date(value: str) -> date:
    """ISO date (YYYY-MM-DD) or Danish d/m/yyyy; raises QueryError with a Danish message."""
    value = value.strip()
    try:
        if "/" in value or "." in value and value.count(".") == 2:
            sep = "/" if "/" in value else "."
            d, m, y = (int(p) for p in value.split(sep))
            return date(y, m, d)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise QueryError(f"Ugyldig dato '{value}'. Brug formatet ÅÅÅÅ-MM-DD, fx 2024-01-01.") from exc


def build_filters(*, kind: str | None = None, org: str | None = None, municipality: str | None = None,
                  year: int | str | None = None, on: str | date | None = None,
                  source_id: str | None = None) -> SearchFilters | None:
    """Validated filters from user input, or None when no filter is set (QueryError for a bad kind or date)."""
    on_date = on if isinstance(on, date) else (parse_date(str(on)) if on else None)
    filters = SearchFilters(
        kind=normalise_kind(kind) if kind else None, org=org or None, municipality=municipality or None,
        year=int(year) if year is not None and year != "" else None, on_date=on_date, source_id=source_id or None,
    )
    return None if filters.is_empty() else filters


def matches_filters(chunk: Chunk, filters: SearchFilters | None) -> list[str]:
    """Names of the filters the chunk satisfies, or raise LookupError if it fails one.

    A superseded statute version is found only by a search on a date (``on_date``) on which it was in
    force: without a date, the law is the current version's."""
    if (filters is None or filters.on_date is None) and is_superseded(chunk.metadata):
        raise LookupError
    if filters is None or filters.is_empty():
        return []
    m = chunk.metadata

    def contains(wanted: str, key: str) -> bool:
        return wanted.strip().lower() in str(m.get(key, "")).lower()

    tests: tuple[tuple[str, Any, Callable[[Any], bool]], ...] = (
        ("kind", filters.kind, lambda v: str(m.get("kind") or "").strip().lower() == str(v or "").strip().lower()),
        ("org", filters.org, lambda v: contains(v, "org")),
        ("municipality", filters.municipality, lambda v: contains(v, "municipality")),
        ("year", filters.year, lambda v: int(m.get("year") or 0) == v),
        ("source_id", filters.source_id, lambda v: chunk.source_id == v),
        ("on_date", filters.on_date, lambda v: in_force(m, v)),
    )
    if filters.sources is not None and chunk.source_id not in filters.sources:
        raise LookupError  # outside the caller's scope; not a filter the user chose, so never reported as matched
    ok: list[str] = []
    for name, wanted, test in tests:
        if wanted is None:
            continue
        if not test(wanted):
            raise LookupError
        ok.append(name)
    return ok


def chroma_where(filters: SearchFilters | None) -> dict[str, Any] | None:
    """The filters Chroma can apply itself (kind, year, source id, the caller's documents) as a ``where``
    clause, or None."""
    if filters is None:
        return None
    conds: list[dict[str, Any]] = []
    if filters.kind:
        conds.append({"kind": filters.kind})
    if filters.year is not None:
        conds.append({"year": filters.year})
    if filters.source_id:
        conds.append({"source_id": filters.source_id})
    if filters.sources is not None:
        conds.append({"source_id": {"$in": sorted(filters.sources)}})
    if not conds:
        return None
    return conds[0] if len(conds) == 1 else {"$and": conds}


@dataclass
class SearchResult:
    """Ranked hits plus what the retriever understood of the query."""

    query: str
    hits: list[Hit]
    query_refs: list[LegalRef] = field(default_factory=list)  # provisions named in the query (resolved act)
    expanded_terms: list[str] = field(default_factory=list)  # synonyms added from the glossary
    relevant: bool = True  # False: nothing relevant enough, the answering step should abstain
    reason: str = ""  # Danish, why not relevant
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    query_vector: list[float] = field(default_factory=list, repr=False)  # the query's embedding (empty: none)

    def explain(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "query_refs": [r.label for r in self.query_refs],
            "expanded_terms": self.expanded_terms,
            "relevant": self.relevant,
            "reason": self.reason,
            "timings_ms": {k: round(v * 1000, 2) for k, v in self.timings.items()},
            "hits": [h.explain() for h in self.hits],
        }


class Searcher(Protocol):
    """What answering needs from the knowledge base."""

    def search(
        self,
        query: str,
        *,
        filters: SearchFilters | None = None,
        k: int = 6,
        default_act: str | None = None,
    ) -> SearchResult: ...
