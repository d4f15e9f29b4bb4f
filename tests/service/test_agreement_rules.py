"""The rules that read agreements from documents written by others, each on small examples written here.

Dates and periods (service.domain.deadlines), organisation names (service.domain.organisations), the
parties of a document and the party a sentence makes act (service.agreements.parties), which sentences
record an agreement (service.agreements.decisions), sections (service.agreements.sections) and agreement
tables (service.agreements.tables), and the whole extraction on short referater in different styles.
"""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.types import Block, LoadedDocument
from service.agreements.decisions import COMMITMENT, MARKER, PASSIVE, UNDERTAKING, read_sentence
from service.agreements.extract import extract_agreements_from_units
from service.agreements.model import RegisterEntry
from service.agreements.parties import BEGGE, KOMMUNE, ORGANISATION, Parties, party_at, read_parties
from service.agreements.sections import (
    AGREEMENTS,
    OTHER,
    PARTIES,
    PURPOSE,
    STATUS,
    is_intro,
    looks_like_heading,
    section_kind,
)
from service.agreements.tables import rows_from_cells, rows_from_lines, split_row
from service.agreements.units import TextUnit, units_from_document
from service.domain.deadlines import find_period, parse_deadline, read_when
from service.domain.organisations import find_organisation_names, organisation_core, same_organisation

MEETING = dt.date(2026, 10, 20)


# -- deadlines and periods -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "iso", "uncertain"), [
    ("Planen sendes senest 1/3-2027.", "2027-03-01", False),
    ("svar inden 28.2.27", "2027-02-28", False),
    ("senest den 5. januar 2027", "2027-01-05", False),
    ("inden udgangen af 3. kvartal 2027", "2027-09-30", False),
    ("inden udgangen af april 2027", "2027-04-30", False),
    ("inden årets udgang", "2026-12-31", False),  # the meeting's year
    ("i løbet af 2. halvår 2027", None, True),
    ("primo 2027", None, True),
    ("ultimo marts 2027", None, True),
    ("i Q3 2027", None, True),
    ("4. kvt. 2027", None, True),
    ("inden sommerferien 2027", None, True),
    ("på byrådsmødet i maj 2027", None, True),
])
def test_deadline_forms(text: str, iso: str | None, uncertain: bool) -> None:
    deadline = parse_deadline(text, meeting=MEETING)
    assert deadline is not None
    assert (deadline.iso, deadline.uncertain, deadline.ongoing) == (iso, uncertain, False)


def test_a_week_number_is_placed_after_the_meeting() -> None:
    assert parse_deadline("svar senest i uge 8", meeting=MEETING).text == "senest i uge 8 2027"  # type: ignore[union-attr]
    assert parse_deadline("inden uge 47", meeting=MEETING).text == "inden uge 47 2026"  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["kvartalsvis", "hvert halve år", "to gange om året", "Løbende"])
def test_recurring_times_are_ongoing(text: str) -> None:
    deadline = parse_deadline(text)
    assert deadline is not None and deadline.ongoing and deadline.iso is None


@pytest.mark.parametrize(("text", "start", "end"), [
    ("Ordningen fortsætter frem til 30.6.2028 og evalueres undervejs.", None, "2028-06-30"),
    ("Tilskuddet gælder til 31. december 2027.", None, "2027-12-31"),
    ("Forsøget kører til og med 2028.", None, "2028-12-31"),
    ("Aftalen er forlænget frem til udgangen af 2. kvartal 2028.", None, "2028-06-30"),
    ("Kommunen anviser i perioden 2027-2030 to boliger om året.", "2027-01-01", "2030-12-31"),
    ("Varighed: 2027-2028", "2027-01-01", "2028-12-31"),
    ("Aftalen træder i kraft 1. februar 2027 og løber til 31. januar 2030.", "2027-02-01", "2030-01-31"),
    ("Aftalen er gældende fra 1. maj 2026 til og med 30. april 2029.", "2026-05-01", "2029-04-30"),
    ("Aftalen gælder i tre år fra 1. marts 2027.", "2027-03-01", "2030-02-28"),
])
def test_periods_are_not_deadlines(text: str, start: str | None, end: str) -> None:
    when = read_when(text, meeting=MEETING)
    assert when.deadline is None and when.period is not None
    assert (when.period.start, when.period.end) == (start, end)
    assert parse_deadline(text) is None or parse_deadline(text).ongoing  # type: ignore[union-attr]


