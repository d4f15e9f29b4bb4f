"""Compare two evaluation reports (OLD vs NEW): metric differences per variant, as text rows and a plot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eval.formatting import TABLE_METRICS
from eval.metrics import WORD_METRICS


@dataclass
class MetricDelta:
    """One metric of one variant in both reports."""

    variant: str
    metric: str
    old: float | None
    new: float | None

    @property
    def delta(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old


def compare_reports(old: dict[str, Any], new: dict[str, Any], metrics: tuple[str, ...] = TABLE_METRICS) -> list[MetricDelta]:
    """Deltas for every variant present in both reports (plus p95 end-to-end latency in seconds)."""
    out: list[MetricDelta] = []
    for name in new["variants"]:
        if name not in old["variants"]:
            continue
        om, nm = old["variants"][name]["overall"]["metrics"], new["variants"][name]["overall"]["metrics"]
        for metric in metrics:
            if om.get(metric) is not None or nm.get(metric) is not None:
                out.append(MetricDelta(name, metric, om.get(metric), nm.get(metric)))
        ol = (old["variants"][name].get("latency") or {}).get("e2e", {}).get("p95")
        nl = (new["variants"][name].get("latency") or {}).get("e2e", {}).get("p95")
        if ol is not None or nl is not None:
            out.append(MetricDelta(name, "latency_e2e_p95_s", ol, nl))
    return out


def changed_cases(old: dict[str, Any], new: dict[str, Any], metric: str = "any_hit@5") -> list[tuple[str, str, float, float]]:
    """(variant, case id, old, new) for cases whose metric changed."""
    before = {(r["variant"], r["case_id"]): r["metrics"].get(metric) for r in old["results"]}
    out = []
    for r in new["results"]:
        o, n = before.get((r["variant"], r["case_id"])), r["metrics"].get(metric)
        if o is not None and n is not None and o != n:
            out.append((r["variant"], r["case_id"], o, n))
    return out


def delta_plot(deltas: list[MetricDelta]) -> bytes:
    """Bars of NEW - OLD per variant and metric (proportions only, latency left out)."""
    from eval.plots import delta_bars

    grid: dict[str, dict[str, float]] = {}
    for d in deltas:
        if d.delta is not None and not d.metric.startswith("latency") and d.metric not in WORD_METRICS:
            grid.setdefault(d.variant, {})[d.metric] = d.delta
    return delta_bars(grid)
