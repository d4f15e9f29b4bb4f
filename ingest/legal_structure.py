"""Parse Danish legislation into Afsnit / Kapitel / § / stk. / nr. / litra units.

The parser reads the lines of a LoadedDocument and returns None for documents that are not
legislation. It handles what official consolidated texts contain, in every layout the loaders
produce (one line per unit, "Stk. 2." and "1)" inline as in text copied from a web page, HTML,
PDF with running headers, the official XML):

- lettered §§ ("§ 51 b.") and Afsnit/Kapitel headings with their titles;
- placeholders as units of their own: "§§ 7-8. (Ophævet)", "§ 21. (Ophævet)", "Stk. 2-5. (Udelades)";
- the amending acts' ikrafttrædelse sections after the last § ("Lov nr. 310 af 14. marts 2025 (...)
  indeholder følgende ikrafttrædelsesbestemmelse:" + "§ 4" ...), kept apart from the act's own §§;
- the official notes ("Officielle noter", "1) Loven indeholder bestemmelser, der gennemfører ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.legal_markers import (
    AMENDMENT_INTRO_RE, CHAPTER_RE, INLINE_ITEM_RE, INLINE_LITRA_RE, INLINE_STK_RE, ITEM_RE, LITRA_RE,
    NOTES_HEADING_RE, PARA_RANGE_RE, PARA_RE, PART_RE, PLACEHOLDER_RE, STK_RE,
)
from ingest.legal_meta import (  # re-exported: callers import these from here
    ActVersion, clean_title, detect_kind, looks_like_title, parse_version, version_from_lines, version_from_metadata,
)
from knowledge.legal import LegalRef, act_display, detect_act, normalise_paragraph
from knowledge.types import LoadedDocument

__all__ = [
    "ActVersion", "LegalAmendment", "LegalChapter", "LegalDocument", "LegalItem", "LegalNote", "LegalProvision",
    "LegalUnit", "detect_kind", "parse_legal_text", "parse_version",
]

_PAGE_NOISE_RE = re.compile(
    r"^(?:(?:side|s\.)\s*)?[-–(]?\s*\d{1,4}\s*[-–)]?(?:\s*(?:af|/)\s*\d{1,4})?$|.*\bside\s+\d{1,4}\s*(?:af|/)\s*\d{1,4}$",
    re.IGNORECASE,
)
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
_NOT_LEGISLATION_RE = re.compile(
    r"^\s*(?:vejledning|notat|referat|rapport|styringsrapport|aftale|dagsorden|redegørelse|faktaark|"
    r"pjece|guide|høringssvar|brev|svar)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LegalChapter:
    """A chapter: number ('13', '4 a') and heading ('Tilsyn og styringsdialog')."""

    number: str
    heading: str = ""
    part: str = ""  # the Afsnit it belongs to, e.g. 'Afsnit II. Tilsyn'

    @property
    def label(self) -> str:
        """'Kapitel 13. Tilsyn og styringsdialog' (or 'Kapitel 13' without a heading)."""
        return f"Kapitel {self.number}. {self.heading}" if self.heading else f"Kapitel {self.number}"


@dataclass
class LegalItem:
    """A numbered item '1)' (litra None) or a litra 'a)' under item nr within a stk."""

    nr: int | None
    litra: str | None
    text: str


@dataclass
class LegalUnit:
    """One stk. of a § (stk 1 is the text right after '§ N.'), the unit legislation is chunked by."""

    act: str
    paragraph: str  # display form: '164', '54 a'
    stk: int
    text: str
    chapter: LegalChapter | None = None
    section: str = ""  # a sub-heading (mellemrubrik) above the §, if any
    page_start: int | None = None
    page_end: int | None = None
    items: list[LegalItem] = field(default_factory=list)
    stk_end: int | None = None  # 'Stk. 2-5. (Udelades)' -> stk 2, stk_end 5
    placeholder: str = ""  # 'Ophævet' / 'Udelades' when the unit holds nothing else

    @property
    def ref(self) -> LegalRef:
        """The reference to this stk., e.g. almenboligloven:§164:stk2."""
        return LegalRef(self.act, self.paragraph, self.stk)

    @property
    def last_stk(self) -> int:
        return self.stk_end or self.stk

    @property
    def stk_label(self) -> str:
        """'stk. 2' or 'stk. 2-5'."""
        return f"stk. {self.stk}-{self.stk_end}" if self.stk_end else f"stk. {self.stk}"

    @property
    def pages(self) -> tuple[int | None, int | None]:
        """(first page, last page) of the unit's text; None for unpaged formats."""
        return self.page_start, self.page_end

    def item_refs(self) -> list[LegalRef]:
        """References to the numbered items of this stk. (nr. 1, nr. 2, ...)."""
        numbers = dict.fromkeys(i.nr for i in self.items if i.nr is not None and i.litra is None)
        return [LegalRef(self.act, self.paragraph, self.stk, nr) for nr in numbers]


