"""Which sentence leads an extractive answer, and how long the answer may be (issue 14, round 3).

The passages and questions are our own, written for these tests (not statute text, not from the eval sets)."""

from __future__ import annotations

import pytest

from knowledge.types import Chunk, Hit
from service.answering.checker import strip_markers
from service.answering.extractive import compose_extractive_answer
from tests.service.answering_fakes import guide_chunk, law_chunk


def hits(*chunks: Chunk) -> list[Hit]:
    return [Hit(chunk=c, score=1.0 - i * 0.05, relevance=0.8 - i * 0.05) for i, c in enumerate(chunks)]


def first_sentence(text: str) -> str:
    return strip_markers(text.split("[", 1)[0]).strip()


# -- definition questions -------------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "term"), [
    ("Hvad er en byggefond?", "byggefond"),
    ("byggefond?? hvad er det for noget", "byggefond"),
    ("hvad er det der byggefond for noget", "byggefond"),
    ("Byggefonden - hvad er det?", "byggefond"),
])
def test_the_term_of_a_colloquial_definition_question_is_found(question: str, term: str) -> None:
    from service.answering.signals import definition_subject

    assert definition_subject(question) == {term}


@pytest.mark.parametrize("question", ["Hvad er det, der gælder?", "Hvad er det for en regel?"])
def test_a_pronoun_is_no_term_to_define(question: str) -> None:
    from service.answering.signals import definition_subject

    assert definition_subject(question) == set()


def test_a_colloquial_definition_question_leads_with_the_sentence_about_the_term() -> None:
    note = guide_chunk(
        "note#fond", "Fonde", "Fonde > Byggefond",
        "Efter § 12 kan bestyrelsen beslutte at overføre et beløb til byggefonden hvert år. "
        "Byggefonden dækker udgifter til nybyggeri i organisationen og kan ikke bruges til drift.",
    )
    draft = compose_extractive_answer("byggefond?? hvad er det for noget", hits(note))
    assert first_sentence(draft.text).startswith("Byggefonden dækker"), draft.text


@pytest.mark.parametrize(("sentence", "subject", "expected"), [
    ("1) Forsøgsbolig: En bolig, som kommunen udlejer på prøve i højst to år.", "forsøgsbolig", True),
    ("- 3) Boligtager: Den, som kommunen har anvist til boligen.", "boligtager", True),
    ("2) Støtteperson: En medarbejder, der følger lejeren.", "forsøgsbolig", False),
    ("Forsøgsboligen er i øvrigt en bolig som enhver anden.", "forsøgsbolig", True),
])
def test_an_item_of_a_definitions_provision_defines_its_label(sentence: str, subject: str, expected: bool) -> None:
    from service.answering.signals import defines, definition_subject

    assert defines(sentence, definition_subject(f"Hvad er en {subject}?")) is expected


def test_a_definition_question_leads_with_the_definition_item_of_the_act() -> None:
    definitions = law_chunk(
        "3", 1,
        "I denne lov forstås ved: 1) Forsøgsbolig: En almen bolig, som efter aftale med kommunen udlejes "
        "tidsbegrænset til en anvist lejer. 2) Boligtager: Den, som kommunen har anvist til en forsøgsbolig.",
    )
    later = law_chunk(
        "3", 2, "En forsøgsbolig er i enhver anden henseende fortsat en almen bolig som andre boliger i afdelingen.",
    )
    draft = compose_extractive_answer("Hvad forstås ved en forsøgsbolig?", hits(later, definitions))
    assert "udlejes tidsbegrænset" in first_sentence(draft.text), draft.text


# -- the rule before a pointer to it, an example or what is usual ------------------------------------------

