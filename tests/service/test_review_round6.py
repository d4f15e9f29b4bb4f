"""Layout primitives of report figures written by others (issue 16, round 5).

Each test writes a small report of its own (an invented organisation and afdelinger; Word files built with
python-docx, HTML pages, text files as a PDF's text layer gives them) and checks one rule about how numbers
and tables are written in Danish documents:
- thousands written with a space ('1 234 567'), a non-breaking or a thin space; inside a marked cell always, and
  in a document that writes thousands with spaces also where the text layer lost the cells, decided by the
  number of columns of the row and whether each value fits its column (two adjacent cells of small numbers are
  never joined; a document that writes thousands with a full stop never joins on a space);
- year columns named by what they hold: 'R2024', 'R 2025', 'Regnskab 2025' are accounts; 'B2026', 'Budget 2026'
  are planned figures, neither this year's nor last year's;
- a grid of key figures, labels in one row and their values in the row below, in HTML and in a PDF's text;
- negative amounts in parentheses and footnote marks next to values in such tables.
"""

from __future__ import annotations

from pathlib import Path

import docx

from ingest.loaders import load_file
from service.review.extract import extract_report
from service.review.model import Figure, ReportExtraction
from service.review.numbers import best_grouping, find_quantities, join_cells, spaces_group_thousands
from tests.service.report_docs import TableItem, docx_report

TITLE = "Styringsrapport 2026"


def _docx(path: Path, items: list[str | TableItem]) -> ReportExtraction:
    return docx_report(path, TITLE, "Andelsboligforeningen Rylevænget · regnskab 2025 · til Sønderhede Kommune", items)


def _html(path: Path, body: str) -> ReportExtraction:
    path.write_text(f"<html><body><h1>{TITLE}</h1><p>Andelsboligforeningen Rylevænget, regnskabsåret 2025.</p>"
                    f"{body}</body></html>", encoding="utf-8")
    return extract_report(load_file(path, max_bytes=1_000_000), require_figures=False)


def _text(path: Path, body: str) -> ReportExtraction:
    path.write_text(f"Andelsboligforeningen Rylevænget - {TITLE}\n\nRegnskabsåret 2025.\n\n{body}", encoding="utf-8")
    return extract_report(load_file(path, max_bytes=1_000_000), require_figures=False)


def _value(figures: list[Figure], name: str, afd: int | None = None) -> float | None:
    return next((f.value for f in figures if f.figure_type == name and f.afdeling_nr == afd), None)


def _now_and_before(report: ReportExtraction, name: str, afd: int | None = None) -> tuple[float | None, float | None]:
    return _value(report.figures, name, afd), _value(report.previous_in_report, name, afd)


def _html_table(rows: list[list[str]]) -> str:
    return "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows) + "</table>"


# -- the number parser ----------------------------------------------------------------------------------------

def test_a_thin_space_separates_thousands() -> None:
    assert [q.value for q in find_quantities("i alt 1\u2009234\u2009567 kr.")] == [1_234_567]
    assert [q.value for q in find_quantities("i alt 2\u00a0500 kr.")] == [2_500]


def test_a_space_inside_a_marked_cell_separates_thousands_but_never_two_cells() -> None:
    row = join_cells("Egenkapital | 1 234 567 | 12 | 1 004,5 | 7 8")
    assert [q.value for q in find_quantities(row, cell=True)] == [1_234_567, 12, 1004.5, 7, 8]


def test_a_row_without_cells_is_grouped_by_its_column_count_and_the_fit_of_each_value() -> None:
    def fit(values: list) -> float:  # a count of homes (under 1.000), then two amounts of thousands
        ranges = [(1, 999), (1000, 99_999), (1000, 99_999)]
        return sum(1.0 if lo <= q.value <= hi else -1.0 for q, (lo, hi) in zip(values, ranges))

    grouped = best_grouping("312 4 750 12 300", 3, fit)
    assert grouped is not None
    assert [q.value for q in find_quantities(grouped, cell=True)] == [312, 4750, 12_300]
    # '312 475' could be one number, but then the row would not hold three values
    assert best_grouping("312 475 1 200", 3, fit) is not None
    assert [q.value for q in find_quantities(best_grouping("312 475 1 200", 3, fit) or "", cell=True)] == \
        [312, 475, 1200]
    assert best_grouping("312 475", 2, fit) is None  # nothing to join: as many values as columns


