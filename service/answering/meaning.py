"""Sentence relevance by meaning: the e5 similarity of the question and a candidate sentence, as a lead signal.

The composer's score reads the question's words, provisions and kind; words alone often tie between a sentence
that answers and one that only shares the question's vocabulary. The similarity of the question's embedding (the
one search already made) and the sentence's embedding (stored at ingest, see ``KnowledgeBase.embed_sentences``)
breaks those ties: among the few best-scored sentences, the lead is the one with the highest
``score + MEANING_WEIGHT * (similarity - mean similarity of the pool)``.

The pool is the best ``MEANING_POOL`` candidates within ``MEANING_GAP`` of the best score that carry every
provision (§, stk., nr.) the best one carries: meaning reorders sentences the structure signals find about as
good, it never trades the asked stk. for a sentence that merely reads like the question. Weights tuned on the
spent question sets (eval/baselines/issue14-round5-lead.md).
"""

from __future__ import annotations

from collections.abc import Callable

from service.answering.selection import Candidate

Similarity = Callable[[list[str]], list[float | None]]  # sentences -> their similarity to the question (None: unknown)
VectorsOf = Callable[[list[str]], list[list[float] | None]]  # sentences -> their stored vectors (None: none yet)

MEANING_WEIGHT = 5.0  # score points per unit of similarity above the pool's mean
MEANING_POOL = 5  # at most this many of the best-scored candidates are reordered
MEANING_GAP = 0.2  # ... and only those within this distance of the best score


def _provisions(c: Candidate) -> set[str]:
    """The provisions (§, stk., nr. as legal terms) a candidate carries in full."""
    return {t for t, w in c.matches.items() if t.startswith("§") and w >= 1.0}


def dot(a: list[float], b: list[float]) -> float:
    """The dot product (the cosine of normalised vectors)."""
    return sum(x * y for x, y in zip(a, b))


def question_similarity(query_vector: list[float], vectors_of: VectorsOf | None) -> Similarity | None:
    """A similarity function for the question whose vector is ``query_vector`` (None: no signal). A sentence
    without a stored vector, or with one of another model (another length), has no similarity."""
    if not query_vector or vectors_of is None:
        return None

    def similarity(sentences: list[str]) -> list[float | None]:
        return [dot(query_vector, v) if v is not None and len(v) == len(query_vector) else None
                for v in vectors_of(sentences)]

    return similarity


def rank_by_meaning(ranked: list[Candidate], similarity: Similarity | None, *, floor: float = 0.0) -> list[Candidate]:
    """``ranked`` (best score first) with its head reordered by score and similarity to the question; candidates
    under ``floor`` coverage stay out of the pool. Sets ``similarity`` on the pooled candidates."""
    if similarity is None or len(ranked) < 2:
        return ranked
    top = ranked[0]
    needed = _provisions(top)
    pool = [c for c in ranked[:MEANING_POOL]
            if c.score >= top.score - MEANING_GAP and c.coverage >= floor and not c.unconfirmed
            and needed <= _provisions(c)]
    if len(pool) < 2 or top not in pool:
        return ranked
    measured = similarity([c.raw or c.text for c in pool])
    sims = [s for s in measured if s is not None]
    if len(sims) != len(pool):
        return ranked  # a sentence of the pool has no vector yet: the words alone decide
    mean = sum(sims) / len(sims)
    for c, s in zip(pool, sims):
        c.similarity = s
    order = sorted(pool, key=lambda c: (-(c.score + MEANING_WEIGHT * ((c.similarity or 0.0) - mean)),
                                        c.source, c.position))
    chosen = set(map(id, pool))
    return order + [c for c in ranked if id(c) not in chosen]
