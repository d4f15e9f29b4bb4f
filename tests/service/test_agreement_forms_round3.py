"""Agreement forms met in documents written by others (issue 16, third round), each on a small example written
here: Word's heading classes in an exported HTML page, Word's list numbering, a municipal template with its field
paragraphs, clause headings written 'Pkt. N.', open-ended periods, a PDF table with a topic column, question
wordings that must reach the register."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import load_file
from service.agreements.agreement import classify_agreement
from service.agreements.chat import parse_agreement_question
from service.agreements.clauses import extract_clauses
from service.agreements.dating import meeting_date
from service.agreements.extract import extract_agreements_from_units
from service.agreements.parties import read_parties
from service.agreements.sections import AGREEMENTS, STATUS, looks_like_heading, section_kind
from service.agreements.tables import rows_from_lines
from service.agreements.units import TextUnit, ocr_repaired
from service.domain.deadlines import find_period, read_when
from service.domain.organisations import find_organisation_names


def _units(*items: tuple[str, bool] | str) -> list[TextUnit]:
    return [TextUnit(i, 1, "", False) if isinstance(i, str) else TextUnit(i[0], 1, "", i[1]) for i in items]


# -- loaders -------------------------------------------------------------------------------------------

def test_word_html_heading_classes_are_headings_but_a_bare_titel_class_is_not(tmp_path: Path) -> None:
    page = tmp_path / "eksport.html"
    page.write_text(
        "<html><head><title>Dok 1</title></head><body>"
        '<p class="Titel">Senere ændringer</p>'
        '<p class="MsoTitle"><b>Aftale om anvisning</b></p>'
        '<p class="Overskrift1"><b>Pkt. 2. Anvisning</b></p>'
        '<p class="MsoHeading3">Detaljer</p>'
        '<p class="MsoNormal">2.1 Kommunen anviser hver 5. ledige bolig.</p></body></html>', encoding="utf-8")
    blocks = load_file(page, max_bytes=10**6).blocks
    kinds = {b.text: (b.kind, b.level) for b in blocks}
    assert kinds["Aftale om anvisning"] == ("heading", 1)
    assert kinds["Pkt. 2. Anvisning"] == ("heading", 1)
    assert kinds["Detaljer"] == ("heading", 3)
    assert kinds["Senere ændringer"][0] == "paragraph"
    assert kinds["2.1 Kommunen anviser hver 5. ledige bolig."][0] == "paragraph"


def test_word_list_styles_keep_their_numbers_and_levels(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Referat", style="Heading 1")
    for text, style in (("Økonomi", "List Number"), ("Selskabet sender budgettet senest 1. marts 2027.", "List Number 2"),
                        ("Der var spørgsmål til posten.", "List Bullet 3"),
                        ("Kommunen anviser færre boliger.", "List Number 2"), ("Udlejning", "List Number"),
                        ("Selskabet udlejer fleksibelt.", "List Number 2")):
        doc.add_paragraph(text, style=style)
    path = tmp_path / "liste.docx"
    doc.save(str(path))
    text = next(b.text for b in load_file(path, max_bytes=10**7).blocks if b.kind == "paragraph")
    assert text.split("\n") == ["1. Økonomi", "  a) Selskabet sender budgettet senest 1. marts 2027.",
                                "    - Der var spørgsmål til posten.", "  b) Kommunen anviser færre boliger.",
                                "2. Udlejning", "  a) Selskabet udlejer fleksibelt."]


# -- sections, labels, template minutes ------------------------------------------------------------------

def test_agenda_items_with_a_colon_are_headings_and_agreements_from_the_meeting_are_this_meetings() -> None:
    assert looks_like_heading("Dagsordenspunkt 3: Udlejning")
    assert not looks_like_heading("Bemærkning: Udlejning")
    assert section_kind("Aftaler fra mødet") == AGREEMENTS
    assert section_kind("Opfølgning på aftaler fra dialogmødet 2025") == STATUS
    assert section_kind("Aftaler fra forrige møde") == STATUS
    assert section_kind("Action items") == AGREEMENTS


TEMPLATE = _units(
    ("Referat", True), "Møde | Dialogmøde mellem Holmby Kommune og Boligselskabet af 1952 (BS52)\n"
    "Dato og tid | 4. november 2026, kl. 10.00", ("Deltagere", True), "Navn | For\nA | B\nC | D",
    "Dagsordenspunkt 1: Udlejning", "Sagsfremstilling:", "Ventelisten er lang, og afdelingen har mange ledige boliger.",
    "Indstilling:", "Administrationen indstiller, at selskabet udlejer efter fleksible kriterier.", "Beslutning:",
    "Godkendt med den ændring, at kommunen fra 1. februar 2027 og indtil videre anviser hver 4. ledige bolig.",
    "Dagsordenspunkt 2: Dispensation", "Indstilling:", "Administrationen indstiller, at kommunen dispenserer.",
    "Beslutning:", "Ikke godkendt. Sagen skal søges på ny.",
    "Dagsordenspunkt 3: Renovering", "Indstilling:", "Administrationen indstiller, at selskabet laver en helhedsplan.",
    "Beslutning:", "Udsat, til regnskabet foreligger.",
    "Dagsordenspunkt 4: Eventuelt", "BS52 sender fremover kommunen referaterne fra bestyrelsens møder.",
)


def test_a_municipal_template_gives_its_decisions_and_not_those_turned_down_or_put_off() -> None:
    found = extract_agreements_from_units(TEMPLATE)
    assert len(found) == 2
    changed, ongoing = found
    assert changed.text.startswith("Kommunen fra 1. februar 2027 og indtil videre anviser")
    assert changed.type == "kommunal_anvisning"
    assert (changed.valid_from, changed.valid_to, changed.deadline) == ("2027-02-01", None, None)
    assert ongoing.type == "tilsyn_opfoelgning" and ongoing.ongoing and ongoing.deadline is None
    assert ongoing.responsible == "Boligselskabet af 1952"  # 'BS52' written out, its digits kept


def test_a_meeting_date_in_a_templates_field_table() -> None:
    assert meeting_date(TEMPLATE) == "2026-11-04"
    assert meeting_date(_units("Sted | Rådhuset\nMødedato | 9. marts 2027")) == "2027-03-09"
    assert meeting_date(_units("Mødet blev afholdt onsdag den 2. december 2026 på kontoret.")) == "2026-12-02"


def test_a_refusal_in_a_decision_field_does_not_take_the_decision_after_it_along() -> None:
    units = _units(("Referat af dialogmøde med Boligforeningen Lyset", True), ("Punkt 2 Anvisning", True),
                   "Beslutning: Kommunen kan ikke imødekomme ønsket om færre anvisninger. Anvisningen af hver "
                   "3. ledige bolig fortsætter og gælder til udgangen af 2027.",
                   "Beslutning: Orienteringen blev taget til efterretning. Sagen behandles under punkt 4.")
    found = extract_agreements_from_units(units)
    assert [a.text[:24] for a in found] == ["Anvisningen af hver 3. l"]
    assert found[0].valid_to == "2027-12-31"


def test_lettered_sub_points_of_a_numbered_agenda_are_what_it_concluded() -> None:
    units = _units(("Referat af styringsdialog med Boligselskabet Vibo", True),
                   "1. Udlejning\n  a) Kommunen deltager i udlejningsudvalgets møder i afd. 2 Vibohaven.\n"
                   "  b) Der blev ikke indgået aftale om en ny venteliste.\n"
                   "  c) Forslaget om at nedlægge ungdomsboliger blev udsat.\n"
                   "2. Drift\n  a) Selskabet opgør inden udgangen af marts 2027 effekten af energitiltagene.\n"
                   "    - Selskabet nævnte, at tallene er usikre.")
    found = extract_agreements_from_units(units)
    assert [a.text[:20] for a in found] == ["Kommunen deltager i ", "Selskabet opgør inde"]
    assert found[1].deadline == "2027-03-31" and found[1].type == "tilsyn_opfoelgning"


def test_action_items_of_english_influenced_minutes() -> None:
    units = _units(("Opsamling fra mødet med Boligselskabet Kvisten", True), ("Action items", True),
                   "- Action: Kvisten sender ledighedstallene for Q4 – ansvarlig: Kvisten (PL), deadline: 15/2-2027.",
                   "- Action: Fælles statusmøde om udlejningen i marts 2027 – ansvarlig: begge.")
    found = extract_agreements_from_units(units)
    assert [a.text for a in found] == ["Kvisten sender ledighedstallene for Q4",
                                       "Fælles statusmøde om udlejningen i marts 2027"]
    assert found[0].deadline == "2027-02-15" and found[0].responsible == "Kvisten (PL)"
    assert found[1].type == "dialogmoede"


# -- tables ---------------------------------------------------------------------------------------------

def test_a_pdf_table_with_a_topic_column_two_agreements_in_a_cell_and_a_wrapped_when_cell() -> None:
    units = _units(("Referat af dialogmøde med Andelsboligforeningen Rønnebo (ARB)", True),
                   "Dialogmødet den 3. oktober 2026.", "Aftaler fra mødet", "Emne Aftale Ansvar Tidsplan",
                   "Drift ARB sender en plan for vedligeholdelsen af afd. 3 Rønnehaven.", "ARB 1.4.27",
                   "Anvisning Kommunen anviser hver 5. ledige bolig i afd. 2 Rønnely; ARB melder ledige",
                   "boliger til kommunen inden for en uge.", "Kommunen / ARB Varighed", "2027-2028",
                   "Møder Kommunen indkalder til et ekstra møde om anvisningen.", "Kommunen Uge 9, 2027",
                   "Næste dialogmøde holdes i oktober 2027.")
    found = extract_agreements_from_units(units)
    assert [a.text[:20] for a in found] == ["ARB sender en plan f", "Kommunen anviser hve", "ARB melder ledige bo",
                                            "Kommunen indkalder t"]
    assert found[0].deadline == "2027-04-01"
    assert [a.responsible for a in found[1:3]] == ["Kommunen", "Andelsboligforeningen Rønnebo"]
    assert all((a.valid_from, a.valid_to) == ("2027-01-01", "2028-12-31") for a in found[1:3])
    assert found[3].type == "dialogmoede" and found[3].deadline_text.lower().startswith("uge 9")


# -- agreement documents -----------------------------------------------------------------------------------

def test_clauses_headed_pkt_n_with_parties_named_by_abbreviation() -> None:
    units = _units(("Rammeaftale om anvisning 2027-2030", True), ("Pkt. 1. Parter", True),
                   "Aftalen er indgået mellem Tange Kommune (TK), Boligselskabet Skovly (BSS) og Lyngby "
                   "Boligforening (LBF).", ("Pkt. 2. Periode", True),
                   "Aftalen træder i kraft den 1. april 2027 og løber i tre år, til og med den 31. marts 2030.",
                   ("Pkt. 3. Anvisning", True), "3.1 TK anviser hver 4. ledige familiebolig hos BSS og LBF.",
                   "3.2 LBF udlejer ledige ungdomsboliger til unge i lære.", ("Pkt. 4. Opfølgning", True),
                   "Parterne mødes to gange om året i et fælles forum.", ("Pkt. 5. Ophør", True),
                   "Aftalen ophører den 31. marts 2030.", ("Underskrifter", True), "For BSS: Ole Hansen. For LBF: Eva Berg.")
    parties = read_parties("Rammeaftale", [u.text for u in units])
    assert parties.organisations == ["Boligselskabet Skovly", "Lyngby Boligforening"]
    found = extract_clauses(units, parties=parties, source_id="s", source_title="t")
    assert [f.agreement.type for f in found] == ["kommunal_anvisning", "ungdomsboliger", "dialogmoede"]
    assert found[0].agreement.organisations == ["Boligselskabet Skovly", "Lyngby Boligforening"]
    assert found[1].agreement.organisations == ["Lyngby Boligforening"]
    assert all((f.valid_from, f.valid_to) == ("2027-04-01", "2030-03-31") for f in found)


def test_two_parties_with_one_place_name_and_different_forms_stay_two() -> None:
    units = _units("Part | Repræsentant\nMosby Boligforening (MBF) | Bestyrelsen\n"
                   "Mosby Andelsboligforening (MAB) | Bestyrelsen\nBoligselskabet Kær | Bestyrelsen")
    assert read_parties("Aftale", [u.text for u in units]).organisations == [
        "Mosby Boligforening", "Mosby Andelsboligforening", "Boligselskabet Kær"]


def test_an_organisation_named_with_a_place_after_its_form_word_and_an_abbreviation() -> None:
    names = find_organisation_names("Til stede: Arbejdernes Boligforening Nordby (ABN): Eva Holm.")
    assert [(n.name, n.abbreviation) for n in names] == [("Arbejdernes Boligforening Nordby", "ABN")]
    assert [n.name for n in find_organisation_names("Arbejdernes Boligforening Nordby holdt møde.")] == [
        "Arbejdernes Boligforening"]


# -- periods, deadlines, types ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "start", "end"), [
    ("kommunen fra 1. februar 2027 og indtil videre anviser", "2027-02-01", None),
    ("Kommunen, fra 1. maj 2027 til 30. april 2028", "2027-05-01", "2028-04-30"),
    ("Ordningen træder i kraft den 1. maj 2027 og løber i tre år, til og med den 30. april 2030.", "2027-05-01",
     "2030-04-30"),
    ("2027-2029", "2027-01-01", "2029-12-31"),
])
def test_periods(text: str, start: str, end: str | None) -> None:
    period = find_period(text)
    assert period is not None and (period.start, period.end) == (start, end)


def test_no_period_from_two_years_in_a_sentence_and_a_week_with_a_comma() -> None:
    assert find_period("Lejen steg fra 2025 til 2026 og igen fra 3 til 4 procent.") is None
    when = read_when("Kommunen indkalder i uge 9, 2027.")
    assert when.deadline is not None and when.deadline.text.endswith("2027")
    assert read_when("Selskabet sender fremover tallene.").deadline.ongoing  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "kind"), [
    ("Kommunen vender tilbage med et forslag til en anvisningsaftale, der også omfatter ungdomsboligerne.",
     "kommunal_anvisning"),
    ("Forvaltningen og selskabet nedsætter en arbejdsgruppe, der skal forberede en helhedsplan.", "helhedsplan"),
    ("Parterne mødes fire gange om året.", "dialogmoede"),
    ("Parterne mødes til kaffe.", "andet"),
    ("Selskabet indkalder til et afdelingsmøde om budgettet.", "tilsyn_opfoelgning"),
    ("Kommunen indkalder til et ekstra møde om anvisningen.", "dialogmoede"),
    ("Selskabet sender senest 1/2-2027 et finansieringsforslag for taget.", "tilsyn_opfoelgning"),
    ("Selskabet sender udkast til en aftale om fleksibel udlejning.", "fleksibel_udlejning"),
    ("Kommunen og organisationerne gennemgår hvert år resultaterne af anvisningen.", "tilsyn_opfoelgning"),
])
def test_types_follow_what_the_main_clause_does(text: str, kind: str) -> None:
    assert classify_agreement(text) == kind


def test_ocr_zero_between_letters() -> None:
    assert ocr_repaired("K0mmunen anviser fra 1. januar 2O27.") == "Kommunen anviser fra 1. januar 2027."


# -- questions --------------------------------------------------------------------------------------------

ORGS = ["Boligselskabet Vibo", "Boligforeningen af 1952"]


@pytest.mark.parametrize("question", [
    "Hvilke frister har Vibo?", "Hvornår skal Vibo sende handleplanen?", "Har vi nogen deadlines med Vibo?",
    "Hvad skal Boligforeningen af 1952 gøre ifølge referatet?", "Hvilke action items har vi med Vibo?",
    "Hvilke opgaver har kommunen over for Vibo?",
])
def test_questions_about_an_organisations_tasks_reach_the_register(question: str) -> None:
    parsed = parse_agreement_question(question, ORGS, set())
    assert parsed is not None and parsed.organisations


@pytest.mark.parametrize("question", [
    "Hvad er fristen for at indsende regnskab for Boligselskabet Vibo?", "Hvilke frister gælder efter loven for Vibo?",
    "Hvornår er fristen for styringsrapporten?",
])
def test_questions_about_legal_deadlines_stay_with_answering(question: str) -> None:
    assert parse_agreement_question(question, ORGS, set()) is None


def test_a_period_as_two_numeric_dates_and_a_condition_as_the_when_of_a_lettered_cell() -> None:
    period = find_period("Kommunen, 1.1.2027 - 31.12.2029")
    assert period is not None and (period.start, period.end) == ("2027-01-01", "2029-12-31")
    rows = rows_from_lines(["Drift a) Selskabet sender en plan for taget i afd. 2 Lunden.",
                            "b) Selskabet orienterer kommunen om voldgiftssagen i afd. 4 Vangen.",
                            "a) Selsk., 1. maj 2027 b) Selsk., når sagen er afgjort"])
    assert [r.text[:20] for r in rows] == ["Selskabet sender en ", "Selskabet orienterer"]
    assert rows[1].responsible.startswith("Selsk")


def test_a_decision_marker_before_a_bare_noun_phrase_announces_the_next_sentence() -> None:
    units = _units(("Referat af dialogmøde med Boligforeningen Lyset", True), ("Anvisning", True),
                   "Efter en drøftelse blev man enige om en ny ordning. Kommunen og Lyset blev enige om, at kommunen "
                   "i perioden 1. maj 2027 til 30. april 2029 anviser ti ekstra boliger om året.")
    found = extract_agreements_from_units(units)
    assert [a.text[:20] for a in found] == ["Kommunen i perioden "]


def test_an_approved_proposal_restated_in_the_decision_is_one_agreement() -> None:
    units = _units(("Beslutningsprotokol, dialogmøde med Boligselskabet Tjørn", True), ("Punkt 2 Drift", True),
                   "Indstilling: Forvaltningen indstiller, at Tjørn udarbejder en handleplan for afd. 3 Tjørnely og "
                   "sender den til kommunen senest 1. april 2027.",
                   "Beslutning: Indstillingen godkendt. Tjørn udarbejder handleplanen for afd. 3 Tjørnely og sender "
                   "den til kommunen senest 1. april 2027.", ("Punkt 3 Udlejning", True),
                   "Indstilling: Forvaltningen indstiller, at Tjørn udlejer efter fleksible kriterier i afd. 1 Tjørnhøj.",
                   "Beslutning: Indstillingen godkendt. Parterne mødes hvert kvartal om ventelisten.")
    found = extract_agreements_from_units(units)
    assert [a.text[:22] for a in found] == ["Tjørn udarbejder handl", "Parterne mødes hvert k", "Tjørn udlejer efter fl"]


def test_before_christmas_is_the_23rd_of_december() -> None:
    import datetime as dt

    assert read_when("Vi vender tilbage inden jul.", meeting=dt.date(2026, 11, 3)).deadline.iso == "2026-12-23"  # type: ignore[union-attr]
    assert read_when("Planen kommer før julen 2027.").deadline.iso == "2027-12-23"  # type: ignore[union-attr]
    # without the meeting the day is known but not the year: a deadline still (like 'senest 31/3'), its date open
    unplaced = read_when("Vi vender tilbage inden jul.").deadline
    assert unplaced is not None and unplaced.iso is None and unplaced.uncertain
