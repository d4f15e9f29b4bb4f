"""A tiny document model shared by the PDF and DOCX renderers, plus Danish number formats.

Builders describe a document as a list of blocks (headings, paragraphs, tables, page
breaks). Blocks carry *marks*: keys of planted facts (figures, agreements, provisions).
The PDF renderer reports the page each mark was written on, which is how the manifest
gets true page numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

FICTION_NOTICE = "Fiktivt eksempel til demonstration af almen"
MUNICIPALITY = "Egeskov Kommune"
# Fixed timestamp for PDF/DOCX metadata so regeneration yields identical bytes.
FIXED_TIMESTAMP = dt.datetime(2025, 1, 1, 12, 0, 0, tzinfo=dt.UTC)

MONTHS_DA = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)
WEEKDAYS_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


class SampleGenerationError(Exception):
    """The sample documents could not be generated (layout or data inconsistency)."""


# --- Danish number formats -------------------------------------------------------------

def fmt_number(value: float, decimals: int = 0) -> str:
    """Format with Danish separators: 1234.5 -> '1.234,5'."""
    text = f"{abs(value):,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return ("-" if value < 0 and text.strip("0,.") else "") + text


def fmt_pct(value: float, decimals: int = 1) -> str:
    """Percent with a space before the sign: 16.9 -> '16,9 %'."""
    return f"{fmt_number(value, decimals)} %"


def fmt_mio(kr: float) -> str:
    """Kroner as millions with one decimal: 19_900_000 -> '19,9 mio. kr.'."""
    return f"{fmt_number(kr / 1_000_000, 1)} mio. kr."


def fmt_tkr(kr: float) -> str:
    """Kroner as thousands: 236_000 -> '236 t.kr.'."""
    return f"{fmt_number(kr / 1_000, 0)} t.kr."


def fmt_kr(kr: float) -> str:
    """Whole kroner: 4420 -> '4.420 kr.'."""
    return f"{fmt_number(kr, 0)} kr."


def fmt_date(day: dt.date) -> str:
    """Danish long date: 2025-09-23 -> '23. september 2025'."""
    return f"{day.day}. {MONTHS_DA[day.month - 1]} {day.year}"


def fmt_weekday_date(day: dt.date) -> str:
    """'tirsdag den 23. september 2025'."""
    return f"{WEEKDAYS_DA[day.weekday()]} den {fmt_date(day)}"


# --- Blocks ------------------------------------------------------------------------------

@dataclass
class Heading:
    """A section heading (level 1 or 2)."""

    text: str
    level: int = 1
    marks: tuple[str, ...] = ()


@dataclass
class Para:
    """A paragraph. style: normal, small, notice, title, subtitle, center, item.

    With markdown=True, '**bold**' and '__italic__' spans are honoured by both renderers.
    """

    text: str
    style: str = "normal"
    markdown: bool = False
    indent: float = 0.0  # mm
    marks: tuple[str, ...] = ()
    keep_with_next: bool = False


@dataclass
class TableRow:
    """One body row; cells are printed on a single line each."""

    cells: list[str]
    marks: tuple[str, ...] = ()
    bold: bool = False


@dataclass
class Table:
    """A table with a (possibly wrapping) header row and single-line body rows."""

    header: list[str]
    widths: list[float]  # mm on an A4 portrait page with 20 mm margins (170 mm usable)
    rows: list[TableRow]
    align: list[str] = field(default_factory=list)  # 'L', 'R' or 'C' per column
    font_size: float = 8.5
    plain: bool = False  # no borders or header shading (signature blocks)

    def column_align(self, i: int) -> str:
        return self.align[i] if i < len(self.align) else "L"


@dataclass
class PageBreak:
    """Start a new page."""


@dataclass
class Spacer:
    """Vertical space in mm."""

    height: float = 4.0


Block = Heading | Para | Table | PageBreak | Spacer


@dataclass
class DocModel:
    """A renderable document: running header, metadata and blocks."""

    title: str
    header: str
    blocks: list[Block]
    subject: str = ""
    keywords: list[str] = field(default_factory=list)
    author: str = MUNICIPALITY

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


def strip_markdown(text: str) -> str:
    """Remove the '**' and '__' emphasis markers used by Para(markdown=True)."""
    return text.replace("**", "").replace("__", "")
