"""The assistant: one question in, one answer out, from the agreement register or from answering.

A question about the municipality's own agreements with the housing organisations ('Hvilke aftaler har
vi med X?', 'Er aftale 3 opfyldt?') is answered from the agreement register (service.agreements.chat);
every other question, and any question asked with search filters, by answering over the knowledge
base. The API and the CLI (and the in-process evaluation) ask here, so they route alike; answering
itself knows nothing of agreements and needs only a ``Searcher``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.questions import validate_question
from knowledge.search_types import SearchFilters
from service.agreements.chat import answer_from_register, mentions_agreements
from service.answering.answer import GeneratorName, answer_events, answer_question, check_generator, stream_answer
from service.answering.models import Answer

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


def _from_register(question: str, kb: KnowledgeBase, settings: Settings, filters: SearchFilters | None,
                   generator: GeneratorName) -> Answer | None:
    """The register's answer when the question is about our agreements (and unfiltered), else None."""
    if filters is not None and not filters.is_empty():
        return None
    if not mentions_agreements(question):
        return None
    return answer_from_register(question, kb, settings=settings, generator=generator)


def answer(question: str, *, kb: KnowledgeBase, settings: Settings, history: list[dict[str, Any]] | None = None,
           filters: SearchFilters | None = None, generator: GeneratorName = "extractive",
           chat_model: BaseChatModel | None = None) -> Answer:
    """Answer a question with checked citations (from the register or the knowledge base), or abstain."""
    check_generator(generator)
    routed = _from_register(validate_question(question, settings.max_question_chars), kb, settings, filters,
                            generator)
    if routed is not None:
        return routed
    return answer_question(question, searcher=kb, settings=settings, history=history, filters=filters,
                           generator=generator, chat_model=chat_model)


def stream(question: str, *, kb: KnowledgeBase, settings: Settings, history: list[dict[str, Any]] | None = None,
           filters: SearchFilters | None = None, generator: GeneratorName = "extractive") -> Iterator[dict[str, Any]]:
    """Events of the answer: text pieces, then the citations, then the finished Answer.

    A bad question or generator fails here, at the call, not in the middle of the stream."""
    text = validate_question(question, settings.max_question_chars)
    check_generator(generator)
    return _stream(question, text, kb=kb, settings=settings, history=history, filters=filters, generator=generator)


def _stream(question: str, text: str, *, kb: KnowledgeBase, settings: Settings,
            history: list[dict[str, Any]] | None, filters: SearchFilters | None,
            generator: GeneratorName) -> Iterator[dict[str, Any]]:
    routed = _from_register(text, kb, settings, filters, generator)
    if routed is not None:
        yield from answer_events(routed)
        return
    yield from stream_answer(question, searcher=kb, settings=settings, history=history, filters=filters,
                             generator=generator)