def test_the_convention_of_a_document_decides_whether_a_space_separates_thousands() -> None:
    assert spaces_group_thousands(["Opsparingen er 31 500 kr. pr. bolig.", "Afd. 2 har 96 boliger."])
    assert not spaces_group_thousands(["Opsparingen er 31.500 kr. pr. bolig.", "Boliger 12 345 Husleje 1.012"])
    # rows of a PDF table prove nothing: '84 955 3' may be 84 homes and a rent of 955
    assert not spaces_group_thousands(["Afd. 2 Tjørnebakken 84 955 3 12,2", "Afd. 5 Hybenvej 66 902 1 8,1"])
    assert spaces_group_thousands(["Dispositionsfond | 14 820 | 15 105"])


# -- thousands written with spaces in reports ----------------------------------------------------------------

def test_a_pdf_row_whose_cells_were_lost_keeps_small_neighbours_apart(tmp_path: Path) -> None:
    report = _text(tmp_path / "styringsrapport.txt",
                   "Afdelingernes nøgletal\nAfd.\nBoliger\nHusleje kr./m²\nLedige boliger\n"
                   "Opsparede henlæggelser kr. pr. bolig\n"
                   "1 Pileengen 124 948 3 31 500\n"
                   "2 Tjørnevang 212 1 012 0 8 400\n"
                   "3 Kildeskrænten 96 877 2 104 250\n\n"
                   "Foreningen har i alt 432 boliger, og målet for opsparingen er 40 000 kr. pr. bolig.")
    assert [_value(report.figures, "antal_boliger", a) for a in (1, 2, 3)] == [124, 212, 96]
    assert [_value(report.figures, "husleje_pr_m2", a) for a in (1, 2, 3)] == [948, 1012, 877]
    assert [_value(report.figures, "ledige_boliger", a) for a in (1, 2, 3)] == [3, 0, 2]
    assert [_value(report.figures, "opsparede_henlaeggelser_pr_bolig", a) for a in (1, 2, 3)] == \
        [31_500, 8_400, 104_250]
    # running text of the same report: its sentences keep the whole number
    assert _value(report.figures, "opsparing_maal_pr_bolig") == 40_000


def test_a_report_with_full_stops_for_thousands_never_joins_on_a_space(tmp_path: Path) -> None:
    report = _text(tmp_path / "styringsrapport.txt",
                   "Afdelingernes nøgletal\nAfd.\nBoliger\nHusleje kr./m²\nOpsparede henlæggelser kr. pr. bolig\n"
                   "1 Pileengen 124 948 31.500\n"
                   "2 Tjørnevang 212 1.012 8.400\n\n"
                   "Målet for opsparingen er 40.000 kr. pr. bolig, og arbejdskapitalen er 2.150.000 kr.")
    assert [_value(report.figures, "antal_boliger", a) for a in (1, 2)] == [124, 212]
    assert [_value(report.figures, "husleje_pr_m2", a) for a in (1, 2)] == [948, 1012]


def test_spaced_amounts_under_tagged_year_columns_in_a_pdf(tmp_path: Path) -> None:
    report = _text(tmp_path / "styringsrapport.txt",
                   "Organisationen har 1 310 boliger, og administrationsbidraget er 4 450 kr. pr. lejemålsenhed.\n\n"
                   "Beløb i 1.000 kr. Regnskab 2024 Regnskab 2025 Budget 2026\n"
                   "Dispositionsfond 18 450 19 020 19 500\n"
                   "Arbejdskapital 2 300 1 950 2 000\n")
    assert _now_and_before(report, "dispositionsfond") == (19_020_000, 18_450_000)
    assert _now_and_before(report, "arbejdskapital") == (1_950_000, 2_300_000)


# -- year columns named by what they hold ------------------------------------------------------------------------

