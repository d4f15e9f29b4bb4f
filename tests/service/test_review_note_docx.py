"""The Word note opens in Danish on A4: tested by reading the .docx XML itself."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from service.review.note_blocks import NHeading, NList, Note, NPara, NTable
from service.review.note_docx import column_shares, render_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _note() -> Note:
    note = Note("Forberedelsesnotat: dialogmøde med Boligselskabet Pil")
    note.add(NHeading(note.title, 0), NPara("Udkast", "strong"), NHeading("Nøgletal", 1), NHeading("Afdelinger", 2))
    rows = [[f"Afd. {n} Engen", "912 kr./m² (s. 3)", "889 kr./m²", "+2,6 %", "899 kr./m² (2023)"] for n in range(60)]
    note.add(NTable(["Afdeling", "I år (side)", "Sidste år", "Ændring", "Referenceniveau"], rows))
    note.add(NList(["Hvordan finansieres arbejderne?", "Hvornår evalueres aftalen?"], ordered=True))
    note.add(NTable(["Nr.", "Aftale (referat)"], [["1", ("Selskabet sender en handleplan for afd. 2 Engen til "
                                                        "kommunen senest 1. marts 2027 med mål for driften.")]]))
    return note


def _xml(path: Path, member: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(member).decode("utf-8")


def test_the_word_note_is_danish_a4_with_heading_styles_and_repeated_table_headers(tmp_path: Path) -> None:
    path = tmp_path / "notat.docx"
    render_docx(_note(), path)
    document, styles, settings = (_xml(path, f"word/{m}.xml") for m in ("document", "styles", "settings"))

    # Danish proofing everywhere: defaults, every style, every run, and the theme language
    assert re.search(r'<w:rPrDefault>.*?<w:lang w:val="da-DK"', styles, re.DOTALL)
    assert 'w:val="en-US"' not in styles and 'w:val="en-US"' not in document
    assert styles.count("<w:style ") == styles.count('<w:lang w:val="da-DK"') - 1  # + the document default
    runs = re.findall(r"<w:r>.*?</w:r>|<w:r [^>]*>.*?</w:r>", document, re.DOTALL)
    assert runs and all('w:lang w:val="da-DK"' in r for r in runs)
    assert '<w:themeFontLang w:val="da-DK"' in settings

    # A4 (twentieths of a point: 210 x 297 mm) with 2.5 / 2 cm margins
    size = re.search(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"', document)
    assert size and (int(size.group(1)), int(size.group(2))) == (11906, 16838)
    margins = re.search(r'<w:pgMar w:top="(\d+)" w:right="(\d+)" w:bottom="(\d+)" w:left="(\d+)"', document)
    assert margins and [int(x) for x in margins.groups()] == [1417, 1134, 1417, 1134]

    # headings in Word's own styles, so a table of contents can be inserted
    assert re.findall(r'<w:pStyle w:val="(Title|Heading\d)"/>', document) == ["Title", "Heading1", "Heading2"]

    # tables: a header row repeated on every page, rows kept whole, fitted widths that fill the text width
    assert document.count('<w:tblHeader w:val="true"/>') == 2
    assert '<w:cantSplit w:val="true"/>' in document
    first = document.split("<w:tbl>")[1]
    widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', first)]
    assert abs(sum(widths) - (11906 - 2 * 1134)) < 20 and len(set(widths)) > 1
    second = document.split("<w:tbl>")[2]
    nr, text = (int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', second))
    assert text > 3 * nr  # the agreement's text gets the room, the number column little


def test_column_shares_follow_the_content_and_never_starve_a_column() -> None:
    table = NTable(["Nr.", "Tekst"], [["1", "en lang tekst " * 20]])
    shares = column_shares(table)
    assert abs(sum(shares) - 1) < 1e-9 and shares[1] > shares[0] >= 0.07
