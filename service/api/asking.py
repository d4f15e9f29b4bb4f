"""Shared steps of the answering routes: build filters, answer, audit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from knowledge import search_types
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.search_types import SearchFilters
from service import assistant
from service.answering.answer import GeneratorName
from service.answering.models import Answer
from service.api.citations import CitationLinker
from service.api.schemas import AnswerPublic, FiltersRequest, HistoryTurnRequest, VerdictPublic
from service.api.security import Principal
from service.audit import AuditLog


def build_filters(filters: FiltersRequest | None) -> SearchFilters | None:
    """Search filters from the request (a bad kind or date is a QueryError: 422)."""
    if filters is None:
        return None
    return search_types.build_filters(kind=filters.kind, org=filters.org, municipality=filters.municipality,
                                      year=filters.year, on=filters.on, source_id=filters.source_id)


def history_dicts(history: list[HistoryTurnRequest]) -> list[dict[str, str]]:
    """The conversation so far as role/content dicts."""
    return [{"role": t.role, "content": t.content} for t in history if t.content.strip()]


def answer_public(answer: Any, links: CitationLinker) -> AnswerPublic:
    """The public view of an answering ``Answer``: no raw hits, but the resolved question, the per-sentence
    verdicts of the citation check (so `almen eval --url` can measure follow-ups and unsupported sentences)
    and citations any client can follow (service.api.citations)."""
    return AnswerPublic(
        answer_id=answer.answer_id, question=answer.question, text=answer.text,
        citations=links.public(answer.citations, answer.text, getattr(answer, "hits", ())),
        grounded=answer.grounded, abstained=answer.abstained, reason=answer.reason,
        generator=answer.generator, notes=list(answer.notes),
        timings={k: round(float(v), 6) for k, v in answer.timings.items()},
        resolved_question=str(getattr(answer, "resolved_question", "") or ""),
        verdicts=[VerdictPublic(**v.to_dict()) for v in getattr(answer, "verdicts", [])],
    )


def answer(kb: KnowledgeBase, settings: Settings, question: str, *, history: list[dict[str, str]] | None = None,
           filters: SearchFilters | None = None, generator: GeneratorName = "extractive") -> Answer:
    """Answer a question (the assistant routes it to the agreement register or to answering)."""
    return assistant.answer(question, kb=kb, settings=settings, history=history or None, filters=filters,
                            generator=generator)


def stream(kb: KnowledgeBase, settings: Settings, question: str, *, history: list[dict[str, str]] | None = None,
           filters: SearchFilters | None = None, generator: GeneratorName = "extractive") -> Iterator[dict[str, Any]]:
    """Stream an answer: text pieces, then citations, then done (with the final ``Answer``)."""
    yield from assistant.stream(question, kb=kb, settings=settings, history=history or None, filters=filters,
                                generator=generator)


def audit_answer(audit: AuditLog, who: Principal, endpoint: str, question: str, answer: Any, started: float) -> None:
    """Write the audit row of an answered question."""
    audit.record(
        key_id=who.key_id, endpoint=endpoint, question=question,
        source_ids=[c.source_id for c in answer.citations], answer_id=answer.answer_id,
        latency_ms=(time.perf_counter() - started) * 1000,
    )
