"""Sentence splitting for legal Danish.

General-purpose splitters break legal Danish in the wrong places: after "jf.", "stk.",
"nr." before a number, after ordinals in dates ("1. januar 2010") and after abbreviations
such as "bl.a." or "f.eks.". The rules here:

* A sentence ends at ``.``, ``!``, ``?`` or ``…`` (optionally followed by closing quotes or
  brackets) when whitespace and a plausible sentence start follow: an upper-case letter,
  a digit, ``§``, an opening quote or bracket.
* Never after a known non-final abbreviation ("jf.", "stk.", "nr.", "pkt.", "bl.a.",
  "f.eks.", "ca.", "mio.", "mia.", month abbreviations ...), after a single upper-case
  initial ("K. Ellemann") or after an ordinal/number when lower case follows ("1. januar").
* Abbreviations that can also close a sentence ("m.v.", "osv.", "kr.", "pct.") end it
  only when an upper-case word follows ("1,5 mia. kr. Aftalen ...").
* A number followed by a period ends a sentence before an upper-case word
  ("§ 164, stk. 1. Kommunen ..."), but not before a digit or lower case.
* Line structure counts: blank lines, Markdown headings, bullet and numbered list items
  and table rows are separate units (headings keep their ``#`` so callers can tell them
  apart); other single line breaks are soft wraps.

``split_sentences`` returns trimmed sentences with whitespace runs collapsed and leading
bullet markers removed; ``iter_sentence_spans`` gives the raw character spans and ``sentence_end``
where the sentence around a position ends. This is the one sentence splitter of the code base.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Abbreviations after which a sentence never ends (lower-case, with their final period).
NON_FINAL_ABBREVIATIONS = frozenset(
    """jf. jfr. stk. nr. nrs. pkt. bl.a. f.eks. fx. ca. mio. mia. mill. kap. afsn. art. lit.
    bek. lbk. vejl. cirk. ref. s. ss. sml. evt. inkl. ekskl. vedr. iht. ift. mht. pga.
    dvs. el. hhv. henh. ang. tlf. kl. st. gl. nuv. fhv. jan. feb. mar. apr. jun. aug.
    sep. sept. okt. nov. dec. prof. dr. hr. adm. dir. afd. alm. lovbek. m.h.t. i.h.t.
    f.o.m. t.o.m. p.t. cvr. reg. ff. pr. vs. iflg. jvf.""".split()
)
# Abbreviations that may also close a sentence: end it only before an upper-case word.
FINAL_ABBREVIATIONS = frozenset(
    """m.v. mv. osv. m.fl. mfl. m.m. mm. etc. kr. pct. t.kr. mio.kr. mia.kr. ApS. A/S.""".lower().split()
)

_END_RE = re.compile(r"(?:\.{3}|…|[.!?])[\"'”’»)\]]*(?=\s)")
_WORD_BEFORE_RE = re.compile(r"(\S+)$")
_BULLET_RE = re.compile(r"^\s*(?:[-*•–]\s+|\d{1,3}[.)]\s+|[a-zæøå][.)]\s+|\([a-zæøå0-9]{1,3}\)\s+)", re.IGNORECASE)
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s")
_TABLE_RE = re.compile(r"^\s*\|")
_START_RE = re.compile(r"[\"'“”‘’«»(\[]*([A-ZÆØÅÄÖÜÉ0-9§])")
_ROMAN_OR_INITIAL_RE = re.compile(r"^[A-ZÆØÅ]$")
_WS_RE = re.compile(r"\s+")
_LEADING_BULLET_RE = re.compile(r"^(?:[-*•–]\s+)+")


def split_sentences(text: str, *, strip_bullets: bool = True) -> list[str]:
    """Split Danish (legal) text into sentences: trimmed, whitespace collapsed, bullets removed."""
    out: list[str] = []
    for start, end in iter_sentence_spans(text):
        sentence = _WS_RE.sub(" ", text[start:end]).strip()
        if strip_bullets:
            sentence = _LEADING_BULLET_RE.sub("", sentence).strip()
        if sentence and any(ch.isalnum() for ch in sentence):
            out.append(sentence)
    return out


def quotable_sentences(text: str) -> list[str]:
    """The sentences of ``text`` an answer may quote (no headings, table rows or questions): those whose
    vectors ingest stores so that answering can rank them by meaning without embedding them."""
    return [s for s in split_sentences(text)
            if not (_HEADING_RE.match(s) or _TABLE_RE.match(s) or s.rstrip().endswith("?")) and len(s.split()) >= 3]


def sentence_end(text: str, start: int = 0) -> int:
    """Offset just after the sentence that holds position ``start`` (``len(text)`` when it runs to the end)."""
    for _, end in iter_sentence_spans(text):
        if end > start:
            return end
    return len(text)


def iter_sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) character spans of the sentences in ``text``, in reading order."""
    for block_start, block_end in _iter_blocks(text):
        block = text[block_start:block_end]
        if _HEADING_RE.match(block) or _TABLE_RE.match(block):
            yield _trim(text, block_start, block_end)
            continue
        pos = 0
        for m in _END_RE.finditer(block):
            if _is_boundary(block, m.start(), m.end()):
                span = _trim(text, block_start + pos, block_start + m.end())
                if span[0] < span[1]:
                    yield span
                pos = m.end()
        span = _trim(text, block_start + pos, block_end)
        if span[0] < span[1]:
            yield span


