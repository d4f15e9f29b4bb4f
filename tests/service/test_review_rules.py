"""The rules that read report figures written by others and check across them, on small examples written here.

Sentence rules (service.review.prose), a report's layout (captions, change columns, an afdeling on its own
line, a figure restated in another unit, last year's value in a sentence), organisation-level and cross-figure
checks, 'mangler data' only for what is absent, and the note's wording (never a rounded amount, '1 punkt').
"""

from __future__ import annotations

import pytest

from knowledge.types import Block, LoadedDocument
from service.review.checklist import load_checklist
from service.review.checks import FOLLOW_UP, MISSING, run_checks
from service.review.extract import extract_report
from service.review.model import Figure, ReportExtraction
from service.review.prose import counts, covered_by_dispositionsfond, previous_after, savings_target, stated_change


def _doc(*blocks: tuple[str, str] | str, title: str = "Styringsrapport 2027 - Boligselskabet Pil") -> LoadedDocument:
    out = []
    for b in blocks:
        text, kind = (b, "paragraph") if isinstance(b, str) else b
        out.append(Block(text, kind, 1 if kind == "heading" else 0, 1))  # type: ignore[arg-type]
    return LoadedDocument(path="r.pdf", title=title, blocks=out, fmt="pdf", page_count=1)


def _fig(report: ReportExtraction, name: str, afd: int | None = None) -> float | None:
    f = next((f for f in report.figures if f.figure_type == name and f.afdeling_nr == afd and f.boligtype is None),
             None)
    return f.value if f else None


def _prev(report: ReportExtraction, name: str, afd: int | None = None) -> float | None:
    """Last year's value: the most recent earlier year the report gives (as service.review.last_year reads it)."""
    found = [f for f in report.previous_in_report if f.figure_type == name and f.afdeling_nr == afd]
    return max(found, key=lambda f: f.year or 0).value if found else None


# -- sentence rules ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "found"), [
    ("Pil har 312 boliger fordelt på 5 afdelinger.", {("antal_boliger", 312), ("antal_afdelinger", 5)}),
    ("Engen (58 familieboliger) ligger ved stationen.", {("antal_boliger", 58)}),
    ("Ved nytår stod 4 boliger tomme.", {("ledige_boliger", 4)}),
    ("3 ungdomsboliger har stået ledige hele sommeren.", {("ledige_boliger", 3)}),
    ("Der blev genudlejet 40 boliger i 2026.", set()),
])
def test_counts_in_sentences(sentence: str, found: set[tuple[str, int]]) -> None:
    assert {(f.figure_type, int(f.value)) for f in counts(sentence)} == found


def test_the_fund_covering_a_loss_and_the_organisations_own_target() -> None:
    covered = covered_by_dispositionsfond("Dispositionsfonden har også i år dækket 0,45 mio. kr. af tabet i afd. 2.")
    assert covered is not None and covered.value == 450_000
    assert covered_by_dispositionsfond("Dispositionsfonden er vokset til 12,1 mio. kr.") is None
    target = savings_target("Bestyrelsens mål er, at opsparingen er mindst 50.000 kr. pr. bolig i alle afdelinger.")
    assert target is not None and target.value == 50_000
    assert savings_target("Huslejen er mindst 800 kr. pr. m².") is None


@pytest.mark.parametrize(("sentence", "value"), [
    ("Lejetabet var 7,3 kr. pr. m² mod 5,1 kr. året før.", 5.1),
    ("Restancerne er 0,52 mio. kr. (2026: 0,47 mio. kr.).", 470_000),
    ("Der var 5 ledige boliger (3 i 2026).", 3),
    ("Effektivitetstallet er 88 (året før: 91).", 91),
])
def test_last_years_value_written_after_the_figure(sentence: str, value: float) -> None:
    first = next(i for i, ch in enumerate(sentence) if ch.isdigit())
    end = first + len(sentence[first:].split()[0])
    q = previous_after(sentence, end)
    assert q is not None and q.value == value


def test_a_stated_change() -> None:
    assert stated_change("Fraflytningen steg med 2,4 procentpoint.", 0) == (2.4, "pp")
    assert stated_change("Restancerne faldt med 12 %.", 0) == (-12.0, "%")


