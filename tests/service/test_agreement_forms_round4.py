"""Agreement forms of the third batch's kind (issue 16, round 3 second pass), each on a small example written
here: board-protocol and chatty decisions, when-fields next to a decision, periods and deadlines counted from the
meeting, conclusion tables, contract stykker, attendance lines, a meeting date without its year."""

from __future__ import annotations

import datetime as dt

from service.agreements.clauses import extract_clauses
from service.agreements.dating import document_date
from service.agreements.extract import extract_agreements_from_units
from service.agreements.parties import read_parties
from service.agreements.units import TextUnit
from service.domain.deadlines import read_when

MEETING = "Mødet blev holdt den 4. november 2026."
TITLE = "Referat dialogmøde 2026 Boligselskabet Lindely"


def _units(*items: tuple[str, bool] | str) -> list[TextUnit]:
    return [TextUnit(i, 1, "", False) if isinstance(i, str) else TextUnit(i[0], 1, "", i[1]) for i in items]


def _agreements(*items: tuple[str, bool] | str, title: str = TITLE):  # type: ignore[no-untyped-def]
    return extract_agreements_from_units(_units(*items), source_title=title)


# -- decisions however they are worded ------------------------------------------------------------------

def test_board_protocol_and_outcome_markers_are_decisions() -> None:
    found = _agreements(MEETING,
                        "Der var en lang drøftelse. Man enedes om, at selskabet gennemgår ventelisten i afd. 2.",
                        "Bestyrelsen og kommunen enedes om, at selskabet sender tallene senest 1. marts 2027.",
                        "Det endte med, at kommunen indkalder til et møde om tomgangen inden udgangen af januar.")
    texts = [a.text for a in found]
    assert any(t.startswith("Selskabet gennemgår ventelisten") for t in texts)
    assert any(a.deadline == "2027-03-01" for a in found)
    assert any(t.startswith("Kommunen indkalder") and a.deadline == "2027-01-31" for t, a in zip(texts, found))


def test_inverted_agreement_and_a_doubled_letter_are_read() -> None:
    found = _agreements(MEETING, "I stedet blev vi enige om at kommunen anviser hver fjerde bolig i afd. 3.",
                        "Vi aftallte at selskabet sender budgettet senest 1. februar 2027.")
    assert [a.type for a in found][:1] == ["kommunal_anvisning"]
    assert any(a.deadline == "2027-02-01" for a in found)


def test_reflexive_undertaking_needs_no_party_first() -> None:
    found = _agreements(MEETING, "Desuden påtager selskabet sig at lave en plan for tagene inden 1. juni 2027.",
                        "Kommunens kontaktperson Eva Dahl påtog sig at svare på ansøgningen inden udgangen af marts.")
    assert [a.deadline for a in found] == ["2027-06-01", "2027-03-31"]
    assert _agreements(MEETING, "Selskabet påtog sig ikke at lave en plan inden 1. juni 2027.") == []


def test_a_person_from_the_municipality_who_promises_is_an_undertaking() -> None:
    found = _agreements(MEETING, "Jonas fra kommunen lovede at sende en oversigt over de anviste boliger hver måned.")
    assert len(found) == 1 and found[0].responsible == "Jonas fra kommunen"


def test_wishes_discussions_and_refusals_stay_out() -> None:
    assert _agreements(MEETING, "Selskabet vil gerne have, at kommunen betaler lejetabet fra 1. januar 2027.",
                       "Vi talte om at lægge boliger sammen inden sommerferien, men det er ikke besluttet.",
                       "Kommunen kunne ikke imødekomme ønsket om et lån inden udgangen af 2027.") == []


# -- what goes with a decision --------------------------------------------------------------------------

def test_when_fields_next_to_a_decision_give_its_date_or_period() -> None:
    found = _agreements(MEETING, ("Tema 1", True), "Besluttet: Selskabet udlejer fremover 20 % af boligerne fleksibelt.",
                        "Opfølgning: Evalueres 1. september 2027", "Ansvar: Selskabet", ("Tema 2", True),
                        "Besluttet: Kommunen anviser hver femte ledige bolig.", "- Periode: 1.1.2027-31.12.2028",
                        ("Tema 3", True), "Besluttet: Selskabet sender en plan.", "Opfølgning: vi rykker for den")
    assert found[0].deadline == "2027-09-01"
    assert (found[1].valid_from, found[1].valid_to, found[1].deadline) == ("2027-01-01", "2028-12-31", None)
    assert found[2].deadline is None and found[2].deadline_text == ""  # words only: no date