def _iter_blocks(text: str) -> Iterator[tuple[int, int]]:
    """Spans of line-structural units: paragraphs, headings, list items, table rows."""
    start: int | None = None
    in_item = False
    offset = 0
    for line in text.splitlines(keepends=True):
        line_start, offset = offset, offset + len(line)
        stripped = line.strip()
        if not stripped:
            if start is not None:
                yield start, line_start
                start = None
            continue
        structural = bool(_HEADING_RE.match(line) or _TABLE_RE.match(line))
        starts_item = structural or bool(_BULLET_RE.match(line))
        if start is not None and not starts_item and in_item and not line[:1].isspace() and _START_RE.match(stripped):
            starts_item = True  # an unindented, capitalised line after a list item starts a paragraph
        if start is not None and starts_item:
            yield start, line_start
            start = None
        if start is None:
            start = line_start
            in_item = bool(_BULLET_RE.match(line))
        if structural:
            yield start, offset
            start = None
    if start is not None:
        yield start, len(text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_boundary(block: str, end_start: int, end_stop: int) -> bool:
    """Decide whether the terminal punctuation at block[end_start:end_stop] ends a sentence."""
    rest = block[end_stop:].lstrip()
    if not rest:
        return True
    punct = block[end_start]
    start_m = _START_RE.match(rest)
    next_upper = bool(start_m and start_m.group(1).isalpha() and start_m.group(1).isupper())
    next_digit_or_para = bool(start_m and not start_m.group(1).isalpha())
    if punct in "!?…" or block.startswith("...", end_start):
        return bool(start_m)
    if not start_m:
        return False  # lower case (or other) follows: "1. januar", "stk. 2 og"
    word_m = _WORD_BEFORE_RE.search(block[:end_start + 1])
    word = word_m.group(1) if word_m else "."
    word = word.lstrip("\"'“”‘’«»([").lower()
    if word in NON_FINAL_ABBREVIATIONS:
        return False
    if word == "d." and rest[:1].isdigit():
        return False  # 'senest d. 1/2', 'mødet d. 4. november': 'd.' (den) before a date
    bare = word[:-1]
    if word in FINAL_ABBREVIATIONS:
        return next_upper
    if _ROMAN_OR_INITIAL_RE.match(block[end_start - 1:end_start]) and (end_start < 2 or not block[end_start - 2].isalnum()):
        return False  # a single initial: "K. Ellemann"
    if word_m and not block[:word_m.start()].strip() and re.fullmatch(r"\d{1,3}|[a-zæøå]", bare):
        return False  # a numbered list item: "1. Første punkt"
    if bare.isdigit() or re.fullmatch(r"\d+[a-zæøå]?\)?", bare):
        # An ordinal or a number: "1. januar" (lower case, handled above), "stk. 1. Kommunen".
        return next_upper or (next_digit_or_para and rest.startswith("§"))
    if "." in bare and re.fullmatch(r"(?:[a-zæøå]\.)+[a-zæøå]", bare):
        return next_upper  # an unknown dotted abbreviation like "a.m.b.a."
    return True
