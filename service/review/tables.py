"""Table mechanics of the extractor: column headers, units named in labels, aligning a row to its columns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import fold
from service.review.labels import COLUMN_TYPES, FIGURE_BY_NAME, FigureType, find_labels, plausible
from service.review.numbers import Quantity, header_scale

_COLUMN_NUMERIC = {c.name: c.numeric for c in COLUMN_TYPES}
SIBLINGS = {
    ("dispositionsfond_disponibel", "kr/lejemålsenhed"): "dispositionsfond_disponibel_pr_lejemaal",
    ("dispositionsfond_disponibel_pr_lejemaal", "kr"): "dispositionsfond_disponibel",
    ("ledige_boliger", "%"): "lejeledighed",
    ("ledige_boliger", "‰"): "lejeledighed",
    ("lejeledighed", "antal"): "ledige_boliger",
    ("tab_ved_lejeledighed_pr_m2", "kr"): "tab_ved_lejeledighed_kr",  # 'Tab ved lejeledighed i alt, mio. kr.'
}
# the organisation's own target for a figure: what a 'Mål' column after the year columns holds in the figure's row
TARGETS = {
    "dispositionsfond_disponibel_pr_lejemaal": "dispositionsfond_minimum_pr_lejemaal",
    "opsparede_henlaeggelser_pr_bolig": "opsparing_maal_pr_bolig",
}
# a header cell after the year columns naming a target ('Mål', 'Målsætning', 'Måltal', 'Minimum', 'Norm')
TARGET_HEADER_RE = re.compile(r"(?<![\wæøå])(?:mål\w*|minimum|mindst\w*|norm)[¹²³⁴⁵⁶⁷⁸⁹⁰*]*\s*\|?\s*$", re.IGNORECASE)
# A year column named by what it holds: 'R2024', 'R 2025', 'Regnskab 2025' are accounts; 'B2026', 'Budget 2026',
# 'Prognose 2027' are planned figures, which are no year's accounts (a report compares them, the review does not)
_ACCOUNTS_TAG = r"R|(?i:regnskab|realiseret|faktisk)"
_BUDGET_TAG = r"B|(?i:budget(?:teret|tal)?|prognose|forventet|forventning|skøn|overslag|estimat)"
_YEAR_TAG_RE = re.compile(r"(?<![\wæøå])(?:(?P<budget>" + _BUDGET_TAG + r")|(?:" + _ACCOUNTS_TAG + r"))"
                          r"\s?[-.:]?\s?(?P<year>(?:19|20)\d\d)(?![\d.,]\d|\d)")
BUDGET_TAG_RE = re.compile(r"(?<![\wæøå])(?:" + _BUDGET_TAG + r")\s?[-.:]?\s?(?:19|20)\d\d(?!\d)")


def untag_years(text: str) -> tuple[str, set[int]]:
    """The text with tagged years written as plain years ('t.kr. | R2024 | B2026' -> 't.kr. |  2024 |  2026'), and the
    offsets in it of the years that head planned figures (a budget), not accounts."""
    out: list[str] = []
    budget: set[int] = set()
    pos = 0
    for m in _YEAR_TAG_RE.finditer(text):
        out.append(text[pos:m.start()])
        start = sum(len(part) for part in out) + 1
        out.append(" " + m.group("year"))
        if m.group("budget"):
            budget.add(start)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), budget


def has_amount_sibling(ft: FigureType, hint: str) -> bool:
    """An amount, or a label that names a per-unit figure only when its unit says so ('Tab ved lejeledighed':
    per m² in an afdeling's table, the total under a money scale); hint is the unit the label itself names."""
    return ft.unit == "kr" or ((ft.name, "kr") in SIBLINGS and hint in ("", "kr"))


@dataclass
class Column:
    """A column of a wide table: a key figure or a recognised other column (afdeling, boligtype, opført)."""

    name: str
    is_figure: bool
    numeric: bool  # False: a text column (afdeling, boligtype) or a ja/nej column
    is_bool: bool
    unit_hint: str
    scale: str | None
    label: str
    year: int | None = None  # 'Husl. kr/m2 2024': the year a column holds when the header names one
    relative: int | None = None  # 'Husleje i år' 0, 'Husleje sidste år' -1: the year named relative to the report's
    budget: bool = False  # 'Husleje B2026', 'Budget 2026': planned figures, no year's accounts


# a span of years ('2026-35', '2024/25') names a period, not the year a column holds
YEAR_SPAN_RE = re.compile(r"\b(?:19|20)\d\d\s*[-–/]\s*(?:(?:19|20)?\d\d)\b")
_YEAR_RE = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?![\d.,]\d)")
# a header word standing alone for the number of homes ('Afdeling | Boliger | Husleje'): capitalised, as a header
# a header word standing alone for the number of homes ('Afdeling | Boliger | Husleje'): capitalised, as a header,
# or a cell of its own in a Word header row ('Afd. | boliger | ...', as an abbreviation's legend writes it out)
_PERCENT_SUFFIX_RE = re.compile(r"(?P<word>[A-Za-zÆØÅæøå]{3,})-%")
_COUNT_HEADER_RE = re.compile(r"(?<![\wæøå])(?:Boliger|Lejligheder)(?![\wæøå])"
                              r"|(?<=\|)\s*(?i:boliger|lejligheder)(?=\s*\|)")


