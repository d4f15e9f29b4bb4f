"""The table per kind of question (the dataset's 'kind' field) for the Markdown and HTML reports.

Kept apart from eval/report.py and eval/html_report.py so both only call one function; the figures
come from ``variants[name]["kinds"]`` in the JSON report (summarise_cases per kind).
"""

from __future__ import annotations

from html import escape
from typing import Any

from eval.datasets import DECLINE_KINDS, KINDS
from eval.metrics import WORD_METRICS

KIND_COLUMNS = ("fact_coverage", "first_sentence_fact", "stk_precision", "decline_rate", "answer_words_median")
INTRO = ("Pr. spørgsmålstype. decline_rate er for unanswerable, task og out_of_scope andelen korrekt afviste "
         "(målet er 100 %), for alle andre typer andelen falske afvisninger.")


def _cell(value: float | None, metric: str) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if metric in WORD_METRICS else f"{value * 100:.1f} %"


def kind_rows(report: dict[str, Any], variant: str) -> list[tuple[str, list[str]]]:
    """(kind, [n, cells of KIND_COLUMNS]) in the order of KINDS; empty when the set has no kinds."""
    kinds = (report["variants"].get(variant) or {}).get("kinds") or {}
    order = [k for k in KINDS if k in kinds] + sorted(k for k in kinds if k not in KINDS)
    rows = []
    for kind in order:
        summary = kinds[kind]
        label = f"{kind} (afvises)" if kind in DECLINE_KINDS else kind
        rows.append((label, [str(summary["n"])] + [_cell(summary["metrics"].get(c), c) for c in KIND_COLUMNS]))
    return rows


def kinds_markdown(report: dict[str, Any], variant: str) -> list[str]:
    """Markdown lines of the table per kind (no lines when the set has no kinds)."""
    rows = kind_rows(report, variant)
    if not rows:
        return []
    lines = ["", f"## Spørgsmålstyper ({variant})", "", INTRO, "",
             "| type | n | " + " | ".join(KIND_COLUMNS) + " |", "|---|---|" + "---|" * len(KIND_COLUMNS)]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
    return lines


def kinds_html(report: dict[str, Any], variant: str) -> str:
    """The table per kind as HTML ('' when the set has no kinds)."""
    rows = kind_rows(report, variant)
    if not rows:
        return ""
    head = "<tr><th>type</th><th>n</th>" + "".join(f"<th>{escape(c)}</th>" for c in KIND_COLUMNS) + "</tr>"
    body = "".join(f"<tr><td>{escape(label)}</td>" + "".join(f"<td class=num>{escape(c)}</td>" for c in cells) + "</tr>"
                   for label, cells in rows)
    return f"<h2>Spørgsmålstyper ({escape(variant)})</h2><p class=small>{escape(INTRO)}</p><table>{head}{body}</table>"
