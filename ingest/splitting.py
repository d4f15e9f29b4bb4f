"""Splitting text into chunk-sized pieces: paragraphs, lines, Danish sentences, words; tables between rows.

Shared by the chunking of documents and of legislation; packing keeps page numbers.
"""

from __future__ import annotations

from knowledge.types import Block

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


def pack_blocks(blocks: list[Block], size: int, overlap: int) -> list[list[tuple[str, int | None]]]:
    """Group blocks into chunks of at most size characters as (text, page) lists; oversized blocks are split."""
    pieces: list[tuple[str, int | None]] = []
    rows_from: set[int] = set()  # pieces of labelled table rows: they start a new chunk on a new page
    for block in blocks:
        text = (block.labelled or block.text).strip()
        if not text:
            continue  # a table's header line that its labelled rows say (ingest/loaders/pdf.py)
        if len(text) <= size:
            if block.labelled and block.kind == "table":
                rows_from.add(len(pieces))
            pieces.append((text, block.page))
        elif block.kind == "table" and block.labelled:
            rows_from.add(len(pieces))
            pieces.extend((t, block.page) for t in split_labelled(text, size, overlap))
        elif block.kind == "table":
            pieces.extend((t, block.page) for t in split_table(text, size, overlap))
        else:
            pieces.extend((t, block.page) for t in split_text(text, size, overlap))
    chunks: list[list[tuple[str, int | None]]] = []
    current: list[tuple[str, int | None]] = []
    length = 0
    for index, (text, page) in enumerate(pieces):
        new_page = bool(current) and page is not None and current[-1][1] is not None and page != current[-1][1]
        # a table's rows are cited with their own page: rows going on over a page start a chunk there
        if current and (length + 2 + len(text) > size or (new_page and (length >= size // 2 or index in rows_from))):
            chunks.append(current)
            carry = current[-1]
            # Overlap: a short last block of the previous chunk is repeated for context.
            keep = len(current) > 1 and len(carry[0]) <= overlap and len(carry[0]) + 2 + len(text) <= size
            current = [carry] if keep else []
            length = len(carry[0]) if keep else 0
        length += len(text) + (2 if current else 0)
        current.append((text, page))
    if current:
        chunks.append(current)
    return chunks
