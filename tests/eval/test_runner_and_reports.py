"""The runner on the smoke set in-process (fake embeddings, real Chroma), and the report files it writes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from eval.compare import compare_reports, delta_plot
from eval.datasets import load_cases
from eval.formatting import worst_cases
from eval.report import build_report, load_report, write_reports
from eval.runner import SearchOutcome, Variant, run_evaluation
from eval.variants import build_variants, check_names, kb_search_fn, to_search_filters
from eval.errors import EvalError, ReportError
from knowledge.kb import KnowledgeBase
from tests.eval.conftest import fake_answer


@pytest.fixture(scope="module")
def smoke_report(corpus_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> dict:
    cases = load_cases("smoke")
    variants = build_variants(corpus_kb, ["hybrid", "lexical-only"], workdir=tmp_path_factory.mktemp("work"),
                              answer_factory=fake_answer)
    progress: list[tuple[int, int]] = []
    run = run_evaluation(cases, variants, on_progress=lambda d, t, c, v: progress.append((d, t)))
    assert progress[-1] == (len(cases) * 2, len(cases) * 2)
    return build_report(run, dataset_name="smoke", config={"mode": "in-process"})


def test_runner_measures_every_case_of_every_variant(smoke_report: dict) -> None:
    assert set(smoke_report["variants"]) == {"hybrid", "lexical-only"}
    assert len(smoke_report["results"]) == 2 * len(smoke_report["cases"])
    hybrid = smoke_report["variants"]["hybrid"]["overall"]
    assert hybrid["errors"] == 0 and hybrid["n"] == 10
    m = hybrid["metrics"]
    assert 0.5 <= m["any_hit@5"] <= 1.0 and 0 < m["fact_mrr"] <= 1.0
    assert m["citation_precision"] == 1.0 and "fact_coverage" in m and "abstention_recall" in m
    assert "any_hit@5" in hybrid["ci"] and hybrid["ci"]["any_hit@5"][0] <= m["any_hit@5"] <= hybrid["ci"]["any_hit@5"][1]
    lat = smoke_report["variants"]["hybrid"]["latency"]
    assert {"e2e", "search.total", "search.lexical", "answer.total"} <= set(lat) and lat["e2e"]["p95"] >= lat["e2e"]["p50"]
    assert "search.dense" not in smoke_report["variants"]["lexical-only"]["latency"]
    assert "tilsyn" in smoke_report["variants"]["hybrid"]["topics"]


def test_a_failing_case_is_recorded_and_the_run_goes_on() -> None:
    cases = load_cases("smoke")[:3]

    def search(query: str, k: int, filters: dict) -> SearchOutcome:
        if "dokumentationspakken" in query:
            raise RuntimeError("indeks utilgængeligt")
        return SearchOutcome([])

    run = run_evaluation(cases, [Variant("skrøbelig", search)])
    errors = [r for r in run.results if r.error]
    assert len(run.results) == 3 and len(errors) == 1 and "indeks utilgængeligt" in errors[0].error
    assert run.results[2].metrics["any_hit@5"] == 0.0


def test_report_files_are_written_and_the_html_holds_the_plots(smoke_report: dict, out_dir: Path) -> None:
    paths = write_reports(smoke_report, out_dir)
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["kind"] == "almen-eval" and data["metric_docs"]["fact_rule"]
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "## Hovedtal pr. variant" in md and "| hybrid |" in md and "Svageste svar" in md
    html = paths["html"].read_text(encoding="utf-8")
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) >= 3 and all(len(i) > 1000 for i in images)  # bars, heat map(s), latency histogram
    assert "Svageste svar" in html and "<script" not in html and "http" not in html.split("<body>")[0]
    assert load_report(paths["json"])["dataset"]["name"] == "smoke"


def test_worst_cases_put_wrong_abstentions_and_low_coverage_first(smoke_report: dict) -> None:
    worst = worst_cases(smoke_report, "hybrid", n=10)
    assert worst and worst[0]["case"]["question"]
    cov = [r["metrics"].get("fact_coverage") for r in worst if r["metrics"].get("fact_coverage") is not None]
    assert cov == sorted(cov) or any(bool(r["metrics"].get("abstained")) == r["answerable"] for r in worst)


def test_compare_reports_shows_differences(smoke_report: dict, tmp_path: Path) -> None:
    worse = json.loads(json.dumps(smoke_report))
    worse["variants"]["hybrid"]["overall"]["metrics"]["any_hit@5"] -= 0.2
    deltas = {(d.variant, d.metric): d for d in compare_reports(worse, smoke_report)}
    assert deltas[("hybrid", "any_hit@5")].delta == pytest.approx(0.2)
    assert deltas[("lexical-only", "any_hit@5")].delta == 0.0
    assert delta_plot(list(deltas.values())).startswith(b"\x89PNG")
    bad = tmp_path / "x.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(ReportError):
        load_report(bad)


def test_variant_helpers(corpus_kb: KnowledgeBase) -> None:
    with pytest.raises(EvalError, match="Ukendt variant: turbo"):
        check_names(["hybrid", "turbo"])
    f = to_search_filters({"kind": "vejledning", "year": "2024", "on_date": "2024-01-01"})
    assert f is not None and f.kind == "vejledning" and f.year == 2024 and f.on_date.isoformat() == "2024-01-01"
    outcome = kb_search_fn(corpus_kb)("Hvem fører tilsyn med boligorganisationerne?", 5, {})
    assert 0 < len(outcome.chunks) <= 5 and "total" in outcome.timings
