"""Lexical search: a bm25s index over stemmed Danish terms, derived from the store.

The index is persisted under the data directory, tagged with the store generation it was built
from; it is reloaded or rebuilt whenever the store's generation changes, so every worker sees
the same state. It also keeps the map from canonical legal ids to chunk ids.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from knowledge.text import content_terms
from knowledge.types import DOCUMENT_TEXT_KEY, Chunk

if TYPE_CHECKING:
    from knowledge.store import ChunkStore

log = logging.getLogger(__name__)
# A search that finds the index one generation behind rebuilds it in the background (and searches the
# previous generation meanwhile) when the index holds at least this many chunks (measured: 10k chunks take
# ~2-3 s to read and index, 100k ~25 s); smaller indexes are rebuilt on the spot, so they are always exact.
BACKGROUND_BUILD_CHUNKS = 5000


def index_text(chunk: Chunk) -> str:
    """The text a chunk is found by: title, heading path, legal label and body."""
    m = chunk.metadata
    parts = [str(m.get("title", "")), str(m.get("heading", "")), str(m.get("legal_label", "")), chunk.text]
    return "\n".join(p for p in parts if p)


def index_terms(chunk: Chunk) -> list[str]:
    """The stemmed terms a chunk is found by. A chunk that stores a table's rows with their column names counts
    the document as printed (the header once) plus each term only the labelled rows add once: a column name
    repeated on every row is no sign the chunk is more about it than the page that prints it once."""
    own = chunk.metadata.get(DOCUMENT_TEXT_KEY)
    if own is None:
        return content_terms(index_text(chunk))
    m = chunk.metadata
    head = "\n".join(str(m.get(k, "")) for k in ("title", "heading", "legal_label") if m.get(k))
    printed = content_terms(f"{head}\n{own}")
    seen = set(printed)
    return printed + list(dict.fromkeys(t for t in content_terms(chunk.text) if t not in seen))


class LexicalIndex:
    """BM25 over active chunks plus a legal-id lookup, rebuilt on store generation change."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self.generation: str | None = None
        self._bm25 = None
        self.ids: list[str] = []
        self.legal: dict[str, list[str]] = {}
        self.chunk_count = 0
        # What search() uses, replaced in one assignment: a search running while another thread swaps
        # in a new generation keeps scores and ids of the same index (else: wrong ids, IndexError).
        self._searchable: tuple[object, list[str]] = (None, [])
        self._background: threading.Thread | None = None
        self._background_lock = threading.Lock()

    # -- lifecycle --------------------------------------------------------------------------
    def ensure(self, store: "ChunkStore", generation: str | None = None, *, wait: bool = True) -> None:
        """Make the index match the store's current generation (load from disk or rebuild).
        ``generation``: the caller's fresh reading of it, saving a second read.

        ``wait=False`` (searches): when a big index is loaded (``BACKGROUND_BUILD_CHUNKS``; 10k chunks take
        ~2-3 s to rebuild), the rebuild runs on a background thread and
        the caller searches the previous generation meanwhile, instead of every search after a write
        waiting for it. The caller judges hits by its own snapshot of the active documents, so a stale
        index can miss a new document for those seconds (dense search still finds it) but never shows
        a deleted or replaced one."""
        gen = store.generation() if generation is None else generation
        if gen == self.generation:
            return
        if not wait and self.generation is not None and self.chunk_count >= BACKGROUND_BUILD_CHUNKS:
            self._rebuild_in_background(store)
            return
        with self._lock:
            if gen == self.generation:
                return
            if not self._load(gen):
                self._build(store, gen)

    def _rebuild_in_background(self, store: "ChunkStore") -> None:
        with self._background_lock:
            if self._background is not None and self._background.is_alive():
                return
            self._background = threading.Thread(target=self._background_ensure, args=(store,),
                                                name="almen-lexical-rebuild", daemon=True)
            self._background.start()

    def _background_ensure(self, store: "ChunkStore") -> None:
        try:
            self.ensure(store)
        except Exception:  # noqa: BLE001 - the next search tries again (or waits, if no index is loaded)
            log.exception("Nøgleordsindekset kunne ikke genopbygges i baggrunden")

    def wait_for_background(self, timeout: float | None = None) -> None:
        """Block until a background rebuild (if any) has finished (tests, orderly shutdown)."""
        thread = self._background
        if thread is not None:
            thread.join(timeout)

    def _build(self, store: "ChunkStore", gen: str) -> None:
        chunks = list(store.iter_active_chunks())
        self._set(gen, [c.id for c in chunks], [index_terms(c) for c in chunks], _legal_map(chunks))
        try:
            self._save()
        except OSError:  # another worker saving or pruning the same folder: the index in memory is good
            pass

    def _set(self, gen: str, ids: list[str], corpus: list[list[str]], legal: dict[str, list[str]]) -> None:
        import bm25s

        bm25 = None
        if ids:
            bm25 = bm25s.BM25()
            bm25.index([terms or ["<tom>"] for terms in corpus], show_progress=False)
        self._searchable = (bm25, ids)
        self._bm25, self.ids, self.legal, self.generation = bm25, ids, legal, gen
        self.chunk_count = len(ids)

    def _save(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.directory))
        try:
            if self._bm25 is not None:
                self._bm25.save(str(tmp / "bm25"), show_progress=False)
            (tmp / "meta.json").write_text(
                json.dumps({"generation": self.generation, "ids": self.ids, "legal": self.legal}), encoding="utf-8"
            )
            final = self.directory / f"gen-{self.generation}"
            if final.exists():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.rename(final)
            pointer = self.directory / f".current-{uuid.uuid4().hex}"  # unique: workers save side by side
            pointer.write_text(str(self.generation), encoding="utf-8")
            pointer.replace(self.directory / "current")
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        for old in self.directory.glob("gen-*"):
            if old.name != f"gen-{self.generation}":
                shutil.rmtree(old, ignore_errors=True)

    def _load(self, gen: str) -> bool:
        folder = self.directory / f"gen-{gen}"
        meta_file = folder / "meta.json"
        if not meta_file.exists():
            return False
        try:
            import bm25s

            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False) if meta["ids"] else None
        except Exception:  # noqa: BLE001 - a damaged index is rebuilt
            return False
        self._searchable = (bm25, meta["ids"])
        self._bm25, self.ids, self.legal, self.generation = bm25, meta["ids"], meta["legal"], gen
        self.chunk_count = len(self.ids)
        return True

    # -- queries ----------------------------------------------------------------------------
    def search(self, terms: list[str], n: int) -> list[tuple[str, float]]:
        """Top-n chunk ids by BM25 for stemmed query terms (score > 0 only)."""
        bm25, ids = self._searchable
        if bm25 is None or not terms:
            return []
        scores = bm25.get_scores(terms)  # type: ignore[attr-defined]
        if not len(scores):
            return []
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [(ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def legal_lookup(self, canonical_id: str) -> list[str]:
        """Chunk ids whose legal references equal or lie within ``canonical_id``."""
        out: list[str] = []
        prefix = canonical_id + ":"
        for lid, cids in self.legal.items():
            if lid == canonical_id or lid.startswith(prefix):
                out.extend(cids)
        return list(dict.fromkeys(out))


def _legal_map(chunks: list[Chunk]) -> dict[str, list[str]]:
    legal: dict[str, list[str]] = {}
    for c in chunks:
        ids = set(str(c.metadata.get("legal_refs", "")).split())
        if c.metadata.get("legal_id"):
            ids.add(str(c.metadata["legal_id"]))
        for lid in ids:
            legal.setdefault(lid, []).append(c.id)
    return legal
