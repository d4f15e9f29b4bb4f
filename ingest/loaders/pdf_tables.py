"""Tables in a PDF page rebuilt from word positions, so each row can name its columns (ingest/tables.py).

The plain text layer gives a row as 'Afd. 4 Kildevang 4.300 9.800 166 83 % Ja' and its header cells, wrapped
over two or three lines, as loose words above it. pypdf's layout mode keeps the horizontal position of every
word (a fixed-width page: a character column is a horizontal position), which is what a reader uses:

* cells are runs of words apart by two or more spaces; a line of two or more cells of which at least one (after
  the first) is a figure is a body row, and consecutive body rows are a table;
* the columns are the horizontal ranges the body rows' cells occupy (figures right-aligned, labels left-aligned:
  the union of each column's cells); each column owns the space up to the middle of the gaps beside it;
* the lines right above the first row (up to four, up to a blank line or a line of running text) are the
  header: each header word goes to the column under its middle, so a header cell wrapped over three lines is
  joined; a header cell that spans two or more columns (a year over two subcolumns) names each of them;
* a table at the top of a page without a header of its own continues the last table of the page before when it
  has as many columns, and takes its column names.

Nothing here reads the PDF: the loader passes each page's layout text and gets back, per body row, the row as
its plain text gives it (to find it among the page's table blocks) and its labelled line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.tables import Grid, clean_cell, is_value, labelled_lines

MAX_HEADER_LINES = 4
MAX_CELL_CHARS = 60  # a run of words longer than this is running text, not a cell
_SEGMENT_RE = re.compile(r"\S+(?: \S+)*")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")


@dataclass
class _Segment:
    start: int
    end: int
    text: str

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2


@dataclass
class PageTable:
    """A table found on one page: its column names and, per body row, (key of its line, labelled line)."""

    names: list[str]
    rows: list[list[str]]
    keys: list[str]
    header_keys: set[str] = field(default_factory=set)
    header_words: set[str] = field(default_factory=set)  # the words of its header lines
    continued: bool = False  # took its column names from the page before
    facts: bool = False  # a list of facts ('Label  value'), not a table with named columns

    def labelled(self) -> dict[str, str]:
        """Key of each body row's line -> the row as a labelled line."""
        grid = Grid([self.names], self.rows)
        lines = labelled_lines(grid)
        if len(lines) != len(self.rows):  # an empty row was left out: pair them one by one
            from ingest.tables import row_line

            labelled = grid.has_row_labels()
            lines = [row_line(self.names, r, labelled=labelled) for r in self.rows]
        return {k: line for k, line in zip(self.keys, lines) if line}


def line_key(text: str) -> str:
    """A line's characters without spaces or cell separators: the same row in plain and layout text."""
    return re.sub(r"[\s|]+", "", text)


def _segments(line: str) -> list[_Segment]:
    return [_Segment(m.start(), m.end(), m.group(0)) for m in _SEGMENT_RE.finditer(line)]


def _is_body_row(segs: list[_Segment]) -> bool:
    if len(segs) < 2 or any(len(s.text) > MAX_CELL_CHARS for s in segs):
        return False
    return any(is_value(s.text) for s in segs[1:])


def _is_header_line(segs: list[_Segment]) -> bool:
    if not segs or any(len(s.text) > 40 for s in segs):
        return False
    return not (len(segs) == 1 and segs[0].text.endswith((".", "!", "?")) and len(segs[0].text.split()) > 4)


def _zones(rows: list[list[_Segment]]) -> list[tuple[int, int]]:
    """The horizontal ranges the body rows' cells cover (overlapping cells of different rows merge)."""
    spans = sorted((s.start, s.end) for segs in rows for s in segs)
    zones: list[list[int]] = []
    for start, end in spans:
        if zones and start <= zones[-1][1] + 1:  # cells of one row are two spaces apart at least
            zones[-1][1] = max(zones[-1][1], end)
        else:
            zones.append([start, end])
    return [(a, b) for a, b in zones]


def _owner(zones: list[tuple[int, int]], x: float) -> int:
    """The column whose range, widened to the middle of the gaps beside it, holds position x."""
    for i in range(len(zones) - 1):
        if x < (zones[i][1] + zones[i + 1][0]) / 2:
            return i
    return len(zones) - 1


def _header_rows(lines: list[list[_Segment]], zones: list[tuple[int, int]]) -> list[list[str]]:
    """Header lines as cells per column. A header cell over two or more columns whose line below has cells of
    their own in two or more of them (a year under a group header) names each; any other header word goes to
    the column under its middle."""
    out: list[list[str]] = []
    for n, segs in enumerate(lines):
        below = {_owner(zones, s.middle) for later in lines[n + 1:] for s in later}
        row = [""] * len(zones)
        for seg in segs:
            over = [i for i, (a, b) in enumerate(zones) if a < seg.end and seg.start < b]
            targets = over if len(over) >= 2 and len(below & set(over)) >= 2 else [_owner(zones, seg.middle)]
            for i in targets:
                row[i] = f"{row[i]} {seg.text}".strip()
        out.append(row)
    return out


def _names(header: list[list[str]], width: int) -> list[str]:
    names = []
    for col in range(width):
        parts: list[str] = []
        for row in header:
            text = clean_cell(row[col])
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        names.append(" ".join(parts))
    return names


