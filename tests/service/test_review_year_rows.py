"""Report figures in layouts written by others (issue 16, round 5): years as rows and two-row headers.

Each test writes a small report of its own (invented organisation and afdelinger; Word files built with
python-docx, real merged cells; a PDF's text layer given as the blocks its loader returns) and checks one rule:
- a table with a row per year and the key figures as columns ('År | Resultat | ...' over '2024 | ...'): the
  accounting year's row (else the newest) is this year's figure, the row before it last year's, an older row
  neither; a row of changes ('Udvikling') is no year; the afdeling may stand in a first column merged over its
  year rows, or on a line above a small table whose header the PDF text layer wrapped over short lines;
- a header in two rows with merged group cells: a lower cell that only gives a unit ('kr. pr. m²', 'pct.')
  follows its figure, a lower cell that qualifies the group ('saldo', 'i året') names the figure with the
  group's noun, and a cell's unit is not the next cell's;
- minus written '−', '÷' or in parentheses inside such tables;
- label families: moving out ('udflytning', 'flyttefrekvens'), the free part of the dispositionsfond ('heraf
  fri', 'ubunden del'), saved henlæggelser ('saldo', 'henlagte midler'), a loss per m² ('Tab kr./m²').
"""

from __future__ import annotations

from pathlib import Path

from ingest.loaders import load_file
from knowledge.types import Block, LoadedDocument
from service.review.extract import extract_report
from service.review.model import Figure, ReportExtraction
from tests.service.report_docs import TableItem, docx_report

TITLE = "Styringsrapport 2026"
INTRO = "Andelsboligselskabet Skovmærket · regnskabsåret 2025 · til Bredå Kommune"


def _docx(path: Path, items: list[str | TableItem]) -> ReportExtraction:
    return docx_report(path, TITLE, INTRO, items)


def _pdf_layer(*blocks: Block) -> ReportExtraction:
    head = (Block(f"{TITLE} - Andelsboligselskabet Skovmærket", page=1), Block("Regnskabsåret 2025.", page=1))
    doc = LoadedDocument(path="x.pdf", title=TITLE, blocks=[*head, *blocks], fmt="pdf", page_count=1)
    return extract_report(doc, require_figures=False)


def _value(figures: list[Figure], name: str, afd: int | None = None) -> float | None:
    return next((f.value for f in figures if f.figure_type == name and f.afdeling_nr == afd), None)


def _last_year(report: ReportExtraction, name: str, afd: int | None = None) -> tuple[float, int | None] | None:
    earlier = [f for f in report.previous_in_report if f.figure_type == name and f.afdeling_nr == afd]
    latest = max(earlier, key=lambda f: f.year or 0, default=None)
    return (latest.value, latest.year) if latest else None


# -- years as rows --------------------------------------------------------------------------------------

def test_organisation_table_with_a_row_per_year_and_a_row_of_changes(tmp_path: Path) -> None:
    report = _docx(tmp_path / "rapport.docx", [
        "Selskabets økonomi",
        ([["Regnskab", "Resultat", "Arbejdskapital", "Lejerestancer", "Dispositionsfond", "~"],
          ["~", "1.000 kr.", "1.000 kr.", "1.000 kr.", "samlet, t.kr.", "ubunden del, t.kr."],
          ["2023", "512", "2.310", "388", "14.020", "3.100"],
          ["2024", "(1.160)", "1.940", "402", "13.800", "2.950"],
          ["2025", "÷95", "−240", "455", "13.640", "2.480"],
          ["Udvikling", "+1.065", "−2.180", "+53", "−160", "−470"]],
         [(0, 0, 1, 0), (0, 4, 0, 5)]),
    ])
    assert _value(report.figures, "aarets_resultat") == -95_000
    assert _value(report.figures, "arbejdskapital") == -240_000
    assert _value(report.figures, "restancer") == 455_000
    assert _value(report.figures, "dispositionsfond") == 13_640_000
    assert _value(report.figures, "dispositionsfond_disponibel") == 2_480_000
    assert _last_year(report, "aarets_resultat") == (-1_160_000, 2024)
    assert _last_year(report, "dispositionsfond_disponibel") == (2_950_000, 2024)
    # the change row is neither a year nor this year's figure
    assert not any(f.value in (1_065_000, -2_180_000) for f in report.figures + report.previous_in_report)


