"""Plain-text loader: UTF-8 with a cp1252/latin-1 fallback, paragraphs and simple headings."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ingest.errors import LoadError
from ingest.loaders._lines import lines_to_blocks
from knowledge.types import LoadedDocument


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode file bytes as UTF-8 (BOM aware), else cp1252, else latin-1; returns (text, warnings)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _normalise_newlines(data.decode("utf-16")), []
        except UnicodeDecodeError as exc:
            raise LoadError(
                f"Filen '{name}' ligner UTF-16-tekst, men kunne ikke afkodes. Gem den som UTF-8 og prøv igen."
            ) from exc
    try:
        return _normalise_newlines(data.decode("utf-8")), []
    except UnicodeDecodeError:
        pass
    for encoding, label in (("cp1252", "Windows-1252 (cp1252)"), ("latin-1", "Latin-1 (ISO-8859-1)")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warning = (
            f"Filen '{name}' er ikke gyldig UTF-8 og er læst som {label}. "
            "Kontrollér at æ, ø og å ser rigtige ud, og gem gerne filen som UTF-8."
        )
        return _normalise_newlines(text), [warning]
    raise LoadError(f"Filen '{name}' kunne ikke afkodes som tekst. Gem den som UTF-8 og prøv igen.")


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_text(path: Path, data: bytes) -> LoadedDocument:
    """Load a .txt file: paragraphs split on blank lines, soft wraps joined, numbered headings detected."""
    text, warnings = decode_text(data, path.name)
    if "\x00" in text:
        raise LoadError(f"Filen '{path.name}' ser ud til at være binær og ikke tekst.")
    blocks = lines_to_blocks(text.split("\n"))
    if not blocks:
        raise LoadError(f"Filen '{path.name}' indeholder ingen tekst. Kontrollér at det er den rigtige fil.")
    first = blocks[0].text.split("\n", 1)[0]
    if len(first) <= 120 and blocks[0].kind != "table" and not re.search(r"[.:;,]$", first):
        title = first
    else:
        title = next((b.text for b in blocks if b.kind == "heading"), path.stem)
    return LoadedDocument(path=str(path), title=title, blocks=blocks, fmt="txt", warnings=warnings)
