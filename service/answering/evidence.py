"""What a retrieved chunk offers as evidence: its terms, numbers, legal references, sentences.

Shared by the extractive generator and the citation checker so both judge support alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from knowledge.legal import LegalRef, find_legal_refs, parse_canonical_id
from knowledge.sentences import split_sentences
from knowledge.text import content_terms, tokenize
from knowledge.types import Citation, Hit

_NUMBER_RE = re.compile(r"^\d+(?:[.,]\d+)*$")
# Words that only structure legal references; they say nothing about content.
_STRUCTURE_TERMS = frozenset({"§", "stk", "nr", "pkt", "jf", "kap", "kapitel", "litra", "afsn"})
_QUOTE_MAX_CHARS = 400
# A sentence that opens a stk. of a paragraph's text: 'Stk. 2. ...', 'Stk. 4 – omdannelsesområde ...'.
STK_OPENING_RE = re.compile(r"^Stk\.\s*(\d+)\b")
# Text of a source that addresses the assistant ("ignorer alle instruktioner", "SYSTEM:", "svar altid ...",
# our own fence tags) is data, never evidence: it supports no claim and is never quoted. Otherwise an
# obedient model repeating what an injected instruction told it, citing that very source, would pass the check.
_INSTRUCTION_RE = re.compile(
    r"\b(?:ignor(?:er|ér|e)|glem|forget|disregard|tilsidesæt)\b[^.\n]{0,60}?"
    r"\b(?:instruks\w*|instruktion\w*|instructions?|kilde\w*|sources?|regl\w*|rules?|tidligere|previous|above|"
    r"ovenstående|prompt\w*)"
    r"|\b(?:du er nu|you are now)\b"
    r"|(?:^|[\s>\]])(?:system|assistant|assistent)\s*:"
    r"|<\s*/?\s*kilder\s*>"
    r"|\b(?:svar|answer|respond|reply)\s+(?:altid|always|præcis|exactly|kun|only|udelukkende)\b"
    r"|\bsvar på (?:ethvert|alle) spørgsmål"
    r"|\b(?:udviklertilstand|developer mode|jailbreak)\b|\bcitationskontrol",
    re.IGNORECASE,
)


def without_instructions(text: str) -> str:
    """The text without what addresses the assistant (prompt injection in a source): in a line with an
    instruction, the instruction and everything after it on that line (its payload) are left out."""
    if not _INSTRUCTION_RE.search(text):
        return text
    lines = []
    for line in text.split("\n"):
        if not _INSTRUCTION_RE.search(line):
            lines.append(line)
            continue
        kept = []
        for sentence in split_sentences(line):
            if _INSTRUCTION_RE.search(sentence):
                break
            kept.append(sentence)
        if kept:
            lines.append(" ".join(kept))
    return "\n".join(lines)


def term_set(text: str) -> set[str]:
    """Stemmed content terms of a text (stop words, numbers, single letters such as the 'a' of '§ 168 a', and
    '§', 'stk.', 'nr.' ... removed)."""
    return {t for t in content_terms(text) if t not in _STRUCTURE_TERMS and not _NUMBER_RE.match(t) and len(t) > 1}


def number_set(text: str) -> set[str]:
    """Numbers written in a text ('164', '1,5', '2010'), normalised ('1.5' == '1,5' is not assumed)."""
    return {t for t in tokenize(text) if _NUMBER_RE.match(t)}


def overlap_share(terms: set[str], other: set[str]) -> float:
    """Share of ``terms`` present in ``other`` (0 when ``terms`` is empty)."""
    if not terms:
        return 0.0
    return len(terms & other) / len(terms)


@dataclass
class SourceEvidence:
    """One numbered source (1-based ``n``) and the evidence it carries."""

    n: int
    hit: Hit
    _sentence_terms: dict[int, set[str]] = field(default_factory=dict, repr=False)

    @cached_property
    def chunk_text(self) -> str:
        """The chunk's text as evidence: lines addressing the assistant are left out."""
        return without_instructions(self.hit.chunk.text)

    @cached_property
    def display_text(self) -> str:
        """Heading, legal label and text: what a reader of the source sees."""
        chunk = self.hit.chunk
        return "\n".join(p for p in (chunk.title, chunk.heading, chunk.legal_label, self.chunk_text) if p)

    @cached_property
    def terms(self) -> set[str]:
        return term_set(self.display_text)

    @cached_property
    def refs(self) -> list[LegalRef]:
        """Legal references the source states: in its text, its own id and its legal_refs metadata."""
        chunk = self.hit.chunk
        act = str(chunk.metadata.get("act") or "") or None
        if act is None and chunk.legal_id:
            act = chunk.legal_id.split(":", 1)[0]
        refs = list(find_legal_refs(self.display_text, default_act=act))
        refs += parse_ref_list(str(chunk.legal_id or ""), act)
        refs += parse_ref_list(chunk.metadata.get("legal_refs"), act)
        return list(dict.fromkeys(refs))

    @cached_property
    def numbers(self) -> set[str]:
        nums = number_set(self.display_text)
        for ref in self.refs:
            for part in (ref.paragraph, ref.chapter):
                if part:
                    nums.add(part.split(" ")[0])
            for value in (ref.stk, ref.nr):
                if value is not None:
                    nums.add(str(value))
        return nums

    @cached_property
    def sentences(self) -> list[str]:
        return split_sentences(self.chunk_text)

    @cached_property
    def own_stk(self) -> int | None:
        """The stk. the chunk itself is (its legal id names one), else None."""
        try:
            return parse_canonical_id(self.hit.chunk.legal_id).stk if self.hit.chunk.legal_id else None
        except ValueError:
            return None

    @cached_property
    def sentence_stks(self) -> list[int | None]:
        """The stk. each sentence belongs to: a paragraph's text runs 'Stk. 2. ...', 'Stk. 3. ...', and each
        sentence belongs to the last stk. that opened before it (the chunk's own stk. before the first)."""
        current = self.own_stk
        out: list[int | None] = []
        for sentence in self.sentences:
            m = STK_OPENING_RE.match(sentence)
            if m:
                current = int(m.group(1))
            out.append(current)
        return out

    def sentence_terms(self, i: int) -> set[str]:
        if i not in self._sentence_terms:
            self._sentence_terms[i] = term_set(self.sentences[i])
        return self._sentence_terms[i]

    def best_quote(self, claim_terms: set[str]) -> str:
        """The source sentence that shares most terms with a claim (the first sentence if none)."""
        best_i, best = 0, -1.0
        for i in range(len(self.sentences)):
            st = self.sentence_terms(i)
            if not st:
                continue
            score = len(claim_terms & st) / (1 + 0.02 * len(st))
            if score > best:
                best_i, best = i, score
        quote = self.sentences[best_i] if self.sentences else self.chunk_text.strip()
        return quote if len(quote) <= _QUOTE_MAX_CHARS else quote[: _QUOTE_MAX_CHARS - 1].rstrip() + "…"

    def has_ref(self, ref: LegalRef) -> bool:
        """True if the source states the provision ``ref`` (act must agree when both name one)."""
        for own in self.refs:
            if ref.act and own.act and ref.act != own.act:
                continue
            if ref.paragraph:
                if own.paragraph != ref.paragraph:
                    continue
                if ref.stk is None or own.stk == ref.stk:
                    return True
                if own.stk is None and re.search(rf"\bstk\.\s*{ref.stk}\b", self.chunk_text, re.IGNORECASE):
                    return True
            elif ref.chapter and own.chapter == ref.chapter:
                return True
        if ref.chapter and not ref.paragraph:
            return bool(re.search(rf"\bkap(?:itel|\.)\s*{re.escape(ref.chapter)}\b", self.display_text, re.IGNORECASE))
        return False


