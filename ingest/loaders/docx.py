"""Word (.docx) loader (python-docx): paragraphs, headings and tables in document order."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from pathlib import Path

from ingest.errors import LoadError
from ingest.tables import Grid, labelled_text, split_header
from knowledge.types import Block, LoadedDocument

MAX_UNPACKED_BYTES = 300 * 1024 * 1024  # guard against zip bombs dressed as .docx
_HEADING_STYLE_RE = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "titel"}
_LIST_STYLE_RE = re.compile(r"^(?:list|liste)", re.IGNORECASE)


def load_docx(path: Path, data: bytes) -> LoadedDocument:
    """Load a .docx file: headings by style ('Heading N' / 'Overskrift N'), tables as table blocks."""
    name = path.name
    _check_zip(data, name)
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors, ...
        raise LoadError(
            f"Word-filen '{name}' kunne ikke åbnes; den er beskadiget eller ikke en rigtig .docx-fil. "
            "Åbn den i Word, gem den igen som .docx og prøv en gang til."
        ) from exc
    try:
        blocks, style_title = _blocks(document)
    except Exception as exc:
        raise LoadError(
            f"Indholdet af Word-filen '{name}' kunne ikke læses. Åbn den i Word, gem den igen og prøv en gang til."
        ) from exc
    if not blocks:
        raise LoadError(f"Word-filen '{name}' indeholder ingen tekst.")
    try:
        core_title = (document.core_properties.title or "").strip()
    except Exception:
        core_title = ""
    title = core_title or style_title or next((b.text for b in blocks if b.kind == "heading"), "") or path.stem
    return LoadedDocument(path=str(path), title=title, blocks=blocks, fmt="docx")


def _check_zip(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception as exc:  # BadZipFile, NotImplementedError (odd zip versions), struct errors, ...
        raise LoadError(
            f"Word-filen '{name}' er beskadiget (zip-strukturen kan ikke læses). Gem den igen fra Word og prøv igen."
        ) from exc
    if "word/document.xml" not in names:
        raise LoadError(f"Filen '{name}' er ikke et Word-dokument (.docx). Kontrollér filtypen.")
    if unpacked > MAX_UNPACKED_BYTES:
        raise LoadError(_too_big_message(name))
    _check_real_sizes(data, name)


def _too_big_message(name: str) -> str:
    return (f"Word-filen '{name}' fylder over {MAX_UNPACKED_BYTES // (1024 * 1024)} MB udpakket og afvises. "
            "Fjern store billeder eller del dokumentet op.")


def _check_real_sizes(data: bytes, name: str) -> None:
    """Inflate every member in bounded steps: the sizes in the zip headers may lie (a zip bomb that
    claims to be small would otherwise be inflated in one piece when python-docx reads it)."""
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                probe = copy.copy(info)
                probe.file_size = MAX_UNPACKED_BYTES + 1  # read what is really there, up to the limit
                real = 0
                with archive.open(probe) as member:
                    while chunk := member.read(1024 * 1024):
                        real += len(chunk)
                        total += len(chunk)
                        if total > MAX_UNPACKED_BYTES:
                            raise LoadError(_too_big_message(name))
                if real != info.file_size:
                    raise zipfile.BadZipFile(f"{info.filename}: {real} bytes, header says {info.file_size}")
    except LoadError:
        raise
    except Exception as exc:  # BadZipFile (CRC, sizes), zlib.error, EOFError, ...
        raise LoadError(
            f"Word-filen '{name}' er beskadiget (zip-strukturen kan ikke læses). Gem den igen fra Word og prøv igen."
        ) from exc


def _style_name(paragraph) -> str:  # type: ignore[no-untyped-def]
    try:
        return paragraph.style.name if paragraph.style is not None else ""
    except Exception:
        return ""


def _is_list(paragraph, style: str) -> bool:  # type: ignore[no-untyped-def]
    if _LIST_STYLE_RE.match(style):
        return True
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.numPr is not None


# Word's list styles carry the kind and the level that the text itself lacks: 'List Number 2', 'List Bullet 3',
# Danish 'Opstilling med tal 2', 'Opstilling med punkttegn'
_NUMBERED_STYLE_RE = re.compile(r"^(?:list\s+number|opstilling\s+med\s+tal)(?:\s+(?P<level>\d))?$", re.IGNORECASE)
_BULLET_STYLE_RE = re.compile(r"^(?:list\s+bullet|opstilling\s+med\s+punkttegn)(?:\s+(?P<level>\d))?$", re.IGNORECASE)


def _list_mark(style: str, counters: list[int]) -> str:
    """The mark Word draws before a list item: '1. ' at the first level of a numbered list, 'a) ' below it,
    '- ' for bullets; nested items indented two spaces per level (the numbers restart under each parent)."""
    m = _NUMBERED_STYLE_RE.match(style.strip()) or _BULLET_STYLE_RE.match(style.strip())
    level = int(m.group("level") or 1) if m else 1
    del counters[level:]
    counters.extend([0] * (level - len(counters)))
    indent = "  " * (level - 1)
    if not m or not _NUMBERED_STYLE_RE.match(style.strip()):
        return f"{indent}- "
    counters[level - 1] += 1
    n = counters[level - 1]
    return f"{indent}{n}. " if level == 1 else f"{indent}{chr(ord('a') + (n - 1) % 26)}) "


def _table_text(table) -> str:  # type: ignore[no-untyped-def]
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: list[object] = []
        row_cells = list(row.cells)
        whole_row = len({id(c._tc) for c in row_cells}) == 1
        for cell in row_cells:
            text = re.sub(r"\s+", " ", cell.text).strip()
            if any(cell._tc is s for s in seen):  # merged cells repeat the same cell
                # a group header spanning some columns ('Husleje kr./m²' over '2024 | 2025') names each of them;
                # a caption spanning the whole row is said once
                if text and not whole_row and cell._tc is seen[-1]:
                    cells.append(text)
                continue
            seen.append(cell._tc)
            if text:
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return "\n".join(rows)


_CAPTION_STYLES = {"caption", "billedtekst", "tabeltekst"}
_CAPTION_RE = re.compile(r"^Tabel\s+\d+[.:]?\s")


def _is_header_row(row) -> bool:  # type: ignore[no-untyped-def]
    """Word's 'repeat as header row' (w:tblHeader): the author's own mark of a header row."""
    trpr = row._tr.trPr
    return trpr is not None and any(child.tag.endswith("}tblHeader") for child in trpr)


def table_grid(table, caption: str = "") -> Grid:  # type: ignore[no-untyped-def]
    """The table as a grid: a merged cell repeated in every column it spans (a header names each column under
    it; in a body row only its first column keeps the text) and in every row it spans."""
    rows: list[list[str]] = []
    spans: list[list[bool]] = []  # per row: does the cell go on from its left neighbour (a horizontal merge)
    marked = 0
    for index, row in enumerate(table.rows):
        cells = list(row.cells)
        rows.append([re.sub(r"\s+", " ", cell.text).strip() for cell in cells])
        spans.append([i > 0 and cells[i]._tc is cells[i - 1]._tc for i in range(len(cells))])
        if index == marked and _is_header_row(row):
            marked += 1
    if marked and marked < len(rows):
        header_count = marked
    else:
        header_count = len(split_header(rows)[0])
    for texts, merged in zip(rows[header_count:], spans[header_count:]):
        for i, goes_on in enumerate(merged):
            if goes_on:
                texts[i] = ""  # a body cell spanning columns is said once
    header, body = rows[:header_count], rows[header_count:]
    return Grid(header, body, caption=caption)


def _blocks(document) -> tuple[list[Block], str]:  # type: ignore[no-untyped-def]
    from docx.table import Table

    blocks: list[Block] = []
    style_title = ""
    list_lines: list[str] = []
    counters: list[int] = []  # the running number of each level of Word's automatic list numbering

    def flush_list() -> None:
        counters.clear()
        if list_lines:
            blocks.append(Block("\n".join(list_lines), "paragraph"))
            list_lines.clear()

    caption = ""
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            flush_list()
            text = _table_text(item)
            if text:
                blocks.append(Block(text, "table", labelled=labelled_text(table_grid(item, caption))))
            caption = ""
            continue
        text = re.sub(r"[ \t\u00a0]+", " ", item.text).strip()
        if not text:
            continue
        style = _style_name(item)
        caption = text if style.strip().lower() in _CAPTION_STYLES or _CAPTION_RE.match(text) else ""
        m = _HEADING_STYLE_RE.match(style.strip())
        if m or style.strip().lower() in _TITLE_STYLES:
            flush_list()
            if not m and not style_title:
                style_title = text
            blocks.append(Block(text, "heading", min(int(m.group(1)), 6) if m else 1))
        elif _is_list(item, style):
            list_lines.append(text if re.match(r"^(?:[-•*]|\d+[.)]|[a-z]\))\s", text) else _list_mark(style, counters) + text)
        else:
            flush_list()
            blocks.append(Block(text, "paragraph"))
    flush_list()
    return blocks, style_title
