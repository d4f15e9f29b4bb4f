"""The forberedelsesnotat as renderer-neutral blocks, and the Markdown renderer.

The Word renderer (service.review.note_docx) walks the same blocks, so the Markdown and the Word
document say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.text import without_raw_html

DRAFT_MARK = "Udkast – skal gennemgås af sagsbehandler"


@dataclass
class NHeading:
    """A heading (level 0 = the title)."""

    text: str
    level: int = 1


@dataclass
class NPara:
    """A paragraph."""

    text: str
    style: str = "normal"  # normal, emphasis, strong


@dataclass
class NList:
    """A bulleted or numbered list."""

    items: list[str]
    ordered: bool = False


@dataclass
class NTable:
    """A table with a header row."""

    header: list[str]
    rows: list[list[str]]


NBlock = NHeading | NPara | NList | NTable


@dataclass
class Note:
    """The note as blocks plus its title."""

    title: str
    blocks: list[NBlock] = field(default_factory=list)

    def add(self, *blocks: NBlock) -> None:
        """Append blocks."""
        self.blocks.extend(blocks)


def _md_cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def render_markdown(note: Note) -> str:
    """The note as Markdown (GitHub tables), with no raw HTML from the documents it quotes."""
    out: list[str] = []
    for block in note.blocks:
        if isinstance(block, NHeading):
            out.append("#" * (block.level + 1) + " " + block.text)
        elif isinstance(block, NPara):
            if block.style == "strong":
                out.append(f"**{block.text}**")
            elif block.style == "emphasis":
                out.append(f"*{block.text}*")
            else:
                out.append(block.text)
        elif isinstance(block, NList):
            out.append("\n".join((f"{i}. " if block.ordered else "- ") + " ".join(item.split())
                                 for i, item in enumerate(block.items, start=1)))
        elif isinstance(block, NTable):
            lines = ["| " + " | ".join(_md_cell(h) for h in block.header) + " |",
                     "|" + "|".join("---" for _ in block.header) + "|"]
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
            out.append("\n".join(lines))
    return without_raw_html("\n\n".join(out) + "\n")