def test_afdeling_merged_over_its_year_rows(tmp_path: Path) -> None:
    report = _docx(tmp_path / "rapport.docx", [
        ([["Afdeling", "År", "Husleje kr. pr. m²", "Tomme boliger", "Flyttefrekvens %"],
          ["7 Grønnegården", "2024", "884", "2", "9,4"],
          ["~", "2025", "921", "5", "13,1"],
          ["9 Søvænget", "2024", "1.045", "0", "22,0"],
          ["~", "2025", "1.062", "1", "24,5"]],
         [(1, 0, 2, 0), (3, 0, 4, 0)]),
    ])
    assert _value(report.figures, "husleje_pr_m2", 7) == 921
    assert _value(report.figures, "ledige_boliger", 7) == 5
    assert _value(report.figures, "fraflytningsprocent", 9) == 24.5
    assert _last_year(report, "husleje_pr_m2", 9) == (1045, 2024)
    assert _last_year(report, "fraflytningsprocent", 7) == (9.4, 2024)


def test_a_pdf_text_layer_table_per_afdeling_with_a_wrapped_header() -> None:
    report = _pdf_layer(
        Block("Afd. 12 Lærkereden - 64 ældreboliger", page=1),
        Block("År Husleje", page=1), Block("kr./m²", page=1), Block("Tomme", page=1), Block("boliger", page=1),
        Block("Tab kr./m²", page=1), Block("Flytte-", page=1), Block("procent", page=1), Block("Eff.tal", page=1),
        Block("2024 1.012 3 4,1 14,2 96", "table", page=1),
        Block("2025 1.031 1 2,7 11,9 99", "table", page=1),
        Block("Afd. 14 Mejsehaven - 120 familieboliger År Husleje", page=1), Block("kr./m²", page=1),
        Block("Tomme", page=1), Block("boliger", page=1), Block("Tab kr./m²", page=1), Block("Flytte-", page=1), Block("procent", page=1),
        Block("Eff.tal", page=1),
        Block("2024 960 0 0,8 8,0 104", "table", page=1),
        Block("2025 979 2 1,9 9,6 101", "table", page=1),
    )
    assert _value(report.figures, "husleje_pr_m2", 12) == 1031
    assert _value(report.figures, "tab_ved_lejeledighed_pr_m2", 12) == 2.7
    assert _value(report.figures, "fraflytningsprocent", 12) == 11.9
    assert _value(report.figures, "effektivitetstal", 12) == 99
    assert _last_year(report, "ledige_boliger", 12) == (3, 2024)
    assert _value(report.figures, "ledige_boliger", 14) == 2
    assert _last_year(report, "effektivitetstal", 14) == (104, 2024)


def test_year_rows_without_a_figure_header_are_left_alone() -> None:
    report = _pdf_layer(
        Block("Udlejning", page=1), Block("År Antal møder", page=1),
        Block("2024 4 12", "table", page=1), Block("2025 5 14", "table", page=1),
    )
    assert not report.figures


# -- two header rows with merged cells --------------------------------------------------------------------

