"""PDF loader (the only module that uses pypdf): text per page, running headers and footers removed."""

from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest import budget
from ingest.errors import LoadError
from ingest.loaders._lines import is_structural_start, lines_to_blocks
from ingest.loaders.pdf_tables import PageTable, line_key, page_tables
from knowledge.types import Block, LoadedDocument

MAX_PAGES = 5000
EDGE_LINES = 3  # how many lines at the top and bottom of a page can be a running header/footer

_PAGE_NUMBER_RE = re.compile(
    r"^(?:(?:side|s\.|page)\s*)?[-–(]?\s*\d{1,4}\s*[-–)]?(?:\s*(?:af|/|of)\s*\d{1,4})?$", re.IGNORECASE
)
_SIDE_SUFFIX_RE = re.compile(r"\bside\s+\d{1,4}\s*(?:af|/)\s*\d{1,4}\s*$", re.IGNORECASE)
_USELESS_TITLE_RE = re.compile(r"^(?:microsoft word - |untitled|unavngivet|dokument\d*$|document\d*$)", re.IGNORECASE)


@contextmanager
def _pypdf_problems() -> Iterator[list[str]]:
    """Collect pypdf's log warnings about a broken file instead of letting them reach stderr."""
    problems: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            problems.append(record.getMessage())

    logger = logging.getLogger("pypdf")  # pypdf's module loggers ("pypdf._reader", ...) propagate here
    handler, propagate = Collect(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield problems
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def load_pdf(path: Path, data: bytes) -> LoadedDocument:
    """Load a PDF: one set of blocks per page (Block.page), headers/footers and page numbers removed."""
    with _pypdf_problems() as problems:
        doc = _load_pdf(path, data)
    if problems:
        doc.warnings.append(
            f"PDF'en '{path.name}' har fejl i sin interne struktur; teksten er læst så godt som muligt. "
            "Kontrollér resultatet, eller eksportér filen igen."
        )
    return doc


def _load_pdf(path: Path, data: bytes) -> LoadedDocument:
    name = path.name
    reader = _open_reader(data, name)
    try:
        page_count = len(reader.pages)
    except Exception as exc:  # pypdf raises many types on broken page trees
        raise LoadError(_corrupt_message(name)) from exc
    if page_count == 0:
        raise LoadError(f"PDF'en '{name}' har ingen sider. Kontrollér at filen ikke er beskadiget.")
    if page_count > MAX_PAGES:
        raise LoadError(
            f"PDF'en '{name}' har {page_count} sider; højst {MAX_PAGES} sider kan indlæses. Del filen op i mindre dele."
        )
    warnings: list[str] = []
    pages: list[list[str]] = []
    failed: list[int] = []
    for number in range(page_count):
        budget.check()
        try:
            text = reader.pages[number].extract_text() or ""
        except Exception:  # one bad page must not sink the document
            failed.append(number + 1)
            text = ""
        pages.append(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if failed and len(failed) == page_count:
        raise LoadError(_corrupt_message(name))
    if failed:
        shown = ", ".join(str(n) for n in failed[:10]) + (" ..." if len(failed) > 10 else "")
        warnings.append(f"Tekst på side {shown} i '{name}' kunne ikke læses og er sprunget over.")
    running = running_lines(pages)
    pages = remove_running_lines(pages)
    blocks: list[Block] = []
    previous: PageTable | None = None  # the last table of the page before, for a table going on
    for number, lines in enumerate(pages, start=1):
        page_blocks = lines_to_blocks(lines, number)
        previous = _label_tables(reader, number, lines, page_blocks, previous) if _may_hold_table(lines, page_blocks) \
            else None
        blocks.extend(page_blocks)
    if not any(b.text.strip() for b in blocks):
        raise LoadError(
            f"Ingen tekst fundet - er det en scannet PDF? '{name}' indeholder kun billeder eller tegninger. "
            "Kør tekstgenkendelse (OCR) på filen, eller brug en tekstbaseret udgave."
        )
    empty = sum(1 for lines in pages if not any(ln.strip() for ln in lines))
    if empty and empty >= page_count / 2:
        warnings.append(f"{empty} af {page_count} sider i '{name}' har ingen tekst (måske scannede sider).")
    return LoadedDocument(
        path=str(path),
        title=_title(reader, blocks, path),
        blocks=blocks,
        fmt="pdf",
        warnings=warnings,
        page_count=page_count,
        # What was removed as running header/footer, as printed on its first page: an act's title
        # and version are often printed there and nowhere else on the first page.
        metadata={"running_lines": running} if running else {},
    )


def _may_hold_table(lines: list[str], page_blocks: list[Block]) -> bool:
    """A page worth reading word positions for: a table block, or three short lines with figures (rows whose
    words or a § kept them from being taken for table lines)."""
    if any(b.kind == "table" for b in page_blocks):
        return True
    return sum(1 for ln in lines if len(ln.strip()) <= 90 and re.search(r"\d", ln) and "  " not in ln.strip()) >= 3


def _label_tables(reader, number: int, lines: list[str], page_blocks: list[Block],  # type: ignore[no-untyped-def]
                  previous: PageTable | None) -> PageTable | None:
    """Give the page's table blocks their rows with column names (Block.labelled), read from the positions of
    the words (pypdf's layout mode); returns the page's last table. The blocks' text is left as it was."""
    budget.check()
    try:
        layout = reader.pages[number - 1].extract_text(extraction_mode="layout") or ""
    except Exception:  # a page pypdf cannot lay out keeps its plain table rows
        return None
    top = next((ln for ln in lines if ln.strip()), "")
    tables = page_tables(layout, previous, line_key(top))
    rows: dict[str, str] = {}
    headers: set[str] = set()
    words: set[str] = set()
    for table in tables:
        rows.update(table.labelled())
        headers |= table.header_keys
        words |= table.header_words
    if rows:
        _apply_labels(page_blocks, rows, headers)
        _drop_header_words(page_blocks, words)
    return next((t for t in reversed(tables) if not t.facts), None)


def _apply_labels(page_blocks: list[Block], rows: dict[str, str], headers: set[str]) -> None:
    """Set Block.labelled on the blocks holding the rows: a table block (one row a line) when most of its lines
    are rows, a paragraph that is one row (a row with words or a § is not taken for a table line). A paragraph
    that is only a table's header line says nothing the rows do not: its labelled is a blank."""
    for block in page_blocks:
        if block.kind == "heading":
            continue
        if block.kind == "paragraph":
            key = line_key(block.text)
            if key in rows:
                block.labelled = rows[key]
            elif key in headers:
                block.labelled = " "
            continue
        block_lines = block.text.split("\n")
        out = []
        for line in block_lines:
            key = line_key(line)
            if key in rows:
                out.append(rows[key])
            elif key not in headers:
                out.append(line)
        matched = sum(1 for line in block_lines if line_key(line) in rows)
        if matched and matched * 2 >= len(block_lines):
            block.labelled = "\n\n".join(out)


def _drop_header_words(page_blocks: list[Block], words: set[str]) -> None:
    """The plain text gives a header wrapped over lines as loose words ('Antal', 'boliger', 'kr. pr. m²') in the
    paragraphs right above the rows: when the rows name their columns, those paragraphs say nothing more."""
    for i, block in enumerate(page_blocks):
        if not block.labelled.strip():
            continue
        j = i - 1
        while j >= 0 and page_blocks[j].kind == "paragraph" and not page_blocks[j].labelled.strip() \
                and page_blocks[j].text.split() and set(page_blocks[j].text.split()) <= words:
            page_blocks[j].labelled = " "
            j -= 1
        if j >= 0 and page_blocks[j].kind == "paragraph" and not page_blocks[j].labelled:
            tokens = page_blocks[j].text.split()
            n = len(tokens)
            while n > 0 and tokens[n - 1] in words:
                n -= 1
            if len(tokens) - n >= 2 and n and tokens[n - 1].endswith((".", ":")):
                page_blocks[j].labelled = " ".join(tokens[:n])  # a sentence the header line was joined to


def _open_reader(data: bytes, name: str):  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))  # pypdf's decompression limits stay at their defaults
    except Exception as exc:
        raise LoadError(_corrupt_message(name)) from exc
    if reader.is_encrypted:
        try:
            opened = bool(reader.decrypt(""))  # PDFs with only an owner password open without one
        except Exception:
            opened = False
        if not opened:
            raise LoadError(
                f"PDF'en '{name}' er krypteret/beskyttet med adgangskode. "
                "Gem en udgave uden adgangskode (fx 'Udskriv til PDF') og indlæs den i stedet."
            )
    return reader


