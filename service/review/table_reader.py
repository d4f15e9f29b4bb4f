"""How the figure reader reads tables and the lines around them: wide tables (one row per afdeling),
header lines (column names, year columns, afdelinger as columns), and the short lines that head what follows
('Afd. 3 Vesterbo', 'Beløb i mio. kr.', a title). Mixed into the reader (service.review.extract).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from service.domain.afdelinger import AfdelingMention, AfdelingRegistry, afdeling_at_start, find_afdelinger
from service.review.labels import FIGURE_BY_NAME, FigureType, boligtype_in, find_labels, plausible
from service.review.model import Figure
from service.review.numbers import (
    Quantity,
    apply_scale,
    best_grouping,
    find_quantities,
    header_scale,
    join_cells,
    join_groups,
)
from service.review.report_lines import ReportLine, section_line
from service.review.tables import (
    TARGET_HEADER_RE,
    YEAR_SPAN_RE,
    Column,
    align_row,
    cell_fit,
    parse_header,
    resolve_unit,
    unit_hint,
    untag_years,
)

_BOOL_RE = re.compile(r"(?<![\wæøå])(ja|nej)(?![\wæøå])", re.IGNORECASE)
# 'Beløb i mio. kr.', 'Alle beløb er i 1.000 kr.', '(t.kr.)' above a table
_SCALE_CAPTION_RE = re.compile(r"^\(?(?:alle\s+)?beløb(?:ene)?\s+(?:er\s+)?(?:angivet\s+|vist\s+|opgjort\s+)?i\s+"
                               r"(?:mio\.?\s*kr|t\.?\s*kr|1\.000\s*kr|tusind|hele\s+1\.000)"
                               r"|^[^.]{0,50}\((?:i\s+|beløb\s+i\s+)?(?:mio\.?\s*kr|t\.\s*kr|tkr|1\.000\s*kr)\.?\)\s*$",
                               re.IGNORECASE)


# '10 år', '10-årig', '10-års': how far ahead a column looks (planned works), printed in a header
_HORIZON_RE = re.compile(r"(?<![\d.,])\d{1,2}(?:\s+|-)år(?:ig|s)?\b", re.IGNORECASE)
_SCALE_WORDS_RE = re.compile(r"(?<![\d.,])1\.000\s*kr\.?", re.IGNORECASE)
_NUMBERED_ROW_RE = re.compile(r"^\s*\|?\s*(?P<nr>\d{1,3})\.?\s*\|?\s+(?P<name>[A-ZÆØÅ][\wæøå-]+(?:\s+[A-ZÆØÅ][\wæøå-]+){0,2})")
# the first cell of a Word table row that holds only the afdeling's number ('4 | 1 | 3 | 2,4', 'Afd. 12 | ...')
_NUMBER_CELL_RE = re.compile(r"^\s*(?:afd(?:\.|eling)?\s*)?(?P<nr>\d{1,4})\.?\s*\|", re.IGNORECASE)
_TOTAL_ROW_RE = re.compile(r"^\s*\|?\s*(?:i\s+alt|total|samlet|gns\.?|gennemsnit|hele\s+organisationen|organisationen)"
                           r"(?:\s*[/,]\s*(?:gns\.?|gennemsnit|i\s+alt|vægtet)?)?\s*\|?", re.IGNORECASE)
# a cell of a row: a number (with sign, parentheses, decimals, a unit sign) or a dash for an empty cell
_CELL_RE = re.compile(r"\(?[-−+]?\d[\d.,]*\)?\s?%?|(?<!\S)[-–—](?!\S)")
_ONLY_CELLS_RE = re.compile(r"[\s|]*(?:(?:\(?[-−+]?\d[\d.,]*\)?\s?%?|[-–—])[\s|]*)+")


def _size(value: float) -> float:
    """The order of magnitude of a value (digits before the decimal comma)."""
    return math.log10(abs(value) + 1)


_WORD_RE = re.compile(r"[A-Za-zÆØÅæøå]{2,}")
# the words a value is written with ('1,12 mio. kr.', '21.100 kr. pr. bolig', '962 kr./m²')
_UNIT_WORDS_RE = re.compile(r"(?<![\wæøå])(?:kr|kroner|t\.?\s?kr|tkr|mio|mia|pr|per|m²|m2|kvm|bolig(?:en|er)?"
                            r"|lejemål(?:senhed(?:er)?)?|lme|pct|procent|procentpoint|antal|stk)\.?(?![\wæøå])",
                            re.IGNORECASE)

_SHORT_BOLIGTYPES = {"familie": "familieboliger", "fam": "familieboliger", "ungdom": "ungdomsboliger",
                     "ungd": "ungdomsboliger", "ældre": "ældreboliger", "pleje": "plejeboliger", "handicap": "handicapboliger"}


def _row_boligtype(rest: str, columns: list[Column]) -> str | None:
    """'Familie', 'Ungd.' in the boligtype column of a row (a table writes the type short)."""
    if not any(c.name == "boligtype" for c in columns):
        return None
    m = re.match(r"[\s|]*(?P<word>[A-ZÆØÅ][a-zæøå]+)\.?(?=[\s|])", rest)
    return _SHORT_BOLIGTYPES.get(m.group("word").lower()) if m else None


_NO_YEAR = -1  # a column whose year cannot be placed
_CELL_FORMATS = frozenset({"docx", "html"})

_SCALE_WORDS = {"t": "t.kr.", "mio": "mio. kr.", "mia": "mia. kr."}


@dataclass
class TableState:
    header_buf: list[str] = field(default_factory=list)
    columns: list[Column] | None = None
    year_columns: list[int] | None = None
    transposed: list[AfdelingMention] | None = None
    last_was_row: bool = False
    afdeling_context: AfdelingMention | None = None
    scale: str | None = None  # 'Beløb i mio. kr.' above a table: bare amounts below it are millions
    change_column: bool = False  # the year columns are followed by a change column ('Ændring')
    target_column: bool = False  # the year columns are followed by the organisation's target ('Mål')
    total_pending: bool = False  # a total row's label stood alone; its values follow on the next line
    caption: str = ""  # 'Dispositionsfond (mio. kr.)': a row without values naming the figure of the rows under it
    caption_scale: str | None = None
    pending_row: AfdelingMention | None = None  # 'Afd. 1' / 'Ahornhaven' / '110 1.021 ...': a row whose name wrapped
    in_table: bool = False  # the header was a row of a real table (Word, or a table the loader recognised)
    table_scale: bool = False  # the scale was written in that header ('t.kr. | 2025 | 2024')
    budget_columns: frozenset[int] = frozenset()  # which of the year columns hold a budget ('R2024 | R2025 | B2026')
    magnitudes: dict[int, list[float]] = field(default_factory=dict)  # per column: the size of the values read so far
    table_unit: str = ""  # 'kr. pr. lejemålsenhed | R2024 | R2025': the unit of every row of a year table

    def reset(self) -> None:
        self.header_buf, self.columns, self.year_columns, self.transposed = [], None, None, None
        self.last_was_row, self.change_column, self.total_pending = False, False, False
        self.target_column, self.budget_columns, self.magnitudes, self.table_unit = False, frozenset(), {}, ""
        self.caption, self.caption_scale = "", None
        self.pending_row = None
        if self.table_scale:
            self.scale = None
        self.in_table, self.table_scale = False, False


class TableReader:
    """Table rules of the figure reader (a mixin; see the module docstring)."""

    if TYPE_CHECKING:
        registry: AfdelingRegistry

        def expand_abbreviations(self, text: str) -> str: ...

        def add(self, ft: FigureType, q_value: float, q_unit: str, hint: str, *, line: ReportLine, text: str, label: str,
                method: str, mention: AfdelingMention | None, year: int | None = None,
                boligtype: str | None = None) -> Figure | None: ...

    def group_thousands(self, line: ReportLine, state: TableState) -> ReportLine:
        """The line with the plain spaces that separate thousands ('48 200') joined, so its numbers read whole: inside
        the cells of a Word or HTML row always; in a document that writes thousands with spaces, a row of a table
        whose cells the text layer lost by the values its columns expect ('180 948 2,1 1 9,8 9 200' under nine
        columns is 180 | 948 | ... | 9 200), and other lines wherever digit groups follow each other."""
        text = line.text
        if "|" in text:
            grouped = join_cells(text)
        elif not getattr(self, "spaced_thousands", False) or " " not in text:
            return line
        else:
            grouped = self._grouped_row(text, state, line.kind == "table")
        return line if grouped == text else ReportLine(grouped, line.page, line.kind, line.section)

    def _grouped_row(self, text: str, state: TableState, row: bool) -> str:
        """A line without cell marks in a document that writes thousands with spaces (see group_thousands); a paragraph
        that is no row of the table above it has its digit groups joined wherever they follow each other."""
        if state.columns:
            cols = [c for c in state.columns if c.numeric]
            start = 0
            if state.columns[0].name == "afdeling":
                mention = afdeling_at_start(text, self.registry.names())
                numbered = _NUMBERED_ROW_RE.match(text) or _TOTAL_ROW_RE.match(text)
                if mention is None and numbered is None:  # not a row: its columns do not say how it is grouped
                    return text if row else join_groups(text)
                start = mention.end if mention is not None else numbered.end()  # type: ignore[union-attr]
            def fit(vals: list[Quantity]) -> float:
                score = sum(cell_fit(c, q) for c, q in align_row(cols, vals) if q is not None)
                if len(vals) == len(cols):  # a column's values are of one size: '2 | 104 250', not '2 104 | 250'
                    score -= 0.1 * sum(min(3.0, abs(_size(q.value) - sum(seen) / len(seen)))
                                       for i, q in enumerate(vals) if (seen := state.magnitudes.get(i)))
                return score

            # a row with more values than the header has columns it recognised: the fewest values that fit
            for count in range(len(cols), len(find_quantities(text[start:], cell=True))):
                grouped = best_grouping(text[start:], count, fit)
                if grouped:
                    values = [q for q in find_quantities(grouped, cell=True) if not q.in_range]
                    for i, q in enumerate(values if len(values) == len(cols) else []):
                        state.magnitudes.setdefault(i, []).append(_size(q.value))
                    return text[:start] + grouped
            return text if row else join_groups(text)
        labels = [m for m in find_labels(text) if not m.is_column]
        if state.year_columns and labels:
            ft, start = FIGURE_BY_NAME[labels[0].name], labels[-1].end
            hint = unit_hint(text[labels[0].start:start])

            def fit(vals: list[Quantity]) -> float:
                return sum(1.0 if resolve_unit(ft, q.unit, hint) is not None
                           and plausible(ft, apply_scale(q, state.scale).value) else -1.0 for q in vals)

            for count in (len(state.year_columns), len(state.year_columns) + 1):
                grouped = best_grouping(text[start:], count, fit)
                if grouped:
                    return text[:start] + grouped
            return text if row else join_groups(text)
        return join_groups(text)

    def grid_row(self, line: ReportLine, state: TableState) -> bool:
        """The values under a row of labels without an afdeling column: a grid of key figures ('Antal afdelinger |
        Boliger | Lejemålsenheder' over '4 | 612 | 655', or in a PDF 'Afdelinger Boliger Årets resultat' over '6 702
        ÷1,26 mio. kr.'), each label over its value. The values end where words begin ('... 1,12 mio. kr. Note: Tal
        fra regnskabet'). True when the line was such a row; the grid's next row of labels starts a new header."""
        columns = state.columns
        if not columns or state.transposed:
            return False
        if columns[0].name == "afdeling":
            # 'Afdelinger' over a number in a grid counts them; over the rows of a table it names them
            if not re.fullmatch(r"(?:antal\s+)?(?:bolig)?afdelinger(?:\s+i\s+alt)?", columns[0].label.strip(), re.IGNORECASE):
                return False
            columns = [Column("antal_afdelinger", True, True, False, "", None, columns[0].label), *columns[1:]]
        text = line.text
        if "|" in text:
            cells = [c.strip() for c in text.split("|")]
            if len(cells) != len(columns) or not all(cells):
                return False
            values = [find_quantities(c, cell=True) for c in cells]
            if any(len(v) != 1 or _WORD_RE.search(_UNIT_WORDS_RE.sub(" ", c[:v[0].start] + c[v[0].end:]))
                   for c, v in zip(cells, values) if v) or not all(values):
                return False
            quantities = [v[0] for v in values]
        else:
            words = _WORD_RE.search(_UNIT_WORDS_RE.sub(lambda m: " " * len(m.group(0)), text))
            head = text[:words.start()] if words else text
            quantities = [q for q in find_quantities(head, cell=True) if not q.in_range]
            if not quantities or quantities[0].start > 3 or len(quantities) != len(columns):
                return False
        if not all(c.numeric or c.is_bool for c in columns) or any(q.is_year_like for q in quantities):
            return False
        found = False
        for col, q in zip(columns, quantities):
            if not col.is_figure or col.budget:
                continue
            q = apply_scale(q, col.scale or state.scale)
            # 'Disponibel pr. lejemålsenhed' over '4.120 kr.': the label's own unit refines the value's
            hint = col.unit_hint or unit_hint(col.label)
            found |= self.add(FIGURE_BY_NAME[col.name], q.value, q.unit, hint, line=line, text=q.text,
                              label=col.label, method="nøgletal", mention=state.afdeling_context) is not None
        state.header_buf, state.columns = [], None
        return found

    def joined_grid(self, line: ReportLine, state: TableState) -> bool:
        """A grid's row of labels and the row of values under it, which the PDF text layer joined into one line
        ('Afdelinger Boliger Arbejdskapital 7 815 ÷0,45 mio. kr.'): the labels before the first number head as many
        values after it. True when the line was read so."""
        if line.kind != "paragraph" or state.columns or state.header_buf or state.year_columns or state.transposed \
                or "|" in line.text:
            return False  # (under year columns a line is a figure's row: 'Lejetab dækket af dispositionsfonden - 300')
        first = next(iter(find_quantities(line.text, cell=True)), None)
        head = line.text[:first.start] if first else ""
        if not head.strip() or re.search(r"\d|[.:;!?]\s*$", head.strip()) or len(head) > 160:
            return False
        columns = parse_header(self.expand_abbreviations(head))
        if not columns:
            return False
        state.columns = columns
        if self.grid_row(ReportLine(line.text[first.start:], line.page, line.kind, line.section), state):  # type: ignore[union-attr]
            return True
        state.columns = None
        return False

    def row_afdeling(self, text: str, state: TableState) -> AfdelingMention | None:
        """'3 Bakkehusene Fam. 88 802 ...' under a header whose first column is the afdeling: a row for an afdeling
        named nowhere else (a number, a capitalised name, then the row's values)."""
        if not state.columns or state.columns[0].name != "afdeling":
            return None
        cell = _NUMBER_CELL_RE.match(text)
        if cell is not None and find_quantities(text[cell.end():], cell=True):
            # 'Afd. | Ledige | ...' over '4 | 1 | 3': a Word table names its afdelinger by number only
            nr = int(cell.group("nr"))
            mention = AfdelingMention(nr, self.registry.names().get(nr, ""), cell.start("nr"), cell.end("nr"))
            self.registry.add(mention)
            return mention
        m = _NUMBERED_ROW_RE.match(text)
        if m is None or len(find_quantities(text[m.end():], cell=True)) < 2:
            return None
        mention = AfdelingMention(int(m.group("nr")), m.group("name"), m.start("nr"), m.end("name"))
        self.registry.add(mention)
        return mention

    def wrapped_row(self, line: ReportLine, mention: AfdelingMention | None, state: TableState) -> bool:
        """A row whose afdeling cell the PDF wrapped over lines of its own ('Afd. 1', 'Ahornhaven', then the
        values): the cell is kept until the values come. True when the line was part of such a row."""
        if not state.columns or state.columns[0].name != "afdeling":
            state.pending_row = None
            return False
        text = line.text.strip()
        rest = text[mention.end:] if mention is not None else ""
        # a row whose cells say yes or no ('3 Engkarsen | Nej') has its values on its own line
        if mention is not None and not find_quantities(rest, cell=True) and not _BOOL_RE.search(rest):
            state.pending_row = mention
            return True
        pending = state.pending_row
        if pending is None:
            return False
        if re.fullmatch(r"[A-ZÆØÅ][\wæøå'-]*(?:\s+[A-ZÆØÅ][\wæøå'-]*){0,3}", text) and not pending.name:
            state.pending_row = AfdelingMention(pending.nr, text, 0, 0)
            self.registry.add(state.pending_row)
            return True
        state.pending_row = None
        if not _ONLY_CELLS_RE.fullmatch(text):
            return False
        prefix = f"Afd. {pending.nr} {pending.name}".strip()
        joined = ReportLine(f"{prefix} {text}", line.page, line.kind, line.section)
        return self.parse_row(joined, AfdelingMention(pending.nr, pending.name, 0, len(prefix)), state.columns)

    def total_row(self, line: ReportLine, state: TableState) -> bool:
        """The row for the whole organisation under a table of afdelinger ('I alt / gns. | 530 | 940 | ...'), also
        when the PDF reader put its label and its values on lines of their own. True when the line was used."""
        if not state.columns or state.columns[0].name != "afdeling":
            return False
        label = _TOTAL_ROW_RE.match(line.text)
        rest = line.text[label.end():] if label else line.text
        cells = _CELL_RE.findall(rest)
        if label and not cells:
            state.total_pending = True
            return True
        if not cells or (label is None and not (state.total_pending and _ONLY_CELLS_RE.fullmatch(rest))):
            state.total_pending = state.total_pending and not cells and len(rest) < 12
            return state.total_pending  # 'gns.': the rest of a wrapped label
        state.total_pending = False
        return self._cells_row(line, rest, state.columns)

    def _cells_row(self, line: ReportLine, rest: str, columns: list[Column]) -> bool:
        """A row without an afdeling, read cell by cell ('-' marks an empty cell) when the cells fill the columns."""
        numeric_cols = [c for c in columns if c.numeric]
        cells = [None if re.fullmatch(r"[-–—]", c) else c for c in _CELL_RE.findall(rest)]
        if len(cells) not in (len(numeric_cols), len(numeric_cols) + sum(c.is_bool for c in columns)):
            return False
        latest = self._latest_year(columns)
        found = False
        for col, cell in zip(numeric_cols, cells):
            quantities = find_quantities(cell, cell=True) if cell else []
            if not col.is_figure or not quantities or col.budget:
                continue
            q = apply_scale(quantities[0], col.scale)
            year = self._year_of(col, latest)
            if year == _NO_YEAR:
                continue
            found |= self.add(FIGURE_BY_NAME[col.name], q.value, q.unit, col.unit_hint, line=line, text=q.text,
                              label=col.label, method="tabel", mention=None, year=year) is not None
        return found

    def parse_row(self, line: ReportLine, mention: AfdelingMention, columns: list[Column]) -> bool:
        rest = line.text[mention.end:]
        values = [q for q in find_quantities(rest, cell=True) if not q.in_range]
        bools = [(m.group(1).lower() == "ja", m.group(0)) for m in _BOOL_RE.finditer(rest)]
        btype = boligtype_in(rest) or _row_boligtype(rest, columns)
        if btype and mention.nr is not None and mention.nr in self.registry.by_nr:
            self.registry.by_nr[mention.nr].boligtype = self.registry.by_nr[mention.nr].boligtype or btype
        numeric_cols = [c for c in columns if c.numeric]
        bool_cols = [c for c in columns if c.is_bool]
        added: list[Figure] = []
        latest = self._latest_year(columns)
        for col, q in align_row(numeric_cols, values):
            if not col.is_figure or q is None or col.budget:
                continue
            q = apply_scale(q, col.scale)
            year = self._year_of(col, latest)
            if year == _NO_YEAR:
                continue
            fig = self.add(FIGURE_BY_NAME[col.name], q.value, q.unit, col.unit_hint, line=line, text=q.text,
                           label=col.label, method="tabel", mention=mention, year=year)
            added += [fig] if fig else []
        for col, (flag, raw) in zip(bool_cols, bools):
            fig = self.add(FIGURE_BY_NAME[col.name], 1.0 if flag else 0.0, "bool", "", line=line, text=raw,
                           label=col.label, method="tabel", mention=mention)
            added += [fig] if fig else []
        self._split_by_boligtype(columns, mention, btype, added)
        return bool(added)

    def _split_by_boligtype(self, columns: list[Column], mention: AfdelingMention, btype: str | None,
                            added: list[Figure]) -> None:
        """An afdeling in two rows of one table, one per boligtype ('Afd. 2 | Familie | ...', 'Afd. 2 | Ungdom |
        ...'): each row's figures are that boligtype's, not the afdeling's twice."""
        seen: dict[tuple[int, int | None], tuple[str | None, list[Figure]]] = self.__dict__.setdefault("_rows", {})
        key = (id(columns), mention.nr)
        before = seen.get(key)
        if before is not None and btype and before[0] and before[0] != btype:
            for fig in before[1]:
                fig.boligtype = before[0]
            for fig in added:
                fig.boligtype = btype
        seen[key] = (btype, added)

    def _real_table(self, line: ReportLine) -> bool:
        """A row of a table whose cells the file itself marks (Word, HTML): a paragraph after it is outside it. A
        PDF's or a text file's table rows are guessed from the layout, and paragraphs may come between them."""
        doc = getattr(self, "doc", None)
        return line.kind == "table" and getattr(doc, "fmt", "") in _CELL_FORMATS

    def _year_of(self, col: Column, latest: int | None) -> int | None:
        """The year of an earlier year's column (None for the current year's); _NO_YEAR for a column about 'sidste
        år' when the report's own year is not known (its value cannot be told from this year's)."""
        if col.year is not None:
            return col.year if latest is not None and col.year < latest else None
        if col.relative == -1:
            regnskabsaar = getattr(self, "regnskabsaar", None)
            return regnskabsaar - 1 if regnskabsaar else _NO_YEAR
        return None

    def _latest_year(self, columns: list[Column]) -> int | None:
        """The year a wide table's current figures are for: the report's accounting year when a column names it,
        else the latest year its columns name (a column for an earlier year holds last year's figure)."""
        years = {c.year for c in columns if c.year is not None and not c.budget}
        if not years:
            return None
        regnskabsaar = getattr(self, "regnskabsaar", None)
        return regnskabsaar if regnskabsaar in years else max(years)

    # -- label + value lines and running text -------------------------------------------------

    def _section_line(self, line: ReportLine, state: TableState, mention: AfdelingMention | None) -> bool:
        """A paragraph line that heads what follows: an afdeling's name alone ('Afd. 3 Vesterbo') sets the
        afdeling of the small table below it, a caption ('Beløb i mio. kr.') the scale of its amounts, a
        short title without figures ends both. True when the line holds nothing else to read."""
        text = line.text.strip()
        if state.header_buf or state.columns or state.transposed:
            return False  # inside a table: a wrapped header or a row, not a heading
        if mention is not None and not text[mention.end:].strip(" .:-–"):
            state.reset()
            state.afdeling_context, state.scale = mention, None
            return True
        if _SCALE_CAPTION_RE.search(text):
            state.scale = header_scale(text)
            return len(text) < 90
        if section_line(text) and not find_afdelinger(text, self.registry.names()):
            state.afdeling_context = None  # a new part of the report: its figures are not the last afdeling's
            if not find_labels(text, columns=True):  # a title that names no figure holds nothing else
                state.reset()
                state.scale = None
                return True
        return False

    def group_caption(self, line: ReportLine, state: TableState, quantities: list[Quantity]) -> bool:
        """A row of a year table that names one figure and no values ('Dispositionsfond (mio. kr.)'): the rows
        under it ('I alt', 'Heraf disponibel') are that figure's, in its scale, until a row names its own figure."""
        if line.kind != "table" or not state.year_columns or quantities:
            return False
        if any(cell.strip() for cell in line.text.split("|")[1:]) or _BOOL_RE.search(line.text):
            return False  # a row with cells of its own ('Afdelingsbestyrelse | Ja | Nej') is no caption
        labels = [m for m in find_labels(line.text) if not m.is_column]
        if len(labels) != 1:
            return False
        state.caption, state.caption_scale = line.text.split("|")[0].strip(), header_scale(line.text)
        return True

    def under_caption(self, line: ReportLine, state: TableState) -> ReportLine:
        """A row under a caption: its total ('I alt | 12,4') is the caption's figure; every row gets its scale."""
        text = line.text
        if find_labels(text) and not _TOTAL_ROW_RE.match(text):
            if not re.match(r"^\s*(?:heraf|deraf|herunder)\b", text, re.IGNORECASE):
                state.caption, state.caption_scale = "", None  # a row with a figure of its own ends the group
                return line
        elif _TOTAL_ROW_RE.match(text):
            text = _TOTAL_ROW_RE.sub(f"{state.caption} | ", text, count=1)
        if state.caption_scale and "|" in text:
            label, _, values = text.partition("|")
            text = f"{label.rstrip()} ({_SCALE_WORDS[state.caption_scale]}) |{values}"
        return ReportLine(text, line.page, line.kind, line.section)

    def _second_header_row(self, line: ReportLine, state: TableState, quantities: list[Quantity]) -> bool:
        """A table header in two rows (a group header over its year or sub-columns, as Word's merged cells give
        it): the rows are read cell by cell into one header. True when the line was such a second row."""
        if line.kind != "table" or "|" not in line.text or not state.header_buf or "|" not in state.header_buf[-1]:
            return False
        upper = [c.strip() for c in state.header_buf[-1].split("|")]
        lower = [c.strip() for c in line.text.split("|")]
        if len(upper) != len(lower) or upper == lower or any(not q.is_year_like for q in quantities):
            return False
        combined = " | ".join(_combined_cell(a, b) for a, b in zip(upper, lower))
        columns = parse_header(self.expand_abbreviations(combined))
        if not columns:
            return False
        state.header_buf[-1], state.columns, state.year_columns = combined, columns, None
        return True

    def _header_like(self, line: ReportLine, state: TableState, quantities: list[Quantity]) -> bool:
        """Track header lines (column names, year columns, afdeling columns); True when consumed."""
        text = line.text
        if line.kind == "paragraph" and running_text(text):
            state.header_buf = []  # a sentence is never part of a table's header
            return False
        if self._second_header_row(line, state, quantities):
            return True
        untagged, budget_at = untag_years(text)
        if untagged != text:  # 't.kr. | R2024 | R2025 | B2026', 'Regnskab 2025 | Budget 2026': years named by what they hold
            quantities = find_quantities(untagged, cell=True)
            text = untagged
        if YEAR_SPAN_RE.search(text) or _HORIZON_RE.search(text) or _SCALE_WORDS_RE.search(text):
            # 'Planlagte arbejder 2026-35 t.kr.', 'Planlagte arbejder 10 år t.kr.', 'Beløb i 1.000 kr. 2025 2024': a
            # period or a scale in a header, not a value
            cleaned = text  # (blanked out, so the offsets of the years stay where they were)
            for pattern in (YEAR_SPAN_RE, _HORIZON_RE, _SCALE_WORDS_RE):
                cleaned = pattern.sub(lambda m: " " * len(m.group(0)), cleaned)
            quantities = find_quantities(cleaned, cell=True)
        year_qs = [q for q in quantities if q.is_year_like and not q.in_range]
        years = [int(q.value) for q in year_qs]
        budget = frozenset(i for i, q in enumerate(year_qs) if q.start in budget_at)
        others = [q for q in quantities if not q.is_year_like and not (q.in_range and 1900 <= q.value <= 2100)
                  # 'Tab ved lejeledighed 2025 kr./m²' in a Word header cell: the column's year, then its unit
                  and not ("|" in text and re.fullmatch(r"(?:19|20)\d\d\s?\D.*", q.text))]
        words = re.findall(r"[A-Za-zÆØÅæøå]+", text)
        # 't.kr. | Resultat 2025 | Resultat 2024 | Planlagte arbejder': cells that name figures make a table of
        # figure columns whose headers say their year, not a table of year columns
        figure_cells = "|" in text and len([m for m in find_labels(text) if not m.is_column]) >= 2
        if (len(set(years)) >= 2 or (years and re.search(r"ændring|udvikling|forskel", text, re.IGNORECASE))) \
                and not others and len(words) <= 10 and not figure_cells \
                and len(years) == len({(y, i in budget) for i, y in enumerate(years)}) \
                and len(budget) < len(years):
            state.year_columns = years
            state.budget_columns = budget
            # 'kr. pr. lejemålsenhed | R2024 | R2025', 'kr./m² 2024 2025': a unit per something before the years is
            # the unit of every row (a row naming its own unit keeps it)
            first_unit = unit_hint(text[:year_qs[0].start])
            state.table_unit = first_unit if first_unit.startswith("kr/") else ""
            # 't.kr. | 2025 | 2024': the scale of the amounts; 'kr. | 2024 | 2025': whole kroner again
            scale = header_scale(text)
            state.scale = scale or (None if re.match(r"\s*kr\.?\s*\|", text) else state.scale)
            state.in_table = self._real_table(line)
            state.table_scale = bool(scale) and state.in_table
            state.change_column = bool(re.search(r"ændring|udvikling|forskel|difference", text, re.IGNORECASE))
            # 'kr. | Regnskab 2024 | Regnskab 2025 | Mål': a last column after the years holds the target
            state.target_column = bool(TARGET_HEADER_RE.search(text[text.rfind(str(years[-1])) + 4:]))
            state.header_buf, state.columns = [], None
            return True
        text = line.text  # a header of figure columns keeps its tags ('Husleje B2026' is no year's accounts)
        if others or len(text) > (400 if "|" in text else 160):  # a Word header row names many columns
            return False
        mentions = find_afdelinger(text, self.registry.names())
        if len({m.nr for m in mentions}) >= 2 and not find_labels(text):
            state.transposed = mentions
            return True
        if state.last_was_row:
            state.header_buf = []
            state.last_was_row = False
        labels = find_labels(text, columns=True, squashed_words=True)
        if not labels and not state.header_buf:
            return False
        if len(text) > 80 and not labels:
            return False
        state.header_buf.append(text)
        columns = parse_header(self.expand_abbreviations(" ".join(state.header_buf)))
        if columns:
            state.columns, state.magnitudes = columns, {}
            state.year_columns = None
            state.in_table = self._real_table(line)
            return True
        if len(state.header_buf) > 14:
            state.header_buf = state.header_buf[-14:]
        # a one-line label without a value ('Afdelingsbestyrelse: Ja' has no number) is not a header
        return bool(labels) and not _BOOL_RE.search(text) and len(text) <= 80 and _is_header_fragment(text)


_UNIT_END_RE = re.compile(r"(?<![\wæøå])(?:kr|t\.\s?kr|tkr|mio\.?\s?kr|mio|mia|pct|pr|m²|m2|kvm)\.?$", re.IGNORECASE)
_UNIT_WORDS = frozenset({"kr", "tkr", "mio", "mia", "pr", "pct", "ca", "m²", "inkl", "ekskl", "jf"})


def running_text(text: str) -> bool:
    """A line of running text: a sentence ending in a full stop with six words or more besides units ('Restancer
    228 t.kr. 236 t.kr.' is a row of a table whose text layer lost its cells)."""
    end = text.rstrip()
    if not end.endswith((".", "!", "?")) or _UNIT_END_RE.search(end):
        return False  # 'Planlagte arbejder 10 år t.kr.': a header whose last cell is a unit
    words = [w for w in re.findall(r"[A-Za-zÆØÅæøå]{2,}", text) if w.lower() not in _UNIT_WORDS]
    return len(words) >= 6 and sum(w.islower() for w in words) >= 3


def _combined_cell(group: str, sub: str) -> str:
    """A group header and the cell under it: 'Husleje kr./m²' + '2025' -> 'Husleje kr./m² 2025'; a word qualifies
    the group and comes first, as in Danish ('Henlæggelser' + 'Årets' -> 'Årets Henlæggelser')."""
    if group == sub or not sub:
        return group
    if not group:
        return sub
    if re.fullmatch(r"(?:19|20)\d\d", sub) or _unit_only(sub):
        return f"{group} {sub}"  # 'Husleje' over 'kr./m²': the unit follows the figure it measures
    first = f"{sub} {group}"
    if not [m for m in find_labels(first, squashed_words=True) if not m.is_column]:
        other = f"{group} {sub}"  # 'Henlæggelser' over 'saldo': the group's noun first names the figure
        if [m for m in find_labels(other, squashed_words=True) if not m.is_column]:
            return other
    return first


# a header cell that only gives a unit or a kind of value ('kr./m²', '%', 'procent', 'antal', 'ja/nej', 't.kr.')
_UNIT_CELL_RE = re.compile(r"[\s(]*(?:(?:i\s+)?(?:kr|t\.?\s?kr|tkr|mio\.?\s?kr|mio|pct|procent|%|‰|antal|stk|ja/nej|"
                           r"pr|per|m²|m2|kvm|bolig|lejemålsenhed|lme|år)\.?[\s/()]*)+", re.IGNORECASE)


def _unit_only(cell: str) -> bool:
    return bool(_UNIT_CELL_RE.fullmatch(cell))


def _is_header_fragment(text: str) -> bool:
    return not text.rstrip().endswith((".", ":")) or len(text) < 25