def test_a_year_alone_or_a_start_date_is_no_deadline() -> None:
    assert parse_deadline("Kommunen betaler efter en aftale fra 2023.") is None
    assert parse_deadline("Ordningen træder i kraft 1. marts 2027.") is None
    assert find_period("Huslejen steg med 2 % fra 2025 til 2026.") is None


def test_a_period_never_makes_an_agreement_overdue() -> None:
    entry = RegisterEntry(id="x", text="Kommunen anviser frem til 31.12.2026.", type="kommunal_anvisning",
                          valid_to="2026-12-31", duration_text="frem til 31.12.2026")
    assert not entry.is_overdue(dt.date(2030, 1, 1))
    due = RegisterEntry(id="y", text="Planen sendes senest 1. marts 2027.", type="andet", deadline="2027-03-01",
                        deadline_text="senest 1. marts 2027")
    assert due.is_overdue(dt.date(2027, 3, 2)) and not due.is_overdue(dt.date(2027, 3, 1))


# -- organisation names and parties ---------------------------------------------------------------

def test_organisation_names_with_the_form_word_first_or_last_and_an_abbreviation() -> None:
    text = ("Dialogmøde mellem Solby Kommune og Solby Almennyttige Boligselskab (SAB). Gæst: Andelsboligforeningen "
            "Pilegården og Ungdomsboligselskabet Campus Øst.")
    found = find_organisation_names(text)
    assert [(f.name, f.abbreviation) for f in found] == [
        ("Solby Almennyttige Boligselskab", "SAB"), ("Andelsboligforeningen Pilegården", None),
        ("Ungdomsboligselskabet Campus Øst", None)]


def test_same_organisation_never_on_a_shared_town_name_alone() -> None:
    assert same_organisation("Boligselskabet Pilegården", "pilegården")
    assert same_organisation("Pilegården", "Boligselskabet Pilegården af 1951")
    assert not same_organisation("Solby Boligselskab", "Fællesbo Solby")
    assert organisation_core("Solby Almennyttige Boligselskab") == "solby"


@pytest.mark.parametrize(("title", "texts", "organisation"), [
    ("Referat", ["Deltagere fra boligorganisationen (Boligforeningen Hybenhaven): formand."], "Boligforeningen Hybenhaven"),
    ("Dialogmøde 2026 – Havblik", ["Mødet blev holdt 3. maj."], "Havblik"),
    ("Referat", ["Dialogmøde med Fællesbo Vest", "Mødet blev holdt 3. maj."], "Fællesbo Vest"),
    ("Referat", ["Til stede: Lise Holm fra Tjørnely (TJ) og Ole Dam fra Solby Kommune."], "Tjørnely"),
])
def test_the_organisation_of_a_referat(title: str, texts: list[str], organisation: str) -> None:
    assert read_parties(title, texts).organisation == organisation


def test_a_joint_agreement_lists_every_party_from_an_enumeration_a_table_or_signatures() -> None:
    enumerated = read_parties("Fælles aftale", [
        ("Aftalen er indgået mellem Solby Kommune og følgende boligorganisationer: Boligselskabet Pil, "
        "Fællesbo Solby og Andelsboligforeningen Eg.")])
    assert enumerated.organisations == ["Boligselskabet Pil", "Fællesbo Solby", "Andelsboligforeningen Eg"]
    table = read_parties("Fælles aftale", [("Boligorganisation | Underskriver\nBoligselskabet Pil | formand\n"
                                           "Fællesbo Solby | formand\nSolby Kommune | borgmester")])
    assert table.organisations == ["Boligselskabet Pil", "Fællesbo Solby"]
    below = read_parties("Fælles aftale", ["Parterne er Solby Kommune og følgende boligorganisationer:",
                                           "- Boligselskabet Pil\n- Fællesbo Solby"])
    assert below.organisations == ["Boligselskabet Pil", "Fællesbo Solby"]
    signed = read_parties("Aftale", [("For Solby Kommune: A. B., borgmester. For Boligselskabet Pil: C. D., formand. "
                                     "For Fællesbo Solby: E. F., formand.")])
    assert signed.organisations == ["Boligselskabet Pil", "Fællesbo Solby"]