@pytest.mark.parametrize(("sentence", "pointer"), [
    ("Bekendtgørelsens § 40 opregner de syv slags arbejder, der kræver bestyrelsens samtykke.", True),
    ("Reglerne om afdelingsmøder står i lovens kapitel 6.", True),
    ("Lovens kapitel 9 om fonde (§§ 80-89) indeholder reglerne om byggefonden.", True),
    ("Efter § 40, stk. 1 kræver en ombygning bestyrelsens samtykke.", False),
    ("Bestyrelsen handler om morgenen, når der er brug for det.", False),
])
def test_sentences_that_say_where_rules_stand_are_recognised(sentence: str, pointer: bool) -> None:
    from service.answering.signals import points_to_rules

    assert points_to_rules(sentence) is pointer


def test_a_pointer_to_a_provision_does_not_lead_unless_the_question_asks_where() -> None:
    note = guide_chunk(
        "note#samtykke", "Samtykke", "Bestyrelsen > Samtykke",
        "Bekendtgørelsens § 40 opregner de syv slags arbejder, der kræver bestyrelsens samtykke. "
        "En ombygning af fællesarealer kræver bestyrelsens samtykke, før arbejdet sættes i gang.",
    )
    draft = compose_extractive_answer("hvilke arbejder kræver bestyrelsens samtykke", hits(note))
    assert first_sentence(draft.text).startswith("En ombygning"), draft.text
    where = compose_extractive_answer("hvor står reglerne om arbejder, der kræver bestyrelsens samtykke", hits(note))
    assert first_sentence(where.text).startswith("Bekendtgørelsens § 40"), where.text


def test_one_case_from_one_place_yields_to_the_rule() -> None:
    from service.answering.signals import practice_example

    assert practice_example("I sagen fra Sønderby i 2019 blev bestyrelsen afsat.") == "Sønderby"
    assert practice_example("Et konkret eksempel: I 2019 blev bestyrelsen i Sønderby afsat.") == "Et konkret eksempel"
    assert practice_example("I sagen om anvisning blev reglerne ændret.") == ""
    note = guide_chunk(
        "note#afsat", "Indgreb", "Tilsyn > Indgreb",
        "I sagen fra Sønderby i 2019 blev der indsat en midlertidig administrator i boligselskabet. "
        "Kommunen kan indsætte en midlertidig administrator, når bestyrelsen ikke varetager sine opgaver.",
    )
    draft = compose_extractive_answer("kan kommunen indsætte en administrator i et boligselskab", hits(note))
    assert first_sentence(draft.text).startswith("Kommunen kan indsætte"), draft.text


def test_what_is_usual_yields_to_the_rule_unless_the_question_asks_what_is_usual() -> None:
    note = guide_chunk(
        "note#beretning", "Beretning", "Regnskab > Beretning",
        "Beretningen nævner typisk nybyggeri, renoveringer og arrangementer for beboerne i årets løb. "
        "Beretningen skal nævne de større økonomiske problemer og de tiltag, bestyrelsen har sat i gang.",
    )
    draft = compose_extractive_answer("hvad skal beretningen nævne", hits(note))
    assert first_sentence(draft.text).startswith("Beretningen skal"), draft.text
    usual = compose_extractive_answer("hvad nævner beretningen typisk", hits(note))
    assert first_sentence(usual.text).startswith("Beretningen nævner typisk"), usual.text


def test_a_general_question_is_answered_by_the_rules_before_an_organisations_minutes() -> None:
    minutes = Chunk(
        id="referat-2025#3", source_id="referat-2025",
        text="Næste afdelingsmøde holdes i marts, og bestyrelsen indkalder med fire ugers varsel.",
        metadata={"title": "Referat af bestyrelsesmøde 2025 - Boligselskabet Solsikken", "kind": "referat",
                  "org": "Boligselskabet Solsikken", "year": 2025, "heading": "Punkt 5", "authority": "municipal"},
    )
    note = guide_chunk("note#indkald", "Afdelingsmøder", "Afdelingsmøder > Indkaldelse",
                       "Bestyrelsen indkalder til afdelingsmødet med mindst to ugers varsel.")
    draft = compose_extractive_answer("hvem indkalder til afdelingsmødet", hits(minutes, note))
    assert first_sentence(draft.text).startswith("Bestyrelsen indkalder til afdelingsmødet"), draft.text
    # ... but a question that names the organisation is about its own documents
    named = compose_extractive_answer("hvornår holder solsikken næste afdelingsmøde", hits(minutes, note))
    assert first_sentence(named.text).startswith("Næste afdelingsmøde"), named.text


