"""How the extractive answer is composed: the deciding sentence first, the stk. the question names, a
provision's numbered items, the right kind of source, a friendly no to tasks.

The passages are our own, written for these tests (not statute text, not from the eval question sets)."""

from __future__ import annotations

import pytest

from knowledge.config import Settings
from knowledge.types import Chunk, Hit
from service.answering import answer_question
from service.answering.answer import TASK_TEXT
from service.answering.checker import CitationChecker, strip_markers
from service.answering.extractive import compose_extractive_answer
from service.answering.shaping import clean_sentence, is_list_item
from tests.service.answering_fakes import CHUNKS, FakeSearcher, guide_chunk, law_chunk


def hits(*chunks: Chunk) -> list[Hit]:
    return [Hit(chunk=c, score=1.0 - i * 0.05, relevance=0.8 - i * 0.05) for i, c in enumerate(chunks)]


def first_sentence(text: str) -> str:
    return strip_markers(text.split("[", 1)[0]).strip()


def checked(text: str, hs: list[Hit]) -> None:
    """Every sentence of a composed answer is backed by the source it cites."""
    result = CitationChecker(hs, threshold=0.6, mode="drop").check(text)
    assert not result.abstain
    assert all(v.supported for v in result.verdicts if v.kind == "claim")


# A whole § as one chunk: its stk. follow each other in the text.
WHOLE_PARAGRAPH = law_chunk(
    "77", None,
    "Stk. 1. Bestyrelsen udarbejder hvert år et budget for afdelingen. "
    "Stk. 2. Budgettet forelægges afdelingsmødet senest 4 uger før regnskabsårets begyndelse. "
    "Stk. 3. Afdelingsmødet kan forkaste budgettet, hvis et flertal stemmer imod.",
)


def test_the_named_stk_of_a_whole_paragraph_leads() -> None:
    hs = hits(WHOLE_PARAGRAPH)
    for stk, words in ((2, "senest 4 uger"), (3, "forkaste")):
        draft = compose_extractive_answer(f"§ 77 stk. {stk} - hvad står der om budgettet", hs)
        assert words in first_sentence(draft.text), draft.text
        checked(draft.text, hs)


def test_a_sentence_about_another_provision_does_not_lead() -> None:
    note = guide_chunk(
        "note#85", "Notat om afdelingsmøder", "Afdelingsmøder > § 85",
        "Kravet om beboerflertal efter § 12, stk. 4 blev skærpet i 2019. "
        "Efter § 85, stk. 1 skal afdelingsmødet indkaldes med mindst 14 dages varsel.",
        legal_refs="almenboligloven:§85:stk1",
    )
    draft = compose_extractive_answer("§ 85 stk 1 hvad er kravet", hits(note))
    assert first_sentence(draft.text).startswith("Efter § 85, stk. 1"), draft.text


def test_a_provision_keeps_its_numbered_items_when_asked_what_it_lists() -> None:
    listing = law_chunk(
        "88", 1,
        "Stk. 1. En plan for afdelingen skal indeholde:\n"
        "1) en beskrivelse af afdelingens bygninger,\n"
        "2) en tidsplan for arbejderne,\n"
        "3) en opgørelse af udgifterne og\n"
        "4) en oversigt over finansieringen.",
    )
    hs = hits(listing)
    draft = compose_extractive_answer("hvilke ting skal planen indeholde efter § 88", hs)
    for item in ("bygninger", "tidsplan", "udgifterne", "finansieringen"):
        assert item in draft.text, draft.text
    checked(draft.text, hs)