def _corrupt_message(name: str) -> str:
    return (
        f"PDF'en '{name}' er beskadiget eller ufuldstændig og kan ikke læses. "
        "Hent eller eksportér filen igen og prøv en gang til."
    )


def _line_key(line: str) -> str:
    text = re.sub(r"\s+", " ", line.strip())
    # "Kapitel 2" on top of one page and "Kapitel 3" on the next are content, not a running header.
    return text if is_structural_start(text) else re.sub(r"\d+", "#", text.lower())


def _edges_and_repeated(pages: list[list[str]]) -> tuple[list[set[int]], set[str]]:
    """Per page the indexes of its edge lines, and the keys of edge lines repeating on most pages."""
    edges: list[set[int]] = []
    counts: Counter[str] = Counter()
    for lines in pages:
        idx = [i for i, ln in enumerate(lines) if ln.strip()]
        edge = set(idx[:EDGE_LINES] + idx[-EDGE_LINES:])
        edges.append(edge)
        counts.update({_line_key(lines[i]) for i in edge})
    content_pages = sum(1 for e in edges if e)
    threshold = max(2, math.ceil(0.5 * content_pages))
    repeated = {k for k, n in counts.items() if n >= threshold} if content_pages >= 2 else set()
    return edges, repeated


def running_lines(pages: list[list[str]]) -> list[str]:
    """The running header/footer lines (not bare page numbers), each once, as first printed."""
    edges, repeated = _edges_and_repeated(pages)
    seen: dict[str, str] = {}
    for lines, edge in zip(pages, edges):
        for i in sorted(edge):
            text = re.sub(r"\s+", " ", lines[i].strip())
            key = _line_key(lines[i])
            if key in repeated and key not in seen and not _PAGE_NUMBER_RE.match(text):
                seen[key] = text
    return list(seen.values())


