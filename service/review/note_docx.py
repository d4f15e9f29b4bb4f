"""The forberedelsesnotat as a Word document a Danish caseworker can open and edit as is.

* Danish proofing: 'da-DK' on the document defaults, every style and every run, and as the theme language,
  so Word does not mark every Danish word as misspelt;
* A4 paper with margins of 2.5 cm (top, bottom) and 2 cm (left, right);
* headings in Word's own heading styles (Title, Heading 1-3), so a table of contents can be inserted;
* tables with a header row repeated on every page, rows that do not break across pages, and column widths
  fitted to their content within the text width.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from service.review.note_blocks import DRAFT_MARK, NHeading, NList, Note, NPara, NTable

LANGUAGE = "da-DK"
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_BOTTOM_CM, MARGIN_SIDES_CM = 2.5, 2.0
TABLE_FONT_PT = 9
_MIN_COLUMN_SHARE = 0.08  # no column narrower than this share of the text width


_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")  # the only run properties after w:lang


def _set_language(rpr: Any) -> None:
    """Set w:lang (latin, east-asian and complex script) in run properties, in its place in the schema."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        later = next((c for c in rpr if c.tag in {qn(t) for t in _AFTER_LANG}), None)
        if later is not None:
            later.addprevious(lang)
        else:
            rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), LANGUAGE)


def _danish_document(doc: Any) -> None:
    """Danish as the language of the document defaults, of every style and of the theme."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_default.append(rpr)
        _set_language(rpr)
    for style in styles.findall(qn("w:style")):
        _set_language(style.get_or_add_rPr())
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is None:
        theme_lang = OxmlElement("w:themeFontLang")
        settings.append(theme_lang)
    theme_lang.set(qn("w:val"), LANGUAGE)


def _a4(doc: Any) -> None:
    from docx.shared import Cm, Mm

    for section in doc.sections:
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin = section.bottom_margin = Cm(MARGIN_TOP_BOTTOM_CM)
        section.left_margin = section.right_margin = Cm(MARGIN_SIDES_CM)


def column_shares(table: NTable) -> list[float]:
    """Each column's share of the text width: by its longest word and its typical text, never too narrow."""
    n = len(table.header)
    weights = []
    for i in range(n):
        cells = [table.header[i]] + [row[i] if i < len(row) else "" for row in table.rows]
        longest_word = max((len(w) for c in cells for w in c.split()), default=1)
        typical = sorted(len(c) for c in cells)[len(cells) // 2] if cells else 1
        weights.append(max(longest_word, min(typical, 60)))
    total = sum(weights) or 1
    shares = [max(w / total, _MIN_COLUMN_SHARE) for w in weights]
    scale = sum(shares)
    return [s / scale for s in shares]


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _keep_rows_whole(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for row in table.rows:
        cant = OxmlElement("w:cantSplit")
        cant.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(cant)


def _add_table(doc: Any, block: NTable, text_width: int) -> None:
    from docx.shared import Pt

    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.autofit = False
    widths = [int(text_width * share) for share in column_shares(block)]
    for cell, text in zip(table.rows[0].cells, block.header):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(TABLE_FONT_PT)
    _repeat_header(table.rows[0])
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = " ".join(text.split())
            for par in cell.paragraphs:
                for run in par.runs:
                    run.font.size = Pt(TABLE_FONT_PT)
    for column, width in zip(table.columns, widths):
        column.width = width
        for cell in column.cells:
            cell.width = width
    _keep_rows_whole(table)


def render_docx(note: Note, path: Path) -> None:
    """The note as a Word document (see the module docstring)."""
    from docx import Document

    doc = Document()
    _a4(doc)
    section = doc.sections[0]
    text_width = int((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0))
    doc.core_properties.title = note.title
    doc.core_properties.subject = DRAFT_MARK
    doc.core_properties.author = "almen"
    doc.core_properties.language = LANGUAGE
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
            _add_table(doc, block, text_width)
            doc.add_paragraph()
    _danish_document(doc)
    for paragraph in _all_paragraphs(doc):
        for run in paragraph.runs:
            _set_language(run._r.get_or_add_rPr())
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


def _all_paragraphs(doc: Any) -> list[Any]:
    out = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(cell.paragraphs)
    return out
