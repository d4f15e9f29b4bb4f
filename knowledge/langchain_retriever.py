"""almen's hybrid search as a LangChain ``BaseRetriever`` (for LangChain chains and the standard tests).

Its own module, so that importing the knowledge base (the CLI at start, the API) does not import
LangChain's retriever machinery (~0.5 s); ``KnowledgeBase.as_retriever`` loads it when asked.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from knowledge.search_types import SearchFilters
from knowledge.types import Hit


def hit_to_document(hit: Hit) -> Document:
    """A hit as a LangChain Document (metadata keeps the citation label and explanation)."""
    meta = dict(hit.chunk.metadata)
    meta.update(chunk_id=hit.chunk.id, citation_label=hit.chunk.citation_label(), score=hit.score,
                relevance=hit.relevance, legal_match=hit.legal_match)
    return Document(page_content=hit.chunk.text, metadata=meta, id=hit.chunk.id)


class AlmenRetriever(BaseRetriever):
    """LangChain retriever over almen's hybrid search (any ``Searcher``)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any
    k: int = 6
    filters: SearchFilters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs: Any) -> list[Document]:
        k = int(kwargs.get("k", self.k))
        result = self.searcher.search(query, filters=kwargs.get("filters", self.filters), k=k)
        return [hit_to_document(h) for h in result.hits]
