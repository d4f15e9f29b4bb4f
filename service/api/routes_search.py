"""GET /api/search: hybrid search with an explanation of every hit."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from knowledge.questions import validate_question
from knowledge.search_types import build_filters
from service.api.deps import AuditDep, KBDep, ReaderDep, SettingsDep
from service.api.schemas import QUESTION_HARD_LIMIT, HitPublic, SearchPublic, problem_responses

router = APIRouter(prefix="/api", tags=["søgning"])


@router.get("/search", response_model=SearchPublic, responses=problem_responses(401, 403, 422, 429, 503))
async def search(
    kb: KBDep, settings: SettingsDep, audit: AuditDep, who: ReaderDep,
    q: Annotated[str, Query(min_length=1, max_length=QUESTION_HARD_LIMIT, description="Søgetekst.")],
    k: Annotated[int, Query(ge=1, le=50, description="Antal resultater.")] = 6,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    org: Annotated[str | None, Query(max_length=200)] = None,
    municipality: Annotated[str | None, Query(max_length=200)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    on: Annotated[str | None, Query(max_length=20, description="ÅÅÅÅ-MM-DD")] = None,
    source_id: Annotated[str | None, Query(max_length=200)] = None,
) -> SearchPublic:
    """Søg i vidensbasen (semantisk + nøgleord + lovhenvisninger) og se hvorfor hvert resultat blev fundet."""
    started = time.perf_counter()
    query = validate_question(q, settings.max_question_chars)
    filters = build_filters(kind=kind, org=org, municipality=municipality, year=year, on=on, source_id=source_id)
    result = await run_in_threadpool(kb.search, query, filters=filters, k=k)
    data = result.explain()
    hits = [
        HitPublic(**{**e, "source_id": h.chunk.source_id, "title": h.chunk.title,
                     "kind": str(h.chunk.metadata.get("kind") or ""), "text": h.chunk.text})
        for h, e in zip(result.hits, data["hits"])
    ]
    await run_in_threadpool(
        audit.record, key_id=who.key_id, endpoint="/api/search", question=query,
        source_ids=[h.source_id for h in hits], latency_ms=(time.perf_counter() - started) * 1000,
    )
    return SearchPublic(query=data["query"], query_refs=data["query_refs"], expanded_terms=data["expanded_terms"],
                        relevant=data["relevant"], reason=data["reason"], timings_ms=data["timings_ms"], hits=hits)