def test_a_budget_column_is_neither_this_years_nor_last_years_figure(tmp_path: Path) -> None:
    report = _docx(tmp_path / "styringsrapport.docx", [
        [["Beløb i 1.000 kr.", "R 2024", "R 2025", "B 2026"],
         ["Dispositionsfond", "12 345", "13 210", "14 000"],
         ["Årets resultat", "(1 250)", "310¹", "-"],
         ["Restancer", "455", "512*", "400"]],
        "¹ Efter overførsel til arbejdskapitalen.",
    ])
    assert _now_and_before(report, "dispositionsfond") == (13_210_000, 12_345_000)
    assert _now_and_before(report, "aarets_resultat") == (310_000, -1_250_000)
    assert _now_and_before(report, "restancer") == (512_000, 455_000)
    assert 14_000_000 not in [f.value for f in report.figures + report.previous_in_report]


def test_a_budget_year_before_the_accounts_in_an_html_table(tmp_path: Path) -> None:
    report = _html(tmp_path / "rapport.html", "<p>Alle beløb i kr. pr. lejemålsenhed.</p>" + _html_table([
        ["kr. pr. lejemålsenhed", "Budget 2025", "Regnskab 2024", "Regnskab 2025"],
        ["Administrationsbidrag", "4 900", "4 610", "4 820"]]))
    assert _now_and_before(report, "administrationsbidrag_pr_lejemaal") == (4820, 4610)


def test_a_budget_column_of_a_wide_table_is_not_read(tmp_path: Path) -> None:
    report = _docx(tmp_path / "styringsrapport.docx", [
        [["Afdeling", "Husleje kr./m² R2025", "Husleje kr./m² B2026", "Effektivitetstal R2025"],
         ["1 Pileengen", "948", "990", "88"],
         ["2 Tjørnevang", "1 012", "1 044", "91"]],
    ])
    assert [_value(report.figures, "husleje_pr_m2", a) for a in (1, 2)] == [948, 1012]
    assert [_value(report.figures, "effektivitetstal", a) for a in (1, 2)] == [88, 91]


# -- a grid of key figures: each label over its value ----------------------------------------------------------

def test_a_grid_of_key_figures_in_html(tmp_path: Path) -> None:
    report = _html(tmp_path / "rapport.html", "<h2>Hovedtal</h2>" + _html_table([
        ["Boligafdelinger", "Antal boliger", "Lejemålsenheder"],
        ["7", "815", "862"],
        ["Arbejdskapital", "Opsparede henlæggelser", "Husleje"],
        ["(420) t.kr.", "27 400 kr. pr. bolig", "1 006 kr./m²"]]))
    assert _value(report.figures, "antal_afdelinger") == 7
    assert _value(report.figures, "antal_boliger") == 815
    assert _value(report.figures, "antal_lejemaalsenheder") == 862
    assert _value(report.figures, "arbejdskapital") == -420_000
    assert _value(report.figures, "opsparede_henlaeggelser_pr_bolig") == 27_400
    assert _value(report.figures, "husleje_pr_m2") == 1006


