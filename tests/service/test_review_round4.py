"""Report figures in layouts of a fourth kind (issue 16, round 3, second pass).

Each test writes a small report of its own (invented organisation and afdelinger) and checks one generic
rule of Danish report tables and prose: a 'Mål' column after the year columns holds the organisation's own
target for the row's figure; a money scale over a table makes a label that could be per m² the amount; an
accountant's trailing minus; number words for tens; a count in one clause is not an afdeling's named in the
next; a change written as a noun; a plan's works; a traffic light naming an afdeling only by name.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from ingest.loaders import load_file
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from service.review.extract import extract_report
from service.review.model import Figure, ReportExtraction
from service.review.review import review_report


def _docx(path: Path, title: str, tables: list[list[list[str]]]) -> Path:
    doc = docx.Document()
    doc.add_heading(title, level=1)
    doc.add_paragraph("Boligselskabet Tjørnely · regnskabsåret 2025 · til Egebjerg Kommune")
    for rows in tables:
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
        doc.add_paragraph("")
    doc.save(str(path))
    return path


def _extract(path: Path) -> ReportExtraction:
    return extract_report(load_file(path, max_bytes=1_000_000), require_figures=False)


def _value(figures: list[Figure], name: str, afd: int | None = None) -> float | None:
    return next((f.value for f in figures if f.figure_type == name and f.afdeling_nr == afd), None)


@pytest.fixture(scope="module")
def word_report(tmp_path_factory: pytest.TempPathFactory) -> ReportExtraction:
    path = tmp_path_factory.mktemp("word") / "styringsrapport-tjoernely.docx"
    return _extract(_docx(path, "Styringsrapport 2026", [
        [["mio. kr.", "2025", "2024"],
         ["Dispositionsfond i alt", "17,40", "18,95"],
         ["Tab ved lejeledighed", "0,86", "0,44"]],
        [["kr.", "Regnskab 2024", "Regnskab 2025", "Mål"],
         ["Disponibel dispositionsfond pr. lejemålsenhed", "6.210", "4.480", "min. 5.500"],
         ["Administrationsbidrag pr. lejemålsenhed", "4.100", "4.350", "-"],
         ["Opsparede henlæggelser pr. bolig", "27.300", "24.900", "40.000"]],
    ]))


def test_a_target_column_after_the_years_is_the_organisations_own_target(word_report: ReportExtraction) -> None:
    figures = word_report.figures
    assert _value(figures, "dispositionsfond_minimum_pr_lejemaal") == 5_500
    assert _value(figures, "opsparing_maal_pr_bolig") == 40_000
    # the year columns keep their meaning: oldest year first, the report's year is the current figure
    assert _value(figures, "dispositionsfond_disponibel_pr_lejemaal") == 4_480
    assert _value(word_report.previous_in_report, "dispositionsfond_disponibel_pr_lejemaal") == 6_210
    assert _value(figures, "opsparede_henlaeggelser_pr_bolig") == 24_900
    assert _value(word_report.previous_in_report, "opsparede_henlaeggelser_pr_bolig") == 27_300
    assert _value(figures, "administrationsbidrag_pr_lejemaal") == 4_350


def test_a_money_scale_over_a_table_makes_an_ambiguous_label_the_amount(word_report: ReportExtraction) -> None:
    assert _value(word_report.figures, "tab_ved_lejeledighed_kr") == 860_000
    assert _value(word_report.previous_in_report, "tab_ved_lejeledighed_kr") == 440_000
    assert _value(word_report.figures, "tab_ved_lejeledighed_pr_m2") is None
    assert _value(word_report.figures, "dispositionsfond") == 17_400_000


NARRATIVE = """Boligselskabet Hvedemarken - beretning 2025

Regnskabsåret 2025.

Forord

Selskabet har tre afdelinger med 260 boliger, og de fleste steder går det godt, men i Kløverengen har vi haft et svært år.

Kløverengen (afd. 1)

Kløverengen med sine 120 familieboliger er vores største afdeling. Fraflytningsprocenten var 15,2 pct., en stigning på 3,1 procentpoint. Vedligeholdelsesplanen rummer arbejder for 9,8 mio. kr. de næste ti år.

Havremarken (afd. 2)

I ældreboligerne i Havremarken stod fem af de toogtyve boliger tomme ved årets udgang.

Bygagre (afd. 3)

