"""Agreement forms of the fifth round (issue 16, causes seen on the fourth batch): an organisation named only by
its document's own identity (mail addresses and signatures, a head naming the meeting's two sides), action tables
with a status column, agreements in an appendix (bilag) of an agreement document, several agreements in one long
paragraph, and mail threads. Every example is written here, in words and layouts of its own."""

from __future__ import annotations

from service.agreements.extract import extract_agreements_from_units
from service.agreements.parties import read_parties
from service.agreements.units import TextUnit
from service.domain.organisations import organisation_beside_municipality, organisation_from_domains


def _units(*items: tuple[str, bool] | str) -> list[TextUnit]:
    return [TextUnit(i, 1, "", False) if isinstance(i, str) else TextUnit(i[0], 1, "", i[1]) for i in items]


def _agreements(*items: tuple[str, bool] | str, title: str = "Referat"):  # type: ignore[no-untyped-def]
    return extract_agreements_from_units(_units(*items), source_title=title)


# -- (a) the organisation named only by the document's identity -------------------------------------------

def test_mail_domain_and_signature_name_the_organisation() -> None:
    thread = ["Fra: Lise Krog <lk@engsoelyst.dk>", "Sendt: 2. december 2026 09:10",
              "Til: sagsbehandler@vesterdal.dk", "Emne: SV: Opsamling",
              "Hej Lise\nTak, vi er enige.\nMed venlig hilsen\nKarl Bo, Vesterdal Kommune",
              "Fra: Lise Krog <lk@engsoelyst.dk>",
              "1. Vi sender en plan for afd. 3 senest 1. marts 2027.",
              "Mvh Lise Krog\nForretningsfører, Engsølyst · Bakkevej 2 · www.engsoelyst.dk"]
    assert organisation_from_domains(thread) == "Engsølyst"
    parties = read_parties("SV: Opsamling", thread)
    assert parties.organisation == "Engsølyst"


def test_domain_written_without_danish_letters_finds_the_formal_name() -> None:
    texts = ["From: drift@braendeaa.dk", "To: post@oksby.dk",
             "Boligforeningen Brændeå takker for mødet.", "Venlig hilsen\nOksby Kommune, Boligteamet"]
    assert organisation_from_domains(texts) == "Boligforeningen Brændeå"


def test_only_municipal_or_private_domains_give_no_organisation() -> None:
    assert organisation_from_domains(["Fra: a@randlev.dk", "Til: b@gmail.com", "Randlev Kommune, Teknik"]) is None
    assert organisation_from_domains(["Fra: a@randlevkommune.dk", "Ingen andre adresser her."]) is None


def test_head_naming_the_two_sides_names_the_organisation() -> None:
    assert organisation_beside_municipality(["Opfølgning - møde KLV / Tårnby Kommune"]) == "KLV"
    assert organisation_beside_municipality(["Nordmark Kommune & Solhaven: handlingsplan 2027"]) == "Solhaven"
    assert organisation_beside_municipality(["Nordmark Kommune - Referat"]) is None


def test_party_list_with_addresses_and_signature_lines_name_every_organisation() -> None:
    texts = ["Samarbejdsaftale 2027-2028", "Aftalens parter er:",
             "• Vejby Kommune, Rådhuspladsen 1, 7100 Vejby\n• Andelsboligforeningen Lærkereden, Søvej 3, 7100 Vejby",
             "• Strandbo Boliger, Havnen 9, 7101 Vejby",
             "Aftalen gælder 2027-2028."]
    assert read_parties("Samarbejdsaftale", texts).organisations == ["Andelsboligforeningen Lærkereden",
                                                                    "Strandbo Boliger"]
    signed = ["Samarbejdsaftale", "Vejby, den 1. december 2026", "For Vejby Kommune\n______\nBo Ask, borgmester",
              "For Boligselskabet Tjørnen\n______\nIb Lund, formand", "For Fjordglimt Almene Boliger\n______\nAnne Ry"]
    assert read_parties("Samarbejdsaftale", signed).organisations == ["Boligselskabet Tjørnen",
                                                                     "Fjordglimt Almene Boliger"]


# -- (c) action tables with a status column -----------------------------------------------------------------

