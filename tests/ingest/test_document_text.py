"""A chunk keeps the document's own text where it stores labelled table rows (Chunk.document_text).

Chunks store a table's rows with their column names ('Hus B: Lejemål: 7; Restance: 0.'), and a PDF table's header
line, which the rows now say, is left out of them. What rebuilds a document from its chunks (last year's report in
the review, the agreement register) must read the document as printed: the rows as the text layer has them and the
header line with its year columns. Fixtures are made here, in each format that labels tables (Word, HTML, PDF)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingest.chunking import chunk_document
from ingest.cpr import redact_document
from ingest.loaders import load_file
from ingest.pipeline import ingest_file
from ingest.splitting import pack_blocks
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.types import DOCUMENT_TEXT_KEY, Block, Chunk, LoadedDocument
from service.agreements.units import units_from_chunks
from service.review.extract import extract_report
from service.review.sources import doc_from_chunks

MB = 50 * 1024 * 1024

HEADER_LINE = "Ejendom Lejemål Restance kr."
RAW_TABLE = "Hus A 12 4.100\nHus B 7 0"
LABELLED = "Hus A: Lejemål: 12; Restance kr.: 4.100.\n\nHus B: Lejemål: 7; Restance kr.: 0."


def _blocks() -> list[Block]:
    return [
        Block("Bestyrelsen har gennemgået restancerne pr. 31. december.", page=4),
        Block(HEADER_LINE, page=4, labelled=" "),  # a PDF header line the labelled rows say
        Block(RAW_TABLE, "table", page=4, labelled=LABELLED),
        Block("Restancerne er faldet siden sidste opgørelse.", page=4),
    ]


def test_a_chunk_stores_labelled_rows_and_keeps_the_printed_table() -> None:
    (chunk,) = pack_blocks(_blocks(), 1000, 100)
    stored = "\n\n".join(p.text for p in chunk)
    assert "Hus B: Lejemål: 7; Restance kr.: 0." in stored and HEADER_LINE not in stored
    own = [p.text if p.raw is None else p.raw for p in chunk]
    assert own == ["Bestyrelsen har gennemgået restancerne pr. 31. december.", f"{HEADER_LINE}\n\n{RAW_TABLE}",
                   "Restancerne er faldet siden sidste opgørelse."]


def test_a_chunk_without_labelled_rows_has_no_second_text() -> None:
    doc = LoadedDocument(path="n.txt", title="Notat", fmt="txt", blocks=[Block("Et notat uden tabeller."), Block("A | B\n1 | 2", "table")])
    (chunk,) = chunk_document(doc, source_id="n", base_metadata={}, chunk_size=800, chunk_overlap=80)
    assert DOCUMENT_TEXT_KEY not in chunk.metadata and chunk.document_text == chunk.text


def test_a_long_labelled_table_over_several_chunks_gives_each_printed_row_once() -> None:
    rows = [f"Blok {i} | {100 + i} | {i * 3},5 %" for i in range(1, 61)]
    labelled = "\n\n".join(f"Blok {i}: Boliger: {100 + i}; Ledighed: {i * 3},5 %." for i in range(1, 61))
    doc = LoadedDocument(path="l.docx", title="Ledighed", fmt="docx", blocks=[
        Block("Ledighed", "heading", 1), Block("Blok | Boliger | Ledighed\n" + "\n".join(rows), "table", labelled=labelled),
        Block("Kilde: egen opgørelse.")])
    chunks = chunk_document(doc, source_id="l", base_metadata={}, chunk_size=400, chunk_overlap=60)
    assert len(chunks) > 3
    assert all("Ledighed: " in c.text for c in chunks[:-1])  # what is searched: rows with their column names
    printed = "\n".join(c.document_text for c in chunks).split("\n")
    assert [line for line in printed if line.startswith("Blok ") and "|" in line] == ["Blok | Boliger | Ledighed", *rows]
    assert not any("Boliger: " in line for line in printed)
    assert printed[-1] == "Kilde: egen opgørelse."


def test_the_agreement_register_reads_the_printed_text() -> None:
    chunk = Chunk("c:0", "c", "Punkt 4: Ansvarlig: BO; Frist: 1. marts.",
                  {"ordinal": 0, "heading": "Aftaler", DOCUMENT_TEXT_KEY: "Punkt 4 | BO | 1. marts"})
    texts = [u.text for u in units_from_chunks([chunk]) if not u.is_heading]
    assert texts == ["Punkt 4 | BO | 1. marts"]


def test_a_cpr_number_in_a_table_cell_is_redacted_in_the_labelled_rows() -> None:
    doc = LoadedDocument(path="r.docx", title="Restancer", fmt="docx", blocks=[
        Block("Lejer | Personnummer | Beløb\nLejer 1 | 230487-1234 | 2.300", "table",
              labelled="Lejer 1: Personnummer: 230487-1234; Beløb: 2.300.")])
    redact_document(doc)
    assert "230487" not in doc.blocks[0].labelled and "[CPR]" in doc.blocks[0].labelled
    assert "230487" not in doc.blocks[0].text


# ---------------------------------------------------------------- every loader that labels, end to end

ORG = "Andelsboligselskabet Kornblomsten"
KEY_ROWS = [("Husleje pr. m² (kr.)", "812", "845"), ("Lejeledighed", "1,4 %", "0,9 %"),
            ("Henlæggelser pr. bolig (kr.)", "6.100", "6.450"), ("Antal boliger", "412", "418")]
HEAD = ["Nøgletal", "2023", "2024"]
INTRO = f"Styringsrapport 2024 for {ORG}. Tabellen viser huslejen pr. m² for de to seneste regnskabsår."


def _docx(path: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_heading(f"Styringsrapport 2024 - {ORG}", level=1)
    document.add_paragraph(INTRO)
    document.add_heading("Nøgletal for afdelingerne", level=2)
    table = document.add_table(rows=1 + len(KEY_ROWS), cols=3)
    for r, row in enumerate([HEAD, *KEY_ROWS]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _html(path: Path) -> Path:
    head = "".join(f"<th>{h}</th>" for h in HEAD)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in KEY_ROWS)
    path.write_text(f"<html><body><h1>Styringsrapport 2024 - {ORG}</h1><p>{INTRO}</p><h2>Nøgletal for afdelingerne</h2>"
                    f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>", encoding="utf-8")
    return path


def _pdf(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, f"Styringsrapport 2024 - {ORG}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(170, 4.5, INTRO, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, "Nøgletal for afdelingerne", new_x="LMARGIN", new_y="NEXT")
    widths = (60, 30, 30)
    for n, row in enumerate([HEAD, *KEY_ROWS]):
        pdf.set_font("Helvetica", "B" if n == 0 else "", 9)
        for i, (text, width) in enumerate(zip(row, widths)):
            pdf.cell(width, 5, text, align="L" if i == 0 else "R")
        pdf.ln(5)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(170, 4.5, "Huslejen er steget i alle tre afdelinger.")
    path.write_bytes(bytes(pdf.output()))
    return path


def _figures(doc: LoadedDocument) -> set[tuple[str, str | None, float, int | None]]:
    extraction = extract_report(doc, require_figures=False)
    return {(f.figure_type, f.afdeling, f.value, f.year) for f in extraction.figures + extraction.previous_in_report}


@pytest.mark.parametrize("write", [_docx, _html, _pdf], ids=["docx", "html", "pdf"])
def test_a_report_rebuilt_from_its_chunks_reads_as_printed(tmp_path: Path, write) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / f"styringsrapport-2024-kornblomsten.{write.__name__[1:]}")
    loaded = load_file(path, max_bytes=MB)
    labelled = "\n\n".join(b.labelled for b in loaded.blocks)
    assert "Henlæggelser pr. bolig (kr.): 2023: 6.100; 2024: 6.450." in labelled  # the loader labels the rows

    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake"))
    result = ingest_file(kb, path, kind="styringsrapport", org=ORG, year=2024)
    assert result.status == "added", result.message
    chunks = kb.store.chunks_of_source(result.source_id)
    assert any("Henlæggelser pr. bolig (kr.): 2023: 6.100; 2024: 6.450." in c.text for c in chunks)  # searched, quoted
    rebuilt = doc_from_chunks(chunks, "Styringsrapport 2024", loaded.fmt)
    rebuilt_text = "\n".join(b.text for b in rebuilt.blocks)
    for block in loaded.blocks:
        if block.kind != "heading":
            assert block.text.strip() in rebuilt_text  # every row and header line as printed, in one piece
    assert "2023: 6.100" not in rebuilt_text
    figures = _figures(loaded)
    assert {f[0] for f in figures} >= {"husleje_pr_m2", "lejeledighed"}
    assert _figures(rebuilt) == figures  # last year's report reads the same from the store as from the file


def test_each_paragraph_of_a_chunk_over_a_page_break_keeps_its_page() -> None:
    doc = LoadedDocument(path="b.pdf", title="Beretning", fmt="pdf", blocks=[
        Block("Driftsresultat", "heading", 1, page=5),
        Block("Årets resultat blev et mindre underskud.", page=5),
        Block("Underskuddet dækkes af arbejdskapitalen, der herefter udgør 2,4 mio. kr.", page=6)])
    (chunk,) = chunk_document(doc, source_id="b", base_metadata={}, chunk_size=800, chunk_overlap=80)
    assert (chunk.metadata["page_start"], chunk.metadata["page_end"]) == (5, 6)
    assert [page for _, page in chunk.document_paragraphs()] == [5, 5, 6]  # the heading, two paragraphs
    rebuilt = doc_from_chunks([chunk], "Beretning", "pdf")
    assert [(b.text[:12], b.page) for b in rebuilt.blocks][-2:] == [("Årets result", 5), ("Underskuddet", 6)]
    units = [u for u in units_from_chunks([chunk]) if not u.is_heading]
    assert [(u.text[:12], u.page) for u in units][-2:] == [("Årets result", 5), ("Underskuddet", 6)]


def test_a_column_name_said_on_every_row_counts_once_for_lexical_search() -> None:
    from knowledge.lexical import index_terms
    from knowledge.text import content_terms

    rows = [("Nord", "88", "41.200"), ("Syd", "132", "38.900"), ("Vest", "97", "52.100"), ("Øst", "120", "47.300"),
            ("Midt", "105", "44.800"), ("Havn", "76", "39.600")]
    printed = "Afdeling Vedligeholdelse kr. pr. m² Henlagt pr. bolig\n" + "\n".join(" ".join(r) for r in rows)
    labelled = "\n\n".join(f"{a}: Vedligeholdelse kr. pr. m²: {b}; Henlagt pr. bolig: {c}." for a, b, c in rows)
    table = Chunk("t:0", "t", labelled, {"title": "Årsberetning 2025", DOCUMENT_TEXT_KEY: printed})
    guide = Chunk("g:0", "g", "Organisationen skal sørge for forsvarlig vedligeholdelse af ejendommene, og kommunen "
                  "kan påbyde vedligeholdelse, når den forsømmes.", {"title": "Tilsyn med vedligeholdelse"})
    term = content_terms("vedligeholdelse")[0]
    assert index_terms(table).count(term) == 1  # the header prints it once
    assert content_terms(labelled).count(term) == len(rows)
    assert content_terms("Nord")[0] in index_terms(table)  # the rows are still found by their own words
    guide_terms = index_terms(guide)
    assert guide_terms == content_terms(f"{guide.title}\n{guide.text}")  # a chunk without a table: as before
