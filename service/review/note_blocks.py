"""The forberedelsesnotat as renderer-neutral blocks, and the two renderers: Markdown and Word (.docx).

Both renderers walk the same blocks, so the Markdown and the Word document say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
    """The note as Markdown (GitHub tables)."""
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
    return "\n\n".join(out) + "\n"


def render_docx(note: Note, path: Path) -> None:
    """The note as a Word document: real headings (Heading 1-3), list styles and grid tables."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = note.title
    doc.core_properties.subject = DRAFT_MARK
    doc.core_properties.author = "almen"
    for block in note.blocks:
        if isinstance(block, NHeading):
            doc.add_heading(block.text, level=min(block.level, 3))
        elif isinstance(block, NPara):
            p = doc.add_paragraph()
            run = p.add_run(block.text)
            run.bold = block.style == "strong"
            run.italic = block.style == "emphasis"
        elif isinstance(block, NList):
            for i, item in enumerate(block.items, start=1):
                text = " ".join(item.split())
                if block.ordered:  # explicit numbers: Word's 'List Number' would continue across lists
                    doc.add_paragraph(f"{i}. {text}", style="List Paragraph")
                else:
                    doc.add_paragraph(text, style="List Bullet")
        elif isinstance(block, NTable):
            table = doc.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header):
                cell.text = ""
                run = cell.paragraphs[0].add_run(text)
                run.bold = True
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row):
                    cell.text = " ".join(text.split())
                    for par in cell.paragraphs:
                        for run in par.runs:
                            run.font.size = Pt(9)
            doc.add_paragraph()
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
