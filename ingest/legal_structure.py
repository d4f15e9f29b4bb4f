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
from dataclasses import dataclass

from ingest.legal_body import BodyParser, is_structural
from ingest.legal_markers import CHAPTER_RE, FOOTNOTE_REF_RE, PARA_RANGE_RE, PARA_RE, PART_RE, PLACEHOLDER_RE
from ingest.legal_meta import (  # re-exported: callers import these from here
    ActVersion,
    clean_title,
    detect_kind,
    looks_like_title,
    parse_version,
    version_from_lines,
    version_from_metadata,
)
from ingest.legal_model import (
    LegalAmendment,
    LegalChapter,
    LegalDocument,
    LegalItem,
    LegalNote,
    LegalProvision,
    LegalUnit,
)
from knowledge.legal import act_key_for_title, detect_act, register_act
from knowledge.types import LoadedDocument

__all__ = [
    "ActVersion", "LegalAmendment", "LegalChapter", "LegalDocument", "LegalItem", "LegalNote", "LegalProvision",
    "LegalUnit", "detect_kind", "parse_legal_text", "parse_version",
]

_PAGE_NOISE_RE = re.compile(
    r"^(?:(?:side|s\.)\s*)?[-–(]?\s*\d{1,4}\s*[-–)]?(?:\s*(?:af|/)\s*\d{1,4})?$|.*\bside\s+\d{1,4}\s*(?:af|/)\s*\d{1,4}$",
    re.IGNORECASE,
)
_NOT_LEGISLATION_RE = re.compile(
    r"^\s*(?:vejledning|notat|referat|rapport|styringsrapport|aftale|dagsorden|redegørelse|faktaark|"
    r"pjece|guide|høringssvar|brev|svar)\b",
    re.IGNORECASE,
)


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
        if len(ln.text) <= 100 and len(re.findall(r"[a-zæøå]", ln.text.lower())) >= 3 and not is_structural(ln.text):
            pages_of.setdefault(_noise_key(ln.text), set()).add(ln.page or 0)
    running = {key for key, pages in pages_of.items() if len(pages) >= max(3, len(by_page) // 4)}
    return [
        ln for i, ln in enumerate(lines)
        if not (len(ln.text) <= 100 and _PAGE_NOISE_RE.match(ln.text))
        and not (i in edges and _noise_key(ln.text) in running)
    ]


def _noise_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _identify(doc: LoadedDocument, preamble: list[str]) -> tuple[str | None, str]:
    """The act id and the title: a title line ('Bekendtgørelse af lov om ...') first, else any line naming the act.

    A title line names an act of the registry through its aliases, or an act of its own: its key is made
    from the title (knowledge.legal.act_key_for_title) and registered, so its provisions get labels and
    questions naming it find them."""
    # The official XML's DocumentTitle, then the printed title block, then the page's or PDF's title.
    candidates = [str(doc.metadata.get("title") or "")] + preamble[:8] + [doc.title or ""]
    candidates += [str(x) for x in doc.metadata.get("running_lines") or []]
    usable = [c.strip() for c in candidates if c.strip() and not _NOT_LEGISLATION_RE.match(c)]
    for text in usable:
        title = clean_title(text)
        if looks_like_title(title):
            key = act_key_for_title(title)
            register_act(key, title)
            return key, title
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
    # Lines above the title are the page's or print's document facts ('Gældende', 'Ministerium: ...').
    at_title = next((i for i, t in enumerate(preamble) if clean_title(t) == title), -1)
    legal.preamble = [t for t in preamble[at_title + 1:] if not (version and version.text in t)
                      and not version_from_lines([t])]
    BodyParser(legal).run([(ln.text, ln.page) for ln in lines[first:]])
    if not legal.provisions:
        return None
    for unit in legal.units + [u for a in legal.amendments for p in a.provisions for u in p.units]:
        m = PLACEHOLDER_RE.match(unit.text.strip())
        unit.placeholder = m.group(1).capitalize() if m and not unit.items else ""
    _take_note_markers(legal)
    return legal


def _take_note_markers(legal: LegalDocument) -> None:
    """'... om opfølgning på prøvelejemål.2)': the marker of an official note leaves the text, its number is kept."""
    known = {n.nr for n in legal.notes}
    if not known:
        return

    def take(text: str, found: list[int]) -> str:
        def one(m: re.Match[str]) -> str:
            nr = int(m.group(0)[:-1])
            if nr not in known:
                return m.group(0)
            found.append(nr)
            return ""
        return FOOTNOTE_REF_RE.sub(one, text)

    for unit in legal.units:
        found: list[int] = []
        unit.text = take(unit.text, found)
        for item in unit.items:
            item.text = take(item.text, found)
        unit.notes = list(dict.fromkeys(found))


def _opens_body(text: str) -> bool:
    return bool(PARA_RE.match(text) or PARA_RANGE_RE.match(text) or CHAPTER_RE.match(text) or PART_RE.match(text))