def test_two_header_rows_with_unit_cells_and_qualifying_cells(tmp_path: Path) -> None:
    report = _docx(tmp_path / "rapport.docx", [
        "Afd. 3 Havrevænget og afd. 4 Kløverengen er familieboliger.",
        ([["Afd.", "Leje", "Udflytning", "Henlæggelser", "~", "Vedligehold", "Beboerbestyrelse"],
          ["~", "kr. pr. m²", "pct.", "i året kr./bolig", "saldo kr./bolig", "kr. pr. m²", "ja/nej"],
          ["3 Havrevænget", "1.104", "12,2", "5.400", "28.900", "151", "ja"],
          ["4 Kløverengen", "998", "7,5", "3.100", "47.250", "119", "nej"]],
         [(0, 0, 1, 0), (0, 3, 0, 4)]),
    ])
    assert _value(report.figures, "husleje_pr_m2", 3) == 1104
    assert _value(report.figures, "fraflytningsprocent", 4) == 7.5
    assert _value(report.figures, "aarlige_henlaeggelser_pr_bolig", 3) == 5400
    assert _value(report.figures, "opsparede_henlaeggelser_pr_bolig", 3) == 28_900
    assert _value(report.figures, "opsparede_henlaeggelser_pr_bolig", 4) == 47_250
    assert _value(report.figures, "vedligeholdelse_pr_m2", 4) == 119
    assert _value(report.figures, "afdelingsbestyrelse", 4) == 0


def test_label_families_in_running_text() -> None:
    report = _pdf_layer(
        Block("Afd. 2 Tjørnelunden", page=1),
        Block("Flyttefrekvensen var 17,3 pct. De henlagte midler udgjorde 33.400 kr. pr. bolig.", page=1),
    )
    assert _value(report.figures, "fraflytningsprocent", 2) == 17.3
    assert _value(report.figures, "opsparede_henlaeggelser_pr_bolig", 2) == 33_400


# -- organisation figures in running text (a two-column PDF's paragraphs) ---------------------------------

def test_a_result_after_mod_is_last_years_and_a_deficit_sign_is_kept() -> None:
    report = _pdf_layer(
        Block("Boligselskabets regnskab ender med et resultat på ÷2,05 mio. kr. mod et overskud på 0,71 mio. kr. "
              "året før.", page=1),
    )
    assert _value(report.figures, "aarets_resultat") == -2_050_000
    assert _last_year(report, "aarets_resultat") == (710_000, 2024)  # the year before the accounting year


def test_a_sentence_opening_with_the_unit_per_lejemaalsenhed() -> None:
    report = _pdf_layer(Block("Per lejemålsenhed udgør den disponible del 2.640 kr. ved årets udgang.", page=1))
    assert _value(report.figures, "dispositionsfond_disponibel_pr_lejemaal") == 2640
    assert _value(report.figures, "dispositionsfond_disponibel") is None


def test_saved_maintenance_and_a_caption_counting_homes() -> None:
    report = _pdf_layer(
        Block("Det opsparede vedligehold var ved årsskiftet 17.900 kr. pr. bolig i gennemsnit.", page=1),
        Block("Afd. 8 Stærevej: 58 ungdomsboliger", page=1),
    )
    assert _value(report.figures, "opsparede_henlaeggelser_pr_bolig") == 17_900
    assert _value(report.figures, "antal_boliger", 8) == 58


def test_a_target_for_a_figure_is_not_the_figure() -> None:
    report = _pdf_layer(Block("Selskabets måltal for de opsparede henlæggelser er 40.000 kr. pr. bolig.", page=1))
    assert _value(report.figures, "opsparede_henlaeggelser_pr_bolig") is None
    assert _value(report.figures, "opsparing_maal_pr_bolig") == 40_000


def test_an_afdeling_row_across_the_table_heads_its_year_rows(tmp_path: Path) -> None:
    report = _docx(tmp_path / "rapport.docx", [
        ([["Afdeling / år", "Boligafgift kr./m²", "Ledige lejemål", "Effektivitetstal"],
          ["Afd. 21 Rosenhaven", "~", "~", "~"],
          ["2024", "1.150", "3", "91"],
          ["2025", "1.188", "6", "86"],
          ["Ændring", "+38", "+3", "−5"],
          ["Afd. 22 Liljevej", "~", "~", "~"],
          ["2024", "870", "0", "104"],
          ["2025", "902", "1", "99"]],
         [(1, 0, 1, 3), (5, 0, 5, 3)]),
    ])
    assert _value(report.figures, "husleje_pr_m2", 21) == 1188
    assert _value(report.figures, "ledige_boliger", 21) == 6
    assert _last_year(report, "effektivitetstal", 21) == (91, 2024)
    assert _value(report.figures, "husleje_pr_m2", 22) == 902
    assert _last_year(report, "ledige_boliger", 22) == (0, 2024)


