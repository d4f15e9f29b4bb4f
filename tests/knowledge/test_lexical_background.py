"""A big lexical index is rebuilt in the background after a write; searches meanwhile use the previous
generation (never showing a deleted document) instead of waiting; small indexes are rebuilt on the spot."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from ingest.pipeline import ingest_file, remove_source
from knowledge import lexical
from knowledge.kb import KnowledgeBase
from knowledge.retriever import HybridSearcher, RetrievalOptions


def note(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(f"# {name}\n\n{text}\n", encoding="utf-8")
    return path


@pytest.fixture
def kb_with_notes(fake_kb: KnowledgeBase, tmp_path: Path) -> KnowledgeBase:
    ingest_file(fake_kb, note(tmp_path, "tryghed", "Tryghedsvandringen i Solbakken holdes hver maaned."), source_id="tryghed")
    ingest_file(fake_kb, note(tmp_path, "husleje", "Huslejen i Egeparken stiger med 2 procent."), source_id="husleje")
    fake_kb.search("husleje")  # the index is loaded
    return fake_kb


def lexical_ids(kb: KnowledgeBase, query: str) -> set[str]:
    searcher = HybridSearcher(store=kb.store, lexical=kb.lexical, embeddings=kb.embeddings, expander=kb.expander,
                              options=RetrievalOptions(dense=False, legal=False, synonyms=False))
    return {h.chunk.source_id for h in searcher.search(query, k=5).hits}


def test_a_small_index_is_rebuilt_before_the_search(kb_with_notes: KnowledgeBase, tmp_path: Path) -> None:
    kb = kb_with_notes
    assert kb.lexical.chunk_count < lexical.BACKGROUND_BUILD_CHUNKS
    ingest_file(kb, note(tmp_path, "skimmel", "Skimmelsvamp i Rosenhaven udbedres i 2026."), source_id="skimmel")
    assert "skimmel" in lexical_ids(kb, "skimmelsvamp Rosenhaven")
    assert kb.lexical.generation == kb.store.generation()


def test_a_slow_index_is_rebuilt_in_the_background(kb_with_notes: KnowledgeBase, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    kb = kb_with_notes
    monkeypatch.setattr(lexical, "BACKGROUND_BUILD_CHUNKS", 1)  # as if the index were big
    old_generation = kb.lexical.generation
    release = threading.Event()
    real_build = lexical.LexicalIndex._build

    def slow_build(self, store, gen):  # type: ignore[no-untyped-def]
        assert release.wait(30), "the test never released the build"
        real_build(self, store, gen)

    monkeypatch.setattr(lexical.LexicalIndex, "_build", slow_build)
    monkeypatch.setattr(lexical.LexicalIndex, "_load", lambda self, gen: False)
    assert remove_source(kb, "husleje")
    ingest_file(kb, note(tmp_path, "skimmel", "Skimmelsvamp i Rosenhaven udbedres i 2026."), source_id="skimmel")

    # The build is blocked, yet searches answer: from the previous generation, without the deleted note.
    assert "husleje" not in lexical_ids(kb, "huslejen Egeparken stiger")
    assert "tryghed" in lexical_ids(kb, "tryghedsvandringen Solbakken")
    assert kb.lexical.generation == old_generation
    assert any(h.chunk.source_id == "skimmel" for h in kb.search("Skimmelsvamp i Rosenhaven").hits)  # dense finds it

    release.set()
    kb.lexical.wait_for_background(30)
    assert kb.lexical.generation == kb.store.generation()
    assert "skimmel" in lexical_ids(kb, "skimmelsvamp Rosenhaven")


def test_without_any_index_the_first_search_waits_for_the_build(fake_kb: KnowledgeBase, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_file(fake_kb, note(tmp_path, "tryghed", "Tryghedsvandringen i Solbakken."), source_id="tryghed")
    monkeypatch.setattr(lexical, "BACKGROUND_BUILD_CHUNKS", 0)
    assert fake_kb.lexical.generation is None
    assert "tryghed" in lexical_ids(fake_kb, "tryghedsvandringen")
