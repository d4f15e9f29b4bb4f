"""Plots for the reports (matplotlib, Agg backend), returned as PNG bytes or data URIs."""

from __future__ import annotations

import base64
import io
from typing import Any

PLOT_METRICS = ("any_hit@1", "any_hit@5", "any_mrr", "fact_mrr", "ref_hit@5", "fact_coverage", "citation_precision",
                "ref_accuracy", "abstention_recall")


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def to_png(fig: Any) -> bytes:
    """Render and close a figure."""
    plt = _pyplot()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def metric_bars(variants: dict[str, Any], metrics: tuple[str, ...] = PLOT_METRICS) -> bytes:
    """Grouped bars: one group per metric, one bar per variant, with 95 % CI whiskers where known."""
    plt = _pyplot()
    names = list(variants)
    shown = [m for m in metrics if any(v["overall"]["metrics"].get(m) is not None for v in variants.values())]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.3 * len(shown) + 2), 4.2))
    width = 0.8 / max(1, len(names))
    for i, name in enumerate(names):
        m, ci = variants[name]["overall"]["metrics"], variants[name]["overall"]["ci"]
        xs, ys, lo, hi = [], [], [], []
        for j, metric in enumerate(shown):
            val = m.get(metric)
            if val is None:
                continue
            xs.append(j + i * width - 0.4 + width / 2)
            ys.append(val)
            c = ci.get(metric)
            lo.append(max(0.0, val - c[0]) if c else 0.0)
            hi.append(max(0.0, c[1] - val) if c else 0.0)
        ax.bar(xs, ys, width, label=name, yerr=[lo, hi], capsize=2)
    ax.set_xticks(range(len(shown)))
    ax.set_xticklabels(shown, rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("andel")
    ax.set_title("Nøgletal pr. variant (95 %-konfidensinterval)")
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(axis="y", alpha=0.3)
    return to_png(fig)


def topic_heatmap(variants: dict[str, Any], metric: str = "any_mrr") -> bytes | None:
    """Topics x variants, coloured by one metric; None when no variant has the metric."""
    plt = _pyplot()
    names = [n for n, v in variants.items() if any(t["metrics"].get(metric) is not None for t in v["topics"].values())]
    if not names:
        return None
    topics = sorted({t for n in names for t in variants[n]["topics"]})
    grid = [[variants[n]["topics"].get(t, {}).get("metrics", {}).get(metric) for n in names] for t in topics]
    values = [[float("nan") if v is None else v for v in row] for row in grid]
    fig, ax = plt.subplots(figsize=(1.4 * len(names) + 3, 0.38 * len(topics) + 1.5))
    im = ax.imshow(values, cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=30, ha="right")
    ax.set_yticks(range(len(topics)))
    ax.set_yticklabels(topics)
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            ax.text(j, i, "–" if v is None else f"{v:.2f}", ha="center", va="center", fontsize=7)
    fig.colorbar(im, ax=ax, fraction=0.03)
    ax.set_title(f"{metric} pr. emne")
    return to_png(fig)


def latency_histograms(results: list[dict[str, Any]], stage: str = "e2e") -> bytes | None:
    """One histogram per variant of a stage's latency (ms); None when nothing was timed."""
    plt = _pyplot()
    by_variant: dict[str, list[float]] = {}
    for r in results:
        v = r["timings"].get(stage)
        if v is not None and not r["error"]:
            by_variant.setdefault(r["variant"], []).append(v * 1000)
    if not by_variant:
        return None
    fig, axes = plt.subplots(len(by_variant), 1, figsize=(7, 1.6 * len(by_variant) + 0.6), squeeze=False, sharex=True)
    for ax, (name, vals) in zip(axes[:, 0], by_variant.items()):
        ax.hist(vals, bins=20, color="#4a7ab5")
        ax.set_ylabel(name, rotation=0, ha="right", fontsize=8)
    axes[-1, 0].set_xlabel(f"{stage} (ms)")
    fig.suptitle(f"Svartider: {stage}")
    return to_png(fig)


def delta_bars(deltas: dict[str, dict[str, float]]) -> bytes:
    """Differences NEW - OLD per variant and metric (percentage points)."""
    plt = _pyplot()
    names = list(deltas)
    metrics = sorted({m for d in deltas.values() for m in d})
    fig, ax = plt.subplots(figsize=(max(6.0, 0.9 * len(metrics) + 2), 4))
    width = 0.8 / max(1, len(names))
    for i, name in enumerate(names):
        xs = [j + i * width - 0.4 + width / 2 for j, m in enumerate(metrics) if m in deltas[name]]
        ys = [deltas[name][m] * 100 for m in metrics if m in deltas[name]]
        ax.bar(xs, ys, width, label=name)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(range(len(metrics)))
    ax.set_xticklabels(metrics, rotation=30, ha="right")
    ax.set_ylabel("ændring (procentpoint)")
    ax.set_title("Ny minus gammel")
    ax.legend(fontsize=8)
    return to_png(fig)
