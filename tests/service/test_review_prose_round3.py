"""Figures in running Danish prose and in tables of other layouts (issue 16, third round).

Each test writes a small report of its own (invented organisations and afdelinger) and checks one
generic rule: afdelinger named only where the report counts them; a count set off after its subject;
last year's value after 'faldet til X fra Y' and after 'mens der året før var ingen'; a result written
as 'overskud'/'underskud'; a pronoun after an adverbial ('Ved udgangen af 2025 var de ...'); a line of
counts under a title; an empty cell written as a dash under year columns; a longer label after a
shorter one; a horizon in a header ('10 år'); a legend followed by footnotes; 'heraf X disponible'.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import load_file
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from service.review.extract import extract_report
from service.review.model import Figure, ReportExtraction
from service.review.review import review_report

NARRATIVE = """Boligselskabet Engtoft - beretning 2025

Regnskabsåret 2025.

Selskabet

Boligselskabet Engtoft ejer tre afdelinger med i alt 150 boliger: familieboligerne i Kildevang, ungdomsboligerne i Mosehøj og ældreboligerne i Pilehuset.

Regnskabet for 2025 viser et lille underskud på 46.000 kr.

Restancerne faldt til 81.000 kr. fra 97.000 kr.

Kildevang

Afdelingen har 80 familieboliger. Effektivitetstallet er faldet til 78 fra 93 sidste år. Aftalen med kommunen om fleksibel udlejning skulle evalueres efter to år. Evalueringen er udskudt.

Mosehøj

Ungdomsboligerne, 40 i alt, er alle udlejet. Huslejen er 1.150 kr. pr. kvadratmeter.

Pilehuset

Pilehuset har 30 ældreboliger. Ved årets udgang stod fire af boligerne tomme, mens der året før var ingen ledige. Kommunen har ikke visiteret nye lejere siden juni.

Vedligeholdelse

