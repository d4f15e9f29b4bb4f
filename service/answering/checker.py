"""The citation check, applied to every generator's output before an answer is shown.

For each sentence of the answer (Markdown lines are kept; list markers and headings are
structure, not claims):

1. Markers ``[n]`` (also ``[1, 2]``) must point at a provided source, 1..N; others are
   invented and removed.
2. A sentence with valid markers is *supported* when
   * lexical support >= ``SUPPORT_THRESHOLD`` (0.6): the share of the sentence's stemmed
     content terms (Danish Snowball stems, stop words, '§' and numbers excluded) that
     occur in the text of the sources it cites (title, heading, legal label and text), and
   * every legal reference it makes ("§ 164, stk. 2", "kapitel 21") is stated by a cited
     source (its text, its own legal id or its legal_refs metadata), and
   * every number it writes (dates, amounts, percentages) occurs in a cited source.
   Cited sources that share too little with the sentence (< ``MIN_MARKER_SUPPORT``) are
   dropped from its markers when the rest still supports it.
3. A sentence without markers is unsupported, except the fixed sentence
   "Det fremgår ikke af kilderne." (``NOT_FOUND``).
4. Unsupported sentences are removed, or kept with "(uden kildebelæg)" when ``mode`` is
   "mark". Markers are renumbered 1..M in order of first use; the citations carry the
   source sentence that best matches the first sentence citing them.
5. If no supported sentence remains, the result says to abstain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from knowledge.legal import find_legal_refs
from knowledge.sentences import split_sentences
from knowledge.types import Citation, Hit
from service.answering.evidence import (
    SourceEvidence,
    build_evidence,
    make_citation,
    number_set,
    overlap_share,
    term_set,
)
from service.answering.models import SentenceVerdict

SUPPORT_THRESHOLD = 0.6
MIN_MARKER_SUPPORT = 0.3
NOT_FOUND = "Det fremgår ikke af kilderne."
UNSUPPORTED_MARK = "(uden kildebelæg)"
CheckMode = Literal["remove", "mark"]

_MARKER_RE = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
_MARKER_VARIANT_RE = re.compile(
    r"\[\s*(?:kilde|kilderne|source|ref\.?)?\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]", re.IGNORECASE
)
_LEADING_MARKERS_RE = re.compile(r"^(?:\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\])+")
_MARKER_SPLIT_RE = re.compile(r"(\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\])\s+(?=[\"“(]?[A-ZÆØÅ§])")
_PREFIX_RE = re.compile(r"^(\s*(?:#{1,6}\s+|[-*•]\s+|\d{1,2}[.)]\s+)?)")
_WS_RE = re.compile(r"[ \t]+")


@dataclass
class CheckResult:
    """The cleaned answer text, its verified citations and the per-sentence verdicts."""

    text: str
    citations: list[Citation]
    verdicts: list[SentenceVerdict]
    abstain: bool
    invalid_markers: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # Danish

    @property
    def supported_count(self) -> int:
        return sum(1 for v in self.verdicts if v.kind == "claim" and v.supported)

    @property
    def unsupported_count(self) -> int:
        return sum(1 for v in self.verdicts if v.kind == "claim" and not v.supported)


def normalise_markers(text: str) -> str:
    """Write marker variants models produce ('[Kilde 2]', '[kilde 1, 3]', '[ 2 ]') as '[2]', '[1, 3]'."""
    return _MARKER_VARIANT_RE.sub(lambda m: f"[{m.group(1)}]", text)


def parse_markers(text: str) -> list[int]:
    """All marker numbers in a text, in order, without duplicates."""
    out: list[int] = []
    for m in _MARKER_RE.finditer(text):
        for part in re.split(r"\s*[,;]\s*", m.group(1)):
            if int(part) not in out:
                out.append(int(part))
    return out


def strip_markers(text: str) -> str:
    """The text without its [n] markers, whitespace tidied."""
    out = _MARKER_RE.sub("", text)
    out = re.sub(r"\s+([.,;:!?])", r"\1", out)
    out = re.sub(r"(?<=[^.]\.)\.(?!\.)", "", out)  # "500 kr. [1]." -> "500 kr."
    return _WS_RE.sub(" ", out).strip()


def _is_not_found(claim: str) -> bool:
    return claim.strip().rstrip(".").strip().lower() == NOT_FOUND.rstrip(".").lower()


def _split_line_sentences(body: str) -> list[str]:
    """Sentences of one line, each keeping the markers that belong to it."""
    pieces: list[str] = []
    for sentence in split_sentences(body, strip_bullets=False):
        pieces.extend(p for p in _MARKER_SPLIT_RE.sub(r"\1\n", sentence).split("\n") if p.strip())
    merged: list[str] = []
    for piece in pieces:
        lead = _LEADING_MARKERS_RE.match(piece)
        if lead and merged:
            merged[-1] = merged[-1] + " " + lead.group(0).strip()
            piece = piece[lead.end():].strip()
        if piece and (any(ch.isalpha() for ch in _MARKER_RE.sub("", piece)) or not merged):
            merged.append(piece)
    return merged


class CitationChecker:
    """Checks answers against a fixed, numbered list of sources (the hits given to the generator)."""

    def __init__(
        self, hits: list[Hit], *, threshold: float = SUPPORT_THRESHOLD, mode: CheckMode = "remove",
        sources: list[SourceEvidence] | None = None,
    ) -> None:
        self.sources: list[SourceEvidence] = sources if sources is not None else build_evidence(hits)
        self.threshold = threshold
        self.mode = mode

    def judge(self, sentence: str) -> SentenceVerdict:
        """Verdict for one sentence (markers refer to source positions 1..N)."""
        markers = parse_markers(sentence)
        claim = strip_markers(sentence)
        if _is_not_found(claim):
            return SentenceVerdict(claim, markers, supported=True, kind="abstain", support=1.0)
        valid = [m for m in markers if 1 <= m <= len(self.sources)]
        if not valid:
            reason = "Sætningen henviser ikke til nogen kilde." if not markers else "Sætningen henviser kun til kilder, der ikke findes."
            return SentenceVerdict(claim, markers, supported=False, reason=reason)
        terms = term_set(claim)
        if not terms:
            return SentenceVerdict(claim, markers, supported=False, reason="Sætningen indeholder ingen påstand, der kan efterprøves.")
        cited = [self.sources[m - 1] for m in valid]
        shares = {s.n: overlap_share(terms, s.terms) for s in cited}
        keep = [s for s in cited if shares[s.n] >= MIN_MARKER_SUPPORT]
        union_all = set().union(*(s.terms for s in cited))
        union_keep = set().union(*(s.terms for s in keep)) if keep else set()
        support_keep = overlap_share(terms, union_keep)
        if keep and support_keep >= self.threshold:
            used, support = keep, support_keep
        else:
            used, support = cited, overlap_share(terms, union_all)
        if support < self.threshold:
            return SentenceVerdict(
                claim, markers, supported=False, support=support,
                reason=f"Kun {support:.0%} af sætningens indholdsord findes i den citerede kilde (krav: {self.threshold:.0%}).",
            )
        for ref in find_legal_refs(claim):
            if not (ref.paragraph or ref.chapter):
                continue
            if not any(s.has_ref(ref) for s in used):
                return SentenceVerdict(
                    claim, markers, supported=False, support=support,
                    reason=f"Den citerede kilde nævner ikke {ref.label}.",
                )
        numbers = number_set(claim)
        known = set().union(*(s.numbers for s in used))
        missing = sorted(numbers - known)
        if missing:
            return SentenceVerdict(
                claim, markers, supported=False, support=support,
                reason=f"Tallet {missing[0]} findes ikke i den citerede kilde.",
            )
        return SentenceVerdict(claim, markers, supported=True, support=support, sources=[s.n for s in used])

    def check(self, text: str) -> CheckResult:
        """Check a whole answer: returns cleaned text, renumbered citations and verdicts."""
        session = self.start()
        for line in text.splitlines():
            session.feed_line(line)
        return session.finish()

    def start(self) -> "CheckSession":
        """A line-by-line check (for streaming); what it emits is exactly the final text."""
        return CheckSession(self)

    def check_line(
        self, line: str, numbering: dict[int, int], quotes: dict[int, str]
    ) -> tuple[str | None, list[SentenceVerdict], bool]:
        """Render one line: (text, or None to drop, or '' for a blank line; verdicts; hold it back)."""
        if not line.strip():
            return "", [], False
        line = normalise_markers(line)
        prefix = _PREFIX_RE.match(line).group(1)  # type: ignore[union-attr]
        body = line[len(prefix):].strip()
        if prefix.strip().startswith("#") or (body.endswith(":") and not parse_markers(body) and len(body.split()) <= 8):
            return line.rstrip(), [SentenceVerdict(body, [], supported=True, kind="structure")], True
        kept: list[str] = []
        verdicts: list[SentenceVerdict] = []
        for sentence in _split_line_sentences(body):
            verdict = self.judge(sentence)
            verdicts.append(verdict)
            if verdict.kind == "abstain":
                kept.append(NOT_FOUND)
            elif verdict.supported:
                for n in verdict.sources:
                    if n not in numbering:
                        numbering[n] = len(numbering) + 1
                    quotes.setdefault(n, self.sources[n - 1].best_quote(term_set(verdict.sentence)))
                kept.append(_renumber(sentence, verdict.sources, numbering))
            elif self.mode == "mark":
                kept.append(f"{verdict.sentence} {UNSUPPORTED_MARK}")
        if not kept:
            return None, verdicts, False
        # A line without a supported claim ("not in the sources", or only marked sentences) is
        # held back like structure: shown only if a supported sentence follows, so a streamed
        # answer never has to be taken back when the whole answer turns into an abstention.
        hold = not any(v.kind == "claim" and v.supported for v in verdicts)
        return prefix.lstrip() + " ".join(kept), verdicts, hold


class CheckSession:
    """State of one answer's check; feed lines, then ``finish``."""

    def __init__(self, checker: CitationChecker) -> None:
        self.checker = checker
        self.numbering: dict[int, int] = {}
        self.quotes: dict[int, str] = {}
        self.verdicts: list[SentenceVerdict] = []
        self.emitted: list[str] = []
        self._blank = False
        self._structure: list[tuple[bool, str]] = []

    def feed_line(self, line: str) -> str:
        """Check one line; return the text to show now ('' if nothing yet)."""
        rendered, verdicts, structural = self.checker.check_line(line, self.numbering, self.quotes)
        self.verdicts.extend(verdicts)
        if rendered == "":
            if self.emitted or self._structure:
                self._blank = True
            return ""
        if structural:  # structure and "not in the sources" lines wait for supported content
            # a lead-in ("Desuden:") that got no content before the next structure is dropped
            self._structure = [(b, t) for b, t in self._structure if not _is_lead_in(t)]
            self._structure.append((self._blank, rendered))  # type: ignore[arg-type]
            self._blank = False
            return ""
        if rendered is None:
            return ""
        out: list[str] = []
        for blank, text in [*self._structure, (self._blank, rendered)]:
            sep = "" if not self.emitted and not out else ("\n\n" if blank else "\n")
            out.append(sep + text)
        self._structure = []
        self._blank = False
        piece = "".join(out)
        self.emitted.append(piece)
        return piece

    def feed_text(self, text: str) -> str:
        """Check several complete lines at once."""
        return "".join(self.feed_line(line) for line in text.splitlines())

    def finish(self) -> CheckResult:
        """The final result; its text equals everything returned by ``feed_line``."""
        sources = self.checker.sources
        invalid: list[int] = []
        for v in self.verdicts:
            invalid.extend(m for m in v.markers if not 1 <= m <= len(sources) and m not in invalid)
        citations = [
            make_citation(new, sources[old - 1], self.quotes.get(old, ""))
            for old, new in sorted(self.numbering.items(), key=lambda kv: kv[1])
        ]
        supported = any(v.kind == "claim" and v.supported for v in self.verdicts)
        notes: list[str] = []
        if invalid:
            notes.append(f"Henvisninger til kilder, der ikke findes, er fjernet: {', '.join(f'[{m}]' for m in invalid)}.")
        removed = sum(1 for v in self.verdicts if v.kind == "claim" and not v.supported)
        if removed:
            verb = "markeret" if self.checker.mode == "mark" else "fjernet"
            notes.append(f"{removed} sætning(er) uden tilstrækkeligt kildebelæg er {verb}.")
        return CheckResult("".join(self.emitted), citations, list(self.verdicts), abstain=not supported,
                           invalid_markers=invalid, notes=notes)


