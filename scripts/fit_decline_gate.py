#!/usr/bin/env python
"""Refit the calibrated decline decision (service/answering/decision.py) and print its cross-validated figures.

    export PYTHONPATH=$PWD HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False
    export ALMEN_HOME=/tmp/some-home      # after: almen ingest --builtin --samples
    python scripts/fit_decline_gate.py --collect signals.jsonl     # run the pipeline, record the signals
    python scripts/fit_decline_gate.py signals.jsonl               # fit, leave one set out, print constants

Collecting runs the real assistant (hybrid retrieval, extractive answers) on every question of the spent sets
and records the signals the decision reads (``Answer.decision``) with the dataset's 'answerable'. Questions the
decision did not see (the register or the version records answered, or a hard decline: a task, a neighbouring
field, nothing retrieved, nothing to quote) are recorded with their outcome and counted in the figures as
they are decided today.

Fitting: logistic regression with an L2 penalty (plain gradient descent, fixed start, so it is deterministic);
the threshold maximises the declined share of the training questions to decline minus ``FALSE_DECLINE_COST``
times the declined share of the answerable ones (a wrong no counts double). Leave one set out: fit on nine sets, decide the tenth; the table gives per held-out set
the false declines (answerable questions declined) and the declined share of the questions to decline, for
the rule gate (a decline when any signal's rule fires, the old behaviour) and the fitted decision.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETS = ("dev", "caseworker-tune", "caseworker-frozen", "caseworker3-tune", "caseworker3-frozen", "caseworker4-tune",
        "caseworker4-frozen", "declines-extra-tune", "declines-extra-frozen", "declines-round3")
RULE_SIGNALS = ("weak", "off_topic", "composer_declined", "demand_unmet")
L2 = 1.0
STEPS = 4000
RATE = 0.5


def collect(out: Path) -> None:
    from eval.datasets import load_cases
    from eval.variants import to_search_filters
    from service import assistant
    from service.cli.common import get_settings, open_kb

    settings = get_settings()
    kb = open_kb(settings)
    with out.open("w", encoding="utf-8") as fh:
        for name in SETS:
            for case in load_cases(ROOT / "eval" / "datasets" / f"{name}.jsonl"):
                # As the eval asks: the case's history and filters (a question about one document is filtered).
                answer = assistant.answer(case.question, kb=kb, settings=settings, history=case.history or None,
                                          filters=to_search_filters(case.filters))
                row = {"set": name, "id": case.id, "answerable": bool(case.answerable), "kind": case.kind,
                       "abstained": answer.abstained, "reason": answer.reason,
                       "signals": {k: v for k, v in answer.decision.items() if k != "p_decline"}}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {out}")


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def fit(rows: list[dict[str, Any]], names: list[str]) -> tuple[dict[str, float], float]:
    """Weights and bias of an L2-penalised logistic regression; label 1 = should be declined."""
    import numpy as np

    x = np.array([[r["signals"].get(k, 0.0) for k in names] for r in rows], dtype=float)
    y = np.array([0.0 if r["answerable"] else 1.0 for r in rows])
    w = np.zeros(len(names))
    b = 0.0
    n = len(rows)
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        err = p - y
        w -= RATE * (x.T @ err / n + L2 * w / n)
        b -= RATE * float(err.sum()) / n
    return {k: float(v) for k, v in zip(names, w, strict=True)}, b


def probability(r: dict[str, Any], w: dict[str, float], b: float) -> float:
    return _sigmoid(b + sum(w[k] * r["signals"].get(k, 0.0) for k in w))


def threshold(rows: list[dict[str, Any]], w: dict[str, float], b: float, cost: float) -> float:
    """The threshold that maximises, on ``rows``, the declined share of the questions to decline minus ``cost``
    times the declined share of the answerable ones (the lowest such threshold on ties)."""
    ans = [probability(r, w, b) for r in rows if r["answerable"]]
    neg = [probability(r, w, b) for r in rows if not r["answerable"]]
    best, best_t = -math.inf, 0.5
    for t in sorted(set(ans + neg)):
        gain = sum(p >= t for p in neg) / max(1, len(neg)) - cost * sum(p >= t for p in ans) / max(1, len(ans))
        if gain > best + 1e-12:
            best, best_t = gain, t
    return best_t


def declined(r: dict[str, Any], decide: Any) -> bool:
    """How the question ends: decided by ``decide`` when the decision saw it, else as it was."""
    if not r["signals"]:
        return bool(r["abstained"])
    return bool(decide(r))


def figures(rows: list[dict[str, Any]], decide: Any) -> tuple[float, float, int, int]:
    ans = [r for r in rows if r["answerable"]]
    neg = [r for r in rows if not r["answerable"]]
    fd = sum(declined(r, decide) for r in ans)
    dn = sum(declined(r, decide) for r in neg)
    return (fd / len(ans) if ans else 0.0, dn / len(neg) if neg else float("nan"), len(ans), len(neg))


def rule_gate(r: dict[str, Any]) -> bool:
    return any(r["signals"].get(k, 0.0) >= 1.0 for k in RULE_SIGNALS)


def main() -> None:
    from service.answering.decision import FALSE_DECLINE_COST, GateSignals

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("signals", type=Path)
    p.add_argument("--collect", action="store_true", help="run the pipeline and write the signals file")
    args = p.parse_args()
    if args.collect:
        collect(args.signals)
        return
    rows = [json.loads(line) for line in args.signals.read_text(encoding="utf-8").splitlines() if line.strip()]
    names = list(GateSignals().as_dict())
    seen = [r for r in rows if r["signals"]]
    print(f"{len(rows)} questions, {len(seen)} reach the decision ({sum(not r['answerable'] for r in seen)} to decline)")
    print("\nleave one set out (fit on the other nine; false declines / declined of those to decline):")
    print("| held-out set | n answerable / to decline | rule gate | calibrated |")
    print("|---|---|---|---|")
    totals = {"rule": [0, 0], "cal": [0, 0]}
    n_ans = n_neg = 0
    for held in SETS:
        train = [r for r in seen if r["set"] != held]
        test = [r for r in rows if r["set"] == held]
        w, b = fit(train, names)
        t = threshold(train, w, b, FALSE_DECLINE_COST)
        rule = figures(test, rule_gate)
        cal = figures(test, lambda r, w=w, b=b, t=t: probability(r, w, b) >= t)
        n_ans += rule[2]
        n_neg += rule[3]
        for key, f in (("rule", rule), ("cal", cal)):
            totals[key][0] += round(f[0] * f[2])
            totals[key][1] += 0 if math.isnan(f[1]) else round(f[1] * f[3])
        neg = lambda f: "–" if math.isnan(f[1]) else f"{100 * f[1]:.1f} %"  # noqa: E731
        print(f"| {held} | {rule[2]} / {rule[3]} | {100 * rule[0]:.1f} % / {neg(rule)} | "
              f"{100 * cal[0]:.1f} % / {neg(cal)} |")
    print(f"| all (pooled) | {n_ans} / {n_neg} | {100 * totals['rule'][0] / n_ans:.1f} % / "
          f"{100 * totals['rule'][1] / n_neg:.1f} % | {100 * totals['cal'][0] / n_ans:.1f} % / "
          f"{100 * totals['cal'][1] / n_neg:.1f} % |")
    w, b = fit(seen, names)
    t = threshold(seen, w, b, FALSE_DECLINE_COST)
    print("\nconstants fitted on all ten sets (paste into service/answering/decision.py):")
    print(f"BIAS = {b:.3f}")
    print("WEIGHTS: dict[str, float] = {")
    for k in names:
        print(f'    "{k}": {w[k]:.3f},')
    print("}")
    print(f"THRESHOLD = {t:.3f}")


if __name__ == "__main__":
    main()