def test_a_pdf_text_layer_table_of_three_years_without_a_year_head_and_a_change_row() -> None:
    report = _pdf_layer(
        Block("Afd. 31 Hyldegården, 96 familieboliger", page=1),
        Block("Husleje", page=1), Block("kr./m²", page=1), Block("Ledige", page=1), Block("boliger", page=1),
        Block("Fraflytning", page=1), Block("pct.", page=1),
        Block("2023 948 0 9,0", "table", page=1),
        Block("2024 966 2 11,5", "table", page=1),
        Block("2025 1.002 4 14,6", "table", page=1),
        Block("Ændring +36 +2 +3,1", "table", page=1),
    )
    assert _value(report.figures, "husleje_pr_m2", 31) == 1002
    assert _value(report.figures, "fraflytningsprocent", 31) == 14.6
    assert _last_year(report, "ledige_boliger", 31) == (2, 2024)
    assert _value(report.figures, "antal_boliger", 31) == 96


def test_counts_after_a_date_and_last_years_result_in_a_clause_with_mens() -> None:
    report = _pdf_layer(
        Block("Andelsboligselskabet havde pr. 31.12.2025 9 afdelinger med 1.480 boliger.", page=1),
        Block("Årets resultat blev (0,27) mio. kr., mens det året før var 0,12 mio. kr.", page=1),
    )
    assert _value(report.figures, "antal_afdelinger") == 9
    assert _value(report.figures, "aarets_resultat") == -270_000
    assert _last_year(report, "aarets_resultat") == (120_000, 2024)


def test_a_fall_written_with_an_accountants_minus() -> None:
    report = _pdf_layer(Block("Arbejdskapitalen faldt med (0,42) mio. kr. til 1,08 mio. kr. i løbet af året.", page=1))
    assert _value(report.figures, "arbejdskapital") == 1_080_000
    assert _last_year(report, "arbejdskapital") == (1_500_000, 2024)


def test_notes_to_the_afdelinger_are_read_but_the_boards_remarks_are_not(tmp_path: Path) -> None:
    path = tmp_path / "rapport.md"
    path.write_text("# Styringsrapport 2026 - Andelsboligselskabet Skovmærket\n\nRegnskabsåret 2025.\n\n"
                    "## Bemærkninger til tabellen\n\nI afd. 5 Kragereden var fraflytningsprocenten 21,4 pct.\n\n"
                    "## Bestyrelsens bemærkninger\n\nI afd. 6 Duevej håber vi på en husleje på 900 kr. pr. m².\n",
                    encoding="utf-8")
    report = extract_report(load_file(path, max_bytes=1_000_000), require_figures=False)
    assert _value(report.figures, "fraflytningsprocent", 5) == 21.4
    assert _value(report.figures, "husleje_pr_m2", 6) is None


def test_a_markdown_table_with_the_years_as_rows(tmp_path: Path) -> None:
    path = tmp_path / "rapport.md"
    path.write_text("# Styringsrapport 2026 - Andelsboligselskabet Skovmærket\n\nRegnskabsåret 2025.\n\n"
                    "## Nøgletal for selskabet\n\n"
                    "| År | Arbejdskapital (mio. kr.) | Restancer (mio. kr.) | Administrationsbidrag kr. pr. lejemålsenhed |\n"
                    "|---|---|---|---|\n"
                    "| 2025 | 0,84 | 0,31 | 4.720 |\n"
                    "| 2024 | 1,02 | 0,27 | 4.510 |\n", encoding="utf-8")
    report = extract_report(load_file(path, max_bytes=1_000_000), require_figures=False)
    assert _value(report.figures, "arbejdskapital") == 840_000
    assert _value(report.figures, "administrationsbidrag_pr_lejemaal") == 4720
    assert _last_year(report, "restancer") == (270_000, 2024)
