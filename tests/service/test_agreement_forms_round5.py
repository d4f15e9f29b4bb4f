"""Agreement forms of the fourth round (issue 16, causes seen on the third batch's frozen half), each shown on
small examples written here in other words and layouts: attendance lines with their sides and roles, consent and
inverted promises, two main clauses joined by ', og', vague times placed (a year an arrangement runs, the next
meeting, a capped open period, the first time of a recurring duty, a span whose first date has no year), and a
'd.' before a date that ends no sentence."""

from __future__ import annotations

import datetime as dt

from knowledge.sentences import split_sentences
from service.agreements.dating import document_date, next_meeting
from service.agreements.decisions import read_sentence
from service.agreements.extract import extract_agreements_from_units
from service.agreements.fields import and_clauses
from service.agreements.parties import party_at, read_parties
from service.agreements.units import TextUnit
from service.domain.deadlines import read_when

MEETING = "Mødet blev holdt den 3. november 2026."


def _units(*items: tuple[str, bool] | str) -> list[TextUnit]:
    return [TextUnit(i, 1, "", False) if isinstance(i, str) else TextUnit(i[0], 1, "", i[1]) for i in items]


def _agreements(*items: tuple[str, bool] | str, title: str = "Referat"):  # type: ignore[no-untyped-def]
    return extract_agreements_from_units(_units(*items), source_title=title)


# -- who the parties are: attendance lines -------------------------------------------------------------

def test_attendance_line_with_a_verb_and_sides_after_fra_names_the_organisation() -> None:
    for line in ("Til stede var fra Boligforeningen Hyben: formand Ole Berg; fra Nordhavn Kommune: Pia Krag.",
                 "Fremmødt fra Andelsboligforeningen Kløvermarken: næstformand Ida Holm, og fra Nordhavn Kommune: "
                 "konsulent Bo Lind.",
                 "Deltagere fra Boligselskabet Vestervang: direktør Jens Mo; for Nordhavn Kommune: Eva Dam."):
        parties = read_parties("Protokol", ["Protokol", line])
        assert parties.organisation is not None and "Kommune" not in parties.organisation, line
        assert parties.municipality == "Nordhavn Kommune"


def test_roles_on_an_attendance_line_act_for_their_side() -> None:
    parties = read_parties("Konklusioner", [
        "Deltagere: Boligforeningen Hyben v/ formand Ole Berg og driftsleder Kim Ravn; Nordhavn Kommune v/ "
        "boligkonsulent Pia Krag og sagsbehandler Lone Vang."])
    both = party_at("Boligkonsulenten og driftslederen mødes hver anden måned.", 0, parties)
    assert both is not None and both.role == "begge"
    one = party_at("Sagsbehandleren sender listen senest 1. februar 2027.", 0, parties)
    assert one is not None and one.role == "kommune"


def test_fra_os_makes_the_writer_the_other_side_of_the_line() -> None:
    parties = read_parties("Referat", ["Til stede: fra os Grethe (formand) og Hans (kasserer). Fra kommunen kom "
                                       "Mette Lund."])
    assert parties.writer == "organisation"
    assert read_sentence("Vi laver en ny vedligeholdelsesplan inden d. 1/3.", parties, in_agreements=False) is not None
    from_kommune = read_parties("Referat", ["Deltagere: fra os Lis Holm og Per Nør; fra boligselskabet Anne Bak."])
    assert from_kommune.writer == "kommune"


def test_abbreviations_defined_with_an_equals_sign_name_their_party() -> None:
    parties = read_parties("Log", ["Forkortelser brugt i loggen: HYB = Boligforeningen Hyben, NK = Nordhavn Kommune."])
    mention = party_at("HYB sender regnskabet senest 1. maj 2027.", 0, parties)
    assert mention is not None and mention.role == "organisation"
    assert parties.expand("NK/HYB") == "Nordhavn Kommune/Boligforeningen Hyben"


