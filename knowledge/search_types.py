"""Types of a search request and its result (used by the retriever, answering and the API)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from knowledge.legal import LegalRef
from knowledge.types import Hit


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
