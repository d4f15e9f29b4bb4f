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


def pack_blocks(blocks: list[Block], size: int, overlap: int) -> list[list[tuple[str, int | None]]]:
    """Group blocks into chunks of at most size characters as (text, page) lists; oversized blocks are split."""
    pieces: list[tuple[str, int | None]] = []
    for block in blocks:
        text = block.text.strip()
        if len(text) <= size:
            pieces.append((text, block.page))
        elif block.kind == "table":
            pieces.extend((t, block.page) for t in split_table(text, size, overlap))
        else:
            pieces.extend((t, block.page) for t in split_text(text, size, overlap))
    chunks: list[list[tuple[str, int | None]]] = []
    current: list[tuple[str, int | None]] = []
    length = 0
    for text, page in pieces:
        new_page = bool(current) and page is not None and current[-1][1] is not None and page != current[-1][1]
        if current and (length + 2 + len(text) > size or (new_page and length >= size // 2)):
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
