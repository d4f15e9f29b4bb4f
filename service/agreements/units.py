"""A document as the agreement rules read it: paragraphs and headings (text units) with page and section.

Built from a loaded file (``units_from_document``) or from the stored chunks of an ingested document
(``units_from_chunks``), so the rules give the same result for both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.types import Chunk, LoadedDocument

# 'fe-\nbruar', 'ud-\narbejder': a word hyphenated at a hard line break (a scanned page's text layer)
_HYPHEN_BREAK_RE = re.compile(r"([a-zæøå])-\n([a-zæøå])")


@dataclass
class TextUnit:
    """A paragraph or heading of a document with its page and section (the extractor's input)."""

    text: str
    page: int | None = None
    section: str = ""
    is_heading: bool = False
    chunk_id: str = ""


def units_from_document(doc: LoadedDocument) -> list[TextUnit]:
    """The document's blocks as text units, with the current heading as section."""
    units: list[TextUnit] = []
    section = ""
    for block in doc.blocks:
        if not block.text.strip():
            continue
        if block.kind == "heading":
            section = block.text.strip()
            units.append(TextUnit(section, block.page, section, True))
        else:
            _add(units, block.text.strip(), block.page, section)
    return units


_NUMBERED_SECTION_RE = re.compile(r"^\s*(?:§\s*)?\d{1,2}\.?\s+[A-ZÆØÅ]")


def units_from_chunks(chunks: Iterable[Chunk]) -> list[TextUnit]:
    """Text units rebuilt from stored chunks (ordered by ordinal); the heading path gives the section."""
    units: list[TextUnit] = []
    last_heading = None
    for chunk in sorted(chunks, key=lambda c: int(c.metadata.get("ordinal", 0))):
        heading = str(chunk.metadata.get("heading") or "")
        section = heading.split(" > ")[-1] if heading else ""
        page = chunk.metadata.get("page_start")
        if heading != last_heading and section:
            # a section that opens with a sub-section ('3. Aftalepunkter > 3.1 ...') has its own heading too
            path, before = heading.split(" > "), (last_heading or "").split(" > ")
            depth = next((i for i, (a, b) in enumerate(zip(path, before)) if a != b), min(len(path), len(before)))
            for title in path[depth:-1]:
                if _NUMBERED_SECTION_RE.match(title):
                    units.append(TextUnit(title, int(page) if page else None, title, True, chunk.id))
            units.append(TextUnit(section, int(page) if page else None, section, True, chunk.id))
            last_heading = heading
        for part, part_page in chunk.document_paragraphs():
            _add(units, part, part_page, section, chunk.id)
    return units


def _add(units: list[TextUnit], text: str, page: int | None, section: str, chunk_id: str = "") -> None:
    """Append a paragraph: a word hyphenated at a line break is joined, a block the overlap of two chunks
    repeats is read once, and a sentence a page break cut goes on in the unit before."""
    text = ocr_repaired(_HYPHEN_BREAK_RE.sub(r"\1\2", text))
    last = units[-1] if units and not units[-1].is_heading else None
    if not text or (last is not None and last.text == text):
        return
    if last is not None and _continues(last.text, text):
        last.text = f"{last.text} {text}"
        return
    units.append(TextUnit(text, page, section, chunk_id=chunk_id))


_MONTHS = r"(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december)"
# A scanned page's text layer confuses letters and digits; these repairs only touch what cannot be a word:
# 'O' or 'l'/'I' inside a number ('2O27', '3l.'), 'l.' or 'I.' as a day before a month ('l. februar'), '0' inside a
# word ('K0mmunen'),
# and spells 'på' the way a transliteration or OCR does ('paa', 'paatager') and 'kommune' as 'kornmune'.
_OCR_REPAIRS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<=\d)[Oo](?=\d)|(?<=\d\d)[Oo](?=\d|\b)"), "0"),
    (re.compile(r"(?<=\d)[lI](?=[\d.])|(?<![\wæøå])[lI](?=\d)|(?<![\wæøå])[lI](?=\.\s*" + _MONTHS + r"\b)"), "1"),
    (re.compile(r"(?<=[A-Za-zæøå])0(?=[a-zæøå])"), "o"),  # 'K0mmunen': a zero between letters
    (re.compile(r"\b([Pp])aa"), r"\1å"),
    (re.compile(r"\b([Kk])ornmun"), r"\1ommun"),
)


def ocr_repaired(text: str) -> str:
    """Text with the letter/digit confusions of a scanned text layer repaired (see _OCR_REPAIRS)."""
    for pattern, replacement in _OCR_REPAIRS:
        text = pattern.sub(replacement, text)
    return text


def _continues(previous: str, text: str) -> bool:
    """True when ``text`` goes on with the sentence ``previous`` broke off (no full stop, lower-case start)."""
    starts = bool(re.match(r"[a-zæøå]", text)) or (bool(re.match(r"\d", text)) and bool(_LEAD_END_RE.search(previous)))
    return (not re.search(r"[.!?:;)]\s*$", previous) and starts
            and "\n" not in previous[-80:] and "|" not in previous)


# a sentence cut right before its date ('... sender planen senest' / footer / '1. marts 2027.')
_LEAD_END_RE = re.compile(r"\b(?:senest|inden|før|til|fra|den|d\.|pr\.|uge|udgangen\s+af|ultimo|primo)\s*$",
                          re.IGNORECASE)
