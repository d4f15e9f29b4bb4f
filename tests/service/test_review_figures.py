"""The review's key-figure table: one row per figure and afdeling, last year's value, the change, the reference
level the check used, flagged rows first."""

from __future__ import annotations

from typing import Any

from service.api.review_figures import change_text, key_figures


def _ref(label: str, figure_type: str, value: float, unit: str, display: str, which: str, page: int | None = 3) -> dict:
    return {"figure_type": figure_type, "label": label, "value": value, "unit": unit, "display": display, "page": page,
            "which": which, "source": ""}


def _figure(figure_type: str, afdeling: str | None, nr: int | None, value: float, unit: str, label: str) -> dict[str, Any]:
    return {"figure_type": figure_type, "afdeling": afdeling, "afdeling_nr": nr, "value": value, "unit": unit, "page": 2,
            "source": "", "text": "", "label": label, "year": None, "boligtype": None, "method": "tabel", "section": ""}


TAB = "Tab ved lejeledighed pr. m²"
REVIEW = {
    "checks": [
        {"id": "tab", "topic": "Tab ved lejeledighed", "findings": [
            {"afdeling": "Afd. 3 Fjordparken", "status": "følg op", "reason": "14,8 kr./m² er over 8,1 kr./m².",
             "value": 14.8, "threshold": 8.1,
             "figures": [_ref(TAB, "tab_ved_lejeledighed_pr_m2", 14.8, "kr/m2", "14,8 kr./m²", "i år")]},
            {"afdeling": "Afd. 1 Skovbrynet", "status": "OK", "reason": "", "value": 2.1, "threshold": 8.1,
             "figures": [_ref(TAB, "tab_ved_lejeledighed_pr_m2", 2.1, "kr/m2", "2,1 kr./m²", "i år")]},
        ]},
        {"id": "tab_udvikling", "topic": "Stigende tab", "findings": [
            {"afdeling": "Afd. 3 Fjordparken", "status": "følg op", "reason": "Steget 54 %.", "value": 14.8,
             "threshold": None,
             "figures": [_ref(TAB, "tab_ved_lejeledighed_pr_m2", 14.8, "kr/m2", "14,8 kr./m²", "i år"),
                         _ref(TAB, "tab_ved_lejeledighed_pr_m2", 9.6, "kr/m2", "9,6 kr./m²", "sidste år")]},
        ]},
        {"id": "bestyrelse", "topic": "Beboerdemokrati", "findings": [
            {"afdeling": "Afd. 1 Skovbrynet", "status": "OK", "reason": "", "value": 1.0, "threshold": 0.0,
             "figures": [_ref("Afdelingsbestyrelse", "afdelingsbestyrelse", 1.0, "bool", "ja", "i år")]},
        ]},
        {"id": "vurdering", "topic": "Vurdering", "findings": [{"afdeling": None, "status": "OK", "figures": []}]},
    ],
    "figures": [_figure("tab_ved_lejeledighed_pr_m2", "Afd. 1 Skovbrynet", 1, 2.1, "kr/m2", TAB)],
    "previous_figures": [_figure("tab_ved_lejeledighed_pr_m2", "Afd. 1 Skovbrynet", 1, 1.8, "kr/m2", TAB)],
}


def test_rows_join_the_checks_of_one_figure_and_put_the_flagged_first() -> None:
    rows = key_figures(REVIEW)
    assert [(r["label"], r["afdeling"], r["status"]) for r in rows] == [
        (TAB, "Afd. 3 Fjordparken", "følg op"), ("Afdelingsbestyrelse", "Afd. 1 Skovbrynet", "OK"),
        (TAB, "Afd. 1 Skovbrynet", "OK")]
    flagged = rows[0]
    assert (flagged["display"], flagged["last_display"], flagged["change_display"], flagged["reference_display"]) == (
        "14,8 kr./m²", "9,6 kr./m²", "+5,2 kr./m² (+54 %)", "8,1 kr./m²")
    assert flagged["topics"] == ["Tab ved lejeledighed", "Stigende tab"] and flagged["page"] == 3
    assert flagged["reasons"] == ["14,8 kr./m² er over 8,1 kr./m².", "Steget 54 %."]


def test_last_year_from_last_years_report_and_no_reference_for_yes_no_figures() -> None:
    rows = {(r["label"], r["afdeling"]): r for r in key_figures(REVIEW)}
    skovbrynet = rows[(TAB, "Afd. 1 Skovbrynet")]
    assert skovbrynet["last_display"] == "1,8 kr./m²" and skovbrynet["change_display"] == "+0,3 kr./m² (+17 %)"
    bestyrelse = rows[("Afdelingsbestyrelse", "Afd. 1 Skovbrynet")]
    assert bestyrelse["reference_display"] == "" and bestyrelse["change_display"] == ""


def test_change_text() -> None:
    assert change_text(16.9, 13.2, "%") == "+3,7 procentpoint"
    assert change_text(64, 67, "%") == "−3 procentpoint"
    assert change_text(6_100_000, 6_500_000, "kr") == "−400.000 kr. (−6 %)"
    assert change_text(7, 4, "antal") == "+3 (+75 %)"
    assert change_text(1, 1, "antal") == "±0" and change_text(3, 0, "antal") == "+3"
    assert change_text(None, 4, "antal") == "" and change_text(1, 0, "bool") == ""
    assert key_figures({}) == []
