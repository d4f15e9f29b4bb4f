"""Tables with the years as rows: a row per year ('2024 | 286 | 1.140', '2025 | −433 | −95') under a header that
names the key figures as columns ('Regnskabsår | Årets resultat | Arbejdskapital'), maybe in two header rows with
the unit in the lower one, maybe a row of changes ('Ændring'), maybe the afdeling in a first column (merged over
its year rows).

The figure reader knows the other orientation (a row per figure under year columns, 'Nøgletal | 2024 | 2025'),
so such a table is turned on its side before the reader walks the lines: each figure column becomes a row
'Årets resultat t.kr. | 286 | −433' under a header 'Regnskabsår | 2024 | 2025 [| Ændring]', and the reader's
rules for year columns decide which year is this year's figure (the accounting year, else the newest) and which
are earlier years'. A table for one afdeling gets a line naming the afdeling before it, so its figures are the
afdeling's.

Two text forms are read: rows whose cells the file marks ('|', Word and HTML tables), and a PDF's text layer,
where the header lost its cells and wrapped over short lines ('År Leje', 'kr./m²', 'Ledige Tab', ...) and the rows
are the year and its numbers ('2024 931 2 2,8 8,6 24.300 86'); there the header is split into columns by the
labels it names, and used only when it names as many columns as the rows have numbers.
"""

from __future__ import annotations

import re

from service.domain.afdelinger import afdeling_at_start
from service.review.labels import FIGURE_BY_NAME, find_labels
from service.review.report_lines import ReportLine
from service.review.tables import parse_header

_YEAR_CELL_RE = re.compile(r"\s*(?:19|20)\d\d\s*")
# the head of the year column: 'År', 'Året', 'Regnskabsår', 'Regnskab', 'Periode', 'Årstal'
_YEAR_HEAD_RE = re.compile(r"\s*(?:år(?:et|stal)?|regnskabs?år(?:et)?|regnskab|periode|opgørelsesår)\s*:?\s*",
                           re.IGNORECASE)
_YEAR_WORD_RE = re.compile(r"(?<![\wæøå])(?:år|året|regnskabsår)(?![\wæøå])", re.IGNORECASE)
_YEAR_HEAD_WORD_RE = re.compile(r"(?<![\wæøå])(?:År|Året|Årstal|Regnskabsår|Regnskab|Periode)(?![\wæøå])")
# a row of changes under the year rows: 'Ændring', 'Udvikling', 'Forskel', 'Ændring i pct.'
_CHANGE_CELL_RE = re.compile(r"\s*(?:ændring|udvikling|forskel|difference|stigning/fald)\b", re.IGNORECASE)
# a text-layer row: a year and nothing but numbers ('2025 1.009 1 2,2 10,3 20.800 89', '2025 −433 (95) 798')
_TEXT_ROW_RE = re.compile(r"^\s*(?P<year>(?:19|20)\d\d)\s+(?P<rest>(?:[(]?[-−÷+]?\s?\d[\d.,]*[)]?\s?%?\s+)*"
                          r"[(]?[-−÷+]?\s?\d[\d.,]*[)]?\s?%?)\s*$")
_TEXT_CELL = r"[(]?[-−÷+]?\s?\d[\d.,]*[)]?\s?%?"
_TEXT_CHANGE_RE = re.compile(r"^\s*(?:Ændring|Udvikling|Forskel)\w*\s+(?P<rest>[-−÷+()\d.,%\s]+)$",
                             re.IGNORECASE)
_EMPTY_CELL_RE = re.compile(r"\s*(?:[-–—]|n/a|i\.a\.?)?\s*", re.IGNORECASE)


_THOUSANDS_RE = re.compile(r"(?<![\d.,])1\.000\s*kr\.?", re.IGNORECASE)


def _cells(text: str) -> list[str]:
    return [c.strip() for c in text.split("|")]


def _is_year_cell(cell: str) -> bool:
    return bool(_YEAR_CELL_RE.fullmatch(cell))


def _column_names(headers: list[list[str]]) -> list[str]:
    """One name per column from one or two header rows: the group (a merged cell repeated over its columns)
    first, then what the lower row adds ('Dispositionsfond' over 'heraf fri, t.kr.' -> 'Dispositionsfond heraf
    fri, t.kr.'; 'Tomgang' over '%' -> 'Tomgang %')."""
    if len(headers) == 1:
        return headers[0]
    upper, lower = headers[-2], headers[-1]
    return [u if (u == w or not w) else w if not u else f"{u} {w}" for u, w in zip(upper, lower)]