def _is_lead_in(line: str) -> bool:
    return line.rstrip().endswith(":") and not line.lstrip().startswith("#") and not parse_markers(line)


def _renumber(sentence: str, keep: list[int], numbering: dict[int, int]) -> str:
    """Rewrite a sentence's markers to the compact numbering, dropping markers not in ``keep``."""
    seen: list[int] = []

    def repl(m: re.Match[str]) -> str:
        nums = [int(p) for p in re.split(r"\s*[,;]\s*", m.group(1))]
        new = [numbering[n] for n in nums if n in keep and numbering[n] not in seen]
        seen.extend(new)
        return "".join(f"[{n}]" for n in new)

    out = _MARKER_RE.sub(repl, sentence)
    out = re.sub(r"\s+([.,;:!?])", r"\1", out)
    out = re.sub(r"(\])(?=\[)", r"\1", out)
    out = _WS_RE.sub(" ", out).strip()
    if not seen and keep:
        out = f"{out} " + "".join(f"[{numbering[n]}]" for n in keep)
    return out


def check_answer(text: str, hits: list[Hit], *, threshold: float = SUPPORT_THRESHOLD, mode: CheckMode = "remove") -> CheckResult:
    """Check an answer whose markers refer to ``hits`` by position (1-based)."""
    return CitationChecker(hits, threshold=threshold, mode=mode).check(text)
