"""Loaders on real generated files, and bad input with its Danish message."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from ingest.errors import FileTooLargeError, LoadError, UnsupportedFormatError
from ingest.loaders import SUPPORTED_SUFFIXES, load_file

MB = 1024 * 1024


def load(path: Path, max_bytes: int = 5 * MB):
    return load_file(path, max_bytes=max_bytes)


def simple_pdf(path: Path, pages: list[list[str]], *, title: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_font("Helvetica", size=11)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


# ------------------------------------------------------------------ PDF


def test_pdf_keeps_pages_and_drops_running_headers_and_page_numbers(act_pdf: Path) -> None:
    doc = load(act_pdf)
    assert doc.fmt == "pdf"
    assert doc.page_count == 4
    assert doc.title == "Lov om prøveboliger"
    assert {b.page for b in doc.blocks} == {1, 2, 3, 4}
    texts = [b.text for b in doc.blocks]
    assert not any("Side" in t and "af 4" in t for t in texts), texts
    assert not any(t.strip().isdigit() for t in texts), texts
    twelve_a = next(b for b in doc.blocks if b.text.startswith("§ 12 a."))
    assert twelve_a.page == 3
    # A paragraph wrapped over several lines comes back as one block.
    assert next(b for b in doc.blocks if b.text.startswith("§ 4.")).text.endswith("jf. § 12 a, stk. 2.")
    assert [b.text for b in doc.blocks if b.kind == "heading"] == ["Kapitel 1", "Kapitel 2", "Kapitel 3", "Kapitel 4"]


def test_pdf_table_rows_stay_lines_and_numbered_headings_are_found(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 6, "3. Økonomi", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "Afdelingernes økonomi er samlet set sund. Tabellen viser udvalgte nøgletal for de "
                         "seneste to år, og udviklingen kommenteres nedenfor.", new_x="LMARGIN", new_y="NEXT")
    rows = [("Nøgletal", "2023", "2024"), ("Husleje pr. m2 (kr.)", "812", "845"),
            ("Fraflytning (%)", "14,2", "12,9"), ("Henlæggelser pr. m2 (kr.)", "120", "131")]
    with pdf.table() as table:
        for row in rows:
            cells = table.row()
            for cell in row:
                cells.cell(cell)
    pdf.multi_cell(0, 6, "Huslejen steg med 4,1 pct. fra 2023 til 2024.", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "rapport.pdf"
    pdf.output(str(path))
    doc = load(path)
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].text == "3. Økonomi"
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 1
    lines = tables[0].text.split("\n")
    assert len(lines) == 4
    assert lines[1].startswith("Husleje pr. m2 (kr.)") and "812" in lines[1] and "845" in lines[1]
    assert doc.blocks[-1].text == "Huslejen steg med 4,1 pct. fra 2023 til 2024."


def test_encrypted_pdf_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = simple_pdf(tmp_path / "plain.pdf", [["Fortroligt notat om afdelingens økonomi."]])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt("hemmelig", algorithm="RC4-128")
    locked = tmp_path / "laast.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(LoadError) as err:
        load(locked)
    assert "krypteret/beskyttet med adgangskode" in err.value.message


def test_pdf_with_only_an_owner_password_opens(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = simple_pdf(tmp_path / "plain.pdf", [["Notat om styringsdialogen i 2024."]])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt("", owner_password="ejer", algorithm="RC4-128")
    path = tmp_path / "begraenset.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    assert load(path).blocks[0].text == "Notat om styringsdialogen i 2024."


def test_truncated_pdf_is_a_load_error(tmp_path: Path, act_pdf: Path) -> None:
    data = act_pdf.read_bytes()
    broken = tmp_path / "afbrudt.pdf"
    broken.write_bytes(data[: len(data) // 3])
    with pytest.raises(LoadError) as err:
        load(broken)
    assert "beskadiget eller ufuldstændig" in err.value.message


def test_garbage_named_pdf_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "ikke.pdf"
    path.write_text("Dette er bare tekst med forkert filtype.", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load(path)
    assert "ikke en gyldig PDF" in err.value.message


def test_image_only_pdf_says_it_may_be_scanned(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(40, 40, 40)
    pdf.rect(20, 20, 150, 200, style="F")
    path = tmp_path / "scannet.pdf"
    pdf.output(str(path))
    with pytest.raises(LoadError) as err:
        load(path)
    assert "Ingen tekst fundet - er det en scannet PDF?" in err.value.message


def test_too_many_pages_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ingest.loaders.pdf as pdf_loader

    monkeypatch.setattr(pdf_loader, "MAX_PAGES", 2)
    path = simple_pdf(tmp_path / "lang.pdf", [["Side et."], ["Side to."], ["Side tre."]])
    with pytest.raises(LoadError) as err:
        load(path)
    assert "3 sider" in err.value.message and "højst 2" in err.value.message


# ------------------------------------------------------------------ HTML


def test_html_law_page_keeps_law_lines_and_drops_site_chrome(act_html: Path) -> None:
    doc = load(act_html)
    assert doc.fmt == "html"
    assert doc.title == "Lov om prøveboliger"
    text = doc.text
    for chrome in ("Forside", "kontakt os", "Relaterede love", "var menu"):
        assert chrome not in text
    lines = [ln for b in doc.blocks for ln in b.text.split("\n")]
    assert any(ln.startswith("§ 12 a. Kommunalbestyrelsen fører tilsyn") for ln in lines)
    assert "Stk. 2. En aftale efter stk. 1 skal indeholde:" in lines
    assert "a) hensyn til børnefamilier og" in lines


def test_html_headings_lists_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "side.html"
    path.write_text(
        """<html><head><title>Nøgletal 2024</title></head><body>
        <h1>Nøgletal</h1><p>Tal for <b>alle</b>
        afdelinger.<br>Opgjort pr. 31. december.</p>
        <h2>Husleje</h2><ul><li>Lav husleje</li><li>Høj husleje</li></ul>
        <ol><li>Første</li><li>Anden</li></ol>
        <table><tr><th>Afdeling</th><th>Leje</th></tr><tr><td>Afd. 1</td><td>812</td></tr></table>
        <form><input value="Søg"> Søg her</form></body></html>""",
        encoding="utf-8",
    )
    doc = load(path)
    kinds = [(b.kind, b.level, b.text) for b in doc.blocks]
    assert kinds[0] == ("heading", 1, "Nøgletal")
    assert ("paragraph", 0, "Tal for alle afdelinger.\nOpgjort pr. 31. december.") in kinds
    assert ("heading", 2, "Husleje") in kinds
    assert ("paragraph", 0, "- Lav husleje") in kinds
    assert ("paragraph", 0, "2) Anden") in kinds
    assert ("table", 0, "Afdeling | Leje\nAfd. 1 | 812") in kinds
    assert "Søg her" not in doc.text


def test_deeply_nested_html_neither_crashes_nor_hangs(tmp_path: Path) -> None:
    path = tmp_path / "dyb.html"
    path.write_text("<html><body>" + "<div>" * 10_000 + "<p>Dybt inde</p>" + "</div>" * 10_000 + "</body></html>")
    started = time.perf_counter()
    doc = load(path)
    assert doc.text == "Dybt inde"
    assert time.perf_counter() - started < 10


def test_html_with_no_text_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "tom.html"
    path.write_text("<html><body><script>alert(1)</script><nav>Menu</nav></body></html>")
    with pytest.raises(LoadError) as err:
        load(path)
    assert "Ingen tekst fundet" in err.value.message


# ------------------------------------------------------------------ DOCX


def test_docx_headings_tables_and_core_title_in_document_order(tmp_path: Path) -> None:
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.core_properties.title = "Styringsrapport 2024 - Boligselskabet Fjordbo"
    document.styles.add_style("Overskrift 2", WD_STYLE_TYPE.PARAGRAPH)
    document.add_heading("Økonomi", level=1)
    document.add_paragraph("Organisationens økonomi er sund.")
    document.add_paragraph("Henlæggelser", style="Overskrift 2")
    document.add_paragraph("Første punkt", style="List Bullet")
    document.add_paragraph("Andet punkt", style="List Bullet")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("Afdeling", "2023", "2024"), ("Afd. 1", "120", "131")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("Efter tabellen.")
    path = tmp_path / "rapport.docx"
    document.save(str(path))

    doc = load(path)
    assert doc.fmt == "docx"
    assert doc.title == "Styringsrapport 2024 - Boligselskabet Fjordbo"
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
        ("heading", 1, "Økonomi"),
        ("paragraph", 0, "Organisationens økonomi er sund."),
        ("heading", 2, "Henlæggelser"),
        ("paragraph", 0, "- Første punkt\n- Andet punkt"),
        ("table", 0, "Afdeling | 2023 | 2024\nAfd. 1 | 120 | 131"),
        ("paragraph", 0, "Efter tabellen."),
    ]


def test_docx_that_is_not_a_zip_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "falsk.docx"
    path.write_text("Ikke et Word-dokument", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load(path)
    assert "ikke en gyldig Word-fil" in err.value.message


def test_zip_without_a_word_document_is_a_load_error(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("noget.txt", "hej")
    path = tmp_path / "arkiv.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(LoadError) as err:
        load(path)
    assert "ikke et Word-dokument" in err.value.message


def test_old_word_format_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "gammel.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(LoadError) as err:
        load(path)
    assert "gamle Word-format" in err.value.message


# ------------------------------------------------------------------ Markdown and text


def test_markdown_front_matter_headings_lists_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "---\ntitle: Fleksibel udlejning\nkind: vejledning\ntopics: [udlejning, aftaler]\n---\n\n"
        "# Fleksibel udlejning\n\nKommunen og boligorganisationen kan **aftale** fleksibel\nudlejning.\n\n"
        "## Kriterier\n\n- beskæftigelse\n- uddannelse\n\n| Kriterium | Andel |\n|---|---|\n| Job | 50 % |\n",
        encoding="utf-8",
    )
    doc = load(path)
    assert doc.fmt == "md"
    assert doc.title == "Fleksibel udlejning"
    assert doc.metadata == {"title": "Fleksibel udlejning", "kind": "vejledning", "topics": ["udlejning", "aftaler"]}
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
        ("heading", 1, "Fleksibel udlejning"),
        ("paragraph", 0, "Kommunen og boligorganisationen kan aftale fleksibel udlejning."),
        ("heading", 2, "Kriterier"),
        ("paragraph", 0, "- beskæftigelse\n- uddannelse"),
        ("table", 0, "Kriterium | Andel\nJob | 50 %"),
    ]


def test_markdown_title_falls_back_to_first_h1(tmp_path: Path) -> None:
    path = tmp_path / "uden.md"
    path.write_text("Indledning uden overskrift.\n\n# Den rigtige titel\n\nTekst.\n", encoding="utf-8")
    assert load(path).title == "Den rigtige titel"


def test_broken_front_matter_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "fejl.md"
    path.write_text("---\ntitle: [ikke lukket\nkind: vejledning\n---\n\nTekst.\n", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load(path)
    assert err.value.message.startswith("Ugyldig front matter i 'fejl.md'")


def test_binary_file_named_md_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "billede.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(LoadError) as err:
        load(path)
    assert "Filen 'billede.md' ser ud til at være binær og ikke tekst." in err.value.message


def test_text_with_nul_bytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(b"abc\x00\x00\x00def" * 20)
    with pytest.raises(LoadError) as err:
        load(path)
    assert "binær" in err.value.message


def test_utf8_text_paragraphs_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "notat.txt"
    path.write_text(
        "Notat om dialogmødet\n\n1. Indledning\n\nMødet blev holdt i marts. Boligorganisationen\n"
        "deltog med hele bestyrelsen og direktøren,\nog kommunen deltog med to medarbejdere.\n\n"
        "2. Økonomi\n\nØkonomien er sund.\n",
        encoding="utf-8",
    )
    doc = load(path)
    assert doc.title == "Notat om dialogmødet"
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "Notat om dialogmødet"),
        ("heading", "1. Indledning"),
        ("paragraph", "Mødet blev holdt i marts. Boligorganisationen deltog med hele bestyrelsen og direktøren, "
                      "og kommunen deltog med to medarbejdere."),
        ("heading", "2. Økonomi"),
        ("paragraph", "Økonomien er sund."),
    ]
    assert doc.warnings == []


def test_cp1252_text_falls_back_with_a_danish_warning(tmp_path: Path) -> None:
    path = tmp_path / "gammel.txt"
    path.write_bytes("Afdelingens henlæggelser – “fremtidssikret” økonomi på Ærø.".encode("cp1252"))
    doc = load(path)
    assert doc.text == "Afdelingens henlæggelser – “fremtidssikret” økonomi på Ærø."
    assert len(doc.warnings) == 1 and "ikke gyldig UTF-8" in doc.warnings[0] and "cp1252" in doc.warnings[0]


def test_latin1_only_bytes_fall_back_to_latin1(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(b"S\xf8ren \x81 boede i \xc6r\xf8.")  # 0x81 is undefined in cp1252
    doc = load(path)
    assert "Søren" in doc.text and "Ærø" in doc.text
    assert "Latin-1" in doc.warnings[0]


# ------------------------------------------------------------------ dispatch and limits


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "tom.pdf"
    path.write_bytes(b"")
    with pytest.raises(LoadError) as err:
        load(path)
    assert err.value.message.startswith("Filen er tom.")


def test_whitespace_only_file_counts_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("  \n\n \t\n", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load(path)
    assert "Filen er tom." in err.value.message


def test_file_over_the_limit_names_the_limit_in_mb(tmp_path: Path) -> None:
    path = tmp_path / "stor.txt"
    path.write_bytes(b"a" * (MB + 10))
    with pytest.raises(FileTooLargeError) as err:
        load(path, max_bytes=MB)
    assert "grænsen er 1 MB" in err.value.message
    assert isinstance(err.value, LoadError)


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "regnskab.xlsx"
    path.write_bytes(b"PK\x03\x04 noget")
    with pytest.raises(UnsupportedFormatError) as err:
        load(path)
    assert "Filtypen '.xlsx' understøttes ikke" in err.value.message
    assert ".pdf" in err.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as err:
        load(tmp_path / "findes-ikke.pdf")
    assert "findes ikke" in err.value.message


def test_supported_suffixes_cover_every_format() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt", ".xml"}


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "NOTAT.TXT"
    path.write_text("Kort notat.", encoding="utf-8")
    assert load(path).fmt == "txt"


def test_agenda_runs_are_a_list_and_punkt_lines_are_headings(tmp_path: Path) -> None:
    path = tmp_path / "referat.txt"
    path.write_text(
        "Referat af dialogmøde\n\nDagsorden\n1. Velkomst\n2. Økonomi\n3. Udlejning\n\n"
        "Punkt 1. Velkomst\nFormanden bød velkommen.\n\nPunkt 2. Økonomi\nØkonomien er sund.\n",
        encoding="utf-8",
    )
    doc = load(path)
    assert ("paragraph", "1. Velkomst\n2. Økonomi\n3. Udlejning") in [(b.kind, b.text) for b in doc.blocks]
    assert [b.text for b in doc.blocks if b.kind == "heading"] == ["Punkt 1. Velkomst", "Punkt 2. Økonomi"]


def test_repairable_pdf_loads_with_a_warning_and_pypdf_stays_quiet(
    tmp_path: Path, act_pdf: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import re

    data = act_pdf.read_bytes()
    broken = re.sub(rb"startxref\s+\d+", b"startxref\n123", data)
    assert broken != data
    path = tmp_path / "skaev.pdf"
    path.write_bytes(broken)
    doc = load(path)
    assert any(b.text.startswith("§ 12 a.") for b in doc.blocks)
    assert any("fejl i sin interne struktur" in w for w in doc.warnings)
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html", ".md"])
def test_mangled_files_raise_load_error_or_load(suffix: str, tmp_path: Path, act_pdf: Path, act_html: Path) -> None:
    import random

    import docx

    if suffix == ".docx":
        document = docx.Document()
        document.add_heading("Referat", level=1)
        document.add_paragraph("Mødet blev holdt i marts. " * 40)
        source = tmp_path / "kilde.docx"
        document.save(str(source))
    elif suffix == ".md":
        source = tmp_path / "kilde.md"
        source.write_text("---\ntitle: Note\ntopics: [a, b]\n---\n# Note\n\nTekst om § 59, stk. 2.\n" * 5, encoding="utf-8")
    else:
        source = act_pdf if suffix == ".pdf" else act_html
    data = source.read_bytes()
    rng = random.Random(20240601)
    for n in range(25):
        mangled = bytearray(data)
        if n % 3 == 0:
            mangled = mangled[: rng.randrange(1, len(mangled))]
        else:
            for _ in range(rng.randint(1, 30)):
                mangled[rng.randrange(len(mangled))] = rng.randrange(256)
        path = tmp_path / f"mangled{n}{suffix}"
        path.write_bytes(bytes(mangled))
        try:
            doc = load(path)
        except LoadError as err:
            assert err.message  # a Danish explanation, never a bare traceback
        else:
            assert doc.blocks
