"""The regression gate: headline metrics must stay at or above the thresholds kept in eval/thresholds.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from eval.errors import EvalError

THRESHOLDS_PATH = Path(__file__).resolve().parent / "thresholds.yaml"
LOWER_IS_BETTER = frozenset({"unsupported_rate", "false_abstention_rate", "answer_words_median"})


def load_thresholds(path: Path = THRESHOLDS_PATH) -> dict[str, dict[str, dict[str, float]]]:
    """{dataset: {variant: {metric: threshold}}} from the YAML file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise EvalError(f"Kan ikke læse tærsklerne i '{path}': {exc}.") from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise EvalError(f"'{path}' skal have formen datasæt -> variant -> nøgletal: tærskel.")
    return data


def check_thresholds(variants: dict[str, Any], thresholds: dict[str, dict[str, float]]) -> list[str]:
    """Danish descriptions of every metric below its floor (or above its ceiling for error rates)."""
    failures: list[str] = []
    for variant, floors in thresholds.items():
        summary = variants.get(variant)
        if summary is None:
            failures.append(f"varianten '{variant}' mangler i kørslen")
            continue
        if summary["overall"]["errors"]:
            failures.append(f"{variant}: {summary['overall']['errors']} spørgsmål fejlede")
        metrics = summary["overall"]["metrics"]
        for metric, limit in floors.items():
            value = metrics.get(metric)
            if value is None:
                failures.append(f"{variant}: {metric} blev ikke målt")
            elif metric in LOWER_IS_BETTER and value > limit:
                failures.append(f"{variant}: {metric} = {value:.3f} er over loftet {limit:.3f}")
            elif metric not in LOWER_IS_BETTER and value < limit:
                failures.append(f"{variant}: {metric} = {value:.3f} er under tærsklen {limit:.3f}")
    return failures