# -- a report's layout ---------------------------------------------------------------------------------

def test_a_caption_scales_a_table_and_a_change_column_is_not_a_year() -> None:
    report = extract_report(_doc(
        ("1. Økonomi", "heading"), "Alle beløb er i mio. kr.",
        (("Nøgletal | 2026 | 2025 | Ændring\nDispositionsfond | 8,40 | 8,10 | +3,7 %\n"
         "Arbejdskapital | (0,25) | 0,40 | (0,65)\nAntal boliger | 312 | 312 | 0"), "table"),
        "Regnskabsåret 2026."))
    assert _fig(report, "dispositionsfond") == 8_400_000 and _prev(report, "dispositionsfond") == 8_100_000
    assert _fig(report, "arbejdskapital") == -250_000
    assert _fig(report, "antal_boliger") == 312  # a count under a money caption is not scaled


def test_an_afdeling_named_on_its_own_line_owns_the_small_table_below_it() -> None:
    report = extract_report(_doc(
        "Boligselskabet Pil har 2 afdelinger.", "Afd. 4 Ved Åen", "Ved Åen har 60 familieboliger.",
        "Ledige boliger 31.12. 5", "Fraflytning 14,2 %", "Afd. 7 Skrænten", "Ledige boliger 31.12. 0",
        "Regnskabsår 2026"))
    assert _fig(report, "ledige_boliger", 4) == 5 and _fig(report, "ledige_boliger", 7) == 0
    assert _fig(report, "fraflytningsprocent", 4) == 14.2 and _fig(report, "antal_boliger", 4) == 60
    assert report.afdeling_info(4).boligtype == "familieboliger"  # type: ignore[union-attr]


def test_a_figure_restated_in_another_unit_and_last_year_in_the_sentence() -> None:
    report = extract_report(_doc(
        "Regnskabsåret 2026. Den disponible del er 2,10 mio. kr., eller 6.730 kr. pr. lejemålsenhed.",
        "Administrationsbidraget steg fra 4.300 kr. til 4.450 kr. pr. lejemålsenhed.",
        "Huslejen i afd. 1 Pilen er 1.020 kr. pr. m² mod 990 kr. sidste år."))
    assert _fig(report, "dispositionsfond_disponibel") == 2_100_000
    assert _fig(report, "dispositionsfond_disponibel_pr_lejemaal") == 6_730
    assert _fig(report, "administrationsbidrag_pr_lejemaal") == 4_450
    assert _prev(report, "administrationsbidrag_pr_lejemaal") == 4_300
    assert _fig(report, "husleje_pr_m2", 1) == 1_020 and _prev(report, "husleje_pr_m2", 1) == 990


# -- checks -----------------------------------------------------------------------------------------------

def _report(*figures: Figure, passages: tuple[str, ...] = ()) -> ReportExtraction:
    from service.review.model import Identity, Passage

    identity = Identity("Boligselskabet Pil", 2027, 2026, "Solby Kommune", "Styringsrapport 2027", 3, "pdf")
    return ReportExtraction(identity, list(figures), passages=[Passage(p, 2) for p in passages])


def _f(name: str, value: float, unit: str, afd: int | None = None, text: str = "") -> Figure:
    return Figure(name, f"Afd. {afd} Engen" if afd else None, value, unit, 2, "", text or str(value),
                  afdeling_nr=afd)


def test_an_organisation_only_report_is_checked_at_organisation_level_not_missing() -> None:
    report = _report(_f("ledige_boliger", 12, "antal"), _f("antal_boliger", 400, "antal"),
                     _f("fraflytningsprocent", 17.0, "%"))
    checks = {c.item.id: c for c in run_checks(load_checklist(), report, None)}
    assert checks["lejeledighed"].status == FOLLOW_UP  # 3 % of the homes
    assert checks["fraflytning"].status == FOLLOW_UP
    assert checks["husleje"].status == MISSING
    assert "Det står normalt" in checks["husleje"].findings[0].reason