def test_a_sentence_that_adds_to_a_case_stated_elsewhere_does_not_lead() -> None:
    from service.answering.signals import is_additive

    assert is_additive("Bestyrelsen kan også indkalde til et ekstraordinært møde.")
    assert not is_additive("Bestyrelsen kan indkalde til et ekstraordinært møde, og det kan også beboerne.")
    extra = guide_chunk("note#ekstra", "Møder", "Møder > Ekstra",
                        "Bestyrelsen kan også indkalde til et ekstraordinært afdelingsmøde om budgettet.")
    main = guide_chunk("note#moede", "Møder", "Møder > Indkaldelse",
                       "Bestyrelsen kan indkalde til et ekstraordinært afdelingsmøde, når et flertal ønsker det.")
    draft = compose_extractive_answer("kan bestyrelsen indkalde til et ekstraordinært afdelingsmøde", hits(extra, main))
    assert first_sentence(draft.text).startswith("Bestyrelsen kan indkalde"), draft.text


def test_a_list_question_leads_with_the_sentence_that_enumerates() -> None:
    from service.answering.shaping import lists_items

    assert lists_items("Planen skal indeholde: (1) en beskrivelse, (2) en tidsplan og (3) et budget.")
    assert lists_items("Stk. 2. Planen skal indeholde 1) en beskrivelse og 2) en tidsplan.")
    assert not lists_items("Se punkt (1) i bilaget om planen.")
    note = guide_chunk(
        "note#plan", "Planer", "Planer > Indhold",
        "Efter § 40, stk. 2 skal planen både beskrive afdelingen og indeholde bestyrelsens forslag til driften. "
        "Planen skal efter § 40, stk. 2 indeholde tre ting: (1) en beskrivelse af bygningerne, (2) en tidsplan "
        "for arbejderne og (3) et budget for de næste fem år.",
        legal_refs="almenboligloven:§40:stk2",
    )
    draft = compose_extractive_answer("hvad skal planen indeholde efter § 40 stk. 2", hits(note))
    assert "(1) en beskrivelse" in first_sentence(draft.text), draft.text


# -- the stk. a question names -----------------------------------------------------------------------------

def test_a_sentence_about_another_paragraph_that_cites_the_stk_in_a_range_does_not_lead() -> None:
    other = law_chunk("95", 1, "Efter § 95, stk. 1 gælder § 93, stk. 2-3 ikke for selvejende institutioner.")
    own = law_chunk("93", 3, "Afdelingsbestyrelsen sender hvert år en beretning om afdelingens drift til bestyrelsen.")
    draft = compose_extractive_answer("hvad siger § 93 stk 3", hits(other, own))
    assert first_sentence(draft.text).startswith("Afdelingsbestyrelsen sender"), draft.text


# -- figures, measures and spoken particles -------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "figure"), [
    ("Tabet er dækket i afd. 2 Bakkely.", False),
    ("Udgiften bogføres på konto 118 i regnskabet.", False),
    ("Restancer 312 t.kr.", True),
    ("Fonden var på 4,2 mio. kr.", True),
])
def test_a_number_that_names_a_thing_is_no_figure(sentence: str, figure: bool) -> None:
    from service.answering.signals import mentions_figure

    assert mentions_figure(sentence) is figure


