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
TARGET_HEADER_RE = re.compile(r"(?<![\wæøå])(?:mål\w*|minimum|mindst\w*|norm)\s*\|?\s*$", re.IGNORECASE)


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


# a span of years ('2026-35', '2024/25') names a period, not the year a column holds
YEAR_SPAN_RE = re.compile(r"\b(?:19|20)\d\d\s*[-–/]\s*(?:(?:19|20)?\d\d)\b")
_YEAR_RE = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?![\d.,]\d)")
# a header word standing alone for the number of homes ('Afdeling | Boliger | Husleje'): capitalised, as a header
# a header word standing alone for the number of homes ('Afdeling | Boliger | Husleje'): capitalised, as a header,
# or a cell of its own in a Word header row ('Afd. | boliger | ...', as an abbreviation's legend writes it out)
_PERCENT_SUFFIX_RE = re.compile(r"(?P<word>[A-Za-zÆØÅæøå]{3,})-%")
_COUNT_HEADER_RE = re.compile(r"(?<![\wæøå])(?:Boliger|Lejligheder)(?![\wæøå])"
                              r"|(?<=\|)\s*(?i:boliger|lejligheder)(?=\s*\|)")


def column_year(segment: str) -> int | None:
    """The one year a header segment names ('Tomg. 2025'), else None (a span or several years are no year)."""
    years = {int(m.group(0)) for m in _YEAR_RE.finditer(YEAR_SPAN_RE.sub(" ", segment))}
    return years.pop() if len(years) == 1 else None


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
    first_afd = next((i for i, m in enumerate(matches) if m.name == "afdeling"), None)
    if first_afd is not None:
        matches = matches[first_afd:]
    columns: list[Column] = []
    for i, m in enumerate(matches):
        seg_end = matches[i + 1].start if i + 1 < len(matches) else len(text)
        seg = text[m.start:seg_end]
        if m.is_column:
            columns.append(Column(m.name, False, _COLUMN_NUMERIC.get(m.name, False), False, "", None, seg.strip()))
        else:
            ft = FIGURE_BY_NAME[m.name]
            is_bool = ft.unit == "bool"
            columns.append(Column(m.name, True, not is_bool, is_bool, unit_hint(seg[m.end - m.start:]),
                                   header_scale(seg), seg.strip(), column_year(seg)))
    if "|" in text and columns:
        columns = _with_unknown_cells(text, matches, columns)
    figures = sum(1 for c in columns if c.is_figure)
    # one figure is enough in a table of afdelinger ('Afdeling | Større planlagte arbejder | Anslået udgift')
    if figures < 2 and not (figures == 1 and columns and columns[0].name == "afdeling"):
        return None
    return columns


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


def align_row(columns: list[Column], values: list[Quantity]) -> list[tuple[Column, Quantity | None]]:
    """Pair numeric columns with row values in order; with a count mismatch, the best monotone fit."""
    if len(columns) == len(values):
        return list(zip(columns, values))
    n, m = len(columns), len(values)

    def score(c: Column, q: Quantity) -> float:
        if not c.is_figure:
            return 0.5 if (c.name != "opfoert" or q.is_year_like) else -1.0
        ft = FIGURE_BY_NAME[c.name]
        if resolve_unit(ft, q.unit, c.unit_hint) is None:
            return -1.0
        return 1.0 if plausible(ft, q.value) else -1.0

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
