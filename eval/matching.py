"""Matching rules shared by the metrics: is a fact in a text, does a chunk carry a legal reference.

Fact rule (Danish): a fact is found in a text when
  1. every number written in the fact ("6", "1,5", "44.300", "2010") occurs in the text as written, and
  2. at least 60 % of the fact's distinct content terms occur in the text. Content terms are
     ``knowledge.text.content_terms``: lower-cased, Snowball-stemmed (Danish), æ/ø/å folded, stop
     words removed; '§' and numbers are left out of the share (numbers are checked by rule 1).
A fact with neither terms nor numbers is trivially found.

Legal rule: an expected provision (a label such as "almenboligloven § 164, stk. 1", parsed with
``knowledge.legal.find_legal_refs``; a provision without a named act belongs to the central act
almenboligloven) is carried by a chunk when the chunk's own provision (``legal_id``), the ids in
its ``legal_refs`` metadata, or a reference written in its heading/label/text is the same
provision, lies inside it (expected § 164, chunk § 164, stk. 1) or contains it (expected
§ 164, stk. 1, chunk § 164).

First sentence: the first sentence of an answer's first line that is neither blank, a Markdown
heading nor a short lead-in ending in a colon ("Desuden:"), with the citation markers that follow
it ("... kommunalbestyrelsen. [1]" - the sentence splitter puts "[1]" at the start of the next piece).

Stk. rule (stricter than the legal rule): an expected § X, stk. Y is met by a provision that is
§ X, stk. Y or lies inside it (stk. Y, nr. 2); the whole § X or another stk. is not. A § written
without an act (in the answer's text) is taken to mean the expected act.
"""

from __future__ import annotations

import re
from functools import lru_cache

from knowledge.legal import CENTRAL_ACT, LegalRef, find_legal_refs, parse_canonical_id
from knowledge.sentences import split_sentences
from knowledge.text import content_terms, tokenize
from knowledge.types import Chunk

FACT_TERM_SHARE = 0.6
_NUMBER_RE = re.compile(r"^\d+(?:[.,]\d+)*$")
_MARKER_RE = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
_LEADING_MARKERS_RE = re.compile(r"^(?:\[\d+(?:\s*,\s*\d+)*\]\s*)+")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s")


def strip_markers(text: str) -> str:
    """Remove citation markers like [1] or [2, 3] so they do not count as numbers."""
    return _MARKER_RE.sub("", text)


@lru_cache(maxsize=4096)
def fact_parts(fact: str) -> tuple[frozenset[str], frozenset[str]]:
    """(content terms, numbers) of a fact."""
    numbers = frozenset(t for t in tokenize(fact) if _NUMBER_RE.match(t))
    terms = frozenset(t for t in content_terms(fact) if t != "§" and not _NUMBER_RE.match(t))
    return terms, numbers


class TextEvidence:
    """A text prepared once for many fact checks (its terms and numbers)."""

    def __init__(self, text: str) -> None:
        text = strip_markers(text)
        self.numbers = {t for t in tokenize(text) if _NUMBER_RE.match(t)}
        self.terms = set(content_terms(text))

    def term_share(self, fact: str) -> float:
        """Share of the fact's content terms present (1.0 when the fact has none)."""
        terms, _ = fact_parts(fact)
        return len(terms & self.terms) / len(terms) if terms else 1.0

    def has_fact(self, fact: str, share: float = FACT_TERM_SHARE) -> bool:
        """The documented fact rule (module docstring)."""
        _, numbers = fact_parts(fact)
        if not numbers <= self.numbers:
            return False
        return self.term_share(fact) >= share


def fact_in_text(fact: str, text: str, share: float = FACT_TERM_SHARE) -> bool:
    """True if ``fact`` is found in ``text`` by the documented rule."""
    return TextEvidence(text).has_fact(fact, share)


