"""The deterministic question analysis: kind, provisions down to stk. and nr., year, organisation.

Wordings are our own (not from the eval question sets), typed the way people type: without æ/ø/å, with
'paragraf' or '2. stk.' for a provision, imperatives for tasks."""

from __future__ import annotations

import pytest

from knowledge.legal import normalise_ref_spelling, refs_in_text
from service.answering.evidence import parse_ref_list
from service.answering.question import analyse_question, is_task_request, question_organisation


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Skriv et brev til afdelingsbestyrelsen om budgettet", "task"),
        ("book et lokale til dialogmødet i næste uge", "task"),
        ("kan du lige maile referatet til formanden?", "task"),
        ("Vil du oprette en sag i journalsystemet", "task"),
        ("gider du udfylde skemaet for mig", "task"),
        ("Hvordan er reglerne for ejerlejligheder i en ejerforening?", "out_of_scope"),
        ("kan jeg faa rentefradrag for mit billaan", "out_of_scope"),
        ("hvilke oplysninger skal en udviklingsplan indeholde", "list"),
        ("§ 164 stk. 3 - hvad siger den", "reference"),
        ("hvad betyder trækningsret", "definition"),
        ("arbejdskapital - definition", "definition"),
        ("hvor mange familieboliger kan kommunen anvise", "number"),
        ("hvornaar skal budgettet vaere vedtaget", "number"),
        ("hvordan klager en lejer over kommunens anvisning", "procedure"),
        ("skal bestyrelsen godkende regnskabet", "rule"),
        # an opening word that is also an adjective, followed by a real question, is not a task
        ("lav husleje i en afdeling - hvad betyder det for budgettet?", "definition"),
    ],
)
def test_question_kinds(question: str, kind: str) -> None:
    assert analyse_question(question).kind == kind


@pytest.mark.parametrize(
    ("question", "labels"),
    [
        ("paragraf 104, 3. stk. - hvad kan bestyrelsen", ["almenboligloven § 104, stk. 3"]),
        ("pgf. 37 stk. 2", ["almenboligloven § 37, stk. 2"]),
        ("hvad står der i 91 a stk 2", ["almenboligloven § 91 a, stk. 2"]),
        ("driftsbek § 90 stk 1", ["driftsbekendtgørelsen § 90, stk. 1"]),
        ("drifts-bek. § 70", ["driftsbekendtgørelsen § 70"]),
        ("udlejningsbek § 12", ["udlejningsbekendtgørelsen § 12"]),
        ("driftsbekendtgoerelsens § 9 stk. 2, nr. 4", ["driftsbekendtgørelsen § 9, stk. 2, nr. 4"]),
        ("lov om proeveboliger § 2", ["prøveboligloven § 2"]),
        ("hvor mange boliger i 2024 stk. 2", []),  # a year before 'stk.' is no provision
        ("drifts-bek. §112,5 nr 2 - hvad skal med", ["driftsbekendtgørelsen § 112, stk. 5, nr. 2"]),
        ("ABL 91(3) hvad siger den", ["almenboligloven § 91, stk. 3"]),
        ("62 a (6) om ledige boliger", ["almenboligloven § 62 a, stk. 6"]),
        ("driftsbekendtgørelsens § 9(2)", ["driftsbekendtgørelsen § 9, stk. 2"]),
        # a comma with a space, or two §§, is a list; a bracket after a year or a page is no stk.
        ("§ 57, 58", ["almenboligloven § 57", "almenboligloven § 58"]),
        ("§§ 57,58", ["almenboligloven § 57", "almenboligloven § 58"]),
        ("hvor mange boliger i 2024 (3 afdelinger)", []),
        ("se side 12 (3) i rapporten", []),
    ],
)
def test_provisions_in_colloquial_spelling(question: str, labels: list[str]) -> None:
    assert [r.label for r in refs_in_text(question)] == labels
    analysis = analyse_question(question)
    assert [r.label for r in analysis.refs] == labels
    assert [r.label for r in analysis.stk_refs] == [lb for lb in labels if "stk." in lb]


def test_normalising_keeps_a_written_section_sign() -> None:
    assert normalise_ref_spelling("§ 59 stk. 2") == "§ 59 stk. 2"
    assert normalise_ref_spelling("paragraf 5, 1. stk.") == "§ 5, stk. 1"


def test_year_and_organisation_are_read() -> None:
    orgs = ["Boligforeningen Solsikken", "Boligselskabet Solsikken Syd", "Kildebo Almene Boliger"]
    analysis = analyse_question("hvad var henlaeggelserne hos kildebo i 2024", known_orgs=orgs)
    assert analysis.year == 2024
    assert analysis.organisation == "Kildebo Almene Boliger"
    assert question_organisation("solsikken syd - hvor stor er fonden", orgs) == "Boligselskabet Solsikken Syd"
    assert question_organisation("hvad er en dispositionsfond", orgs) == ""
    assert analyse_question("hvad er en dispositionsfond").year is None


def test_a_two_part_question_has_two_parts() -> None:
    analysis = analyse_question("Hvem godkender budgettet, og hvornår skal det være vedtaget?")
    assert len(analysis.parts) == 2


@pytest.mark.parametrize(
    "question",
    ["Kan du forklare § 59?", "Hvad skal man sende til kommunen?", "hvem skal lave budgettet",
     "Skal organisationen sende regnskabet til kommunen?"],
)
def test_questions_about_tasks_are_not_task_requests(question: str) -> None:
    assert not is_task_request(question)


@pytest.mark.parametrize(
    ("value", "labels"),
    [
        ("almenboligloven:§59:stk2 almenboligloven:§60", ["almenboligloven § 59, stk. 2", "almenboligloven § 60"]),
        ("almenboligloven:§59:stk2,almenboligloven:§60", ["almenboligloven § 59, stk. 2", "almenboligloven § 60"]),
        # a label's comma is part of it: '§ 164, stk. 1' is one provision, not '§ 164' and a stray 'stk. 1'
        ("§ 164, stk. 1; § 165", ["almenboligloven § 164, stk. 1", "almenboligloven § 165"]),
        (["almenboligloven:§14", "driftsbekendtgørelsen § 119, stk. 1"],
         ["almenboligloven § 14", "driftsbekendtgørelsen § 119, stk. 1"]),
        ("", []),
    ],
)
def test_legal_refs_metadata_is_read_as_ids_or_labels(value: object, labels: list[str]) -> None:
    assert [r.label for r in parse_ref_list(value, "almenboligloven")] == labels


def test_stop_words_typed_without_danish_letters_are_stop_words() -> None:
    from knowledge.text import content_terms

    assert content_terms("hvornaar skal man sende det paa mail") == content_terms("hvornår skal man sende det på mail")
    assert "hvornaar" not in content_terms("hvornaar")
