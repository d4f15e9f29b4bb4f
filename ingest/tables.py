"""Tables as readable rows: every cell said with the name of its column.

A table row in a document's text layer ('Afd. 4 Kildevang | 4.300 | 9.800 | 166 | 83 % | Ja') never names its
columns: the header stands on other lines, sometimes on another page, so neither search nor the answer can tell
what 9.800 is. The loaders that know a table's structure (Word, HTML) or can rebuild it from word positions
(PDF) pass a ``Grid`` here, and each body row becomes one line that carries its column names::

    Afd. 4 Kildevang: Husleje pr. m² 2025: 1.034 kr.; Henlæggelser pr. bolig: 9.800; Tomgang: 83 %.

The header is read top-down per column: a group header over several columns ('Husleje pr. m²' over '2024' and
'2025') names each of them ('Husleje pr. m² 2024'). The first column names the row when it holds words, not
figures. Empty cells are left out; a dash ('-', '–') is the document's 'none' and is kept as printed. Figures stay
as printed (Danish '1.234,5', '(842)' for a negative), so a sentence quoted from the line finds them in the source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

# a figure: '1.234', '-5', '(842)', '12,5 %', '1.034 kr.', '9,8 mio. kr.', '412-', a year
_FIGURE_RE = re.compile(
    r"^[-+−(]?\s*\d[\d.,  ]*\)?\s*[-−]?\s*(?:%|pct\.?|‰|kr\.?|t\.?kr\.?|mio\.?(?:\s*kr\.?)?|mia\.?(?:\s*kr\.?)?|m²|m2)?$",
    re.IGNORECASE,
)
_NONE_VALUES = frozenset({"-", "–", "—", "÷", "n/a", "i.a.", "ia"})
_YES_NO = frozenset({"ja", "nej", "x", "✓"})
_WS_RE = re.compile(r"\s+")
PROSE_WORDS = 10  # a cell of this many words is running text, not a value under a column name


def is_figure(cell: str) -> bool:
    """True for a cell holding a figure (Danish format), a dash for none or a yes/no mark."""
    text = cell.strip()
    return bool(text) and (bool(_FIGURE_RE.match(text)) or text.lower() in _NONE_VALUES)


def is_value(cell: str) -> bool:
    """A cell that is data rather than a name: a figure, a dash, 'Ja'/'Nej'."""
    return is_figure(cell) or cell.strip().lower() in _YES_NO


@dataclass
class Grid:
    """A table as a grid of cell texts: ``header`` rows (top-down) over ``rows``, all padded to one width.

    ``pages`` gives each body row's page when the loader knows it (PDF); ``caption`` is the table's own title
    when the document gives one (an HTML <caption>, a 'Tabel 3' line above it)."""

    header: list[list[str]]
    rows: list[list[str]]
    caption: str = ""
    pages: list[int | None] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in [*self.header, *self.rows]), default=0)

    def column_names(self) -> list[str]:
        """The name of every column: its header cells top-down, a group header said once per column."""
        names: list[str] = []
        for col in range(self.width):
            parts: list[str] = []
            for row in self.header:
                text = clean_cell(row[col]) if col < len(row) else ""
                if text and (not parts or parts[-1] != text):
                    parts.append(text)
            names.append(" ".join(parts))
        return names

    def has_row_labels(self) -> bool:
        """True when the first column names the rows: its cells are mostly words, and other columns hold values."""
        if self.width < 2 or not self.rows:
            return False
        firsts = [clean_cell(r[0]) for r in self.rows if r and clean_cell(r[0])]
        if not firsts:
            return False
        worded = sum(1 for c in firsts if not is_value(c))
        return worded * 2 >= len(firsts)


def clean_cell(text: str) -> str:
    return _WS_RE.sub(" ", text.replace("\u00a0", " ")).strip()


def split_header(table: Sequence[Sequence[str]]) -> tuple[list[list[str]], list[list[str]]]:
    """(header rows, body rows) of a table whose header rows are not marked. The first row is the header; a
    row under it is header too (up to three) when it names no row of its own - its first cell empty or the one
    above repeated (a merged 'Afdeling' over two header rows) - and holds no figure but years (the '2024 |
    2025' under a group header 'Husleje pr. m²')."""
    rows = [[clean_cell(c) for c in r] for r in table]
    n = 1
    while n < min(3, len(rows) - 1):
        row, above = rows[n], rows[n - 1]
        cells = [c for c in row[1:] if c]
        own_label = bool(row and row[0]) and row[0] != (above[0] if above else "")
        years = bool(cells) and all(re.fullmatch(r"(?:19|20)\d\d", c) for c in cells)
        if own_label or not cells or (any(is_value(c) for c in cells) and not years):
            break
        n += 1
    n = min(n, max(len(rows) - 1, 0))
    return rows[:n], rows[n:]


def row_line(names: list[str], row: list[str], *, labelled: bool) -> str:
    """One body row as a sentence-like line: 'Label: Column: value; Column: value.' ('' for an empty row)."""
    cells = [clean_cell(c) for c in row]
    start = 1 if labelled else 0
    label = cells[0] if labelled and cells else ""
    if labelled and label and is_value(label) and names and names[0]:
        label = f"{names[0]} {label}"  # a year or a number naming the row says what it is: 'År 2024'
    pairs: list[str] = []
    for i in range(start, len(cells)):
        value = cells[i]
        if not value:
            continue
        name = names[i] if i < len(names) else ""
        pairs.append(f"{name}: {value}" if name and name != value else value)
    if not pairs:
        return f"{label}." if label and not is_value(label) else ""
    body = "; ".join(pairs)
    line = f"{label}: {body}" if label else body
    return line if line.endswith((".", "!", "?")) else line + "."


def labelled_lines(grid: Grid) -> list[str]:
    """Every body row of the grid as a line carrying its column names (rows without content left out)."""
    names = grid.column_names()
    labelled = grid.has_row_labels()
    if labelled and grid.width == 2 and 2 * sum(1 for r in grid.rows if len(r) > 1 and is_value(r[1])) < len(grid.rows):
        names = ["", ""]  # a list of facts ('Adresse | Lindealle 2'): the label names the value
    out: list[str] = []
    for row in grid.rows:
        line = row_line(names, row, labelled=labelled)
        if line:
            out.append(line)
    return out


def _lift_caption(grid: Grid) -> Grid:
    """A header row that is one cell over the whole width ('Nøgletal 2025' merged across) is the table's title,
    not a column name."""
    header = list(grid.header)
    titles: list[str] = []
    while header and grid.width > 1 and len({clean_cell(c) for c in header[0]} - {""}) == 1 \
            and all(clean_cell(c) for c in header[0]) and len(header[0]) == grid.width:
        titles.append(clean_cell(header.pop(0)[0]))
    if not titles:
        return grid
    caption = " ".join([grid.caption, *titles]).strip() if grid.caption else " ".join(titles)
    return Grid(header, grid.rows, caption=caption, pages=grid.pages)


def labelled_text(grid: Grid) -> str:
    """The grid as labelled lines, one per row, rows apart by a blank line (each row is a sentence of its own),
    after the caption when there is one; '' when no column has a name."""
    grid = _lift_caption(grid)
    if not grid.header or not any(grid.column_names()):
        return ""
    if any(len(cell.split()) >= PROSE_WORDS for row in grid.rows for cell in row):
        return ""  # a table of running text (subject | conclusion): its rows read as text already
    lines = labelled_lines(grid)
    if not lines:
        return ""
    caption = clean_cell(grid.caption).rstrip(":")
    return "\n\n".join([f"{caption}:", *lines] if caption else lines)
