"""Extractive answers over hand-made chunks: right source, key sentence, no redundancy, abstentions."""

from __future__ import annotations

import json
import re

import pytest

from knowledge.config import Settings
from knowledge.search_types import SearchFilters
from service.answering import ABSTAIN_TEXT, Answer, InvalidQuestionError, answer_question, stream_answer
from service.answering.checker import strip_markers
from service.answering.errors import GeneratorError
from service.answering.extractive import compose_extractive_answer
from service.answering.signals import is_unconfirmed
from tests.service.answering_fakes import CHUNKS, FakeSearcher

HJEMSTED_Q = "Hvilken kommune fører tilsyn med en boligorganisation, der har afdelinger i flere kommuner?"


@pytest.fixture
def searcher() -> FakeSearcher:
    return FakeSearcher(CHUNKS)


@pytest.fixture
def settings(tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(home=tmp_path / "home", llm_base_url="", retrieval_k=6)


def ask(question: str, searcher: FakeSearcher, settings: Settings, **kwargs) -> Answer:  # type: ignore[no-untyped-def]
    return answer_question(question, searcher=searcher, settings=settings, **kwargs)


def sentences_of(text: str) -> list[str]:
    """Answer sentences without markers, bullets and structure lines."""
    out = []
    for line in text.splitlines():
        line = line.strip().removeprefix("- ").strip()
        if not line or line.endswith(":"):
            continue
        out.extend(strip_markers(p) for p in re.split(r"(?<=\])\s+(?=[A-ZÆØÅ§])", line))
    return out


def test_answer_cites_the_right_chunk_and_contains_the_key_sentence(searcher: FakeSearcher, settings: Settings) -> None:
    answer = ask(HJEMSTED_Q, searcher, settings)
    assert answer.grounded and not answer.abstained
    assert answer.generator == "extractive"
    first_line = answer.text.splitlines()[0]
    assert first_line.startswith("Tilsynet føres som udgangspunkt af den kommune, hvor boligorganisationen har hjemsted. [1]")
    assert answer.citations[0].chunk_id == "tilsyn#hjemsted"
    assert answer.citations[0].quote.startswith("Tilsynet føres som udgangspunkt")
    assert answer.citations[0].label == "Tilsyn og styringsdialog, afsnit 'Hvilken kommune fører tilsynet?', s. 2-3"
    assert all(c.verified for c in answer.citations)
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def test_quotes_are_verbatim_and_every_sentence_has_a_marker(searcher: FakeSearcher, settings: Settings) -> None:
    answer = ask(HJEMSTED_Q, searcher, settings)
    texts = [" ".join(c.text.split()) for c in CHUNKS]
    for sentence in sentences_of(answer.text):
        assert any(sentence in t for t in texts), sentence
    for line in answer.text.splitlines():
        if line.strip() and not line.strip().endswith(":"):
            assert re.search(r"\[\d+\]", line), line


def test_redundant_sentences_are_dropped(searcher: FakeSearcher, settings: Settings) -> None:
    answer = ask(HJEMSTED_Q, searcher, settings)
    assert "har sit hjemsted" not in answer.text  # the near-duplicate from the notat
    assert answer.text.count("Tilsynet føres som udgangspunkt") == 1
    assert "tilsyn#gentagelse" not in {c.chunk_id for c in answer.citations}


def test_answer_is_deterministic(searcher: FakeSearcher, settings: Settings) -> None:
    first = ask(HJEMSTED_Q, searcher, settings)
    second = ask(HJEMSTED_Q, FakeSearcher(list(CHUNKS)), settings)
    assert first.text == second.text
    assert [c.to_dict() for c in first.citations] == [c.to_dict() for c in second.citations]
    assert first.answer_id != second.answer_id


def test_anaphoric_answer_brings_its_context_and_reads_in_order(searcher: FakeSearcher, settings: Settings) -> None:
    answer = ask(HJEMSTED_Q, searcher, settings)
    lead = answer.text.split("\n")[0]
    assert lead.index("Tilsynet føres") < lead.index("Hjemstedet fremgår") < lead.index("Det gælder også")


def test_question_naming_a_provision_is_answered_from_it(searcher: FakeSearcher, settings: Settings) -> None:
    answer = ask("Hvad siger § 59, stk. 2?", searcher, settings)
    assert not answer.abstained
    assert answer.citations[0].chunk_id == "almenboligloven:§59:stk2"
    assert "genhusning" in answer.text


def test_unconfirmed_information_leads_to_abstention_citing_the_sentence(searcher: FakeSearcher, settings: Settings) -> None:
    question = "Hvad er den præcise frist i driftsbekendtgørelsen for indsendelse af styringsrapporten?"
    answer = ask(question, searcher, settings)
    assert answer.abstained and not answer.grounded
    assert answer.text.startswith(ABSTAIN_TEXT)
    assert "ikke er bekræftet" in answer.reason
    assert answer.citations[0].chunk_id == "dokumentation#frist" and answer.citations[0].verified
    assert "kunne ikke bekræftes" in answer.citations[0].quote
    assert "Nærmeste kilder" not in answer.text and answer.text.count(answer.reason) == 1  # listed once, by clients
    assert len(answer.citations) > 1 and not answer.citations[1].verified  # the nearest sources, as citations


@pytest.mark.parametrize(
    "sentence",
    [
        "Den præcise frist kunne ikke bekræftes i kilderne.",
        "Der er ikke fundet nogen aftale om et mål efter 2026.",
        "Resten af stykket kunne ikke læses.",
        "Den aktuelle ordlyd er ikke verificeret.",
    ],
)
def test_unconfirmed_sentences_are_recognised(sentence: str) -> None:
    assert is_unconfirmed(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Borgmesteren kan ikke vælges til bestyrelsen.",
        "Tab i én afdeling belaster ikke andre afdelinger.",
        "Kommunen fører tilsyn med boligorganisationerne.",
    ],
)
def test_ordinary_negations_are_not_unconfirmed(sentence: str) -> None:
    assert not is_unconfirmed(sentence)


