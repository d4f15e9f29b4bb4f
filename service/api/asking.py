"""Shared steps of the answering routes: validate the question, build filters, answer, audit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.retriever import parse_date
from knowledge.search_types import SearchFilters
from knowledge.types import normalise_kind
from service.api.errors import ApiProblem
from service.api.schemas import AnswerPublic, CitationPublic, FiltersRequest, HistoryTurnRequest, VerdictPublic
from service.api.security import Principal
from service.audit import AuditLog


def check_question(question: str, settings: Settings) -> str:
    """The stripped question; 422 when it is blank or longer than ALMEN_MAX_QUESTION_CHARS."""
    text = question.strip()
    if not text:
        raise ApiProblem(422, "Spørgsmålet er tomt. Skriv et spørgsmål.")
    if len(text) > settings.max_question_chars:
        raise ApiProblem(422, f"Spørgsmålet er for langt ({len(text)} tegn). Grænsen er {settings.max_question_chars} tegn; "
                              "forkort det, eller del det op.")
    return text


def build_filters(filters: FiltersRequest | None) -> SearchFilters | None:
    """Search filters from the request; 422 for an unknown kind or a bad date."""
    if filters is None:
        return None
    try:
        kind = normalise_kind(filters.kind) if filters.kind else None
    except ValueError as exc:
        raise ApiProblem(422, str(exc)) from None
    result = SearchFilters(
        kind=kind, org=filters.org or None, municipality=filters.municipality or None, year=filters.year,
        on_date=parse_date(filters.on) if filters.on else None, source_id=filters.source_id or None,
    )
    return None if result.is_empty() else result


def history_dicts(history: list[HistoryTurnRequest]) -> list[dict[str, str]]:
    """The conversation so far as role/content dicts."""
    return [{"role": t.role, "content": t.content} for t in history if t.content.strip()]


def answer_public(answer: Any) -> AnswerPublic:
    """The public view of an answering ``Answer``: no raw hits, but the resolved question and the per-sentence
    verdicts of the citation check (so `almen eval --url` can measure follow-ups and unsupported sentences)."""
    return AnswerPublic(
        answer_id=answer.answer_id, question=answer.question, text=answer.text,
        citations=[CitationPublic(**c.to_dict()) for c in answer.citations],
        grounded=answer.grounded, abstained=answer.abstained, reason=answer.reason,
        generator=answer.generator, notes=list(answer.notes),
        timings={k: round(float(v), 6) for k, v in answer.timings.items()},
        resolved_question=str(getattr(answer, "resolved_question", "") or ""),
        verdicts=[VerdictPublic(**v.to_dict()) for v in getattr(answer, "verdicts", [])],
    )


def answer(kb: KnowledgeBase, settings: Settings, question: str, *, history: list[dict[str, str]] | None = None,
           filters: SearchFilters | None = None, generator: str = "extractive") -> Any:
    """Answer a question with the knowledge base (the answering package does the work)."""
    from service.answering.answer import answer_question

    return answer_question(question, searcher=kb, settings=settings, history=history or None,
                           filters=filters, generator=generator)


def stream(kb: KnowledgeBase, settings: Settings, question: str, *, history: list[dict[str, str]] | None = None,
           filters: SearchFilters | None = None, generator: str = "extractive") -> Iterator[dict[str, Any]]:
    """Stream an answer: text pieces, then citations, then done (with the final ``Answer``)."""
    from service.answering.answer import stream_answer

    yield from stream_answer(question, searcher=kb, settings=settings, history=history or None,
                             filters=filters, generator=generator)


def audit_answer(audit: AuditLog, who: Principal, endpoint: str, question: str, answer: Any, started: float) -> None:
    """Write the audit row of an answered question."""
    audit.record(
        key_id=who.key_id, endpoint=endpoint, question=question,
        source_ids=[c.source_id for c in answer.citations], answer_id=answer.answer_id,
        latency_ms=(time.perf_counter() - started) * 1000,
    )
