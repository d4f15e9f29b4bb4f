"""Evaluation metrics: what each measures and how it is computed (METRIC_DOCS is shown in reports).

Per case, from the ranked retrieved chunks (top k) and the answer; then averaged over the cases
where the metric applies (None = not applicable, left out of the mean), overall and per topic,
with seeded bootstrap confidence intervals for the headline metrics.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from eval.matching import (
    FACT_TERM_SHARE, TextEvidence, chunk_display_text, chunk_refs, expected_refs, first_sentence, meets_stk,
    refs_found, refs_in_text, stk_carried, stk_refs, strip_markers,
)
from knowledge.types import Chunk

CUTOFFS = (1, 5, 10)
HEADLINE = ("any_hit@5", "fact_hit@5", "ref_hit@5", "fact_mrr", "fact_coverage", "first_sentence_fact",
            "stk_precision", "citation_precision", "ref_accuracy", "abstention_recall")
WORD_METRICS = frozenset({"answer_words", "answer_words_median"})  # counts of words, not shares

METRIC_DOCS: dict[str, str] = {
    "fact_hit@k": "Andel besvarlige spørgsmål, hvor mindst ét forventet faktum står i et af de k første fundne tekststykker.",
    "fact_mrr": "Gennemsnit af 1/rang for det første tekststykke, der indeholder et forventet faktum (0 hvis intet i top k).",
    "fact_recall@k": "Andel af spørgsmålets forventede fakta, der står i mindst ét af de k første tekststykker.",
    "ref_hit@k": "Andel spørgsmål med lovhenvisninger, hvor et tekststykke blandt de k første bærer en forventet bestemmelse.",
    "ref_mrr": "Gennemsnit af 1/rang for det første tekststykke med en forventet bestemmelse (0 hvis ingen i top k).",
    "any_hit@k": "Andel besvarlige spørgsmål, hvor den forventede bestemmelse eller et forventet faktum står i top k "
                 "(kvalitetskravet i issue 4: mindst 90 % ved k=5).",
    "any_mrr": "Gennemsnit af 1/rang for det første tekststykke med en forventet bestemmelse eller et forventet faktum.",
    "fact_coverage": "Andel af de forventede fakta, som svaret indeholder (besvarlige spørgsmål, svar uden kildemarkører).",
    "citation_precision": "Andel af svarets kildehenvisninger, som citatkontrollen har verificeret (svar med mindst én kilde).",
    "ref_accuracy": "Andel af de forventede bestemmelser, som svaret nævner i teksten eller i kildernes lovhenvisninger.",
    "unsupported_rate": "Andel af svarets påstandssætninger, som citatkontrollen ikke fandt støtte for.",
    "abstention_precision": "Af de svar, hvor assistenten afstod, andelen der faktisk var ubesvarlige spørgsmål.",
    "abstention_recall": "Af de ubesvarlige spørgsmål, andelen hvor assistenten afstod (spørgsmålstyperne "
                         "unanswerable, task og out_of_scope hører hertil).",
    "false_abstention_rate": "Falske afvisninger: andel besvarlige spørgsmål, hvor assistenten afstod.",
    "first_sentence_fact": "Andel besvarlige spørgsmål, hvor svarets første sætning indeholder mindst ét forventet faktum "
                           "(faktumreglen anvendt på første sætning alene; overskrifter og korte indledninger som "
                           "'Desuden:' springes over; et afvist svar tæller som 0).",
    "stk_precision": "Af de besvarlige spørgsmål, hvis forventede lovhenvisninger nævner et stk. (§ X, stk. Y), andelen "
                     "hvor svarets første sætning selv nævner § X, stk. Y, eller hvor en af de kilder, den henviser til, "
                     "bærer § X, stk. Y i sin lovhenvisning. Hele § X eller et andet stk. tæller ikke; et nr. i stk. Y "
                     "tæller; en § uden lovnavn i svarteksten regnes til den forventede lov; et afvist svar tæller som 0.",
    "decline_rate": "Andel af spørgsmålene, hvor assistenten afviste (svaret er markeret som afstået). Pr. spørgsmålstype: "
                    "for unanswerable, task og out_of_scope er målet 100 %, for alle andre typer er det falske afvisninger.",
    "answer_chars": "Svarets længde i tegn (uden kildemarkører).",
    "answer_words": "Svarets længde i ord (gennemsnit).",
    "answer_words_median": "Medianlængden i ord af de svar, der ikke er afvisninger (uden kildemarkører).",
    "kinds": "Tabellen pr. spørgsmålstype bruger feltet 'kind' i spørgsmålssættet og de samme regler som hovedtallene.",
    "latency": "Svartid pr. trin (sekunder): p50 = median, p95 = 95 %-fraktil. 'e2e' er hele kaldet målt af evalueringen.",
    "fact_rule": f"Et faktum er fundet i en tekst, når alle faktummets tal står i teksten som skrevet, og mindst "
                 f"{FACT_TERM_SHARE:.0%} af dets indholdsord (danske Snowball-stammer, æ/ø/å foldet, stopord fjernet) "
                 "forekommer i teksten.",
    "ref_rule": "En forventet bestemmelse er båret af et tekststykke, når stykkets egen bestemmelse, dets lovhenvisninger "
                "eller en henvisning i overskrift/tekst er den samme bestemmelse, ligger inden i den eller omfatter den "
                "(§ 164 ~ § 164, stk. 1). § uden lovnavn hører til almenboligloven.",
    "ci": "95 %-konfidensinterval ved bootstrap (1.000 gentrækninger af spørgsmålene med fast seed).",
}


@dataclass
class CaseTruth:
    """What a case expects (the part of a dataset case the metrics need)."""

    answerable: bool
    answer_facts: list[str]
    legal_refs: list[str]
    kind: str = ""


def first_rank(flags: Sequence[bool]) -> int | None:
    """1-based rank of the first True, or None."""
    for i, f in enumerate(flags, 1):
        if f:
            return i
    return None


def rank_metrics(prefix: str, flags: Sequence[bool], cutoffs: Iterable[int] = CUTOFFS) -> dict[str, float]:
    """hit@k for each cutoff and reciprocal rank, from per-rank relevance flags."""
    rank = first_rank(flags)
    out = {f"{prefix}_hit@{k}": float(rank is not None and rank <= k) for k in cutoffs}
    out[f"{prefix}_mrr"] = 1.0 / rank if rank else 0.0
    return out


def retrieval_metrics(truth: CaseTruth, chunks: Sequence[Chunk], cutoffs: Iterable[int] = CUTOFFS) -> dict[str, float | None]:
    """Retrieval metrics of one case; empty dict for unanswerable cases (nothing to find)."""
    if not truth.answerable:
        return {}
    cutoffs = tuple(cutoffs)
    evid = [TextEvidence(chunk_display_text(c)) for c in chunks]
    facts = truth.answer_facts
    fact_flags = [[e.has_fact(f) for f in facts] for e in evid]
    per_chunk_fact = [any(row) for row in fact_flags]
    out: dict[str, float | None] = dict(rank_metrics("fact", per_chunk_fact, cutoffs))
    for k in cutoffs:
        found = {i for row in fact_flags[:k] for i, hit in enumerate(row) if hit}
        out[f"fact_recall@{k}"] = len(found) / len(facts) if facts else None
    expected = expected_refs(truth.legal_refs)
    if expected:
        per_chunk_ref = [bool(refs_found(expected, chunk_refs(c))) for c in chunks]
        out.update(rank_metrics("ref", per_chunk_ref, cutoffs))
    else:
        per_chunk_ref = [False] * len(chunks)
        out.update({f"ref_hit@{k}": None for k in cutoffs})
        out["ref_mrr"] = None
    out.update(rank_metrics("any", [a or b for a, b in zip(per_chunk_fact, per_chunk_ref)], cutoffs))
    return out


def answer_metrics(truth: CaseTruth, answer: dict[str, Any]) -> dict[str, float | None]:
    """Answer metrics of one case from an answer in the JSON shape of ``Answer.to_dict()``."""
    text = strip_markers(str(answer.get("text") or ""))
    abstained = bool(answer.get("abstained"))
    citations = list(answer.get("citations") or [])
    verdicts = [v for v in answer.get("verdicts") or [] if v.get("kind", "claim") == "claim"]
    out: dict[str, float | None] = {
        "abstained": float(abstained),
        "answer_chars": float(len(text.strip())),
        "answer_words": float(len(text.split())),
        "citations": float(len(citations)),
        "citation_precision": (sum(1 for c in citations if c.get("verified", True)) / len(citations)) if citations else None,
        "unsupported_rate": (sum(1 for v in verdicts if not v.get("supported")) / len(verdicts)) if verdicts else None,
        "fact_coverage": None,
        "ref_accuracy": None,
        "first_sentence_fact": None,
        "stk_precision": None,
    }
    if truth.answerable:
        out.update(first_sentence_metrics(truth, answer))
        evidence = TextEvidence(text)
        out["fact_coverage"] = (sum(evidence.has_fact(f) for f in truth.answer_facts) / len(truth.answer_facts)
                                if truth.answer_facts else None)
        expected = expected_refs(truth.legal_refs)
        if expected:
            cited_text = " ".join([text, *(str(c.get("legal_label") or "") + " " + str(c.get("label") or "") for c in citations)])
            out["ref_accuracy"] = len(refs_found(expected, refs_in_text(cited_text))) / len(expected)
    return out


def first_sentence_metrics(truth: CaseTruth, answer: dict[str, Any]) -> dict[str, float | None]:
    """first_sentence_fact and stk_precision of an answerable case (METRIC_DOCS); a declined answer scores 0."""
    sentence, markers = ("", []) if answer.get("abstained") else first_sentence(str(answer.get("text") or ""))
    out: dict[str, float | None] = {"first_sentence_fact": None, "stk_precision": None}
    if truth.answer_facts:
        evidence = TextEvidence(sentence)
        out["first_sentence_fact"] = float(bool(sentence) and any(evidence.has_fact(f) for f in truth.answer_facts))
    expected = stk_refs(truth.legal_refs)
    if expected:
        by_n = {c.get("n"): c for c in answer.get("citations") or []}
        labels = [f"{by_n[n].get('legal_label') or ''} {by_n[n].get('label') or ''}" for n in markers if n in by_n]
        carried = stk_carried(sentence, labels) if sentence else []
        out["stk_precision"] = float(any(meets_stk(e, c) for e in expected for c in carried))
    return out


def abstention_metrics(pairs: Sequence[tuple[bool, bool]]) -> dict[str, float | None]:
    """Precision/recall of abstaining, from (answerable, abstained) pairs; positive = should abstain."""
    tp = sum(1 for answerable, abst in pairs if abst and not answerable)
    fp = sum(1 for answerable, abst in pairs if abst and answerable)
    fn = sum(1 for answerable, abst in pairs if not abst and not answerable)
    n_answerable = sum(1 for answerable, _ in pairs if answerable)
    return {
        "abstention_precision": tp / (tp + fp) if tp + fp else None,
        "abstention_recall": tp / (tp + fn) if tp + fn else None,
        "false_abstention_rate": fp / n_answerable if n_answerable else None,
    }


def mean_of(values: Iterable[float | None]) -> float | None:
    """Mean of the applicable values (None left out); None if there are none."""
    vals = [v for v in values if v is not None and not math.isnan(v)]
    return sum(vals) / len(vals) if vals else None


def bootstrap_ci(values: Sequence[float | None], *, n: int = 1000, seed: int = 7, level: float = 0.95) -> tuple[float, float] | None:
    """Percentile bootstrap interval of the mean (resampling cases with a fixed seed)."""
    vals = np.asarray([v for v in values if v is not None], dtype=float)
    if vals.size == 0:
        return None
    if vals.size == 1:
        return float(vals[0]), float(vals[0])
    rng = np.random.default_rng(seed)
    means = vals[rng.integers(0, vals.size, size=(n, vals.size))].mean(axis=1)
    lo, hi = np.quantile(means, [(1 - level) / 2, 1 - (1 - level) / 2])
    return float(lo), float(hi)


def bootstrap_ratio_ci(pairs: Sequence[tuple[bool, bool]], key: str, *, n: int = 1000, seed: int = 7) -> tuple[float, float] | None:
    """Bootstrap interval of an abstention metric (resampling the (answerable, abstained) pairs)."""
    if not pairs:
        return None
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(pairs), size=(n, len(pairs)))
    stats = [abstention_metrics([pairs[i] for i in row])[key] for row in idx]
    vals = [s for s in stats if s is not None]
    if not vals:
        return None
    lo, hi = np.quantile(vals, [0.025, 0.975])
    return float(lo), float(hi)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100, linear interpolation); None for no values."""
    if not values:
        return None
    return float(np.percentile(np.asarray(values, dtype=float), q))


