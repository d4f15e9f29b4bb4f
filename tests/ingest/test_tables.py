"""Tables keep their column names: each body row of a Word, HTML or PDF table is stored as a line that names the
column of every cell (ingest/tables.py), while the loader's block text stays as the text layer has it (the
review reads that). Fixtures are made here: wrapped header cells, a group header over two years, tables going on
over a page with and without a repeated header, row labels, empty cells, Danish figures."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingest.chunking import chunk_document
from ingest.loaders import load_file
from ingest.loaders.pdf_tables import page_tables
from ingest.pipeline import ingest_file
from ingest.splitting import split_labelled
from ingest.tables import Grid, labelled_text, split_header
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.sentences import split_sentences
from service.answering.answer import answer_question
from service.answering.checker import CitationChecker

MB = 50 * 1024 * 1024

# ---------------------------------------------------------------- the grid -> labelled rows


def test_group_header_names_each_subcolumn_and_row_label_leads() -> None:
    grid = Grid(
        header=[["Afdeling", "Husleje pr. m²", "Husleje pr. m²", "Tomgang"], ["Afdeling", "2024", "2025", "Tomgang"]],
        rows=[["Afd. 3 Kløverengen", "998", "1.034", "2,5 %"]],
    )
    assert labelled_text(grid) == "Afd. 3 Kløverengen: Husleje pr. m² 2024: 998; Husleje pr. m² 2025: 1.034; Tomgang: 2,5 %."


def test_empty_cells_are_left_out_and_dashes_negative_figures_stay_as_printed() -> None:
    grid = Grid(header=[["Post", "Budget", "Regnskab", "Afvigelse"]],
                rows=[["Renholdelse", "1.234,5", "", "(842)"], ["Forsikring", "-", "310", ""]])
    rows = labelled_text(grid).split("\n\n")
    assert rows == ["Renholdelse: Budget: 1.234,5; Afvigelse: (842).", "Forsikring: Budget: -; Regnskab: 310."]


def test_a_year_naming_the_row_is_said_with_its_column() -> None:
    grid = Grid(header=[["År", "Boliger", "Ledige"]], rows=[["2024", "120", "3"], ["2025", "121", "0"]])
    assert labelled_text(grid).split("\n\n")[1] == "År: 2025; Boliger: 121; Ledige: 0."


def test_without_a_row_label_every_cell_is_named() -> None:
    grid = Grid(header=[["Boliger", "Ledige", "Andel"]], rows=[["310", "4", "1,3 %"]])
    assert labelled_text(grid) == "Boliger: 310; Ledige: 4; Andel: 1,3 %."


def test_a_list_of_facts_says_label_and_value() -> None:
    header, rows = split_header([["Oplysning", "Værdi"], ["Adresse", "Møllevej 3"], ["Direktør", "K. Holm"],
                                 ["Antal boliger", "212"]])
    assert labelled_text(Grid(header, rows)).split("\n\n") == [
        "Adresse: Møllevej 3.", "Direktør: K. Holm.", "Antal boliger: 212."]


def test_a_table_of_running_text_is_left_as_it_is() -> None:
    grid = Grid(header=[["Emne", "Konklusion"]], rows=[
        ["Tagrenovering", "Selskabet sender en tidsplan for renoveringen af taget til kommunen inden udgangen af maj."],
        ["Ledige boliger", "Ingen bemærkninger."]])
    assert labelled_text(grid) == ""


def test_header_rows_stop_at_the_first_row_that_names_itself() -> None:
    header, body = split_header([["", "Regnskab", "Regnskab"], ["", "2024", "2025"], ["Restancer", "441", "587"]])
    assert len(header) == 2 and body == [["Restancer", "441", "587"]]
    header, body = split_header([["Nøgletal", "Værdi"], ["Status", "Godkendt"], ["Frist", "Juni"]])
    assert len(header) == 1 and len(body) == 2


def test_each_row_is_a_sentence_of_its_own() -> None:
    """Rows end in 'stk.', a year or a figure and the next starts with a digit: still one sentence each."""
    grid = Grid(header=[["År", "Elevatorer", "Lejemål"]], rows=[["2024", "3 stk.", "41"], ["2025", "4 stk.", "40"]])
    assert split_sentences(labelled_text(grid)) == ["År: 2024; Elevatorer: 3 stk.; Lejemål: 41.",
                                                     "År: 2025; Elevatorer: 4 stk.; Lejemål: 40."]


def test_a_long_table_is_split_between_rows_with_its_caption_repeated() -> None:
    rows = [[f"Afd. {i} Kildebakken", f"{i}.100", f"{i},5 %"] for i in range(1, 40)]
    text = labelled_text(Grid([["Afdeling", "Henlæggelser", "Tomgang"]], rows, caption="Tabel 4. Nøgletal"))
    parts = split_labelled(text, 400, 50)
    assert len(parts) > 2 and all(len(p) <= 400 for p in parts)
    assert parts[0].startswith("Tabel 4. Nøgletal:") and parts[1].startswith("Tabel 4. Nøgletal (fortsat):")
    body = [r for p in parts for r in p.split("\n\n") if not r.endswith(":")]
    assert body == text.split("\n\n")[1:]  # every row once, in order


# ---------------------------------------------------------------- PDF layout text -> columns

WRAPPED = """\
3.2 Drift og henlæggelser

      Afdeling              Årlige            Opsparede        Tomgang
                        henlæggelser      henlæggelser kr.        %
                         kr. pr. bolig        pr. bolig