def test_action_table_keeps_only_this_meetings_rows() -> None:
    table = ("Opgave | Hvem | Hvornår | Status\n"
             "Indsende budgetopfølgning for afd. 7 (fra 2025) | Org. | 1.2.2026 | Lukket\n"
             "Gennemgå tomgangen i afd. 3 (fra 2025) | Kommunen | Q3 2026 | Åben\n"
             "Udarbejde en plan for nedbringelse af huslejerestancer i afd. 9 | Boligselskabet | 1.5.2027 | Ny\n"
             "Ny cykelparkering ved afd. 2 | - | - | Udsat")
    found = _agreements(("Handlingsplan", True), table)
    assert [a.deadline for a in found] == ["2027-05-01"]
    english = ("Action | Owner | Due | Status\n"
               "Deliver the rent-arrears plan for afd. 4 | Org | 1.3.2026 | Done\n"
               "Boligselskabet laver en plan for fraflytningen i afd. 6 | Org | 1.4.2027 | Ongoing\n"
               "Kommunen sender anvisningsstatistik for 2026 | Kommunen | 1.2.2027 | Open")
    kept = _agreements(("Næste skridt", True), english)  # nothing marked new: open work may be this meeting's
    assert sorted(a.deadline for a in kept) == ["2027-02-01", "2027-04-01"]


# -- (b) agreements in an appendix of an agreement document -------------------------------------------------

def _aftale(*parts: tuple[str, str]):  # type: ignore[no-untyped-def]
    """An agreement document as stored chunks: (heading, text) per chunk."""
    from knowledge.store import SourceRecord
    from knowledge.types import Chunk
    from service.agreements.documents import extract_document

    record = SourceRecord(source_id="s1", title="Partnerskabsaftale 2027-2028", kind="aftale", doc_hash="h",
                          chunk_count=len(parts), ingested_at=0.0, year=2026)
    chunks = [Chunk(id=f"c{i}", source_id="s1", text=text, metadata={"heading": head, "ordinal": i, "page_start": 1})
              for i, (head, text) in enumerate(parts)]
    return extract_document(record, chunks)


def test_an_appendix_table_of_concrete_agreements_is_read_and_a_status_appendix_is_not() -> None:
    result = _aftale(
        ("§ 1 Parter", "Aftalen er indgået mellem Ravnsø Kommune, Boligselskabet Pæretræet og Lindely Boligforening."),
        ("§ 2 Kommunal anvisning", "Kommunen anviser hver tredje ledige familiebolig i hele aftaleperioden "
                                   "1.1.2027-31.12.2028."),
        ("§ 3 Underskrifter", "For Boligselskabet Pæretræet\n______\nOle Ring, formand"),
        ("Bilag A - Handleplan for de enkelte afdelinger",
         "Løbenr. | Indsats | Ansvarlig | Tidsramme\n"
         "A.1 | Pæretræet udarbejder en genopretningsplan for afd. 4 Kernehuset | Pæretræet | 1.10.2027\n"
         "A.2 | Lindely indfører fleksibel udlejning i afd. 2 Lindebo Have | Lindely | 2027-2028"),
        ("Bilag B - Status på indsatser fra 2025",
         "Lindely sender en vedligeholdelsesplan for afd. 2 inden 1.4.2026. Opfyldt."),
    )
    got = {a.agreement.deadline or a.agreement.valid_to for a in result.agreements}
    assert {"2027-10-01", "2028-12-31"} <= got
    assert "2026-04-01" not in got  # last year's agreement in the status appendix
    point = next(a.agreement for a in result.agreements if a.agreement.deadline == "2027-10-01")
    assert point.organisations == ["Boligselskabet Pæretræet"]  # the party the point names, not every party


def test_pdf_appendix_table_with_bracketed_plural_and_section_numbered_rows() -> None:
    from service.agreements.tables import plain_header, rows_from_lines

    assert plain_header("Nr. Indsats Ansvarlig(e) Tidsramme") is not None
    rows = rows_from_lines(["4.1 Vigsø Bo sender en plan for afd. 3 til kommunen.", "Vigsø Bo 1.6.2027",
                            "4.2 Kommunen og Vigsø Bo aftaler en ny anvisningsmodel.", "Kommunen + Vigsø Bo 2027-2029",
                            "Bilag 5 - Oversigt", "1 Noget helt andet. Vigsø Bo 1.1.2030"])
    assert [(r.number, r.when) for r in rows] == [(1, "1.6.2027"), (2, "2027-2029")]


# -- (d) several agreements inside one long paragraph ----------------------------------------------------------