def test_a_hedged_detail_after_a_semicolon_leaves_the_statement_standing() -> None:
    stated = "Tilskuddet gives til afdelinger med lav husleje; den præcise grænse er ikke bekræftet i kilderne."
    assert not is_unconfirmed(stated)
    assert is_unconfirmed("Grænsen er ikke bekræftet; satsen er heller ikke fundet i kilderne.")


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        ("Hvordan bliver vejret i morgen?", "vejret"),
        ("Hvilke regler gælder, når en privat udlejer vil opsige en lejer i en privat udlejningsejendom?", "privat udlejning"),
        ("Hvilke regler gælder for andelsboligforeningers vedligeholdelsesplaner?", "andelsboliger"),
        ("Hvem vandt fodboldkampen i går?", "noget andet"),
    ],
)
def test_out_of_scope_questions_are_declined(question: str, fragment: str, searcher: FakeSearcher, settings: Settings) -> None:
    answer = ask(question, searcher, settings)
    assert answer.abstained and not answer.grounded
    assert answer.text.startswith(ABSTAIN_TEXT)
    assert fragment in answer.reason
    assert "[" not in answer.text  # no claims, and no source list in the text (clients list the citations)


def test_in_scope_question_mentioning_a_neighbour_field_is_answered(searcher: FakeSearcher, settings: Settings) -> None:
    answer = ask("Fører kommunen tilsyn med almene boligorganisationer, også dem der ligner andelsboliger?", searcher, settings)
    assert not answer.abstained


def test_searcher_saying_not_relevant_leads_to_abstention_with_nearest_sources(settings: Settings) -> None:
    strict = FakeSearcher(CHUNKS, min_relevance=1.01)
    answer = ask(HJEMSTED_Q, strict, settings)
    assert answer.abstained
    assert answer.reason == "Ingen kilder i vidensbasen ligner spørgsmålet nok."
    assert 1 <= len(answer.citations) <= 3
    assert not any(c.verified for c in answer.citations)
    assert answer.citations[0].label not in answer.text  # listed by the clients from the citations, once


