"""The default generator: an answer composed of quoted sentences from the retrieved chunks.

Deterministic and offline. Each sentence of each retrieved chunk is scored for the question:

* coverage: the idf-weighted share of the question's stemmed content terms that the
  sentence contains (idf computed over all candidate sentences, so words that occur
  everywhere count little);
* + a bonus when the sentence names a § the question names, a smaller one when the chunk
  itself is that provision; + the chunk's rank and relevance; + a small bonus when the
  sentence has the kind of content the question asks for (a date for "hvornår", a number
  for "hvor mange");
* - penalties for very short or very long fragments, lead-ins ending in ':' and list
  fragments without a verb. Headings, table rows and questions are never candidates.

Question terms match sentence terms exactly or, with less weight, as Danish compound or
inflection variants ('effektiviseringsloven' ~ 'effektivisering'); a provision the
question names counts as a term that a sentence carries when it states it or its chunk is
that provision.

The best sentence is the direct answer; up to three more supporting sentences follow
(each with a good share of the best score and coverage and at least one of the question's
more selective matched terms), near-duplicates of chosen ones dropped. An anaphoric answer
("Det gælder også ...") brings the sentence before it; up to two sentences that directly
follow the answer in its passage and stay on topic are added. Sentences are quoted verbatim (whitespace and
bullet characters trimmed) and followed by their source marker ``[n]``, where n is the
source's position in the hit list; the checker renumbers them in order of first use.

If the best sentence says that the information could not be confirmed or found, the
generator reports that as its abstention reason instead of presenting it as an answer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from knowledge.legal import LegalRef, normalise_ref_spelling, refs_in_text
from knowledge.types import Hit
from service.answering.evidence import SourceEvidence, build_evidence, term_set
from service.answering.question import analyse_question
from service.answering.shaping import LIST_BUDGET, WORD_BUDGET, clean_sentence, is_list_item, source_penalty, words
from service.answering.signals import (
    defines,
    definition_subject,
    has_verb,
    is_anaphoric,
    is_crossref,
    is_hedged,
    is_meta,
    is_unconfirmed,
    legal_terms_for_query,
    legal_terms_for_sentence,
    match_terms,
    mentions_figure,
    mentions_quantity,
    mentions_time,
    number_terms,
    question_kind,
    question_parts,
    refers_back,
)

MAX_SUPPORTING = 3  # sentences from anywhere in the sources, besides the direct answer
MAX_SENTENCES = 6  # with the context sentences around the direct answer
MIN_COVERAGE = 0.2  # below this idf-weighted question coverage the best sentence is too weak
MIN_SUPPORT_COVERAGE = 0.15  # a supporting sentence needs this coverage, and 40 % of the best's
SUPPORT_RATIO = 0.5  # a supporting sentence needs this share of the best sentence's score
SAME_PASSAGE_RATIO = 0.35  # ... or this share when it comes from the best sentence's own passage
DUPLICATE_JACCARD = 0.6  # term-set Jaccard at or above which two sentences are near-duplicates
DUPLICATE_CONTAINMENT = 0.8  # ... or this share of one's terms inside the other's
MAX_CONTINUATION = 2  # sentences that directly follow the best one in its chunk
MAX_LIST_ITEMS = 10  # numbered items kept after a provision's lead-in
UNCONFIRMED_REASON = "Kilderne oplyser selv, at oplysningen ikke er bekræftet eller ikke er fundet."
LEGAL_WEIGHT = 1.2  # a provision the question names weighs this much of the rest of the question
NO_FIGURE_PENALTY = 0.1  # a number/deadline question and a sentence without a number or a date
FIGURE_RATIO = 0.5  # a sentence with a figure may lead a how-many question from this share of the best score
FIRST_PART_COVERAGE = 0.4  # ... when it covers this much of the first part (the best one covers less)
FIRST_PART_RATIO = 0.6  # the best answer to a question's first part leads from this share of the best score
NO_FIGURE_REASON = "Kilderne nævner ikke det tal, spørgsmålet spørger efter."
PART_COVERAGE = 0.5  # a sub-question counts as answered by a sentence covering this much of it

_HEADING_RE = re.compile(r"^#{1,6}\s")
_GENERIC_ORG_TERMS = frozenset(term_set("boligselskab boligselskabet boligforening boligforeningen almene almen boliger "
                                        "bolig boligorganisation selskab forening afdeling"))
_MARKER_LIKE_RE = re.compile(r"\[\d+\]")
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


@dataclass
class ExtractiveDraft:
    """The composed answer (Markdown with [n] markers) or why none could be composed."""

    text: str
    selected: list[Candidate] = field(default_factory=list)
    best: Candidate | None = None
    abstain_reason: str = ""  # Danish; non-empty: do not present the text as an answer
    caveat: Candidate | None = None  # the sentence saying the information is not confirmed


def _looks_like_heading(sentence: str, position: int, source: SourceEvidence) -> bool:
    """A title line inside the chunk text: no final punctuation, and a heading or a verbless first line."""
    if sentence.rstrip()[-1:] in ".!?:…\"”)":
        return False
    low = sentence.strip().lower()
    headings = {h.strip().lower() for h in source.hit.chunk.heading.split(">")} | {source.hit.chunk.title.strip().lower()}
    if low in headings:
        return True
    return position == 0 and len(sentence.split()) < 12 and not has_verb(sentence)


def collect_candidates(sources: list[SourceEvidence]) -> list[Candidate]:
    """Every quotable sentence of the sources (no headings, table rows or questions)."""
    out: list[Candidate] = []
    for src in sources:
        for i, sentence in enumerate(src.sentences):
            if _HEADING_RE.match(sentence) or sentence.startswith("|") or sentence.rstrip().endswith("?"):
                continue
            if is_meta(sentence) or _looks_like_heading(sentence, i, src):
                continue
            if _MARKER_LIKE_RE.search(sentence):
                continue  # never quote text that carries its own [n]-style markers
            text = clean_sentence(sentence)
            terms = src.sentence_terms(i) if text == sentence else term_set(text)
            if not terms:
                continue
            unconfirmed = is_unconfirmed(text)
            hedged = not unconfirmed and is_hedged(text)
            out.append(Candidate(text, src.n, i, terms, unconfirmed=unconfirmed, hedged=hedged, raw=sentence))
    return out


def _match(candidates: list[Candidate], sources: list[SourceEvidence], refs: list[LegalRef],
           q_terms: set[str], q_legal: set[str], q_numbers: set[str]) -> None:
    """Set ``matches`` on every candidate: the question's terms it holds (legal and number terms exactly)."""
    by_n = {s.n: s for s in sources}
    plain = q_terms - q_legal - q_numbers
    # The organisation a question names ('... hos Nordlys') is said by its document's metadata, not by each of
    # its sentences: the distinctive words of the document's organisation count for every sentence of it.
    named = {s.n: plain & (term_set(str(s.hit.chunk.metadata.get("org") or "")) - _GENERIC_ORG_TERMS)
             for s in sources}
    for c in candidates:
        c.matches = match_terms(plain, c.terms)
        c.named = named[c.source] - set(c.matches)
        c.matches.update({t: 1.0 for t in c.named})
        if q_numbers:
            c.matches.update({t: 1.0 for t in q_numbers & number_terms(c.text)})
        for t in legal_terms_for_sentence(c.text, by_n[c.source], refs, c.position):
            c.matches[t] = 1.0