def _pipe_table(lines: list[ReportLine], start: int) -> tuple[list[ReportLine], int] | None:
    """A table with a row per year whose cells the file marks, starting at lines[start] (its first header row).
    Returns the lines that replace it and the index after it, or None."""
    first = lines[start]
    if first.kind != "table" or "|" not in first.text:
        return None
    width = len(_cells(first.text))
    headers: list[list[str]] = []
    i = start
    while i < len(lines) and len(headers) < 2 and lines[i].kind == "table":
        cells = _cells(lines[i].text)
        if any(_is_year_cell(c) for c in cells[:2]) or (headers and _group_row(cells)) or len(cells) != width:
            break
        headers.append(cells)
        i += 1
    if not headers or i >= len(lines):
        return None
    names = _column_names(headers)
    # 'Afdeling | År | ...': the afdeling in a column of its own; 'Afdeling / år | ...': one column for both
    afd_first = any(m.name == "afdeling" for m in find_labels(names[0], columns=True)) \
        and not _YEAR_WORD_RE.search(names[0])
    year_col = 1 if afd_first else 0
    head = names[year_col]
    if len(names) <= year_col + 1 or (head and not _YEAR_HEAD_RE.fullmatch(head)
                                       and not _YEAR_WORD_RE.search(head)):
        return None
    figure_names = names[year_col + 1:]
    if not any(find_labels(n, columns=True, squashed_words=True) for n in figure_names):
        return None
    groups: list[tuple[str, list[tuple[str, list[str]]]]] = []  # (afdeling cell, [(year or change cell, values)])
    while i < len(lines) and lines[i].kind == "table" and (len(_cells(lines[i].text)) == width
                                                           or _group_row(_cells(lines[i].text))):
        cells = _cells(lines[i].text)
        if _group_row(cells):  # 'Afd. 3 Hjejlen' across the table: the year rows under it are that afdeling's
            groups.append((cells[0], []))
            i += 1
            continue
        key = cells[year_col]
        if not (_is_year_cell(key) or _CHANGE_CELL_RE.match(key)):
            break
        afd = cells[0] if afd_first else ""
        if afd_first and (not groups or (afd and afd != groups[-1][0])):
            groups.append((afd, []))
        elif not groups:
            groups.append(("", []))
        groups[-1][1].append((key, cells[year_col + 1:]))
        i += 1
    if not any(sum(_is_year_cell(k) for k, _ in rows) >= 2 for _, rows in groups):
        return None
    out: list[ReportLine] = []
    for afd, rows in groups:
        if afd:
            named = afd if re.match(r"\s*afd", afd, re.IGNORECASE) else f"Afd. {afd}"
            out.append(ReportLine(named, first.page, "heading", first.section))
        out += _turned("År" if not head or not _YEAR_HEAD_RE.fullmatch(head) else head, figure_names, rows, first)
    return out, i


def _group_row(cells: list[str]) -> bool:
    """A row that only names an afdeling (one cell, or one cell merged over the row: the text repeated)."""
    first = cells[0]
    if not first or any(c and c != first for c in cells[1:]):
        return False
    mention = afdeling_at_start(first)
    return (mention is not None and mention.nr is not None) or bool(re.match(r"\d{1,3}\.?\s+[A-ZÆØÅ]", first))


def _row_label(name: str) -> str:
    """The label a figure's row gets: the header's own words when they name the figure as running text would, else
    (an abbreviated header: 'Eff. %', 'Opsp. kr./bolig') the figure's full label followed by the header's unit."""
    name = _THOUSANDS_RE.sub("t.kr.", name)  # '1.000 kr.' in a header is a scale, not a value
    if [m for m in find_labels(name) if not m.is_column]:
        return name
    found = [m for m in find_labels(name, squashed_words=True) if not m.is_column]
    if len(found) != 1:
        return name
    return f"{FIGURE_BY_NAME[found[0].name].label} {name[found[0].end:].strip()}".strip()


def _turned(head: str, figure_names: list[str], rows: list[tuple[str, list[str]]],
            like: ReportLine) -> list[ReportLine]:
    """The rows of one year table turned on their side: a header of years (and a change column), then a row per
    figure column. A column with an empty cell gets a header of the years it has values for."""
    out: list[ReportLine] = []
    years = [k.strip() for k, _ in rows if _is_year_cell(k)]
    changes = [vals for k, vals in rows if not _is_year_cell(k)]
    year_vals = [vals for k, vals in rows if _is_year_cell(k)]
    last_header = ""
    for j, name in enumerate(figure_names):
        if not name:
            continue
        cells = [vals[j] if j < len(vals) else "" for vals in year_vals]
        kept = [(y, c) for y, c in zip(years, cells) if not _EMPTY_CELL_RE.fullmatch(c)]
        if not kept:
            continue
        change = changes[0][j] if changes and j < len(changes[0]) else ""
        has_change = len(kept) >= 2 and not _EMPTY_CELL_RE.fullmatch(change)
        header = " | ".join([head] + [y for y, _ in kept] + (["Ændring"] if has_change else []))
        if header != last_header:
            out.append(ReportLine(header, like.page, "table", like.section))
            last_header = header
        row = " | ".join([_row_label(name)] + [c for _, c in kept] + ([change] if has_change else []))
        out.append(ReportLine(row, like.page, "table", like.section))
    return out