def expected_refs(labels: list[str]) -> list[LegalRef]:
    """Provisions named by a case's legal_refs labels (unparseable labels are skipped)."""
    out: list[LegalRef] = []
    for label in labels:
        for ref in find_legal_refs(label):
            if not (ref.paragraph or ref.chapter):
                continue
            out.append(ref if ref.act else ref.with_act(CENTRAL_ACT))
    return list(dict.fromkeys(out))


def chunk_display_text(chunk: Chunk) -> str:
    """What a reader of the chunk sees: heading path, legal label and text."""
    m = chunk.metadata
    parts = [str(m.get("heading") or ""), str(m.get("legal_label") or ""), chunk.text]
    return "\n".join(p for p in parts if p)


def chunk_refs(chunk: Chunk) -> set[str]:
    """Canonical ids of every provision a chunk carries (metadata and references in its text)."""
    m = chunk.metadata
    ids: set[str] = set()
    if m.get("legal_id"):
        ids.add(str(m["legal_id"]))
    ids.update(str(m.get("legal_refs") or "").split())
    default_act = str(m.get("act") or "") or CENTRAL_ACT
    for ref in find_legal_refs(chunk_display_text(chunk), default_act=default_act):
        if ref.paragraph or ref.chapter:
            ids.add(ref.canonical_id)
    return ids


def ref_matches(expected: LegalRef, carried_id: str) -> bool:
    """Same provision, or one lies inside the other (see module docstring)."""
    if expected.covers(carried_id):
        return True
    try:
        carried = parse_canonical_id(carried_id)
    except ValueError:
        return False
    return carried.covers(expected.canonical_id)


def refs_found(expected: list[LegalRef], carried: set[str]) -> list[LegalRef]:
    """The expected provisions present among carried canonical ids."""
    return [e for e in expected if any(ref_matches(e, c) for c in carried)]


def refs_in_text(text: str) -> set[str]:
    """Canonical ids of provisions written in a text (bare § belongs to the central act)."""
    return {r.canonical_id for r in find_legal_refs(strip_markers(text), default_act=CENTRAL_ACT)
            if r.paragraph or r.chapter}


def marker_numbers(text: str) -> list[int]:
    """The citation numbers in a text's markers ('[1] ... [2, 3]' -> [1, 2, 3]), in order, once each."""
    nums = [int(n) for m in _MARKER_RE.finditer(text) for n in re.findall(r"\d+", m.group(0))]
    return list(dict.fromkeys(nums))


def first_sentence(text: str) -> tuple[str, list[int]]:
    """(first sentence without markers, its marker numbers) of an answer; ('', []) when it has none."""
    for line in text.splitlines():
        body = line.strip()
        if not body or _HEADING_RE.match(line):
            continue
        if body.endswith(":") and not marker_numbers(body) and len(body.split()) <= 8:
            continue  # a lead-in such as "Desuden:"
        pieces = split_sentences(body, strip_bullets=False)
        if not pieces:
            continue
        sentence = pieces[0]
        if len(pieces) > 1:
            lead = _LEADING_MARKERS_RE.match(pieces[1])
            if lead:
                sentence += " " + lead.group(0).strip()
        return strip_markers(sentence).strip(), marker_numbers(sentence)
    return "", []


def stk_refs(labels: list[str]) -> list[LegalRef]:
    """The expected provisions that name a stk. (the ones stk. precision applies to)."""
    return [r for r in expected_refs(labels) if r.paragraph and r.stk is not None]


def meets_stk(expected: LegalRef, carried: LegalRef) -> bool:
    """The stk. rule of the module docstring."""
    if carried.paragraph != expected.paragraph or carried.stk != expected.stk:
        return False
    return carried.act is None or carried.act == expected.act


def stk_carried(text: str, citation_labels: list[str]) -> list[LegalRef]:
    """Provisions a sentence names (act-less § kept without act) plus those in the labels of its citations."""
    refs = [r for r in find_legal_refs(strip_markers(text)) if r.paragraph]
    for label in citation_labels:
        refs += [r for r in find_legal_refs(label, default_act=CENTRAL_ACT) if r.paragraph]
    return refs
