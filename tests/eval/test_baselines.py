"""The "LangChain default" baseline and the sentence-transformers variant, on a few corpus files with the real
bundled MiniLM model (small enough to stay fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.baseline import BASELINE_K, CHUNK_OVERLAP, CHUNK_SIZE, LangChainDefaultBaseline
from eval.datasets import load_cases
from eval.runner import run_evaluation
from eval.variants import build_baseline_variant, build_st_variant
from knowledge.embeddings import FakeEmbeddings, SentenceTransformerEmbeddings

CORPUS = Path(__file__).resolve().parents[2] / "knowledge" / "corpus"
FILES = [CORPUS / "tilsyn.md", CORPUS / "dokumentationspakken.md"]


def test_baseline_splits_with_library_defaults_and_returns_top_4(tmp_path: Path) -> None:
    baseline = LangChainDefaultBaseline(tmp_path, FakeEmbeddings())
    assert (baseline.splitter._chunk_size, baseline.splitter._chunk_overlap) == (CHUNK_SIZE, CHUNK_OVERLAP) == (1000, 200)
    stats = baseline.build(FILES)
    assert stats.files == 2 and stats.chunks == baseline.collection.count() > 4
    chunks = baseline.split(FILES)
    assert all(len(c.text) <= 1000 for c in chunks) and chunks[0].text.startswith("---")  # front matter kept, as TextLoader does
    hits, timings = baseline.search("Hvem fører tilsyn med boligorganisationerne?")
    assert len(hits) == BASELINE_K and {"embed", "dense", "total"} <= set(timings)
    assert baseline.build(FILES).chunks == stats.chunks and baseline.collection.count() == stats.chunks  # upsert, no duplicates


def test_baseline_variant_is_measured_with_the_retrieval_metrics(tmp_path: Path) -> None:
    variant = build_baseline_variant(tmp_path, FILES)
    assert variant.answer is None and "tekststykker" in variant.notes[0]
    cases = [c for c in load_cases("dev") if c.id in ("q002", "q005")]
    run = run_evaluation(cases, [variant])
    assert all(not r.error for r in run.results)
    assert all(len(r.retrieved) == 4 for r in run.results) and all("any_hit@5" in r.metrics for r in run.results)


def test_sentence_transformers_variant_builds_its_own_store(tmp_path: Path) -> None:
    from ingest.pipeline import ingest_file

    ingested: list[str] = []

    def ingest_one(kb) -> None:  # type: ignore[no-untyped-def]
        ingested.append(kb.embeddings.model_id)
        assert ingest_file(kb, FILES[0], id_prefix="builtin", builtin=True).status == "added"

    variant = build_st_variant(tmp_path / "st", answer_factory=None, ingest_builtin=ingest_one)
    assert ingested == [SentenceTransformerEmbeddings().model_id]
    outcome = variant.search("Hvem fører tilsyn med boligorganisationerne?", 5, {})
    assert outcome.chunks and all(c.source_id == "builtin-tilsyn" for c in outcome.chunks)
    assert (tmp_path / "st" / "chroma").is_dir()


def test_variants_without_what_they_need_fail_clearly(tmp_path: Path) -> None:
    from eval.errors import EvalError

    with pytest.raises(EvalError, match="korpusfilerne"):
        build_baseline_variant(tmp_path, [])
    with pytest.raises(EvalError, match="ingest-funktion"):
        build_st_variant(tmp_path, answer_factory=None, ingest_builtin=None)