Bygagre har 118 boliger.
"""


@pytest.fixture(scope="module")
def narrative(tmp_path_factory: pytest.TempPathFactory) -> ReportExtraction:
    path = tmp_path_factory.mktemp("narrative") / "beretning-hvedemarken.txt"
    path.write_text(NARRATIVE, encoding="utf-8")
    return _extract(path)


def test_a_count_of_the_organisation_is_not_given_to_an_afdeling_named_in_a_later_clause(
        narrative: ReportExtraction) -> None:
    assert _value(narrative.figures, "antal_boliger") == 260
    assert _value(narrative.figures, "antal_boliger", 1) == 120  # 'med sine 120 familieboliger'


def test_tens_and_compound_number_words_are_counts(narrative: ReportExtraction) -> None:
    assert _value(narrative.figures, "ledige_boliger", 2) == 5
    assert _value(narrative.figures, "antal_boliger", 2) == 22


def test_a_change_as_a_noun_after_the_figure_gives_last_years_value(narrative: ReportExtraction) -> None:
    assert _value(narrative.figures, "fraflytningsprocent", 1) == pytest.approx(15.2)
    previous = _value(narrative.previous_in_report, "fraflytningsprocent", 1)
    assert previous == pytest.approx(12.1)


def test_the_works_a_maintenance_plan_holds_are_planned_works(narrative: ReportExtraction) -> None:
    assert _value(narrative.figures, "planlagte_arbejder", 1) == 9_800_000


def test_an_accountants_trailing_minus_in_a_table_cell_is_negative(tmp_path: Path) -> None:
    report = _extract(_docx(tmp_path / "styringsrapport-tjoernely.docx", "Styringsrapport 2026", [
        [["t.kr.", "2025", "2024"],
         ["Årets resultat", "274-", "118"],
         ["Arbejdskapital", "1.315", "96-"]],
    ]))
    assert _value(report.figures, "aarets_resultat") == -274_000
    assert _value(report.previous_in_report, "aarets_resultat") == 118_000
    assert _value(report.figures, "arbejdskapital") == 1_315_000
    assert _value(report.previous_in_report, "arbejdskapital") == -96_000


def test_a_deficit_written_after_the_label_and_a_fraction_of_a_million_in_words(tmp_path: Path) -> None:
    path = tmp_path / "beretning-hvedemarken.txt"
    path.write_text("Boligselskabet Hvedemarken - beretning 2025\n\nRegnskabsåret 2025.\n\nØkonomi\n\n"
                    "Årets resultat blev et underskud på 0,74 mio. kr. Restancerne udgjorde en halv million kroner.\n",
                    encoding="utf-8")
    report = _extract(path)
    assert _value(report.figures, "aarets_resultat") == -740_000
    assert _value(report.figures, "restancer") == 500_000


def test_a_text_row_with_a_trailing_minus_is_read_as_a_table_row(tmp_path: Path) -> None:
    path = tmp_path / "styringsrapport-hvedemarken.txt"
    path.write_text("Boligselskabet Hvedemarken - Styringsrapport 2026\n\nRegnskabsåret 2025.\n\nHovedtal\n\n"
                    "t.kr. 2025 2024\nÅrets resultat 530- 205\nRestancer 611 574\n", encoding="utf-8")
    report = _extract(path)
    assert _value(report.figures, "aarets_resultat") == -530_000
    assert _value(report.previous_in_report, "aarets_resultat") == 205_000


def test_a_traffic_light_naming_an_afdeling_only_by_name_flags_the_red_one(tmp_path: Path) -> None:
    path = tmp_path / "beretning-hvedemarken.txt"
    path.write_text("Boligselskabet Hvedemarken - beretning 2025\n\nRegnskabsåret 2025.\n\nAfd. 1 Kløverengen\n\n"
                    "Kløverengen har 120 boliger. Huslejen var 950 kr. pr. m².\n\nAfd. 2 Havremarken\n\n"
                    "Havremarken har 90 boliger. Huslejen var 905 kr. pr. m².\n\nTrafiklys\n\n"
                    "Bestyrelsen giver hvert år afdelingerne et trafiklys. I år er Havremarken rød, "
                    "mens Kløverengen er grøn.\n", encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake"))
    check = next(c for c in review_report(path, kb=kb, settings=kb.settings).checks if c.item.id == "effektivitet")
    red = [f for f in check.findings if "rød" in f.reason]
    assert check.status == "følg op"
    assert [f.afdeling for f in red] == ["Afd. 2 Havremarken"]


def test_a_traffic_light_table_of_afdeling_and_colour_flags_the_red_one(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_heading("Styringsrapport 2026", level=1)
    doc.add_paragraph("Boligselskabet Tjørnely · regnskabsåret 2025 · til Egebjerg Kommune")
    for name, homes, rent in (("Afd. 1 Hyldebo", 70, "930"), ("Afd. 2 Rønnebo", 55, "1.010")):
        doc.add_heading(name, level=2)
        doc.add_paragraph(f"Afdelingen har {homes} boliger. Huslejen var {rent} kr. pr. m².")
    doc.add_heading("Trafiklys", level=2)
    table = doc.add_table(rows=3, cols=2)
    for r, (afd, colour) in enumerate((("Afdeling", "Farve"), ("Hyldebo", "Grøn"), ("Rønnebo", "Rød"))):
        table.cell(r, 0).text, table.cell(r, 1).text = afd, colour
    path = tmp_path / "styringsrapport-tjoernely.docx"
    doc.save(str(path))
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake"))
    check = next(c for c in review_report(path, kb=kb, settings=kb.settings).checks if c.item.id == "effektivitet")
    assert [f.afdeling for f in check.findings if "Rød" in f.reason] == ["Afd. 2 Rønnebo"]


def test_last_years_result_named_as_a_deficit_is_negative(tmp_path: Path) -> None:
    path = tmp_path / "beretning-hvedemarken.txt"
    path.write_text("Boligselskabet Hvedemarken - beretning 2025\n\nRegnskabsåret 2025.\n\nØkonomi\n\n"
                    "Årets resultat var et overskud på 0,33 mio. kr. mod et underskud på 0,52 mio. kr. året før.\n",
                    encoding="utf-8")
    report = _extract(path)
    assert _value(report.figures, "aarets_resultat") == 330_000
    assert _value(report.previous_in_report, "aarets_resultat") == -520_000
