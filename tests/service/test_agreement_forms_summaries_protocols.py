"""Agreement forms of round 5 (issue 16): agreements stated only in a closing summary, a lead-in announcing a
run-on list ('... følgende: A; B; og C'), a board's protocol with numbered decisions and votes, and a joint agreement
whose clauses run their number, title and text into one paragraph. Each shown on examples written here."""

from __future__ import annotations

from service.agreements.clauses import extract_clauses
from service.agreements.extract import extract_agreements_from_units
from service.agreements.parties import read_parties
from service.agreements.sections import SUMMARY, section_kind
from service.agreements.units import TextUnit


def _units(*items: tuple[str, bool] | str) -> list[TextUnit]:
    return [TextUnit(i, 1, "", False) if isinstance(i, str) else TextUnit(i[0], 1, "", i[1]) for i in items]


def _texts(*items: tuple[str, bool] | str, title: str = "Referat") -> list[str]:
    return [a.text for a in extract_agreements_from_units(_units(*items), source_title=title)]


# -- a closing summary -----------------------------------------------------------------------------------

def test_summary_headings_are_their_own_kind_and_a_look_back_is_not_one() -> None:
    for heading in ("Opsamling", "Kort opsummering", "5. Sammenfatning", "Samlet resumé", "Afsluttende opsamling"):
        assert section_kind(heading) == SUMMARY, heading
    assert section_kind("Opsamling på sidste års aftaler") != SUMMARY


def test_points_of_a_closing_summary_are_agreements_when_a_party_acts() -> None:
    found = _texts(
        "Referat af beboermøde i Boligforeningen Engtoften med Lyngby Vest Kommune, 2. november 2026",
        ("3. Udlejning", True),
        "Vi talte længe om ventelisterne. Kommunen fortalte om de mange enlige på listen.",
        ("Kort opsummering", True),
        "- Kommunen anviser hver femte ledige ungdomsbolig i afd. 7.",
        "- Afdelingsbestyrelsen ønsker, at kommunen betaler flytteudgifter.",
        "- Boligforeningen sender kommunen en oversigt over de ledige ungdomsboliger.",
        "- Der blev talt om parkeringen uden at man nåede til enighed.",
    )
    assert len(found) == 2, found
    assert found[0].startswith("Kommunen anviser") and found[1].startswith("Boligforeningen sender")


def test_a_lead_in_announcing_a_run_on_list_gives_one_agreement_per_point() -> None:
    found = _texts(
        "Referat, Boligselskabet Lærkereden og Sønderhede Kommune, mødet den 14. oktober 2026",
        ("Sammenfatning", True),
        "Vi blev enige om følgende: selskabet sender en plan for tomgangen i afd. 3 senest 1. februar 2027; "
        "kommunen svarer på ansøgningen om ommærkning inden udgangen af marts 2027; og parterne holder et "
        "opfølgningsmøde i juni 2027.",
    )
    assert [f.split()[0] for f in found] == ["Selskabet", "Kommunen", "Parterne"], found
    # in an ordinary agenda item the lead-in must itself say that something was decided
    assert _texts("Referat, Boligselskabet Lærkereden", ("2. Orientering", True),
                  "Kommunen oplyste følgende: kommunen sender nye tal; selskabet ser på dem.") == []


# -- a board's protocol with numbered decisions and votes ----------------------------------------------------