Afd. 7 Skovsøen                 5.100              12.300        4,1 %
Afd. 8 Rævebakken              14.900              51.000        0,0 %
Afd. 9 Ny afdeling                  -                   -            -
"""


def test_wrapped_header_cells_are_joined_by_column() -> None:
    (table,) = page_tables(WRAPPED)
    assert table.names == ["Afdeling", "Årlige henlæggelser kr. pr. bolig", "Opsparede henlæggelser kr. pr. bolig",
                           "Tomgang %"]
    assert sorted(table.labelled().values())[0] == (
        "Afd. 7 Skovsøen: Årlige henlæggelser kr. pr. bolig: 5.100; Opsparede henlæggelser kr. pr. bolig: 12.300; "
        "Tomgang %: 4,1 %.")
    assert "Afd. 9 Ny afdeling: Årlige henlæggelser kr. pr. bolig: -; Opsparede henlæggelser kr. pr. bolig: -; " \
           "Tomgang %: -." in table.labelled().values()


GROUPED = """\
                         Husleje pr. m²             Ledige boliger
 Afdeling               2024        2025           2024        2025
 Afd. 1 Tjørnebo       1.002       1.034             2           0
 Afd. 2 Vesterled        876         901            (1)          3
"""


def test_a_group_header_over_two_years_names_each_year_column() -> None:
    (table,) = page_tables(GROUPED)
    assert table.names[1:] == ["Husleje pr. m² 2024", "Husleje pr. m² 2025", "Ledige boliger 2024",
                               "Ledige boliger 2025"]


def test_a_table_at_the_top_of_the_next_page_takes_the_header_of_the_page_before() -> None:
    (first,) = page_tables(WRAPPED)
    page2 = "Boligselskabet Nordlyset · nøgletal\n\nAfd. 10 Bakkely                 6.200              22.100        1,2 %\n" \
            "Afd. 11 Engbo                   8.000              30.400        0,4 %\n"
    (table,) = page_tables(page2, first, top_key="Afd.10Bakkely6.20022.1001,2%")
    assert table.continued and table.names == first.names
    # without a table before it, the same rows have no names to take
    assert page_tables(page2, None, top_key="Afd.10Bakkely6.20022.1001,2%") == []


def test_running_text_above_a_table_is_no_header() -> None:
    layout = "Tabellen herunder viser tomgangen i afdelingerne ved årets udgang, opgjort af administrationen.\n" \
             "Afd. 1 Lyngen        3,0 %      12\nAfd. 2 Heden         0,5 %       4\n"
    assert page_tables(layout) == []


# ---------------------------------------------------------------- real files


HEAD = ["Afdeling", "Antal\nboliger", "Husleje\nkr. pr. m²\npr. år", "Tomgang\n%", "Henlæggelser\npr. bolig\n(kr.)"]
WIDTHS = [60, 22, 28, 22, 32]
NAMES = ["Birkelunden", "Kildeparken", "Solsortevej", "Mågeparken", "Engtoften", "Rødkløvervej", "Hyldebærhaven",
         "Skrænten", "Åsen", "Toften", "Lærkevej", "Vibevej", "Stæren", "Krumtappen", "Bøgeskoven", "Grønnegården",
         "Ahornvej", "Egevænget", "Hasselvej", "Pilevej", "Poppelvej", "Nøddehegnet", "Tjørnen", "Rønnebær",
         "Enebærvej", "Lyngen", "Klitten", "Strandengen", "Havbakken", "Vestervang", "Østervang", "Nørrevang",
         "Søndervang", "Mosen", "Kæret", "Lunden", "Fuglesangen", "Bakkedraget", "Dalen", "Kløften", "Vindelbo",
         "Pærehaven"]


def _row(i: int, name: str) -> list[str]:
    vacancy = f"{(i * 3) % 10},{i % 10} %"
    return [f"Afd. {i} {name}", str(20 + 7 * i), f"{900 + i * 13:,}".replace(",", "."), vacancy,
            "-" if i % 9 == 0 else f"{10000 + 731 * i:,}".replace(",", ".")]


ROWS = [_row(i, n) for i, n in enumerate(NAMES, start=1)]


def write_table_pdf(path: Path, *, repeat_header: bool) -> Path:
    """A report page with a table whose header cells wrap over up to three lines, going on over the next page."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()

    def running(page: int) -> None:
        pdf.set_font("Helvetica", "", 7)
        pdf.set_xy(20, 8)
        pdf.cell(0, 4, "Boligselskabet Havtornen - Beretning 2025")
        pdf.set_xy(20, 286)
        pdf.cell(0, 4, f"Side {page}")

    def header(y: float) -> float:
        pdf.set_font("Helvetica", "B", 8)
        x = 20.0
        for text, width in zip(HEAD, WIDTHS):
            pdf.set_xy(x, y)
            pdf.multi_cell(width, 3.6, text, align="C")
            x += width
        return y + 12

    running(1)
    pdf.set_xy(20, 20)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 6, "4. Afdelingernes nøgletal")
    pdf.set_font("Helvetica", "", 9)
    pdf.set_xy(20, 28)
    pdf.multi_cell(170, 4.5, "Tabellen viser nøgletal for regnskabsåret 2025. Tomgang er opgjort som andel af "
                             "boligerne ved årets udgang.")
    y, page = header(40), 1
    for row in ROWS:
        if y > 270:
            pdf.add_page()
            page += 1
            running(page)
            y = header(22) if repeat_header else 22
        pdf.set_font("Helvetica", "", 9)
        x = 20.0
        for i, (text, width) in enumerate(zip(row, WIDTHS)):
            pdf.set_xy(x, y)
            pdf.cell(width, 5, text, align="L" if i == 0 else "R")
            x += width
        y += 5.5
    path.write_bytes(bytes(pdf.output()))
    return path