def test_checks_across_figures() -> None:
    report = _report(
        _f("planlagte_arbejder", 18_000_000, "kr", 2, "18,00 mio. kr."), _f("opsparede_henlaeggelser_pr_bolig", 20_000,
                                                                            "kr/bolig", 2),
        _f("antal_boliger", 90, "antal", 2), _f("udlejning_kombineret", 6, "antal"),
        _f("opsparede_henlaeggelser_pr_bolig", 35_000, "kr/bolig"), _f("opsparing_maal_pr_bolig", 45_000, "kr/bolig"),
        passages=("Dispositionsfonden har dækket tab ved lejeledighed i afd. 2 Engen.",
                  "Aftalen om fleksibel udlejning skal evalueres senest 1. juni 2027.",
                  "Aftalen om kombineret udlejning blev evalueret i 2026, og evalueringen viste gode resultater."))
    checks = {c.item.id: c for c in run_checks(load_checklist(), report, None)}
    works = checks["planlagte_arbejder_vs_opsparing"]
    assert works.status == FOLLOW_UP and "1,8 mio. kr. af 18,0 mio. kr." in works.flagged[0].reason
    assert checks["kombineret_udlejning_51b"].status == FOLLOW_UP
    assert checks["opsparing_under_eget_maal"].status == FOLLOW_UP
    assert checks["lejetab_daekket_af_dispositionsfond"].flagged[0].afdeling == "Afd. 2 Engen"
    due = checks["udlejningsaftale_evaluering"].flagged
    assert len(due) == 1 and "fleksibel" in due[0].reason  # the evaluation already done is not asked about


def test_cross_checks_are_left_out_when_the_report_does_not_state_their_figures() -> None:
    ids = {c.item.id for c in run_checks(load_checklist(), _report(_f("husleje_pr_m2", 900, "kr/m2", 1)), None)}
    assert "planlagte_arbejder_vs_opsparing" not in ids and "kombineret_udlejning_51b" not in ids
    assert "husleje" in ids


def test_an_amount_is_shown_as_printed_never_rounded() -> None:
    assert _f("dispositionsfond", 14_270_000, "kr", text="14,27").display == "14,27 mio. kr."
    assert _f("restancer", 870_000, "kr", text="0,87 mio. kr.").display == "0,87 mio. kr."
    assert _f("restancer", 212_000, "kr", text="212.000 kr.").display == "212.000 kr."


def test_danish_singular_and_plural() -> None:
    from service.domain.wording import count

    assert (count(1, "aftale", "aftaler"), count(2, "punkt", "punkter"), count(0, "punkt", "punkter")) == (
        "1 aftale", "2 punkter", "0 punkter")


def test_the_accountants_minus_sign_and_a_red_afdeling_without_its_figure() -> None:
    from service.review.numbers import find_quantities

    assert [(q.value, q.in_range) for q in find_quantities("Arbejdskapital ÷ 236 ÷1.200", cell=True)] == [
        (-236.0, False), (-1200.0, False)]
    report = _report(_f("effektivitetstal", 95, "%", 1), passages=(
        "Afd. 2 Engen er rød, og afd. 1 Engen er grøn.", "Afdelinger under 70 % betegnes som røde.",
        "Ingen andre afdelinger er røde."))
    flagged = {c.item.id: c for c in run_checks(load_checklist(), report, None)}["effektivitet"].flagged
    assert [f.afdeling for f in flagged] == ["Afd. 2 Engen"]


def test_abbreviated_column_headers_and_a_scale_in_brackets() -> None:
    from service.review.tables import parse_header

    columns = parse_header("Afd. | Husl. kr/m² | Led. boliger | Tab v. lejeled. kr/m² | Fraflyt. % | Eff.tal | Afd.best.")
    assert [c.name for c in columns or []] == ["afdeling", "husleje_pr_m2", "ledige_boliger",
                                               "tab_ved_lejeledighed_pr_m2", "fraflytningsprocent", "effektivitetstal",
                                               "afdelingsbestyrelse"]
    report = extract_report(_doc("Regnskabsår 2026", "Økonomi (t.kr.)",
                                 ("Nøgletal | 2024 | 2025 | 2026\nArbejdskapital | 410 | 150 | ÷ 236", "table")))
    assert _fig(report, "arbejdskapital") == -236_000 and _prev(report, "arbejdskapital") == 150_000