def _focus(parts: list[set[str]], q_terms: set[str], q_legal: set[str], df: dict[str, int],
           idf: dict[str, float]) -> set[str]:
    """The terms that make a sentence on topic: the legal terms and the rarer half of each sub-question's terms."""
    focus = set(q_legal)
    for part_terms in parts if len(parts) > 1 else [q_terms]:
        matched = sorted((t for t in part_terms if df.get(t)), key=lambda t: (-idf[t], t))
        focus |= set(matched[: max(1, math.ceil(len(matched) / 2))])
    return focus


def _shape_adjusted(score: float, c: Candidate) -> float:
    """The score after the penalties for sentences that read badly as an answer (too short or long, a lead-in
    ending in ':', a fragment without a verb, a pronoun without its referent, a cross-reference, a glossary
    entry, a hedge)."""
    words = len(c.text.split())
    if words < 4:
        score -= 0.25
    elif words < 7:
        score -= 0.1
    elif words > 60:
        score -= 0.15
    stripped = c.text.rstrip()
    if stripped.endswith(":"):
        score -= 0.15
    elif stripped[-1:] not in ".!?\"”)" and words < 15 and not has_verb(c.text):
        score -= 0.1  # a list fragment without a verb
    if is_anaphoric(c.text):
        score -= 0.05
    if is_crossref(c.text):
        score -= 0.2
    if _GLOSSARY_ENTRY_RE.match(c.raw or c.text):
        score -= 0.1  # "Term (også: a, b, c): ..." - the synonym list inflates term matches
    if c.hedged:
        score -= 0.2  # "X er ikke bekræftet, men ...": prefer plain statements
    return score


