"""Agreement forms met in minutes written by others (issue 16, second round), each on a small example written
here: lettered points in a PDF agreement table, periods written as two dates, decisions that were not made."""

from __future__ import annotations

import datetime as dt

from service.agreements.agreement import classify_agreement
from service.agreements.decisions import guarded
from service.agreements.extract import extract_agreements_from_units
from service.agreements.tables import plain_header, rows_from_lines
from service.agreements.units import TextUnit, ocr_repaired
from service.domain.deadlines import read_when
from service.domain.organisations import find_organisation_names


def _units(*items: tuple[str, bool] | str) -> list[TextUnit]:
    return [TextUnit(i, 1, "", False) if isinstance(i, str) else TextUnit(i[0], 1, "", i[1]) for i in items]


LETTERED = ["Udlejning, afd. 2", "Lyngbo a) LBO sender en opgørelse over ventelisten for afd. 2 Lyngbo.",
            "b) Kommunen anviser hver 3. ledige bolig i afdelingen frem til 30.06.2028.", "a) LBO,", "1. marts",
            "2027 b) Kommunen, frem til", "30.06.2028", "Drift a) LBO udarbejder en plan for affaldssortering.",
            "b) Der er ikke aftalt en ny helhedsplan.", "a) LBO,", "1. maj", "2027 b) -"]


def test_a_header_may_join_its_column_names_with_og() -> None:
    assert plain_header("Emne Aftaler Ansvar og frist") == ["emne", "aftale", "ansvarlig", "frist"]


def test_lettered_points_are_paired_with_the_who_and_when_of_the_same_letter() -> None:
    rows = rows_from_lines(LETTERED)
    assert [r.text[:20] for r in rows] == ["LBO sender en opgøre", "Kommunen anviser hve", "LBO udarbejder en pl",
                                           "Der er ikke aftalt e"]
    assert (rows[0].responsible, rows[0].when) == ("LBO", "1. marts 2027")
    assert rows[1].responsible == "Kommunen" and "30.06.2028" in rows[1].when
    assert rows[3].when == ""


def test_a_lettered_table_gives_one_agreement_per_point_and_no_agreement_for_a_decision_not_made() -> None:
    units = _units(("Referat af dialogmøde med Lyngbo Boligforening (LBO)", True), "Mødet blev holdt 2. oktober 2026.",
                   ("Aftaler", True), "Emne Aftaler Ansvar og frist", *LETTERED)
    found = extract_agreements_from_units(units)
    assert len(found) == 3
    assert found[0].deadline == "2027-03-01"
    assert found[1].valid_to == "2028-06-30" and found[1].deadline is None
    assert found[2].deadline == "2027-05-01"


def test_two_dates_joined_by_a_dash_are_a_period_of_the_last_dates_year() -> None:
    when = read_when("Kommunen betaler tomgangslejen i perioden 1. januar - 31. december 2027.")
    assert when.deadline is None and when.period is not None
    assert (when.period.start, when.period.end) == ("2027-01-01", "2027-12-31")
    assert read_when("Planen sendes senest 31. december 2027.").period is None


def test_a_decision_that_was_not_made_is_no_agreement() -> None:
    assert guarded("Der er ikke aftalt en forlængelse af projektet.")
    assert guarded("Det blev ikke besluttet at bygge nyt.")
    assert not guarded("Det blev aftalt, at kommunen anviser hver 3. bolig.")


def test_other_bullet_marks_and_an_arrow_marking_what_was_decided() -> None:
    units = _units("Referat af dialogmøde med Boligselskabet Klinten", "Mødet blev holdt 3. september 2026.",
                   ("Drift", True),
                   "· Driften er forbedret · -> Selskabet sender en plan for afd. 3 Klintebo senest d. 1/3 2027.",
                   "· Adm. sender fremover kommunen en kvartalsvis opgørelse over ledige boliger.",
                   "· Kommunen spurgte til driftsfællesskaber; bestyrelsen vil overveje det.")
    found = extract_agreements_from_units(units)
    texts = [a.text for a in found]
    assert texts[0].startswith("Selskabet sender en plan") and found[0].deadline == "2027-03-01"
    assert any(t.startswith("Adm. sender fremover") for t in texts)
    assert not any("overveje" in t for t in texts)


def test_a_day_and_month_without_year_is_the_next_such_day_after_the_meeting() -> None:
    meeting = dt.date(2026, 11, 5)
    assert read_when("I sender planen senest 15/1.", meeting=meeting).deadline.iso == "2027-01-15"  # type: ignore[union-attr]
    assert read_when("inden 1. december", meeting=meeting).deadline.iso == "2026-12-01"  # type: ignore[union-attr]
    assert read_when("senest d. 1/4 2027", meeting=meeting).deadline.iso == "2027-04-01"  # type: ignore[union-attr]
    assert read_when("senest 15/1", meeting=None).deadline.iso is None  # type: ignore[union-attr]