Bestyrelsen har som mål, at de opsparede henlæggelser skal være mindst 40.000 kr. pr. bolig. Ved udgangen af 2025 var de 31.500 kr. pr. bolig.
"""


def _load(tmp_path: Path, text: str, name: str = "beretning-engtoft.txt") -> ReportExtraction:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_report(load_file(path, max_bytes=1_000_000), require_figures=False)


def _value(figures: list[Figure], name: str, afd: int | None) -> float | None:
    return next((f.value for f in figures if f.figure_type == name and f.afdeling_nr == afd), None)


@pytest.fixture(scope="module")
def narrative(tmp_path_factory: pytest.TempPathFactory) -> ReportExtraction:
    return _load(tmp_path_factory.mktemp("narrative"), NARRATIVE)


def test_afdelinger_named_only_where_they_are_counted_are_numbered_in_listed_order(narrative: ReportExtraction) -> None:
    assert [(a.nr, a.name, a.boligtype) for a in narrative.afdelinger] == [
        (1, "Kildevang", "familieboliger"), (2, "Mosehøj", "ungdomsboliger"), (3, "Pilehuset", "ældreboliger")]
    assert _value(narrative.figures, "antal_afdelinger", None) == 3
    assert _value(narrative.figures, "antal_boliger", None) == 150  # the total is the organisation's, not afd. 1's
    assert _value(narrative.figures, "antal_boliger", 1) == 80
    assert _value(narrative.figures, "antal_boliger", 3) == 30


def test_a_report_that_numbers_its_afdelinger_is_not_renumbered(tmp_path: Path) -> None:
    text = NARRATIVE.replace("Kildevang\n\nAfdelingen har", "Afd. 7 Kildevang\n\nAfdelingen har")
    report = _load(tmp_path, text)
    assert [a.nr for a in report.afdelinger] == [7]


def test_a_count_set_off_after_its_subject(narrative: ReportExtraction) -> None:
    assert _value(narrative.figures, "antal_boliger", 2) == 40
    assert _value(narrative.figures, "husleje_pr_m2", 2) == 1150


def test_last_years_value_after_a_change_to_a_value(narrative: ReportExtraction) -> None:
    assert _value(narrative.figures, "effektivitetstal", 1) == 78
    assert _value(narrative.previous_in_report, "effektivitetstal", 1) == 93
    assert _value(narrative.figures, "restancer", None) == 81_000
    assert _value(narrative.previous_in_report, "restancer", None) == 97_000


def test_none_last_year_is_a_count_of_zero_only_as_last_years_value(narrative: ReportExtraction, tmp_path: Path) -> None:
    assert _value(narrative.figures, "ledige_boliger", 3) == 4
    assert _value(narrative.previous_in_report, "ledige_boliger", 3) == 0
    report = _load(tmp_path, "Styringsrapport 2026\n\nRegnskabsåret 2025.\n\nAfd. 4 Bækkely har 60 boliger og ingen "
                             "ledige boliger. Huslejen er 900 kr. pr. m².\n")
    assert _value(report.figures, "ledige_boliger", 4) is None


def test_a_result_written_as_surplus_or_deficit(narrative: ReportExtraction, tmp_path: Path) -> None:
    assert _value(narrative.figures, "aarets_resultat", None) == -46_000
    surplus = _load(tmp_path, NARRATIVE.replace("et lille underskud på 46.000 kr.", "et overskud på 1,2 mio. kr."))
    assert _value(surplus.figures, "aarets_resultat", None) == 1_200_000


def test_a_pronoun_after_an_adverbial_takes_the_figure_named_without_a_value(narrative: ReportExtraction) -> None:
    assert _value(narrative.figures, "opsparing_maal_pr_bolig", None) == 40_000
    assert _value(narrative.figures, "opsparede_henlaeggelser_pr_bolig", None) == 31_500


def test_checks_read_the_paragraph_of_an_afdeling_named_by_its_heading(tmp_path: Path) -> None:
    path = tmp_path / "beretning-engtoft.txt"
    path.write_text(NARRATIVE, encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake"))
    checks = {c.item.id: c for c in review_report(path, kb=kb, settings=kb.settings).checks}
    evaluation = checks["udlejningsaftale_evaluering"]
    assert evaluation.status == "følg op"
    assert any(f.afdeling and "Kildevang" in f.afdeling for f in evaluation.findings)
    referral = checks["tomgang_kommunal_visitation"]  # the empty homes are named in the sentence before
    assert referral.status == "følg op"
    assert any(f.afdeling and "Pilehuset" in f.afdeling for f in referral.findings)
    assert checks["ledige_boliger_udvikling"].status == "følg op"


TABLES = """Boligselskabet Lærkehøj a.m.b.a. - Styringsrapport 2026

Regnskabsåret 2025 · til Søby Kommune · 5 afdelinger, 640 boliger, 655 lejemålsenheder

Hovedtal

Beløb i t.kr. 2023 2024 2025
Dispositionsfond i alt 21.400 20.900 19.800
Tab ved lejeledighed i alt 310 520 880
Lejetab dækket af dispositionsfonden - 150 610

Bilag. Afdelingernes nøgletal 2025

Afdeling Boliger Husleje kr./m² Årets resultat t.kr. Planlagte arbejder 10 år t.kr.
2 Lærkevej 200 905 48 12.300
3 Lærkebo 140 884 -310 8.800
"""


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> ReportExtraction:
    return _load(tmp_path_factory.mktemp("tables"), TABLES, "styringsrapport-laerkehoej.txt")


def test_a_line_of_counts_under_the_title(tables: ReportExtraction) -> None:
    assert _value(tables.figures, "antal_afdelinger", None) == 5
    assert _value(tables.figures, "antal_boliger", None) == 640


def test_a_dash_under_a_year_column_is_an_empty_cell_and_the_longer_label_names_the_row(
        tables: ReportExtraction) -> None:
    assert _value(tables.figures, "daekket_af_dispositionsfond", None) == 610_000
    assert _value(tables.previous_in_report, "daekket_af_dispositionsfond", None) == 150_000
    assert not any(f.value in (-150, -150_000) for f in tables.figures + tables.previous_in_report)
    assert _value(tables.figures, "tab_ved_lejeledighed_kr", None) == 880_000


def test_a_horizon_in_a_header_is_no_value(tables: ReportExtraction) -> None:
    assert _value(tables.figures, "planlagte_arbejder", 2) == 12_300_000
    assert _value(tables.figures, "aarets_resultat", 3) == -310_000
    assert not any(f.figure_type == "planlagte_arbejder" and f.value in (10, 10_000) for f in tables.figures)


LEGEND = """Styringsrapport 2026 - Boligforeningen Hvedeager