def _question_adjusted(score: float, c: Candidate, subject: set[str], kind: str) -> float:
    """The score after the bonuses for what the question asks: a definition of its subject, a time, a quantity."""
    if subject and defines(c.text, subject):
        score += 0.25
    if kind == "time" and mentions_time(c.text) or kind == "quantity" and mentions_quantity(c.text):
        score += 0.08
    elif kind in ("time", "quantity") and not (mentions_time(c.text) or mentions_quantity(c.text)):
        score -= NO_FIGURE_PENALTY  # asked for a number or a date, a sentence with neither does not answer
    return score


def score_candidates(
    question: str, candidates: list[Candidate], sources: list[SourceEvidence], query_refs: list[LegalRef]
) -> None:
    """Set ``coverage`` and ``score`` on every candidate (see the module docstring)."""
    question = normalise_ref_spelling(question)  # 'paragraf 59, 2. stk.': the numbers are a provision, not terms
    refs = query_refs or refs_in_text(question)
    by_n = {s.n: s for s in sources}
    q_legal = legal_terms_for_query(refs)
    q_numbers = number_terms(question)
    q_terms = term_set(question) | q_legal | q_numbers
    _match(candidates, sources, refs, q_terms, q_legal, q_numbers)
    n = len(candidates)
    df: dict[str, int] = {}
    for c in candidates:
        for t in c.matches:
            if t not in c.named:  # a name lent by the document's metadata says nothing of how rare the word is
                df[t] = df.get(t, 0) + 1
    idf = {t: math.log(1 + n / (1 + df.get(t, 0))) for t in q_terms}
    # A question naming a provision asks about it: the provision weighs as much as the rest of the question,
    # so a sentence of that provision beats one that shares a common word but is about another §.
    plain_weight = sum(w for t, w in idf.items() if t not in q_legal)
    for t in q_legal:
        idf[t] = max(idf[t], LEGAL_WEIGHT * plain_weight)
    total = sum(idf.values()) or 1.0
    analysis = analyse_question(question)
    kind = question_kind(question) or ("quantity" if analysis.kind == "number" else "")
    parts = [term_set(p) | (q_legal if "§" in p else set()) for p in question_parts(question)]
    focus = _focus(parts, q_terms, q_legal, df, idf)
    subject = definition_subject(question)
    year = analysis.year
    penalties = {src.n: source_penalty(src, sources, refs, year) for src in sources}
    for c in candidates:
        hit = by_n[c.source].hit
        c.coverage = sum(idf[t] * w for t, w in c.matches.items()) / total
        c.focused = bool(set(c.matches) & focus)
        if len(parts) > 1:
            c.part_coverage = [
                sum(idf[t] * c.matches.get(t, 0.0) for t in pt) / (sum(idf[t] for t in pt) or 1.0) for pt in parts
            ]
            c.coverage = sum(c.part_coverage) / len(parts)  # each sub-question weighs the same
        score = c.coverage + 0.05 * max(0.0, min(1.0, hit.relevance)) + 0.04 / c.source
        score -= penalties[c.source]
        c.score = _question_adjusted(_shape_adjusted(score, c), c, subject, kind)


