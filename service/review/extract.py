"""Key figures from a styringsrapport (PDF, DOCX or a text export), each with its page and source line.

The reader walks the document's lines in order and recognises three shapes:

* wide tables with one row per afdeling and one column per figure: the header (which a PDF may
  break over several lines, even inside words) names the columns, rows are aligned to it;
* label + value lines ('Restancer 228 t.kr. 236 t.kr.'), with year columns when the table has a
  header like 'Regnskab 2024 | Regnskab 2025', and tables with one column per afdeling;
* running text ('Husleje pr. m² udgjorde 912 kr.'), where a value must sit close to its label.

Table values win over running text for the same figure. Nothing is computed here beyond scaling
units ('236 t.kr.' -> 236.000 kr).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.sentences import split_sentences
from knowledge.text import fold
from knowledge.types import LoadedDocument
from service.domain.afdelinger import (
    AfdelingMention,
    AfdelingRegistry,
    afdeling_at_start,
    find_afdelinger,
)
from service.review.errors import NotAReportError
from service.review.identity import find_identity
from service.review.labels import (
    FIGURE_BY_NAME,
    FigureType,
    LabelMatch,
    boligtype_in,
    find_labels,
    plausible,
)
from service.review.lines import Line, iter_lines, passages, section_line
from service.review.model import Figure, ReportExtraction
from service.review.numbers import (
    Quantity,
    apply_scale,
    find_quantities,
    format_number,
    header_scale,
)
from service.review.prose import (
    counts,
    covered_by_dispositionsfond,
    previous_after,
    savings_target,
    stated_change,
)
from service.review.tables import (
    Column,
    align_row,
    parse_header,
    resolve_unit,
    unit_hint,
)

_RANK = {"tabel": 3, "nøgletal": 2, "tekst": 1}
# Sections with the organisation's own words: no key figures are read there.
_OWN_WORDS_RE = re.compile(r"bemaerkning|kommentar|oensk|opfoelgning|vurdering", re.IGNORECASE)
_BOOL_RE = re.compile(r"(?<![\wæøå])(ja|nej)(?![\wæøå])", re.IGNORECASE)
# Words right before a number that make it a comparison, threshold or change rather than the figure.
_SKIP_BEFORE_RE = re.compile(
    r"(?:\bunder|\bover|\bmindst|\bhøjst|\bmod|\bend|gennemsnit(?:tet)?(?:\s+på)?|landsniveau(?:et)?(?:\s+på)?"
    r"|\b(?:steget|faldet|steg|faldt|øget|reduceret|stigning|fald|forøgelse|ændring)\s+(?:med|på)"
    r"|\bmed\s+op\s+til|\bop\s+til|\bgrænse(?:n)?(?:\s+på)?|\bmål(?:et)?(?:\s+på)?|\bsidste\s+år|\båret\s+før"
    r"|\bi\s+forhold\s+til|\bsammenlignet\s+med|\bbudget(?:teret)?)\s*(?:ca\.\s*)?$",
    re.IGNORECASE,
)
_CLAUSE_END_RE = re.compile(r",\s|;|\s\bmod\b|\bsammenlignet med\b|\bi forhold til\b|\bmens\b")
_MAX_PROSE_GAP = 9  # words between a label and its value in running text
_RESTATE_CUE = r"^[\s,]*(?:eller|svarende\s+til|dvs\.?|(?:hvilket|som|det)\s+svarer\s+til|altså)\s*$"
_RESTATE_START = r"^\s*(?:det|dette|hvilket)\s+(?:svarer\s+til|giver|er)\b"
# 'Beløb i mio. kr.', 'Alle beløb er i 1.000 kr.', '(t.kr.)' above a table
_SCALE_CAPTION_RE = re.compile(r"^\(?(?:alle\s+)?beløb(?:ene)?\s+(?:er\s+)?(?:angivet\s+|vist\s+|opgjort\s+)?i\s+"
                               r"(?:mio\.?\s*kr|t\.?\s*kr|1\.000\s*kr|tusind|hele\s+1\.000)"
                               r"|^[^.]{0,50}\((?:i\s+|beløb\s+i\s+)?(?:mio\.?\s*kr|t\.\s*kr|tkr|1\.000\s*kr)\.?\)\s*$",
                               re.IGNORECASE)



@dataclass
class _State:
    header_buf: list[str] = field(default_factory=list)
    columns: list[Column] | None = None
    year_columns: list[int] | None = None
    transposed: list[AfdelingMention] | None = None
    last_was_row: bool = False
    afdeling_context: AfdelingMention | None = None
    scale: str | None = None  # 'Beløb i mio. kr.' above a table: bare amounts below it are millions
    change_column: bool = False  # the year columns are followed by a change column ('Ændring')

    def reset(self) -> None:
        self.header_buf, self.columns, self.year_columns, self.transposed = [], None, None, None
        self.last_was_row, self.change_column = False, False


class _Extractor:
    def __init__(self, doc: LoadedDocument, regnskabsaar: int | None) -> None:
        self.doc = doc
        self.regnskabsaar = regnskabsaar
        self.registry = AfdelingRegistry()
        self.figures: list[Figure] = []
        self.previous: list[Figure] = []
        self.changes: list[tuple[str, AfdelingMention | None, tuple[float, str], Line]] = []
        self.last_figure: tuple[Figure, FigureType] | None = None  # for 'Det svarer til ... pr. lejemålsenhed'

    # -- afdelinger ---------------------------------------------------------------------------
    def collect_afdelinger(self, lines: list[Line]) -> None:
        for line in lines:
            for mention in find_afdelinger(line.text):
                if mention.nr is not None:
                    start = afdeling_at_start(line.text)
                    btype = boligtype_in(line.text[mention.end:mention.end + 40]) if start and start.start == mention.start else None
                    self.registry.add(mention, btype if line.kind == "table" or start else None)
        known = self.registry.names()
        for line in lines:  # 'Ungdomsboligerne i afd. 5', 'Vesterbo er med 164 familieboliger': the type in prose
            if line.kind != "paragraph":
                continue
            for sentence in split_sentences(line.text):
                mentions = [m for m in find_afdelinger(sentence, known) if m.nr is not None]
                if len({m.nr for m in mentions}) != 1:
                    continue
                m = mentions[0]
                btype = boligtype_in(sentence[max(0, m.start - 45):m.start] + " " + sentence[m.end:m.end + 65])
                if btype:
                    self.registry.add(AfdelingMention(m.nr, "", m.start, m.end), btype)

    def afd_label(self, mention: AfdelingMention | None) -> tuple[str | None, int | None]:
        if mention is None:
            return None, None
        return self.registry.label(mention.nr, mention.name), mention.nr

    # -- adding figures ----------------------------------------------------------------------
    def add(self, ft: FigureType, q_value: float, q_unit: str, hint: str, *, line: Line, text: str, label: str,
            method: str, mention: AfdelingMention | None, year: int | None = None,
            boligtype: str | None = None) -> Figure | None:
        resolved = resolve_unit(ft, q_unit, hint) if ft.unit != "bool" else (ft.name, "bool")
        if resolved is None:
            return None
        name, unit = resolved
        target = FIGURE_BY_NAME[name]
        if not plausible(target, q_value):
            if name == ft.name or not plausible(ft, q_value) or unit not in (ft.unit, *ft.accepts):
                return None
            name, unit, target = ft.name, ft.unit, ft  # '6,2 kr.' is a loss per m², not a total
        if target.level == "org":
            mention = None
        elif target.level == "afdeling" and mention is None:
            return None
        afd, nr = self.afd_label(mention)
        fig = Figure(figure_type=name, afdeling=afd, value=q_value, unit=unit, page=line.page, source=line.text,
                     text=text, label=label, year=year, boligtype=boligtype if afd is None else None, method=method,
                     section=line.section, afdeling_nr=nr)
        if year is not None and self.regnskabsaar is not None and year < self.regnskabsaar:
            self.previous.append(fig)
        else:
            self.figures.append(fig)
        return fig

    def add_previous(self, fig: Figure, q: Quantity, line: Line, *, label: str = "") -> None:
        """Last year's value of ``fig`` as the report states it ('mod 4,9 kr. sidste år', '(2024: 16,90 mio. kr.)')."""
        value = q.value
        if q.unit == "" and fig.unit == "kr" and abs(fig.value) >= 1000 and abs(value) < 1000:
            value = value * 1_000_000 if "mio" in fig.text else value * 1000 if "t.kr" in fig.text else value
        if not plausible(FIGURE_BY_NAME[fig.figure_type], value):
            return
        year = self.regnskabsaar - 1 if self.regnskabsaar else None
        self.previous.append(Figure(figure_type=fig.figure_type, afdeling=fig.afdeling, value=value, unit=fig.unit,
                                    page=line.page, source=line.text, text=q.text, label=label or fig.label,
                                    year=year, boligtype=fig.boligtype, method=fig.method, section=line.section,
                                    afdeling_nr=fig.afdeling_nr))

    def add_change(self, fig: Figure, change: tuple[float, str], line: Line) -> None:
        """Last year's value from a stated change ('steg med 1,9 procentpoint', '+2,7 %')."""
        delta, unit = change
        if unit == "pp" and fig.unit == "%":
            value = fig.value - delta
        elif unit in ("%", "pct") and fig.unit != "%":
            value = fig.value / (1 + delta / 100) if delta != -100 else fig.value
        elif unit in ("", fig.unit) or (unit == "kr" and fig.unit.startswith("kr")):
            value = fig.value - delta
        else:
            return
        self.add_previous(fig, Quantity(round(value, 4), fig.unit, f"{format_number(delta)} ({unit or 'ændring'})"),
                          line, label="beregnet af den oplyste ændring")

    # -- wide tables -------------------------------------------------------------------------
    def parse_row(self, line: Line, mention: AfdelingMention, columns: list[Column]) -> bool:
        rest = line.text[mention.end:]
        values = [q for q in find_quantities(rest, cell=True) if not q.in_range]
        bools = [(m.group(1).lower() == "ja", m.group(0)) for m in _BOOL_RE.finditer(rest)]
        btype = boligtype_in(rest)
        if btype and mention.nr is not None and mention.nr in self.registry.by_nr:
            self.registry.by_nr[mention.nr].boligtype = self.registry.by_nr[mention.nr].boligtype or btype
        numeric_cols = [c for c in columns if c.numeric]
        bool_cols = [c for c in columns if c.is_bool]
        found = False
        for col, q in align_row(numeric_cols, values):
            if not col.is_figure or q is None:
                continue
            q = apply_scale(q, col.scale)
            if self.add(FIGURE_BY_NAME[col.name], q.value, q.unit, col.unit_hint, line=line, text=q.text,
                        label=col.label, method="tabel", mention=mention):
                found = True
        for col, (flag, raw) in zip(bool_cols, bools):
            if self.add(FIGURE_BY_NAME[col.name], 1.0 if flag else 0.0, "bool", "", line=line, text=raw,
                        label=col.label, method="tabel", mention=mention):
                found = True
        return found

    # -- label + value lines and running text -------------------------------------------------
    def parse_free(self, line: Line, state: _State, carry: AfdelingMention | None) -> AfdelingMention | None:
        known = self.registry.names()
        whole = line.kind == "table" or (len(line.text) <= 80 and not re.search(r"[.!?]\s+[A-ZÆØÅ]", line.text))
        for sentence in [line.text] if whole else split_sentences(line.text, strip_bullets=False):
            mentions = find_afdelinger(sentence, known)
            labels = [m for m in find_labels(sentence) if not m.is_column]
            before = carry  # a sentence's own mentions decide within it; the carry is what went before
            if mentions:
                carry = mentions[-1] if len({m.nr for m in mentions}) == 1 else carry
            if line.kind != "paragraph":
                before = carry
            else:
                self.sentence_rules(line, sentence, mentions, before)
            if self.last_figure is not None and re.match(_RESTATE_START, sentence, re.IGNORECASE):
                fig, ft = self.last_figure  # 'Det svarer til 11.620 kr. pr. lejemålsenhed': the last figure again
                mention = AfdelingMention(fig.afdeling_nr, "", 0, 0) if fig.afdeling_nr is not None else None
                first_label = labels[0].start if labels else len(sentence)
                self._restated(line, ft, sentence, None,
                               [q for q in find_quantities(sentence) if q.end <= first_label], mention)
            if not labels:
                self.last_figure = None
                continue
            quantities = [q for q in find_quantities(sentence, cell=line.kind == "table")]
            self._sentence(line, state, sentence, labels, quantities, mentions, before)
        return carry

    def _sentence(self, line: Line, state: _State, sentence: str, labels: list[LabelMatch],
                  quantities: list[Quantity], mentions: list[AfdelingMention], carry: AfdelingMention | None) -> None:
        prefix = sentence[:labels[0].start]
        prefix_mention = afdeling_at_start(prefix) if prefix.strip() else None
        keyvalue = (line.kind == "table" or len(sentence) <= 140) and not any(
            q.start < labels[0].start for q in quantities) and len(prefix.split()) <= (6 if prefix_mention else 3)
        i = 0
        while i < len(labels):
            lab = labels[i]
            ft = FIGURE_BY_NAME[lab.name]
            end = labels[i + 1].start if i + 1 < len(labels) else len(sentence)
            region = [q for q in quantities if lab.end <= q.start < end]
            # 'Den disponible del af dispositionsfonden er 0,9 mio. kr.', 'lejetabet som følge af ledighed
            # udgjorde 6,2 kr.': the first label is the head, the next one only qualifies it
            if not region and i + 1 < len(labels) and _only_connectors(sentence[lab.end:labels[i + 1].start]):
                nxt_end = labels[i + 2].start if i + 2 < len(labels) else len(sentence)
                region = [q for q in quantities if labels[i + 1].end <= q.start < nxt_end]
                if region:
                    end = nxt_end
                    i += 1
            mention = self._mention_for(lab, mentions, carry, sentence)
            label_text = sentence[lab.start:region[0].start].strip(" :|-–") if region else sentence[lab.start:lab.end]
            hint = unit_hint(sentence[lab.start:region[0].start]) if region else ""
            if ft.unit == "bool":
                self._bool(line, sentence, lab, end, mention, keyvalue, state)
            elif keyvalue:
                self._keyvalue(line, state, ft, region, hint, label_text, mention, sentence, lab)
            else:
                self._prose(line, ft, sentence, lab, end, quantities, hint, label_text, mention)
            i += 1

    def _mention_for(self, lab: LabelMatch, mentions: list[AfdelingMention], carry: AfdelingMention | None,
                     sentence: str) -> AfdelingMention | None:
        before = [m for m in mentions if m.end <= lab.start]
        if before:
            return before[-1]
        after = [m for m in mentions if m.start >= lab.end and m.start - lab.end < 40
                 and not re.search(r"[,;]", sentence[lab.end:m.start])]
        if after:
            return after[0]
        if re.search(r"\balle afdelinger|\borganisationen|\bforeningen|\bselskabet", fold(sentence)):
            return None
        return carry

    def _keyvalue(self, line: Line, state: _State, ft: FigureType, region: list[Quantity], hint: str,
                  label_text: str, mention: AfdelingMention | None, sentence: str, lab: LabelMatch) -> None:
        values = [q for q in region if not q.in_range and not q.is_year_like]
        if not values:
            if ft.counts_before:
                self._count_before(line, ft, sentence, lab, label_text, mention, "nøgletal")
            return
        scale = header_scale(sentence[lab.start:values[0].start]) or (state.scale if ft.unit == "kr" else None)
        values = [apply_scale(q, scale) for q in values]
        if state.transposed and len(values) == len(state.transposed):
            for q, afd in zip(values, state.transposed):
                self.add(ft, q.value, q.unit, hint, line=line, text=q.text, label=label_text, method="tabel",
                         mention=afd)
            return
        btype = boligtype_in(label_text)
        years = state.year_columns
        if years and (len(values) == len(years) or (state.change_column and len(values) == len(years) + 1)):
            pick = years.index(self.regnskabsaar) if self.regnskabsaar in years else years.index(max(years))
            for idx, (q, year) in enumerate(zip(values, years)):
                self.add(ft, q.value, q.unit, hint, line=line, text=q.text, label=label_text, method="nøgletal",
                         mention=mention, year=year if idx != pick else None, boligtype=btype)
            return  # a last column of changes ('+2,7 %') repeats what the year columns say
        if years and len(years) == 1 and state.change_column and len(values) == 2:
            fig = self.add(ft, values[0].value, values[0].unit, hint, line=line, text=values[0].text,
                           label=label_text, method="nøgletal", mention=mention, boligtype=btype)
            change = stated_change(f"steg med {values[1].text.lstrip('+')}", 0) if fig else None
            if fig and change:
                self.add_change(fig, (change[0] * (-1 if values[1].value < 0 else 1), change[1]), line)
            return
        chosen = _from_to(values, sentence) or values[0]
        fig = self.add(ft, chosen.value, chosen.unit, hint, line=line, text=chosen.text, label=label_text,
                       method="nøgletal", mention=mention, boligtype=btype)
        if fig is not None:
            self._previous(fig, sentence, chosen, values, line)
            self.last_figure = (fig, ft)
            self._restated(line, ft, sentence, chosen, region, mention)

    def _prose(self, line: Line, ft: FigureType, sentence: str, lab: LabelMatch, end: int,
               quantities: list[Quantity], hint: str, label_text: str, mention: AfdelingMention | None) -> None:
        if ft.counts_before and self._count_before(line, ft, sentence, lab, label_text, mention, "tekst"):
            return  # 'der var 3 tomme boliger', '5 ved fleksibel udlejning'
        stop = _CLAUSE_END_RE.search(sentence, lab.end)
        limit = min(end, stop.start() if stop else len(sentence))
        picked: Quantity | None = None
        start_value: Quantity | None = None  # 'steg fra 4.180 kr. til 4.310 kr.': last year's value
        for q in quantities:
            if q.start < lab.end or q.start >= limit or q.in_range or q.is_year_like:
                continue
            if len(re.findall(r"[\wæøå]+", sentence[lab.end:q.start])) > _MAX_PROSE_GAP:
                break
            if _SKIP_BEFORE_RE.search(sentence[max(0, q.start - 40):q.start]):
                continue
            if re.search(r"\bfra\s*$", sentence[max(0, q.start - 8):q.start], re.IGNORECASE):
                to = _from_to([x for x in quantities if x.start >= q.start], sentence)
                if to is not None:
                    picked, start_value = to, q
                    break
            picked = q
            break
        if picked is None:
            change = stated_change(sentence, lab.end)
            if change is not None:  # 'Fraflytningen steg med 1,9 procentpoint': last year follows from this year
                self.changes.append((ft.name, mention, change, line))
                return
            picked = _value_before(quantities, lab, sentence)  # 'heraf er 3,37 mio. kr. disponible'
            if picked is None:
                return
        hint = hint or unit_hint(sentence[lab.start:picked.start])
        btype = boligtype_in(sentence[max(0, lab.start - 40):picked.start])
        fig = self.add(ft, picked.value, picked.unit, hint, line=line, text=picked.text,
                       label=sentence[lab.start:lab.end], method="tekst", mention=mention, boligtype=btype)
        if fig is not None:
            self._previous(fig, sentence, picked, quantities, line, start_value)
            self.last_figure = (fig, ft)
            self._restated(line, ft, sentence, picked, quantities, mention)

    def _restated(self, line: Line, ft: FigureType, sentence: str, after: Quantity | None, quantities: list[Quantity],
                  mention: AfdelingMention | None) -> None:
        """The same figure in another unit: '4,07 mio. kr., eller 10.490 kr. pr. lejemålsenhed' and, in the next
        sentence, 'Det svarer til 11.620 kr. pr. lejemålsenhed' (the sibling figure of the unit named)."""
        start = after.end if after is not None else 0
        for q in quantities:
            if q.start < start or q.in_range or (after is not None and q.unit == after.unit):
                continue
            if re.search(_RESTATE_CUE, sentence[start:q.start], re.IGNORECASE) and len(sentence[start:q.start]) < 40:
                self.add(ft, q.value, q.unit, "", line=line, text=q.text, label=f"{ft.label} (omregnet)",
                         method="tekst", mention=mention)
                return

    def _previous(self, fig: Figure, sentence: str, chosen: Quantity, quantities: list[Quantity], line: Line,
                  start_value: Quantity | None = None) -> None:
        """Last year's value stated with a figure: 'fra X til Y', 'Y mod X sidste år', 'Y (2024: X)'."""
        if start_value is None:
            start_value = _from_value(quantities, chosen, sentence)
        q = start_value or previous_after(sentence, chosen.end)
        if q is not None:
            if q.unit == "" and chosen.unit and chosen.unit != "kr":
                q = Quantity(q.value, chosen.unit, q.text, q.start, q.end)
            self.add_previous(fig, apply_scale(q, "mio" if "mio" in chosen.text and q.unit == "" else None), line)

    # -- rules that read figures from sentences (service.review.prose) --------------------------
    def sentence_rules(self, line: Line, sentence: str, mentions: list[AfdelingMention],
                       carry: AfdelingMention | None) -> None:
        found = counts(sentence)
        for rule in (covered_by_dispositionsfond, savings_target):
            hit = rule(sentence)
            if hit is not None:
                found.append(hit)
        for f in found:
            before = [m for m in mentions if m.end <= f.start]
            after = [m for m in mentions if m.start >= f.end and m.start - f.end < 60]
            mention = before[-1] if before else after[0] if after else carry
            fig = self.add(FIGURE_BY_NAME[f.figure_type], f.value, f.unit, "", line=line, text=f.text,
                           label=sentence[max(0, f.start - 30):f.end + 20].strip(), method="tekst", mention=mention)
            if fig is not None:
                q = previous_after(sentence, f.end + (len(sentence[f.end:]) - len(sentence[f.end:].lstrip())))
                if q is None:
                    q = previous_after(sentence, _end_of_phrase(sentence, f.end))
                if q is not None:
                    self.add_previous(fig, q, line)

    def apply_changes(self) -> None:
        """Stated changes give last year's value where the report prints no value for last year."""
        have = {(p.figure_type, p.afdeling_nr) for p in self.previous}
        for name, mention, change, line in self.changes:
            nr = mention.nr if mention else None
            fig = next((f for f in self.figures if f.figure_type == name and f.afdeling_nr == nr
                        and f.boligtype is None), None)
            if fig is not None and (name, nr) not in have:
                self.add_change(fig, change, line)
                have.add((name, nr))

    def _count_before(self, line: Line, ft: FigureType, sentence: str, lab: LabelMatch, label_text: str,
                      mention: AfdelingMention | None, method: str) -> bool:
        """'der var 7 ledige boliger': a count right before its label; True when one was added."""
        window = sentence[max(0, lab.start - 25):lab.start]
        m = re.search(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})*|\d{1,6})\s+(?:[a-zæøå]+\s+)?$", window)
        if not m:  # '14 boliger i afd. 3 blev udlejet efter reglerne om kombineret udlejning': the clause's count
            clause = re.split(r"[,;:]\s*(?:og\s+|samt\s+)?", sentence[:lab.start])[-1]
            window = clause
            m = re.match(r"\s*(\d{1,3}(?:\.\d{3})*|\d{1,6})\s+(?:boliger|lejemål|lejligheder)?\b(?=.{0,90}$)", clause)
            if m and len(re.findall(r"[\wæøå]+", clause)) > 14:
                m = None
        if not m or re.match(r"\s*(?:19|20)\d\d\s", window[m.start():] + " ") and len(m.group(1)) == 4:
            return False
        words_before = window[:m.start()]
        if _SKIP_BEFORE_RE.search(words_before) or re.search(r"(?:afd\.|§|stk\.|nr\.|pr\.)\s*$", words_before,
                                                              re.IGNORECASE):
            return False
        value = float(m.group(1).replace(".", ""))
        return self.add(ft, value, "antal", "", line=line, text=m.group(1), label=label_text, method=method,
                        mention=mention) is not None

    def _bool(self, line: Line, sentence: str, lab: LabelMatch, end: int, mention: AfdelingMention | None,
              keyvalue: bool, state: _State) -> None:
        seg = sentence[lab.end:end]
        bools = [(m.group(1).lower() == "ja", m.group(0)) for m in _BOOL_RE.finditer(seg)]
        if state.transposed and len(bools) == len(state.transposed):
            for (flag, raw), afd in zip(bools, state.transposed):
                self.add(FIGURE_BY_NAME["afdelingsbestyrelse"], 1.0 if flag else 0.0, "bool", "", line=line,
                         text=raw, label=sentence[lab.start:lab.end], method="tabel", mention=afd)
            return
        value: float | None = None
        raw = ""
        if keyvalue and bools:
            value, raw = (1.0 if bools[0][0] else 0.0), bools[0][1]
        else:
            before = fold(sentence[max(0, lab.start - 45):lab.start])
            if re.search(r"\b(?:ikke|ingen|uden|mangler)\b[^.]*$", before):
                value, raw = 0.0, sentence[max(0, lab.start - 45):lab.end].strip()
            elif re.search(r"\b(?:har|med|valgt|valgte)\b[^.]*$", before):
                value, raw = 1.0, sentence[max(0, lab.start - 45):lab.end].strip()
        if value is None or mention is None or re.search(r"\balle afdelinger\b", fold(sentence)):
            return
        self.add(FIGURE_BY_NAME["afdelingsbestyrelse"], value, "bool", "", line=line, text=raw,
                 label=sentence[lab.start:lab.end], method="nøgletal" if keyvalue else "tekst", mention=mention)

    # -- the walk ----------------------------------------------------------------------------
    def run(self, lines: list[Line]) -> None:
        self.collect_afdelinger(lines)
        state = _State()
        carry: AfdelingMention | None = None
        for line in lines:
            if line.kind == "heading":
                state.reset()
                heads = find_afdelinger(line.text, self.registry.names())
                # 'Økonomi (t.kr.)': a heading may give the scale of the amounts under it
                state.afdeling_context, state.scale = (heads[0] if heads else None), header_scale(line.text)
                continue
            if _OWN_WORDS_RE.search(fold(line.section)):
                continue
            known = self.registry.names()
            text = line.text
            mention = afdeling_at_start(text, known)
            if line.kind == "paragraph" and self._section_line(line, state, mention):
                continue
            quantities = find_quantities(text, cell=True)
            if mention is not None and state.columns:
                if self.parse_row(line, mention, state.columns):
                    state.last_was_row = True
                    continue
            if self._header_like(line, state, quantities):
                continue
            if len(text) > 150 and line.kind == "paragraph":
                state.reset()
            state.last_was_row = False
            carry = self.parse_free(line, state, state.afdeling_context if line.kind == "paragraph" else
                                    (mention or state.afdeling_context))
            if line.kind == "paragraph":
                carry = None

    def _section_line(self, line: Line, state: _State, mention: AfdelingMention | None) -> bool:
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

    def _header_like(self, line: Line, state: _State, quantities: list[Quantity]) -> bool:
        """Track header lines (column names, year columns, afdeling columns); True when consumed."""
        text = line.text
        years = [int(q.value) for q in quantities if q.is_year_like and not q.in_range]
        others = [q for q in quantities if not q.is_year_like and not (q.in_range and 1900 <= q.value <= 2100)]
        words = re.findall(r"[A-Za-zÆØÅæøå]+", text)
        if (len(set(years)) >= 2 or (years and re.search(r"ændring|udvikling|forskel", text, re.IGNORECASE))) \
                and not others and len(words) <= 10 and len(years) == len(set(years)):
            state.year_columns = years
            state.change_column = bool(re.search(r"ændring|udvikling|forskel|difference", text, re.IGNORECASE))
            state.header_buf, state.columns = [], None
            return True
        if others or len(text) > 160:
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
        columns = parse_header(" ".join(state.header_buf))
        if columns:
            state.columns = columns
            state.year_columns = None
            return True
        if len(state.header_buf) > 14:
            state.header_buf = state.header_buf[-14:]
        # a one-line label without a value ('Afdelingsbestyrelse: Ja' has no number) is not a header
        return bool(labels) and not _BOOL_RE.search(text) and len(text) <= 80 and _is_header_fragment(text)