def test_the_type_of_home_named_wins_over_the_word_visitation() -> None:
    assert classify_agreement("Parterne holder et møde om visitationen til handicapboligerne i afd. 2.") \
        == "handicapboliger"
    assert classify_agreement("Kommunen gennemgår visitationen i januar.") == "aeldreboliger"


def test_an_organisation_name_stays_on_its_line_and_stops_at_a_field_or_a_heading() -> None:
    assert [n.name for n in find_organisation_names("Sagstitel: Boligselskabet Klinten\nDokumentnr.: 4411")] \
        == ["Boligselskabet Klinten"]
    assert [n.name for n in find_organisation_names("Boligselskabet Klinten Mødedato: 3. maj")] \
        == ["Boligselskabet Klinten"]
    assert [n.name for n in find_organisation_names("Boligforeningen Engly Formandens forord")] \
        == ["Boligforeningen Engly"]
    assert [n.name for n in find_organisation_names("Til: Boligselskabet af 1952 og kommunen")] \
        == ["Boligselskabet af 1952"]


def test_english_column_names_of_an_action_item_table() -> None:
    units = _units(("Minutes – dialogmøde med Boligselskabet Klinten", True), "Mødedato: 3. november 2026",
                   ("Action items", True),
                   "# | Action item | Owner | Due\n"
                   "1 | Klinten deler et opdateret budget for afd. 3 Klintebo med kommunen. | Klinten (AB) | EOY 2026\n"
                   "2 | Kommunen laver et udkast til en ny anvisningsaftale. | Kommunen (CD) | Uge 8 2027")
    found = extract_agreements_from_units(units)
    assert len(found) == 2
    assert found[0].deadline == "2026-12-31" and found[0].type == "tilsyn_opfoelgning"
    assert found[1].responsible == "Kommunen (CD)" and "2027" in found[1].deadline_text


def test_a_sentence_followed_by_who_must_act_is_an_assigned_action() -> None:
    units = _units("Referat af dialogmøde med Boligselskabet Klinten", "Mødet blev holdt 3. november 2026.",
                   "· Der er ledige ældreboliger. Kommunen gennemgår visitationen og melder tilbage. "
                   "Ansvarlig: Kommunen (CD), deadline 1. marts 2027.")
    found = extract_agreements_from_units(units)
    assert [a.text for a in found] == ["Kommunen gennemgår visitationen og melder tilbage."]
    assert found[0].deadline == "2027-03-01" and found[0].responsible == "Kommunen (CD)"


MUNICIPAL_TEMPLATE = [("Punkt 2. Udlejning", True), "Sagsfremstilling", "Anvisningsaftalen udløber ved årets udgang.",
                      "Indstilling", "Forvaltningen indstiller,",
                      "1) at kommunen fortsat anviser hver 4. ledige familiebolig i perioden 1. januar 2027 til "
                      "31. december 2028, og",
                      "2) at anvisningsretten i afd. 5 Klintebo udvides til hver 3. ledige bolig. Beslutning",
                      "Indstillingens pkt. 1 blev tiltrådt. Parterne mødes i stedet hvert kvartal om udlejningen.",
                      ("Punkt 3. Renovering", True), "Indstilling",
                      "Forvaltningen indstiller, at forvaltningen og Klinten nedsætter en arbejdsgruppe om renovering.",
                      "Beslutning", "Tiltrådt med den tilføjelse, at arbejdsgruppen mødes inden udgangen af januar 2027.",
                      ("Punkt 4. Ældreboliger", True), "Beslutning",
                      "Punktet blev udsat. Kommunen betaler fortsat lejen for de ledige boliger, dog længst til "
                      "30. juni 2027."]


def test_a_municipal_template_approves_a_proposal_whole_in_part_or_with_an_addition() -> None:
    units = _units(("Referat", True), "Mødeforum Styringsdialogmøde med Boligselskabet Klinten Mødedato Torsdag den "
                   "24. september 2026", ("Punkt 1. Dagsorden", True), "Beslutning", "Dagsordenen blev godkendt.",
                   *MUNICIPAL_TEMPLATE)
    found = extract_agreements_from_units(units)
    texts = [a.text for a in found]
    assert not any(t.startswith("Dagsordenen") for t in texts)
    assert any(t.startswith("Kommunen fortsat anviser") for t in texts)
    assert not any("udvides" in t for t in texts)  # only pkt. 1 was approved
    assert any(t.startswith("Parterne mødes") for t in texts)
    group = next(a for a in found if "arbejdsgruppe" in a.text)
    assert group.deadline == "2027-01-31"
    rent = next(a for a in found if "lejen" in a.text)
    assert rent.deadline is None and rent.valid_to == "2027-06-30"
    assert {a.organisation for a in found} == {"Boligselskabet Klinten"}