def _text_row(line: ReportLine) -> tuple[str, list[str]] | None:
    """'2024 931 2 2,8 8,6 24.300 86': a year and its numbers on a line of a PDF's text layer."""
    if "|" in line.text:
        return None
    m = _TEXT_ROW_RE.match(line.text)
    if m is None:
        return None
    cells = re.findall(_TEXT_CELL, m.group("rest"))
    return (m.group("year"), [c.strip() for c in cells]) if len(cells) >= 2 else None


def _text_table(lines: list[ReportLine], start: int) -> tuple[list[ReportLine], int, int] | None:
    """Year rows of a PDF's text layer starting at lines[start], with the header wrapped over the short lines
    before them. Returns the replacing lines, the index of the header's first line and the index after the rows."""
    rows: list[tuple[str, list[str]]] = []
    i = start
    while i < len(lines) and (row := _text_row(lines[i])) is not None:
        if rows and len(row[1]) != len(rows[0][1]):
            break
        rows.append(row)
        i += 1
    if len(rows) < 2 or len({y for y, _ in rows}) != len(rows):
        return None
    if i < len(lines) and (change := _TEXT_CHANGE_RE.match(lines[i].text)) is not None:
        cells = [c.strip() for c in re.findall(_TEXT_CELL, change.group("rest"))]
        if len(cells) == len(rows[0][1]):  # 'Ændring +21 +3 −5' under the year rows
            rows.append(("Ændring", cells))
            i += 1
    head_start: int | None = None
    head_parts: list[str] = []
    before = ""
    for k in range(start - 1, max(-1, start - 16), -1):
        text = lines[k].text.strip()
        if len(text) > 200 or "|" in text or lines[k].kind == "heading":
            break
        heads = list(_YEAR_HEAD_WORD_RE.finditer(text))
        if heads:
            m = heads[-1]  # the last 'År' on the line heads the table
            head_parts.insert(0, text[m.start():])
            before, head_start = text[:m.start()].strip(), k
            break
        if len(text) > 40 or afdeling_at_start(text) is not None:
            # no 'År' over the years: the short lines since the caption or the text before are the header
            head_start = k + 1 if head_parts else None
            break
        head_parts.insert(0, text)
    if head_start is None:
        return None
    header = " ".join(head_parts)
    head = _YEAR_HEAD_WORD_RE.match(header)
    columns = parse_header(header[head.end():] if head else header)
    width = len(rows[0][1])
    if not columns or len(columns) != width or not all(c.is_figure or c.numeric for c in columns):
        return None
    like = lines[start]
    out: list[ReportLine] = []
    if before:
        out.append(ReportLine(before, lines[head_start].page, lines[head_start].kind, lines[head_start].section))
    caption = before or (lines[head_start - 1].text if head_start > 0 else "")
    mention = afdeling_at_start(caption)
    if mention is not None and mention.nr is not None:
        out.append(ReportLine(f"Afd. {mention.nr} {mention.name}".strip(), like.page, "heading", like.section))
    out += _turned(head.group(0) if head else "År", [c.label for c in columns], rows, like)
    return out, head_start, i


def turn_year_rows(lines: list[ReportLine]) -> list[ReportLine]:
    """The report's lines with every table that has a row per year turned into a row per figure (see the module
    docstring); other lines unchanged."""
    out: list[ReportLine] = []
    i = 0
    while i < len(lines):
        piped = _pipe_table(lines, i) if lines[i].kind == "table" and (not out or out[-1].kind != "table"
                                                                        or "|" not in out[-1].text) else None
        if piped is not None:
            out += piped[0]
            i = piped[1]
            continue
        text = _text_table(lines, i) if _text_row(lines[i]) is not None else None
        if text is not None:
            replaced, head_start, end = text
            n = _count_back(out, lines[head_start:i])
            if n == i - head_start:
                del out[len(out) - n:]
                if out and out[-1].kind == "table" and "|" not in out[-1].text and head_start > 0 \
                        and out[-1] is lines[head_start - 1]:  # the caption above the table is no row of it
                    out[-1] = ReportLine(out[-1].text, out[-1].page, "paragraph", out[-1].section)
                out += replaced
                i = end
                continue
        out.append(lines[i])
        i += 1
    return out



def _count_back(out: list[ReportLine], header: list[ReportLine]) -> int:
    """How many of the lines already put out are the header's lines (the same objects, in order)."""
    n = 0
    while n < len(out) and n < len(header) and out[len(out) - 1 - n] is header[len(header) - 1 - n]:
        n += 1
    return n