def _labelled_rows(path: Path) -> dict[str, tuple[str, int | None]]:
    doc = load_file(path, max_bytes=MB)
    out: dict[str, tuple[str, int | None]] = {}
    for block in doc.blocks:
        for line in (block.labelled or "").split("\n\n"):
            if ": " in line:  # a row (a paragraph above may be labelled too: its text less a header line)
                out[line.split(":", 1)[0]] = (line, block.page)
    return out


@pytest.mark.parametrize("repeat_header", [True, False])
def test_pdf_rows_name_their_columns_on_both_pages(tmp_path: Path, repeat_header: bool) -> None:
    path = write_table_pdf(tmp_path / "beretning.pdf", repeat_header=repeat_header)
    rows = _labelled_rows(path)
    first, page = rows["Afd. 1 Birkelunden"]
    assert page == 1
    assert first == ("Afd. 1 Birkelunden: Antal boliger: 27; Husleje kr. pr. m² pr. år: 913; Tomgang %: 3,1 %; "
                     "Henlæggelser pr. bolig (kr.): 10.731.")
    last, page = rows["Afd. 42 Pærehaven"]
    assert page == 2 and "Tomgang %: 6,2 %" in last and "Antal boliger: 314" in last
    assert rows["Afd. 9 Åsen"][0].endswith("Henlæggelser pr. bolig (kr.): -.")
    assert len(rows) == len(ROWS)


