"""Key figures from a styringsrapport (PDF, DOCX or a text export), each with its page and source line.

The reader walks the document's lines in order and recognises three shapes:

* wide tables with one row per afdeling and one column per figure: the header (which a PDF may
  break over several lines, even inside words) names the columns, rows are aligned to it;
* label + value lines ('Restancer 228 t.kr. 236 t.kr.'), with year columns when the table has a
  header like 'Regnskab 2024 | Regnskab 2025', and tables with one column per afdeling;
* running text ('Husleje pr. m² udgjorde 912 kr.'), where a value must sit close to its label, and counts,
  covers and targets stated in sentences; last year's value and stated changes come with them.

Tables and the lines around them are read by service.review.table_reader, running text by
service.review.prose_reader; this module walks the lines and keeps the figures. Table values win over
running text for the same figure. Nothing is computed here beyond scaling units ('236 t.kr.' -> 236.000 kr)
and last year's value from a stated change.
"""

from __future__ import annotations

import re

from knowledge.sentences import split_sentences
from knowledge.text import fold
from knowledge.types import LoadedDocument
from service.domain.afdelinger import AfdelingMention, AfdelingRegistry, afdeling_at_start, find_afdelinger
from service.domain.organisations import organisation_core
from service.review.abbreviations import expand, read_legend
from service.review.errors import NotAReportError
from service.review.identity import find_identity
from service.review.labels import FIGURE_BY_NAME, FigureType, LabelMatch, boligtype_in, find_labels, plausible
from service.review.model import Figure, ReportExtraction
from service.review.named_afdelinger import headed_afdelinger, listed_afdelinger
from service.review.numbers import Quantity, apply_scale, find_quantities, header_scale, spaces_group_thousands
from service.review.prose import signed, stated_change
from service.review.prose_reader import _RESTATE_START, _SKIP_BEFORE_RE, COVERING_VERB_RE, ProseReader, _from_to
from service.review.report_lines import ReportLine, is_footnote, iter_lines, passages
from service.review.table_reader import _BOOL_RE, TableReader, TableState, running_text
from service.review.tables import TARGETS, has_amount_sibling, resolve_unit, unit_hint
from service.review.year_rows import turn_year_rows

_PRONOUN_VALUE_RE = re.compile(
    r"^\s*(?P<pronoun>De|Den|Det)(?=\s+(?:udgjorde|udgør|var|er|blev|lå|ligger|endte)\s)"
    # 'Ved udgangen af 2025 var de 27.400 kr. pr. bolig': an adverbial first, then the verb, then the pronoun
    r"|^[^,.;]{3,50}?\s(?:udgjorde|udgør|var|er|blev|lå|ligger|endte)\s+(?P<inverted>de|den|det|gennemsnittet|tallet"
    r"|beløbet)(?:\s+for\s+(?:hele\s+)?(?:foreningen|organisationen|selskabet|afdelingen))?\s+(?=[-−(]?\d)")
_FOOTNOTES_AFTER_RE = re.compile(r"(?<=\.)\s+(?=[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s*\S)")
# a line of a key-figure list that names the homes alone ('- Boliger: 96', 'Lejligheder i alt: 124')
_COUNT_KEY_RE = re.compile(r"^(?P<pre>\s*(?:[-–•*·]\s*)?)(?P<word>Boliger|Lejligheder|Boligenheder)(?=\s*(?:i\s+alt\s*)?"
                           r"[:|]\s*\d)")
# a line that is only the homes counted, the number first ('96 boliger, familieboliger.', '140 lejligheder
# (ældreboliger)'): under an afdeling's heading it is the afdeling's count, as 'Boliger: 96' would be
_COUNT_FIRST_RE = re.compile(r"^\s*(?:[-–•*·]\s*)?(?P<n>\d{1,3}(?:\.\d{3})*)\s+(?P<word>boliger|lejligheder|boligenheder)"
                             r"(?P<rest>(?:\s*[,(]\s*[a-zæøå]*boliger\)?)?\.?)\s*$", re.IGNORECASE)
# a sentence that opens with the unit its amounts are counted per ('Pr. lejemålsenhed er ...', 'Per bolig udgør ...')
_PER_LEAD_RE = re.compile(r"^\s*(?:pr\.?|per)\s+(?:lejemålsenhed|lme|bolig|lejlighed|m²|m2|kvm|kvadratmeter)\b",
                          re.IGNORECASE)
