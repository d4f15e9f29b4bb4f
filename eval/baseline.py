"""The "LangChain default" baseline: what a newcomer builds from library defaults.

RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200) over the raw text of the same
corpus files, all-MiniLM-L6-v2 embeddings (the bundled model), one Chroma collection with its
default settings, top-4 similarity search. No Danish handling, no legal references, no keyword
search, no change detection. Measured with the same retrieval metrics as almen.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from knowledge.baseline import PlainCollection
from knowledge.config import Settings
from knowledge.types import Chunk

BASELINE_K = 4
CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200


def read_text(path: Path) -> str:
    """How a newcomer loads a text file: the whole file as it is (like LangChain's TextLoader)."""
    return path.read_text(encoding="utf-8", errors="replace")


@dataclass
class BuildStats:
    """What building the baseline index cost."""

    files: int = 0
    chunks: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0


class LangChainDefaultBaseline:
    """Split, embed and store files with library defaults; search the top 4 by vector similarity."""

    def __init__(self, home: Path, embeddings: Embeddings, *, name: str = "langchain_default") -> None:
        self.embeddings = embeddings
        self.splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        self.collection = PlainCollection(Settings(home=home, embedding_backend="fake"), name=name)

    def split(self, files: Iterable[Path], load_text: Callable[[Path], str] = read_text) -> list[Chunk]:
        """Chunks of the files, ids '<file name>:<n>'."""
        chunks: list[Chunk] = []
        for path in files:
            for i, piece in enumerate(self.splitter.split_text(load_text(path))):
                chunks.append(Chunk(id=f"{path.name}:{i}", source_id=path.name, text=piece,
                                    metadata={"source": str(path), "source_id": path.name}))
        return chunks

    def build(self, files: Iterable[Path], load_text: Callable[[Path], str] = read_text) -> BuildStats:
        """Index the files (every run embeds everything again: the default pipeline has no change detection)."""
        files = list(files)
        t0 = time.perf_counter()
        chunks = self.split(files, load_text)
        t = time.perf_counter()
        vectors = self.embeddings.embed_documents([c.text for c in chunks]) if chunks else []
        embed_seconds = time.perf_counter() - t
        self.collection.add(chunks, vectors)
        return BuildStats(len(files), len(chunks), time.perf_counter() - t0, embed_seconds)

    def search(self, query: str, k: int = BASELINE_K) -> tuple[list[Chunk], dict[str, float]]:
        """Top-k chunks by vector similarity and the stage timings (seconds)."""
        t = time.perf_counter()
        vec = self.embeddings.embed_query(query)
        t_embed = time.perf_counter() - t
        t = time.perf_counter()
        hits = [c for c, _ in self.collection.query(vec, k)]
        t_dense = time.perf_counter() - t
        return hits, {"embed": t_embed, "dense": t_dense, "total": t_embed + t_dense}
