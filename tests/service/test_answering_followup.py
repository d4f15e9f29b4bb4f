"""Follow-up questions resolved against the conversation: by rules without an LLM, by condensing with one."""

from __future__ import annotations

import pytest
from langchain_core.messages import BaseMessage

from knowledge.config import Settings
from service.answering import answer_question
from service.answering.followup import (
    clean_condensed,
    format_history,
    key_terms,
    looks_like_followup,
    resolve_with_rules,
)
from tests.service.answering_fakes import CHUNKS, FakeSearcher, ScriptedChatModel, is_condense, source_number

P59_Q = "Hvad siger almenboligloven § 59, stk. 1 om boligsocial anvisning?"
HISTORY = [
    {"role": "user", "content": P59_Q},
    {"role": "assistant", "content": "Kommunalbestyrelsen kan kræve, at indtil hver fjerde ledige almene familiebolig ... [1]"},
]


@pytest.fixture
def settings(tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(home=tmp_path / "home", llm_base_url="")


@pytest.fixture
def searcher() -> FakeSearcher:
    return FakeSearcher(CHUNKS)


def test_bare_stk_follow_up_carries_the_previous_paragraph_without_llm(searcher: FakeSearcher, settings: Settings) -> None:
    answer = answer_question("og hvad med stk. 2?", searcher=searcher, settings=settings, history=HISTORY)
    call = searcher.calls[-1]
    assert "almenboligloven § 59, stk. 2" in str(call["query"])
    assert call["default_act"] == "almenboligloven"
    assert answer.resolved_question == call["query"]
    assert not answer.abstained
    assert answer.citations[0].chunk_id == "almenboligloven:§59:stk2"
    assert "genhusning" in answer.text


def test_anaphoric_follow_up_carries_reference_and_key_terms(searcher: FakeSearcher, settings: Settings) -> None:
    history = [{"question": "Hvad skal kommunalbestyrelsen gøre med redegørelsen for styringsdialogen?", "answer": "..."}]
    answer = answer_question("hvem skal gøre det?", searcher=searcher, settings=settings, history=history)
    query = str(searcher.calls[-1]["query"])
    assert query.startswith("hvem skal gøre det")
    assert "redegørelsen" in query and "styringsdialogen" in query
    assert answer.citations and answer.citations[0].chunk_id == "almenboligloven:§164:stk2"


def test_self_contained_question_is_not_rewritten(searcher: FakeSearcher, settings: Settings) -> None:
    question = "Hvornår trådte styringsreformen i kraft?"
    answer = answer_question(question, searcher=searcher, settings=settings, history=HISTORY)
    assert searcher.calls[-1]["query"] == question and answer.resolved_question == question


def test_chains_of_follow_ups_are_resolved_in_order() -> None:
    history = [{"role": "user", "content": P59_Q}, {"role": "user", "content": "og hvad med stk. 2?"}]
    resolved = resolve_with_rules("og nr. 3?", history)
    assert [r.label for r in resolved.refs] == ["almenboligloven § 59, stk. 2, nr. 3"]
    assert resolved.method == "rules" and resolved.default_act == "almenboligloven"


def test_bare_paragraph_keeps_the_conversation_act() -> None:
    history = [{"role": "user", "content": "Hvad siger driftsbekendtgørelsen § 90 om revision?"}]
    resolved = resolve_with_rules("Hvad med § 91?", history)
    assert resolved.default_act == "driftsbekendtgoerelsen"
    assert resolved.query == "Hvad med § 91?"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("og hvad med stk. 2?", True),
        ("hvem skal gøre det?", True),
        ("Hvad med § 60?", True),
        ("Gælder det også ældreboliger?", True),
        ("Hvornår trådte styringsreformen i kraft?", False),
        ("Hvad siger almenboligloven § 164, stk. 2 om dialogmøder?", False),
    ],
)
def test_looks_like_followup(question: str, expected: bool) -> None:
    assert looks_like_followup(question) is expected


def test_key_terms_and_history_format() -> None:
    assert key_terms(P59_Q) == ["almenboligloven", "boligsocial", "anvisning"]
    text = format_history(HISTORY + [{"question": "q2", "answer": "a2"}], max_chars=20)
    assert text.splitlines() == [
        "Bruger: " + P59_Q[:20] + "…",
        "Assistent: " + str(HISTORY[1]["content"])[:20] + "…",
        "Bruger: q2",
        "Assistent: a2",
    ]


def test_llm_condenses_the_follow_up_before_searching(searcher: FakeSearcher, settings: Settings) -> None:
    standalone = "Hvad siger almenboligloven § 59, stk. 2 om genhusning?"

    def model_reply(messages: list[BaseMessage]) -> str:
        if is_condense(messages):
            return f"Selvstændigt spørgsmål: {standalone}\n"
        n = source_number(messages, "genhusning af lejere")
        return f"Kommunalbestyrelsen kan endvidere kræve boliger stillet til rådighed til genhusning [{n}]."

    model = ScriptedChatModel(respond=model_reply)
    answer = answer_question("og hvad med stk. 2?", searcher=searcher, settings=settings, history=HISTORY,
                             generator="llm", chat_model=model)
    condense_prompt = "\n".join(str(m.content) for m in model.calls[0])
    assert "Bruger: " + P59_Q in condense_prompt and "og hvad med stk. 2?" in condense_prompt
    assert searcher.calls[-1]["query"] == standalone
    assert searcher.calls[-1]["default_act"] == "almenboligloven"
    assert standalone in str(model.calls[1][1].content)  # the answer prompt asks the standalone question
    assert answer.resolved_question == standalone and answer.grounded
    assert answer.citations[0].chunk_id == "almenboligloven:§59:stk2"
    assert "condense" in answer.timings


def test_unusable_condense_reply_falls_back_to_the_rules(searcher: FakeSearcher, settings: Settings) -> None:
    def model_reply(messages: list[BaseMessage]) -> str:
        if is_condense(messages):
            return "   "
        n = source_number(messages, "genhusning af lejere")
        return f"Kommunalbestyrelsen kan endvidere kræve boliger stillet til rådighed til genhusning [{n}]."

    answer = answer_question("og hvad med stk. 2?", searcher=searcher, settings=settings, history=HISTORY,
                             generator="llm", chat_model=ScriptedChatModel(respond=model_reply))
    assert "almenboligloven § 59, stk. 2" in answer.resolved_question
    assert answer.grounded


def test_clean_condensed() -> None:
    assert clean_condensed('"Hvem fører tilsyn?"\nForklaring: ...') == "Hvem fører tilsyn?"
    assert clean_condensed("Spørgsmål: Hvad er en styringsrapport?") == "Hvad er en styringsrapport?"
    assert clean_condensed("") is None and clean_condensed("?") is None and clean_condensed("x" * 600) is None