# 'Ledige 31.12.2024', 'pr. 31/12 2025', 'pr. 31/12-24': a date in a header names the year of the column
_DATE_YEAR_RE = re.compile(r"(?<![\d.,])\d{1,2}\s?[./]\s?\d{1,2}\s?[./-]?\s?(?P<year>(?:19|20)\d\d|\d\d)(?![\d.,]\d|\d)")
# 'Husleje i år | Husleje sidste år', 'Ledige året før': a year named relative to the year the report is about
_THIS_YEAR_RE = re.compile(r"(?<![\wæøå])i\s+år(?![\wæøå])", re.IGNORECASE)
_LAST_YEAR_RE = re.compile(r"(?<![\wæøå])(?:(?:sidste|forrige|foregående)\s+år|året\s+før|i\s+fjor)(?![\wæøå])",
                           re.IGNORECASE)


def column_year(segment: str) -> int | None:
    """The one year a header segment names ('Tomg. 2025', 'Ledige 31.12.2024', 'pr. 31/12-24'), else None (a span
    or several years are no year)."""
    years = set()
    for m in _DATE_YEAR_RE.finditer(segment):
        year = m.group("year")
        years.add(int(year) if len(year) == 4 else 2000 + int(year))
    segment = _DATE_YEAR_RE.sub(" ", segment)
    years |= {int(m.group(0)) for m in _YEAR_RE.finditer(YEAR_SPAN_RE.sub(" ", segment))}
    return years.pop() if len(years) == 1 else None


def _years_after_first(segment: str) -> list[int]:
    """Where the second and later years of a header segment start ('Ledige R2025 Tab kr./m² R2024 Tab kr./m²
    R2025' -> [the start of 'Tab ... R2024', ...]): a text layer that lost the cells of a header joins the
    column a label names with columns whose label is not known, and each year heads a column of its own. Empty
    when the segment names one year or none, a period ('2026-35') or a date."""
    if YEAR_SPAN_RE.search(segment) or _DATE_YEAR_RE.search(segment):
        return []
    found = list(_TAGGED_OR_PLAIN_YEAR_RE.finditer(segment))
    if len(found) < 2:
        return []
    # a later column starts after the end of the year before it
    return [found[i - 1].end() for i in range(1, len(found))]


_TAGGED_OR_PLAIN_YEAR_RE = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?![\d.,]\d|\d)")


def column_relative(segment: str) -> int | None:
    """0 for a header segment about 'i år', -1 for 'sidste år', 'året før', 'i fjor'; None when it names neither."""
    last, this = bool(_LAST_YEAR_RE.search(segment)), bool(_THIS_YEAR_RE.search(segment))
    return None if last == this else -1 if last else 0


def unit_hint(text: str) -> str:
    """The unit a label or header names: 'kr/m2' for 'kr. pr. m²', '%', 'kr/bolig', ..., or ''."""
    low = fold(text)
    if "‰" in text or "promille" in low:
        return "‰"
    if "%" in text or re.search(r"\bpct\b|procent", low):
        return "%"
    if re.search(r"\bkr\b|kroner|\bt\.?\s?kr|mio|dkk", low):
        if re.search(r"m²|m2|kvm|kvadratmeter", low):
            return "kr/m2"
        if re.search(r"lejemaalsenhed|\blme\b", low):
            return "kr/lejemålsenhed"
        if re.search(r"bolig|lejlighed|lejemaal\b", low):
            return "kr/bolig"
        return "kr"
    if re.search(r"pr\.?\s*(m²|m2|kvm)", low):
        return "kr/m2"
    if re.search(r"pr\.?\s*bolig", low):
        return "kr/bolig"
    if re.search(r"pr\.?\s*(lejemaalsenhed|lme)", low):
        return "kr/lejemålsenhed"
    return ""


