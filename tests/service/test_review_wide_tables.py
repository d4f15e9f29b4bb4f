"""Wide tables written the way other organisations write them (issue 16, second round).

Each test writes a small report of its own (an invented organisation) and checks one generic rule:
a column's year in the header decides whether it holds this year's or last year's figure; the report's
own legend of abbreviations names its columns; a row may start with a bare number and a name; a
total row (also with its label on a line of its own and dashes for empty cells) is the organisation's;
a 't.kr.' above year columns scales the amounts; a period in a header ('2026-35') is no value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import load_file
from service.review.abbreviations import expand, read_legend
from service.review.extract import extract_report
from service.review.model import ReportExtraction
from service.review.tables import column_year, parse_header

REPORT = """Styringsrapport 2026 – Boligforeningen Lyngtoppen

Regnskabsåret 2025.

Afd. Navn Bol.
Lejeniv. kr/m2 2024
Lejeniv. kr/m2 2025
Fraflyt. % 2024
Fraflyt. % 2025
Ops. henl. kr/bol. 2025
2 Hedehuse 64 812 833 9,1 11,5 22.400
5 Lyngbakken 120 901 915 7,0 6,4 39.000
I alt / gns.
184 870 886 7,7 8,2 -

Forkortelser: Bol. = antal boliger. Lejeniv. = husleje pr. m². Fraflyt. = fraflytningsprocent. Ops. henl. = opsparede henlæggelser pr. 31.12.

Økonomi

t.kr. 2025 2024
Arbejdskapital (410) 220
Restancer 512 488
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ReportExtraction:
    path: Path = tmp_path_factory.mktemp("wide") / "styringsrapport-lyngtoppen.txt"
    path.write_text(REPORT, encoding="utf-8")
    return extract_report(load_file(path, max_bytes=1_000_000))


def _value(figures: list, name: str, afd: int | None) -> float | None:  # type: ignore[type-arg]
    return next((f.value for f in figures if f.figure_type == name and f.afdeling_nr == afd), None)


def test_a_column_for_an_earlier_year_is_last_years_figure(report: ReportExtraction) -> None:
    assert _value(report.figures, "husleje_pr_m2", 2) == 833
    assert _value(report.previous_in_report, "husleje_pr_m2", 2) == 812
    assert _value(report.figures, "fraflytningsprocent", 5) == 6.4
    assert _value(report.previous_in_report, "fraflytningsprocent", 5) == 7.0


def test_the_reports_legend_names_abbreviated_columns(report: ReportExtraction) -> None:
    assert _value(report.figures, "antal_boliger", 5) == 120  # 'Bol.' is the number of homes, not the type
    assert _value(report.figures, "opsparede_henlaeggelser_pr_bolig", 2) == 22400


def test_a_row_may_start_with_a_bare_number_and_name(report: ReportExtraction) -> None:
    names = {a.nr: a.name for a in report.afdelinger}
    assert names.get(2) == "Hedehuse" and names.get(5) == "Lyngbakken"


def test_a_total_row_is_the_organisations_with_dashes_as_empty_cells(report: ReportExtraction) -> None:
    assert _value(report.figures, "antal_boliger", None) == 184
    assert _value(report.figures, "husleje_pr_m2", None) == 886
    assert _value(report.previous_in_report, "fraflytningsprocent", None) == 7.7
    assert _value(report.figures, "opsparede_henlaeggelser_pr_bolig", None) is None


def test_a_scale_above_year_columns_scales_the_amounts(report: ReportExtraction) -> None:
    assert _value(report.figures, "arbejdskapital", None) == -410_000
    assert _value(report.previous_in_report, "restancer", None) == 488_000


def test_legend_definitions_run_to_the_next_abbreviation() -> None:
    legend = read_legend(["Forkortelser: Husl. = husleje pr. m² pr. år. Vedl. = udgifter til planlagt "
                          "vedligeholdelse. Eff.tal = effektivitetstal. Tabellen er vægtet."])
    assert legend["Husl."] == "husleje pr. m² pr. år"
    assert legend["Eff.tal"] == "effektivitetstal"
    assert expand("Husl. kr/m2 Eff.tal", legend) == "husleje pr. m² pr. år kr/m2 effektivitetstal"
    # the explanation is read from the figure it names: 'udgifter' is no column of its own
    columns = parse_header(expand("Afd. Husl. kr/m2 Vedl. kr/m2", legend)) or []
    assert [c.name for c in columns] == ["afdeling", "husleje_pr_m2", "vedligeholdelse_pr_m2"]


