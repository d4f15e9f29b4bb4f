"""Declining what almen cannot serve, without declining what it can: task requests by their structure,
questions from other fields, questions sharing no word with the domain, and questions about a named
organisation or person that no source mentions, and a question for a minimum or maximum that the sources
answer only with an average.

The wordings are our own, written for these tests (not from the eval question sets)."""

from __future__ import annotations

import pytest

from knowledge.config import Settings
from knowledge.search_types import SearchResult
from knowledge.types import Chunk, Hit
from service.answering import answer_question
from service.answering.answer import TASK_TEXT
from service.answering.extractive import NO_BOUND_REASON, compose_extractive_answer
from service.answering.question import analyse_question, is_task_request
from service.answering.scope import asks_what_the_rules_say, assess_scope, foreign_domains, unknown_names
from service.answering.signals import asks_bound, states_bound
from tests.service.answering_fakes import CHUNKS, FakeSearcher, guide_chunk


@pytest.mark.parametrize(
    "question",
    [
        "Kunne du være venlig at tilføje mødet med boligforeningen i min kalender?",
        "gider du lige arkivere tilsynsnotatet",
        "vær sød at viderestille borgeren til boligkontoret",
        "Vaer soed at afslutte sagen om husordenen i systemet",
        "Hjælp mig med at færdiggøre høringssvaret til ministeriet",
        "jeg vil gerne have dig til at rense listen over boligsøgende",
        "Jeg beder dig om at scanne bilagene ind",
        "Jeg har brug for en skabelon til afgørelser om anvisning",
        "jeg skal have et brev til lejeren om huslejestigningen",
        "giv mig en powerpoint om styringsdialogen til byrådet",
        "resumér min sag om fraflytning",
        "Oversæt vejledningen til tysk",
        "det her notat skal korrekturlæses - kan du tage dig af det?",
    ],
)
def test_request_frames_with_a_doing_verb_are_tasks(question: str) -> None:
    assert is_task_request(question), question
    assert analyse_question(question).kind == "task"


@pytest.mark.parametrize(
    "question",
    [
        "Kunne du være venlig at forklare, hvad anvisningsret betyder?",
        "kan du fortælle hvem der godkender en helhedsplan",
        "vær sød at beskrive hvordan tilsynet er delt mellem kommunerne",
        "Hjælp mig med at forstå reglerne om fleksibel udlejning",
        "jeg skal bruge en forklaring på forskellen mellem tilsyn og styringsdialog",
        "jeg mangler et overblik over fristerne i styringsdialogen",
        "Kan du give et eksempel på en målsætning i en styringsaftale?",
        "hvad vil du anbefale kommunen at spørge om på dialogmødet",
        "Opsummér reglerne om kombineret udlejning",
        "Kan kommunen kræve boliger til genhusning?",
        "hvad kan i henhold til § 59 kræves stillet til rådighed",
    ],
)
def test_requests_to_explain_and_plain_questions_are_not_tasks(question: str) -> None:
    assert not is_task_request(question), question
    assert analyse_question(question).kind != "task"


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("hvornår bliver lønnen udbetalt i december", "personaleforhold"),
        ("Hvor mange dage må man afspadsere om året?", "personaleforhold"),
        ("har vi ret til frokostordning på kontoret", "personaleforhold"),
        ("min printer vil ikke forbinde - hvad gør jeg", "it og kontorudstyr"),
        ("Hvordan skifter jeg adgangskode til intranettet?", "it og kontorudstyr"),
        ("Hvad er bundskatten i år?", "skat"),
        ("hvordan beregnes kirkeskatten", "skat"),
    ],
)
def test_questions_from_other_fields_are_out_of_scope(question: str, field: str) -> None:
    verdict = assess_scope(question)
    assert not verdict.in_scope and field in verdict.foreign
    assert analyse_question(question).kind == "out_of_scope"


@pytest.mark.parametrize(
    "question",
    [
        "Må en almen boligorganisation give sine ansatte frokost?",  # anchored in the almene sector
        "Hvad siger driftsbekendtgørelsen om afdelingens regnskab?",
    ],
)
def test_anchored_questions_stay_in_scope(question: str) -> None:
    assert assess_scope(question).in_scope, question