def test_the_adjective_of_a_how_big_question_is_no_term_of_it() -> None:
    note = Chunk(
        id="rapport-2026#4", source_id="rapport-2026",
        text="Organisationen vil sammenlægge store familieboliger i afd. 2 Bakkely. "
             "Byggefonden var ved årets udgang på 6,4 mio. kr.",
        metadata={"title": "Årsrapport 2026 - Boligselskabet Solsikken", "kind": "styringsrapport",
                  "org": "Boligselskabet Solsikken", "year": 2026, "heading": "Økonomi"},
    )
    draft = compose_extractive_answer("hvor stor er byggefonden", hits(note))
    assert first_sentence(draft.text).startswith("Byggefonden var"), draft.text


def test_a_spoken_particle_does_not_make_a_definition_question_unanswerable() -> None:
    # The term asked about is in every sentence (so it weighs little); the particles are in none.
    note = guide_chunk("note#fond", "Fonde", "Fonde > Byggefond",
                       "Byggefonden er en fond i boligorganisationen, der dækker udgifter til nybyggeri. "
                       "Bestyrelsen fastsætter hvert år bidraget til byggefonden. "
                       "Byggefonden kan ikke bruges til den daglige drift af afdelingerne. "
                       "Regnskabet viser byggefondens midler for sig. "
                       "Revisor gennemgår byggefondens bevægelser i årets løb. "
                       "Kommunen kan se byggefondens størrelse i dokumentationspakken.")
    draft = compose_extractive_answer("hvad er byggefonden mon egentlig?", hits(note))
    assert not draft.abstain_reason and first_sentence(draft.text).startswith("Byggefonden er"), draft.abstain_reason


# -- length --------------------------------------------------------------------------------------------------

def test_a_number_question_gets_a_shorter_budget_than_a_rule_question() -> None:
    from service.answering.shaping import LIST_BUDGET, NUMBER_BUDGET, WORD_BUDGET, word_budget

    assert word_budget("number", False) == NUMBER_BUDGET < WORD_BUDGET == word_budget("rule", False)
    assert word_budget("number", True) == LIST_BUDGET


# Six sources that all speak of the question's words: a rule question may quote more of them than a number question.
_QUOTA_SOURCES = [
 "Kommunen kan råde over indtil hver fjerde ledige familiebolig til ventelisten.",
 "Når kommunen råder over familieboliger, går dens anvisning forud for ventelisten, og boligorganisationen skal meddele kommunen hver ledig familiebolig, før den tilbydes andre boligsøgende på listen over ansøgere, og meddelelsen skal ske skriftligt og i god tid, så kommunen kan nå at finde en lejer blandt de boligsøgende, den har ansvaret for.",
 "Kommunen betaler lejen for de familieboliger, den råder over, fra den dag boligen står til rådighed, og indtil en lejer flytter ind, selv om ventelisten i mellemtiden har andre interesserede ansøgere, og kommunen hæfter også for istandsættelsen, hvis lejeren ikke selv betaler, når lejemålet ophører, og boligen skal gøres klar til den næste lejer.",
 "Råder kommunen over mange familieboliger i samme afdeling, bør den aftale med boligorganisationen, hvordan ventelisten og de øvrige udlejningsregler bruges, så beboersammensætningen i afdelingen bliver så stabil som muligt, og aftalen bør gennemgås hvert år på dialogmødet, hvor begge parter kan foreslå ændringer på baggrund af årets udlejninger.",
 "En aftale om at kommunen råder over flere familieboliger end loven giver ret til, skal være skriftlig og tidsbegrænset, og den skal beskrive, hvordan ventelisten påvirkes i aftalens løbetid i afdelingerne.",
 "Kommunens ret til at råde over familieboliger gælder også nybyggede afdelinger, men ventelisten bruges til de første udlejninger, medmindre kommunen og boligorganisationen har aftalt noget andet om de nye boliger.",
]