def _fact_regions(parsed: list[list[_Segment]], taken: set[int]) -> list[tuple[int, int]]:
    """Runs of three or more lines of exactly two cells whose second cells start at one position: a list of
    facts ('Indsendt til kommunen     19. juni 2026'); each line is said 'Label: value.'"""
    regions: list[tuple[int, int]] = []
    i = 0
    while i < len(parsed):
        segs = parsed[i]
        if i in taken or len(segs) != 2 or len(segs[0].text) > 45:
            i += 1
            continue
        j = i
        while j + 1 < len(parsed) and j + 1 not in taken and len(parsed[j + 1]) == 2 \
                and abs(parsed[j + 1][1].start - segs[1].start) <= 2 and len(parsed[j + 1][0].text) <= 45:
            j += 1
        values = sum(1 for n in range(i, j + 1) if is_value(parsed[n][1].text))
        if j - i >= 2 and values * 2 < j - i + 1:
            regions.append((i, j))
        i = j + 1
    return regions


def _fact_tables(lines: list[str], parsed: list[list[_Segment]], taken: set[int]) -> list[PageTable]:
    out = []
    for first, last in _fact_regions(parsed, taken):
        rows = [[parsed[n][0].text, parsed[n][1].text] for n in range(first, last + 1)]
        if any(len(s.text) > MAX_CELL_CHARS for n in range(first, last + 1) for s in parsed[n]):
            continue
        out.append(PageTable(["", ""], rows, [line_key(lines[n]) for n in range(first, last + 1)], facts=True))
    return out


def _regions(parsed: list[list[_Segment]], taken: set[int]) -> list[tuple[int, int]]:
    """(first, last) line indexes of each run of body rows (lines not ``taken`` by a list of facts); a lone other
    line between two rows (a wrapped row label) or a blank line stays inside the run."""
    flags = [n not in taken and _is_body_row(segs) for n, segs in enumerate(parsed)]
    regions: list[tuple[int, int]] = []
    i = 0
    while i < len(parsed):
        if not flags[i]:
            i += 1
            continue
        j = i
        while True:
            if j + 1 < len(parsed) and flags[j + 1]:
                j += 1
            elif j + 2 < len(parsed) and flags[j + 2] and len(parsed[j + 1]) <= 1:
                j += 2
            else:
                break
        if sum(flags[i:j + 1]) >= 2:
            regions.append((i, j))
        i = j + 1
    return regions


def page_tables(layout: str, previous: PageTable | None = None, top_key: str = "") -> list[PageTable]:
    """The tables of one page's layout text. ``previous`` is the last table of the page before; ``top_key`` the
    line_key of the page's first line of content (running headers removed): a table starting there without
    a header of its own goes on from ``previous``."""
    lines = layout.split("\n")
    parsed = [_segments(line) for line in lines]
    facts = _fact_tables(lines, parsed, set())
    taken = {n for first, last in _fact_regions(parsed, set()) for n in range(first, last + 1)}
    tables: list[PageTable] = []
    for first, last in _regions(parsed, taken):
        while first < last and all(_YEAR_RE.fullmatch(seg.text) for seg in parsed[first][1:]):
            first += 1  # the years under a group header ('2024  2025') are header, not a row
        body_idx = [k for k in range(first, last + 1) if _is_body_row(parsed[k])]
        zones = _zones([parsed[k] for k in body_idx])
        if len(zones) < 2:
            continue
        at_top = bool(top_key) and line_key(lines[first]) == top_key
        above = [k for k in range(first) if parsed[k]]  # the page's lines of text before the table
        head: list[int] = []
        k = first - 1
        while k >= 0 and k not in taken and len(head) < MAX_HEADER_LINES and parsed[k] and _is_header_line(parsed[k]):
            head.insert(0, k)
            k -= 1
        rows: list[list[str]] = []
        keys: list[str] = []
        for n in range(first, last + 1):
            segs = parsed[n]
            if not segs:
                continue
            if n not in body_idx:
                if rows and len(segs) == 1:  # a row label wrapped onto a second line
                    rows[-1][0] = f"{rows[-1][0]} {segs[0].text}".strip()
                continue
            row = [""] * len(zones)
            for seg in segs:
                i = _owner(zones, seg.middle)
                row[i] = f"{row[i]} {seg.text}".strip()
            rows.append(row)
            keys.append(line_key(lines[n]))
        header = _header_rows([parsed[h] for h in head], zones)
        names = _names(header, len(zones))
        # At the top of a page (nothing above but a running header or a page number), a table with as many
        # columns as the last one of the page before goes on from it, unless it repeats a header of its own.
        top = at_top or len(above) <= 2
        continued = False
        if top and previous is not None and len(previous.names) == len(zones) \
                and (not any(names[1:]) or all(h in above[:2] for h in head)):
            names, continued, head = list(previous.names), True, []
        if not any(names[1:]):
            continue
        table = PageTable(names, rows, keys, {line_key(lines[h]) for h in head}, continued=continued,
                          header_words={w for h in head for w in lines[h].split()})
        tables.append(table)
        previous = table
    return tables + facts