def test_a_person_with_the_party_in_brackets_and_a_genitive_representative_act_for_the_party() -> None:
    parties = read_parties("Referat", ["Referat"])
    for text, role in (("Lone (kommunen) tager sig af at ringe til beboerne.", "kommune"),
                       ("Selskabets repræsentant Anders Bo sender planen.", "organisation"),
                       ("Kommunens sagsbehandler svarer inden jul.", "kommune")):
        mention = party_at(text, 0, parties)
        assert mention is not None and mention.role == role, text


# -- decisions however they are worded -----------------------------------------------------------------

def test_consent_is_an_agreement_and_its_at_clause_is_the_content() -> None:
    found = _agreements(MEETING, "Efter lidt frem og tilbage sagde kommunen ja til, at selskabet udlejer hver "
                                 "tredje bolig i afd. 4 efter fleksible kriterier.",
                        "Boligforeningen gik med til at betale for istandsættelsen af de to boliger senest 1. maj 2027.",
                        "Kommunen accepterede ikke, at foreningen udlejer ældreboligerne til yngre.")
    assert [a.type for a in found] == ["fleksibel_udlejning", "andet"]
    assert found[0].text.startswith("Selskabet udlejer")
    assert found[1].text.startswith("Boligforeningen gik med til") and found[1].deadline == "2027-05-01"


def test_a_promise_with_its_subject_after_the_verb_is_an_undertaking() -> None:
    found = _agreements(MEETING, "Som det sidste lovede kommunen at sende referatet inden uge 2.",
                        "Til slut lovede Bente (kommunen) at hun undersøger sagen om lejetabet inden 1. februar 2027.")
    assert len(found) == 2
    assert found[0].text.startswith("Som det sidste lovede kommunen") and found[0].deadline_text.startswith("inden uge 2")
    assert found[1].deadline == "2027-02-01"


def test_an_undertaking_with_words_between_sig_and_at_is_read() -> None:
    for sentence in ("Formandens repræsentant påtog sig på sin side at svare inden 1. marts 2027.",
                     "Selskabet påtager sig desuden at sende planen inden 1. marts 2027.",
                     "Kommunens repræsentant Ib Rask påtog sig samtidig at rydde op i ventelisten inden 1. marts 2027."):
        found = _agreements(MEETING, sentence)
        assert [a.deadline for a in found] == ["2027-03-01"], sentence


def test_thinking_after_a_modal_postponing_and_no_change_are_no_agreements() -> None:
    found = _agreements(MEETING, "Kommunen vil i den forbindelse overveje, om reglerne skal ændres fra 2028.",
                        "Selskabet skal nok tage stilling til tilbuddet i løbet af 2027.",
                        "Sagen om legepladsen blev henlagt til næste møde i marts 2027.",
                        "Det næste dialogmøde afholdes i oktober 2027.",
                        "Beslutning: Ingen ændring. Kommunen ser på sagen igen ved dialogmødet i 2027.",
                        "Besluttet: Uændret.")
    assert found == []


# -- two main clauses in one sentence --------------------------------------------------------------------

def test_a_second_main_clause_with_its_own_party_is_a_second_agreement() -> None:
    parties = read_parties("Referat", ["Referat med Boligforeningen Hyben"])
    assert len(and_clauses("Hyben sender hvert halve år en opgørelse over fraflytninger, og Hyben laver en plan for "
                           "udlejningen i afd. 2.", parties)) == 2
    assert len(and_clauses("Kommunen betaler lejetabet til 1. juli, og selskabet melder ledige boliger til "
                           "kommunen hver måned.", parties)) == 2
    # no subject, no party, or a term of the first agreement: one agreement
    for one in ("Kommunen giver et svar senest 1. marts, og betaler lejetabet indtil da.",
                "Selskabet udlejer hver anden bolig fleksibelt, og ordningen evalueres næste år.",
                "Kommunen anviser hver fjerde bolig, og kommunen betaler lejetabet for de anviste boliger."):
        assert and_clauses(one, parties) == [one], one