Regnskabsåret 2025.

Afdelingerne

Afd. | Bol. | Husl. kr/m² | Eff. | AB
3 Agervang | 90 | 870 | 88 | Ja
6 Kornvang | 44 | 915 | 79 | Nej

Forkortelser: Bol. = boliger. Husl. = husleje. Eff. = effektivitetstal. AB = afdelingsbestyrelse. ¹ Heraf 3 ledige i mere end 3 måneder.

Foreningen samlet

Dispositionsfonden udgør 9,2 mio. kr., heraf 2,6 mio. kr. disponible.
"""


def test_a_legend_ending_before_footnotes_names_every_column(tmp_path: Path) -> None:
    report = _load(tmp_path, LEGEND, "styringsrapport-hvedeager.txt")
    assert _value(report.figures, "antal_boliger", 3) == 90
    assert _value(report.figures, "afdelingsbestyrelse", 6) == 0
    assert _value(report.figures, "afdelingsbestyrelse", 3) == 1
    assert not any(f.figure_type == "ledige_boliger" for f in report.figures)  # the footnote states no figure
    assert _value(report.figures, "dispositionsfond", None) == 9_200_000
    assert _value(report.figures, "dispositionsfond_disponibel", None) == 2_600_000


WRAPPED = """Styringsrapport 2026 - Boligforeningen Tjørnely

Regnskabsåret 2025.

Afdelingerne 2025

Afdeling Boliger Leje kr/m² Tomme Flytte-% Plan 10 år mio. kr.

Afd. 2

Tjørnebakken

84 955 3 12,2 4,40

Afd. 5 Hybenvej 66 902 1 8,1 2,75

Tallene er fra regnskabet for 2025. "Tomme" er ledige boliger pr. 31. december. "Plan 10 år" er de anslåede udgifter i vedligeholdelsesplanen.
"""


def test_a_row_whose_afdeling_cell_wrapped_and_header_words_explained_in_quotes(tmp_path: Path) -> None:
    report = _load(tmp_path, WRAPPED, "styringsrapport-tjoernely.txt")
    assert _value(report.figures, "antal_boliger", 2) == 84
    assert _value(report.figures, "ledige_boliger", 2) == 3  # 'Tomme', explained under the table
    assert _value(report.figures, "fraflytningsprocent", 2) == 12.2  # 'Flytte-%' is a flytteprocent
    assert _value(report.figures, "planlagte_arbejder", 2) == 4_400_000
    assert _value(report.figures, "ledige_boliger", 5) == 1
    assert any(a.nr == 2 and a.name == "Tjørnebakken" for a in report.afdelinger)


def test_a_word_header_cell_that_names_nothing_known_keeps_its_column() -> None:
    from service.review.tables import parse_header

    columns = parse_header("Afdeling | Boliger | Antenneforening | Husleje kr/m² | Eff.tal")
    assert columns is not None
    assert [c.name for c in columns] == ["afdeling", "antal_boliger", "ukendt", "husleje_pr_m2", "effektivitetstal"]


ORGANISATION = """Styringsrapport 2026 - Boligforeningen Rønnebo

Regnskabsåret 2025.

Stamoplysninger

Boligforeningen omfatter 5 afdelinger, 412 boliger og 425 lejemål i alt (inkl. erhverv).

Økonomi

Dispositionsfondens disponible del faldt i 2025 fra 3,80 mio. kr. til 3,05 mio. kr. Bestyrelsens mindstegrænse er 5.000 kr. pr. lejemålsenhed. Afdelingernes lejetab var 0,62 mio. kr., og dispositionsfonden har dækket 0,35 mio. kr. heraf.

Udlejning

I 2025 blev 38 boliger lejet ud fra ventelisten, og kommunen anviste 14. Af de øvrige blev 5 udlejet efter fleksible kriterier og 3 efter reglerne om kombineret udlejning.

Afd. 6 Rønnevej

Rønnevej har 120 boliger i 2 blokke. Lejen er i gennemsnit 934 kr. pr. m², og der var 6 tomme lejemål ved årets udgang. Den langsigtede plan for afd. 6 Rønnevej omfatter nye vinduer og tag for i alt 18,40 mio. kr. over ti år.