def test_a_long_narrative_paragraph_gives_each_of_its_agreements() -> None:
    paragraph = (
        "Mødet handlede mest om afd. 5 Rævehøjen, hvor selskabet forklarede de høje udgifter med en kloakskade; "
        "selskabet påtog sig at sende kommunen en opgørelse over skadesudgifterne i afd. 5 inden udgangen af marts "
        "2027, mens kommunen noterede sig oplysningerne om regnskabet. Kommunen mangler boliger til unge, og det blev "
        "i den sammenhæng aftalt, at selskabet i 2027 og 2028 udlejer de små boliger i afd. 7 Pilen efter fleksible "
        "kriterier, ligesom kommunen og selskabet inden 1. december 2026 skal have drøftet en ny anvisningsaftale, "
        "hvorimod kommunen afviste at dække tomgangen i Pilen.")
    found = _agreements(("Redegørelse for dialogmødet med Boligselskabet Humlemarken", True), paragraph)
    texts = [a.text for a in found]
    assert len(found) == 3, texts
    assert not any("afviste" in t or "noterede" in t for t in texts)


def test_a_wish_and_its_answer_after_a_semicolon_stay_no_agreement() -> None:
    found = _agreements(("Referat af mødet med Boligforeningen Bellisen", True),
                        "Bellisen ønskede, at kommunen betaler for en ny legeplads; kommunen melder tilbage inden jul.")
    assert found == []


def test_a_time_between_subject_and_verb_keeps_the_commitment() -> None:
    from service.agreements.decisions import read_sentence

    parties = read_parties("Referat", ["Boligforeningen Hvededal"])
    for sentence in ("Foreningen senest 1. maj 2027 sender en handleplan for afd. 3.",
                     "Kommunen og foreningen ved årsskiftet skal have aftalt en ny model for anvisning.",
                     "Foreningen i 2027 udlejer hver tredje bolig efter fleksible kriterier."):
        assert read_sentence(sentence, parties, in_agreements=False) is not None, sentence


# -- (f) a vague time the meeting places ------------------------------------------------------------------------

def test_a_season_or_month_without_year_is_an_uncertain_deadline() -> None:
    from service.domain.deadlines import read_when

    for text in ("inden sommerferien", "ultimo marts", "i løbet af foråret", "før efterårsferien"):
        deadline = read_when(f"Kommunen sender planen {text}.").deadline
        assert deadline is not None and deadline.uncertain and deadline.iso is None, text
    assert read_when("Kommunen sender planen i marts.").deadline is None  # a bare 'i <month>' is not enough


# -- (e) mail threads: a later mail moves a deadline or adds a point -----------------------------------------

def test_a_later_mail_moving_a_deadline_replaces_the_agreed_one() -> None:
    thread = [
        "Fra: Ane Kok <ak@vestbo.dk>\nSendt: 12. november 2026",
        "Hej Per\nOk for os - fristen for handleplanen om Rosenhøj rykkes til 15. april 2027. Resten er godkendt.",
        "Fra: Per Sand <ps@tvedby.dk>\nSendt: 5. november 2026\nEmne: Opsamling",
        "1. Vestbo sender en handleplan for udlejningen i afd. 3 Rosenhøj senest 1. marts 2027.",
        "2. Tvedby Kommune sender en opgørelse over anviste boliger senest 1. februar 2027.",
    ]
    found = _agreements(*thread, title="SV: Opsamling")
    deadlines = sorted(a.deadline for a in found)
    assert deadlines == ["2027-02-01", "2027-04-15"], [a.text for a in found]


def test_a_point_added_after_a_lead_colon_is_an_agreement() -> None:
    found = _agreements("Fra: Kim Lund <kl@grenaa-kommune.dk>",
                        "Tak for referatet, vi mangler dog én ting: Kommunen anviser fortsat løbende til de ledige "
                        "ungdomsboliger i afd. 4 Kildebo.", title="SV: Referat")
    assert len(found) == 1 and found[0].ongoing


def test_a_moved_deadline_reaches_a_quoted_repeat_too_but_not_two_different_agreements() -> None:
    quoted = _agreements("Fra: Bo Holm <bh@skovlys-bolig.dk>",
                         "Vi beder om, at fristen for budgetopfølgningen ændres til 1. juni 2027.",
                         "> 1. Skovlys sender en budgetopfølgning for afd. 6 senest 1. april 2027.",
                         "1. Skovlys sender en budgetopfølgning for afd. 6 senest 1. april 2027.", title="RE: Referat")
    assert quoted and {a.deadline for a in quoted} == {"2027-06-01"}
    two = _agreements("Fra: Bo Holm <bh@skovlys-bolig.dk>",
                      "Fristen for planen rykkes til 1. juni 2027.",
                      "Skovlys sender en plan for afd. 6 senest 1. april 2027.",
                      "Skovlys sender en plan for afd. 8 senest 1. maj 2027.", title="RE: Referat")
    assert sorted(a.deadline for a in two) == ["2027-04-01", "2027-05-01"]  # which plan is meant is unclear


