"""Fixtures of the eval tests: the built-in corpus with fake embeddings, and a deterministic answer function."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eval.datasets import Case
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.search_types import Searcher


@pytest.fixture(scope="module")
def corpus_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The built-in corpus ingested with the deterministic fake embeddings (real Chroma in a temp dir)."""
    from ingest.builtin import ensure_builtin

    kb = KnowledgeBase(Settings(home=tmp_path_factory.mktemp("eval-kb"), embedding_backend="fake"))
    report = ensure_builtin(kb)
    assert report is not None and not report.failed
    return kb


def fake_answer(searcher: Searcher) -> Any:
    """An answer function in the shape of Answer.to_dict(): the best hit's first 300 characters, cited as [1]."""

    def answer(case: Case) -> dict[str, Any]:
        result = searcher.search(case.question, k=3)
        if not result.relevant or not result.hits:
            return {"text": "Det kan jeg ikke svare sikkert på.", "citations": [], "abstained": True, "timings": {"total": 0.001}}
        top = result.hits[0].chunk
        return {
            "text": top.text[:300] + " [1]",
            "citations": [{"n": 1, "chunk_id": top.id, "label": top.citation_label(), "legal_label": top.legal_label,
                           "verified": True}],
            "abstained": False,
            "verdicts": [{"sentence": top.text[:300], "supported": True, "kind": "claim"}],
            "timings": {"retrieve": result.timings.get("total", 0.0), "total": result.timings.get("total", 0.0)},
        }

    return answer


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "rapport"