def test_nothing_decided_field_gives_no_agreement() -> None:
    assert _agreements(MEETING, "Besluttet: Intet. Vi drøftede, at selskabet forsøger at finde nye beboere.") == []


def test_two_decisions_in_one_field_each_get_their_party_and_the_period() -> None:
    found = _agreements(MEETING, "Besluttet: Selskabet udlejer halvdelen fleksibelt; kommunen anviser resten.",
                        "Periode: 1.4.2027-31.3.2029", "Ansvar: Selskabet/Kommunen")
    assert [a.responsible for a in found] == ["Selskabet", "Kommunen"]
    assert all(a.valid_to == "2029-03-31" for a in found)


def test_one_decision_with_a_step_after_a_semicolon_stays_one() -> None:
    found = _agreements(MEETING, "Aftalt: Selskabet og kommunen indgår en aftale om fleksibel udlejning; "
                                 "selskabet sender et udkast senest 15.01.2027.")
    assert len(found) == 1 and found[0].deadline == "2027-01-15"


def test_a_sentence_that_refers_back_gives_the_deadline_and_a_passive_after_is_no_new_agreement() -> None:
    found = _agreements(MEETING, "Det blev aftalt, at selskabet udarbejder en handleplan. Den skal være kommunen i "
                                 "hænde senest 1. marts 2027.",
                        "Man enedes om, at afd. 2 udlejes fleksibelt i 2027. Ordningen evalueres på mødet i 2027.")
    assert len(found) == 2
    assert found[0].deadline == "2027-03-01"


def test_conclusion_table_reads_only_decisions() -> None:
    table = ("Emne | Konklusion\n"
             "Tagene | Selskabet vil gerne have tilskud. Kommunen svarer på ansøgningen inden udgangen af februar.\n"
             "Orientering | Orienteringen blev taget til efterretning.\n"
             "Værelser | Selskabet fortsætter med at udleje værelserne til studerende.")
    found = _agreements(MEETING, table)
    assert [a.text[:20] for a in found] == ["Kommunen svarer på a", "Selskabet fortsætter"]
    assert found[0].deadline == "2027-02-28" and found[1].type == "ungdomsboliger"


# -- periods and deadlines counted from the meeting -----------------------------------------------------

def test_periods_counted_from_a_start() -> None:
    meeting = dt.date(2026, 10, 7)
    cases = {"i to år fra 1. november": ("2026-11-01", "2028-10-31"),
             "fra nytår og året ud": ("2027-01-01", "2027-12-31"),
             "for årene 2027 og 2028": ("2027-01-01", "2028-12-31"),
             "fra 1. januar 2027 og tre år frem": ("2027-01-01", "2029-12-31"),
             "1.4.2027-31.3.2031": ("2027-04-01", "2031-03-31")}
    for text, (start, end) in cases.items():
        period = read_when(text, meeting=meeting).period
        assert period is not None and (period.start, period.end) == (start, end), text
    assert read_when("steg fra 2025 til 2026", meeting=meeting).period is None


def test_deadlines_without_a_year_follow_the_meeting() -> None:
    meeting = dt.date(2026, 10, 7)
    assert read_when("inden udgangen af januar", meeting=meeting).deadline.iso == "2027-01-31"  # type: ignore[union-attr]
    assert read_when("inden udgangen af november", meeting=meeting).deadline.iso == "2026-11-30"  # type: ignore[union-attr]
    assert read_when("vi mødes i april", meeting=meeting).deadline.text == "i april 2027"  # type: ignore[union-attr]
    assert read_when("inden sommerferien", meeting=meeting).deadline.text == "inden sommerferien 2027"  # type: ignore[union-attr]
    assert read_when("forud for bestyrelsesmødet den 3. februar 2027").deadline.iso == "2027-02-03"  # type: ignore[union-attr]
    assert read_when("vi mødes i april").deadline is None  # without the meeting the year is unknown


# -- parties, clauses and the meeting's date ------------------------------------------------------------

def test_attendance_line_names_the_organisation() -> None:
    parties = read_parties("Protokol", ["Til stede for Boligforeningen Syrenhaven: formand A og direktør B. "
                                        "For Nordlev Kommune: C.", "Direktøren fremlagde regnskabet."])
    assert parties.organisation == "Boligforeningen Syrenhaven"


