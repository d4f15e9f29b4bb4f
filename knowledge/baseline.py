"""A plain Chroma collection with library defaults, for baselines and benchmarks.

The "LangChain default" baseline in eval/ stores its chunks here: one collection, Chroma's
default distance, no source records, no versioning, no lexical index. Chroma itself is only
reached through ``knowledge.store``'s client helper, so chromadb stays in the store module.
"""

from __future__ import annotations

from typing import Any

from knowledge.config import Settings
from knowledge.errors import StoreError
from knowledge.store import _client
from knowledge.types import Chunk

_BATCH = 1000


class PlainCollection:
    """Chunks with their vectors in one Chroma collection (created with the library's defaults)."""

    def __init__(self, settings: Settings, name: str = "baseline") -> None:
        self._client = _client(settings)
        try:
            # embedding_function=None: vectors always come from us; Chroma must never load its own model.
            self._col = self._client.get_or_create_collection(name, embedding_function=None)
        except Exception as exc:  # noqa: BLE001
            raise StoreError(f"Kan ikke åbne samlingen '{name}': {exc}") from exc

    def add(self, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        """Upsert chunks with their vectors (batched)."""
        if len(chunks) != len(vectors):
            raise StoreError("Intern fejl: antallet af vektorer passer ikke til antallet af tekststykker.")
        for i in range(0, len(chunks), _BATCH):
            part = chunks[i : i + _BATCH]
            self._col.upsert(
                ids=[c.id for c in part], embeddings=vectors[i : i + _BATCH], documents=[c.text for c in part],
                metadatas=[c.metadata or {"source_id": c.source_id} for c in part],
            )

    def query(self, vector: list[float], k: int) -> list[tuple[Chunk, float]]:
        """The k nearest chunks with their distance (Chroma's default metric)."""
        total = self._col.count()
        if total == 0:
            return []
        got: dict[str, Any] = self._col.query(query_embeddings=[vector], n_results=min(k, total),
                                              include=["documents", "metadatas", "distances"])
        out: list[tuple[Chunk, float]] = []
        for cid, doc, meta, dist in zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0]):
            meta = dict(meta or {})
            out.append((Chunk(id=cid, source_id=str(meta.get("source_id", "")), text=doc or "", metadata=meta), float(dist)))
        return out

    def count(self) -> int:
        return self._col.count()

    def delete_all(self) -> None:
        """Remove every chunk (the collection stays)."""
        ids = self._col.get(include=[])["ids"]
        for i in range(0, len(ids), _BATCH):
            self._col.delete(ids=ids[i : i + _BATCH])
