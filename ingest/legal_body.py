"""Reading a statute's body line by line: headings, §§, stk., items, then amending acts' sections and notes.

A line opens a unit only where the text allows it: a "§ 9." or "Stk. 2." after a line that does not
end a sentence ("... jf." / "... jf. dog") is a wrapped reference; a § numbered below the one
before is a reference at the start of a line. Inline markers (text copied from a web page) are
split off when they continue the sequence: the next stk. after a full stop, the next item "2)".
"""

from __future__ import annotations

import re

from ingest.legal_markers import (
    AMENDMENT_INTRO_RE,
    CHAPTER_RE,
    INLINE_ITEM_RE,
    INLINE_LITRA_RE,
    INLINE_STK_RE,
    ITEM_RE,
    LITRA_RE,
    NOTES_HEADING_RE,
    PARA_RANGE_RE,
    PARA_RE,
    PART_RE,
    PLACEHOLDER_RE,
    STK_RE,
)
from ingest.legal_meta import ActVersion, version_from_lines
from ingest.legal_model import (
    LegalAmendment,
    LegalChapter,
    LegalDocument,
    LegalItem,
    LegalNote,
    LegalProvision,
    LegalUnit,
)
from knowledge.legal import normalise_paragraph

# Text after the last provision that is not part of it: signatures, appendices.
_STOP_RE = re.compile(
    r"^(?:Bilag\s+\d+\b|Ændringslove\b|Noter til\b"
    r"|Givet på (?:Christiansborg|Amalienborg|Fredensborg|Marselisborg)"
    r"|.{0,80}ministeriet,\s+den\s+\d{1,2}\.)",
    re.IGNORECASE,
)
# A line ending like this continues on the next line, so a "§ 3." there is a reference, not a heading.
_CONTINUES_RE = re.compile(
    r"(?:\bjf\.?|\bi|\bog|\beller|\befter|\btil|\baf|\bom|\bsamt|\bstk\.|\bnr\.|,|-|–|§)$", re.IGNORECASE
)


# The first line of an amending act's intro: "Lov nr. 310 af 14. marts 2025 (...) indeholder ...".
_AMENDING_START_RE = re.compile(r"^(?:Lov|Lovbekendtgørelse|Bekendtgørelse)\s+nr\.?\s*\d+\s+af\s", re.IGNORECASE)


def is_structural(text: str) -> bool:
    return bool(PARA_RE.match(text) or PARA_RANGE_RE.match(text) or STK_RE.match(text) or CHAPTER_RE.match(text)
                or PART_RE.match(text) or ITEM_RE.match(text) or LITRA_RE.match(text) or PLACEHOLDER_RE.match(text))


def _para_key(display: str) -> tuple[int, str]:
    num, _, letter = display.partition(" ")
    return int(num), letter