@dataclass
class LegalProvision:
    """A § with its stk. units ('§§ 7-8. (Ophævet)' is one provision with paragraph_end '8')."""

    act: str
    paragraph: str
    chapter: LegalChapter | None
    section: str = ""
    units: list[LegalUnit] = field(default_factory=list)
    paragraph_end: str = ""

    @property
    def ref(self) -> LegalRef:
        """The reference to the whole §, e.g. almenboligloven:§164."""
        return LegalRef(self.act, self.paragraph)

    @property
    def heading(self) -> str:
        """'§ 51 b' or '§§ 7-8'."""
        return f"§§ {self.paragraph}-{self.paragraph_end}" if self.paragraph_end else f"§ {self.paragraph}"

    @property
    def placeholder(self) -> str:
        """'Ophævet' when the whole § is a placeholder."""
        return self.units[0].placeholder if len(self.units) == 1 else ""


@dataclass
class LegalAmendment:
    """An amending act's ikrafttrædelse section printed after a consolidated act's last §."""

    intro: str  # 'Lov nr. 310 af 14. marts 2025 (...) indeholder følgende ikrafttrædelsesbestemmelse:'
    version: ActVersion | None
    provisions: list[LegalProvision] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.version.text if self.version else self.intro.rstrip(":")


@dataclass
class LegalNote:
    """An official note ('1) Loven indeholder bestemmelser, der gennemfører ...')."""

    nr: int
    text: str
    page: int | None = None


@dataclass
class LegalDocument:
    """A parsed act or executive order: identity, version and its provisions."""

    act: str
    kind: str  # 'lov' or 'bekendtgoerelse'
    title: str
    version: str = ""  # e.g. 'LBK nr. 1278 af 18/11/2015'
    valid_from: str = ""  # ISO date of the version line, when known
    act_type: str = ""  # 'LBK', 'BEK' or 'LOV'
    act_number: str = ""
    act_date: str = ""  # ISO date of the version
    preamble: list[str] = field(default_factory=list)  # 'Herved bekendtgøres ...' and similar
    parts: list[str] = field(default_factory=list)  # 'Afsnit I. Almindelige bestemmelser'
    chapters: list[LegalChapter] = field(default_factory=list)
    provisions: list[LegalProvision] = field(default_factory=list)
    amendments: list[LegalAmendment] = field(default_factory=list)
    notes: list[LegalNote] = field(default_factory=list)
    # Text after the provisions (signature, appendices) as (line, page), kept so nothing is lost.
    trailing: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def units(self) -> list[LegalUnit]:
        """Every stk. of every § in document order (the amending acts' sections are not the act's)."""
        return [u for p in self.provisions for u in p.units]

    @property
    def act_name(self) -> str:
        """Display name of the act, e.g. 'almenboligloven'."""
        return act_display(self.act)


@dataclass
class _Line:
    text: str
    page: int | None


def _doc_lines(doc: LoadedDocument) -> list[_Line]:
    lines: list[_Line] = []
    for block in doc.blocks:
        for raw in block.text.split("\n"):
            text = re.sub(r"\s+", " ", raw).strip()
            if text:
                lines.append(_Line(text, block.page))
    return _drop_noise(lines)


