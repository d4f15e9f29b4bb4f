"""Render a DocModel to DOCX with python-docx: real headings, tables and page fields.

The zip container is rewritten with fixed timestamps so that regeneration yields
identical bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from ingest.samples.model import FICTION_NOTICE, FIXED_TIMESTAMP, DocModel, Heading, PageBreak, Para, Spacer, Table

_ZIP_DATE = (2025, 1, 1, 12, 0, 0)
_MARKUP_RE = re.compile(r"(\*\*.+?\*\*|__.+?__)")
_ALIGN = {"L": WD_ALIGN_PARAGRAPH.LEFT, "R": WD_ALIGN_PARAGRAPH.RIGHT, "C": WD_ALIGN_PARAGRAPH.CENTER}


def _add_runs(paragraph: Paragraph, text: str, markdown: bool, *, bold: bool = False, italic: bool = False) -> None:
    parts = _MARKUP_RE.split(text) if markdown else [text]
    for part in parts:
        if not part:
            continue
        if markdown and part.startswith("**") and part.endswith("**"):
            paragraph.add_run(part[2:-2]).bold = True
        elif markdown and part.startswith("__") and part.endswith("__"):
            paragraph.add_run(part[2:-2]).italic = True
        else:
            run = paragraph.add_run(part)
            run.bold = bold or None
            run.italic = italic or None


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) to paragraph."""
    def fld_char(kind: str):  # type: ignore[no-untyped-def]
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    paragraph.add_run()._r.append(fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(fld_char("separate"))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(fld_char("end"))


def _setup(document: DocxDocument, doc: DocModel) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    header = section.header.paragraphs[0]
    header.text = doc.header
    header.runs[0].font.size = Pt(8)
    header.runs[0].font.color.rgb = RGBColor(0x5A, 0x5A, 0x5A)
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{FICTION_NOTICE}\t\tSide ").italic = True
    _add_field(footer, "PAGE")
    footer.add_run(" af ")
    _add_field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(8)
    props = document.core_properties
    props.title = doc.title
    props.subject = doc.subject
    props.author = doc.author
    props.keywords = "; ".join(doc.keywords)
    props.comments = FICTION_NOTICE
    props.last_modified_by = "almen ingest.samples"
    props.revision = 1
    naive = FIXED_TIMESTAMP.replace(tzinfo=None)
    props.created = props.modified = props.last_printed = naive


def _paragraph(document: DocxDocument, block: Para) -> None:
    if block.style == "title":
        p = document.add_heading(level=0)
        _add_runs(p, block.text, block.markdown)
        return
    p = document.add_paragraph()
    italic = block.style in ("notice", "center_italic")
    bold = block.style in ("center_bold", "center_title")
    _add_runs(p, block.text, block.markdown, bold=bold, italic=italic)
    if block.style.startswith("center"):
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if block.indent:
        p.paragraph_format.left_indent = Mm(block.indent)
    size = {"subtitle": 13, "small": 8.5, "notice": 9, "center_title": 16}.get(block.style)
    if size:
        for run in p.runs:
            run.font.size = Pt(size)


def _table(document: DocxDocument, block: Table) -> None:
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
    if not block.plain:
        table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    all_rows = [(block.header, True)] + [(row.cells, row.bold) for row in block.rows]
    for r, (row, (cells, bold)) in enumerate(zip(table.rows, all_rows)):
        for c, (cell, text) in enumerate(zip(row.cells, cells)):
            cell.width = Mm(block.widths[c])
            p = cell.paragraphs[0]
            run = p.add_run(text)
            run.font.size = Pt(block.font_size)
            run.bold = True if (bold or r == 0) else None
            header_align = WD_ALIGN_PARAGRAPH.LEFT if block.plain else WD_ALIGN_PARAGRAPH.CENTER
            p.alignment = header_align if r == 0 else _ALIGN[block.column_align(c)]
    document.add_paragraph()


def _deterministic_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render_docx(doc: DocModel, path: Path) -> None:
    """Write doc as DOCX to path (marks are not paged in DOCX)."""
    document = Document()
    _setup(document, doc)
    for block in doc.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=min(max(block.level, 1), 3))
        elif isinstance(block, Para):
            _paragraph(document, block)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, PageBreak):
            document.add_page_break()
        elif isinstance(block, Spacer):
            document.add_paragraph()
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_deterministic_zip(buffer.getvalue()))
