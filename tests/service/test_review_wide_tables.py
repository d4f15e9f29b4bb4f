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