def remove_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop running headers/footers (lines repeating at the top or bottom of most pages) and page numbers."""
    edges, repeated = _edges_and_repeated(pages)
    out: list[list[str]] = []
    for lines, edge in zip(pages, edges):
        kept = []
        for i, line in enumerate(lines):
            text = line.strip()
            if i in edge and (
                _line_key(line) in repeated
                or _PAGE_NUMBER_RE.match(text)
                or (len(text) <= 100 and _SIDE_SUFFIX_RE.search(text))
            ):
                continue
            kept.append(line)
        out.append(kept)
    return _drop_headers_inside_sentences(out)


def _drop_headers_inside_sentences(pages: list[list[str]]) -> list[list[str]]:
    """A running header printed only from page 2 on ('Foreningen · Årsberetning 2025') that falls between the two
    halves of a sentence - the page before ends mid-sentence, the line after it goes on in lower case - is
    dropped, so the sentence is read whole. Only a line with a separator ('·', '|') counts: no sentence has one."""
    for before, lines in zip(pages, pages[1:]):
        last = next((ln.strip() for ln in reversed(before) if ln.strip()), "")
        idx = [i for i, ln in enumerate(lines) if ln.strip()]
        if not last or len(idx) < 2 or last.endswith((".", "!", "?", ":", ";")):
            continue
        head, nxt = lines[idx[0]].strip(), lines[idx[1]].strip()
        if len(head) <= 100 and re.search(r"\s[·|]\s", head) and re.match(r"[a-zæøå]", nxt):
            del lines[idx[0]]
    return pages


def _title(reader, blocks: list[Block], path: Path) -> str:  # type: ignore[no-untyped-def]
    try:
        meta_title = str((reader.metadata or {}).get("/Title") or "").strip()
    except Exception:
        meta_title = ""
    if meta_title and not _USELESS_TITLE_RE.match(meta_title):
        return meta_title
    for block in blocks[:3]:
        if block.page == 1 and block.kind != "table" and len(block.text) <= 200 and "\n" not in block.text:
            return block.text
    return path.stem