def test_in_a_decision_field_a_first_clause_without_a_party_keeps_the_rest() -> None:
    parties = read_parties("Referat", ["Referat med Boligforeningen Hyben"])
    text = "Den kombinerede udlejning i afd. 3 fortsætter, og Hyben melder tallene ind hvert kvartal."
    assert and_clauses(text, parties, decided=True) == [text]
    assert len(and_clauses(text, parties)) == 2


def test_coordinated_clauses_in_prose_each_give_an_agreement_and_share_the_period() -> None:
    found = _agreements(MEETING, "Boligforeningen Hyben og Nordhavn Kommune drøftede udlejningen.",
                        "Hyben stiller i årene 2027-2028 seks boliger om året til rådighed for kommunens anvisning, og "
                        "kommunen anviser desuden hver fjerde ledige bolig i samme periode.",
                        "Pia foreslog at vi venter med tagene, og vi sender en plan for tagene inden d. 30/6.",
                        title="Referat dialogmøde Boligforeningen Hyben")
    by_start = {a.text[:10]: a for a in found}
    assert by_start["Hyben stil"].valid_to == "2028-12-31"
    assert by_start["Kommunen a"].valid_from == "2027-01-01" and by_start["Kommunen a"].valid_to == "2028-12-31"
    assert len(found) == 2  # 'vi' is nobody here: no writer is known


def test_one_time_per_agreement_in_a_field_under_two_decisions() -> None:
    found = _agreements(MEETING, "Forkortelser: HYB = Boligforeningen Hyben.",
                        "- Besluttet: HYB sender hver måned en liste over ledige boliger, og HYB udarbejder en "
                        "udlejningsplan for afd. 2.",
                        "- Opfølgning: hver måned / planen uge 12",
                        "- Ansvar: HYB")
    assert len(found) == 2
    assert found[0].ongoing and found[0].deadline is None
    assert found[1].deadline_text.startswith("uge 12") and "2027" in found[1].deadline_text


# -- when ------------------------------------------------------------------------------------------------

def test_validity_fields_and_spans_read_as_periods() -> None:
    found = _agreements(MEETING, "- Besluttet: Kommunen anviser hver tredje ledige bolig i afd. 1.", "- Gælder: 2027-2029",
                        "- Besluttet: Selskabet udlejer ungdomsboligerne til elever.", "- Varighed: 1.8.-31.12.2027")
    assert [(a.valid_from, a.valid_to) for a in found] == [("2027-01-01", "2029-12-31"), ("2027-08-01", "2027-12-31")]


def test_an_open_period_with_a_latest_end_ends_then() -> None:
    for text in ("Kommunen anviser fra 1. marts 2027 og indtil videre, dog længst til 28. februar 2029, hver femte bolig.",
                 "Ordningen gælder fra 1. marts 2027 og indtil videre, men længst til og med 28. februar 2029."):
        period = read_when(text).period
        assert period is not None and (period.start, period.end) == ("2027-03-01", "2029-02-28"), text
    assert read_when("fra 1. marts 2027 og indtil videre").period.end is None  # type: ignore[union-attr]


def test_a_run_of_years_may_be_one_and_a_half() -> None:
    period = read_when("Selskabet udlejer fra 1/4-27 og halvandet år frem efter fleksible kriterier.",
                       meeting=dt.date(2026, 11, 3)).period
    assert period is not None and (period.start, period.end) == ("2027-04-01", "2028-09-30")
    assert read_when("i kalenderårene 2028-2030").period.end == "2030-12-31"  # type: ignore[union-attr]


def test_the_first_time_of_a_recurring_duty_is_its_deadline() -> None:
    for text, iso in (("Selskabet indberetter hvert kvartal, første gang pr. 31. marts 2027, antallet af udlejninger.",
                       "2027-03-31"),
                      ("Kommunen sender en opgørelse årligt, første gang den 15. januar 2028.", "2028-01-15")):
        deadline = read_when(text).deadline
        assert deadline is not None and deadline.iso == iso, text
    assert read_when("Selskabet indberetter hvert kvartal.").deadline.ongoing  # type: ignore[union-attr]
    assert read_when("mødes hver tredje måned").deadline.ongoing  # type: ignore[union-attr]


