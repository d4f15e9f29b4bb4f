"""Sentence relevance by meaning: the e5 similarity of the question and a candidate sentence, as a lead signal.

The composer's score reads the question's words, provisions and kind; words alone often tie between a sentence
that answers and one that only shares the question's vocabulary. The similarity of the question's embedding (the
one search already made) and the sentence's embedding (stored at ingest, see ``KnowledgeBase.embed_sentences``)
breaks those ties: among the few best-scored sentences, the lead is the one with the highest
``score + MEANING_WEIGHT * (similarity - mean similarity of the pool)``.

The pool is the best ``MEANING_POOL`` candidates within ``MEANING_GAP`` of the best score that carry every
provision the question names (§, stk., nr.) that the best one carries alone (a sentence naming the asked stk.
beside another stk. of the same § carries it less): meaning reorders sentences the structure signals find about as
good, it never trades the asked stk. for a sentence that merely reads like the question or names it among others. Weights tuned on the
spent question sets (eval/baselines/issue14-round5-lead.md).
"""

from __future__ import annotations

from collections.abc import Callable

from knowledge.legal import refs_in_text
from service.answering.selection import Candidate
from service.answering.signals import ref_key

Similarity = Callable[[list[str]], list[float | None]]  # sentences -> their similarity to the question (None: unknown)
VectorsOf = Callable[[list[str]], list[list[float] | None]]  # sentences -> their stored vectors (None: none yet)

MEANING_WEIGHT = 0.5  # score points per unit of similarity above the pool's mean (0.5, 1, 2, 5 measured on seven spent sets: 0.5 gains first sentences and facts and loses no stk.; 2 loses 4 stk. points summed, 5 loses facts)
MEANING_POOL = 5  # at most this many of the best-scored candidates are reordered
MEANING_GAP = 0.2  # ... and only those within this distance of the best score


def _provisions(c: Candidate) -> set[str]:
    """The provisions the question names (§, stk., nr. as legal terms, '§165:3') that a candidate carries in
    full and alone: a sentence that also names another stk. of the same § speaks of that one as well."""
    terms = {t for t, w in c.matches.items() if t.startswith("§") and w >= 1.0}
    if not any(":" in t for t in terms):
        return terms
    named = {(ref_key(r.paragraph, None), r.stk) for r in refs_in_text(c.raw or c.text) if r.paragraph and r.stk}
    out = set()
    for t in terms:
        para, _, stk = t.partition(":")
        stk = stk.partition("#")[0]
        if stk and any(p == para and str(other) != stk for p, other in named):
            continue
        out.add(t)
    return out


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
    if len(pool) < 2 or pool[0] is not top:
        return ranked  # nothing to choose from, or the best is unconfirmed or too weak
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