def latency_summary(samples: dict[str, list[float]]) -> dict[str, dict[str, float | None]]:
    """p50/p95/mean/count per stage, from per-stage lists of seconds."""
    return {
        stage: {"p50": percentile(vals, 50), "p95": percentile(vals, 95), "mean": mean_of(vals), "n": float(len(vals))}
        for stage, vals in sorted(samples.items()) if vals
    }


def summarise_cases(rows: Sequence[dict[str, Any]], *, with_ci: bool = True, seed: int = 7) -> dict[str, Any]:
    """Means over case rows ({'answerable', 'metrics', 'error'}), abstention figures, and CIs for headline metrics."""
    ok = [r for r in rows if not r.get("error")]
    keys = sorted({k for r in ok for k in r["metrics"]})
    means = {k: mean_of(r["metrics"].get(k) for r in ok) for k in keys if k != "abstained"}
    pairs = [(bool(r["answerable"]), bool(r["metrics"].get("abstained"))) for r in ok if "abstained" in r["metrics"]]
    if pairs:
        means.update(abstention_metrics(pairs))
        means["decline_rate"] = sum(abst for _, abst in pairs) / len(pairs)
        words = [r["metrics"]["answer_words"] for r in ok
                 if not r["metrics"].get("abstained") and r["metrics"].get("answer_words") is not None]
        means["answer_words_median"] = percentile(words, 50)
    out: dict[str, Any] = {"n": len(rows), "errors": len(rows) - len(ok), "metrics": means, "ci": {}}
    if with_ci:
        for k in HEADLINE:
            if k.startswith("abstention_"):
                ci = bootstrap_ratio_ci(pairs, k, seed=seed) if pairs else None
            else:
                ci = bootstrap_ci([r["metrics"].get(k) for r in ok], seed=seed) if k in keys else None
            if ci is not None:
                out["ci"][k] = list(ci)
    return out