def parse_header(text: str) -> list[Column] | None:
    """Columns of a wide table from its header text (None unless it names 2+ key figures)."""
    text = _COUNT_HEADER_RE.sub(lambda m: f" Antal {m.group(0).strip().lower()}", text)
    text = _PERCENT_SUFFIX_RE.sub(r"\g<word>procent", text)  # 'Flytte-%' is read 'flytteprocent'
    matches = find_labels(text, columns=True, squashed_words=True)
    row_label = None
    if "|" in text:
        topic = _topic_header(text, matches)
        if topic is not None:
            return topic
        row_label = _row_label_cell(text, matches)
        if row_label is not None:  # 'Beløb i 1.000 kr.' heads the names of the rows, not a column of amounts
            matches = [m for m in matches if m.start >= len(row_label)]
    first_afd = next((i for i, m in enumerate(matches) if m.name == "afdeling"), None)
    if first_afd is not None:
        matches = matches[first_afd:]
    columns: list[Column] = []
    for i, m in enumerate(matches):
        seg_end = matches[i + 1].start if i + 1 < len(matches) else len(text)
        seg = text[m.start:seg_end]
        if "|" in text[m.end:seg_end]:  # a Word header cell's unit is its own: the next cells are other columns'
            seg = text[m.start:text.index("|", m.end)]
        if m.is_column:
            columns.append(Column(m.name, False, _COLUMN_NUMERIC.get(m.name, False), False, "", None, seg.strip()))
        else:
            ft = FIGURE_BY_NAME[m.name]
            is_bool = ft.unit == "bool"
            more = _years_after_first(seg) if "|" not in text else []
            if more:  # 'Ledige R2025 Tab kr./m² R2024': a column holds one year; the others head columns not named
                seg = seg[:more[0]]
            columns.append(Column(m.name, True, not is_bool, is_bool, unit_hint(seg[m.end - m.start:]),
                                   header_scale(seg), seg.strip(), column_year(seg), column_relative(seg),
                                   bool(BUDGET_TAG_RE.search(seg))))
            columns += [Column("ukendt", False, True, False, "", None, "") for _ in more]
    if "|" in text and columns:
        columns = _with_unknown_cells(text, matches, columns)
        if row_label is not None:
            columns = _with_row_label(row_label, columns)
    figures = sum(1 for c in columns if c.is_figure)
    # one figure is enough in a table of afdelinger ('Afdeling | Større planlagte arbejder | Anslået udgift')
    if figures < 2 and not (figures == 1 and columns and columns[0].name == "afdeling"):
        return None
    return columns


def _row_label_cell(text: str, matches: list) -> str | None:  # type: ignore[type-arg]
    """The first cell of a Word header row when it names no figure ('t.kr. | Resultat 2025 | ...', 'Beløb i 1.000
    kr. | ...', '| Husleje | Ledige'): it heads the names of the rows (the afdelinger). None when it names a figure
    or the afdeling column itself, or holds a number other than a scale."""
    first = text.split("|")[0]
    inside = [m for m in matches if m.start < len(first)]
    if any(not m.is_column or m.name == "afdeling" for m in inside) or len(inside) == len(matches):
        return None
    return None if re.search(r"\d", _SCALE_CELL_RE.sub("", first)) else first


def _with_row_label(first: str, columns: list[Column]) -> list[Column]:
    """The columns after the row-label cell: that cell is the afdeling column, and a scale written there ('t.kr.',
    'mio. kr.', 'Beløb i 1.000 kr.') is the scale of every amount column that does not name its own."""
    if columns and columns[0].name == "afdeling":
        return columns
    scale = header_scale(first)
    out = [Column("afdeling", False, False, False, "", None, first.strip())]
    for col in columns:
        if scale and col.is_figure and col.scale is None and col.unit_hint in ("", "kr"):
            col = Column(col.name, col.is_figure, col.numeric, col.is_bool, col.unit_hint, scale, col.label, col.year,
                         col.relative, col.budget)
        out.append(col)
    return out


