"""Render a DocModel to PDF with fpdf2 core fonts (latin-1 only, no font files needed).

Every page gets the running header and a footer with the fiction notice and
"Side n af N". The renderer returns the page each mark was written on.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from fpdf import FPDF

from ingest.samples.model import (
    FICTION_NOTICE,
    FIXED_TIMESTAMP,
    DocModel,
    Heading,
    PageBreak,
    Para,
    SampleGenerationError,
    Spacer,
    Table,
    strip_markdown,
)

FONT = "Helvetica"
MARGIN = 20.0
_HEADER_REPLACEMENTS = {"–": "-", "—": "-", "‰": " promille", "’": "'", "“": '"', "”": '"'}
# style -> (font style, size pt, line height mm, align)
_STYLES: dict[str, tuple[str, float, float, str]] = {
    "normal": ("", 10, 5.0, "L"),
    "item": ("", 10, 5.0, "L"),
    "small": ("", 8.5, 4.2, "L"),
    "notice": ("I", 9, 4.8, "L"),
    "title": ("B", 20, 10.0, "L"),
    "subtitle": ("", 13, 7.0, "L"),
    "center": ("", 10, 5.0, "C"),
    "center_bold": ("B", 11, 6.0, "C"),
    "center_italic": ("I", 10, 5.0, "C"),
    "center_title": ("B", 16, 8.0, "C"),
}


def to_latin1(text: str) -> str:
    """Replace the few typographic characters that Helvetica cannot show (headers only)."""
    for src, dst in _HEADER_REPLACEMENTS.items():
        text = text.replace(src, dst)
    return text


def _check_latin1(text: str) -> str:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise SampleGenerationError(
            f"Teksten indeholder tegn, som PDF-skrifttypen ikke kan vise: {text[:60]!r}. "
            "Brug kun latin-1-tegn (fx '-' i stedet for '–')."
        ) from exc
    return text


class _SamplePDF(FPDF):
    def __init__(self, running_header: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.running_header = to_latin1(running_header)
        self.set_margins(MARGIN, 18, MARGIN)
        self.set_auto_page_break(auto=True, margin=20)

    def header(self) -> None:
        self.set_font(FONT, "", 8)
        self.set_text_color(90, 90, 90)
        self.set_xy(MARGIN, 8)
        self.cell(0, 4, self.running_header, align="L")
        self.set_draw_color(160, 160, 160)
        self.line(MARGIN, 13, self.w - MARGIN, 13)
        self.set_text_color(0, 0, 0)
        self.set_draw_color(0, 0, 0)
        self.set_xy(MARGIN, 18)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "I", 8)
        self.set_text_color(90, 90, 90)
        self.cell(120, 4, FICTION_NOTICE, align="L")
        self.cell(0, 4, f"Side {self.page_no()} af {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


class _Renderer:
    def __init__(self, doc: DocModel) -> None:
        self.doc = doc
        self.pdf = _SamplePDF(doc.header)
        self.pages: dict[str, int] = {}
        self._heights: dict[tuple[str, str, float, bool], float] = {}

    @property
    def usable_width(self) -> float:
        return self.pdf.w - 2 * MARGIN

    def ensure_space(self, height: float) -> None:
        if self.pdf.get_y() + height > self.pdf.page_break_trigger:
            self.pdf.add_page()

    def mark(self, marks: tuple[str, ...]) -> None:
        for key in marks:
            if key in self.pages:
                raise SampleGenerationError(f"Mærket {key!r} er brugt to gange i {self.doc.title!r}.")
            self.pages[key] = self.pdf.page_no()

    def run(self) -> _SamplePDF:
        pdf = self.pdf
        pdf.set_creation_date(FIXED_TIMESTAMP)
        pdf.set_title(to_latin1(self.doc.title))
        pdf.set_subject(to_latin1(self.doc.subject))
        pdf.set_author(to_latin1(self.doc.author))
        pdf.set_keywords(to_latin1("; ".join(self.doc.keywords)))
        pdf.set_creator("almen ingest.samples")
        pdf.set_producer("almen ingest.samples")
        pdf.add_page()
        blocks = self.doc.blocks
        for i, block in enumerate(blocks):
            if isinstance(block, Heading) or (isinstance(block, Para) and block.keep_with_next):
                self.ensure_space(self.keep_height(blocks, i))
            if isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, Para):
                self.para(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, PageBreak):
                pdf.add_page()
            elif isinstance(block, Spacer):
                pdf.ln(block.height)
        return pdf

    def keep_height(self, blocks: list, start: int) -> float:
        """Height of a run of keep-with-next blocks plus the start of the block that follows them."""
        total = 0.0
        for block in blocks[start:]:
            if isinstance(block, Heading):
                total += (7.0 if block.level <= 1 else 6.0) + 4.5
                continue
            if isinstance(block, Para):
                height = self.para_height(block) + 2
                total += height if height < 40 else 12
                if block.keep_with_next:
                    continue
            elif isinstance(block, Table):
                total += 30
            break
        return total

    def para_height(self, block: Para) -> float:
        key = (block.text, block.style, block.indent, block.markdown)
        if key not in self._heights:
            font_style, size, height, _ = _STYLES.get(block.style, _STYLES["normal"])
            self.pdf.set_font(FONT, font_style, size)
            lines = cast(list[str], self.pdf.multi_cell(
                self.usable_width - block.indent, height, block.text, markdown=block.markdown, dry_run=True,
                output="LINES",
            ))
            self._heights[key] = len(lines) * height + (2 if block.style == "notice" else 0)
        return self._heights[key]

    def heading(self, block: Heading) -> None:
        pdf = self.pdf
        size, height = (13, 7.0) if block.level <= 1 else (11, 6.0)
        if pdf.get_y() > 25:
            pdf.ln(3)
        pdf.set_font(FONT, "B", size)
        pdf.multi_cell(0, height, _check_latin1(block.text), new_x="LMARGIN", new_y="NEXT")
        self.mark(block.marks)
        pdf.ln(1.5)

    def para(self, block: Para) -> None:
        pdf = self.pdf
        font_style, size, height, align = _STYLES.get(block.style, _STYLES["normal"])
        pdf.set_font(FONT, font_style, size)
        text = _check_latin1(block.text)
        width = self.usable_width - block.indent
        boxed = block.style == "notice"
        total = self.para_height(block)
        pdf.set_font(FONT, font_style, size)
        if block.marks and total > pdf.page_break_trigger - 25:
            raise SampleGenerationError(f"Afsnittet er for langt til én side: {strip_markdown(text)[:60]!r}.")
        self.ensure_space(total if block.marks or total < 40 else height * 2)
        self.mark(block.marks)
        pdf.set_x(MARGIN + block.indent)
        if boxed:
            pdf.set_fill_color(243, 243, 243)
        pdf.multi_cell(
            width, height, text, align=align, markdown=block.markdown, border=1 if boxed else 0,
            fill=boxed, padding=1 if boxed else 0, new_x="LMARGIN", new_y="NEXT",
        )
        pdf.ln(2 if block.style not in ("item",) else 1)

    def table(self, block: Table) -> None:
        pdf = self.pdf
        if sum(block.widths) > self.usable_width + 0.01:
            raise SampleGenerationError(f"Tabellen er bredere end siden: {block.header}.")
        pdf.set_font(FONT, "", block.font_size)
        line_h = block.font_size * 0.45
        row_h = line_h + 1.8
        pdf.set_font(FONT, "B", block.font_size)
        header_lines = max(
            len(cast(list[str], pdf.multi_cell(w, line_h, _check_latin1(t), dry_run=True, output="LINES")))
            for t, w in zip(block.header, block.widths)
        )
        header_h = header_lines * line_h + 2
        self.ensure_space(header_h + row_h * min(len(block.rows), 3))
        self.table_header(block, line_h, header_h)
        for row in block.rows:
            if pdf.get_y() + row_h > pdf.page_break_trigger:
                pdf.add_page()
                self.table_header(block, line_h, header_h)
            pdf.set_font(FONT, "B" if row.bold else "", block.font_size)
            pdf.set_x(MARGIN)
            for i, (text, width) in enumerate(zip(row.cells, block.widths)):
                _check_latin1(text)
                if pdf.get_string_width(text) + 2 * pdf.c_margin > width:
                    raise SampleGenerationError(f"Teksten {text!r} er for bred til tabelkolonnen ({width} mm).")
                pdf.cell(width, row_h, text, border=0 if block.plain else 1, align=block.column_align(i))
            self.mark(row.marks)
            pdf.ln(row_h)
        pdf.ln(3)

    def table_header(self, block: Table, line_h: float, header_h: float) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B", block.font_size)
        pdf.set_fill_color(225, 230, 236)
        x, y = MARGIN, pdf.get_y()
        for text, width in zip(block.header, block.widths):
            if not block.plain:
                pdf.rect(x, y, width, header_h, style="DF")
            pdf.set_xy(x, y + 1)
            pdf.multi_cell(width, line_h, text, align="L" if block.plain else "C")
            x += width
        pdf.set_xy(MARGIN, y + header_h)


def render_pdf(doc: DocModel, path: Path) -> tuple[dict[str, int], int]:
    """Write doc as PDF to path; return (mark -> 1-based page, page count)."""
    renderer = _Renderer(doc)
    pdf = renderer.run()
    pages = pdf.page_no()
    path.write_bytes(bytes(pdf.output()))
    return renderer.pages, pages