def test_numbered_decisions_after_a_vote_are_agreements_and_votes_down_or_postponements_are_not() -> None:
    found = _texts(
        "Protokol for bestyrelsesmødet i Boligforeningen Kragereden, 12. november 2026",
        ("Punkt 4.1 Protokol", True),
        "Beslutning 4.1: Protokollen blev godkendt og underskrevet (uden bemærkninger).",
        ("Punkt 4.2 Anvisning i afd. 9", True),
        "Beslutning 4.2: Vedtaget med 6 stemmer for og 3 imod (mindretallet ønskede en kortere periode). "
        "Ordningen, hvor kommunen anviser hver tredje ledige bolig i afd. 9, gælder fra 1. februar 2027 til "
        "31. januar 2029.",
        ("Punkt 4.3 Ældreboliger", True),
        "Beslutning 4.3: Enstemmigt vedtaget. De otte boliger i stueplan i den gamle blok i afd. 2 ommærkes til "
        "ældreboliger; foreningen og kommunen ansøger i fællesskab om tilladelse.",
        ("Punkt 4.4 Forslag om vaskeri", True),
        "Beslutning 4.4: Forslaget fra Kaj Holm om at bede kommunen betale et nyt vaskeri blev nedstemt med 2 "
        "stemmer mod 7.",
        ("Punkt 4.5 Tagrenovering", True),
        "Beslutning 4.5: Punktet blev udsat til næste møde, fordi tilbuddene mangler.",
        title="Protokol",
    )
    assert len(found) == 2, found
    assert found[0].startswith("Ordningen, hvor kommunen anviser")
    assert found[1].startswith("De otte boliger") and "ansøger i fællesskab" in found[1]


def test_a_table_row_that_only_points_to_a_decision_is_no_agreement() -> None:
    found = _texts(
        "Referat, Boligforeningen Kragereden og Vestkysten Kommune",
        "Emne | Aftale | Ansvarlig\nUdlejning | Kommunen anviser hver fjerde bolig i afd. 4. | Kommunen\n"
        "Udlejning | Status på den fleksible udlejning: se beslutning 4.2. | Foreningen",
    )
    assert found == ["Kommunen anviser hver fjerde bolig i afd. 4."], found


# -- a joint agreement with run-in clauses --------------------------------------------------------------------

def test_run_in_clauses_of_a_joint_agreement_are_its_points_and_the_status_list_is_not() -> None:
    texts = [
        ("Fælles boligaftale 2027-2029", True),
        "Aftalen er indgået mellem Nordvig Kommune, Sydvig Kommune, Boligselskabet Havtornen og "
        "Boligforeningen Klitrosen.",
        "Aftalen gælder fra 1. januar 2027 til 31. december 2029.",
        ("Status på den forrige aftale", True),
        "- Fælles venteliste for seniorboliger: bortfaldet.",
        "- Helhedsplan for afd. 6: delvist gennemført.",
        ("Aftalens indhold", True),
        "Pkt. 1 - Anvisning: Kommunerne anviser hver femte ledige familiebolig i begge organisationers afdelinger.",
        "Pkt. 2. Fleksibel udlejning. Havtornen udlejer halvdelen af de ledige boliger i afd. 4 efter fleksible "
        "kriterier.",
        "§ 3. Klitrosen sender senest 1. juni 2027 kommunerne en plan for energirenovering af afd. 11.",
    ]
    units = _units(*texts)
    parties = read_parties("Boligaftale", [u.text for u in units])
    found = extract_clauses(units, parties=parties, source_id="s", source_title="Boligaftale")
    got = [f.agreement.text for f in found]
    assert len(got) == 3, got
    assert got[0].startswith("Kommunerne anviser") and got[1].startswith("Havtornen udlejer")
    assert got[2].startswith("Klitrosen sender")
    assert all(f.valid_to == "2029-12-31" for f in found)
    assert found[2].agreement.deadline == "2027-06-01"


def test_sending_the_other_side_a_plan_is_follow_up_but_a_helhedsplan_keeps_its_type() -> None:
    from service.agreements.agreement import classify_agreement

    assert classify_agreement("Bestyrelsen sender forvaltningen en plan for, hvordan ledigheden i afd. 8 "
                              "kan bringes ned.") == "tilsyn_opfoelgning"
    assert classify_agreement("Foreningen fremsender en genopretningsplan for afd. 2.") == "tilsyn_opfoelgning"
    assert classify_agreement("Selskabet sender kommunen en helhedsplan for afd. 3.") == "helhedsplan"