def test_a_number_answer_stays_within_its_budget() -> None:
    from service.answering.shaping import NUMBER_BUDGET, WORD_BUDGET

    chunks = [guide_chunk(f"note{i}#1", f"Anvisning {i}", "Udlejning > Anvisning", text)
              for i, text in enumerate(_QUOTA_SOURCES)]
    number = compose_extractive_answer("hvor mange familieboliger kan kommunen råde over til ventelisten", hits(*chunks))
    assert "hver fjerde" in first_sentence(number.text), number.text
    assert len(strip_markers(number.text).split()) <= NUMBER_BUDGET
    rule = compose_extractive_answer("hvad gælder, når kommunen råder over familieboliger til ventelisten", hits(*chunks))
    assert NUMBER_BUDGET < len(strip_markers(rule.text).split()) <= WORD_BUDGET


def test_words_about_the_asker_english_fillers_and_a_preamble_are_no_terms() -> None:
    from service.answering.evidence import term_set
    from service.answering.signals import without_measure_frame

    cleaned = term_set(without_measure_frame(
        "Borgmesteren har bedt mig om et kort svar: hvad betyder kombineret udlejning?"))
    assert cleaned == term_set("hvad betyder kombineret udlejning")
    assert "deal" in term_set(without_measure_frame("whats the deal med benchmark"))
    assert not {"what", "the"} & term_set(without_measure_frame("whats the deal med benchmark"))
    # a preamble that names a provision, a figure or a name is part of the question
    assert "59" in without_measure_frame("Spørgsmål til § 59: hvem anviser?")
    assert "Solbakken" in without_measure_frame("Vi mødes med Boligforeningen Solbakken: hvad skal vi spørge om?")
    assert "IT" in without_measure_frame("Hvem betaler IT i afdelingen?")


def test_a_two_part_question_with_a_word_about_the_asker_in_one_part_is_answered() -> None:
    note = guide_chunk("note-fond#1", "Notat om byggefonden", "Byggefonden",
                       "Byggefonden betaler for nye tage. Bestyrelsen beslutter selv, hvornår fonden bruges.")
    draft = compose_extractive_answer("Hvad betaler byggefonden, og hvem bestemmer selv over den?", hits(note))
    assert not draft.abstain_reason
    assert "nye tage" in draft.text


def test_a_sentence_naming_the_asked_stk_alone_leads_over_one_naming_a_span() -> None:
    from service.answering.signals import stk_only_in_span

    assert stk_only_in_span("Efter § 40, stk. 2-4 fastsætter kommunen fristen.", 3)
    assert not stk_only_in_span("Efter § 40, stk. 3 skal planen offentliggøres.", 3)
    note = guide_chunk("note-40#1", "Notat om § 40", "Planen",
                       "Efter lovens § 40, stk. 2-4 fastsætter kommunen frister og indhold for planen. "
                       "Efter lovens § 40, stk. 3 skal planen offentliggøres på kommunens hjemmeside.")
    draft = compose_extractive_answer("hvad siger § 40 stk 3 om planen", hits(note))
    assert first_sentence(draft.text).startswith("Efter lovens § 40, stk. 3")


def test_the_item_a_question_names_leads() -> None:
    from service.answering.signals import names_item

    assert names_item("Planen skal indeholde (1) et budget og (2) en tidsplan.", 2)
    assert not names_item("Planen skal indeholde (1) et budget og (12) en tidsplan.", 2)
    note = guide_chunk("note-41#1", "Notat om § 41", "Planens indhold",
                       "Efter lovens § 41, stk. 2 skal planen beskrive afdelingens økonomi. "
                       "Efter lovens § 41, stk. 2 skal planen indeholde (1) et budget og (2) en tidsplan for arbejderne.")
    draft = compose_extractive_answer("§ 41, stk. 2, nr. 2 - hvad kræves der", hits(note))
    assert "(2) en tidsplan" in first_sentence(draft.text)


