"""The register as a table: rows with Danish column names, written as CSV (Excel-friendly) or XLSX."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from service.agreements.model import CATEGORY_LABELS, RegisterEntry

COLUMNS = (
    "Organisation", "Afdeling", "Nr.", "Type", "Aftale", "Kommunens afdeling", "Ansvarlig", "Aftalt",
    "Frist / varighed", "Usikker dato", "Status", "Overskredet", "Status ifølge", "Kilder", "Kategori", "Id",
)


def entry_row(entry: RegisterEntry, today: dt.date) -> dict[str, str]:
    """One register entry as a row of text cells (Danish column names)."""
    return {
        "Organisation": entry.organisation or "",
        "Afdeling": entry.afdeling or "",
        "Nr.": "" if entry.number is None else str(entry.number),
        "Type": entry.type_label,
        "Aftale": entry.text,
        "Kommunens afdeling": entry.department or "",
        "Ansvarlig": entry.responsible or "",
        "Aftalt": entry.agreed_date or "",
        "Frist / varighed": entry.deadline_display,
        "Usikker dato": "ja" if entry.deadline_uncertain else "",
        "Status": entry.status_label,
        "Overskredet": "ja" if entry.is_overdue(today) else "",
        "Status ifølge": "; ".join(s.citation for s in entry.status_sources),
        "Kilder": "; ".join(s.citation for s in entry.sources),
        "Kategori": CATEGORY_LABELS.get(entry.category, entry.category),
        "Id": entry.id,
    }


def write_csv(entries: list[RegisterEntry], path: Path, *, today: dt.date) -> Path:
    """CSV with ';' as separator and a byte-order mark, so Danish Excel opens it with æ, ø and å intact."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS), delimiter=";")
        writer.writeheader()
        for entry in entries:
            writer.writerow({k: _cell(v) for k, v in entry_row(entry, today).items()})
    return path


def write_xlsx(entries: list[RegisterEntry], path: Path, *, today: dt.date) -> Path:
    """An Excel workbook with one sheet 'Aftaler': bold header, filters, frozen header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "Aftaler"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in entries:
        row = entry_row(entry, today)
        sheet.append([_cell(row[c]) for c in COLUMNS])
    widths = {"Organisation": 26, "Afdeling": 22, "Type": 28, "Aftale": 80, "Frist / varighed": 28,
              "Status ifølge": 50, "Kilder": 60}
    for i, name in enumerate(COLUMNS, 1):
        letter = sheet.cell(row=1, column=i).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 14)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(str(path))
    return path


def _cell(value: str) -> str:
    # Text starting with '=', '+', '-' or '@' would be read as a formula by spreadsheet programs.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
