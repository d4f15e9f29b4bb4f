"""The knowledge base facade: store + lexical index + embeddings + search, built from Settings."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from knowledge.config import Settings
from knowledge.embeddings import AlmenEmbeddings, EmbeddingCache, get_embeddings
from knowledge.glossary import SynonymExpander, load_glossary
from knowledge.lexical import LexicalIndex
from knowledge.retriever import HybridSearcher, RetrievalOptions
from knowledge.search_types import SearchFilters, SearchResult
from knowledge.sentences import quotable_sentences
from knowledge.store import ChunkStore
from knowledge.types import Chunk

if TYPE_CHECKING:
    from knowledge.langchain_retriever import AlmenRetriever


class KnowledgeBase:
    """Opens the configured store and exposes search. Cheap to construct; heavy parts load lazily."""

    def __init__(self, settings: Settings, *, embeddings: AlmenEmbeddings | None = None,
                 options: RetrievalOptions | None = None) -> None:
        self.settings = settings
        self.embeddings = embeddings or get_embeddings(settings)
        self.options = options or RetrievalOptions()

    @cached_property
    def store(self) -> ChunkStore:
        return ChunkStore(self.settings, model_id=self.embeddings.model_id)

    @cached_property
    def lexical(self) -> LexicalIndex:
        sub = self.settings.collection + ("-" + _slug(self.settings.chroma_url) if self.settings.chroma_url else "")
        return LexicalIndex(self.settings.lexical_dir / sub)

    @cached_property
    def cache(self) -> EmbeddingCache:
        return EmbeddingCache(self.settings.embedding_cache_path)

    @cached_property
    def expander(self) -> SynonymExpander:
        return SynonymExpander(load_glossary())

    @cached_property
    def searcher(self) -> HybridSearcher:
        """The hybrid search over this knowledge base's parts (it owns its query-embedding threads)."""
        return HybridSearcher(store=self.store, lexical=self.lexical, embeddings=self.embeddings,
                              expander=self.expander, options=self.options,
                              min_relevance=self.settings.min_relevance)

    def close(self) -> None:
        """Release what searching holds (the query-embedding threads); the knowledge base stays usable."""
        searcher = self.__dict__.get("searcher")
        if searcher is not None:
            searcher.close()

    def with_options(self, options: RetrievalOptions) -> "KnowledgeBase":
        """A view of the same store with other retrieval options (for eval variants)."""
        other = KnowledgeBase(self.settings, embeddings=self.embeddings, options=options)
        other.__dict__["store"] = self.store
        other.__dict__["lexical"] = self.lexical
        other.__dict__["cache"] = self.cache
        return other

    def sentence_vectors(self, sentences: list[str]) -> list[list[float] | None]:
        """Passage vectors of sentences as stored at ingest (or shipped in the seed), read by their text's hash;
        None for a sentence without one (a document ingested before sentences had vectors: it gets them when it is
        ingested again). No model runs here: answering never waits for one, nor competes with it for the CPU."""
        return self.cache.lookup(self.embeddings.model_id, sentences)

    def embed_sentences(self, chunks: list[Chunk]) -> int:
        """Store the vectors of the chunks' quotable sentences (``sentences.quotable_sentences``) in the cache, so
        answering ranks them by meaning with dot products only; returns how many distinct sentences."""
        texts = list(dict.fromkeys(s for c in chunks for s in quotable_sentences(c.text)))
        if texts:
            self.cache.embed_documents(self.embeddings, texts)
        return len(texts)

    def search(self, query: str, *, filters: SearchFilters | None = None, k: int = 6,
               default_act: str | None = None) -> SearchResult:
        """Hybrid search (see knowledge.retriever)."""
        return self.searcher.search(query, filters=filters, k=k, default_act=default_act)

    def as_retriever(self, *, k: int = 6, filters: SearchFilters | None = None) -> AlmenRetriever:
        """The search as a LangChain retriever (LangChain's retriever machinery is loaded only here)."""
        from knowledge.langchain_retriever import AlmenRetriever

        return AlmenRetriever(searcher=self.searcher, k=k, filters=filters)

    def get_chunk(self, chunk_id: str) -> Chunk | None:
        found = self.store.get_chunks([chunk_id])
        return found[0] if found else None

    def neighbours(self, chunk: Chunk, span: int = 1) -> list[Chunk]:
        """The chunk with its neighbours in the same document (for display)."""
        ordinal = int(chunk.metadata.get("ordinal", 0))
        return [c for c in self.store.chunks_of_source(chunk.source_id)
                if abs(int(c.metadata.get("ordinal", 0)) - ordinal) <= span]

    def is_empty(self) -> bool:
        return not self.store.list_sources()

    def status(self) -> dict[str, object]:
        """Readiness facts: store reachable, chunk count, sources, embedding model, index generation."""
        reachable = self.store.heartbeat()
        self.lexical.ensure(self.store)
        return {
            "store_reachable": reachable,
            "chunks": self.lexical.chunk_count,
            "sources": len(self.store.list_sources()),
            "embedding_model": self.embeddings.model_id,
            "generation": self.lexical.generation,
            "store": self.settings.chroma_url or str(self.settings.chroma_dir),
        }


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")[:60]