def test_min_relevance_setting_is_an_extra_gate(searcher: FakeSearcher, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(home=tmp_path, llm_base_url="", min_relevance=0.99)
    answer = ask("Hvordan modtager kommunen dokumentationspakken?", searcher, settings)
    assert answer.abstained and "relevansgrænse" not in answer.reason and "grænse 0.99" in answer.reason


def test_answer_about_another_period_is_declined(searcher: FakeSearcher, settings: Settings) -> None:
    answer = ask("Hvornår trådte styringsreformen i kraft efter 2015?", searcher, settings)
    assert answer.abstained
    assert "perioden efter 2015" in answer.reason
    plain = ask("Hvornår trådte styringsreformen i kraft?", searcher, settings)
    assert not plain.abstained and "1. januar 2010" in plain.text


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_question_is_a_danish_value_error(question: str, searcher: FakeSearcher, settings: Settings) -> None:
    with pytest.raises(InvalidQuestionError, match="Spørgsmålet er tomt") as info:
        ask(question, searcher, settings)
    assert isinstance(info.value, ValueError)
    with pytest.raises(ValueError):
        stream_answer(question, searcher=searcher, settings=settings)


def test_too_long_question_and_unknown_generator(searcher: FakeSearcher, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(home=tmp_path, max_question_chars=20)
    with pytest.raises(InvalidQuestionError, match="for langt"):
        ask("Hvem fører tilsyn med de almene boligorganisationer?", searcher, settings)
    with pytest.raises(GeneratorError, match="Ukendt svargenerator"):
        ask("Hvem fører tilsyn?", searcher, settings, generator="gpt")  # type: ignore[arg-type]


def test_filters_and_k_are_passed_to_the_searcher(searcher: FakeSearcher, settings: Settings) -> None:
    answer = ask("Hvem fører tilsyn med boligorganisationerne?", searcher, settings, filters=SearchFilters(kind="lov"))
    call = searcher.calls[-1]
    assert call["k"] == 6 and call["filters"] == SearchFilters(kind="lov")
    assert {h.chunk.metadata["kind"] for h in answer.hits} == {"lov"}


def test_timings_and_json_shape(searcher: FakeSearcher, settings: Settings) -> None:
    answer = ask(HJEMSTED_Q, searcher, settings)
    assert {"retrieve", "generate", "check", "total"} <= set(answer.timings)
    assert answer.timings["total"] >= answer.timings["retrieve"] + answer.timings["generate"]
    data = json.loads(json.dumps(answer.to_dict(), ensure_ascii=False))
    assert data["grounded"] is True and data["abstained"] is False
    assert data["citations"][0]["chunk_id"] == "tilsyn#hjemsted"
    assert data["hits"][0]["chunk_id"] == answer.hits[0].chunk.id and data["hits"][0]["text"]
    assert all(v["supported"] for v in data["verdicts"] if v["kind"] == "claim")


def test_stream_yields_text_pieces_then_citations_then_done(searcher: FakeSearcher, settings: Settings) -> None:
    events = list(stream_answer(HJEMSTED_Q, searcher=searcher, settings=settings))
    kinds = [e["type"] for e in events]
    assert kinds[-2:] == ["citations", "done"] and set(kinds[:-2]) == {"text"}
    answer = events[-1]["answer"]
    assert "".join(e["text"] for e in events if e["type"] == "text") == answer.text
    assert events[-2]["citations"] == [c.to_dict() for c in answer.citations]
    assert answer.text == ask(HJEMSTED_Q, searcher, settings).text


def test_compose_reports_weak_evidence() -> None:
    hits = FakeSearcher(CHUNKS).search("Styringsreformen trådte i kraft").hits
    draft = compose_extractive_answer("Hvad koster en cykel i Tyskland?", hits)
    assert draft.text == "" and "svarer tydeligt" in draft.abstain_reason