def _drop_noise(lines: list[_Line]) -> list[_Line]:
    """Remove page numbers, 'Side 3 af 12' and running headers/footers: worded lines repeated at page edges.

    Only the first and last lines of a page count, and only lines with words: a wrap remnant such as
    "3-7." or "selvejende institutioner." recurs on many pages but inside the text.
    """
    by_page: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        if ln.page is not None:
            by_page.setdefault(ln.page, []).append(i)
    edges = {i for idx in by_page.values() for i in idx[:2] + idx[-2:]}
    pages_of: dict[str, set[int]] = {}
    for i in edges:
        ln = lines[i]
        if len(ln.text) <= 100 and len(re.findall(r"[a-zæøå]", ln.text.lower())) >= 3 and not _is_structural(ln.text):
            pages_of.setdefault(_noise_key(ln.text), set()).add(ln.page or 0)
    running = {key for key, pages in pages_of.items() if len(pages) >= max(3, len(by_page) // 4)}
    return [
        ln for i, ln in enumerate(lines)
        if not (len(ln.text) <= 100 and _PAGE_NOISE_RE.match(ln.text))
        and not (i in edges and _noise_key(ln.text) in running)
    ]


def _noise_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _is_structural(text: str) -> bool:
    return bool(PARA_RE.match(text) or PARA_RANGE_RE.match(text) or STK_RE.match(text) or CHAPTER_RE.match(text)
                or PART_RE.match(text) or ITEM_RE.match(text) or LITRA_RE.match(text) or PLACEHOLDER_RE.match(text))


def _para_key(display: str) -> tuple[int, str]:
    num, _, letter = display.partition(" ")
    return int(num), letter


def _identify(doc: LoadedDocument, preamble: list[str]) -> tuple[str | None, str]:
    """The act id and the title: a title line ('Bekendtgørelse af lov om ...') first, else any line naming the act."""
    candidates = [str(doc.metadata.get("title") or ""), doc.title or ""] + preamble[:8]
    candidates += [str(x) for x in doc.metadata.get("running_lines") or []]
    usable = [c.strip() for c in candidates if c.strip() and not _NOT_LEGISLATION_RE.match(c)]
    for text in usable:
        title = clean_title(text)
        if looks_like_title(title) and (act := detect_act(title)):
            return act, title
    for text in [doc.title or ""] + preamble[:5]:
        if text and not _NOT_LEGISLATION_RE.match(text) and (act := detect_act(text)):
            return act, clean_title(text)
    return None, ""


def parse_legal_text(doc: LoadedDocument) -> LegalDocument | None:
    """Parse a loaded document as legislation; None if it is not an act/order we recognise."""
    given_kind = str(doc.metadata.get("kind") or "").strip().lower()
    if given_kind and given_kind not in ("lov", "bekendtgoerelse", "bekendtgørelse"):
        return None
    lines = _doc_lines(doc)
    first = next((i for i, ln in enumerate(lines) if _opens_body(ln.text)), len(lines))
    preamble = [ln.text for ln in lines[:first]]
    act, title = _identify(doc, preamble)
    if act is None:
        return None
    running = [str(x) for x in doc.metadata.get("running_lines") or []]
    version = version_from_metadata(doc.metadata) or version_from_lines(preamble[:40] + running)
    legal = LegalDocument(
        act=act, kind=detect_kind(title, act, version.act_type if version else ""), title=title,
        version=version.text if version else "", valid_from=version.date if version else "",
        act_type=version.act_type if version else "", act_number=version.number if version else "",
        act_date=version.date if version else "",
    )
    legal.preamble = [t for t in preamble if clean_title(t) != title and not (version and version.text in t)
                      and not version_from_lines([t])]
    _Body(legal).run(lines[first:])
    if not legal.provisions:
        return None
    for unit in legal.units + [u for a in legal.amendments for p in a.provisions for u in p.units]:
        m = PLACEHOLDER_RE.match(unit.text.strip())
        unit.placeholder = m.group(1).capitalize() if m and not unit.items else ""
    return legal


def _opens_body(text: str) -> bool:
    return bool(PARA_RE.match(text) or PARA_RANGE_RE.match(text) or CHAPTER_RE.match(text) or PART_RE.match(text))


class _Body:
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

    def run(self, lines: list[_Line]) -> None:
        queue = [(ln.text, ln.page) for ln in reversed(lines)]
        upcoming = [ln.text for ln in lines]
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
        if self.expect and self.mode == "body" and not _is_structural(text) and len(text) <= 150:
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


def _amending_version(intro: str) -> ActVersion | None:
    return version_from_lines([intro])


def _is_section_heading(text: str, nxt: str) -> bool:
    """A short title line (mellemrubrik) directly above a § heading."""
    if len(text) > 90 or re.search(r"[.:;,]$", text) or not text[:1].isupper() or _is_structural(text):
        return False
    return bool(PARA_RE.match(nxt) or PARA_RANGE_RE.match(nxt))