# -- (f) periods written as two years, a whole year, or a start and 'indtil' -------------------------------------

def test_period_forms_of_running_prose() -> None:
    from service.domain.deadlines import read_when

    cases = {"Selskabet udlejer i 2028 og 2029 de små boliger fleksibelt.": ("2028-01-01", "2029-12-31"),
             "Kommunen anviser i hele 2028 til afd. 3.": ("2028-01-01", "2028-12-31"),
             "(Kommunen - hele året 2027)": ("2027-01-01", "2027-12-31"),
             "med virkning fra 1. april 2027 og indtil udgangen af 2030": ("2027-04-01", "2030-12-31"),
             "gælder fra 1.3.2027 og til og med 28.2.2029": ("2027-03-01", "2029-02-28")}
    for text, (start, end) in cases.items():
        period = read_when(text).period
        assert period is not None and (period.start, period.end) == (start, end), text
    assert read_when("Lejen steg i 2019 og 2031 mere end ventet.").period is None  # no run of years


def test_pdf_action_table_rows_end_at_their_status_cell() -> None:
    from service.agreements.tables import plain_header, rows_from_lines

    roles = plain_header("Opgave Ejer Frist Status")
    assert roles is not None
    lines = ["Indsende regnskab for afd. 9 Org 1.4.2026 Lukket (modtaget)",
             "Gennemgå lejetab i afd. 2 Kommunen Q3 2026 Åben - afventer tal",
             "Udarbejde ny vedligeholdelsesplan for afd. 5 Kornet",
             "Selskabet (drift) uge 14 2027 Ny",
             "a) Selskabet laver en plan for ombygning af afd. 8 b) Kommunen undersøger behovet for",
             "ungdomsboliger i området a) Selskabet b) Kommunen",
             "H2 2027 Ny",
             "Cykelskure ved afd. 3 - venter på lokalplan",
             "- - Udsat",
             "Forklaring: Ny = aftalt på mødet."]
    rows = rows_from_lines(lines, roles=roles)
    assert [(r.responsible, r.when) for r in rows] == [("Selskabet (drift)", "uge 14 2027"), ("Selskabet", "H2 2027"),
                                                       ("Kommunen", "H2 2027")]
    assert rows[2].text.startswith("Kommunen undersøger") and rows[2].text.endswith("i området")


def test_english_times_of_action_logs() -> None:
    from service.domain.deadlines import read_when

    for text in ("w14 2027", "week 9 2027", "H2 2027", "1H 2028"):
        deadline = read_when(text).deadline
        assert deadline is not None and deadline.uncertain, text
    ongoing = read_when("ongoing").deadline
    assert ongoing is not None and ongoing.ongoing


# -- (b) agreement documents: points as numbered sub-sections, parties named without a form word -----------------

def test_sub_sections_of_an_agreement_section_are_agreements_with_their_field_units() -> None:
    result = _aftale(
        ("1. Parter", "Aftalen er indgået mellem Ravnsø Kommune, Boligselskabet Pæretræet og Hjemly Kvarteret (HK)."),
        ("2. Aftalepunkter > 2.1 Anvisning", "Kommunen anviser hver fjerde ledige bolig."),
        ("2. Aftalepunkter > 2.1 Anvisning", "Ansvar: Kommunen"),
        ("2. Aftalepunkter > 2.1 Anvisning", "Tidsfrist: 1.1.2027-31.12.2028"),
        ("2. Aftalepunkter > 2.2 Seniorboliger", "Kvarteret og Kommunen udarbejder en plan for seniorboliger i afd. 7."),
        ("2. Aftalepunkter > 2.2 Seniorboliger", "Ansvar: Kvarteret og Kommunen"),
        ("2. Aftalepunkter > 2.2 Seniorboliger", "Tidsfrist: 1. oktober 2027"),
        ("3. Underskrifter", "For Boligselskabet Pæretræet\n______\nOle Ring"),
        ("3. Underskrifter", "For Hjemly Kvarteret\n______\nIda Bo, formand"),
    )
    got = {(a.agreement.deadline, a.agreement.valid_to) for a in result.agreements}
    assert got == {(None, "2028-12-31"), ("2027-10-01", None)}


