"""Report figures in layouts written by others (issue 16, round 4).

Each test writes a small report of its own (an invented organisation and afdelinger, Word files built with
python-docx, text files as a PDF's text layer gives them) and checks one generic rule:
- a table's column order is read from its header: a year at the end of a date ('Ledige 31.12.2024',
  'pr. 31/12-25'), a year named relative to the report ('i år', 'sidste år', 'året før'), and cells that name
  figures and their years ('Resultat 2025 | Resultat 2024') are figure columns, not year columns;
- a first header cell that names no figure heads the rows' names, and a scale written there ('t.kr.',
  'Beløb i 1.000 kr.') is the scale of the amount columns; a row may name its afdeling by number only;
- a two-cell table 'Afdelingsbestyrelse | Valgt' over 'Navn | Nej' rows;
- a sentence after a year table is not read by the table's year columns;
- a key figure printed as a label line and a value line, or as a bullet 'Boliger: 96';
- a day and month ('pr. 31/12') or an ordinal ('2. sal') is no value;
- an afdeling's heading that the PDF text layer joined to the end of the paragraph before, and a sentence
  naming two figures, which is no table header;
- last year's value in a clause of its own ('og i 2024 var den 990 kr.', '; året før var der 1').
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import load_file
from service.review.extract import extract_report
from service.review.model import Figure, ReportExtraction
from tests.service.report_docs import TableItem, docx_report

TITLE = "Styringsrapport 2026"
INTRO = "Boligselskabet Hasselbakken · regnskabsåret 2025 · til Lyngby Vest Kommune"


def _docx(path: Path, items: list[str | TableItem]) -> ReportExtraction:
    return docx_report(path, TITLE, INTRO, items)


def _text(path: Path, body: str) -> ReportExtraction:
    path.write_text(f"Boligselskabet Hasselbakken - {TITLE}\n\nRegnskabsåret 2025.\n\n{body}", encoding="utf-8")
    return extract_report(load_file(path, max_bytes=1_000_000), require_figures=False)


def _value(figures: list[Figure], name: str, afd: int | None = None) -> float | None:
    return next((f.value for f in figures if f.figure_type == name and f.afdeling_nr == afd), None)


def _now_and_before(report: ReportExtraction, name: str, afd: int | None = None) -> tuple[float | None, float | None]:
    return _value(report.figures, name, afd), _value(report.previous_in_report, name, afd)


# -- the column order of a table is read from its header --------------------------------------------------

def test_a_date_in_a_header_names_the_year_of_its_column(tmp_path: Path) -> None:
    report = _docx(tmp_path / "styringsrapport.docx", [
        [["Afdeling", "Tomme boliger 31.12.2025", "Tomme boliger 31.12.2024", "Fraflytning 2025"],
         ["1 Pileengen", "5", "2", "12,0 %"],
         ["2 Tjørnevang", "0", "3", "8,1 %"]],
    ])
    assert _now_and_before(report, "ledige_boliger", 1) == (5, 2)
    assert _now_and_before(report, "ledige_boliger", 2) == (0, 3)


def test_a_two_digit_year_after_a_day_and_month_and_afdelinger_by_number_only(tmp_path: Path) -> None:
    report = _docx(tmp_path / "styringsrapport.docx", [
        "Afd. 4 Vibeholm og afd. 5 Rævebakken er familieboliger.",
        [["Afd.", "Ledige pr. 31/12-24", "Ledige pr. 31/12-25", "Tab ved lejeledighed 2025 kr./m²"],
         ["4", "1", "3", "2,4"],
         ["5", "2", "0", "0,8"]],
    ])
    assert _now_and_before(report, "ledige_boliger", 4) == (3, 1)
    assert _now_and_before(report, "ledige_boliger", 5) == (0, 2)
    assert _value(report.figures, "tab_ved_lejeledighed_pr_m2", 5) == 0.8


def test_this_year_and_last_year_named_in_words_in_the_header(tmp_path: Path) -> None:
    report = _docx(tmp_path / "styringsrapport.docx", [
        [["Afdeling", "Husleje i år", "Husleje sidste år", "Lejetab kr./m² året før", "Lejetab kr./m² i år"],
         ["1 Pileengen", "1.012", "987", "3,3", "6,1"],
         ["2 Tjørnevang", "899", "880", "1,0", "0,7"]],
    ])
    assert _now_and_before(report, "husleje_pr_m2", 1) == (1012, 987)
    assert _now_and_before(report, "tab_ved_lejeledighed_pr_m2", 1) == (6.1, 3.3)
    assert _now_and_before(report, "tab_ved_lejeledighed_pr_m2", 2) == (0.7, 1.0)


def test_cells_naming_figures_and_years_with_the_scale_in_the_first_cell(tmp_path: Path) -> None:
    report = _docx(tmp_path / "styringsrapport.docx", [
        [["t.kr.", "Resultat 2025", "Resultat 2024", "Planlagte arbejder 2026-2035"],
         ["1 Pileengen", "64", "51", "3.450"],
         ["2 Tjørnevang", "187-", "22", "5.900"]],
        [["Beløb i 1.000 kr.", "Årets resultat 2024", "Årets resultat 2025"],
         ["Afd. 3 Skræppen", "(120)", "85"]],
    ])
    assert _now_and_before(report, "aarets_resultat", 1) == (64_000, 51_000)
    assert _now_and_before(report, "aarets_resultat", 2) == (-187_000, 22_000)
    assert _value(report.figures, "planlagte_arbejder", 2) == 5_900_000
    assert _now_and_before(report, "aarets_resultat", 3) == (85_000, -120_000)


def test_a_table_of_afdelinger_with_yes_or_no_under_a_figure_named_in_the_first_cell(tmp_path: Path) -> None:
    report = _docx(tmp_path / "styringsrapport.docx", [
        [["Afdeling", "Boliger", "Husleje kr./m²"], ["1 Pileengen", "58", "948"], ["2 Tjørnevang", "112", "1.018"]],
        [["Afdelingsbestyrelse", "Valgt"], ["1 Pileengen", "Ja"], ["2 Tjørnevang", "Nej"]],
    ])
    assert _value(report.figures, "afdelingsbestyrelse", 1) == 1
    assert _value(report.figures, "afdelingsbestyrelse", 2) == 0


def test_a_sentence_after_a_table_of_year_columns_is_not_read_by_its_columns(tmp_path: Path) -> None:
    report = _docx(tmp_path / "styringsrapport.docx", [
        [["Hovedtal, mio. kr.", "2024", "2025"], ["Dispositionsfond", "12,86", "13,02"]],
        "Administrationsbidraget er 4.210 kr. pr. lejemålsenhed (4.150 kr. i 2024).",
    ])
    assert _now_and_before(report, "administrationsbidrag_pr_lejemaal") == (4210, 4150)
    assert _now_and_before(report, "dispositionsfond") == (13_020_000, 12_860_000)


# -- key figures in boxes and lists ---------------------------------------------------------------------

def test_a_label_line_and_a_value_line_are_one_key_figure(tmp_path: Path) -> None:
    report = _text(tmp_path / "styringsrapport.txt",
                   "Afd. 4 Vibeholm\n\nVibeholm er en afdeling med familieboliger tæt på stationen.\n\n"
                   "Husleje\n1.012 kr./m²\n\nEffektivitetstal\n81 (2024: 85)\n\nLedige boliger pr. 31.12.\n3\n\n"
                   "Afd. 5 Rævebakken\n\n• Fraflytningsprocent\n• 17,2 %\n")
    assert _value(report.figures, "husleje_pr_m2", 4) == 1012
    assert _now_and_before(report, "effektivitetstal", 4) == (81, 85)
    assert _value(report.figures, "ledige_boliger", 4) == 3
    assert _value(report.figures, "fraflytningsprocent", 5) == 17.2


def test_a_bullet_naming_the_homes_alone_is_the_count_of_homes(tmp_path: Path) -> None:
    report = _text(tmp_path / "beretning.txt",
                   "Afd. 1 Pileengen\n\n- Boliger: 96\n- Husleje: 912 kr./m²\n\nAfd. 2 Tjørnevang\n\n"
                   "• Lejligheder i alt: 40\n")
    assert _value(report.figures, "antal_boliger", 1) == 96
    assert _value(report.figures, "antal_boliger", 2) == 40


def test_a_day_and_month_or_an_ordinal_is_no_value(tmp_path: Path) -> None:
    report = _text(tmp_path / "beretning.txt",
                   "Afd. 7 Skræppen\n\nKommunen har ikke anvist lejere til de ledige boliger på 2. sal siden "
                   "foråret.\n\n- Ledige pr. 31/12: 6 (2024: 1)\n- Tab ved lejeledighed: 9,6 kr./m²\n")
    assert _now_and_before(report, "ledige_boliger", 7) == (6, 1)


# -- what the text layer of a two-column PDF does -----------------------------------------------------

def test_an_afdeling_heading_joined_to_the_paragraph_before_heads_what_follows(tmp_path: Path) -> None:
    report = _text(tmp_path / "beretning.txt",
                   "Økonomi\n\nArbejdskapitalen er 1.920 t.kr. Administrationsbidraget er 4.390 kr. pr. "
                   "lejemålsenhed. Afd. 1 Pileengen\n\nPileengen fungerer godt.\n\n- Husleje: 912 kr./m²\n"
                   "- Effektivitetstal: 78\n")
    assert _value(report.figures, "husleje_pr_m2", 1) == 912
    assert _value(report.figures, "husleje_pr_m2", None) is None
    assert _value(report.figures, "administrationsbidrag_pr_lejemaal") == 4390


def test_a_sentence_naming_figures_is_no_table_header(tmp_path: Path) -> None:
    report = _text(tmp_path / "beretning.txt",
                   "Afd. 1 Pileengen\n\nDer har ikke været valgt en afdelingsbestyrelse siden afdelingsmødet "
                   "i 2024.\n\nAfd. 2 Tjørnevang\n\nFraflytningen er steget, og driftsudgifterne ligger højt i "
                   "forhold til sammenlignelige afdelinger.\n\n- Husleje: 968 kr./m²\n- Fraflytning: 14,1 %\n\n"
                   "Afd. 3 Vibeholm\n\nVedligeholdelsesudgifterne steg til 251 kr. pr. m².\n")
    assert _value(report.figures, "husleje_pr_m2", 2) == 968
    assert _value(report.figures, "fraflytningsprocent", 2) == 14.1
    assert _value(report.figures, "vedligeholdelse_pr_m2", 3) == 251


# -- last year's value in prose ---------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "name", "now", "before"), [
    ("Huslejen var 1.020 kr. pr. m², og i 2024 var den 990 kr. pr. m².", "husleje_pr_m2", 1020, 990),
    ("Der var 4 ledige boliger ved årets udgang; året før var der 1.", "ledige_boliger", 4, 1),
    ("Effektivitetstallet endte på 88, men sidste år lå det på 93.", "effektivitetstal", 88, 93),
])
def test_last_years_value_in_a_clause_of_its_own(tmp_path: Path, sentence: str, name: str, now: float,
                                                 before: float) -> None:
    report = _text(tmp_path / "beretning.txt", f"Afd. 1 Pileengen\n\n{sentence}\n")
    assert _now_and_before(report, name, 1) == (now, before)


def test_a_clause_about_another_count_last_year_is_not_last_years_value(tmp_path: Path) -> None:
    report = _text(tmp_path / "beretning.txt",
                   "Afd. 1 Pileengen\n\nDer var 4 ledige boliger ved årets udgang, og i 2024 var der 3 "
                   "fraflytninger mere end normalt.\n")
    assert _now_and_before(report, "ledige_boliger", 1) == (4, None)


# -- thresholds, signs and balances ---------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Bestyrelsen har fastsat et minimum for den disponible del på 5.000 kr. pr. lejemålsenhed.",
    "Minimum for disponible midler er 5.000 kr. pr. lejemålsenhed.",
])
def test_a_minimum_for_the_disposable_part_is_the_boards_minimum(tmp_path: Path, sentence: str) -> None:
    report = _text(tmp_path / "beretning.txt",
                   f"Økonomi\n\nDen disponible del af dispositionsfonden udgør 3.950 kr. pr. lejemålsenhed. {sentence}\n")
    assert _value(report.figures, "dispositionsfond_disponibel_pr_lejemaal") == 3950
    assert _value(report.figures, "dispositionsfond_minimum_pr_lejemaal") == 5000


def test_a_trailing_minus_at_the_end_of_a_row_whose_cells_were_lost(tmp_path: Path) -> None:
    report = _text(tmp_path / "styringsrapport.txt", "Hovedtal (t.kr.)\n\nÅrets resultat 412-\n\nRestancer 611\n")
    assert _value(report.figures, "aarets_resultat") == -412_000
    assert _value(report.figures, "restancer") == 611_000


@pytest.mark.parametrize("line", ["Dispositionsfond ultimo: 12.400 t.kr. (primo: 12.950 t.kr.)",
                                  "Dispositionsfonden udgjorde 12.400 t.kr. (ultimo 2024: 12.950 t.kr.)"])
def test_the_balance_at_the_start_of_the_year_is_last_years(tmp_path: Path, line: str) -> None:
    report = _text(tmp_path / "styringsrapport.txt", f"Økonomi\n\n{line}\n")
    assert _now_and_before(report, "dispositionsfond") == (12_400_000, 12_950_000)


@pytest.mark.parametrize(("value", "printed"), [(1_920_000, "1,92 mio. kr."), (3_450_000, "3,45 mio. kr."),
                                                (5_900_000, "5,9 mio. kr."), (1_234_567, "1.234.567 kr."),
                                                (-2_060_000, "-2,06 mio. kr.")])
def test_an_amount_in_the_note_is_never_rounded(value: float, printed: str) -> None:
    assert Figure("arbejdskapital", None, value, "kr", None, "", text="").display == printed


def test_a_pdf_box_of_key_figures_with_the_label_joined_to_the_sentence_before(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for text in ("Boligselskabet Hasselbakken - Styringsrapport 2026", "", "Regnskabsaaret 2025.", "",
                 "Afd. 4 Vibeholm", "", "Vibeholm er en afdeling med familieboliger.", "Husleje", "1.012 kr./m2", "",
                 "Effektivitetstal", "81 (2024: 85)", "", "Ledige pr. 31/12", "3 (2024: 1)"):
        pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "styringsrapport.pdf"
    pdf.output(str(path))
    report = extract_report(load_file(path, max_bytes=1_000_000), require_figures=False)
    assert _value(report.figures, "husleje_pr_m2", 4) == 1012
    assert _now_and_before(report, "effektivitetstal", 4) == (81, 85)
    assert _now_and_before(report, "ledige_boliger", 4) == (3, 1)


@pytest.mark.parametrize("rows", ["Afdeling Status\n1 Pileengen Grøn\n2 Tjørnevang Rød\n",
                                  "Afdeling Farve\n\nAfd. 1 Pileengen gul\n\nAfd. 2 Tjørnevang rød\n"])
def test_a_traffic_light_table_whose_cells_were_lost_flags_the_red_afdeling(tmp_path: Path, rows: str) -> None:
    from knowledge.config import Settings
    from knowledge.kb import KnowledgeBase
    from service.review.review import review_report

    path = tmp_path / "styringsrapport.txt"
    path.write_text(f"Boligselskabet Hasselbakken - {TITLE}\n\nRegnskabsåret 2025.\n\nAfd. 1 Pileengen\n\n"
                    "Pileengen har 120 boliger. Huslejen var 950 kr. pr. m².\n\nAfd. 2 Tjørnevang\n\n"
                    f"Tjørnevang har 90 boliger. Huslejen var 905 kr. pr. m².\n\nTrafiklys\n\n{rows}",
                    encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake"))
    check = next(c for c in review_report(path, kb=kb, settings=kb.settings).checks if c.item.id == "effektivitet")
    assert [f.afdeling for f in check.findings if f.status == "følg op"] == ["Afd. 2 Tjørnevang"]