def test_pdf_block_text_is_unchanged_for_the_review(tmp_path: Path) -> None:
    doc = load_file(write_table_pdf(tmp_path / "b.pdf", repeat_header=True), max_bytes=MB)
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert tables and tables[0].text.split("\n")[0] == "Afd. 1 Birkelunden 27 913 3,1 % 10.731"


def write_docx_table(path: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_heading("Nøgletal for afdelingerne", level=1)
    document.add_paragraph("Tabel 2. Husleje og tomgang")
    table = document.add_table(rows=5, cols=5)
    cells = [
        ["Afdeling", "Husleje pr. m²", "", "Tomgang", ""],
        ["", "2024", "2025", "2024", "2025"],
        ["Afd. 1 Skovly", "998", "1.034", "1,0 %", ""],
        ["Afd. 2 Enghaven", "1.101", "1.120", "0,0 %", "2,2 %"],
        ["I alt", "", "", "", "(0,4 %)"],
    ]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 1).merge(table.cell(0, 2))
    table.cell(0, 3).merge(table.cell(0, 4))
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).text = "Husleje pr. m²"
    table.cell(0, 3).text = "Tomgang"
    table.cell(0, 0).text = "Afdeling"
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_docx_merged_header_cells_name_each_year(tmp_path: Path) -> None:
    doc = load_file(write_docx_table(tmp_path / "tal.docx"), max_bytes=MB)
    (block,) = [b for b in doc.blocks if b.kind == "table"]
    assert block.text.split("\n")[2] == "Afd. 1 Skovly | 998 | 1.034 | 1,0 %"  # the text layer as before
    assert block.labelled.split("\n\n") == [
        "Tabel 2. Husleje og tomgang:",
        "Afd. 1 Skovly: Husleje pr. m² 2024: 998; Husleje pr. m² 2025: 1.034; Tomgang 2024: 1,0 %.",
        "Afd. 2 Enghaven: Husleje pr. m² 2024: 1.101; Husleje pr. m² 2025: 1.120; Tomgang 2024: 0,0 %; "
        "Tomgang 2025: 2,2 %.",
        "I alt: Tomgang 2025: (0,4 %).",
    ]


HTML = """<html><body><h2>Udlejning 2025</h2>
<table><caption>Udlejninger fordelt på regler</caption>
<thead><tr><th rowspan="2">Regel</th><th colspan="2">Udlejninger</th></tr>
<tr><th>Antal</th><th>Andel</th></tr></thead>
<tbody><tr><td>Venteliste</td><td>41</td><td>68,3 %</td></tr>
<tr><td>Kommunal anvisning (§ 59)</td><td>15</td><td>25,0 %</td></tr>
<tr><td>Fleksibel udlejning</td><td></td><td>-</td></tr></tbody></table></body></html>"""


def test_html_thead_rowspan_colspan_and_caption(tmp_path: Path) -> None:
    path = tmp_path / "udlejning.html"
    path.write_text(HTML, encoding="utf-8")
    (block,) = [b for b in load_file(path, max_bytes=MB).blocks if b.kind == "table"]
    assert block.labelled.split("\n\n") == [
        "Udlejninger fordelt på regler:",
        "Venteliste: Udlejninger Antal: 41; Udlejninger Andel: 68,3 %.",
        "Kommunal anvisning (§ 59): Udlejninger Antal: 15; Udlejninger Andel: 25,0 %.",
        "Fleksibel udlejning: Udlejninger Andel: -.",
    ]