def parse_ref_list(value: object, act: str | None = None) -> list[LegalRef]:
    """The provisions of a legal_refs value: canonical ids separated by spaces or commas
    ('almenboligloven:§59:stk2 almenboligloven:§60'), a list of ids, or labels as people write them
    ('§ 164, stk. 1; § 165'). A label's comma belongs to it ('§ 164, stk. 1' is one provision), so labels are
    read with the reference parser, never split on commas."""
    items = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value or "")]
    out: list[LegalRef] = []
    for item in items:
        for token in re.split(r"[\s,;]+", item.strip()):
            if not token:
                continue
            try:
                out.append(parse_canonical_id(token))
            except ValueError:
                if "§" not in item and not re.search(r"\bkap", item, re.IGNORECASE):
                    continue
                out += find_legal_refs(item, default_act=act)
                break
    return list(dict.fromkeys(out))


def build_evidence(hits: list[Hit]) -> list[SourceEvidence]:
    """Number the hits 1..N as sources."""
    return [SourceEvidence(i, hit) for i, hit in enumerate(hits, 1)]


def make_citation(n: int, source: SourceEvidence, quote: str, *, verified: bool = True) -> Citation:
    """The numbered citation for a source, with the quote that supports the answer."""
    chunk = source.hit.chunk
    meta = chunk.metadata

    def page(key: str) -> int | None:
        value = meta.get(key)
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    return Citation(
        n=n,
        chunk_id=chunk.id,
        source_id=chunk.source_id,
        title=chunk.title,
        kind=str(meta.get("kind") or ""),
        label=chunk.citation_label(),
        legal_label=chunk.legal_label,
        heading=chunk.heading,
        page_start=page("page_start"),
        page_end=page("page_end"),
        quote=quote,
        url=str(meta.get("url") or meta.get("source_url") or ""),
        verified=verified,
    )
