"""The key-figure table of a review, for the page: one row per figure and afdeling with this year's value,
last year's, the change and the reference level, flagged rows first (and charted by the page).

Built from the review's JSON only (the checks' findings and the figures), so it also serves reviews stored
before this table existed. The values and the rules are the review's: the checks decided the status and
the reference level, ``service.review.last_year`` says which figure is last year's; this module arranges.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from service.review.check_results import FOLLOW_UP, MISSING, OK
from service.review.last_year import figure_key
from service.review.model import Figure
from service.review.numbers import format_number, format_quantity

_RANK = {FOLLOW_UP: 0, MISSING: 1, OK: 2}
_FIGURE_FIELDS = {f.name for f in fields(Figure)}


def _figure(data: dict[str, Any]) -> Figure | None:
    try:
        return Figure(**{k: v for k, v in data.items() if k in _FIGURE_FIELDS})
    except TypeError:
        return None


def change_text(value: float | None, last: float | None, unit: str) -> str:
    """'+5,2 kr./m² (+54 %)', '+3,7 procentpoint', '±0' or '' when there is nothing to compare."""
    if value is None or last is None or unit == "bool":
        return ""
    diff = value - last
    if abs(diff) < 1e-9:
        return "±0"
    sign = "+" if diff > 0 else "−"
    if unit in ("%", "‰"):
        return f"{sign}{format_number(round(abs(diff), 2))} {'procentpoint' if unit == '%' else 'promillepoint'}"
    text = sign + format_quantity(abs(diff), unit)
    if last:
        text += f" ({sign}{format_number(round(abs(diff) / abs(last) * 100))} %)"
    return text


def _main_ref(figures: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The figure a finding judges: the calculated one when there is one, else this year's first."""
    return next((f for f in figures if f.get("which") == "beregnet"), None) or next(
        (f for f in figures if f.get("which") == "i år"), None)


def _previous_index(data: dict[str, Any]) -> tuple[dict[tuple[str, str], Figure], dict[Any, Figure]]:
    current: dict[tuple[str, str], Figure] = {}
    for raw in data.get("figures") or []:
        f = _figure(raw)
        if f is not None:
            current.setdefault((f.figure_type, f.afdeling or ""), f)
    previous: dict[Any, Figure] = {}
    for raw in data.get("previous_figures") or []:
        f = _figure(raw)
        if f is not None:
            previous.setdefault(figure_key(f), f)
    return current, previous


def key_figures(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the key-figure table (see the module docstring)."""
    current, previous = _previous_index(data)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for check in data.get("checks") or []:
        for finding in check.get("findings") or []:
            main = _main_ref(finding.get("figures") or [])
            if main is None:
                continue
            afdeling = finding.get("afdeling") or ""
            row = rows.setdefault((str(main["label"]), afdeling), {
                "label": main["label"], "afdeling": afdeling, "figure_type": main["figure_type"], "unit": main["unit"],
                "value": main["value"], "display": main["display"], "page": main.get("page"),
                "last_value": None, "last_display": "", "reference_value": None, "reference_display": "",
                "status": OK, "topics": [], "reasons": [],
            })
            last = next((f for f in finding.get("figures") or [] if f.get("which") == "sidste år"
                         and f.get("figure_type") == main["figure_type"]), None)
            if last is not None and row["last_value"] is None:
                row["last_value"], row["last_display"] = last["value"], last["display"]
            threshold = finding.get("threshold")
            if threshold is not None and row["reference_value"] is None and main["unit"] != "bool":
                row["reference_value"] = threshold
                row["reference_display"] = format_quantity(threshold, main["unit"])
            status = finding.get("status") or OK
            if _RANK.get(status, 2) < _RANK.get(row["status"], 2):
                row["status"] = status
            if status == FOLLOW_UP:
                row["topics"].append(check.get("topic") or check.get("id") or "")
                if finding.get("reason"):
                    row["reasons"].append(finding["reason"])
    for (_label, afdeling), row in rows.items():
        if row["last_value"] is None:
            this = current.get((row["figure_type"], afdeling))
            before = previous.get(figure_key(this)) if this is not None else None
            if before is not None:
                row["last_value"], row["last_display"] = before.value, before.display
        row["change_display"] = change_text(row["value"], row["last_value"], row["unit"])
        row["topics"] = list(dict.fromkeys(row["topics"]))
    ordered = sorted(rows.values(), key=lambda r: (_RANK.get(r["status"], 2), r["label"], r["afdeling"]))
    return ordered


def with_key_figures(data: dict[str, Any]) -> dict[str, Any]:
    """The review's JSON with its key-figure table (the field ``key_figures``)."""
    return {**data, "key_figures": key_figures(data)}