class BodyParser:
    """Reads the lines after the title block: headings, §§, stk., items, then amendments and notes."""

    def __init__(self, legal: LegalDocument) -> None:
        self.legal = legal
        self.part = ""
        self.chapter: LegalChapter | None = None
        self.section = ""
        self.provision: LegalProvision | None = None
        self.unit: LegalUnit | None = None
        self.amendment: LegalAmendment | None = None
        self.expect = ""  # 'chapter' / 'part' when the next line may be that heading's title
        self.previous = ""  # the previous content line, to tell headings from wrapped references
        self.after_heading = True  # the previous line was a heading (a unit may start without a full stop)
        self.last_item: int | None = None
        self.last_litra: str | None = None
        self.mode = "body"  # body -> amendments -> trailing / notes
        self._pending = ""  # the text after a § heading on the same line

    def run(self, lines: list[tuple[str, int | None]]) -> None:
        """Read the body lines as (text, page) in order."""
        lines = _join_wrapped_intros(lines)
        queue = list(reversed(lines))
        upcoming = [text for text, _ in lines]
        index = 0
        while queue:
            text, page = queue.pop()
            rest = self.line(text, page, upcoming[index + 1] if index + 1 < len(upcoming) else "")
            if rest:  # an inline "Stk. 3." / "2)" split off: read it as a line of its own
                queue.append((rest, page))
            else:
                index += 1

    # ------------------------------------------------------------------ one line

    def line(self, text: str, page: int | None, nxt: str) -> str:
        """Handle one line; returns text split off at an inline marker, to be read as the next line."""
        if self.mode == "notes":
            self._note(text, page)
            return ""
        if NOTES_HEADING_RE.match(text) and self.legal.provisions:
            self.mode = "notes"
            return ""
        if self.mode == "trailing" or (_STOP_RE.match(text) and len(text) <= 160 and self.legal.provisions):
            self.mode = "trailing"
            self.legal.trailing.append((text, page))
            return ""
        if AMENDMENT_INTRO_RE.search(text) and len(text) <= 400 and self.legal.provisions:
            self.amendment = LegalAmendment(text, _amending_version(text))
            self.legal.amendments.append(self.amendment)
            self.mode, self.provision, self.unit = "amendments", None, None
            self._mark(text, heading=True)
            return ""
        if self.mode == "body" and self._heading(text):
            return ""
        if self._paragraph(text, page):
            return self._after_head(page)
        if self.expect and self.mode == "body" and not is_structural(text) and len(text) <= 150:
            self._heading_title(text)
            return ""
        self.expect = ""
        if self.mode == "body" and _is_section_heading(text, nxt):
            self.section = text
            self._mark(text, heading=True)
            return ""
        if self.unit is None:
            self._mark(text, heading=True)
            return ""  # preamble between chapters and the first §
        return self._stk(text, page)

    def _mark(self, text: str, *, heading: bool) -> None:
        self.previous, self.after_heading = text, heading

    def _at_boundary(self) -> bool:
        """A heading may start here: after a heading, or after a line that ends a sentence ('.', ':', ')').

        A '§ 9.' or 'Stk. 2.' after "... jf." or "... jf. dog" is a wrapped reference, not a heading.
        """
        if self.after_heading or not self.previous:
            return True
        return bool(re.search(r"[.:;!?)]$", self.previous)) and not _CONTINUES_RE.search(self.previous)

    def _heading(self, text: str) -> bool:
        continues = not self._at_boundary()
        m_part = PART_RE.match(text)
        if m_part and not continues and len(text) <= 120:
            self.part = f"Afsnit {m_part.group(1)}" + (f". {m_part.group(2).strip(' .')}" if m_part.group(2) else "")
            self.legal.parts.append(self.part)
            self.expect, self.section = ("" if m_part.group(2) else "part"), ""
            self._mark(text, heading=True)
            return True
        m_chap = CHAPTER_RE.match(text)
        if m_chap and not continues and len(text) <= 120 and not (m_chap.group(2) or "")[:1].islower():
            self.chapter = LegalChapter(m_chap.group(1), (m_chap.group(2) or "").strip(" ."), self.part)
            self.legal.chapters.append(self.chapter)
            self.expect, self.section = ("" if self.chapter.heading else "chapter"), ""
            self._mark(text, heading=True)
            return True
        return False

    def _heading_title(self, text: str) -> None:
        title = text.rstrip(" .")
        if self.expect == "part":
            self.part = f"{self.part}. {title}"
            self.legal.parts[-1] = self.part
        elif self.chapter is not None:
            self.chapter = LegalChapter(self.chapter.number, title, self.chapter.part)
            self.legal.chapters[-1] = self.chapter
        self.expect = ""
        self._mark(text, heading=True)

    def _paragraph(self, text: str, page: int | None) -> bool:
        """A '§ N.' or '§§ N-M.' heading starts a provision (in order, and not a wrapped reference)."""
        if not self._at_boundary():
            return False
        m_range, m_para = PARA_RANGE_RE.match(text), PARA_RE.match(text)
        if m_range:
            start = normalise_paragraph(m_range.group(1), m_range.group(2))
            end = normalise_paragraph(m_range.group(3) or m_range.group(1), m_range.group(4))
            rest = m_range.group(5)
        elif m_para:
            start, end, rest = normalise_paragraph(m_para.group(1), m_para.group(2)), "", m_para.group(3)
        else:
            return False
        if self.provision is not None and _para_key(start) <= _para_key(self.provision.paragraph_end or self.provision.paragraph):
            return False  # out of order: a reference at the start of a line, or a repeat
        chapter = self.chapter if self.mode == "body" else None
        section = self.section if self.mode == "body" else ""
        self.provision = LegalProvision(self.legal.act, start, chapter, section, paragraph_end=end)
        (self.amendment.provisions if self.mode == "amendments" and self.amendment else self.legal.provisions).append(
            self.provision)
        self.unit = LegalUnit(self.legal.act, start, 1, "", chapter, section, page, page)
        self.provision.units.append(self.unit)
        self.expect, self.section, self.last_item, self.last_litra = "", "", None, None
        self._mark(text, heading=not rest)
        self._pending = rest or ""
        return True

    def _after_head(self, page: int | None) -> str:
        rest, self._pending = self._pending, ""
        return self._content(rest, page) if rest else ""

    def _stk(self, text: str, page: int | None) -> str:
        assert self.unit is not None and self.provision is not None
        m_stk = STK_RE.match(text)
        if m_stk and self._at_boundary() and int(m_stk.group(1)) > self.unit.last_stk:
            end = int(m_stk.group(2)) if m_stk.group(2) else None
            self.unit = LegalUnit(self.legal.act, self.provision.paragraph, int(m_stk.group(1)), "",
                                  self.provision.chapter, self.provision.section, page, page,
                                  stk_end=end if end and end > int(m_stk.group(1)) else None)
            self.provision.units.append(self.unit)
            self.last_item, self.last_litra = None, None
            self._mark(text, heading=not m_stk.group(3))
            return self._content(m_stk.group(3), page) if m_stk.group(3) else ""
        return self._content(text, page)

    # ------------------------------------------------------------------ content of a unit

    def _content(self, text: str, page: int | None) -> str:
        """Add text to the current unit up to the next inline marker; return the rest (from the marker)."""
        assert self.unit is not None
        split = self._inline_split(text)
        head, rest = (text[:split].rstrip(), text[split:].lstrip()) if split else (text, "")
        m_item, m_litra = ITEM_RE.match(head), LITRA_RE.match(head)
        if m_item:
            nr = int(m_item.group(1) or m_item.group(3))
            self.unit.items.append(LegalItem(nr, None, (m_item.group(2) or m_item.group(4)).strip()))
            self.last_item, self.last_litra = nr, None
            self._add(head, new_line=True, page=page)
        elif m_litra and (self.last_litra or m_litra.group(1) == "a"):
            self.unit.items.append(LegalItem(self.last_item, m_litra.group(1), m_litra.group(2).strip()))
            self.last_litra = m_litra.group(1)
            self._add(head, new_line=True, page=page)
        else:
            if self.unit.items and not re.search(r"[.:;]$", self.unit.text):
                self.unit.items[-1].text += " " + head  # a wrapped item continues
            self._add(head, new_line=False, page=page)
        self._mark(head, heading=False)
        return rest

    def _inline_split(self, text: str) -> int:
        """Where the next inline stk., item or litra starts in text (0 when none after the start)."""
        assert self.unit is not None
        found: list[int] = []
        for m in INLINE_STK_RE.finditer(text):
            if int(m.group(2)) == self.unit.last_stk + 1:
                found.append(m.start(1))
                break
        m_item, m_litra = ITEM_RE.match(text), LITRA_RE.match(text)
        current = int(m_item.group(1)) if m_item and m_item.group(1) else self.last_item
        want = (current or 0) + 1
        for m in INLINE_ITEM_RE.finditer(text):
            nr = int(m.group(1))
            if nr == want and (nr > 1 or text[:m.start()].rstrip().endswith(":") or f" {nr + 1}) " in text[m.end():]):
                found.append(m.start())
                break
        last_litra = m_litra.group(1) if m_litra else (None if m_item else self.last_litra)
        letter = chr(ord(last_litra) + 1) if last_litra else "a"
        for m in INLINE_LITRA_RE.finditer(text):
            if m.group(1) == letter and (letter != "a" or f" {chr(ord(letter) + 1)}) " in text[m.end():]):
                found.append(m.start())
                break
        return min((pos for pos in found if pos > 0), default=0)

    def _add(self, text: str, *, new_line: bool, page: int | None) -> None:
        unit = self.unit
        assert unit is not None
        if not unit.text:
            unit.text = text
        elif new_line or (re.search(r"[.:;!?]$", unit.text) and not _CONTINUES_RE.search(unit.text)):
            unit.text += "\n" + text
        else:
            unit.text += " " + text
        unit.page_start = unit.page_start if unit.page_start is not None else page
        unit.page_end = page if page is not None else unit.page_end

    def _note(self, text: str, page: int | None) -> None:
        m = ITEM_RE.match(text)
        if m and m.group(1):
            self.legal.notes.append(LegalNote(int(m.group(1)), m.group(2).strip(), page))
        elif self.legal.notes:
            self.legal.notes[-1].text += " " + text
        else:
            self.legal.trailing.append((text, page))


def _join_wrapped_intros(lines: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    """An amending act's intro wrapped over two or three lines (a PDF print, often across a page) as one line."""
    out: list[tuple[str, int | None]] = []
    i = 0
    while i < len(lines):
        text, page = lines[i]
        joined, used = text, 1
        if _AMENDING_START_RE.match(text) and not AMENDMENT_INTRO_RE.search(text):
            for k in (1, 2):
                if i + k >= len(lines) or is_structural(lines[i + k][0]):
                    break
                joined = f"{joined} {lines[i + k][0]}"
                if AMENDMENT_INTRO_RE.search(joined) and joined.endswith(":"):
                    used = k + 1
                    break
        out.append((joined if used > 1 else text, page))
        i += used
    return out


def _amending_version(intro: str) -> ActVersion | None:
    return version_from_lines([intro])


def _is_section_heading(text: str, nxt: str) -> bool:
    """A short title line (mellemrubrik) directly above a § heading."""
    if len(text) > 90 or re.search(r"[.:;,]$", text) or not text[:1].isupper() or is_structural(text):
        return False
    return bool(PARA_RE.match(nxt) or PARA_RANGE_RE.match(nxt))
