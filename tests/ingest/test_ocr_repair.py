"""The repair of a scanned text layer (ingest.ocr_repair): misread letters, line-end hyphens and letters in figures
are undone only where the lexicon (the built-in corpus plus the document's own words) knows the result."""

from __future__ import annotations

from pathlib import Path

from ingest.loaders import load_file
from ingest.ocr_repair import Lexicon, repair_document, repair_text, repair_word
from knowledge.types import Block, LoadedDocument


def _repaired(text: str, *own: str) -> str:
    return repair_text(text, Lexicon(set(" ".join(own).split())))


def test_rn_read_for_m_is_repaired_when_the_word_is_known() -> None:
    assert _repaired("Vi har talt med kornrnunen om sagen.") == "Vi har talt med kommunen om sagen."
    assert _repaired("Kornrnunens boligkontor svarer.") == "Kommunens boligkontor svarer."
    # the document spells the word right elsewhere: that vouches for the repair
    assert _repaired("Vi sætter en ny hegnsrnaling i gang.", "hegnsmaling") == "Vi sætter en ny hegnsmaling i gang."


def test_a_zero_read_for_the_letter_o_is_repaired_with_the_case_of_its_place() -> None:
    assert _repaired("Det drøftes i 0rganisationsbestyrelsen.") == "Det drøftes i organisationsbestyrelsen."
    assert _repaired("Mødet. 0rganisationen sender planen.") == "Mødet. Organisationen sender planen."
    assert _repaired("Holdt den 4. n0vember 2026.") == "Holdt den 4. november 2026."


def test_letters_read_in_a_day_or_a_year_become_digits() -> None:
    assert _repaired("senest 3l. august 2O27") == "senest 31. august 2027"
    assert _repaired("fra l5. maj 2o28") == "fra 15. maj 2028"


def test_words_that_are_real_or_unknown_either_way_stay_as_written() -> None:
    for text in ("Børn og unge i afdelingen.", "Fjernvarmen er dyr.", "Bygning B52 og opgang 3a.",
                 "Vi fik en kornrnemark-rapport.", "Lokale 1O1 er booket."):
        assert _repaired(text) == text.replace("1O1", "101"), text
    assert repair_word("Kornum", Lexicon()) == "Kornum"  # a name: 'Komum' is no known word


def test_a_line_end_hyphen_is_joined_only_when_the_joined_word_is_known() -> None:
    assert _repaired("Planen sendes til organisa-\ntionen i maj.") == "Planen sendes til organisationen i maj."
    assert _repaired("Vi ser på bolig-\nog erhvervslejemål.") == "Vi ser på bolig-\nog erhvervslejemål."
    assert _repaired("en ny vaskeri-\nordning", "vaskeriordning") == "en ny vaskeriordning"


def test_a_loaded_document_is_repaired_in_place_with_its_own_words_as_lexicon() -> None:
    doc = LoadedDocument(path="x.txt", title="Referat", fmt="txt", blocks=[
        Block("Sagsbehandleren fra Vestkysten Kommune deltog.", "paragraph"),
        Block("Kornrnunen anviser hver fjerde bolig fra 1. januar 2O27.", "paragraph"),
    ])
    assert repair_document(doc) == 1
    assert doc.blocks[1].text == "Kommunen anviser hver fjerde bolig fra 1. januar 2027."


def test_load_file_repairs_a_scanned_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scan.txt"
    path.write_text("Referat af afdelingsmødet\n\nAfdelingsbestyrelsen og kornrnunen rnødes igen den\n"
                    "l2. rnarts 2O27 for at følge op.\n", encoding="utf-8")
    text = load_file(path, max_bytes=1_000_000).text
    assert "kommunen mødes igen den" in text and "12. marts 2027" in text


def test_a_capital_i_read_for_l_is_repaired_but_real_capitals_stay() -> None:
    assert _repaired("Der er tre Iedige boliger og en ny udIejningsaftale.", "udlejningsaftale") == \
        "Der er tre ledige boliger og en ny udlejningsaftale."
    assert _repaired("Mødet. Iedige boliger.") == "Mødet. Ledige boliger."
    assert _repaired("Ikke i Skiferbakken II. Ifølge planen.") == "Ikke i Skiferbakken II. Ifølge planen."