def _near_duplicate(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    inter = len(a & b)
    return inter / len(a | b) >= DUPLICATE_JACCARD or inter / min(len(a), len(b)) >= DUPLICATE_CONTAINMENT


def compose_extractive_answer(
    question: str, hits: list[Hit], query_refs: list[LegalRef] | None = None, *,
    sources: list[SourceEvidence] | None = None,
) -> ExtractiveDraft:
    """Build the extractive answer for ``question`` from ``hits`` (markers are hit positions)."""
    sources = sources if sources is not None else build_evidence(hits)
    candidates = collect_candidates(sources)
    if not candidates:
        return ExtractiveDraft("", abstain_reason="Kilderne indeholder ingen sætninger, der kan besvare spørgsmålet.")
    score_candidates(question, candidates, sources, query_refs or [])
    ranked = sorted(candidates, key=lambda c: (-c.score, c.source, c.position))
    best = ranked[0]
    if best.coverage < MIN_COVERAGE:
        return ExtractiveDraft("", best=best, abstain_reason="Ingen af de fundne kilder svarer tydeligt på spørgsmålet.")
    # The sentence that speaks most closely to the question says the answer is not confirmed: say so, rather
    # than answer with a sentence that merely shares words with the question.
    closest = max(candidates, key=lambda c: (c.coverage, -c.source, -c.position))
    if closest.coverage > best.coverage and (closest.unconfirmed or closest.hedged) and is_unconfirmed(closest.text):
        best = closest
    if len(best.part_coverage) > 1 and best.part_coverage[0] < FIRST_PART_COVERAGE:
        # A question that asks two things is answered in its order: the first part leads.
        first = [c for c in ranked if c.part_coverage[0] >= FIRST_PART_COVERAGE and not c.unconfirmed]
        if first and first[0].score >= FIRST_PART_RATIO * best.score:
            best = first[0]
    if question_kind(question) == "quantity" and not mentions_figure(best.text):
        # Asked how many or how much: lead with the best sentence that gives a figure; none close: say so.
        figured = [c for c in ranked if mentions_figure(c.text) and not c.unconfirmed and c.coverage >= MIN_COVERAGE]
        if not figured or figured[0].score < FIGURE_RATIO * best.score:
            return ExtractiveDraft("", best=best, abstain_reason=NO_FIGURE_REASON)
        best = figured[0]
    if best.unconfirmed:
        return ExtractiveDraft(
            "", best=best, caveat=best,
            abstain_reason=UNCONFIRMED_REASON,
        )
    if best.hedged:  # lead with a plain statement when one is nearly as good
        plain = [c for c in ranked[1:] if not c.hedged and not c.unconfirmed and c.score >= 0.8 * best.score]
        if plain:
            best = max(plain, key=lambda c: (c.score, -c.source, -c.position))
    selected = [best]
    listing = analyse_question(question).kind == "list" or best.text.rstrip().endswith(":")
    budget = LIST_BUDGET if listing else WORD_BUDGET
    _add_context(best, selected, candidates, term_set(question), budget, listing)
    _add_support(best, selected, ranked, budget)
    _cover_parts(selected, ranked)
    caveat = next((c for c in selected if c.unconfirmed), None)
    return ExtractiveDraft(_render(best, selected), selected=selected, best=best, caveat=caveat)


def _total_words(selected: list[Candidate]) -> int:
    return sum(words(c.text) for c in selected)


def _add_support(best: Candidate, selected: list[Candidate], ranked: list[Candidate], budget: int) -> None:
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
        if c.unconfirmed or any(_near_duplicate(c.terms, s.terms) for s in selected):
            continue
        selected.append(c)
        added += 1


def _cover_parts(selected: list[Candidate], ranked: list[Candidate]) -> None:
    """For a question that asks two things, add the best sentence for a part no chosen sentence answers."""
    n_parts = len(ranked[0].part_coverage)
    for i in range(n_parts):
        if any(c.part_coverage[i] >= PART_COVERAGE for c in selected):
            continue
        for c in sorted(ranked, key=lambda c: (-c.part_coverage[i], -c.score)):
            if c.part_coverage[i] < PART_COVERAGE or c.unconfirmed:
                break
            if c in selected or any(_near_duplicate(c.terms, s.terms) for s in selected):
                continue
            selected.append(c)
            break


def _add_context(best: Candidate, selected: list[Candidate], candidates: list[Candidate], q_terms: set[str],
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
        if _GLOSSARY_ENTRY_RE.match(nxt.raw or nxt.text) or _total_words(selected) + words(nxt.text) > budget:
            break  # the next glossary entry is about another term; or the answer is long enough
        if nxt.unconfirmed or any(_near_duplicate(nxt.terms, s.terms) for s in selected):
            break
        if not item and not (nxt.terms & topic):
            break
        selected.append(nxt)
        chosen.add((nxt.source, nxt.position))
        topic |= nxt.terms


_GLOSSARY_ENTRY_RE = re.compile(r"^[^.:()]{2,80}\(også:[^)]*\):")


def _with_marker(sentence: str, n: int) -> str:
    return f"{sentence} [{n}]"


def _render(best: Candidate, selected: list[Candidate]) -> str:
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
