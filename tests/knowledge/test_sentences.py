"""The legal-Danish sentence splitter keeps references, dates and abbreviations intact."""

from __future__ import annotations

import pytest

from knowledge.sentences import iter_sentence_spans, split_sentences


@pytest.mark.parametrize(
    "sentence",
    [
        "Kommunalbestyrelsen fører tilsyn, jf. § 164, stk. 1, i almenboligloven.",
        "Efter § 164, stk. 1. pkt. 2 skal der holdes et møde.",
        "Reformen trådte i kraft den 1. januar 2010 med L 208.",
        "Loven blev fremsat 22. april 2009 af ministeren.",
        "Bekendtgørelsen er LBK nr. 1278 af 18. nov. 2015 med senere ændringer.",
        "Der skal bl.a. udarbejdes en rapport, f.eks. om udlejning.",
        "Driften skal effektiviseres med 1,5 mia. kr. om året frem mod 2020.",
        "Huslejen steg med ca. 3 pct. i de fleste afdelinger.",
        "Tabet var 2,3 mio. kr. i 2019.",
        "Lov om almene boliger m.v. (almenboligloven) er den centrale lov.",
        "Det er fx kommunen, der anviser boligen.",
        "Det 3. kvartal og den 2. rapport kom senere.",
        "Ministeren K. Ellemann fremsatte forslaget.",
        "Regnskabet indberettes via Almenstyringsdialog.dk hvert år.",
        "Se kap. 21 i driftsbekendtgørelsen og afsn. 4 i vejledningen.",
        "Der var pr. 1. december 2023 kun 7 områder på listen.",
        "Henlæggelserne var 142 kr. pr. m2 i 2023.",
    ],
)
def test_no_break_inside_a_legal_sentence(sentence: str) -> None:
    assert split_sentences(sentence) == [sentence]


def test_breaks_between_sentences_after_numbers_and_references() -> None:
    text = (
        "Det fremgår af § 164, stk. 1. Kommunen skal holde et årligt møde. "
        "Reformen trådte i kraft i 2010. Derefter blev styringen baseret på aftaler."
    )
    assert split_sentences(text) == [
        "Det fremgår af § 164, stk. 1.",
        "Kommunen skal holde et årligt møde.",
        "Reformen trådte i kraft i 2010.",
        "Derefter blev styringen baseret på aftaler.",
    ]


def test_final_abbreviations_end_a_sentence_only_before_upper_case() -> None:
    text = "Målet var 1,5 mia. kr. Aftalen er solidarisk. Det gælder boliger m.v. og andet. Under 70 pct. Temaet var røde afdelinger."
    assert split_sentences(text) == [
        "Målet var 1,5 mia. kr.",
        "Aftalen er solidarisk.",
        "Det gælder boliger m.v. og andet.",
        "Under 70 pct.",
        "Temaet var røde afdelinger.",
    ]


def test_question_and_exclamation_marks_and_quotes() -> None:
    text = 'Hvem fører tilsynet? Det gør kommunen! Den skriver: "Mødet er afholdt." Derefter offentliggøres nøgletallene.'
    assert split_sentences(text) == [
        "Hvem fører tilsynet?",
        "Det gør kommunen!",
        'Den skriver: "Mødet er afholdt."',
        "Derefter offentliggøres nøgletallene.",
    ]


def test_sentence_may_start_with_a_paragraph_sign() -> None:
    assert split_sentences("Reglerne blev ændret. § 6 a handler om drift.") == [
        "Reglerne blev ændret.",
        "§ 6 a handler om drift.",
    ]


def test_markdown_structure_headings_bullets_and_soft_wraps() -> None:
    text = (
        "## Målsætninger\n"
        "Loven indførte tre målsætninger\n"
        "for boligorganisationerne:\n"
        "- § 6 a: forsvarlig og effektiv drift\n"
        "- § 6 b: velfungerende afdelinger,\n"
        "  også socialt\n"
        "1. Første punkt\n"
        "\n"
        "| Nøgletal | 2020 |\n"
        "Ny paragraf her."
    )
    assert split_sentences(text) == [
        "## Målsætninger",
        "Loven indførte tre målsætninger for boligorganisationerne:",
        "§ 6 a: forsvarlig og effektiv drift",
        "§ 6 b: velfungerende afdelinger, også socialt",
        "1. Første punkt",
        "| Nøgletal | 2020 |",
        "Ny paragraf her.",
    ]


def test_bullets_kept_when_asked() -> None:
    assert split_sentences("- Et punkt.", strip_bullets=False) == ["- Et punkt."]


def test_spans_point_into_the_original_text() -> None:
    text = "  Første sætning er her.   Anden sætning, jf. § 5.\n\nTredje."
    spans = list(iter_sentence_spans(text))
    assert [text[a:b] for a, b in spans] == ["Første sætning er her.", "Anden sætning, jf. § 5.", "Tredje."]


def test_empty_and_punctuation_only_text() -> None:
    assert split_sentences("") == []
    assert split_sentences("  \n\n - \n") == []