Afd. 8 Bærhaven

De 36 ældreboliger i Bærhaven er visiteret af kommunen.
"""


@pytest.fixture(scope="module")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> ReportExtraction:
    return _load(tmp_path_factory.mktemp("org"), ORGANISATION, "styringsrapport-roennebo.txt")


def test_a_list_of_counts_after_a_verb_of_having(organisation: ReportExtraction) -> None:
    assert _value(organisation.figures, "antal_afdelinger", None) == 5
    assert _value(organisation.figures, "antal_boliger", None) == 412
    assert _value(organisation.figures, "antal_lejemaalsenheder", None) == 425  # lejemål besides the homes


def test_a_range_from_last_year_and_a_fund_that_paid_out(organisation: ReportExtraction) -> None:
    assert _value(organisation.figures, "dispositionsfond_disponibel", None) == 3_050_000
    assert _value(organisation.previous_in_report, "dispositionsfond_disponibel", None) == 3_800_000
    assert _value(organisation.figures, "dispositionsfond_minimum_pr_lejemaal", None) == 5000
    assert _value(organisation.figures, "daekket_af_dispositionsfond", None) == 350_000
    assert _value(organisation.figures, "dispositionsfond", None) is None  # 0,35 mio. kr. is what it covered


def test_lettings_stated_as_acts(organisation: ReportExtraction) -> None:
    assert _value(organisation.figures, "udlejning_venteliste", None) == 38
    assert _value(organisation.figures, "udlejning_kommunal_anvisning", None) == 14
    assert _value(organisation.figures, "udlejning_fleksibel", None) == 5
    assert _value(organisation.figures, "udlejning_kombineret", None) == 3  # the last coordinated part's count


def test_an_average_a_vacancy_word_and_a_plan_in_an_afdelings_paragraph(organisation: ReportExtraction) -> None:
    assert _value(organisation.figures, "husleje_pr_m2", 6) == 934  # 'i gennemsnit' is the figure itself
    assert _value(organisation.figures, "ledige_boliger", 6) == 6
    assert _value(organisation.figures, "planlagte_arbejder", 6) == 18_400_000
    assert _value(organisation.figures, "antal_boliger", 8) == 36


def test_homes_spread_over_afdelinger_and_a_share_after_a_copula(tmp_path: Path) -> None:
    text = ("Styringsrapport 2026 - Boligselskabet Kornblomsten\n\nRegnskabsåret 2025.\n\nBoligselskabet Kornblomsten har "
            "240 boliger i 3 afdelinger. Dispositionsfonden udgør 8,40 mio. kr., hvoraf 2,10 mio. kr. er disponible.\n")
    report = _load(tmp_path, text, "styringsrapport-kornblomsten.txt")
    assert _value(report.figures, "antal_afdelinger", None) == 3
    assert _value(report.figures, "dispositionsfond_disponibel", None) == 2_100_000
    vacant = _load(tmp_path, text.replace("har 240 boliger i 3 afdelinger", "havde ledige boliger i 2 afdelinger"),
                   "styringsrapport-kornblomsten-2.txt")
    assert _value(vacant.figures, "antal_afdelinger", None) is None


def test_a_floor_a_stand_in_subject_and_a_cover_named_by_the_short_form_of_the_fund(tmp_path: Path) -> None:
    text = ("Styringsrapport 2026 - Boligforeningen Mejsebo\n\nRegnskabsåret 2025.\n\nØkonomi\n\n"
            "Af dispositionsfonden er 2,4 mio. kr. disponible, hvilket svarer til 5.900 kr. pr. lejemålsenhed. Bestyrelsen "
            "har besluttet, at beløbet ikke må komme under 4.500 kr. pr. lejemålsenhed. Faldet i dispositionsfonden skyldes, "
            "at fonden har dækket tab ved lejeledighed på 515 t.kr. i afd. 3 Mejsevej.\n\n"
            "Vedligeholdelse\n\nBestyrelsen har et mål om, at de opsparede henlæggelser skal udgøre mindst 40.000 kr. pr. "
            "bolig. Ved udgangen af 2025 var gennemsnittet for hele foreningen 33.100 kr. pr. bolig.\n")
    report = _load(tmp_path, text, "styringsrapport-mejsebo.txt")
    assert _value(report.figures, "dispositionsfond_minimum_pr_lejemaal", None) == 4500
    assert _value(report.figures, "daekket_af_dispositionsfond", 3) == 515_000
    assert _value(report.figures, "tab_ved_lejeledighed_kr", 3) is None  # what the fund covered, not the loss
    assert _value(report.figures, "opsparede_henlaeggelser_pr_bolig", None) == 33_100


def test_a_sentence_broken_by_the_layout_is_read_whole_on_the_page_of_its_figures() -> None:
    from knowledge.types import Block, LoadedDocument
    from service.review.report_lines import iter_lines

    doc = LoadedDocument(path="x.pdf", title="x", fmt="pdf", blocks=[
        Block("Alle afdelinger har opdaterede planer. De opsparede henlæggelser", page=1),
        Block("er i gennemsnit 41.800 kr. pr. bolig.", page=2),
        Block("Lejetabet svarede til 12,4 kr. pr. kvadratmeter, en kraftig stigning fra 4,2 kr. i", page=2),
        Block("2024.", page=3),
        Block("Administrationsbidraget for hele selskabet er i år steget en anelse og er nu 4.650 kr.", page=3),
        Block("pr. lejemålsenhed (4.520 kr. i 2024).", page=3),
    ])
    lines = [(line.page, line.text) for line in iter_lines(doc)]
    assert (1, "Alle afdelinger har opdaterede planer.") in lines
    assert (2, "De opsparede henlæggelser er i gennemsnit 41.800 kr. pr. bolig.") in lines
    assert any(page == 2 and text.endswith("fra 4,2 kr. i 2024.") for page, text in lines)
    assert any(page == 3 and text.endswith("4.650 kr. pr. lejemålsenhed (4.520 kr. i 2024).") for page, text in lines)
    assert len(lines) == 4


PLANNED = """Styringsrapport 2026 - Boligforeningen Ugleholm

