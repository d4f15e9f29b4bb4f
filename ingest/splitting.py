"""Splitting text into chunk-sized pieces: paragraphs, lines, Danish sentences, words; tables between rows.

Shared by the chunking of documents and of legislation; packing keeps page numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from knowledge.types import Block, paragraphs

_ABBREVIATIONS = ("jf", "stk", "nr", "pkt", "ca", "kr", "evt", "kap", "dvs", "mv", "inkl", "ekskl", "vedr", "iht", "pct")
# Sentence ends in Danish: not after "jf.", "stk.", "nr." ..., and only before a capital letter.
_SENTENCE_SEP = (
    "".join(rf"(?<!\b{a}\.)" for a in _ABBREVIATIONS)
    + r"(?<!\bbl\.a\.)(?<!\bf\.eks\.)(?<!\bm\.v\.)(?<=[.!?])\s+(?=[A-ZÆØÅ\"(])"
)
SEPARATORS = [r"\n\s*\n", r"\n", _SENTENCE_SEP, r"(?<=[;:])\s+", r"(?<=,)\s+", r"\s+", ""]

def split_text(text: str, size: int, overlap: int) -> list[str]:
    """Split text into pieces of at most ``size`` characters: paragraphs, lines, Danish sentences, words."""
    if len(text) <= size:
        return [text]
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=max(0, min(overlap, size // 2)),
        separators=SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",
    )
    return [p for p in splitter.split_text(text) if p.strip()]


def split_table(text: str, size: int, overlap: int) -> list[str]:
    """Split a table between rows, repeating the header row on every part."""
    rows = text.split("\n")
    header = rows[0] if len(rows) > 2 else ""
    parts: list[str] = []
    current: list[str] = []
    for row in rows:
        pieces = split_text(row, size, overlap) if len(row) > size else [row]
        for piece in pieces:
            if current and len("\n".join(current)) + 1 + len(piece) > size:
                parts.append("\n".join(current))
                current = [header] if header and len(header) + 1 + len(piece) <= size // 2 else []
            current.append(piece)
    if current and current != [header]:
        parts.append("\n".join(current))
    return parts


def split_labelled(text: str, size: int, overlap: int) -> list[str]:
    """Split a table of labelled rows (ingest/tables.py: rows apart by blank lines, each naming its columns)
    between rows; a caption line (ending in ':') starts every part, marked as continued after the first."""
    rows = [r.strip() for r in text.split("\n\n") if r.strip()]
    caption = rows.pop(0) if rows and rows[0].endswith(":") else ""
    lead = f"{caption[:-1]} (fortsat):" if caption else ""
    parts: list[str] = []
    head: list[str] = [caption] if caption else []
    current: list[str] = []
    for row in rows:
        for piece in split_text(row, size, overlap) if len(row) > size else [row]:
            if current and len("\n\n".join([*head, *current, piece])) > size:
                parts.append("\n\n".join([*head, *current]))
                head = [lead] if lead and len(lead) + 2 + len(piece) <= size // 2 else []
                current = []
            current.append(piece)
    if current:
        parts.append("\n\n".join([*head, *current]))
    return parts


class Packed(NamedTuple):
    """A piece of a chunk: the text stored (searched and quoted), its page, and ``raw``, what the document's own
    text has there when it differs (a table's rows as printed, not labelled with their columns): None when it is
    ``text`` itself, '' when an earlier piece of the same block holds it."""

    text: str
    page: int | None
    raw: str | None = None


def document_text(parts: Sequence[Packed]) -> str | None:
    """A chunk's text as the document has it (see ``Packed.raw``), or None when that is the chunk's own text."""
    if all(p.raw is None for p in parts):
        return None
    return "\n\n".join(r for r in (p.text if p.raw is None else p.raw for p in parts) if r.strip())


def paragraph_pages(parts: Sequence[Packed]) -> list[int | None]:
    """The page of every paragraph of a chunk's document text (``document_text``, or its text), in order."""
    return [p.page for p in parts for _ in paragraphs(p.text if p.raw is None else p.raw)]


def _block_pieces(block: Block, text: str, size: int, overlap: int) -> list[str]:
    if len(text) <= size:
        return [text]
    if block.kind == "table" and block.labelled:
        return split_labelled(text, size, overlap)
    if block.kind == "table":
        return split_table(text, size, overlap)
    return split_text(text, size, overlap)


def _pieces(blocks: list[Block], size: int, overlap: int) -> tuple[list[Packed], set[int]]:
    """Every block as pieces of at most size characters, and the indexes of the pieces that start labelled table
    rows. A block whose labelled text is blank (a table header its rows say) stores nothing; its own text goes
    with the next piece's raw text, so the document's text is kept whole."""
    pieces: list[Packed] = []
    rows_from: set[int] = set()  # pieces of labelled table rows: they start a new chunk on a new page
    pending = ""  # the own text of blocks the chunks leave out
    for block in blocks:
        text = (block.labelled or block.text).strip()
        raw = block.text.strip() if block.labelled else None
        if not text:
            pending = "\n\n".join(t for t in (pending, raw) if t)
            continue
        if block.labelled and block.kind == "table":
            rows_from.add(len(pieces))
        for n, piece in enumerate(_block_pieces(block, text, size, overlap)):
            own = None if raw is None else (raw if n == 0 else "")
            if pending:
                own, pending = "\n\n".join(t for t in (pending, piece if own is None else own) if t), ""
            pieces.append(Packed(piece, block.page, own))
    if pending and pieces:
        last = pieces[-1]
        pieces[-1] = last._replace(raw="\n\n".join(t for t in (last.text if last.raw is None else last.raw, pending) if t))
    return pieces, rows_from


def pack_blocks(blocks: list[Block], size: int, overlap: int) -> list[list[Packed]]:
    """Group blocks into chunks of at most size characters (``Packed`` pieces: text, page, the document's own
    text where the stored text differs); oversized blocks are split."""
    pieces, rows_from = _pieces(blocks, size, overlap)
    chunks: list[list[Packed]] = []
    current: list[Packed] = []
    length = 0
    for index, piece in enumerate(pieces):
        text, page = piece.text, piece.page
        new_page = bool(current) and page is not None and current[-1].page is not None and page != current[-1].page
        # a table's rows are cited with their own page: rows going on over a page start a chunk there
        if current and (length + 2 + len(text) > size or (new_page and (length >= size // 2 or index in rows_from))):
            chunks.append(current)
            carry = current[-1]
            # Overlap: a short last block of the previous chunk is repeated for context (its own text, held by
            # the chunk before, is not).
            keep = len(current) > 1 and len(carry.text) <= overlap and len(carry.text) + 2 + len(text) <= size
            current = [carry if carry.raw is None else carry._replace(raw="")] if keep else []
            length = len(carry.text) if keep else 0
        length += len(text) + (2 if current else 0)
        current.append(piece)
    if current:
        chunks.append(current)
    return chunks