def test_party_phrases_and_their_roles() -> None:
    parties = read_parties("Referat", ["Mødet mellem Solby Kommune (SK) og Boligselskabet Pil (BP)."])
    assert party_at("SK og BP holder et møde", 0, parties).role == BEGGE  # type: ignore[union-attr]
    assert party_at("Forvaltningen sender", 0, parties).role == KOMMUNE  # type: ignore[union-attr]
    assert party_at("Selskabet sender", 0, parties).role == ORGANISATION  # type: ignore[union-attr]
    assert party_at("Pil udarbejder", 0, parties).role == ORGANISATION  # type: ignore[union-attr]
    assert party_at("Afdelingen har", 0, parties) is None
    assert parties.expand("SK, Social og Sundhed") == "Solby Kommune, Social og Sundhed"


# -- which sentences record an agreement ------------------------------------------------------------

PILS = Parties(organisation="Boligselskabet Pil", organisations=["Boligselskabet Pil"],
               aliases={"pil": ORGANISATION, "bp": ORGANISATION, "sk": KOMMUNE})


@pytest.mark.parametrize(("sentence", "form"), [
    ("Efter en kort drøftelse blev det aftalt, at selskabet sender en ny vedligeholdelsesplan.", MARKER),
    ("Der blev opnået enighed om, at afd. 3 fritages for anvisning i 2027.", MARKER),
    ("Parterne blev enige om en fælles procedure for genudlejning af ældreboliger.", MARKER),
    ("Derfor besluttede parterne, at evalueringen flyttes til foråret.", MARKER),
    ("Det aftaltes, at kommunen svarer skriftligt.", MARKER),
    ("Selskabet påtog sig at indkalde til afdelingsmøde.", UNDERTAKING),
    ("Pil fremsender senest 1/2-2027 en opgørelse over restancerne.", COMMITMENT),
    ("Forvaltningen vil i løbet af januar 2027 undersøge sagen nærmere.", COMMITMENT),
    ("I marts 2027 indkalder kommunen til et møde om helhedsplanen.", COMMITMENT),
    ("BP orienterer kvartalsvis om ventelisten.", COMMITMENT),
    ("Redegørelsen sendes til kommunen inden 15. januar 2027.", PASSIVE),
])
def test_sentences_that_record_an_agreement(sentence: str, form: str) -> None:
    decision = read_sentence(sentence, PILS, in_agreements=False)
    assert decision is not None and decision.form == form


@pytest.mark.parametrize("sentence", [
    "Selskabet ønsker, at kommunen overtager lejetabet fra 2027.",  # a wish
    "Pil vil gerne have svar inden jul 2026.",  # a wish
    "Kommunen kunne ikke imødekomme anmodningen om garanti frem til 2028.",  # a refusal
    "Sidste års aftale om en handleplan er opfyldt, og planen blev modtaget 1. marts 2026.",  # an old status
    "Evalueringen er udskudt til foråret 2027.",  # a postponement
    "Det blev drøftet, om afdelingen kan sælge grunden inden 2028.",  # a discussion
    "Kommunen tog orienteringen til efterretning.",  # noted
    "Kommunen har i 2026 anvist 11 boliger.",  # past, no commitment
    "Pil sender materialet, når det er klar.",  # a commitment without a time, outside an agreement section
    "Næste dialogmøde afholdes i oktober 2027.",  # the calendar
    "Kan selskabet sende planen inden 1. marts 2027?",  # a question
])
def test_sentences_that_do_not(sentence: str) -> None:
    assert read_sentence(sentence, PILS, in_agreements=False) is None