# a scale in a header cell ('1.000 kr.'): its digits are no value
_SCALE_CELL_RE = re.compile(r"1\.000\s*kr\.?", re.IGNORECASE)


def _topic_header(text: str, matches: list) -> list[Column] | None:  # type: ignore[type-arg]
    """'Afdelingsbestyrelse | Valgt': a two-cell Word header whose first cell names one figure and whose second
    names none (and no year) heads a table of afdelinger, one row each, with the figure's value in the second
    cell ('3 Engkarsen | Nej')."""
    cells = [c.strip() for c in text.split("|")]
    figures = [m for m in matches if not m.is_column]
    if len(cells) != 2 or len(figures) != 1 or figures[0].start >= len(text.split("|")[0]) or not cells[1]:
        return None
    if re.search(r"\d", cells[1]) or any(m.start > len(text.split("|")[0]) for m in matches):
        return None
    ft = FIGURE_BY_NAME[figures[0].name]
    is_bool = ft.unit == "bool"
    hint = unit_hint(text)
    return [Column("afdeling", False, False, False, "", None, cells[0]),
            Column(ft.name, True, not is_bool, is_bool, hint, header_scale(text), cells[0], column_year(text),
                   column_relative(text))]


def _with_unknown_cells(text: str, matches: list, columns: list[Column]) -> list[Column]:  # type: ignore[type-arg]
    """A Word header row has one cell per column: a cell that names nothing known still holds a column, so the
    cells after it keep their places ('Afdeling | Boliger | Leje | Antenne | Eff.tal')."""
    out: list[Column] = []
    pos = 0
    by_start = dict(zip((m.start for m in matches), columns))
    first = matches[0].start if matches else 0
    for cell in text.split("|"):
        start, end = pos, pos + len(cell)
        pos = end + 1
        inside = [by_start[s] for s in sorted(by_start) if start <= s < end]
        if inside:
            out += inside
        elif start > first and cell.strip() and not re.search(r"\d", cell):
            out.append(Column("ukendt", False, True, False, "", None, cell.strip()))
    return out if len([c for c in out if c.name != "ukendt"]) == len(columns) else columns


def resolve_unit(ft: FigureType, q_unit: str, hint: str) -> tuple[str, str] | None:
    """(figure type name, unit) for a value, or None when its unit does not fit the figure type.

    The value's own unit wins, except that a label saying 'pr. m²' refines a plain 'kr.'.
    """
    unit = q_unit
    if hint and (unit == "" or (unit == "kr" and hint.startswith("kr/"))):
        unit = hint
    sibling = SIBLINGS.get((ft.name, unit))
    if sibling:
        return sibling, unit
    if unit == ft.unit:
        return ft.name, unit
    if unit in ft.accepts:
        return ft.name, ft.unit
    if ft.unit == "antal" and unit in ("", "antal"):
        return ft.name, "antal"
    return None


def cell_fit(c: Column, q: Quantity) -> float:
    """How well a value fits a column: 1 when its unit and size fit the column's figure, -1 when not, 0.5 for a
    recognised other column."""
    if not c.is_figure:
        return 0.5 if (c.name != "opfoert" or q.is_year_like) else -1.0
    ft = FIGURE_BY_NAME[c.name]
    if resolve_unit(ft, q.unit, c.unit_hint) is None:
        return -1.0
    return 1.0 if plausible(ft, q.value) else -1.0


def align_row(columns: list[Column], values: list[Quantity]) -> list[tuple[Column, Quantity | None]]:
    """Pair numeric columns with row values in order; with a count mismatch, the best monotone fit."""
    if len(columns) == len(values):
        return list(zip(columns, values))
    n, m = len(columns), len(values)
    score = cell_fit

    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1], score(columns[i], values[j]) + best[i + 1][j + 1])
    out: list[tuple[Column, Quantity | None]] = []
    i = j = 0
    while i < n and j < m:
        take = score(columns[i], values[j]) + best[i + 1][j + 1]
        if best[i][j] == take and take > best[i + 1][j] - 1e-9 and score(columns[i], values[j]) > 0:
            out.append((columns[i], values[j]))
            i += 1
            j += 1
        elif best[i][j] == best[i + 1][j]:
            out.append((columns[i], None))
            i += 1
        else:
            j += 1
    return out