Regnskabsåret 2025.

Afd. 4 Uglevej har 100 boliger og opsparede henlæggelser på 9.000 kr. pr. bolig. Den langsigtede vedligeholdelsesplan rummer arbejder for i alt 24,0 mio. kr., og afdelingen {support}.
"""


@pytest.mark.parametrize(("support", "status"), [
    ("har fået prækvalifikation hos Landsbyggefonden", "følg op"),  # an application is no support yet
    ("har fået tilsagn om støtte fra Landsbyggefonden til en helhedsplan", "OK"),
])
def test_planned_works_against_savings_unless_the_works_are_financed_otherwise(tmp_path: Path, support: str,
                                                                               status: str) -> None:
    path = tmp_path / "styringsrapport-ugleholm.txt"
    path.write_text(PLANNED.format(support=support), encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake"))
    checks = {c.item.id: c for c in review_report(path, kb=kb, settings=kb.settings).checks}
    assert checks["planlagte_arbejder_vs_opsparing"].status == status


APPROXIMATE = """Styringsrapport 2026 - Boligforeningen Hasselly

Regnskabsåret 2025.

Afd. 1 Hasselstien

Huslejen er knap 910 kr. pr. m² mod godt 870 kr. sidste år. Ledigheden er faldet fra fem til to boliger.

Afd. 2 Nøddevej

Huslejen steg med 2,0 procent til 918 kr. pr. m². Tabet ved lejeledighed udgjorde 4,6 kr. pr. m² i 2025 (2,9 kr. pr. m² i 2024). Opsparingen pr. bolig er 36.100 kr., og målet er 42.000 kr.
"""


def test_approximate_values_words_for_both_ends_and_a_change_before_the_value(tmp_path: Path) -> None:
    report = _load(tmp_path, APPROXIMATE, "styringsrapport-hasselly.txt")
    assert _value(report.figures, "husleje_pr_m2", 1) == 910
    assert _value(report.previous_in_report, "husleje_pr_m2", 1) == 870  # 'mod godt 870 kr.'
    assert _value(report.figures, "ledige_boliger", 1) == 2
    assert _value(report.previous_in_report, "ledige_boliger", 1) == 5  # 'fra fem til to boliger'
    assert _value(report.previous_in_report, "husleje_pr_m2", 2) == pytest.approx(900, abs=0.01)  # 918 / 1,02
    assert _value(report.previous_in_report, "tab_ved_lejeledighed_pr_m2", 2) == 2.9
    assert _value(report.figures, "opsparing_maal_pr_bolig", None) == 42_000


THREE_YEARS = """Styringsrapport 2026 - Boligselskabet Rønnely