def test_meeting_date_without_year_takes_the_title_year() -> None:
    units = _units("Referat fra dialogmødet med kommunen torsdag d. 8/10", "Vi gennemgik regnskabet.")
    assert document_date(units, records_meeting=True, title="Boligselskabet X - referat 2026") == "2026-10-08"
    assert document_date(units, records_meeting=True, title="Referat 2025 og 2026") is None  # two years: unknown
    held = _units("Vi holdt møde med kommunen den 12. okt.", "Vi gennemgik regnskabet.")
    assert document_date(held, records_meeting=True, title="referat 2026") == "2026-10-12"


def test_contract_stykker_are_points_and_a_stykke_where_nobody_acts_joins_the_one_before() -> None:
    units = _units(("§ 2. Anvisning", True), "Stk. 1. Kommunen anviser hver tredje ledige bolig.",
                   "Stk. 2. Kommunen betaler lejetabet for anviste boliger.", "Stk. 3. Listen fremgår af bilag 1.",
                   ("§ 3. Udlejning", True), "(1) Boligforeningen Rosenly udlejer 20 pct. efter fleksible kriterier.",
                   ("§ 4. Varighed", True), "Aftalen gælder fra den 1. januar 2027 til og med den 31. december 2029.")
    parties = read_parties("Aftale", [u.text for u in units], "Boligforeningen Rosenly")
    found = extract_clauses(units, parties=parties, source_id="s", source_title="Aftale")
    texts = [f.agreement.text for f in found]
    assert len(found) == 3
    assert texts[1].endswith("Listen fremgår af bilag 1.")
    assert all(f.valid_to == "2029-12-31" for f in found)


def test_an_agreement_made_between_names_all_its_organisations() -> None:
    parties = read_parties("Aftale", ["(1) Aftalen er indgået mellem Vestrup Kommune og Boligforeningen Rosenly og "
                                      "Boligselskabet Havrevang.", "(1) Kommunen anviser hver tredje bolig."])
    assert parties.organisations == ["Boligforeningen Rosenly", "Boligselskabet Havrevang"]


def test_a_date_cut_off_by_a_page_footer_goes_on_in_the_sentence_before() -> None:
    from knowledge.types import Block, LoadedDocument
    from service.agreements.units import units_from_document

    doc = LoadedDocument(path="r.pdf", title="Referat 2026", fmt="pdf", blocks=[
        Block("Mødet blev holdt den 4. november 2026.", page=1),
        Block("Det blev aftalt, at selskabet sender den nye plan til kommunen senest", page=1),
        Block("1. marts 2027.", page=2),
        Block("2. Udlejning", page=2)])
    texts = [u.text for u in units_from_document(doc)]
    assert texts[1].endswith("senest 1. marts 2027.") and texts[2] == "2. Udlejning"


def test_til_den_is_a_deadline_unless_it_ends_a_span() -> None:
    meeting = dt.date(2026, 10, 7)
    assert read_when("selskabet sender budgettet til d. 1/2", meeting=meeting).deadline.iso == "2027-02-01"  # type: ignore[union-attr]
    assert read_when("fra d. 1/2 til d. 1/5 2027", meeting=meeting).deadline is None


def test_a_pdf_conclusion_table_without_cells_is_read_row_by_row() -> None:
    found = _agreements(MEETING, ("ØVRIGE PUNKTER", True), "Emne Konklusion",
                        "Tagrenovering Selskabet vil gerne have et lån. Kommunen svarer inden udgangen af januar.",
                        "Restancer Selskabet sender hvert kvartal en opgørelse over restancerne til kommunen.",
                        "Orientering Budgettet blev taget til efterretning.")
    assert [a.text[:24] for a in found] == ["Kommunen svarer inden ud", "Selskabet sender hvert k"]
    assert found[0].deadline == "2027-01-31" and found[1].ongoing


def test_a_letter_in_the_perfect_tense_records_agreements_and_undertakings() -> None:
    found = _agreements("Tak for mødet den 27. oktober 2026.",
                        "På mødet har vi aftalt, at selskabet sender en ny plan senest 1. marts 2027. Kommunen har "
                        "lovet at svare på ansøgningen inden udgangen af januar. Selskabet har desuden påtaget sig at "
                        "orientere kommunen hvert kvartal om ventelisten. Kommunen har ikke lovet et tilskud i 2027.")
    assert [a.deadline for a in found] == ["2027-03-01", "2027-01-31", None]
    assert found[2].text.startswith("Selskabet har desuden påtaget sig")