def test_a_typing_slip_in_the_question_still_meets_its_word() -> None:
    from service.answering.signals import PARTIAL_MATCH, match_terms

    assert match_terms({"boligomrd"}, {"boligomraad"}) == {"boligomrd": PARTIAL_MATCH}
    assert match_terms({"henlaeg"}, {"hensaet"}) == {}  # a shared start is no slip
    note = guide_chunk("note-bo#1", "Notat om listen", "Listen",
                       "Et boligområde kommer kun på listen, hvis det har mindst 1.000 beboere.")
    draft = compose_extractive_answer("hvor mange beboere skal et boligomrde mindst have", hits(note))
    assert not draft.abstain_reason and "1.000 beboere" in draft.text


def test_a_light_verb_is_no_word_a_source_must_share() -> None:
    note = guide_chunk("note-mo#1", "Notat om mødet", "Efter mødet",
                       "Efter mødet offentliggør kommunen en redegørelse på sin hjemmeside. "
                       "Hjemmesiden gør det let at finde mødet.")
    draft = compose_extractive_answer("Mødet er holdt. Hvad skal jeg så gøre på hjemmesiden?", hits(note))
    assert first_sentence(draft.text).startswith("Efter mødet offentliggør")


def test_a_named_municipality_reporting_its_own_account_yields_to_the_rule() -> None:
    from service.answering.signals import practice_example

    assert practice_example("Nordby Kommune beskriver, at tilsynet kan afgøre tvister.") == "Nordby"
    assert practice_example("Nordby Kommune fører tilsyn med organisationen.") == ""
    rule = guide_chunk("note-kl#2", "Notat om klager", "Klageadgang",
                       "Man kan ikke klage over kommunens afgørelser til en anden myndighed.")
    note = guide_chunk("note-kl#1", "Notat om klager", "Klager",
                       "Nordby Kommune beskriver, at man ikke kan klage over kommunens afgørelser.")
    draft = compose_extractive_answer("kan man klage over kommunens afgørelser", hits(note, rule))
    assert first_sentence(draft.text).startswith("Man kan ikke klage")


def test_a_question_about_an_item_no_source_gives_is_declined() -> None:
    from service.answering.signals import mentions_figure

    note = guide_chunk("note-42#1", "Notat om § 42", "Kriterier",
                       "Efter lovens § 42, stk. 2 er et af kriterierne (5), at husstanden har modtaget kontanthjælp.")
    draft = compose_extractive_answer("Hvad står der i § 42, stk. 2, nr. 3?", hits(note))
    assert draft.abstain_reason and "nummer" in draft.abstain_reason
    assert not compose_extractive_answer("Hvad står der i § 42, stk. 2, nr. 5?", hits(note)).abstain_reason
    assert not mentions_figure("L 23 (2021) afløste ydelsen")  # a bill's number is no figure
    assert not compose_extractive_answer("Hvad står der i § 42, stk. 2, nr. 1-5?", hits(note)).abstain_reason


def test_a_question_for_a_typical_figure_is_answered_by_the_norm_before_one_organisations_row() -> None:
    report = Chunk(
        id="rapport-2026#4", source_id="rapport-2026",
        text="Afd. 4 Rosenhaven: Boligtype: Familieboliger; Husleje kr. pr. m² om året: 1.120; Antal boliger: 64.",
        metadata={"title": "Styringsrapport 2026 - Andelsboligforeningen Mælkebøtten", "kind": "styringsrapport",
                  "org": "Andelsboligforeningen Mælkebøtten", "year": 2026, "heading": "Afdelingerne",
                  "authority": "municipal"},
    )
    note = guide_chunk("note#leje", "Husleje", "Nøgletal > Husleje",
                       "Huslejen i almene familieboliger lå i 2023 på 1.002 kr. pr. m² om året på landsplan.")
    draft = compose_extractive_answer("hvor høj er huslejen pr. m² typisk i familieboliger", hits(report, note))
    assert first_sentence(draft.text).startswith("Huslejen i almene familieboliger"), draft.text
    named = compose_extractive_answer("hvor høj er huslejen pr. m² i Mælkebøttens familieboliger", hits(report, note))
    assert first_sentence(named.text).startswith("Afd. 4 Rosenhaven"), named.text
