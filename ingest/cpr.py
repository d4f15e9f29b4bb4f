"""Redaction of Danish CPR numbers, in whatever form they were typed, pasted or extracted.

A CPR number is ddmmyy plus a four-digit sequence number, with a valid day and month. People and
programs write it as 010190-1234, 0101901234, 010190 1234, 01.01.90-1234, with an en dash or a
minus sign, a no-break space, a line break from a PDF, a zero-width character from a web page, or
URL-encoded in a query string. Matching is done on a *normalised view* of the text (NFKC, every
dash kind as '-', every space kind and line break as one ' ', zero-width and combining characters
dropped, all decimal digits as ASCII; optionally percent-decoding) that remembers where each of its
characters came from, so the number is replaced in the ORIGINAL text and the rest stays untouched.

Phone numbers (+45 12 34 56 78), amounts (1.234.567 kr.), dates (01.01.2024), year ranges and
longer numbers are left alone: the ten digits must stand alone, not after '+', and not be part of
a longer number or a decimal.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.types import LoadedDocument

REPLACEMENT = "[CPR]"
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # the year is ambiguous: allow 29 February
# Matched on the normalised view: dashes are '-', spaces are single ' ', digits ASCII.
_CPR_RE = re.compile(
    r"(?<![\d+])(?<!\d[-.,/])"  # not the tail of a longer number, a decimal or a +45 phone number
    r"(?P<dd>\d{2})(?P<ds>[-./]?)(?P<mm>\d{2})(?P=ds)(?P<yy>\d{2})"  # 010190, 01.01.90, 01-01-90, 01/01/90
    r"(?: ?[-/] ?| )?"  # between birth date and sequence number: '-', '/', a space, or nothing
    r"(?P<seq>\d{4})"
    r"(?!\d)(?![-.,/]\d)"  # not the head of a longer number
)
_ANY_DIGIT_RE = re.compile(r"\d")
# Printable ASCII, single spaces inside: the normalised view equals the original here (fast path).
_PLAIN_RE = re.compile(r"[!-~]+(?: [!-~]+)*")
_PLAIN_URL_RE = re.compile(r"[!-$&-*,-~]+(?: [!-$&-*,-~]+)*")  # the same without '%' and '+'
_PERCENT_RE = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# Dash and slash look-alikes that NFKC leaves alone (it already maps the fullwidth and small forms).
_DASHES = {"\u2212", "\u2043", "\u02d7", "\u2796", "\u2053"}  # minus signs, hyphen bullet, swung dash
_SLASHES = {"\u2044", "\u2215", "\u29f8", "\u29f5", "\u2571"}


@lru_cache(maxsize=8192)
def _normalise_char(ch: str) -> str:
    """What one character becomes in the normalised view: '' (dropped), ' ', '-', '/', a digit or itself."""
    if ch.isspace():
        return " "
    category = unicodedata.category(ch)
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    if category in ("Cf", "Cc", "Mn", "Me", "Mc"):  # zero-width space/joiners, soft hyphen, BOM, controls, accents
        return ""
    if category[0] == "N":  # superscripts, circled and fraction digits are not digits of a CPR number
        return ch
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        if c in _DASHES or unicodedata.category(c) == "Pd":
            out.append("-")
        elif c in _SLASHES:
            out.append("/")
        elif c.isspace():
            out.append(" ")
        elif unicodedata.category(c) == "Nd":
            out.append(str(unicodedata.decimal(c)))
        else:
            out.append(c)
    return "".join(out)


class _View:
    """The normalised view of a text and the map back to the original offsets."""

    def __init__(self, text: str, *, url: bool) -> None:
        self.parts: list[str] = []
        self.norm_starts: list[int] = []  # where each piece starts in the view
        self.orig_starts: list[int] = []  # ... and in the original
        self.orig_ends: list[int | None] = []  # None: a piece copied unchanged (offsets run in parallel)
        self._length = 0
        self._space = False
        plain = _PLAIN_URL_RE if url else _PLAIN_RE
        i, n = 0, len(text)
        while i < n:
            m = plain.match(text, i)
            if m:
                self._add(m.group(), i, None)
                i = m.end()
                continue
            ch = text[i]
            if url and ch == "%" and (p := _PERCENT_RE.match(text, i)):
                self._add_percent(p.group(), i)
                i = p.end()
                continue
            self._add_char(" " if url and ch == "+" else _normalise_char(ch), i, i + 1)
            i += 1
        self.text = "".join(self.parts)

    def _add(self, piece: str, start: int, end: int | None) -> None:
        self.parts.append(piece)
        self.norm_starts.append(self._length)
        self.orig_starts.append(start)
        self.orig_ends.append(end)
        self._length += len(piece)
        self._space = piece.endswith(" ")

    def _add_char(self, norm: str, start: int, end: int) -> None:
        """One original character (or encoded sequence) becomes ``norm``; runs of spaces collapse to one."""
        for c in norm:
            if c == " " and self._space:
                continue
            self._add(c, start, end)

    def _add_percent(self, encoded: str, start: int) -> None:
        """Percent-encoded UTF-8 ('%E2%80%93'): each decoded character maps back to its '%XX' bytes."""
        data = bytes.fromhex(encoded.replace("%", ""))
        j = 0
        while j < len(data):
            lead = data[j]
            size = 1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
            try:
                ch = data[j:j + size].decode("utf-8")
            except UnicodeDecodeError:
                ch, size = "\ufffd", 1
            # an encoded '+' is a literal plus (a phone prefix), not a space
            self._add_char(_normalise_char(ch), start + 3 * j, start + 3 * (j + size))
            j += size

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the view's characters start..end-1."""
        return self._orig(start)[0], self._orig(end - 1)[1]

    def _orig(self, pos: int) -> tuple[int, int]:
        k = bisect_right(self.norm_starts, pos) - 1
        start, end = self.orig_starts[k], self.orig_ends[k]
        if end is None:
            at = start + pos - self.norm_starts[k]
            return at, at + 1
        return start, end