def test_a_domain_word_built_on_skat_names_no_foreign_field() -> None:
    assert foreign_domains("hvilke krav gælder for skattepligtige beboere i et udsat boligområde") == []


def _result(question: str, text: str, relevance: float) -> SearchResult:
    chunk = Chunk(id="c1", source_id="c1", text=text, metadata={"title": "Vejledning", "heading": "Afsnit"})
    return SearchResult(query=question, hits=[Hit(chunk=chunk, score=1.0, relevance=relevance)])


def test_a_question_sharing_no_word_with_domain_or_hits_is_out_of_scope_however_relevant_the_hit() -> None:
    question = "Hvornår åbner svømmehallen i 2026?"
    result = _result(question, "I 2026 skal boligorganisationen indsende styringsrapporten.", relevance=0.9)
    verdict = assess_scope(question, result)
    assert not verdict.in_scope and verdict.vocabulary_coverage == 0.0


def test_a_typo_of_a_retrieved_word_keeps_the_question_in_scope() -> None:
    question = "styringsraporten?"
    result = _result(question, "Boligorganisationen indsender styringsrapporten hvert år.", relevance=0.9)
    assert assess_scope(question, result).in_scope


def test_a_compound_of_a_retrieved_word_keeps_the_question_in_scope() -> None:
    question = "Hvornår skal styringsrapporterne indsendes i 2026?"
    result = _result(question, "I 2026 skal boligorganisationen indsende styringsrapporten.", relevance=0.9)
    assert assess_scope(question, result).in_scope


@pytest.mark.parametrize(
    ("question", "texts", "expected"),
    [
        ("Hvad fik Boligselskabet Havblik i driftsstøtte?", ["Boligselskabet Engtoft fik tilskud."], ["Havblik"]),
        ("Hvad fik Boligselskabet Engtoft i driftsstøtte?", ["Boligselskabet Engtoft fik tilskud."], []),
        ("hvad fik boligselskabet havblik i driftsstoette", ["Boligselskabet Engtoft fik tilskud."], ["havblik"]),
        ("Hvornår flyttede Maja Østergaard ind?", ["Lejeren flyttede ind."], ["Maja", "Østergaard"]),
        ("Hvad skrev Engtofts direktør?", ["Engtoft skrev til kommunen."], []),  # possessive 's'
        ("Hvad siger Landsbyggefonden og BL om tomgang?", ["Tomgang er et nøgletal."], []),  # domain word, acronym
        ("Tilsynet. Hvem fører det?", ["Kommunen fører tilsyn."], []),  # sentence starts are no names
        ("Hvad skal ske inden 1. Marts i Danmark?", ["Rapporten sendes ind."], []),  # months and the country
        ("Hvad skrev Boligselskabet Havblik?", [], []),  # no sources: nothing to judge by
        ("Hvem fører tilsyn i Vejby Kommune?", ["Kommunen fører tilsyn."], []),  # a municipality's name
        ("Hvad er Rødby kommunes frist?", ["Fristen fastsættes af kommunen."], []),
        ("Hvad skrev Nordlund, og hvad siger kommunen?", ["Kommunen fører tilsyn."], ["Nordlund"]),
    ],
)
def test_unknown_names_are_the_names_no_source_mentions(question: str, texts: list[str], expected: list[str]) -> None:
    assert unknown_names(question, texts) == expected


def _answer(question: str, tmp_path, chunks: list[Chunk]):  # type: ignore[no-untyped-def]
    return answer_question(question, searcher=FakeSearcher(chunks),
                           settings=Settings(home=tmp_path / "home", llm_base_url=""))


def test_a_question_about_an_organisation_no_source_mentions_is_declined_and_names_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    answer = _answer("Hvornår holdt kommunen dialogmøde med Boligforeningen Skovbrynet?", tmp_path, CHUNKS)
    assert answer.abstained and not answer.grounded
    assert "Skovbrynet" in answer.text


