"""Small Word reports written by tests and read through the real loader and extractor."""

from __future__ import annotations

from pathlib import Path

import docx

from ingest.loaders import load_file
from service.review.extract import extract_report
from service.review.model import ReportExtraction

# A table item: its rows, or (rows, merges) with merges as (row, col, to_row, to_col); a cell '~' is left empty
# (it is covered by a merge).
TableItem = list[list[str]] | tuple[list[list[str]], list[tuple[int, int, int, int]]]


def docx_report(path: Path, title: str, intro: str, items: list[str | TableItem]) -> ReportExtraction:
    """Write a Word report (a heading, an intro line, then paragraphs and tables) and extract its figures."""
    doc = docx.Document()
    doc.add_heading(title, level=1)
    doc.add_paragraph(intro)
    for item in items:
        if isinstance(item, str):
            doc.add_paragraph(item)
            continue
        rows, merges = item if isinstance(item, tuple) else (item, [])
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell != "~":
                    table.cell(r, c).text = cell
        for r0, c0, r1, c1 in merges:
            table.cell(r0, c0).merge(table.cell(r1, c1))
        doc.add_paragraph("")
    doc.save(str(path))
    return extract_report(load_file(path, max_bytes=1_000_000), require_figures=False)