def test_glossary_heads_list_numbers_and_stk_headings_do_not_open_a_sentence() -> None:
    assert clean_sentence("Byggefond (også: byggefonden, fonden): En byggefond samler midler.") == \
        "En byggefond samler midler."
    assert clean_sentence("5. Kommunen sender referatet ud.") == "Kommunen sender referatet ud."
    assert clean_sentence("Stk. 3 – frister for klager En klage indgives inden 4 uger.") == \
        "En klage indgives inden 4 uger."
    assert clean_sentence("1. januar 2027 træder reglen i kraft.") == "1. januar 2027 træder reglen i kraft."
    assert clean_sentence("Stk. 2. Budgettet forelægges mødet.") == "Stk. 2. Budgettet forelægges mødet."
    assert is_list_item("2) en tidsplan for arbejderne,") and is_list_item("nr. 3 en opgørelse")
    assert not is_list_item("2026 var et godt år.")


def test_a_glossary_entry_is_quoted_without_its_synonym_list() -> None:
    glossary = guide_chunk(
        "ordliste#fond", "Ordliste", "Ordliste > Økonomi",
        "Byggefond (også: byggefonden, byggefonde, fond til byggeri): En byggefond er en fælles opsparing, "
        "som afdelingerne betaler til efter reglerne om henlæggelser.",
    )
    hs = hits(glossary)
    draft = compose_extractive_answer("hvad er en byggefond", hs)
    assert first_sentence(draft.text).startswith("En byggefond er en fælles opsparing"), draft.text
    assert "også:" not in draft.text
    checked(draft.text, hs)


def _report(year: int, amount: str) -> Chunk:
    return Chunk(
        id=f"rapport-{year}#1", source_id=f"rapport-{year}",
        text=f"Organisationens arbejdskapital var {amount} mio. kr. ved udgangen af regnskabsåret.",
        metadata={"title": f"Årsrapport {year} - Boligselskabet Nordlys", "kind": "styringsrapport",
                  "org": "Boligselskabet Nordlys", "year": year, "heading": "Økonomi"},
    )


def test_the_newest_report_of_an_organisation_answers_before_last_years() -> None:
    hs = hits(_report(2024, "3,1"), _report(2025, "2,7"))
    draft = compose_extractive_answer("hvor stor er arbejdskapitalen hos nordlys", hs)
    assert "2,7" in first_sentence(draft.text), draft.text
    # ... unless the question names the older year
    draft = compose_extractive_answer("hvor stor var arbejdskapitalen hos nordlys i 2024", hs)
    assert "3,1" in first_sentence(draft.text), draft.text


def test_a_fictional_sample_act_does_not_answer_a_general_question() -> None:
    sample_act = Chunk(
        id="eksempellov:§5", source_id="sample-eksempellov", text="Kommunen kan opkræve et gebyr for anvisning.",
        metadata={"title": "Lov om eksempelboliger", "kind": "lov", "act": "eksempellov", "authority": "sample",
                  "legal_id": "", "heading": "§ 5"},
    )
    note = guide_chunk("note#gebyr", "Anvisning", "Anvisning > Gebyr",
                       "Kommunen kan ikke opkræve gebyr for anvisning af en almen bolig.")
    draft = compose_extractive_answer("kan kommunen opkræve gebyr for anvisning", hits(sample_act, note))
    assert "ikke opkræve" in first_sentence(draft.text), draft.text