def test_a_grid_of_key_figures_in_a_pdf_text_layer(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for text in ("Andelsboligforeningen Rylevænget - Styringsrapport 2026", "", "Regnskabsåret 2025.", "",
                 "Hovedtal", "", "Afdelinger Boliger Lejemålsenheder Arbejdskapital", "7 815 862 ÷0,45 mio. kr.", "",
                 "Husleje, gennemsnit Administrationsbidrag", "",
                 "1.006 kr./m² 4.950 kr. pr. lejemålsenhed Anm.: Tallene er fra regnskabet for 2025.", "",
                 "Dispositionsfonden udgør 14.200.000 kr."):
        pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "styringsrapport.pdf"
    pdf.output(str(path))
    report = extract_report(load_file(path, max_bytes=1_000_000), require_figures=False)
    assert _value(report.figures, "antal_afdelinger") == 7
    assert _value(report.figures, "antal_boliger") == 815
    assert _value(report.figures, "antal_lejemaalsenheder") == 862
    assert _value(report.figures, "arbejdskapital") == -450_000
    assert _value(report.figures, "husleje_pr_m2") == 1006
    assert _value(report.figures, "administrationsbidrag_pr_lejemaal") == 4950


def test_a_header_whose_cells_were_lost_gives_each_year_a_column_of_its_own(tmp_path: Path) -> None:
    # 'Antenne' names no key figure: its two year columns must not shift the columns after them
    report = _text(tmp_path / "styringsrapport.txt",
                   "Huslejen er i gennemsnit 1 004 kr. pr. m².\n\n"
                   "Udvikling\nAfd.\nHusleje R2024\nHusleje R2025\nAntenne R2024\nAntenne R2025\n"
                   "Ledige R2024\nLedige R2025\n"
                   "1 Pileengen 931 948 110 115 2 3\n"
                   "2 Tjørnevang 1 001 1 012 95 95 0 1\n")
    assert _now_and_before(report, "husleje_pr_m2", 1) == (948, 931)
    assert _now_and_before(report, "husleje_pr_m2", 2) == (1012, 1001)
    assert _now_and_before(report, "ledige_boliger", 1) == (3, 2)
    assert _now_and_before(report, "ledige_boliger", 2) == (1, 0)


def test_the_unit_in_the_first_cell_of_a_year_table_is_every_rows_unit(tmp_path: Path) -> None:
    report = _html(tmp_path / "rapport.html", _html_table([
        ["kr. pr. lejemålsenhed", "Regnskab 2024", "Regnskab 2025", "Foreningens mål²"],
        ["Disponible midler i dispositionsfonden", "6 120", "5 480", "5 000"],
        ["Administrationsbidrag", "4 615", "4 790", "-"]]) + "<p>² Vedtaget af repræsentantskabet.</p>")
    assert _now_and_before(report, "dispositionsfond_disponibel_pr_lejemaal") == (5480, 6120)
    assert _value(report.figures, "dispositionsfond_minimum_pr_lejemaal") == 5000
    assert _now_and_before(report, "administrationsbidrag_pr_lejemaal") == (4790, 4615)


def test_a_pdf_grid_whose_labels_wrap_over_lines_keeps_its_values_together(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for text in ("Andelsboligforeningen Rylevænget - Styringsrapport 2026", "", "Regnskabsåret 2025.", "",
                 "Tal i overblik", "", "Dispositionsfond i alt Heraf disponibel Disponibel pr.", "", "lejemålsenhed", "",
                 "Bestyrelsens minimum*", "", "14,9 mio. kr. 3,25 mio. kr. 4.120 kr. 4.500 kr.", "",
                 "* Fastsat i 2024."):
        pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "styringsrapport.pdf"
    pdf.output(str(path))
    report = extract_report(load_file(path, max_bytes=1_000_000), require_figures=False)
    assert _value(report.figures, "dispositionsfond") == 14_900_000
    assert _value(report.figures, "dispositionsfond_disponibel") == 3_250_000
    assert _value(report.figures, "dispositionsfond_disponibel_pr_lejemaal") == 4120
    assert _value(report.figures, "dispositionsfond_minimum_pr_lejemaal") == 4500


def test_a_line_that_counts_the_homes_number_first_under_an_afdelings_heading(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_heading(TITLE, level=1)
    doc.add_paragraph("Andelsboligforeningen Rylevænget · regnskab 2025 · til Sønderhede Kommune")
    doc.add_heading("Afd. 7 Kærmosen", level=2)
    doc.add_paragraph("58 lejligheder (ældreboliger)")
    doc.add_paragraph("Huslejen er 1.044 kr. pr. m².")
    doc.add_heading("Afd. 8 Vandkantsvej", level=2)
    doc.add_paragraph("Der er 12 boliger, som står tomme efter renoveringen.")
    doc.add_paragraph("Huslejen er 917 kr. pr. m².")
    path = tmp_path / "styringsrapport.docx"
    doc.save(str(path))
    report = extract_report(load_file(path, max_bytes=1_000_000), require_figures=False)
    assert _value(report.figures, "antal_boliger", 7) == 58
    assert _value(report.figures, "antal_boliger", 8) is None  # a sentence about 12 of the homes counts none