# 'mål for', 'målet for den', 'målsætningen for', 'måltallet for': what follows is the figure a target is set for
_TARGET_FOR_RE = re.compile(r"\b(?:mål|målet|målsætning(?:en)?|måltal(?:let)?)\s+for\s+(?:den\s+|det\s+|de\s+)?$",
                            re.IGNORECASE)
_RANK = {"tabel": 3, "nøgletal": 2, "tekst": 1}
# Sections with the organisation's own words: no key figures are read there.
# 'Bemærkninger til afdelingerne', 'Bemærkninger til tabellen' are notes on the figures, which state figures;
# 'Bestyrelsens bemærkninger' are the board's own words
_OWN_WORDS_RE = re.compile(r"bemaerkning(?!\w*\s+til\b)|kommentar|oensk|opfoelgning|vurdering", re.IGNORECASE)


class _Extractor(ProseReader, TableReader):
    def __init__(self, doc: LoadedDocument, regnskabsaar: int | None, organisation: str | None = None) -> None:
        self.doc = doc
        self.organisation = organisation
        self.regnskabsaar = regnskabsaar
        self.registry = AfdelingRegistry()
        self.figures: list[Figure] = []
        self.previous: list[Figure] = []
        self.changes: list[tuple[str, AfdelingMention | None, tuple[float, str], ReportLine]] = []
        self.last_figure: tuple[Figure, FigureType] | None = None  # for 'Det svarer til ... pr. lejemålsenhed'
        self.legend: dict[str, str] = {}
        self.pending_label: str | None = None  # a figure a sentence named without a value ('restancerne er vokset')
        # a line that is only a figure's label ('Husleje') and the afdeling in force before it, for the next line
        self.key_label: tuple[ReportLine, AfdelingMention | None] | None = None
        self.spaced_thousands = False  # the document writes thousands with a plain space ('48 200 kr.')

    def expand_abbreviations(self, text: str) -> str:
        return expand(text, self.legend)

    # -- afdelinger ---------------------------------------------------------------------------
    def collect_afdelinger(self, lines: list[ReportLine]) -> None:
        for line in lines:
            for mention in find_afdelinger(line.text):
                if mention.nr is not None:
                    start = afdeling_at_start(line.text)
                    btype = boligtype_in(line.text[mention.end:mention.end + 40]) if start and start.start == mention.start else None
                    self.registry.add(mention, btype if line.kind == "table" or start else None)
        if not self.registry.by_nr:  # a report that numbers no afdeling may name them where it counts them
            listed = listed_afdelinger([line.text for line in lines if line.kind == "paragraph"], self.organisation)
            for mention, btype in listed or headed_afdelinger(lines):
                self.registry.add(mention, btype)
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

    def _pronoun_subject(self, sentence: str, labels: list[LabelMatch], line: ReportLine
                         ) -> tuple[str, list[LabelMatch]]:
        """'Restancerne er vokset. De udgjorde 538.000 kr.': a sentence whose subject is a pronoun for the figure the
        sentence before named without a value is read with that figure's name in place of the pronoun."""
        pending, self.pending_label = self.pending_label, None
        if line.kind == "paragraph" and len(labels) == 1 and not find_quantities(sentence):
            self.pending_label = sentence[labels[0].start:labels[0].end]
        m = _PRONOUN_VALUE_RE.match(sentence)
        if labels or not pending or m is None:
            return sentence, labels
        if m.group("inverted"):
            rewritten = f"{sentence[:m.start('inverted')]}{pending}{sentence[m.end('inverted'):]}"
        else:
            rewritten = f"{pending}{sentence[m.end('pronoun'):]}"
        return rewritten, [lab for lab in find_labels(rewritten) if not lab.is_column]

    def _names_organisation(self, sentence: str, mention: AfdelingMention) -> bool:
        """'Bakkehuset består af fire afdelinger': an afdeling named like its organisation, without 'afd.' or a
        number, is the organisation."""
        written = sentence[mention.start:mention.end]
        core = organisation_core(self.organisation or "")
        return bool(core) and not re.search(r"\d|afd", written, re.IGNORECASE) and fold(written).strip() == core

    def afd_label(self, mention: AfdelingMention | None) -> tuple[str | None, int | None]:
        if mention is None:
            return None, None
        return self.registry.label(mention.nr, mention.name), mention.nr

    # -- adding figures ----------------------------------------------------------------------
    def add(self, ft: FigureType, q_value: float, q_unit: str, hint: str, *, line: ReportLine, text: str, label: str,
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

    def parse_free(self, line: ReportLine, state: TableState, carry: AfdelingMention | None) -> AfdelingMention | None:
        known = self.registry.names()
        whole = line.kind == "table" or (len(line.text) <= 80 and not re.search(r"[.!?]\s+[A-ZÆØÅ]", line.text))
        for sentence in [line.text] if whole else split_sentences(line.text, strip_bullets=False):
            # '¹ Heraf 4 ledige i mere end 3 måneder' after a legend: footnotes state no figure of their own
            sentence = _FOOTNOTES_AFTER_RE.split(sentence, maxsplit=1)[0]
            if is_footnote(sentence):
                continue
            # '- Boliger: 96' in a box of key figures: the homes counted, as 'Boliger' heads a table's column
            sentence = _COUNT_KEY_RE.sub(lambda m: f"{m.group('pre')}Antal {m.group('word').lower()}", sentence)
            sentence = _COUNT_FIRST_RE.sub(lambda m: f"Antal {m.group('word').lower()}: {m.group('n')}{m.group('rest')}",
                                           sentence)
            labels = [m for m in find_labels(sentence) if not m.is_column]
            sentence, labels = self._pronoun_subject(sentence, labels, line)
            mentions = [m for m in find_afdelinger(sentence, known) if not self._names_organisation(sentence, m)]
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
            read = len(self.figures)
            self._sentence(line, state, sentence, labels, quantities, mentions, before)
            if line.kind == "paragraph" and len(labels) == 1 and not any(
                    f.figure_type == labels[0].name for f in self.figures[read:]):
                # 'skal være mindst 35.000 kr.': the figure was named but its value not given; a pronoun may follow
                self.pending_label = sentence[labels[0].start:labels[0].end]
        return carry

    def _sentence(self, line: ReportLine, state: TableState, sentence: str, labels: list[LabelMatch],
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
            if not region and i + 1 < len(labels) and (_only_connectors(sentence[lab.end:labels[i + 1].start])
                                                        or self._value_fits_head(ft, labels, i, quantities, sentence)):
                nxt_end = labels[i + 2].start if i + 2 < len(labels) else len(sentence)
                region = [q for q in quantities if labels[i + 1].end <= q.start < nxt_end]
                if region:
                    end = nxt_end
                    i += 1
                    # ('minimum for den disponible del': a head noun and what it is 'for' - the head names it)
                    if len(labels[i].synonym.split()) > len(lab.synonym.split()) and not re.match(
                            r"\s*for\b", sentence[lab.end:labels[i].start], re.IGNORECASE):
                        # 'Lejetab dækket af dispositionsfonden': the longer label names the figure, the first one
                        # only says what it is about
                        lab, ft = labels[i], FIGURE_BY_NAME[labels[i].name]
            if line.kind == "paragraph" and _TARGET_FOR_RE.search(sentence[max(0, lab.start - 30):lab.start]):
                i += 1  # 'målet for henlæggelsessaldoen er 30.000 kr.': a target for the figure, not its value
                continue
            if line.kind == "paragraph" and COVERING_VERB_RE.search(sentence[max(0, lab.start - 30):lab.start]):
                i += 1  # the amount after it is what was covered (read by the rule for covers)
                continue
            mention = self._mention_for(lab, mentions, carry, sentence)
            label_text = sentence[lab.start:region[0].start].strip(" :|-–") if region else sentence[lab.start:lab.end]
            hint = unit_hint(sentence[lab.start:region[0].start]) if region else ""
            lead = _PER_LEAD_RE.match(sentence)
            if lead and lead.end() <= lab.start and hint in ("", "kr"):
                hint = unit_hint(f"kr. {lead.group(0)}")  # 'Pr. lejemålsenhed er den disponible del 3.030 kr.'
            if ft.unit == "bool":
                self._bool(line, sentence, lab, end, mention, keyvalue, state)
            elif keyvalue and (region or ft.counts_before or line.kind == "table"):
                self._keyvalue(line, state, ft, region, hint, label_text, mention, sentence, lab)
            else:
                self._prose(line, ft, sentence, lab, end, quantities, hint, label_text, mention)
            i += 1

    def _value_fits_head(self, ft: FigureType, labels: list[LabelMatch], i: int, quantities: list[Quantity],
                         sentence: str) -> bool:
        """'Opsparingen til planlagt og periodisk vedligeholdelse udgør 28.500 kr. pr. bolig': a second label inside
        the first one's phrase, whose value only the first can take (by its unit), qualifies the first."""
        nxt = FIGURE_BY_NAME[labels[i + 1].name]
        between = sentence[labels[i].end:labels[i + 1].start]
        if re.search(r"[,;:.()]", between) or len(between.split()) > 5:
            return False
        nxt_end = labels[i + 2].start if i + 2 < len(labels) else len(sentence)
        values = [q for q in quantities if labels[i + 1].end <= q.start < nxt_end and not q.in_range]
        return bool(values) and values[0].unit != "" and resolve_unit(ft, values[0].unit, "") is not None \
            and resolve_unit(nxt, values[0].unit, "") is None

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

    def _keyvalue(self, line: ReportLine, state: TableState, ft: FigureType, region: list[Quantity], hint: str,
                  label_text: str, mention: AfdelingMention | None, sentence: str, lab: LabelMatch) -> None:
        values = [q for q in region if not q.in_range and not q.is_year_like]
        if line.kind == "paragraph":  # 'og dispositionsfonden har dækket 0,41 mio. kr.': no value of the figure
            values = [q for q in values if not _SKIP_BEFORE_RE.search(sentence[max(0, q.start - 40):q.start])]
        if not values:
            if ft.counts_before:
                self._count_before(line, ft, sentence, lab, label_text, mention, "nøgletal")
            return
        # 'mio. kr. | 2025 | 2024' over 'Tab ved lejeledighed | 1,12 | 0,58': a money scale makes the label the amount
        scale = header_scale(sentence[lab.start:values[0].start]) or (state.scale if has_amount_sibling(ft, hint) else None)
        values = [apply_scale(q, scale) for q in values]
        if state.transposed and len(values) == len(state.transposed):
            for q, afd in zip(values, state.transposed):
                self.add(ft, q.value, q.unit, hint, line=line, text=q.text, label=label_text, method="tabel",
                         mention=afd)
            return
        btype = boligtype_in(label_text)
        years = state.year_columns
        if years:
            hint = hint or state.table_unit
            values = _year_cells(sentence, values, state)
        resolved = resolve_unit(ft, values[0].unit, hint)
        named = resolved[0] if resolved else ft.name  # 'Disponibel dispositionsfond' in a table of kr. per unit
        if years and state.target_column and len(values) == len(years) + 1 and named in TARGETS:
            # 'Opsparede henlæggelser pr. bolig | 23.100 | 19.800 | 35.000' under '... 2024 | 2025 | Mål'
            target = values.pop()
            self.add(FIGURE_BY_NAME[TARGETS[named]], target.value, target.unit, hint, line=line, text=target.text,
                     label=label_text, method="nøgletal", mention=mention)
        if years and (len(values) == len(years) or (state.change_column and len(values) == len(years) + 1)):
            # a budget column ('B2026') holds no year's accounts: it is neither this year's figure nor last year's
            accounts = [y if i not in state.budget_columns else None for i, y in enumerate(years)]
            pick = accounts.index(self.regnskabsaar) if self.regnskabsaar in accounts else \
                accounts.index(max(y for y in accounts if y is not None))
            for idx, (q, year) in enumerate(zip(values, years)):
                if q.in_range or idx in state.budget_columns:  # the empty cell put in above; a budget
                    continue
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
        chosen = signed(sentence, _from_to(values, sentence) or values[0])
        fig = self.add(ft, chosen.value, chosen.unit, hint, line=line, text=chosen.text, label=label_text,
                       method="nøgletal", mention=mention, boligtype=btype)
        if fig is not None:
            # 'faldt fra 4,12 mio. kr. til 3,31 mio. kr.': the start of the range is last year's value
            self._previous(fig, sentence, chosen, [apply_scale(q, scale) for q in region if not q.is_year_like], line)
            self.last_figure = (fig, ft)
            self._restated(line, ft, sentence, chosen, region, mention)

    def _bool(self, line: ReportLine, sentence: str, lab: LabelMatch, end: int, mention: AfdelingMention | None,
              keyvalue: bool, state: TableState) -> None:
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
    def _key_value_line(self, line: ReportLine, state: TableState) -> ReportLine:
        """'Husleje' / '1.012 kr./m²': a box of key figures prints the label and its value on lines of their own;
        the two are one key figure (and the label was no heading that ended an afdeling's part)."""
        before = self.key_label
        self.key_label = (line, state.afdeling_context) if _label_only(line.text) else None
        if before is None or not _value_only(line.text):
            return line
        columns = [c for c in state.columns or [] if c.numeric]
        if len(columns) > 1 and len(find_quantities(line.text, cell=True)) == len(columns):
            return line  # the values of a grid whose labels ended on this label: one under each label
        state.header_buf, state.afdeling_context = [], before[1]
        return ReportLine(f"{before[0].text.rstrip(' :')}: {_BULLET_RE.sub('', line.text)}", line.page, line.kind,
                          line.section)

    def _table_row(self, line: ReportLine, mention: AfdelingMention | None, state: TableState
                   ) -> tuple[bool, AfdelingMention | None]:
        """(True, ...) when the line is a row of the table above it (an afdeling's, the total's, a grid's values), and
        the afdeling the line starts with."""
        if self.wrapped_row(line, mention, state):
            return True, mention
        if mention is None and (self.grid_row(line, state) or self.joined_grid(line, state)):
            return True, mention
        if mention is None and state.columns:
            mention = self.row_afdeling(line.text, state)
            if mention is None and self.total_row(line, state):
                return True, mention
        return bool(mention is not None and state.columns and self.parse_row(line, mention, state.columns)), mention

    def run(self, lines: list[ReportLine]) -> None:
        self.collect_afdelinger(lines)
        self.legend = read_legend([line.text for line in lines if line.kind != "table"])
        self.spaced_thousands = spaces_group_thousands([line.text for line in lines])
        state = TableState()
        for line in lines:
            if line.kind == "heading":
                state.reset()
                heads = find_afdelinger(line.text, self.registry.names())
                # 'Økonomi (t.kr.)': a heading may give the scale of the amounts under it
                state.afdeling_context, state.scale = (heads[0] if heads else None), header_scale(line.text)
                continue
            if line.kind == "paragraph" and state.in_table:
                state.reset()  # a paragraph after the rows of a real table: the table, its years and scale have ended
            if _OWN_WORDS_RE.search(fold(line.section)) or is_footnote(line.text):
                continue
            line = self.group_thousands(line, state)
            if line.kind == "paragraph":
                line = self._key_value_line(line, state)
            known = self.registry.names()
            text = line.text
            mention = afdeling_at_start(text, known)
            if line.kind == "paragraph" and self._section_line(line, state, mention):
                continue
            quantities = find_quantities(text, cell=True)
            row, mention = self._table_row(line, mention, state)
            if row:
                state.last_was_row = True
                continue
            if self.group_caption(line, state, quantities):
                continue
            if self._header_like(line, state, quantities):
                continue
            if line.kind == "paragraph" and (len(text) > 150 or running_text(text)):
                state.reset()  # running text ends a table: its columns and years are not the sentence's
            state.last_was_row = False
            if state.caption and line.kind == "table":
                line = self.under_caption(line, state)
            self.parse_free(line, state, state.afdeling_context if line.kind == "paragraph" else
                            (mention or state.afdeling_context))


_CONNECTORS = frozenset({"af", "for", "den", "det", "de", "på", "i", "til", "ved", "som", "følge", "grund", "pga",
                         "fra", "med", "et", "en", "pr", "heraf"})


def _only_connectors(between: str) -> bool:
    """True for the words between a head label and a qualifying one ('af', 'som følge af', 'for den')."""
    if re.search(r"[,;:.()]", between):
        return False
    words = re.findall(r"[\wæøå]+", between.lower())
    return len(words) <= 4 and all(w in _CONNECTORS for w in words)


_BULLET_RE = re.compile(r"^\s*[-–•*·▪]\s*")
# a date or a unit in a label line ('Ledige boliger pr. 31.12.', 'Husleje kr./m²'): no value
_LABEL_NOISE_RE = re.compile(r"\d{1,2}\s?[./]\s?\d{1,2}\.?(?:[-./]\d{2,4})?|m²|m2|[%‰]")
_UNIT_WORDS_RE = re.compile(r"(?<![\wæøå])(?:kr|kroner|t\.?\s?kr|tkr|mio|mia|pr|per|m²|m2|kvm|bolig(?:en|er)?|lejemålsenhed(?:er)?"
                            r"|lme|pct|procent|procentpoint|antal|stk)\.?(?![\wæøå])", re.IGNORECASE)


def _label_only(text: str) -> bool:
    """A line that names one key figure and nothing else ('Husleje', '• Ledige boliger pr. 31.12.', 'Boliger:')."""
    body = _BULLET_RE.sub("", text).strip().rstrip(":").strip()
    if not body or len(body.split()) > 7 or re.search(r"\d", _LABEL_NOISE_RE.sub(" ", body)):
        return False
    if re.search(r"[.!?]$", body) and not re.search(r"(?:pr|\d)\.$", body):
        return False  # a sentence
    body = _COUNT_KEY_RE.sub(lambda m: f"{m.group('pre')}Antal {m.group('word').lower()}", body + ": 0")[:-3]
    return len([m for m in find_labels(body) if not m.is_column]) == 1


def _value_only(text: str) -> bool:
    """A line that is only a value ('1.012 kr./m²', '81 (2024: 85)', '- 17,2 %', '(318) t.kr.'), not a year."""
    body = _BULLET_RE.sub("", text).strip()
    quantities = find_quantities(body)
    if not quantities or quantities[0].is_year_like or quantities[0].start > 3:
        return False
    rest = re.sub(r"\((?:[^()]*\d[^()]*)\)", " ", body[quantities[0].end:])  # '(2024: 85)': last year in brackets
    return not re.search(r"[A-Za-zÆØÅæøå]{2,}", _UNIT_WORDS_RE.sub(" ", rest))


def _year_cells(row: str, values: list[Quantity], state: TableState) -> list[Quantity]:
    """The values of a row under year columns, with its empty cells kept in their places (as placeholders that
    are not read)."""
    years = state.year_columns or []
    if "|" in row and len(values) < len(years):
        values = _by_cell(row, values, len(years) + (state.change_column or state.target_column))
    if len(values) == len(years) - 1 and re.match(r"[-–—]\s", values[0].text):
        # '- 300 1.420' under three year columns: the dash is an empty cell, not a minus
        first = values[0]
        values[0] = Quantity(abs(first.value), first.unit, first.text.lstrip("-–— "), first.start, first.end,
                             decimals=first.decimals)
        values.insert(0, Quantity(0.0, "", "-", first.start, first.start + 1, in_range=True))
    return values


def _by_cell(row: str, values: list[Quantity], count: int) -> list[Quantity]:
    """The values of a row whose cells are marked, one per cell after the label's, with an empty cell ('-', '–',
    blank) kept in its place ('Restancer | 1.180 | 1.512 | -' under 'R2024 | R2025 | B2026'); the values unchanged
    when a cell holds anything else or the cells are not as many as the columns."""
    cells, pos, out = [], 0, []
    for cell in row.split("|"):
        cells.append((pos, pos + len(cell), cell))
        pos += len(cell) + 1
    cells = cells[1:]
    if len(cells) != count and not (len(cells) > count and all(not c.strip() for _, _, c in cells[count:])):
        return values
    for start, end, cell in cells[:count]:
        inside = [q for q in values if start <= q.start < end]
        if len(inside) == 1:
            out.append(inside[0])
        elif not inside and re.fullmatch(r"\s*[-–—]?\s*", cell):
            out.append(Quantity(0.0, "", cell.strip() or "-", start, end, in_range=True))  # kept out below
        else:
            return values
    return out


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
    ex = _Extractor(doc, identity.regnskabsaar, identity.organisation)
    ex.run(turn_year_rows(lines))  # a table with a row per year is read as one with a column per year
    ex.apply_changes()
    figures = _dedupe(ex.figures)
    comments, wishes, everything = passages(lines)
    result = ReportExtraction(
        identity=identity, figures=figures, previous_in_report=sorted(_dedupe(ex.previous), key=lambda f: f.year or 0),  # the latest earlier year last
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
