"""The self-contained HTML report: tables plus embedded PNG plots (data URIs), no external files."""

from __future__ import annotations

from html import escape
from typing import Any

from eval.formatting import TABLE_METRICS, default_variant, fmt, fmt_ci, latency_ms, worst_cases
from eval.kind_report import kinds_html
from eval.metrics import HEADLINE, WORD_METRICS
from eval.plots import data_uri, latency_histograms, metric_bars, topic_heatmap

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:1em 0;font-size:.85em}th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right;white-space:nowrap}img{max-width:100%;border:1px solid #eee}
.small{color:#666;font-size:.85em}dt{font-weight:bold}dd{margin:0 0 .5em 1em}
"""


def _img(png: bytes | None, alt: str) -> str:
    return f'<img src="{data_uri(png)}" alt="{escape(alt)}">' if png else f"<p class=small>Ingen data til: {escape(alt)}</p>"


def render_html(report: dict[str, Any]) -> str:
    """The whole report as one HTML page (Danish)."""
    variants = report["variants"]
    main = default_variant(report)
    parts = [
        "<!doctype html><html lang=da><head><meta charset=utf-8>",
        f"<title>Evaluering af almen – {escape(report['dataset']['name'])}</title><style>{_CSS}</style></head><body>",
        f"<h1>Evaluering af almen – {escape(report['dataset']['name'])}</h1>",
        f"<p class=small>Kørt {escape(report['created'])} · {report['dataset']['cases']} spørgsmål · "
        f"{escape(str(report['config'].get('mode', 'in-process')))} · k={report['config'].get('k')} · {report['seconds']:.0f} s</p>",
        "<h2>Hovedtal pr. variant</h2>", _headline_table(variants),
        _img(metric_bars(variants), "Nøgletal pr. variant"),
        "<h2>Varianter</h2><ul>",
    ]
    for name, v in variants.items():
        notes = f" <span class=small>({escape('; '.join(v['notes']))})</span>" if v.get("notes") else ""
        parts.append(f"<li><b>{escape(name)}</b>: {escape(v['description'])}{notes}</li>")
    parts += ["</ul>", "<h2>Emner</h2>", _img(topic_heatmap(variants, "any_mrr"), "any_mrr pr. emne"),
              _img(topic_heatmap(variants, "fact_coverage"), "fact_coverage pr. emne"), kinds_html(report, main),
              "<h2>Svartider</h2>", _latency_table(variants),
              _img(latency_histograms(report["results"], "e2e"), "Svartider e2e")]
    if main:
        parts += [f"<h2>Svageste svar ({escape(main)})</h2>", _worst_table(report, main)]
    parts.append("<h2>Sådan er tallene beregnet</h2><dl>")
    parts += [f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in report["metric_docs"].items()]
    parts.append("</dl></body></html>")
    return "\n".join(parts)


def _headline_table(variants: dict[str, Any]) -> str:
    rows = ["<table><tr><th>variant</th>" + "".join(f"<th>{escape(k)}</th>" for k in TABLE_METRICS) + "</tr>"]
    for name, v in variants.items():
        m, ci = v["overall"]["metrics"], v["overall"]["ci"]
        cells = []
        for k in TABLE_METRICS:
            text = fmt(m.get(k), pct=k not in WORD_METRICS)
            if k in HEADLINE and k in ci:
                text += f"<br><span class=small>{fmt_ci(ci[k])}</span>"
            cells.append(f"<td class=num>{text}</td>")
        err = f" <span class=small>({v['overall']['errors']} fejl)</span>" if v["overall"]["errors"] else ""
        rows.append(f"<tr><td>{escape(name)}{err}</td>{''.join(cells)}</tr>")
    return "".join(rows) + "</table>"


def _latency_table(variants: dict[str, Any]) -> str:
    rows = ["<table><tr><th>variant</th><th>trin</th><th>p50 (ms)</th><th>p95 (ms)</th></tr>"]
    for name, v in variants.items():
        for stage in sorted(v["latency"]):
            rows.append(f"<tr><td>{escape(name)}</td><td>{escape(stage)}</td><td class=num>{latency_ms(v['latency'], stage, 'p50')}</td>"
                        f"<td class=num>{latency_ms(v['latency'], stage, 'p95')}</td></tr>")
    return "".join(rows) + "</table>"


def _worst_table(report: dict[str, Any], variant: str) -> str:
    rows = ["<table><tr><th>id</th><th>spørgsmål</th><th>forventede fakta</th><th>svar</th><th>kilder</th><th>tal</th></tr>"]
    for r in worst_cases(report, variant):
        case, ans, m = r["case"], r.get("answer") or {}, r["metrics"]
        facts = "".join(f"<li>{escape(f)}</li>" for f in case.get("answer_facts", []))
        answer = escape(" ".join(str(ans.get("text") or "").split())[:800]) or "–"
        if r["error"]:
            answer = f"<b>Fejl:</b> {escape(r['error'])}"
        cited = "".join(f"<li>{escape(str(c.get('label') or c.get('chunk_id')))}{'' if c.get('verified', True) else ' (ikke verificeret)'}</li>"
                        for c in ans.get("citations", []))
        figures = (f"besvarligt: {'ja' if r['answerable'] else 'nej'}<br>afstod: {'ja' if ans.get('abstained') else 'nej'}<br>"
                   f"faktadækning: {fmt(m.get('fact_coverage'))}<br>any_mrr: {fmt(m.get('any_mrr'))}")
        rows.append(f"<tr><td>{escape(r['case_id'])}</td><td>{escape(case.get('question', ''))}</td><td><ul>{facts}</ul></td>"
                    f"<td>{answer}</td><td><ul>{cited}</ul></td><td class=small>{figures}</td></tr>")
    return "".join(rows) + "</table>"