_CONNECTORS = frozenset({"af", "for", "den", "det", "de", "på", "i", "til", "ved", "som", "følge", "grund", "pga",
                         "fra", "med", "et", "en", "pr", "heraf"})


def _only_connectors(between: str) -> bool:
    """True for the words between a head label and a qualifying one ('af', 'som følge af', 'for den')."""
    if re.search(r"[,;:.()]", between):
        return False
    words = re.findall(r"[\wæøå]+", between.lower())
    return len(words) <= 4 and all(w in _CONNECTORS for w in words)


def _is_header_fragment(text: str) -> bool:
    return not text.rstrip().endswith((".", ":")) or len(text) < 25


def _from_to(values: list[Quantity], sentence: str) -> Quantity | None:
    """In 'steget fra 9,6 til 14,8 kr.' the figure is the value after 'til'."""
    for a, b in zip(values, values[1:]):
        between = sentence[a.end:b.start]
        if re.fullmatch(r"\s*(?:kr\.?\s*(?:pr\.\s*m²)?)?\s*til\s*", between, re.IGNORECASE) and re.search(
                r"\bfra\s*$", sentence[max(0, a.start - 6):a.start], re.IGNORECASE):
            return b
    return None


def _from_value(quantities: list[Quantity], chosen: Quantity, sentence: str) -> Quantity | None:
    """The 'fra X' of 'fra X til <chosen>' (last year's value when a sentence says a figure went from X to Y)."""
    for a in quantities:
        if a.end <= chosen.start and re.fullmatch(r"\s*(?:kr\.?\s*(?:pr\.\s*\S+)?|%|pct\.?)?\s*til\s*",
                                                  sentence[a.end:chosen.start], re.IGNORECASE) \
                and re.search(r"\bfra\s*$", sentence[max(0, a.start - 6):a.start], re.IGNORECASE):
            return a
    return None


