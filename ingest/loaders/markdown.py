"""Markdown loader: front matter to metadata, '#' headings, paragraphs, lists and pipe tables."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ingest import budget
from ingest.errors import LoadError
from ingest.loaders._lines import is_structural_start
from ingest.loaders.text import decode_text
from knowledge.types import Block, LoadedDocument

_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")
_LIST_RE = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_TABLE_RE = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)\s*$")
_HR_RE = re.compile(r"^ {0,3}(?:[-*_]\s*){3,}$")


def load_markdown(path: Path, data: bytes) -> LoadedDocument:
    """Load a Markdown file; YAML front matter becomes LoadedDocument.metadata."""
    import frontmatter

    text, warnings = decode_text(data, path.name)
    try:
        post = frontmatter.loads(text)
        metadata: Any = dict(post.metadata)
    except Exception as exc:  # yaml.YAMLError and friends
        detail = str(exc).split("\n", 1)[0]
        raise LoadError(
            f"Ugyldig front matter i '{path.name}' ({detail}). Ret YAML-blokken mellem '---'-linjerne øverst i filen."
        ) from exc
    blocks = markdown_blocks(post.content)
    if not blocks:
        raise LoadError(f"Markdown-filen '{path.name}' indeholder ingen tekst.")
    title = str(metadata.get("title") or "").strip()
    if not title:
        title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), "") or path.stem
    return LoadedDocument(path=str(path), title=title, blocks=blocks, fmt="md", metadata=metadata, warnings=warnings)


def strip_inline(text: str) -> str:
    """Remove inline Markdown markup (links, emphasis, code ticks) and keep the words."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)", r"\1", text)
    text = re.sub(r"`([^`]+)`", r"\1", text)
    return re.sub(r"<!--.*?-->", "", text)


def _table_row(line: str) -> str:
    cells = [strip_inline(c.strip()) for c in line.strip().strip("|").split("|")]
    return " | ".join(c for c in cells if c)


def markdown_blocks(content: str) -> list[Block]:
    """Split Markdown body text into heading, paragraph and table blocks."""
    blocks: list[Block] = []
    para: list[str] = []
    items: list[str] = []
    table: list[str] = []
    lines = content.replace("\r\n", "\n").split("\n")

    def flush() -> None:
        if para:
            blocks.append(Block("\n".join(para), "paragraph"))
            para.clear()
        if items:
            blocks.append(Block("\n".join(items), "paragraph"))
            items.clear()
        if table:
            blocks.append(Block("\n".join(table), "table"))
            table.clear()

    i = headings = 0
    while i < len(lines):
        if i % 1024 == 0:
            budget.check()
        line = lines[i].rstrip()
        i += 1
        if _FENCE_RE.match(line):
            flush()
            fence = _FENCE_RE.match(line).group(1)  # type: ignore[union-attr]
            code: list[str] = []
            while i < len(lines) and not lines[i].strip().startswith(fence):
                code.append(lines[i].rstrip())
                i += 1
            i += 1
            if any(c.strip() for c in code):
                blocks.append(Block("\n".join(code).strip("\n"), "paragraph"))
            continue
        if not line.strip():
            flush()
            continue
        m = _ATX_RE.match(line)
        if m:
            flush()
            heading = strip_inline((m.group(2) or "").strip())
            if heading:
                blocks.append(Block(heading, "heading", len(m.group(1))))
                headings += 1
                budget.check_headings(headings)
            continue
        setext = _SETEXT_RE.match(line)
        if setext and len(para) == 1 and not items and not table:
            blocks.append(Block(para.pop(), "heading", 1 if setext.group(1)[0] == "=" else 2))
            continue
        if _HR_RE.match(line):
            flush()
            continue
        if _TABLE_RE.match(line):
            if para or items:
                flush()
            if not _TABLE_SEP_RE.match(line):
                row = _table_row(line)
                if row:
                    table.append(row)
            continue
        if table:
            flush()
        text = strip_inline(line.strip().lstrip(">").strip())
        if _LIST_RE.match(line):
            if para:
                flush()
            items.append(_LIST_RE.sub(lambda mm: "- " if mm.group(0).strip()[0] in "-*+" else mm.group(0).strip() + " ", line, count=1).strip())
            items[-1] = strip_inline(items[-1])
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + text
        elif items:
            flush()
            para.append(text)
        elif para and not is_structural_start(text):
            para[-1] += " " + text
        else:
            para.append(text)
    flush()
    return blocks