@pytest.mark.parametrize(("question", "normative"), [
    ("Må Boligforeningen Skovbrynet lave fleksibel udlejning?", True),
    ("Hvad skal Boligselskabet Havblik sende til kommunen?", True),
    ("Kan kommunen kræve en handlingsplan af Bakkely?", True),
    ("Har Boligforeningen Skovbrynet pligt til at evaluere aftalen?", True),
    ("Hvor mange ledige boliger har Boligforeningen Skovbrynet?", False),
    ("Hvornår holdt kommunen dialogmøde med Boligforeningen Skovbrynet?", False),
    ("Hvad fik Havblik i driftsstøtte sidste år?", False),
])
def test_asks_what_the_rules_say(question: str, normative: bool) -> None:
    assert asks_what_the_rules_say(question) is normative


def test_a_rule_question_naming_an_unknown_organisation_is_answered_with_the_rule(tmp_path) -> None:  # type: ignore[no-untyped-def]
    answer = _answer("Hvornår skal Boligforeningen Skovbrynet holde dialogmøde med kommunen?", tmp_path, CHUNKS)
    assert not answer.abstained, answer.reason
    own_facts = _answer("Hvornår holdt Boligforeningen Skovbrynet dialogmøde med kommunen?", tmp_path, CHUNKS)
    assert own_facts.abstained and "Skovbrynet" in own_facts.text


def test_the_same_question_about_an_organisation_a_source_mentions_is_answered(tmp_path) -> None:  # type: ignore[no-untyped-def]
    chunks = [*CHUNKS, guide_chunk(
        "referat#skovbrynet", "Referat af dialogmøde", "Referat > Dialogmøde",
        "Kommunen holdt dialogmøde med Boligforeningen Skovbrynet den 3. marts 2025 om udlejningen.", kind="referat",
    )]
    answer = _answer("Hvornår holdt kommunen dialogmøde med Boligforeningen Skovbrynet?", tmp_path, chunks)
    assert not answer.abstained and "3. marts 2025" in answer.text


def test_a_polite_request_to_do_something_gets_the_friendly_no(tmp_path) -> None:  # type: ignore[no-untyped-def]
    answer = _answer("Kunne du være sød at arkivere referatet fra dialogmødet?", tmp_path, CHUNKS)
    assert answer.abstained and answer.text == TASK_TEXT


def test_a_polite_request_to_explain_is_answered(tmp_path) -> None:  # type: ignore[no-untyped-def]
    answer = _answer("Kunne du være sød at forklare, hvem der fører tilsyn med de almene boligorganisationer?",
                     tmp_path, CHUNKS)
    assert not answer.abstained and "Kommunalbestyrelsen fører tilsyn" in answer.text


def _hits(*chunks: Chunk) -> list[Hit]:
    return [Hit(chunk=c, score=1.0 - i * 0.05, relevance=0.8 - i * 0.05) for i, c in enumerate(chunks)]


_AVERAGE = guide_chunk("bidrag#snit", "Bidrag", "Bidrag > Tal",
                       "I 2023 betalte afdelingerne i gennemsnit 1.200 kr. i bidrag pr. bolig til fællesfonden.")
_MINIMUM = guide_chunk("bidrag#regel", "Bidrag", "Bidrag > Regel",
                       "Afdelingen skal betale mindst 800 kr. i bidrag pr. bolig til fællesfonden om året.")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("hvor meget skal afdelingen mindst betale", True),
        ("Hvad er det højeste beløb, man må opkræve? Hoejst?", True),
        ("er der et loft over bidraget", True),
        ("hvor meget betalte afdelingerne i 2023", False),
    ],
)
def test_asks_bound(question: str, asks: bool) -> None:
    assert asks_bound(question) is asks


def test_a_question_for_a_minimum_is_declined_when_the_sources_give_only_an_average() -> None:
    draft = compose_extractive_answer("Hvor meget skal en afdeling mindst betale i bidrag pr. bolig til fællesfonden?",
                                      _hits(_AVERAGE))
    assert draft.abstain_reason == NO_BOUND_REASON


def test_a_question_for_a_minimum_leads_with_the_sentence_that_states_it() -> None:
    draft = compose_extractive_answer("Hvor meget skal en afdeling mindst betale i bidrag pr. bolig til fællesfonden?",
                                      _hits(_AVERAGE, _MINIMUM))
    assert not draft.abstain_reason and draft.best is not None and "mindst 800 kr." in draft.best.text
    assert states_bound(draft.best.text) and not states_bound(_AVERAGE.text)