def _value_before(quantities: list[Quantity], lab: LabelMatch, sentence: str) -> Quantity | None:
    """An amount or a percentage written right before its label ('heraf er 3,37 mio. kr. disponible')."""
    before = [q for q in quantities if q.end <= lab.start and lab.start - q.end <= 3 and not q.in_range]
    if (before and before[-1].unit in ("kr", "%", "kr/m2", "kr/bolig", "kr/lejemålsenhed")
            and not _SKIP_BEFORE_RE.search(sentence[max(0, before[-1].start - 40):before[-1].start])):
        return before[-1]
    return None


def _end_of_phrase(sentence: str, pos: int) -> int:
    """The end of the words right after a count ('6 boliger tomme| mod 2 året før')."""
    m = re.match(r"\s+(?:[a-zæøå]+\s+){0,3}?(?=mod\b|\()", sentence[pos:])
    return pos + (m.end() if m else 0)


def _dedupe(figures: list[Figure]) -> list[Figure]:
    best: dict[tuple, Figure] = {}
    for f in figures:
        key = f.key() + (f.year,)
        old = best.get(key)
        if old is None or _RANK[f.method] > _RANK[old.method]:
            best[key] = f
    return [f for f in figures if best.get(f.key() + (f.year,)) is f]


def extract_report(doc: LoadedDocument, *, require_figures: bool = True) -> ReportExtraction:
    """Identity, key figures, afdelinger and the organisation's own words of a loaded styringsrapport.

    Raises NotAReportError (Danish message saying what was found) when no key figures are found.
    """
    identity = find_identity(doc)
    lines = iter_lines(doc)
    ex = _Extractor(doc, identity.regnskabsaar)
    ex.run(lines)
    ex.apply_changes()
    figures = _dedupe(ex.figures)
    comments, wishes, everything = passages(lines)
    result = ReportExtraction(
        identity=identity, figures=figures, previous_in_report=_dedupe(ex.previous),
        afdelinger=ex.registry.all(), comments=comments, wishes=wishes, passages=everything,
        warnings=list(doc.warnings), path=doc.path,
    )
    if require_figures and not any(f.figure_type not in ("antal_afdelinger", "antal_boliger",
                                                        "antal_lejemaalsenheder") for f in figures):
        raise NotAReportError(
            "Fandt ingen nøgletal – er det en styringsrapport? "
            f"Fandt: {identity.describe()}. Kontrollér at filen er organisationens styringsrapport "
            "(med nøgletal som husleje, ledige boliger, henlæggelser og effektivitetstal)."
        )
    return result