def test_type_words_of_the_domain() -> None:
    from service.agreements.agreement import classify_agreement

    assert classify_agreement("Selskabet indsender en prækvalifikation for afd. 2 i foråret.") == "helhedsplan"
    assert classify_agreement("Parterne undersøger, om fire boliger kan gøres egnede for borgere med "
                              "psykisk handicap.") == "handicapboliger"


def test_a_lettered_point_under_an_agenda_item_is_read_as_its_sentence() -> None:
    found = _agreements(("Ad pkt. 6. Bygningerne - afd. 2 Mosekanten", True),
                        "a) Selskabet fortalte om revner i facaderne.\n"
                        "b) Parterne undersøger sammen, om afd. 2 skal have en ny facade, ultimo 2027.",
                        title="Referat Boligselskabet Tornebo")
    assert len(found) == 1 and found[0].deadline_text.startswith("ultimo 2027")


def test_a_contrasting_refusal_is_cut_off_and_a_calendar_year_is_a_period() -> None:
    found = _agreements(("Referat af mødet med Boligforeningen Hvededal", True),
                        "Parterne blev enige om, at kommunen anviser hver tredje bolig, ligesom foreningen i "
                        "kalenderåret 2028 udlejer de små boliger i afd. 4 efter fleksible kriterier, mens foreningens "
                        "forslag om en ny legeplads blev afvist af kommunen.")
    texts = [a.text for a in found]
    assert len(found) == 2 and not any("afvist" in t for t in texts), texts
    flexible = next(a for a in found if "fleksible" in a.text)
    assert (flexible.valid_from, flexible.valid_to) == ("2028-01-01", "2028-12-31")


def test_a_new_row_ending_in_its_question_and_a_numeric_start_with_years_on() -> None:
    from service.domain.deadlines import read_when

    table = ("Handling | Ansvarlig | Frist | Status\n"
             "Fælles gennemgang af behovet for ungdomsboliger i afd. 5 - skal der ommærkes? | Begge | Q3 2027 | Ny\n"
             "Kan kommunen hjælpe med flyttehjælp? | Kommunen | - | Udsat")
    found = _agreements(("Aktionsliste", True), table)
    assert len(found) == 1 and "ommærkes" in found[0].text
    period = read_when("fra 1.3.2027 og to år frem, dvs. til 28.2.2029").period
    assert period is not None and (period.start, period.end) == ("2027-03-01", "2029-02-28")


def test_the_writer_of_a_mail_signed_with_the_name_its_domain_gave_and_a_state_column() -> None:
    found = _agreements("From: ole@hvedeager.dk", "To: sb@sandholt.dk",
                        "Hej Sofie,\nvi sender jer en plan for genhusning i afd. 2 inden udgangen af februar 2027.",
                        "Venlig hilsen\nOle, Hvedeager", title="Opfølgning")
    assert len(found) == 1 and found[0].responsible == "Hvedeager" and found[0].deadline == "2027-02-28"
    table = ("Action | Owner | Due | State\nSend budget for afd. 1 | Org | 1.2.2026 | Closed\n"
             "Boligselskabet sender en plan for afd. 3 | Org | Q1 2027 | New")
    rows = _agreements(("Action items", True), table, title="Action items Boligselskabet Hvedeager")
    assert [a.deadline_text for a in rows] == ["Q1 2027"]


def test_a_party_list_ends_at_the_next_numbered_heading() -> None:
    texts = ["1. Parter", "Aftalens parter er:", "- Vejby Kommune, Torvegade 2, 7100 Vejby",
             "- Boligforeningen Lyngholm, Lyngvej 1, 7100 Vejby", "- Havbo Almene Boliger, Kajen 12, 7100 Vejby",
             "2. Generelt", "Kommunen anviser hver fjerde bolig."]
    assert read_parties("Partnerskabsaftale", texts).organisations == ["Boligforeningen Lyngholm",
                                                                      "Havbo Almene Boliger"]


def test_a_party_is_named_by_the_distinctive_word_of_its_name() -> None:
    parties = read_parties("Aftale", ["Aftalen er indgået mellem Vejby Kommune, Havbo Almene Boliger og "
                                      "Boligforeningen Lyngholm."])
    assert parties.named_in("Havbo udlejer de ledige boliger fleksibelt.") == ["Havbo Almene Boliger"]
    assert parties.named_in("Kommunen anviser til de ledige boliger hos begge.") == []  # 'boliger' names nobody