@pytest.mark.parametrize(
    "question",
    ["kan du sende referatet til bestyrelsen", "Book et møde med boligselskabet på fredag",
     "skriv en mail til driftschefen om budgettet"],
)
def test_task_requests_get_a_short_friendly_no(question: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    searcher = FakeSearcher(CHUNKS)
    answer = answer_question(question, searcher=searcher, settings=Settings(home=tmp_path / "home", llm_base_url=""))
    assert answer.abstained and not answer.grounded
    assert answer.text == TASK_TEXT and answer.citations == []
    assert "kan i stedet svare" in answer.text and len(answer.text.split()) < 60
    assert searcher.calls == []  # nothing to look up


def test_a_how_many_question_leads_with_the_sentence_that_gives_the_figure() -> None:
    note = guide_chunk(
        "note#kvote", "Anvisning", "Anvisning > Kvote",
        "Kommunen kan kræve ledige familieboliger stillet til rådighed for boligsocial anvisning. "
        "Kvoten er højst hver tredje ledige familiebolig i afdelingen.",
    )
    draft = compose_extractive_answer("hvor mange ledige familieboliger kan kommunen kræve til anvisning", hits(note))
    assert first_sentence(draft.text).startswith("Kvoten er højst hver tredje"), draft.text


def test_a_how_much_question_without_a_figure_in_the_sources_is_declined() -> None:
    note = guide_chunk(
        "note#tilskud", "Boligsocial indsats", "Indsats > Medarbejder",
        "Den boligsociale medarbejder i afdelingen er finansieret til og med 2027. "
        "Organisationen ønsker, at medarbejderen fortsætter med kommunal medfinansiering.",
    )
    draft = compose_extractive_answer("hvor meget fik afdelingen i tilskud til den boligsociale medarbejder", hits(note))
    assert draft.abstain_reason and not draft.text


def test_the_closest_source_saying_it_is_not_confirmed_is_not_hidden_behind_a_word_match() -> None:
    timeline = guide_chunk(
        "tidslinje#1", "Tidslinje", "Tidslinje",
        "1/3/2025: En ny bekendtgørelse om byggeri trådte i kraft.",
    )
    note = guide_chunk(
        "note#gebyrliste", "Gebyrer", "Gebyrer > Ændringer",
        "Hvornår ændringen af gebyrlisten trådte i kraft, er ikke kontrolleret.",
    )
    draft = compose_extractive_answer("hvornår trådte ændringen af gebyrlisten i kraft", hits(timeline, note))
    assert draft.abstain_reason and draft.caveat is not None and "gebyrlisten" in draft.caveat.text


def test_a_two_part_question_is_answered_in_its_order() -> None:
    note = guide_chunk(
        "note#moeder", "Afdelingsmøder", "Afdelingsmøder",
        "Referatet af afdelingsmødet skal sendes til alle beboere i afdelingen senest 14 dage efter mødet. "
        "Formanden vælges af afdelingsbestyrelsen på dens første møde.",
    )
    draft = compose_extractive_answer("hvem vælger formanden, og hvem skal referatet af afdelingsmødet sendes til?",
                                      hits(note))
    assert first_sentence(draft.text).startswith("Formanden vælges"), draft.text
    assert "alle beboere" in draft.text


@pytest.mark.parametrize(("sentence", "name"), [
    ("Nordby Kommune henførte i 2015 aftalen om anvisning til § 59, stk. 2.", "Nordby"),
    ("Vester Hede Kommune havde i 2009-2013 en anvisningsret på 10 pct.", "Vester Hede"),
    ("Boligselskabet Engly indførte fra 2020 fleksibel udlejning i to afdelinger.", "Engly"),
    ("Kommunen kan anvise hver fjerde ledige familiebolig.", ""),  # the rule itself
    ("Nordby Kommune skal godkende helhedsplanen.", ""),  # no past year: not a report of practice
    ("I 2015 ændrede loven reglerne for anvisning.", ""),  # no place as subject
])
def test_practice_examples_are_recognised(sentence: str, name: str) -> None:
    from service.answering.signals import practice_example

    assert practice_example(sentence) == name


def test_one_places_practice_yields_to_the_rule_unless_the_question_names_the_place() -> None:
    note = guide_chunk("note#anvisning", "Anvisning", "Anvisning > Aftaler",
                       "Nordby Kommune henførte i 2015 den frivillige aftale om anvisning til § 59, stk. 2. "
                       "En frivillig aftale om anvisning kan give kommunen ret til at anvise flere ledige boliger.")
    draft = compose_extractive_answer("hvad er en frivillig aftale om anvisning", hits(note))
    assert first_sentence(draft.text).startswith("En frivillig aftale"), draft.text
    named = compose_extractive_answer("hvad gjorde Nordby Kommune med den frivillige aftale om anvisning", hits(note))
    assert first_sentence(named.text).startswith("Nordby Kommune"), named.text