def test_a_year_is_the_period_of_an_arrangement_and_stays_a_deadline_for_a_task() -> None:
    found = _agreements(MEETING, "Det blev aftalt, at foreningen forsøgsvis i 2027 udlejer halvdelen af de ledige "
                                 "boliger efter reglerne om kombineret udlejning.",
                        "Det blev aftalt, at foreningen i 2027 udarbejder en ny vedligeholdelsesplan.")
    assert (found[0].valid_from, found[0].valid_to, found[0].deadline) == ("2027-01-01", "2027-12-31", None)
    assert found[1].valid_to is None and "2027" in found[1].deadline_text


def test_before_the_next_meeting_is_the_next_meeting_the_document_dates() -> None:
    units = _units(MEETING, "Det blev aftalt, at selskabet inden næste dialogmøde undersøger ventelisten.",
                   "Næste møde holdes den 12. oktober 2027 på rådhuset.")
    assert next_meeting(units) == ("12. oktober 2027", dt.date(2027, 10, 12))
    found = extract_agreements_from_units(units)
    assert found[0].deadline == "2027-10-12"
    undated = extract_agreements_from_units(_units(MEETING, "Det blev aftalt, at selskabet undersøger ventelisten "
                                                            "inden næste møde."))
    assert undated[0].deadline is None and undated[0].deadline_uncertain


def test_a_weekday_and_a_date_in_the_head_date_the_meeting() -> None:
    units = _units("Konklusioner fra styringsdialogen",
                   "Boligforeningen Hyben og Nordhavn Kommune, tirsdag den 6. oktober 2026 kl. 13-15, mødelokale 2 på Nordhavn Rådhus.",
                   "Selskabet sender planen senest 31/3.")
    assert document_date(units, records_meeting=True) == "2026-10-06"
    assert extract_agreements_from_units(units)[0].deadline == "2027-03-31"


def test_d_before_a_date_ends_no_sentence() -> None:
    assert split_sentences("Planen sendes senest d. 1/2, så vi kan se den. Næste punkt.") == [
        "Planen sendes senest d. 1/2, så vi kan se den.", "Næste punkt."]
    assert len(split_sentences("Mødet var d. 4. november. Alle kom.")) == 2


# -- questions about an organisation's agreements reach the register whatever their wording ---------------

_ORGS = ["Boligforeningen Hyben", "Boligselskabet Vestervang"]


def test_questions_about_what_a_meeting_came_to_or_what_is_owed_reach_the_register() -> None:
    from service.agreements.chat import parse_agreement_question

    for question in ("Hvad kom der ud af dialogmødet med Hyben?", "Hvilke konklusioner har vi fra mødet med Vestervang?",
                     "Hvad står der i referatet fra Hyben?", "Er der noget udestående med Vestervang?",
                     "Hvad skal Hyben levere til os?", "Hvad gik Vestervang med til?",
                     "hvad har hyben sagt ja til", "Hvad skal vi følge op på hos Vestervang?"):
        assert parse_agreement_question(question, _ORGS, {"nordhavn"}) is not None, question
    for question in ("Hvilke regler gælder for fleksibel udlejning hos Hyben?", "Kan Vestervang udleje efter § 60?",
                     "hvilken dato holder vi dialogmøde med hyben i 2027", "Hvad skal man levere i en styringsrapport?"):
        assert parse_agreement_question(question, _ORGS, {"nordhavn"}) is None, question