Regnskabsåret 2025.

Økonomi

Beløb i 1.000 kr. 2025 2024 2023
Årets resultat ÷ 412 215 188
Dispositionsfond 18.230 18.900 19.100

Organisationens samlede restancer androg 0,46 mio. kr. ultimo 2025, hvilket er 0,08 mio. kr. mere end året før.
"""


def test_a_scale_written_as_1000_kr_over_three_years_newest_first_and_a_change_after_the_value(tmp_path: Path) -> None:
    report = _load(tmp_path, THREE_YEARS, "styringsrapport-roennely.txt")
    assert _value(report.figures, "dispositionsfond", None) == 18_230_000
    assert _value(report.figures, "aarets_resultat", None) == -412_000
    last = [f for f in report.previous_in_report if f.figure_type == "dispositionsfond"]
    assert [f.value for f in last][-1] == 18_900_000  # the latest earlier year comes last
    assert _value(report.figures, "restancer", None) == 460_000
    assert _value(report.previous_in_report, "restancer", None) == pytest.approx(380_000)


RUNNING = """Styringsrapport 2026 - Boligforeningen Valmuehøj

Regnskabsåret 2025.

Afd. 3 Valmuevej

Opsparingen til planlagt og periodisk vedligeholdelse udgør 27.300 kr. pr. bolig. Effektiviteten er målt til 69. Lejetabet beløb sig til 13,1 kr. pr. m², næsten en fordobling fra 6,8 kr.

Afd. 4 Kornvej

Afdelingen har 72 boliger, hvoraf 6 stod tomme ved årets udgang.

Organisationen

Arbejdskapitalen er negativ med 0,4 mio. kr.
"""


def test_running_text_forms_of_a_figure(tmp_path: Path) -> None:
    report = _load(tmp_path, RUNNING, "styringsrapport-valmuehoej.txt")
    assert _value(report.figures, "opsparede_henlaeggelser_pr_bolig", 3) == 27_300  # the second label qualifies
    assert _value(report.figures, "effektivitetstal", 3) == 69  # 'målt til' is no target
    assert _value(report.previous_in_report, "tab_ved_lejeledighed_pr_m2", 3) == 6.8
    assert _value(report.figures, "ledige_boliger", 4) == 6
    assert _value(report.figures, "antal_boliger", 4) == 72
    assert _value(report.figures, "arbejdskapital", None) == -400_000


def test_a_signed_change_in_parentheses_after_the_value(tmp_path: Path) -> None:
    text = ("Styringsrapport 2026 - Boligforeningen Kløverly\n\nRegnskabsåret 2025.\n\nAfd. 7 Kløvervej\n\n"
            "• Fraflytning: 13,8 pct. (+2,4 pct.-point)\n• Husleje pr. m²: 1.004 kr. (-1,0 %)\n")
    report = _load(tmp_path, text, "styringsrapport-kloeverly.txt")
    assert _value(report.previous_in_report, "fraflytningsprocent", 7) == pytest.approx(11.4)
    assert _value(report.previous_in_report, "husleje_pr_m2", 7) == pytest.approx(1004 / 0.99, abs=0.01)


def test_afdelinger_named_only_by_the_headings_of_their_sections(tmp_path: Path) -> None:
    text = NARRATIVE.replace(": familieboligerne i Kildevang, ungdomsboligerne i Mosehøj og ældreboligerne i Pilehuset",
                             "")
    report = _load(tmp_path, text)
    assert [(a.nr, a.name) for a in report.afdelinger] == [(1, "Kildevang"), (2, "Mosehøj"), (3, "Pilehuset")]
    assert _value(report.figures, "antal_boliger", 2) == 40
    assert not any(a.name in ("Selskabet", "Vedligeholdelse") for a in report.afdelinger)  # topics, not afdelinger
