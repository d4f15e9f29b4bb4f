"""Parse Danish legislation into Kapitel / § / stk. / nr. / litra units.

The parser reads the lines of a LoadedDocument (every loader keeps "§ 12 a.", "Stk. 2." and
"1)" at the start of a line) and returns None for documents that are not legislation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.legal import LegalRef, act_display, detect_act, normalise_paragraph
from knowledge.types import LoadedDocument

_PARA_RE = re.compile(r"^§\s*(\d+)(?:\s?([a-zæøå]))?\.(?:\s+(.*))?$")
_STK_RE = re.compile(r"^Stk\.\s*(\d+)\.(?:\s+(.*))?$")
_CHAPTER_RE = re.compile(r"^(?i:kapitel)\s+(\d+(?:\s?[a-h](?![\wæøå]))?)\.?(?:\s+(.*))?$")
_ITEM_RE = re.compile(r"^(?:Nr\.\s*)?(\d+)\)\s+(.*)$|^Nr\.\s*(\d+)\.?\s+(.*)$")
_LITRA_RE = re.compile(r"^([a-zæøå])\)\s+(.*)$")
_PAGE_NOISE_RE = re.compile(
    r"^(?:(?:side|s\.)\s*)?[-–(]?\s*\d{1,4}\s*[-–)]?(?:\s*(?:af|/)\s*\d{1,4})?$|.*\bside\s+\d{1,4}\s*(?:af|/)\s*\d{1,4}$",
    re.IGNORECASE,
)
# Text after the last provision that is not part of it: notes, appendices, signatures.
_STOP_RE = re.compile(
    r"^(?:Officielle noter|Noter til|Bilag\s+\d+\b|Ændringslove|Lov nr\.\s*\d+ af .{0,40}indeholder"
    r"|Givet på (?:Christiansborg|Amalienborg|Fredensborg|Marselisborg)"
    r"|.{0,80}ministeriet,\s+den\s+\d{1,2}\.)",
    re.IGNORECASE,
)
# A line ending like this continues on the next line, so a "§ 3." there is a reference, not a heading.
_CONTINUES_RE = re.compile(
    r"(?:\bjf\.?|\bi|\bog|\beller|\befter|\btil|\baf|\bom|\bsamt|\bstk\.|\bnr\.|,|-|–|§)$", re.IGNORECASE
)
_MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
_VERSION_RE = re.compile(
    r"\b(?P<kind>LBK|BEK|Lovbekendtgørelse|Bekendtgørelse|Lov)\s+nr\.?\s*(?P<nr>\d+)\s+af\s+"
    r"(?:(?P<d1>\d{1,2})\s*/\s*(?P<m1>\d{1,2})\s*/?\s*(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})\.\s*(?P<m2>januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december)\s+(?P<y2>\d{4}))",
    re.IGNORECASE,
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

    @property
    def ref(self) -> LegalRef:
        """The reference to this stk., e.g. almenboligloven:§164:stk2."""
        return LegalRef(self.act, self.paragraph, self.stk)

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
    """A § with its stk. units."""

    act: str
    paragraph: str
    chapter: LegalChapter | None
    section: str = ""
    units: list[LegalUnit] = field(default_factory=list)

    @property
    def ref(self) -> LegalRef:
        """The reference to the whole §, e.g. almenboligloven:§164."""
        return LegalRef(self.act, self.paragraph)


@dataclass
class LegalDocument:
    """A parsed act or executive order: identity, version and its provisions."""

    act: str
    kind: str  # 'lov' or 'bekendtgoerelse'
    title: str
    version: str = ""  # e.g. 'LBK nr. 1278 af 18/11/2015'
    valid_from: str = ""  # ISO date of the version line, when known
    chapters: list[LegalChapter] = field(default_factory=list)
    provisions: list[LegalProvision] = field(default_factory=list)
    # Text after the provisions (signature, notes, appendices) as (line, page), kept so nothing is lost.
    trailing: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def units(self) -> list[LegalUnit]:
        """Every stk. of every § in document order."""
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
    """Remove page numbers, 'Side 3 af 12' and short lines repeated on many pages (running headers)."""
    pages_of: dict[str, set[int]] = {}
    for ln in lines:
        if ln.page is not None and len(ln.text) <= 100 and not _is_structural(ln.text):
            pages_of.setdefault(re.sub(r"\d+", "#", ln.text.lower()), set()).add(ln.page)
    running = {key for key, pages in pages_of.items() if len(pages) >= 3}
    return [
        ln for ln in lines
        if not (len(ln.text) <= 100 and _PAGE_NOISE_RE.match(ln.text))
        and re.sub(r"\d+", "#", ln.text.lower()) not in running
    ]


def _is_structural(text: str) -> bool:
    return bool(_PARA_RE.match(text) or _STK_RE.match(text) or _CHAPTER_RE.match(text)
                or _ITEM_RE.match(text) or _LITRA_RE.match(text))


def parse_version(text: str) -> tuple[str, str]:
    """Find a version line ('LBK nr. 1278 af 18/11/2015') in text; returns (version, ISO date) or ('', '')."""
    m = _VERSION_RE.search(text)
    if not m:
        return "", ""
    kind = m.group("kind")
    kind = kind.upper() if kind.upper() in ("LBK", "BEK") else kind.capitalize()
    if m.group("d1"):
        day, month, year = int(m.group("d1")), int(m.group("m1")), int(m.group("y1"))
        date_text = f"{day:02d}/{month:02d}/{year}"
    else:
        day, month, year = int(m.group("d2")), _MONTHS[m.group("m2").lower()], int(m.group("y2"))
        date_text = f"{day}. {m.group('m2').lower()} {year}"
    version = f"{kind} nr. {m.group('nr')} af {date_text}"
    iso = f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""
    return version, iso


def detect_kind(title: str, act: str) -> str:
    """'lov' or 'bekendtgoerelse': 'Bekendtgørelse om ...' is an order, 'Bekendtgørelse af lov om ...' an act."""
    low = title.strip().lower()
    if re.match(r"^(?:lovbekendtgørelse|bekendtgørelse af lov|lbk\b|lov\b)", low):
        return "lov"
    if re.match(r"^(?:bekendtgørelse|bek\b)", low):
        return "bekendtgoerelse"
    return "bekendtgoerelse" if act.endswith("bekendtgoerelsen") else "lov"


def _para_key(num: str, letter: str | None) -> tuple[int, str]:
    return int(num), (letter or "").lower()


def parse_legal_text(doc: LoadedDocument) -> LegalDocument | None:
    """Parse a loaded document as legislation; None if it is not an act/order we recognise."""
    given_kind = str(doc.metadata.get("kind") or "").strip().lower()
    if given_kind and given_kind not in ("lov", "bekendtgoerelse", "bekendtgørelse"):
        return None
    lines = _doc_lines(doc)
    first_content = next((i for i, ln in enumerate(lines) if _PARA_RE.match(ln.text) or _CHAPTER_RE.match(ln.text)), len(lines))
    preamble = lines[:first_content]
    title = (doc.title or "").strip()
    act = detect_act(title) if title and not _NOT_LEGISLATION_RE.match(title) else None
    if act is None:
        for ln in preamble[:5]:
            if not _NOT_LEGISLATION_RE.match(ln.text):
                act = detect_act(ln.text)
            if act:
                title = ln.text
                break
    if act is None:
        return None
    version, valid_from = parse_version("\n".join([title] + [ln.text for ln in preamble[:40]]))
    legal = LegalDocument(act=act, kind=detect_kind(title, act), title=title, version=version, valid_from=valid_from)
    _parse_body(legal, lines[first_content:])
    if not legal.provisions:
        return None
    return legal


def _parse_body(legal: LegalDocument, lines: list[_Line]) -> None:
    chapter: LegalChapter | None = None
    section = ""
    provision: LegalProvision | None = None
    unit: LegalUnit | None = None
    expect_chapter_heading = False
    previous = ""  # the previous content line, to tell headings from wrapped references
    last_item: int | None = None

    def continues() -> bool:
        return bool(previous) and bool(_CONTINUES_RE.search(previous))

    def add_text(text: str, *, new_line: bool, page: int | None) -> None:
        assert unit is not None
        if not unit.text:
            unit.text = text
        elif new_line or (re.search(r"[.:;!?]$", unit.text) and not _CONTINUES_RE.search(unit.text)):
            unit.text += "\n" + text
        else:
            unit.text += " " + text
        unit.page_start = unit.page_start if unit.page_start is not None else page
        unit.page_end = page if page is not None else unit.page_end

    for index, line in enumerate(lines):
        text, page = line.text, line.page
        if _STOP_RE.match(text) and len(text) <= 160 and legal.provisions:
            legal.trailing = [(ln.text, ln.page) for ln in lines[index:]]
            break
        m_chap = _CHAPTER_RE.match(text)
        if m_chap and not continues() and len(text) <= 120 and not (m_chap.group(2) or "")[:1].islower():
            chapter = LegalChapter(m_chap.group(1), (m_chap.group(2) or "").strip(" ."))
            legal.chapters.append(chapter)
            expect_chapter_heading = not chapter.heading
            section, previous = "", text
            continue
        m_para = _PARA_RE.match(text)
        if m_para and not continues():
            key = _para_key(m_para.group(1), m_para.group(2))
            if provision is None or key > _para_key(*_split_para(provision.paragraph)):
                provision = LegalProvision(
                    legal.act, normalise_paragraph(m_para.group(1), m_para.group(2)), chapter, section
                )
                legal.provisions.append(provision)
                unit = LegalUnit(legal.act, provision.paragraph, 1, "", chapter, section, page, page)
                provision.units.append(unit)
                expect_chapter_heading, section, last_item = False, "", None
                if m_para.group(3):
                    _add_content(unit, m_para.group(3), page, add_text)
                previous = text
                continue
        if expect_chapter_heading and chapter is not None and not _is_structural(text) and len(text) <= 150:
            chapter = LegalChapter(chapter.number, text.rstrip(" ."))
            legal.chapters[-1] = chapter
            expect_chapter_heading, previous = False, text
            continue
        expect_chapter_heading = False
        if _is_section_heading(text, lines, index):
            section, previous = text, text
            continue
        if provision is None or unit is None:
            previous = text
            continue  # preamble between chapters and the first §
        m_stk = _STK_RE.match(text)
        if m_stk and not continues() and int(m_stk.group(1)) > unit.stk:
            unit = LegalUnit(legal.act, provision.paragraph, int(m_stk.group(1)), "", chapter, provision.section, page, page)
            provision.units.append(unit)
            last_item = None
            if m_stk.group(2):
                _add_content(unit, m_stk.group(2), page, add_text)
            previous = text
            continue
        last_item = _add_content(unit, text, page, add_text, last_item=last_item)
        previous = text


def _split_para(display: str) -> tuple[str, str | None]:
    num, _, letter = display.partition(" ")
    return num, letter or None


def _is_section_heading(text: str, lines: list[_Line], index: int) -> bool:
    """A short title line (mellemrubrik) directly above a § heading."""
    if len(text) > 90 or re.search(r"[.:;,]$", text) or not text[:1].isupper() or _is_structural(text):
        return False
    nxt = lines[index + 1].text if index + 1 < len(lines) else ""
    return bool(_PARA_RE.match(nxt))


def _add_content(unit: LegalUnit, text: str, page: int | None, add_text, *, last_item: int | None = None) -> int | None:  # type: ignore[no-untyped-def]
    """Add one content line to a unit, recording items and litra; returns the current item number."""
    m_item = _ITEM_RE.match(text)
    if m_item:
        nr = int(m_item.group(1) or m_item.group(3))
        unit.items.append(LegalItem(nr, None, (m_item.group(2) or m_item.group(4)).strip()))
        add_text(text, new_line=True, page=page)
        return nr
    m_litra = _LITRA_RE.match(text)
    if m_litra:
        unit.items.append(LegalItem(last_item, m_litra.group(1), m_litra.group(2).strip()))
        add_text(text, new_line=True, page=page)
        return last_item
    if unit.items and not re.search(r"[.:;]$", unit.text):
        unit.items[-1].text += " " + text  # a wrapped item continues
    add_text(text, new_line=False, page=page)
    return last_item