def test_a_scanned_text_layers_letter_digit_confusions_are_repaired() -> None:
    assert ocr_repaired("senest l. februar 2O27 og inden 3l. marts 2027") == "senest 1. februar 2027 og inden 31. marts 2027"
    assert ocr_repaired("Foreningen paatager sig at sende den til kornmunen.") \
        == "Foreningen påtager sig at sende den til kommunen."
    assert ocr_repaired("I afd. 2 Olsen og Lund") == "I afd. 2 Olsen og Lund"  # words are left alone


def test_a_scanned_referat_with_lettered_decisions_under_a_heading() -> None:
    units = units_from_chunks_free([
        ("4. Følgende blev besluttet", True),
        "4. Følgende blev besluttet a) Kommunen anviser fortsat hver 3. ledige familiebolig i afdelingerne.",
        "b) Referatet godkendes af begge parter ved underskrift.",
    ])
    found = extract_agreements_from_units(
        _units(("Referat af dialogmøde med Boligselskabet Klinten", True), "Mødet blev holdt 3. november 2026.")
        + units, organisation="Boligselskabet Klinten")
    assert [a.text[:25] for a in found] == ["Kommunen anviser fortsat "]


def units_from_chunks_free(items: list[tuple[str, bool] | str]) -> list[TextUnit]:
    """Units as the chunk reader gives them (OCR repairs applied)."""
    out: list[TextUnit] = []
    for item in items:
        text, heading = (item, False) if isinstance(item, str) else item
        out.append(TextUnit(ocr_repaired(text), 1, "", heading))
    return out


MAIL = ["Fra: Rikke Holm <rh@example.dk>", "Sendt: 4. november 2026 10:02",
        "Til: Søren Bak (Boligselskabet af 1952)", "Emne: Opsamling fra mødet", "Hej alle",
        "Tak for mødet. Her er en kort opsamling af det, vi aftalte:",
        "- I sender budgettet for afd. 3 senest 15/1.",
        "- Vi undersøger, om vi kan anvise flere familier til afd. 4, og vender tilbage inden 1. februar.",
        "- Bestyrelsen sender os referatet fra afdelingsmødet. Ventelisten når vi ikke, så det tager vi op på "
        "næste møde.",
        "Venlig hilsen", "Rikke Holm", "Fjordby Kommune · Bolig"]


def test_a_mail_recap_names_its_sides_as_we_and_you() -> None:
    found = extract_agreements_from_units(_units(*MAIL))
    assert len(found) == 3
    assert found[0].responsible == "Boligselskabet af 1952" and found[0].deadline == "2027-01-15"
    assert found[1].responsible == "Fjordby Kommune" and found[1].deadline == "2027-02-01"
    assert found[2].deadline is None  # 'næste møde' in a later sentence is not this agreement's deadline
    assert {a.organisation for a in found} == {"Boligselskabet af 1952"}


def test_we_and_you_are_nobody_without_a_signature() -> None:
    units = _units("Referat af dialogmøde med Boligselskabet Klinten", "Mødet blev holdt 3. november 2026.",
                   ("Aftaler", True), "- I afd. 2 anviser kommunen hver 3. ledige bolig frem til 31.12.2027.")
    found = extract_agreements_from_units(units)
    assert found and found[0].responsible == "kommunen"


def test_a_reporting_verb_with_a_deadline_commits_its_subject() -> None:
    units = _units("Referat af dialogmøde med Boligselskabet Klinten", "Mødet blev holdt 8. oktober 2026.",
                   ("Afdelingerne", True),
                   "- Kommunen gennemgår ventelisten og melder tilbage inden udgangen af februar 2027.",
                   "- Kommunen gennemgår status for afdelingerne.",
                   "- Forretningsføreren sender en oversigt over restancerne inden 15. december.")
    found = extract_agreements_from_units(units)
    assert [a.deadline for a in found] == ["2027-02-28", "2026-12-15"]


def test_what_the_subject_does_decides_the_type_before_what_it_is_about() -> None:
    assert classify_agreement("Boligorganisationerne indberetter hvert kvartal antallet af anviste lejere.") \
        == "tilsyn_opfoelgning"
    assert classify_agreement("Adm. sender fremover kommunen en kvartalsvis opgørelse over tomme handicapboliger.") \
        == "tilsyn_opfoelgning"
    assert classify_agreement("Kommunen og boligorganisationerne evaluerer aftalen senest 30. juni 2029.") == "dialogmoede"
    assert classify_agreement("Kommunen anviser hver 4. ledige familiebolig.") == "kommunal_anvisning"