def test_html_table_without_thead_finds_its_header_row(tmp_path: Path) -> None:
    path = tmp_path / "t.html"
    path.write_text("<table><tr><td>Afdeling</td><td>Ledige</td></tr><tr><td>Nord</td><td>3</td></tr>"
                    "<tr><td>Syd</td><td>0</td></tr></table>", encoding="utf-8")
    (block,) = [b for b in load_file(path, max_bytes=MB).blocks if b.kind == "table"]
    assert block.labelled == "Nord: Ledige: 3.\n\nSyd: Ledige: 0."


def test_chunks_store_the_labelled_rows_with_their_page(tmp_path: Path) -> None:
    doc = load_file(write_table_pdf(tmp_path / "c.pdf", repeat_header=False), max_bytes=MB)
    chunks = chunk_document(doc, source_id="x", base_metadata={"kind": "styringsrapport"}, chunk_size=1200,
                            chunk_overlap=100)
    holding = [c for c in chunks if "Afd. 42 Pærehaven:" in c.text]
    assert len(holding) == 1 and holding[0].metadata["page_start"] == 2 == holding[0].metadata["page_end"]
    assert "Afd. 42 Pærehaven: Antal boliger: 314" in holding[0].text
    parts = {p.strip() for c in chunks for p in c.text.split("\n\n")}
    assert not parts & {"boliger", "pr. år", "(kr.)", "Husleje", "Tomgang"}  # the loose header words are gone
    assert "Tabellen viser nøgletal for regnskabsåret 2025." in chunks[0].text


def test_a_header_line_joined_to_the_sentence_above_is_cut_off() -> None:
    from ingest.loaders.pdf import _drop_header_words
    from knowledge.types import Block

    blocks = [Block("Udlejninger i 2025 fordelt på regler. Regel Antal Andel", "paragraph", page=4),
              Block("Antal", "paragraph", page=4),
              Block("Venteliste 41 68,3 %", "paragraph", page=4, labelled="Venteliste: Antal: 41; Andel: 68,3 %.")]
    _drop_header_words(blocks, {"Regel", "Antal", "Andel"})
    assert [b.labelled for b in blocks[:2]] == ["Udlejninger i 2025 fordelt på regler.", " "]
    assert blocks[0].text.endswith("Regel Antal Andel")  # the loader's text as before


# ---------------------------------------------------------------- end to end: a question about a cell


@pytest.mark.parametrize(("question", "figure", "page"), [
    ("Hvad er tomgangen i afdeling Pærehaven?", "6,2 %", 2),
    ("Hvor mange boliger har afd. 3 Solsortevej?", "41", 1),
])
def test_a_question_about_a_cell_gets_the_figure_with_its_page(tmp_path: Path, question: str, figure: str,
                                                               page: int) -> None:
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake", builtin=False))
    path = write_table_pdf(tmp_path / "Beretning 2025 Havtornen.pdf", repeat_header=False)
    assert ingest_file(kb, path, kind="styringsrapport", org="Boligselskabet Havtornen", year=2026).status == "added"
    answer = answer_question(question, searcher=kb, settings=kb.settings)
    assert not answer.abstained, answer.reason
    assert figure in answer.text
    cited = [c for c in answer.citations if figure in c.quote]
    assert cited and cited[0].page_start == page == cited[0].page_end, answer.citations


def test_the_checker_accepts_a_sentence_quoted_from_a_row(tmp_path: Path) -> None:
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake", builtin=False))
    path = tmp_path / "tal.docx"
    write_docx_table(path)
    assert ingest_file(kb, path, kind="styringsrapport").status == "added"
    hits = kb.search("Husleje pr. m² 2025 Enghaven", k=3).hits
    row = "Afd. 2 Enghaven: Husleje pr. m² 2024: 1.101; Husleje pr. m² 2025: 1.120; Tomgang 2024: 0,0 %; " \
          "Tomgang 2025: 2,2 %."
    n = next(i for i, h in enumerate(hits, 1) if row in h.chunk.text)
    result = CitationChecker(hits).check(f"{row} [{n}]")
    assert not result.abstain and result.unsupported_count == 0
    wrong = CitationChecker(hits).check(f"Afd. 2 Enghaven: Husleje pr. m² 2025: 1.210. [{n}]")
    assert wrong.abstain  # a figure the row does not hold is not supported