def test_in_an_agreement_section_a_commitment_needs_no_time() -> None:
    assert read_sentence("Pil sender materialet til kommunen.", PILS, in_agreements=True) is not None


# -- sections and tables ---------------------------------------------------------------------------

@pytest.mark.parametrize(("heading", "kind"), [
    ("Beslutninger", AGREEMENTS), ("5. Konklusioner og opfølgning", AGREEMENTS), ("Opfølgningspunkter", AGREEMENTS),
    ("Aftaleoversigt", AGREEMENTS), ("Handlingsplan", AGREEMENTS), ("Opfølgning på aftaler fra 2025", STATUS),
    ("Status på sidste års aftaler", STATUS), ("Ad 1. Opfølgning", STATUS), ("Deltagere", PARTIES),
    ("§ 2. Formål", PURPOSE), ("3. Udlejning og anvisning", OTHER),
])
def test_section_kinds(heading: str, kind: str) -> None:
    assert section_kind(heading) == kind


def test_headings_intros_and_what_is_neither() -> None:
    assert looks_like_heading("Pkt. 6 Ældreboliger i afd. 2") and looks_like_heading("Ad 4. Eventuelt")
    assert not looks_like_heading("Beslutning:") and not looks_like_heading("Forvaltningen indstiller, at")
    assert not looks_like_heading("Intet.")
    assert is_intro("Efter drøftelsen blev der aftalt følgende:") and is_intro("Parterne aftalte følgende:")


def test_a_word_table_by_its_column_roles() -> None:
    rows = rows_from_cells("Emne | Hvad er aftalt | Tovholder | Senest\n"
                           "Ledighed | Pil laver en markedsføringsplan for afd. 4. | Pil | 1.2.27\n"
                           "Ældre | Visitationen gennemgår ventelisten. | Solby Kommune | Q2 2027")
    assert [(r.topic, r.responsible, r.when) for r in rows] == [("Ledighed", "Pil", "1.2.27"),
                                                                 ("Ældre", "Solby Kommune", "Q2 2027")]
    assert rows_from_cells("Nr. | Aftale 2025 | Status\n1 | Pil sender planen | Opfyldt") == []  # a look back


def test_a_pdf_table_row_reassembled_from_its_lines() -> None:
    rows = rows_from_lines(["1 Pil sender en plan for", "genhusning i afd. 2.", "Pil Primo 2027",
                            "2 Kommunen betaler", "tomgangsleje for ældreboligerne.", "SK, Ældre og", "Omsorg",
                            "Gælder til 31.12.2027", "Næste møde: efteråret 2027."])
    assert [(r.number, r.text, r.responsible, r.when) for r in rows] == [
        (1, "Pil sender en plan for genhusning i afd. 2.", "Pil", "Primo 2027"),
        (2, "Kommunen betaler tomgangsleje for ældreboligerne.", "SK, Ældre og Omsorg", "Gælder til 31.12.2027")]
    assert split_row("Pil sender planen. Pil 1/3-2027").when == "1/3-2027"
    unnumbered = rows_from_lines(["Pil sender en plan for", "udlejningen i afd. 2. Pil 1.3.27",
                                  "Kommunen svarer på planen. Kommunen Q2 2027"])
    assert [(r.text, r.when) for r in unnumbered] == [("Pil sender en plan for udlejningen i afd. 2.", "1.3.27"),
                                                     ("Kommunen svarer på planen.", "Q2 2027")]


# -- the whole extraction on short referater in other styles -----------------------------------------

def _units(*items: tuple[str, bool] | str) -> list[TextUnit]:
    out = []
    for item in items:
        text, heading = (item, False) if isinstance(item, str) else item
        out.append(TextUnit(text, 1, "", heading))
    return out


