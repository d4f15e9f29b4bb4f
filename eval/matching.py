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
"""

from __future__ import annotations

import re
from functools import lru_cache

from knowledge.legal import CENTRAL_ACT, LegalRef, find_legal_refs, parse_canonical_id
from knowledge.text import content_terms, tokenize
from knowledge.types import Chunk

FACT_TERM_SHARE = 0.6
_NUMBER_RE = re.compile(r"^\d+(?:[.,]\d+)*$")
_MARKER_RE = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")


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