def test_a_period_in_a_header_is_no_column_year() -> None:
    assert column_year("Planlagte arbejder 2026-35 t.kr.") is None
    assert column_year("Tomg. 2025") == 2025
    columns = parse_header("Afdeling Boliger Husleje kr./m² Planlagte arbejder 2026-35 t.kr.") or []
    assert [c.name for c in columns] == ["afdeling", "antal_boliger", "husleje_pr_m2", "planlagte_arbejder"]


def _merged_header_docx(path: Path) -> None:
    """A Word report whose first header row merges each figure over its two year columns."""
    from docx import Document

    doc = Document()
    doc.add_heading("Styringsrapport 2026 – Boligselskabet Kærmosen", level=1)
    doc.add_paragraph("Regnskabsåret 2025.")
    doc.add_heading("Afdelingerne", level=2)
    table = doc.add_table(rows=4, cols=6)
    top = ["Afdeling", "Boliger", "Husleje kr./m²", "", "Fraflytning %", ""]
    sub = ["Afdeling", "Boliger", "2024", "2025", "2024", "2025"]
    rows = [["Afd. 3 Mosevej", "48", "870", "884", "6,1", "9,2³"], ["Afd. 7 Engkær", "90", "912", "930", "8,0", "7,5"]]
    for i, text in enumerate(top):
        table.cell(0, i).text = text
    table.cell(0, 2).merge(table.cell(0, 3)).text = "Husleje kr./m²"
    table.cell(0, 4).merge(table.cell(0, 5)).text = "Fraflytning %"
    for i, text in enumerate(sub):
        table.cell(1, i).text = text
    table.cell(0, 0).merge(table.cell(1, 0)).text = "Afdeling"
    table.cell(0, 1).merge(table.cell(1, 1)).text = "Boliger"
    for r, row in enumerate(rows, start=2):
        for i, text in enumerate(row):
            table.cell(r, i).text = text
    doc.add_paragraph("³ Heraf 2 boliger i genhusning.")
    doc.add_heading("Økonomi", level=2)
    money = doc.add_table(rows=4, cols=3)
    for r, row in enumerate([["Nøgletal", "2024", "2025"], ["Dispositionsfond (mio. kr.)", "", ""],
                             ["I alt", "9,8", "10,3"], ["Heraf disponibel", "2,1", "2,6"]]):
        for i, text in enumerate(row):
            money.cell(r, i).text = text
    money.cell(1, 0).merge(money.cell(1, 2)).text = "Dispositionsfond (mio. kr.)"
    doc.save(str(path))


@pytest.fixture(scope="module")
def word_report(tmp_path_factory: pytest.TempPathFactory) -> ReportExtraction:
    path = tmp_path_factory.mktemp("word") / "styringsrapport-kaermosen.docx"
    _merged_header_docx(path)
    return extract_report(load_file(path, max_bytes=5_000_000))


def test_a_merged_group_header_over_year_columns_names_each_column(word_report: ReportExtraction) -> None:
    assert _value(word_report.figures, "husleje_pr_m2", 3) == 884
    assert _value(word_report.previous_in_report, "husleje_pr_m2", 3) == 870
    assert _value(word_report.figures, "fraflytningsprocent", 7) == 7.5
    assert _value(word_report.figures, "antal_boliger", 7) == 90


def test_a_footnote_mark_is_not_part_of_the_figure_and_a_footnote_states_none(word_report: ReportExtraction) -> None:
    assert _value(word_report.figures, "fraflytningsprocent", 3) == 9.2
    assert not [f for f in word_report.figures if f.figure_type == "ledige_boliger"]  # '³ Heraf 2 boliger ...'


def test_a_caption_row_names_the_figure_and_scale_of_the_rows_under_it(word_report: ReportExtraction) -> None:
    assert _value(word_report.figures, "dispositionsfond", None) == 10_300_000
    assert _value(word_report.previous_in_report, "dispositionsfond", None) == 9_800_000
    assert _value(word_report.figures, "dispositionsfond_disponibel", None) == 2_600_000


APPENDIX = """Styringsrapport 2026 – Boligselskabet Kærmosen

Regnskabsåret 2025.

3. Bestyrelsens bemærkninger

Året har været roligt.

Bilag 1. Afdelingernes nøgletal 2025

Afdeling Boliger Husleje kr./m² Årets resultat t.kr.
2 Kærhuse 60 905 -118
4 Mosegården 44 998 (31)
"""


def test_an_appendix_is_read_after_the_boards_own_words(tmp_path: Path) -> None:
    path = tmp_path / "styringsrapport-bilag.txt"
    path.write_text(APPENDIX, encoding="utf-8")
    report = extract_report(load_file(path, max_bytes=1_000_000))
    assert _value(report.figures, "husleje_pr_m2", 2) == 905
    assert _value(report.figures, "aarets_resultat", 2) == -118_000  # '905 -118': two cells, not a range
    assert _value(report.figures, "aarets_resultat", 4) == -31_000


