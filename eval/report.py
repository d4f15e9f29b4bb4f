"""Evaluation reports: a JSON document with a stable schema, and a Markdown summary.

JSON schema (``schema_version`` 1), top-level keys:
  kind ("almen-eval"), schema_version, created (ISO time), dataset {name, path, cases, sha256},
  config {mode, k, url, ...}, seconds, metric_docs {metric: Danish explanation},
  variants {name: {description, notes, overall {n, errors, metrics, ci}, topics {topic: {...}},
            kinds {kind: {...}}, latency {stage: {p50, p95, mean, n}}}},
  cases [{id, question, topic, kind, answerable, answer_facts, legal_refs, history, ...}],
  results [{case_id, variant, topic, kind, answerable, query, metrics, timings, retrieved, answer, error}].
New keys may be added; existing keys keep their meaning until schema_version changes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eval.errors import ReportError
from eval.formatting import TABLE_METRICS, default_variant, fmt, fmt_ci, latency_ms, worst_cases
from eval.html_report import render_html
from eval.kind_report import kinds_markdown
from eval.metrics import HEADLINE, METRIC_DOCS, WORD_METRICS
from eval.runner import EvalRun, summarise_run
from knowledge.text import without_raw_html

SCHEMA_VERSION = 1
REPORT_KIND = "almen-eval"


def build_report(run: EvalRun, *, dataset_name: str, dataset_path: Path | None = None,
                 config: dict[str, Any] | None = None, seed: int = 7) -> dict[str, Any]:
    """The JSON-ready report of a run."""
    sha = hashlib.sha256(dataset_path.read_bytes()).hexdigest() if dataset_path and dataset_path.is_file() else ""
    return {
        "kind": REPORT_KIND,
        "schema_version": SCHEMA_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "dataset": {"name": dataset_name, "path": str(dataset_path or ""), "cases": len(run.cases), "sha256": sha},
        "config": {"k": run.k, **(config or {})},
        "seconds": round(run.seconds, 3),
        "metric_docs": dict(METRIC_DOCS),
        "variants": summarise_run(run, seed=seed),
        "cases": [c.to_dict() for c in run.cases],
        "results": [r.to_dict() for r in run.results],
    }


def write_json(report: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def load_report(path: Path) -> dict[str, Any]:
    """Read a JSON report and check that it is one (ReportError otherwise)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(f"Kan ikke læse rapporten '{path}': {exc}.") from exc
    if not isinstance(data, dict) or data.get("kind") != REPORT_KIND:
        raise ReportError(f"'{path}' er ikke en almen-evalueringsrapport (JSON fra 'almen eval').")
    if int(data.get("schema_version", 0)) > SCHEMA_VERSION:
        raise ReportError(f"'{path}' har en nyere rapportversion ({data.get('schema_version')}); opdatér almen.")
    return data


def render_markdown(report: dict[str, Any]) -> str:
    """A Danish Markdown summary: headline table per variant, latency, topics, worst cases, metric docs."""
    lines = [f"# Evaluering af almen – {report['dataset']['name']}", "",
             f"Kørt {report['created']} på {report['dataset']['cases']} spørgsmål "
             f"({report['config'].get('mode', 'in-process')}, k={report['config'].get('k')}), {report['seconds']:.0f} s.", ""]
    variants = report["variants"]
    lines += ["## Hovedtal pr. variant", "", "| variant | " + " | ".join(TABLE_METRICS) + " |",
              "|---|" + "---|" * len(TABLE_METRICS)]
    for name, v in variants.items():
        m, ci = v["overall"]["metrics"], v["overall"]["ci"]
        cells = []
        for k in TABLE_METRICS:
            cell = fmt(m.get(k), pct=k not in WORD_METRICS)
            if k in HEADLINE and k in ci:
                cell += f" {fmt_ci(ci[k])}"
            cells.append(cell)
        errors = f" ({v['overall']['errors']} fejl)" if v["overall"]["errors"] else ""
        lines.append(f"| {name}{errors} | " + " | ".join(cells) + " |")
    lines += ["", "Intervaller i [ ] er 95 %-bootstrap-konfidensintervaller.", "", "## Varianter", ""]
    for name, v in variants.items():
        notes = f" ({'; '.join(v['notes'])})" if v.get("notes") else ""
        lines.append(f"- **{name}**: {v['description']}{notes}")
    lines += ["", "## Svartider (ms)", "", "| variant | trin | p50 | p95 |", "|---|---|---|---|"]
    for name, v in variants.items():
        for stage in sorted(v["latency"]):
            lines.append(f"| {name} | {stage} | {latency_ms(v['latency'], stage, 'p50')} | {latency_ms(v['latency'], stage, 'p95')} |")
    main = default_variant(report)
    if main:
        lines += ["", f"## Emner ({main})", "", "| emne | n | any_hit@5 | any_mrr | fact_coverage |", "|---|---|---|---|---|"]
        for topic, t in variants[main]["topics"].items():
            tm = t["metrics"]
            lines.append(f"| {topic} | {t['n']} | {fmt(tm.get('any_hit@5'))} | {fmt(tm.get('any_mrr'))} | {fmt(tm.get('fact_coverage'))} |")
        lines += kinds_markdown(report, main)
        lines += ["", f"## Svageste svar ({main})", ""]
        for r in worst_cases(report, main):
            case = r["case"]
            ans = r.get("answer") or {}
            lines.append(f"### {r['case_id']}: {case.get('question', '')}")
            if r["error"]:
                lines.append(f"- Fejl: {r['error']}")
            lines.append(f"- Forventede fakta: {'; '.join(case.get('answer_facts', []))}")
            lines.append(f"- Besvarligt: {'ja' if r['answerable'] else 'nej'}; afstod: {'ja' if ans.get('abstained') else 'nej'}; "
                         f"faktadækning: {fmt(r['metrics'].get('fact_coverage'))}; any_mrr: {fmt(r['metrics'].get('any_mrr'))}")
            text = " ".join(str(ans.get("text") or "").split())
            lines.append(f"- Svar: {text[:600] + ('…' if len(text) > 600 else '') or '–'}")
            cited = ", ".join(str(c.get("label") or c.get("chunk_id")) for c in ans.get("citations", []))
            lines.append(f"- Kilder: {cited or '–'}")
            lines.append("")
    lines += ["## Sådan er tallene beregnet", ""]
    lines += [f"- **{k}**: {v}" for k, v in report["metric_docs"].items()]
    return "\n".join(lines) + "\n"


def write_reports(report: dict[str, Any], out_dir: Path, *, stem: str = "eval", html: bool = True) -> dict[str, Path]:
    """Write JSON, Markdown and (optionally) HTML into ``out_dir``; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": write_json(report, out_dir / f"{stem}.json")}
    md = out_dir / f"{stem}.md"
    md.write_text(without_raw_html(render_markdown(report)), encoding="utf-8")
    paths["markdown"] = md
    if html:
        page = out_dir / f"{stem}.html"
        page.write_text(render_html(report), encoding="utf-8")
        paths["html"] = page
    return paths
