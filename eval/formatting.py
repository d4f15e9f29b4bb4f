"""Formatting shared by the Markdown and HTML evaluation reports: metric cells, latencies, the weakest answers."""

from __future__ import annotations

from typing import Any

TABLE_METRICS = ("any_hit@1", "any_hit@5", "any_mrr", "fact_hit@5", "fact_recall@5", "ref_hit@5", "fact_coverage",
                 "first_sentence_fact", "stk_precision", "citation_precision", "ref_accuracy", "unsupported_rate",
                 "abstention_precision", "abstention_recall", "false_abstention_rate", "answer_words",
                 "answer_words_median")


def fmt(value: float | None, *, pct: bool = True) -> str:
    """A metric for a table: percent with one decimal, or '–' when not applicable."""
    if value is None:
        return "–"
    return f"{value * 100:.1f} %" if pct else f"{value:.1f}"


def fmt_ci(ci: list[float] | None) -> str:
    return f"[{ci[0] * 100:.1f}; {ci[1] * 100:.1f}]" if ci else ""


def worst_cases(report: dict[str, Any], variant: str | None = None, n: int = 10) -> list[dict[str, Any]]:
    """The weakest results of a variant: errors first, then wrong abstentions, low coverage, late first hit."""
    variant = variant or default_variant(report)
    cases = {c["id"]: c for c in report["cases"]}

    def badness(r: dict[str, Any]) -> tuple[float, ...]:
        m = r["metrics"]
        if r["error"]:
            return (0,)
        wrong_abstain = bool(m.get("abstained")) == bool(r["answerable"]) and "abstained" in m
        cov = m.get("fact_coverage")
        return (1, 0.0 if wrong_abstain else 1.0, 1.0 if cov is None else cov, m.get("any_mrr") if m.get("any_mrr") is not None else 1.0)

    rows = sorted((r for r in report["results"] if r["variant"] == variant), key=badness)[:n]
    return [{**r, "case": cases.get(r["case_id"], {})} for r in rows]


def default_variant(report: dict[str, Any]) -> str:
    """The first variant that answered (else the first variant)."""
    names = list(report["variants"])
    for r in report["results"]:
        if r.get("answer") is not None:
            return r["variant"]
    return names[0] if names else ""


def latency_ms(lat: dict[str, Any], stage: str, q: str) -> str:
    v = (lat.get(stage) or {}).get(q)
    return f"{v * 1000:.0f}" if v is not None else "–"
