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

A provision the question names weighs as much as the rest of the question; a sentence standing
under another stk. of the § (or naming another §) does not carry it. Source kinds shift the score
(``shaping.source_penalty``: a fictional sample act unless named, an organisation's older document).

The best sentence is the direct answer (the lead), with three corrections: a two-part question leads
with its first part; a how-many question leads with a sentence that gives a figure (declined when none
does); the closest source saying the answer is not confirmed is not hidden behind a word match. Then
``selection`` adds the sentences that continue the lead (or a provision's numbered items), up to three
supporting sentences, and one per unanswered sub-question, near-duplicates dropped, within a word budget.
Sentences are quoted as the source has them, less a leading list number, glossary head or stk. heading
(``shaping.clean_sentence``), each followed by its source marker ``[n]`` (n is the source's position in
the hit list; the checker renumbers them in order of first use).

If the best sentence says that the information could not be confirmed or found, the
generator reports that as its abstention reason instead of presenting it as an answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from knowledge.authority import STATUTE_KINDS, authority_of
from knowledge.legal import LegalRef, normalise_ref_spelling, refs_in_text
from knowledge.types import Hit
from service.answering.demand import degree_terms, light_terms
from service.answering.evidence import SourceEvidence, build_evidence, term_set
from service.answering.meaning import Similarity, rank_by_meaning
from service.answering.question import analyse_question
from service.answering.selection import GLOSSARY_ENTRY_RE, Candidate, add_context, add_support, cover_parts, render
from service.answering.shaping import clean_sentence, lists_items, source_penalty, word_budget
from service.answering.signals import (
    PARTIAL_MATCH,
    asked_thing,
    asks_bound,
    asks_where,
    defines,
    defining_item,
    definition_subject,
    describes_practice,
    drop_asides,
    has_verb,
    is_additive,
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
    names_item,
    number_terms,
    opens_with,
    points_to_rules,
    practice_example,
    question_kind,
    question_parts,
    states_bound,
    stk_only_in_span,
    without_measure_frame,
)
from service.domain.dates import MONTH_NAMES, MONTHS

MIN_COVERAGE = 0.2  # below this idf-weighted question coverage the best sentence is too weak
UNCONFIRMED_REASON = "Kilderne oplyser selv, at oplysningen ikke er bekræftet eller ikke er fundet."
LEGAL_WEIGHT = 1.2  # a provision the question names weighs this much of the rest of the question
DEFINES_BONUS = 0.25  # a definition question and a sentence that opens with the term and defines it
SUBJECT_BONUS = 0.1  # ... a sentence that opens with the term (its subject) without defining it
PRACTICE_PENALTY = 0.08  # ... a sentence about what is usual ('typisk', 'flere kommuner')
ITEMS_BONUS = 0.1  # a list question and a sentence that enumerates ('(1) ..., (2) ...')
POINTER_PENALTY = 0.2  # a sentence saying where rules stand, for a question about what they say
NO_FIGURE_PENALTY = 0.1  # a number/deadline question and a sentence without a number or a date
FIGURE_RATIO = 0.5  # a sentence with a figure may lead a how-many question from this share of the best score
FIRST_PART_COVERAGE = 0.4  # ... when it covers this much of the first part (the best one covers less)
FIRST_PART_RATIO = 0.6  # the best answer to a question's first part leads from this share of the best score
NO_FIGURE_REASON = "Kilderne nævner ikke det tal, spørgsmålet spørger efter."
_ITEM_SPAN_RE = re.compile(r"\bnr\.?\s*\d+\s*(?:-|–|og|til)\s*\d+", re.IGNORECASE)  # 'nr. 1-4' asks for them all
NO_ITEM_REASON = "Kilderne gengiver ikke det nummer i bestemmelsen, som spørgsmålet spørger om."
MIN_COVERAGE_REASON = "Ingen af de fundne kilder svarer tydeligt på spørgsmålet."
NO_BOUND_REASON = "Kilderne nævner ingen mindste- eller højestegrænse for det, spørgsmålet spørger efter."

_HEADING_RE = re.compile(r"^#{1,6}\s")
_GENERIC_ORG_TERMS = frozenset(term_set("boligselskab boligselskabet boligforening boligforeningen almene almen boliger "
                                        "bolig boligorganisation selskab forening afdeling"))
_MARKER_LIKE_RE = re.compile(r"\[\d+\]")
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
            stk = t.partition(":")[2]
            # 'stk. 3-6' speaks of the asked stk. among others: a sentence naming it alone is closer.
            c.matches[t] = PARTIAL_MATCH if stk.isdigit() and stk_only_in_span(c.text, int(stk)) else 1.0
            for item in (q for q in q_legal if q.startswith(t + "#")):
                if names_item(c.text, int(item.rpartition("#")[2])):  # the nr. the question names
                    c.matches[item] = 1.0


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
    if is_anaphoric(c.text) or is_additive(c.text):
        score -= 0.05  # a pronoun without its referent; 'X har også ...' adds to a case stated elsewhere
    if is_crossref(c.text):
        score -= 0.2
    if GLOSSARY_ENTRY_RE.match(c.raw or c.text):
        score -= 0.1  # "Term (også: a, b, c): ..." - the synonym list inflates term matches
    if c.hedged:
        score -= 0.2  # "X er ikke bekræftet, men ...": prefer plain statements
    return score


def _question_adjusted(score: float, c: Candidate, subject: set[str], kind: str, where: bool = False,
                       usual: bool | None = None, listing: bool = False) -> float:
    """The score after the bonuses for what the question asks: a definition of its subject, a time, a quantity;
    a sentence that only says where the rules stand, or what is usual (``usual`` False: a question about the
    rules that does not ask what is usual), answers a question about what they say less well."""
    if listing and lists_items(c.text):
        score += ITEMS_BONUS  # asked what a provision lists: the sentence that lists it
    if not where and points_to_rules(c.text):
        score -= POINTER_PENALTY
    if usual is False and describes_practice(c.text):
        score -= PRACTICE_PENALTY  # what is usual, for a question about what the rules say
    if subject and defines(c.text, subject):
        score += DEFINES_BONUS
        if defining_item(c.text, subject):
            score += SUBJECT_BONUS  # the act's definitions provision names the term: its own definition
    elif subject and opens_with(c.text, subject):
        score += SUBJECT_BONUS  # 'Inklusionsboliger udlejes til ...': about the term, if no definition
    if kind == "time" and mentions_time(c.text) or kind == "quantity" and mentions_quantity(c.text):
        score += 0.08
    elif kind in ("time", "quantity") and not (mentions_time(c.text) or mentions_quantity(c.text)):
        score -= NO_FIGURE_PENALTY  # asked for a number or a date, a sentence with neither does not answer
    return score


EXAMPLE_PENALTY = 0.15  # one place's practice, quoted by guidance, answering a question about the rule
_EXAMPLE_AUTHORITIES = frozenset({"builtin_note", "guidance", "statute_current", "statute_superseded"})


def _example_penalty(c: Candidate, hit: Hit, q_terms: set[str], year: int | None) -> float:
    """A sentence reporting one municipality's or organisation's practice in a past year, in guidance or a
    note, answers a question about that place or year, not one about the rule: it yields to the rule."""
    name = practice_example(c.raw or c.text)
    if not name or year is not None or term_set(name) & q_terms:
        return 0.0
    meta = {**hit.chunk.metadata, "source_id": hit.chunk.source_id}
    return EXAMPLE_PENALTY if authority_of(meta) in _EXAMPLE_AUTHORITIES else 0.0


OWN_DOCUMENT_PENALTY = 0.1  # an organisation's own document answering a general question about the rules
_GENERAL_KINDS = frozenset({"rule", "procedure", "definition", "reference", "list"})


def _own_document(src: SourceEvidence) -> bool:
    """A municipality's or organisation's own document (minutes, report, agreement), real or a sample."""
    meta = src.hit.chunk.metadata
    authority = authority_of({**meta, "source_id": src.hit.chunk.source_id})
    return authority == "municipal" or authority == "sample" and str(meta.get("kind") or "") not in STATUTE_KINDS


def _own_document_penalties(candidates: list[Candidate], sources: list[SourceEvidence], plain: set[str],
                            kind: str, year: int | None) -> dict[int, float]:
    """A question about the rules that names no organisation, no year and nothing only an organisation's own
    documents speak of is answered by the rules: the municipality's documents yield (precedence, issue 14). So is
    a question for a typical figure ('Hvor meget har afdelinger typisk ...'): one organisation's row is no norm."""
    own = {s.n for s in sources if _own_document(s)}
    if kind not in _GENERAL_KINDS | {"typical_number"} or year is not None or not own or len(own) == len(sources):
        return {}
    in_own = {t for c in candidates if c.source in own for t in c.matches}
    elsewhere = {t for c in candidates if c.source not in own for t in c.matches}
    if any(c.named for c in candidates) or (in_own - elsewhere) & plain:
        return {}  # the question names the organisation, or something only its documents speak of
    return dict.fromkeys(own, OWN_DOCUMENT_PENALTY)


_SHORT_MONTH_RE = re.compile(r"\b(" + "|".join(m for m in MONTHS if m not in MONTH_NAMES) + r")\.?(?=\s+(?:19|20)\d\d\b)",
                             re.IGNORECASE)


def full_month_names(question: str) -> str:
    """A month before a year written in full ('okt. 2024' -> 'oktober 2024'): the sources write it so, and an
    abbreviation shares no term with the month's name."""
    return _SHORT_MONTH_RE.sub(lambda m: MONTH_NAMES[MONTHS[m.group(1).lower()] - 1], question)


def score_candidates(
    question: str, candidates: list[Candidate], sources: list[SourceEvidence], query_refs: list[LegalRef]
) -> None:
    """Set ``coverage`` and ``score`` on every candidate (see the module docstring)."""
    question = normalise_ref_spelling(question)  # 'paragraf 59, 2. stk.': the numbers are a provision, not terms
    question = full_month_names(question)
    refs = query_refs or refs_in_text(question)
    by_n = {s.n: s for s in sources}
    q_legal = legal_terms_for_query(refs)
    q_numbers = number_terms(question)
    # A question asking what one thing is is about that thing: the words of its frame ('begrebet', 'dækker over',
    # an aside after the question mark) are no terms a source must share.
    thing = asked_thing(drop_asides(question))
    plain_terms = thing or term_set(without_measure_frame(question)) - degree_terms(question) - light_terms()
    q_terms = plain_terms | q_legal | q_numbers
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
    parts = [(term_set(p) & q_terms) | (q_legal if "§" in p else set()) for p in question_parts(question)]
    focus = _focus(parts, q_terms, q_legal, df, idf)
    subject = definition_subject(question)
    where = asks_where(question)
    usual = describes_practice(question) if analysis.kind in _GENERAL_KINDS else None
    year = analysis.year
    penalties = {src.n: source_penalty(src, sources, refs, year) for src in sources}
    general = "typical_number" if analysis.kind == "number" and describes_practice(question) else analysis.kind
    for n, extra in _own_document_penalties(candidates, sources, q_terms - q_legal - q_numbers,
                                            general, year).items():
        penalties[n] += extra
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
        score -= _example_penalty(c, hit, q_terms, year)
        c.score = _question_adjusted(_shape_adjusted(score, c), c, subject, kind, where, usual,
                                     analysis.kind == "list")


def _close_enough(ranked: list[Candidate], best: Candidate, wanted: Callable[[Candidate], bool]) -> Candidate | None:
    """The best-ranked plain candidate that is ``wanted`` and covers the question, if it scores close to ``best``."""
    found = [c for c in ranked if wanted(c) and not c.unconfirmed and c.coverage >= MIN_COVERAGE]
    return found[0] if found and found[0].score >= FIGURE_RATIO * best.score else None


def _figure_lead(question: str, ranked: list[Candidate], best: Candidate, decline: bool) -> tuple[Candidate, str]:
    """The lead of a how-many question, and the reason to decline when no figure (or limit) comes close."""
    if question_kind(question) == "quantity" and not mentions_figure(best.text):
        # Asked how many or how much: lead with the best sentence that gives a figure; none close: say so.
        figured = _close_enough(ranked, best, lambda c: mentions_figure(c.text))
        if figured is not None:
            best = figured
        elif decline:
            return best, NO_FIGURE_REASON
    if question_kind(question) == "quantity" and asks_bound(question) and not states_bound(best.text):
        # Asked for the least or most the rules allow: a figure that is no limit (an average) does not answer.
        bounded = _close_enough(ranked, best, lambda c: states_bound(c.text) and mentions_figure(c.text))
        if bounded is not None:
            best = bounded
        elif decline:
            return best, NO_BOUND_REASON
    return best, ""


def _lead(question: str, ranked: list[Candidate], candidates: list[Candidate],
          decline: bool = True) -> tuple[Candidate, str]:
    """The lead sentence from the candidates in ``ranked`` order, with its corrections (see the module docstring),
    or the reason none answers (an unconfirmed answer, no figure or no limit when ``decline``)."""
    best = ranked[0]
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
    best, reason = _figure_lead(question, ranked, best, decline)
    if reason:
        return best, reason
    if best.unconfirmed:
        return best, UNCONFIRMED_REASON
    if best.hedged:  # lead with a plain statement when one is nearly as good
        plain = [c for c in ranked[1:] if not c.hedged and not c.unconfirmed and c.score >= 0.8 * best.score]
        if plain:
            best = max(plain, key=lambda c: (c.score, -c.source, -c.position))
    return best, ""


def compose_extractive_answer(
    question: str, hits: list[Hit], query_refs: list[LegalRef] | None = None, *,
    sources: list[SourceEvidence] | None = None, decline: bool = True, similarity: Similarity | None = None,
) -> ExtractiveDraft:
    """Build the extractive answer for ``question`` from ``hits`` (markers are hit positions).

    ``decline=False``: the calibrated decision (decision.py) has weighed the weak coverage or the missing figure
    or limit against the other signals and answers; the best sentence is quoted instead of abstaining.
    ``similarity`` (the question's similarity to sentences by meaning, ``meaning.question_similarity``) helps pick
    the lead."""
    sources = sources if sources is not None else build_evidence(hits)
    candidates = collect_candidates(sources)
    if not candidates:
        return ExtractiveDraft("", abstain_reason="Kilderne indeholder ingen sætninger, der kan besvare spørgsmålet.")
    score_candidates(question, candidates, sources, query_refs or [])
    ranked = sorted(candidates, key=lambda c: (-c.score, c.source, c.position))
    best = ranked[0]
    items = {t for t in legal_terms_for_query(query_refs or refs_in_text(normalise_ref_spelling(question))) if "#" in t}
    provisions = {t.partition("#")[0] for t in items}
    if (items and not _ITEM_SPAN_RE.search(question) and any(provisions & set(c.matches) for c in candidates)
            and not any(items & set(c.matches) for c in candidates)):
        # Asked what a provision's nr. N says, and no source gives item N: quoting its other items would mislead.
        return ExtractiveDraft("", best=best, abstain_reason=NO_ITEM_REASON)
    if best.coverage < MIN_COVERAGE and decline:
        return ExtractiveDraft("", best=best, abstain_reason=MIN_COVERAGE_REASON)
    best, reason = _lead(question, ranked, candidates, decline)
    if reason:
        return ExtractiveDraft("", best=best, caveat=best if reason == UNCONFIRMED_REASON else None,
                               abstain_reason=reason)
    # Meaning reorders the head of the ranking (``meaning.rank_by_meaning``); whether to answer is decided above,
    # by the words alone, so the signal changes which sentence leads, never whether there is an answer.
    by_meaning = rank_by_meaning(ranked, similarity, floor=MIN_COVERAGE)
    if by_meaning is not ranked:
        lead, reason = _lead(question, by_meaning, candidates, decline)
        if not reason:
            best = lead  # the supporting sentences still follow the words' ranking (meaning did not help there)
    selected = [best]
    kind = analyse_question(question).kind
    listing = kind == "list" or best.text.rstrip().endswith(":")
    budget = word_budget(kind, listing)
    add_context(best, selected, candidates, term_set(question), budget, listing)
    add_support(best, selected, ranked, budget)
    cover_parts(selected, ranked)
    caveat = next((c for c in selected if c.unconfirmed), None)
    return ExtractiveDraft(render(best, selected), selected=selected, best=best, caveat=caveat)