SPLIT = """# Styringsrapport 2026 – Boligselskabet Kærmosen

Regnskabsåret 2025.

| Afdeling | Boligtype | Boliger | Husleje kr./m² |
|---|---|---|---|
| Afd. 2 Kærhuse | Familie | 60 | 905 |
| Afd. 2 Kærhuse | Ungdom | 20 | 1.010 |
| Afd. 4 Mosegården | Ældre | 44 | 998 |
"""


def test_an_afdeling_in_two_rows_gives_each_boligtype_its_own_figures(tmp_path: Path) -> None:
    path = tmp_path / "styringsrapport-split.md"
    path.write_text(SPLIT, encoding="utf-8")
    report = extract_report(load_file(path, max_bytes=1_000_000))
    rents = {(f.afdeling_nr, f.boligtype): f.value for f in report.figures if f.figure_type == "husleje_pr_m2"}
    assert rents == {(2, "familieboliger"): 905, (2, "ungdomsboliger"): 1010, (4, None): 998}


PROSE = """Beretning 2025 – Boligforeningen Lyngtoppen

Regnskabsåret 2025.

Lyngtoppen består af tre afdelinger med tilsammen 250 boliger.

Desværre er restancerne vokset. De udgjorde 310.000 kr. ved årsskiftet.

Afd. 1 Lyngtoppen har 120 familieboliger. Der var én ledig bolig ved årets udgang.

Afd. 4 Hedehuse er vores ældreboliger. Ved årets udgang stod fem af de 40 boliger tomme.

I 2025 blev der udlejet 22 boliger fra ventelisten.
"""


def test_figures_written_in_words_and_in_sentences_about_the_sentence_before(tmp_path: Path) -> None:
    path = tmp_path / "beretning-lyngtoppen.txt"
    path.write_text(PROSE, encoding="utf-8")
    report = extract_report(load_file(path, max_bytes=1_000_000))
    figures = report.figures
    assert _value(figures, "antal_afdelinger", None) == 3  # 'tre afdelinger'
    assert _value(figures, "antal_boliger", None) == 250  # the organisation, though afd. 1 bears its name
    assert _value(figures, "antal_boliger", 1) == 120
    assert _value(figures, "restancer", None) == 310_000  # 'De udgjorde ...' after 'restancerne er vokset'
    assert _value(figures, "ledige_boliger", 1) == 1  # 'én ledig bolig'
    assert _value(figures, "ledige_boliger", 4) == 5 and _value(figures, "antal_boliger", 4) == 40
    assert _value(figures, "udlejning_venteliste", None) == 22


LAST_YEAR = """Beretning 2025 – Boligforeningen Lyngtoppen

Regnskabsåret 2025.

Restancerne udgjorde 420.000 kr. ved årsskiftet mod 380.000 kr. ved udgangen af 2024.

Administrationsbidraget blev 4.300 kr. pr. lejemålsenhed, kun lidt over sidste års 4.210 kr.

Afd. 4 Hedehuse har ældreboliger. Ved årets udgang stod tre af de 40 boliger tomme mod én året før.
"""


def test_last_years_value_written_in_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "beretning-sidste-aar.txt"
    path.write_text(LAST_YEAR, encoding="utf-8")
    report = extract_report(load_file(path, max_bytes=1_000_000))
    assert _value(report.previous_in_report, "restancer", None) == 380_000
    assert _value(report.previous_in_report, "administrationsbidrag_pr_lejemaal", None) == 4210
    assert _value(report.figures, "ledige_boliger", 4) == 3
    assert _value(report.previous_in_report, "ledige_boliger", 4) == 1


def test_a_figure_restated_per_lejemaalsenhed_after_its_label(tmp_path: Path) -> None:
    path = tmp_path / "beretning-disponibel.txt"
    path.write_text("Beretning 2025 – Boligforeningen Lyngtoppen\n\nRegnskabsåret 2025.\n\n"
                    "Dispositionsfonden udgjorde 7,1 mio. kr. Af fonden er 2,2 mio. kr. disponible, hvilket svarer til "
                    "5.120 kr. pr. lejemålsenhed.\n", encoding="utf-8")
    report = extract_report(load_file(path, max_bytes=1_000_000))
    assert _value(report.figures, "dispositionsfond_disponibel", None) == 2_200_000
    assert _value(report.figures, "dispositionsfond_disponibel_pr_lejemaal", None) == 5120