def test_a_decision_protocol_with_proposals_approved() -> None:
    units = _units(("Beslutningsprotokol – dialogmøde med Fællesbo Vest (FBV)", True), "Dato: 12. oktober 2026",
                   ("Punkt 3. Udlejning", True), "Indstilling:", "Forvaltningen indstiller, at",
                   "- kommunen fortsat anviser hver 3. ledige familiebolig frem til 31.12.2028,\n"
                   "- FBV senest 1.3.27 sender en opgørelse over ventelisten.", "Beslutning:", "Indstillingen blev godkendt.",
                   ("Punkt 4. Økonomi", True), "Sagsfremstilling: Afd. 6 har underskud.",
                   "Beslutning: Taget til efterretning.")
    found = extract_agreements_from_units(units)
    assert [(a.organisation, a.type, a.valid_to, a.deadline) for a in found] == [
        ("Fællesbo Vest", "kommunal_anvisning", "2028-12-31", None),
        ("Fællesbo Vest", "tilsyn_opfoelgning", None, "2027-03-01")]
    assert found[1].responsible == "Fællesbo Vest" and found[0].agreed_date == "2026-10-12"


def test_a_label_inside_prose_and_a_sentence_broken_by_a_page_break() -> None:
    doc = LoadedDocument(path="r.pdf", title="Referat", fmt="pdf", blocks=[
        Block("Referat af dialogmøde med Boligselskabet Pil", "heading", 1, 1),
        Block("Mødet blev holdt den 2. november 2026.", "paragraph", 0, 1),
        Block("Ledigheden i afd. 2 blev drøftet. Aftalt: Pil udarbejder en markedsføringsplan og sender", "paragraph", 0, 1),
        Block("den til kommunen inden 1. februar 2027.", "paragraph", 0, 2)])
    found = extract_agreements_from_units(units_from_document(doc))
    assert len(found) == 1 and found[0].deadline == "2027-02-01" and found[0].form == "aftalt:"
    assert found[0].text.startswith("Pil udarbejder") and found[0].organisation == "Boligselskabet Pil"


def test_two_agreements_in_one_table_cell_are_two_agreements() -> None:
    units = _units(("Aftaler", True), "Aftale | Ansvarlig | Frist\nPil sender et udkast til fleksibel udlejning. "
                                      "Kommunen svarer inden fire uger. | Pil og kommunen | 1. april 2027")
    found = extract_agreements_from_units(units, organisation="Boligselskabet Pil")
    assert [a.text for a in found] == ["Pil sender et udkast til fleksibel udlejning.",
                                       "Kommunen svarer inden fire uger."]
    assert all(a.deadline == "2027-04-01" for a in found)


def test_a_joint_agreement_point_naming_some_parties_binds_only_them() -> None:
    from service.agreements.clauses import extract_clauses

    units = _units("Fælles udlejningsaftale 2027-2030",
                   "Aftalen er indgået mellem Solby Kommune og følgende boligorganisationer: Boligselskabet Pil, "
                   "Fællesbo Solby og Andelsboligforeningen Eg.",
                   ("§ 2. Aftaleperiode", True), "Aftalen gælder for perioden 2027-2030.",
                   ("§ 3. Fleksibel udlejning", True),
                   "3.1 Halvdelen af de ledige familieboliger udlejes med fortrin for ansøgere i arbejde.",
                   "3.2 Fællesbo Solby kan udleje ungdomsboliger til unge i lære, når ventelisten er tom.",
                   ("§ 4. Underskrifter", True), "For Solby Kommune: A. B., borgmester.")
    parties = read_parties("Fælles udlejningsaftale", [u.text for u in units])
    found = [f.agreement for f in extract_clauses(units, parties=parties, source_id="s", source_title="t")]
    assert [a.organisations for a in found] == [["Boligselskabet Pil", "Fællesbo Solby", "Andelsboligforeningen Eg"],
                                               ["Fællesbo Solby"]]
    clauses = extract_clauses(units, parties=parties, source_id="s", source_title="t")
    assert all((c.valid_from, c.valid_to) == ("2027-01-01", "2030-12-31") for c in clauses)
    assert all(a.deadline is None for a in found)