def _valid_date(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]


def find_cpr(text: str, *, url: bool = False) -> list[tuple[int, int]]:
    """The (start, end) offsets in ``text`` of every CPR number, in any of the forms the module describes.

    ``url``: the text may be URL-encoded (a logged request line): '%XX' is decoded and '+' is a space."""
    if not text or not _ANY_DIGIT_RE.search(text):
        return []
    view = _View(text, url=url)
    spans = []
    for m in _CPR_RE.finditer(view.text):
        if _valid_date(int(m.group("dd")), int(m.group("mm"))):
            spans.append(view.original_span(m.start(), m.end()))
    return spans


def redact_cpr(text: str, *, url: bool = False) -> tuple[str, int]:
    """Replace CPR numbers in text with '[CPR]'; returns the new text and how many were replaced.

    Only the number itself is replaced (separators inside it included); every other character of the
    original text is kept as it was."""
    spans = find_cpr(text, url=url)
    if not spans:
        return text, 0
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], REPLACEMENT]
        last = end
    out.append(text[last:])
    return "".join(out), len(spans)


def redact_document(doc: "LoadedDocument", fallback_title: str = "") -> int:
    """Redact CPR numbers in a loaded document in place (blocks and their labelled rows, title, metadata,
    warnings); returns the count.

    The blocks are matched as one text, joined by line breaks: a loader may cut a number that was broken
    across a line ('010190-' / '1234') into two blocks (a short line can pass for a heading). The part
    in the first block becomes '[CPR]', the rest is removed. The count is of the text and the title:
    warnings and metadata repeat what the user already gave."""
    total = _redact_blocks(doc)
    for block in doc.blocks:  # a table's labelled rows say its cells again, each whole
        if block.labelled.strip():
            block.labelled = redact_cpr(block.labelled)[0]
    doc.title, n = redact_cpr(doc.title or fallback_title)
    doc.metadata = {k: redact_cpr(v)[0] if isinstance(v, str) else v for k, v in doc.metadata.items()}
    doc.warnings = [redact_cpr(w)[0] for w in doc.warnings]
    return total + n


def _redact_blocks(doc: "LoadedDocument") -> int:
    """Redact the blocks as one text; a number spanning blocks is replaced in the first and cut from the rest."""
    starts, pos = [], 0
    for block in doc.blocks:
        starts.append(pos)
        pos += len(block.text) + 1
    spans = find_cpr("\n".join(block.text for block in doc.blocks))
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for start, end in spans:
        first = bisect_right(starts, start) - 1
        last = bisect_right(starts, end - 1) - 1
        for i in range(first, last + 1):
            lo = max(start - starts[i], 0)
            hi = min(end - starts[i], len(doc.blocks[i].text))
            edits.setdefault(i, []).append((lo, hi, REPLACEMENT if i == first else ""))
    for i, block_edits in edits.items():
        text = doc.blocks[i].text
        for lo, hi, replacement in reversed(block_edits):
            text = text[:lo] + replacement + text[hi:]
        continued = block_edits[0][0] == 0 and block_edits[0][2] == ""  # the tail of a number cut by the loader
        doc.blocks[i].text = text.lstrip() if continued else text
    doc.blocks = [b for i, b in enumerate(doc.blocks) if i not in edits or b.text.strip()]
    return len(spans)