def test_the_people_of_an_attendance_line_act_for_their_side_and_are_shown_with_it() -> None:
    from service.agreements.parties import normalise_party

    parties = read_parties("Referat fra Boligforeningen Hyben", [
        "Til stede: for Boligforeningen Hyben Ole Berg (formand) og Kim Ravn; fra Nordhavn Kommune Pia Krag og "
        "Lone Vang (sagsbehandler)."])
    assert {k: parties.people[k] for k in ("ole", "kim", "pia", "lone")} == {
        "ole": "organisation", "kim": "organisation", "pia": "kommune", "lone": "kommune"}
    assert "nordhavn" not in parties.people and "hyben" not in parties.people
    found = extract_agreements_from_units(_units(MEETING, "Det blev aftalt, at Kim laver en ny plan for tagene senest "
                                                          "1. april 2027."), parties=parties)
    assert found[0].responsible == "Kim (Boligforeningen Hyben)"
    assert normalise_party("Sagsbehandleren", parties) == "Sagsbehandleren (Nordhavn Kommune)"


def test_consent_with_words_between_its_verb_and_its_particle() -> None:
    parties = read_parties("Referat", ["Referat med Boligforeningen Hyben"])
    for sentence in ("Kommunen sagde efter nogen drøftelse ja til, at Hyben udlejer hver tredje bolig fleksibelt.",
                     "Til sidst gik selskabet med til at Hyben laver en plan for tagene inden 1. maj 2027.",
                     "Efter en lang snak er boligforeningen gået med til at sende regnskabet hvert kvartal."):
        assert read_sentence(sentence, parties, in_agreements=False) is not None, sentence


def test_a_meeting_dated_with_a_slash_and_the_year_after_a_space() -> None:
    from service.domain.dates import parse_danish_date

    assert parse_danish_date("d. 20/10 2026") == dt.date(2026, 10, 20)
    assert parse_danish_date("pr. 31/12 2025 var der") == dt.date(2025, 12, 31)
    units = _units("Notat fra dialogmøde d. 20/10 2026", "Selskabet sender planen senest 15/1.")
    assert document_date(units, records_meeting=True) == "2026-10-20"


def test_two_people_of_different_sides_are_both() -> None:
    from service.agreements.parties import normalise_party

    parties = read_parties("Protokol", ["Fremmødt fra Boligforeningen Hyben: driftsleder Kim Ravn; fra Nordhavn "
                                        "Kommune: boligkonsulent Pia Krag."])
    assert normalise_party("Boligkonsulenten og driftslederen", parties) == (
        "Boligkonsulenten og driftslederen (Nordhavn Kommune og Boligforeningen Hyben)")
    assert normalise_party("Selskabet og kommunen", parties) == "Selskabet og kommunen"


def test_the_same_period_in_a_conclusion_cell_is_the_period_of_the_clause_before() -> None:
    units = _units(MEETING, "Emne | Konklusion\nUdlejning | Selskabet udlejer i årene 2027-2028 hver anden bolig i "
                            "afd. 4 efter fleksible kriterier, og kommunen anviser desuden hver sjette ledige bolig i "
                            "samme periode.")
    found = extract_agreements_from_units(units)
    assert [(a.type, a.valid_to) for a in found] == [("fleksibel_udlejning", "2028-12-31"),
                                                     ("kommunal_anvisning", "2028-12-31")]


def test_producing_a_plan_or_sending_a_list_for_the_other_side_is_follow_up() -> None:
    from service.agreements.agreement import classify_agreement

    assert classify_agreement("Selskabet laver en ny udlejningsplan for afd. 2.") == "tilsyn_opfoelgning"
    assert classify_agreement("Kommunen sender en liste over de nøgletal, den vil have.") == "tilsyn_opfoelgning"
    assert classify_agreement("Selskabet udarbejder en helhedsplan for afd. 2.") == "helhedsplan"


def test_a_first_name_that_is_also_a_word_is_no_party_before_a_number() -> None:
    parties = read_parties("Referat", ["Deltagere: fra Boligforeningen Hyben: Per Holm og Kim Ravn; fra Nordhavn "
                                       "Kommune: Pia Krag."])
    assert parties.people.get("per") == "organisation"
    assert party_at("Per 1. januar 2027 anviser kommunen hver fjerde bolig.", 0, parties) is None
    assert party_at("Per sender listen i morgen.", 0, parties) is not None