def test_a_point_that_states_an_intention_binds_no_one() -> None:
    texts = [
        ("Samarbejdsaftale 2027-2028", True),
        "Aftalen er indgået mellem Østerå Kommune og Boligselskabet Hvidtjørnen.",
        "Aftalen gælder fra 1. januar 2027 til 31. december 2028.",
        "§ 1. Anvisning. Kommunen anviser hver tredje ledige familiebolig i afd. 5.",
        "§ 2. Ventetid. Det er parternes hensigt, at ventetiden på ungdomsboliger kommer under et år.",
        "§ 3. Tryghed. Parterne vil i fællesskab arbejde for, at flere beboere deltager i beboerdemokratiet.",
    ]
    units = _units(*texts)
    parties = read_parties("Samarbejdsaftale", [u.text for u in units])
    got = [f.agreement.text for f in extract_clauses(units, parties=parties, source_id="s",
                                                     source_title="Samarbejdsaftale")]
    assert got == ["Kommunen anviser hver tredje ledige familiebolig i afd. 5."], got
    # in minutes too: an ambition stated with a modal is no commitment
    assert _texts("Referat, Boligselskabet Hvidtjørnen og Østerå Kommune", ("Aftaler", True),
                  "- Kommunen vil fremover arbejde for kortere sagsbehandlingstid.",
                  "- Selskabet tilstræber at genudleje boligerne inden for en måned.") == []


def test_status_words_of_a_previous_agreement() -> None:
    from service.domain.status import I_GANG, IKKE_OPFYLDT, OPFYLDT, classify_status

    assert classify_status("Fælles udlejningsplan for Solgården: delvis opfyldt, 5 af 8 boliger er udlejet.") == I_GANG
    assert classify_status("Ombygning af vaskeriet - delvist gennemført.") == I_GANG
    assert classify_status("Fælles boligliste med nabokommunen: bortfaldet, da listen er nedlagt.") == IKKE_OPFYLDT
    assert classify_status("Temadag om beboerdemokrati: aflyst.") == IKKE_OPFYLDT
    assert classify_status("Ny anvisningsaftale: gennemført.") == OPFYLDT


def test_a_vote_approves_the_proposal_before_it_unless_it_restates_what_was_decided() -> None:
    found = _texts(
        "Protokol for bestyrelsesmødet i Boligforeningen Kragereden, 12. november 2026",
        ("Sag 5 Ungdomsboliger", True),
        "Direktionen indstillede, at foreningen lejer ti boliger i afd. 8 ud til studerende fra kommunens skoler.",
        "Beslutning 5: Vedtaget med 4 stemmer mod 1.",
        ("Sag 6 Anvisning", True),
        "Direktionen indstillede, at aftalen med kommunen om anvisning forlænges.",
        "Beslutning 6: Vedtaget med 5 stemmer mod 0. Kommunen anviser fortsat hver fjerde ledige bolig i afd. 2 "
        "til og med 2028.",
        title="Protokol",
    )
    assert len(found) == 2, found
    assert found[0].startswith("Foreningen lejer ti boliger") and found[1].startswith("Kommunen anviser fortsat")


def test_a_summary_label_alone_or_run_into_its_points_opens_a_closing_summary() -> None:
    head = "Referat, Boligselskabet Lærkereden og Sønderhede Kommune, mødet den 14. oktober 2026"
    alone = _texts(head, ("2. Udlejning", True), "Vi talte om tomgangen i afd. 3.", "Opsamling:",
                   "- Kommunen anviser hver tredje ledige bolig i afd. 3.",
                   "- Selskabet ønsker færre anvisninger i afd. 5.")
    assert alone == ["Kommunen anviser hver tredje ledige bolig i afd. 3."], alone
    run_in = _texts(head, ("2. Udlejning", True),
                    "Kort opsummering: selskabet sender en ny udlejningsplan; kommunen anviser hver femte bolig i afd. 4.")
    assert [t.split()[0] for t in run_in] == ["Selskabet", "Kommunen"], run_in
