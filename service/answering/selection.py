"""Which sentences an extractive answer is made of once its lead is chosen, and how they are laid out.

After the lead (the deciding sentence, chosen in ``extractive``): the sentences that continue it in its
passage (or a provision's numbered items after its lead-in), up to ``MAX_SUPPORTING`` sentences from
anywhere that answer nearly as well, and for a question that asks two things, a sentence for a part no
chosen sentence answers; near-duplicates dropped, within a word budget. The lead comes first in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from service.answering.shaping import is_list_item, words
from service.answering.signals import refers_back

MAX_SUPPORTING = 3  # sentences from anywhere in the sources, besides the direct answer
MAX_SENTENCES = 6  # with the context sentences around the direct answer
MIN_SUPPORT_COVERAGE = 0.15  # a supporting sentence needs this coverage, and 40 % of the best's
SUPPORT_RATIO = 0.5  # a supporting sentence needs this share of the best sentence's score
SAME_PASSAGE_RATIO = 0.35  # ... or this share when it comes from the best sentence's own passage
DUPLICATE_JACCARD = 0.6  # term-set Jaccard at or above which two sentences are near-duplicates
DUPLICATE_CONTAINMENT = 0.8  # ... or this share of one's terms inside the other's
MAX_CONTINUATION = 2  # sentences that directly follow the best one in its chunk
MAX_LIST_ITEMS = 10  # numbered items kept after a provision's lead-in
PART_COVERAGE = 0.5  # a sub-question counts as answered by a sentence covering this much of it
GLOSSARY_ENTRY_RE = re.compile(r"^[^.:()]{2,80}\(også:[^)]*\):")  # "Term (også: a, b): ..."


@dataclass
class Candidate:
    """A sentence of a retrieved chunk, scored for the question."""

    text: str  # as quoted: cleaned of list numbers and glossary heads (shaping.clean_sentence)
    source: int  # 1-based position of the hit
    position: int  # sentence index inside the chunk
    terms: set[str]
    coverage: float = 0.0
    score: float = 0.0
    unconfirmed: bool = False
    hedged: bool = False  # states that something is not confirmed, though not as its conclusion
    part_coverage: list[float] = field(default_factory=list)  # coverage of each sub-question
    matches: dict[str, float] = field(default_factory=dict)  # question term (or provision) -> match weight
    focused: bool = False  # carries one of the question's more selective terms
    raw: str = ""  # the sentence as the source has it
    named: set[str] = field(default_factory=set)  # question terms matched through the document's organisation
    similarity: float | None = None  # to the question by meaning (``meaning.rank_by_meaning``), when measured


def near_duplicate(a: set[str], b: set[str]) -> bool:
    """True if two sentences' term sets overlap so much that one adds nothing to the other."""
    if not a or not b:
        return False
    inter = len(a & b)
    return inter / len(a | b) >= DUPLICATE_JACCARD or inter / min(len(a), len(b)) >= DUPLICATE_CONTAINMENT


def _total_words(selected: list[Candidate]) -> int:
    return sum(words(c.text) for c in selected)


def add_support(best: Candidate, selected: list[Candidate], ranked: list[Candidate], budget: int) -> None:
    """Add up to MAX_SUPPORTING sentences that answer the question nearly as well, within the word budget."""
    q_legal = {t for t in best.matches if t.startswith("§")}
    min_cov = max(MIN_SUPPORT_COVERAGE, 0.4 * best.coverage)
    added = 0
    for c in ranked:
        if added >= MAX_SUPPORTING or c.score < SAME_PASSAGE_RATIO * best.score:
            break
        if c in selected:
            continue
        # The best passage is on topic, and so is every sentence stating the provision the
        # question names when the answer does: such sentences need less.
        same_passage = c.source == best.source or bool(set(c.matches) & set(best.matches) & q_legal)
        if same_passage:
            if c.coverage < MIN_SUPPORT_COVERAGE:
                continue
        elif c.score < SUPPORT_RATIO * best.score or c.coverage < min_cov or not c.focused:
            continue
        if _total_words(selected) + words(c.text) > budget:
            continue
        if c.unconfirmed or any(near_duplicate(c.terms, s.terms) for s in selected):
            continue
        selected.append(c)
        added += 1


def cover_parts(selected: list[Candidate], ranked: list[Candidate]) -> None:
    """For a question that asks two things, add the best sentence for a part no chosen sentence answers."""
    n_parts = len(ranked[0].part_coverage)
    for i in range(n_parts):
        if any(c.part_coverage[i] >= PART_COVERAGE for c in selected):
            continue
        for c in sorted(ranked, key=lambda c: (-c.part_coverage[i], -c.score)):
            if c.part_coverage[i] < PART_COVERAGE or c.unconfirmed:
                break
            if c in selected or any(near_duplicate(c.terms, s.terms) for s in selected):
                continue
            selected.append(c)
            break


def add_context(best: Candidate, selected: list[Candidate], candidates: list[Candidate], q_terms: set[str],
                 budget: int, listing: bool) -> None:
    """Add the sentence an anaphoric answer refers back to, and the sentences that continue the answer within
    the word budget; when the question asks what a provision lists, its numbered items after the lead-in."""
    by_pos = {(c.source, c.position): c for c in candidates}
    chosen = {(c.source, c.position) for c in selected}
    prev = by_pos.get((best.source, best.position - 1))
    if refers_back(best.text) and prev is not None and (prev.source, prev.position) not in chosen:
        selected.append(prev)
        chosen.add((prev.source, prev.position))
    topic = best.terms | q_terms
    steps = MAX_LIST_ITEMS if listing else MAX_CONTINUATION
    for step in range(1, steps + 1):
        nxt = by_pos.get((best.source, best.position + step))
        if nxt is None or len(selected) >= (MAX_LIST_ITEMS if listing else MAX_SENTENCES):
            break
        if (nxt.source, nxt.position) in chosen:
            continue
        item = listing and is_list_item(nxt.text)
        if GLOSSARY_ENTRY_RE.match(nxt.raw or nxt.text) or _total_words(selected) + words(nxt.text) > budget:
            break  # the next glossary entry is about another term; or the answer is long enough
        if nxt.unconfirmed or any(near_duplicate(nxt.terms, s.terms) for s in selected):
            break
        if not item and not (nxt.terms & topic):
            break
        selected.append(nxt)
        chosen.add((nxt.source, nxt.position))
        topic |= nxt.terms


def _with_marker(sentence: str, n: int) -> str:
    return f"{sentence} [{n}]"


def render(best: Candidate, selected: list[Candidate]) -> str:
    """The direct answer first (with the selected sentences that follow it in its passage), then 'Desuden:'."""
    same = {c.position: c for c in selected if c.source == best.source}
    lo = hi = best.position
    # The deciding sentence comes first; the selected run before it only when it leans on it ('Det gælder ...').
    if refers_back(best.text):
        while lo - 1 in same:
            lo -= 1
    while hi + 1 in same:
        hi += 1
    lead = [same[p] for p in range(lo, hi + 1)]
    rest = sorted((c for c in selected if c not in lead), key=lambda c: (c.source, c.position))
    paragraph = " ".join(_with_marker(c.text, c.source) for c in lead)
    if not rest:
        return paragraph
    bullets = "\n".join(f"- {_with_marker(c.text, c.source)}" for c in rest)
    return f"{paragraph}\n\nDesuden:\n{bullets}"
