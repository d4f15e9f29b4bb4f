"""How the figure reader reads running text: a value near its label, a count before it, a value before its
label, last year's value in the same sentence, a stated change, a figure restated in another unit, and the
sentence rules of service.review.prose. Mixed into the reader (service.review.extract), which owns the
figures, the afdelinger and ``add``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from service.domain.afdelinger import AfdelingMention, AfdelingRegistry
from service.review.labels import FIGURE_BY_NAME, FigureType, LabelMatch, boligtype_in, plausible
from service.review.model import Figure
from service.review.numbers import Quantity, apply_scale, format_number
from service.review.prose import (
    change_after,
    counts,
    covered_by_dispositionsfond,
    floor_per_unit,
    planned_works,
    previous_after,
    result_stated,
    savings_target,
    signed,
    stated_change,
)
from service.review.report_lines import ReportLine
from service.review.tables import unit_hint

# Words right before a number that make it a comparison, threshold or change rather than the figure.
_SKIP_BEFORE_RE = re.compile(
    r"(?:\bunder|\bover|\bmindst|\bhøjst|\bmod|\bend|(?<!\bi\s)gennemsnit(?:tet)?(?:\s+på)?|landsniveau(?:et)?(?:\s+på)?"
    r"|\b(?:steget|faldet|steg|faldt|øget|reduceret|stigning|fald|forøgelse|ændring)\s+(?:med|på)"
    r"|\bmed\s+op\s+til|\bop\s+til|\bgrænse(?:n)?(?:\s+på)?|\bmål(?:et)?(?:\s+på)?|\bsidste\s+år|\båret\s+før"
    r"|\bi\s+forhold\s+til|\bsammenlignet\s+med|\bbudget(?:teret)?"
    # 'dispositionsfonden har dækket 0,41 mio. kr.': what a fund paid out, not its size
    r"|\b(?:dækket|dækkede|betalt|betalte|afholdt|brugt|anvendt|udbetalt))\s*(?:ca\.\s*)?$",
    re.IGNORECASE,
)
# 'fonden har dækket tab ved lejeledighed på 742 t.kr.': a label after a verb of covering names what was covered
COVERING_VERB_RE = re.compile(r"\b(?:dækket|dækker|dækkede|betalt|afholdt)\s+(?:\w+\s+)?$", re.IGNORECASE)
_CLAUSE_END_RE = re.compile(r",\s|;|\s\bmod\b|\bsammenlignet med\b|\bi forhold til\b|\bmens\b")
_MAX_PROSE_GAP = 9  # words between a label and its value in running text
# '..., eller 10.490 kr. pr. lejemålsenhed'; also after a label that follows its value ('2,9 mio. kr. disponible,
# hvilket svarer til 6.730 kr. pr. lejemålsenhed')
_RESTATE_CUE = (r"^[\s,]*(?:[a-zæøå]+\s*,\s*)?(?:eller|svarende\s+til|dvs\.?|(?:hvilket|som|det)\s+svarer\s+til|altså)"
                r"\s*$")
_RESTATE_START = r"^\s*(?:det|dette|hvilket)\s+(?:svarer\s+til|giver|er)\b"


class ProseReader:
    """Running-text rules of the figure reader (a mixin; see the module docstring)."""

    if TYPE_CHECKING:
        regnskabsaar: int | None
        registry: AfdelingRegistry
        figures: list[Figure]
        previous: list[Figure]
        changes: list[tuple[str, AfdelingMention | None, tuple[float, str], ReportLine]]
        last_figure: tuple[Figure, FigureType] | None

        def add(self, ft: FigureType, q_value: float, q_unit: str, hint: str, *, line: ReportLine, text: str, label: str,
                method: str, mention: AfdelingMention | None, year: int | None = None,
                boligtype: str | None = None) -> Figure | None: ...

    def add_previous(self, fig: Figure, q: Quantity, line: ReportLine, *, label: str = "") -> None:
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

    def add_change(self, fig: Figure, change: tuple[float, str], line: ReportLine) -> None:
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

    def _prose(self, line: ReportLine, ft: FigureType, sentence: str, lab: LabelMatch, end: int,
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
        picked = signed(sentence, picked)
        hint = hint or unit_hint(sentence[lab.start:picked.start])
        btype = boligtype_in(sentence[max(0, lab.start - 40):picked.start])
        fig = self.add(ft, picked.value, picked.unit, hint, line=line, text=picked.text,
                       label=sentence[lab.start:lab.end], method="tekst", mention=mention, boligtype=btype)
        if fig is not None:
            self._previous(fig, sentence, picked, quantities, line, start_value)
            self.last_figure = (fig, ft)
            self._restated(line, ft, sentence, picked, quantities, mention)

    def _restated(self, line: ReportLine, ft: FigureType, sentence: str, after: Quantity | None, quantities: list[Quantity],
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

    def _previous(self, fig: Figure, sentence: str, chosen: Quantity, quantities: list[Quantity], line: ReportLine,
                  start_value: Quantity | None = None) -> None:
        """Last year's value stated with a figure: 'fra X til Y', 'Y mod X sidste år', 'Y (2024: X)'."""
        if start_value is None:
            start_value = _from_value(quantities, chosen, sentence)
        q = start_value or previous_after(sentence, chosen.end)
        if q is None and start_value is None:
            delta = change_after(sentence, chosen.end)
            if delta is not None:  # '0,46 mio. kr., hvilket er 0,08 mio. kr. mere end året før'
                self.add_change(fig, delta, line)
                return
        if q is None and re.search(r"\btil\s*$", sentence[:chosen.start]):
            change = stated_change(sentence[:chosen.start], max(0, chosen.start - 60))
            if change is not None:  # 'steg med 2,1 procent til 945 kr.': last year follows from the change
                self.add_change(fig, change, line)
                return
        if q is not None:
            if q.unit == "" and chosen.unit and chosen.unit != "kr":
                q = Quantity(q.value, chosen.unit, q.text, q.start, q.end)
            self.add_previous(fig, apply_scale(q, "mio" if "mio" in chosen.text and q.unit == "" else None), line)

    # -- rules that read figures from sentences (service.review.prose) --------------------------

    def sentence_rules(self, line: ReportLine, sentence: str, mentions: list[AfdelingMention],
                       carry: AfdelingMention | None) -> None:
        found = counts(sentence)
        for rule in (covered_by_dispositionsfond, savings_target, result_stated, planned_works, floor_per_unit):
            hit = rule(sentence)
            if hit is not None:
                found.append(hit)
        for f in found:
            before = [m for m in mentions if m.end <= f.start]
            after = [m for m in mentions if m.start >= f.end and m.start - f.end < 60
                     # '158 boliger: ... i Nordlunden' lists; '348 boliger, og ... men i Folebakken' is another clause
                     and not re.search(r"[:;]|,\s*(?:og|men|mens|samt|så|da|hvor)\b", sentence[f.end:m.start])]
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

    def _count_before(self, line: ReportLine, ft: FigureType, sentence: str, lab: LabelMatch, label_text: str,
                      mention: AfdelingMention | None, method: str) -> bool:
        """'der var 7 ledige boliger': a count right before its label; True when one was added."""
        window = sentence[max(0, lab.start - 30):lab.start]
        part = _PART_OF_RE.search(window)
        if part:  # '4 af de 36 boliger tomme': 4 are counted, 36 is how many there are
            self.add(FIGURE_BY_NAME["antal_boliger"], float(part.group("whole")), "antal", "", line=line,
                     text=part.group("whole"), label="boliger", method=method, mention=mention)
            fig = self.add(ft, float(part.group("n")), "antal", "", line=line, text=part.group("n"), label=label_text,
                           method=method, mention=mention)
            self._previous_after_count(fig, sentence, lab.end, line)
            return fig is not None
        # '7 ledige boliger', '5 boliger fra ventelisten', '5 udlejet efter fleksible kriterier'
        m = re.search(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})*|\d{1,6})\s+(?:[a-zæøå]+\s+|(?:(?:boliger|lejemål|lejligheder)\s+)?"
                      r"(?:(?:udlejet|genudlejet|lejet\s+ud|anvist)\s+)?(?:fra|efter|ved|via|gennem)\s+)?$", window)
        if not m:  # '14 boliger i afd. 3 blev udlejet efter reglerne om kombineret udlejning': the clause's count
            # the last coordinated part: '8 efter fleksible kriterier og 6 efter reglerne om kombineret udlejning'
            clause = re.split(r"[,;:]\s*(?:og\s+|samt\s+)?|\s(?:og|samt)\s+(?=\d)", sentence[:lab.start])[-1]
            window = clause
            m = re.match(r"\s*(\d{1,3}(?:\.\d{3})*|\d{1,6})\s+(?:boliger|lejemål|lejligheder)?\b(?=.{0,90}$)", clause)
            if not m and ft.name.startswith("udlejning"):  # 'I 2025 blev 44 boliger lejet ud fra ventelisten': the
                # clause's one count of homes is the lettings the label names
                homes = list(re.finditer(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})*|\d{1,4})\s+(?:boliger|lejemål|lejligheder)\b",
                                         clause))
                m = homes[0] if len(homes) == 1 else None
            if m and len(re.findall(r"[\wæøå]+", clause)) > 14:
                m = None
        if not m or re.match(r"\s*(?:19|20)\d\d\s", window[m.start():] + " ") and len(m.group(1)) == 4:
            return False
        words_before = window[:m.start()]
        if _SKIP_BEFORE_RE.search(words_before) or re.search(r"(?:afd\.|§|stk\.|nr\.|pr\.)\s*$", words_before,
                                                              re.IGNORECASE):
            return False
        value = float(m.group(1).replace(".", ""))
        fig = self.add(ft, value, "antal", "", line=line, text=m.group(1), label=label_text, method=method,
                       mention=mention)
        self._previous_after_count(fig, sentence, lab.end, line)
        return fig is not None

    def _previous_after_count(self, fig: Figure | None, sentence: str, end: int, line: ReportLine) -> None:
        """'stod 3 boliger tomme, mens der året før var 0 ledige': last year's count after the counted words."""
        q = previous_after(sentence, end) if fig is not None else None
        if fig is not None and q is not None:
            self.add_previous(fig, q, line)


_PART_OF_RE = re.compile(r"(?<![\d.,])(?P<n>\d{1,4})\s+af\s+(?:de|vores|afdelingens)\s+(?P<whole>\d{1,4})\s+$")


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
    # '4,62 mio. kr. er disponible' (after 'hvoraf'): a copula may stand between the value and its label
    before = [q for q in quantities if q.end <= lab.start and not q.in_range and (
        lab.start - q.end <= 3 or re.fullmatch(r"\s+(?:er|var|blev)\s+", sentence[q.end:lab.start]))]
    if (before and before[-1].unit in ("kr", "%", "kr/m2", "kr/bolig", "kr/lejemålsenhed")
            and not _SKIP_BEFORE_RE.search(sentence[max(0, before[-1].start - 40):before[-1].start])):
        return before[-1]
    return None


def _end_of_phrase(sentence: str, pos: int) -> int:
    """The end of the words right after a count ('6 boliger tomme| mod 2 året før')."""
    m = re.match(r"\s+(?:af\s+(?:de|vores|afdelingens)\s+\d+\s+)?(?:[a-zæøå]+\s+){0,3}?(?=mod\b|\()", sentence[pos:])
    return pos + (m.end() if m else 0)
