"""The evaluation runner: every case through every variant, metrics per case, totals per variant.

The runner knows nothing of how a variant searches or answers: it receives callables (in-process
searchers and answer functions, or the HTTP client in ``eval.remote``). A failing case is recorded
with its error and the run goes on.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eval.datasets import Case
from eval.matching import chunk_refs
from eval.metrics import CaseTruth, answer_metrics, latency_summary, retrieval_metrics, summarise_cases
from knowledge.types import Chunk


@dataclass
class SearchOutcome:
    """What a variant's search returned: ranked chunks and stage timings in seconds."""

    chunks: list[Chunk]
    timings: dict[str, float] = field(default_factory=dict)
    relevant: bool = True


SearchFn = Callable[[str, int, dict[str, Any]], SearchOutcome]
AnswerFn = Callable[[Case], dict[str, Any]]
ProgressFn = Callable[[int, int, str, str], None]


@dataclass
class Variant:
    """A named system under test: a search function and optionally an answer function."""

    name: str
    search: SearchFn | None = None
    answer: AnswerFn | None = None
    description: str = ""
    notes: list[str] = field(default_factory=list)  # e.g. how the variant was built, build time


@dataclass
class CaseResult:
    """One case through one variant."""

    case_id: str
    variant: str
    topic: str
    answerable: bool
    metrics: dict[str, float | None] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # 'search.*', 'answer.*', 'e2e' (seconds)
    retrieved: list[dict[str, Any]] = field(default_factory=list)
    answer: dict[str, Any] | None = None
    query: str = ""
    error: str = ""
    kind: str = ""  # the case's kind of question ('' when the set has none)

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id, "variant": self.variant, "topic": self.topic, "kind": self.kind,
            "answerable": self.answerable,
            "query": self.query, "metrics": self.metrics, "timings": {k: round(v, 6) for k, v in self.timings.items()},
            "retrieved": self.retrieved, "answer": self.answer, "error": self.error,
        }


@dataclass
class EvalRun:
    """All results of a run, with the cases and variants they came from."""

    cases: list[Case]
    variants: list[Variant]
    results: list[CaseResult] = field(default_factory=list)
    k: int = 10
    seconds: float = 0.0

    def results_of(self, variant: str) -> list[CaseResult]:
        return [r for r in self.results if r.variant == variant]


def run_evaluation(cases: Sequence[Case], variants: Sequence[Variant], *, k: int = 10,
                   on_progress: ProgressFn | None = None) -> EvalRun:
    """Run every case through every variant (case by case, so a partial run covers all variants)."""
    run = EvalRun(list(cases), list(variants), k=k)
    total, done = len(cases) * len(variants), 0
    t0 = time.perf_counter()
    for case in cases:
        for variant in variants:
            run.results.append(run_case(case, variant, k=k))
            done += 1
            if on_progress:
                on_progress(done, total, case.id, variant.name)
    run.seconds = time.perf_counter() - t0
    return run


def run_case(case: Case, variant: Variant, *, k: int = 10) -> CaseResult:
    """One case through one variant; exceptions become the result's error."""
    res = CaseResult(case.id, variant.name, case.topic, case.answerable, query=case.question, kind=case.kind)
    truth = CaseTruth(case.answerable, case.answer_facts, case.legal_refs, case.kind)
    t0 = time.perf_counter()
    try:
        if variant.answer is not None:
            t = time.perf_counter()
            answer = variant.answer(case)
            res.timings["answer.e2e"] = time.perf_counter() - t
            res.answer = compact_answer(answer)
            res.timings.update({f"answer.{s}": float(v) for s, v in (answer.get("timings") or {}).items()
                                if isinstance(v, (int, float))})
            res.metrics.update(answer_metrics(truth, answer))
            if case.history and answer.get("resolved_question"):
                res.query = str(answer["resolved_question"])  # a follow-up is searched as the answerer understood it
        if variant.search is not None:
            t = time.perf_counter()
            outcome = variant.search(res.query, k, dict(case.filters))
            res.timings["search.e2e"] = time.perf_counter() - t
            res.timings.update({f"search.{s}": float(v) for s, v in outcome.timings.items()})
            chunks = outcome.chunks[:k]
            res.retrieved = [describe_chunk(c) for c in chunks]
            res.metrics.update(retrieval_metrics(truth, chunks))
    except Exception as exc:  # noqa: BLE001 - one failing case must not stop the run
        res.error = f"{type(exc).__name__}: {getattr(exc, 'message', None) or exc}"
    res.timings["e2e"] = time.perf_counter() - t0
    return res


def describe_chunk(chunk: Chunk) -> dict[str, Any]:
    """A retrieved chunk as stored in the report: id, label, provisions and the start of its text."""
    label = chunk.citation_label() if chunk.metadata else chunk.id
    return {"chunk_id": chunk.id, "label": label, "refs": sorted(chunk_refs(chunk))[:8],
            "text": " ".join(chunk.text.split())[:300]}


def compact_answer(answer: dict[str, Any]) -> dict[str, Any]:
    """The parts of an answer a report needs (no full hit texts)."""
    return {
        "text": answer.get("text", ""),
        "abstained": bool(answer.get("abstained")),
        "grounded": bool(answer.get("grounded")),
        "reason": answer.get("reason", ""),
        "resolved_question": answer.get("resolved_question", ""),
        "citations": [
            {k: c.get(k) for k in ("n", "chunk_id", "label", "legal_label", "verified")}
            for c in answer.get("citations") or []
        ],
    }


def summarise_run(run: EvalRun, *, seed: int = 7) -> dict[str, dict[str, Any]]:
    """Per variant: overall totals with CIs, totals per topic and per kind of question, latency percentiles per stage."""
    out: dict[str, dict[str, Any]] = {}
    for variant in run.variants:
        results = run.results_of(variant.name)
        rows = [{"answerable": r.answerable, "metrics": r.metrics, "error": r.error} for r in results]
        by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
        by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r, row in zip(results, rows):
            by_topic[r.topic].append(row)
            if r.kind:
                by_kind[r.kind].append(row)
        samples: dict[str, list[float]] = defaultdict(list)
        for r in results:
            if not r.error:
                for stage, secs in r.timings.items():
                    samples[stage].append(secs)
        out[variant.name] = {
            "description": variant.description,
            "notes": list(variant.notes),
            "overall": summarise_cases(rows, seed=seed),
            "topics": {t: summarise_cases(rs, with_ci=False) for t, rs in sorted(by_topic.items())},
            "kinds": {k: summarise_cases(rs, with_ci=False) for k, rs in sorted(by_kind.items())},
            "latency": latency_summary(samples),
        }
    return out
