"""Evaluate every checklist item by code: OK / følg op / mangler data, with figures and a Danish reason."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from knowledge.sentences import split_sentences
from knowledge.text import fold
from service.review.checklist import Checklist, Item, Reference, Rule, legal_label
from service.review.labels import FIGURE_BY_NAME
from service.review.last_year import LastYear, LastYearFigure, afdeling_key
from service.review.model import Figure, ReportExtraction
from service.review.numbers import format_number, format_quantity

OK = "OK"
FOLLOW_UP = "følg op"
MISSING = "mangler data"
_OPS = {
    "<": (lambda a, b: a < b, "under"), "<=": (lambda a, b: a <= b, "højst"),
    ">": (lambda a, b: a > b, "over"), ">=": (lambda a, b: a >= b, "mindst"),
    "==": (lambda a, b: abs(a - b) < 1e-9, "lig med"),
}
_STATUS_ORDER = {FOLLOW_UP: 0, OK: 1, MISSING: 2}


@dataclass
class FigureRef:
    """A figure used by a check: what, how much, and where it was printed."""

    figure_type: str
    label: str
    value: float
    unit: str
    display: str
    page: int | None
    which: str  # 'i år', 'sidste år' or 'beregnet'
    source: str  # 'styringsrapport s. 3' / 'sidste års styringsrapport s. 3' / 'beregnet af almen'

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class Finding:
    """The outcome of one item for one afdeling (or the organisation)."""

    afdeling: str | None
    status: str
    reason: str
    figures: list[FigureRef] = field(default_factory=list)
    value: float | None = None
    threshold: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"afdeling": self.afdeling, "status": self.status, "reason": self.reason, "value": self.value,
                "threshold": self.threshold, "figures": [f.to_dict() for f in self.figures]}


@dataclass
class CheckResult:
    """One checklist item evaluated on a report."""

    item: Item
    status: str
    summary: str  # Danish, one line
    rule_text: str  # the rule and the source of its reference level
    basis_labels: list[str]
    findings: list[Finding] = field(default_factory=list)

    @property
    def flagged(self) -> list[Finding]:
        """The findings that need follow-up."""
        return [f for f in self.findings if f.status == FOLLOW_UP]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.item.id, "topic": self.item.topic, "question": self.item.question,
            "severity": self.item.severity, "status": self.status, "summary": self.summary,
            "rule": self.rule_text, "basis": self.basis_labels, "figures": self.item.figures,
            "findings": [f.to_dict() for f in self.findings],
        }


def _last_year_source(last: LastYearFigure) -> tuple[str, str]:
    """(where last year's figure is from, short source for citing its page) in Danish."""
    if not last.from_previous_report:
        return "styringsrapporten, kolonnen for sidste år", ""
    short = f"styringsrapport {last.report_year}" if last.report_year else "sidste års styringsrapport"
    return short, short


def _ref(f: Figure, which: str = "i år", where: str = "styringsrapporten") -> FigureRef:
    ft = FIGURE_BY_NAME.get(f.figure_type)
    page = f" s. {f.page}" if f.page else ""
    return FigureRef(f.figure_type, ft.label if ft else f.figure_type, f.value, f.unit, f.display, f.page, which,
                     f"{where}{page}")


def _cite(f: Figure, source: str = "") -> str:
    """'14,8 kr./m² (s. 3)', or with another report named: '9,6 kr./m² (styringsrapport 2025, s. 3)'."""
    where = ", ".join(x for x in (source, f"s. {f.page}" if f.page else "") if x)
    return f"{f.display} ({where})" if where else f.display


def _ref_text(ref: Reference) -> str:
    return f"{format_quantity(ref.value, ref.unit)} ({ref.year}, {ref.source})"


class Evaluator:
    """Runs the checklist on one extraction (plus last year's figures)."""

    def __init__(self, checklist: Checklist, current: ReportExtraction, previous: ReportExtraction | None) -> None:
        self.checklist = checklist
        self.cur = current
        self.last_year = LastYear(current, previous)
        self.has_previous_report = previous is not None

    # -- figure access --------------------------------------------------------------------
    def afdeling_keys(self) -> list[tuple[int | str, str]]:
        """(key, label) of every afdeling with figures, in report order."""
        seen: dict[int | str, str] = {}
        for f in self.cur.figures:
            if f.afdeling is not None and f.boligtype is None:
                seen.setdefault(afdeling_key(f), f.afdeling)  # type: ignore[arg-type]
        return list(seen.items())

    def figure(self, name: str, afd: int | str | None) -> tuple[float, list[FigureRef], str] | None:
        """(value, figures used, display) of a figure or derived figure for an afdeling (None = organisation)."""
        derived = self.checklist.derived.get(name)
        if derived is not None:
            num = self._get(derived.numerator, afd)
            den = self._get(derived.denominator, afd)
            if num is None or den is None or den.value == 0:
                return None
            value = round(num.value / den.value * derived.scale, 4)
            display = format_quantity(value, derived.unit)
            refs = [_ref(num), _ref(den),
                    FigureRef(name, derived.label, value, derived.unit, display, None, "beregnet",
                              f"beregnet af almen: {format_number(num.value)} / {format_number(den.value)}"
                              + (f" × {format_number(derived.scale)}" if derived.scale != 1 else ""))]
            return value, refs, display
        f = self._get(name, afd)
        if f is None:
            return None
        return f.value, [_ref(f)], _cite(f)

    def _get(self, name: str, afd: int | str | None) -> Figure | None:
        for f in self.cur.figures:
            if f.figure_type == name and f.boligtype is None and afdeling_key(f) == afd:
                return f
        return None

    def unit_of(self, name: str) -> str:
        """Unit of a figure or derived figure."""
        if name in self.checklist.derived:
            return self.checklist.derived[name].unit
        ft = FIGURE_BY_NAME.get(name)
        return ft.unit if ft else ""

    def label_of(self, name: str) -> str:
        """Danish label of a figure or derived figure."""
        if name in self.checklist.derived:
            return self.checklist.derived[name].label
        ft = FIGURE_BY_NAME.get(name)
        return ft.label if ft else name

    # -- items ------------------------------------------------------------------------------
    def evaluate(self, item: Item) -> CheckResult:
        """Evaluate one item for every afdeling (or the organisation)."""
        rule = item.rule
        targets: list[tuple[int | str | None, str | None]]
        if item.level == "afdeling":
            targets = [(k, label) for k, label in self.afdeling_keys()]
        else:
            targets = [(None, None)]
        findings: list[Finding] = []
        if rule.type == "statement_vs_figures":
            findings = [self._statement(item)]
        else:
            for key, label in targets:
                if rule.type == "threshold":
                    findings.append(self._threshold(rule, key, label))
                elif rule.type == "reference_level":
                    findings.append(self._reference(rule, key, label))
                else:
                    findings.append(self._change(rule, key, label))
        if not findings:
            findings = [Finding(None, MISSING, f"Rapporten indeholder ingen afdelinger med {self.label_of(rule.figure).lower()}.")]
        present = [f for f in findings if f.status != MISSING]
        if any(f.status == FOLLOW_UP for f in findings):
            status = FOLLOW_UP
        elif present:
            status = OK
        else:
            status = MISSING
        if status == MISSING and item.level == "afdeling":
            findings = [_merge_missing(findings)]
        return CheckResult(item=item, status=status, summary=self._summary(item, status, findings),
                           rule_text=self.describe_rule(item), basis_labels=[_basis_label(b) for b in item.basis],
                           findings=findings)

    def _missing(self, rule: Rule, label: str | None, what: str | None = None) -> Finding:
        name = what or self.label_of(rule.figure)
        where = f" for {label}" if label else ""
        return Finding(label, MISSING, f"Rapporten oplyser ikke {name.lower()}{where}.")

    def _threshold(self, rule: Rule, key: int | str | None, label: str | None) -> Finding:
        got = self.figure(rule.figure, key)
        if got is None:
            return self._missing(rule, label)
        value, refs, display = got
        if rule.value_figure:
            limit_fig = self.figure(rule.value_figure, key)
            if limit_fig is None:
                return self._missing(rule, label, self.label_of(rule.value_figure))
            limit, limit_refs, limit_display = limit_fig
            refs = refs + limit_refs
            limit_text = f"{self.label_of(rule.value_figure).lower()} {limit_display}"
        else:
            limit = float(rule.value)  # type: ignore[arg-type]
            limit_text = format_quantity(limit, rule.unit or self.unit_of(rule.figure)).rstrip(".")
        test, word = _OPS[rule.op or ">"]
        hit = test(value, limit)
        who = f"{label}: " if label else ""
        if self.unit_of(rule.figure) == "bool":
            reason = (f"{who}{self.label_of(rule.figure)}: {'ja' if value else 'nej'}"
                      + (f" ({_page_text(refs)})" if _page_text(refs) else "") + ".")
        else:
            reason = f"{who}{self.label_of(rule.figure)} er {display}"
            reason += f" – {word} {limit_text}." if hit else f" (grænse: {word} {limit_text})."
        return Finding(label, FOLLOW_UP if hit else OK, reason, refs, value, limit)

    def _reference_for(self, rule: Rule, key: int | str | None) -> tuple[float, str, Reference | None] | None:
        if rule.reference == "organisation_median":
            values = [v for k, _ in self.afdeling_keys() if (v := self.figure(rule.figure, k)) is not None]
            if len(values) < 3:
                return None
            med = statistics.median(v[0] for v in values)
            return med, f"medianen for organisationens afdelinger {format_quantity(med, self.unit_of(rule.figure))}", None
        name = rule.reference
        if rule.reference_by_boligtype:
            info = self.cur.afdeling_info(key) if isinstance(key, int) else None
            btype = info.boligtype if info else None
            name = rule.reference_by_boligtype.get(btype or "", rule.reference_by_boligtype.get("default"))
        if not name:
            return None
        ref = self.checklist.references[name]
        return ref.value, f"{ref.label.lower()} {format_quantity(ref.value, ref.unit)} ({ref.year})", ref

    def _reference(self, rule: Rule, key: int | str | None, label: str | None) -> Finding:
        got = self.figure(rule.figure, key)
        if got is None:
            return self._missing(rule, label)
        value, refs, display = got
        ref = self._reference_for(rule, key)
        if ref is None:
            return Finding(label, MISSING, f"Der er ikke noget referenceniveau for {self.label_of(rule.figure).lower()}"
                                           + (f" i {label}" if label else "") + ".", refs, value)
        ref_value, ref_text, _ = ref
        limit = round(ref_value * rule.factor, 6)
        test, word = _OPS[rule.op or ">"]
        hit = test(value, limit)
        who = f"{label}: " if label else ""
        factor = "" if rule.factor == 1 else f"{format_number(rule.factor)} × "
        unit = self.unit_of(rule.figure)
        reason = (f"{who}{self.label_of(rule.figure)} er {display} – {'' if hit else 'ikke '}{word} {factor}{ref_text}"
                  + (f" = {format_quantity(limit, unit)}" if factor else "") + ".")
        return Finding(label, FOLLOW_UP if hit else OK, reason, refs, value, limit)

    def _change(self, rule: Rule, key: int | str | None, label: str | None) -> Finding:
        got = self.figure(rule.figure, key)
        if got is None:
            return self._missing(rule, label)
        value, refs, display = got
        last = self.last_year.get(rule.figure, key)
        if last is None:
            where = "" if self.has_previous_report else " (ingen styringsrapport for sidste år fundet)"
            return Finding(label, MISSING, f"Sidste års tal for {self.label_of(rule.figure).lower()}"
                                           + (f" i {label}" if label else "") + f" mangler{where}.", refs, value)
        pf = last.figure
        where, short = _last_year_source(last)
        refs = refs + [_ref(pf, "sidste år", where)]
        delta = value - pf.value
        pct = (delta / abs(pf.value) * 100) if pf.value else None
        signed = delta if rule.direction == "increase" else -delta
        signed_pct = (pct if rule.direction == "increase" else -pct) if pct is not None else None
        ok_abs = rule.min_abs is None or signed >= rule.min_abs - 1e-9
        ok_pct = rule.min_pct is None or (signed_pct is not None and signed_pct >= rule.min_pct - 1e-9)
        ok_level = rule.min_value is None or value >= rule.min_value
        hit = signed > 0 and ok_abs and ok_pct and ok_level
        unit = self.unit_of(rule.figure)
        change = change_text(pf.value, value, unit)
        who = f"{label}: " if label else ""
        verb = "steget" if delta > 0 else "faldet" if delta < 0 else "uændret"
        reason = f"{who}{self.label_of(rule.figure)} er {verb} fra {_cite(pf, short)} til {display} ({change})."
        if not hit:
            reason = reason[:-1] + f" – under grænsen ({self._change_limit(rule)})."
        return Finding(label, FOLLOW_UP if hit else OK, reason, refs, value, None)

    def _change_limit(self, rule: Rule) -> str:
        word = "stigning" if rule.direction == "increase" else "fald"
        parts = []
        if rule.min_pct is not None:
            parts.append(f"{word} på mindst {format_number(rule.min_pct)} %")
        if rule.min_abs is not None:
            unit = self.unit_of(rule.figure)
            if unit == "%":
                amount = f"{format_number(rule.min_abs)} procentpoint"
            elif unit == "antal":
                amount = f"{format_number(rule.min_abs)} ({self.label_of(rule.figure).lower()})"
            else:
                amount = format_quantity(rule.min_abs, unit)
            parts.append(f"{word} på mindst {amount}")
        if rule.min_value is not None:
            parts.append(f"niveau på mindst {format_quantity(rule.min_value, self.unit_of(rule.figure))}")
        return " og ".join(parts)

    def _statement(self, item: Item) -> Finding:
        rule = item.rule
        statement = None
        for passage in self.cur.passages:
            for sentence in split_sentences(passage.text):
                low = fold(sentence)
                if any(fold(t) in low for t in rule.statement_terms) and any(
                        re.search(r"\b" + re.escape(fold(t)) + r"\b", low) for t in rule.positive_terms) \
                        and not re.search(r"\bikke\b|\bmangelfuld|\butilstraekkelig|\bdaarlig", low):
                    statement = (sentence.strip(), passage.page)
                    break
            if statement:
                break
        afd_values = [(label, got) for key, label in self.afdeling_keys()
                      if (got := self.figure(rule.figure, key)) is not None]
        if not afd_values:
            return self._missing(rule, None)
        ref = self._reference_for(rule, None)
        if statement is None or ref is None:
            return Finding(None, OK, "Rapporten indeholder ingen positiv vurdering af "
                                     f"{rule.statement_terms[0]}, som strider mod nøgletallene.")
        limit = ref[0] * rule.factor
        test, word = _OPS[rule.op or "<"]
        low_ones = [(label, got) for label, got in afd_values if test(got[0], limit)]
        quote, page = statement
        where = f" (s. {page})" if page else ""
        if not low_ones:
            return Finding(None, OK, f"Organisationen skriver: »{quote}«{where}; nøgletallene modsiger det ikke.")
        refs = [r for _, got in low_ones for r in got[1]]
        listed = ", ".join(f"{label} {got[2]}" for label, got in low_ones)
        factor = "" if rule.factor == 1 else f"{format_number(rule.factor)} × "
        reason = (f"Organisationen skriver: »{quote}«{where}, men {self.label_of(rule.figure).lower()} er {word} "
                  f"{factor}{ref[1]} i {listed}.")
        return Finding(None, FOLLOW_UP, reason, refs)

    # -- texts ------------------------------------------------------------------------------
    def describe_rule(self, item: Item) -> str:
        """The rule in Danish, with the source and year of its reference level."""
        rule = item.rule
        name = self.label_of(rule.figure)
        word = _OPS[rule.op][1] if rule.op else ""
        if rule.type == "threshold":
            if rule.value_figure:
                target = self.label_of(rule.value_figure).lower()
            elif self.unit_of(rule.figure) == "bool":
                target = "nej" if not rule.value else "ja"
                return f"Følg op, hvis {name.lower()} er '{target}'." + self._ref_suffix(rule)
            else:
                target = format_quantity(float(rule.value or 0), rule.unit or self.unit_of(rule.figure))
            return _end(f"Følg op, hvis {name.lower()} er {word} {target}") + self._ref_suffix(rule)
        if rule.type == "reference_level":
            factor = "" if rule.factor == 1 else f"{format_number(rule.factor)} × "
            if rule.reference == "organisation_median":
                refs = "medianen for organisationens afdelinger"
            elif rule.reference_by_boligtype:
                refs = "; ".join(
                    f"{btype if btype != 'default' else 'øvrige'}: {_ref_text(self.checklist.references[r])}"
                    for btype, r in rule.reference_by_boligtype.items())
                refs = f"niveauet for boligtypen ({refs})"
            else:
                ref = self.checklist.references[rule.reference or ""]
                refs = f"{ref.label.lower()} {_ref_text(ref)}"
            return f"Følg op, hvis {name.lower()} er {word} {factor}{refs}."
        if rule.type == "change_vs_last_year":
            return f"Følg op ved {self._change_limit(rule)} i forhold til sidste år."
        ref = self.checklist.references[rule.reference or ""]
        return (f"Følg op, hvis organisationen vurderer {rule.statement_terms[0]} positivt, mens "
                f"{name.lower()} er {word} {format_number(rule.factor)} × {ref.label.lower()} {_ref_text(ref)}.")

    def _ref_suffix(self, rule: Rule) -> str:
        if rule.reference and rule.reference in self.checklist.references:
            return f" Kilde: {_ref_text(self.checklist.references[rule.reference])}."
        return ""

    def _summary(self, item: Item, status: str, findings: list[Finding]) -> str:
        if status == FOLLOW_UP:
            flagged = [f for f in findings if f.status == FOLLOW_UP]
            names = [f.afdeling for f in flagged if f.afdeling]
            return f"{item.topic}: følg op" + (f" ({', '.join(names)})" if names else "") + "."
        if status == OK:
            return f"{item.topic}: ingen bemærkninger."
        return f"{item.topic}: mangler data – {findings[0].reason}"


def _end(text: str) -> str:
    """End a sentence with exactly one period ('... 0 kr.' stays, '... 70 %' gets one)."""
    return text if text.endswith(".") else text + "."


def _merge_missing(findings: list[Finding]) -> Finding:
    reasons = list(dict.fromkeys(re.sub(r" for Afd\..*?(?=\.|$)| i Afd\..*?(?= mangler)", "", f.reason)
                                 for f in findings))
    return Finding(None, MISSING, reasons[0] if len(reasons) == 1 else " ".join(reasons[:2]))


def _page_text(refs: list[FigureRef]) -> str:
    pages = [r.page for r in refs if r.page]
    return f"s. {pages[0]}" if pages else ""


def _basis_label(basis: str) -> str:
    return legal_label(basis) if ":" in basis and " " not in basis else basis


def change_text(old: float, new: float, unit: str) -> str:
    """'+3,7 procentpoint', '+39,2 %' or '-600.000 kr. (-40,0 %)' for a change between two years."""
    delta = new - old
    sign = "+" if delta > 0 else ""
    if unit == "%":
        return f"{sign}{format_number(round(delta, 1), 1)} procentpoint"
    if unit == "bool":
        return "uændret" if delta == 0 else ("ja → nej" if delta < 0 else "nej → ja")
    if old:
        pct = delta / abs(old) * 100
        return f"{sign}{format_number(round(pct, 1), 1)} %"
    return f"{sign}{format_quantity(delta, unit)}"


def run_checks(checklist: Checklist, current: ReportExtraction, previous: ReportExtraction | None) -> list[CheckResult]:
    """Evaluate every item; results sorted with 'følg op' first, then by severity."""
    ev = Evaluator(checklist, current, previous)
    results = [ev.evaluate(item) for item in checklist.items]
    severity = {"høj": 0, "middel": 1, "lav": 2}
    order = {id(r): i for i, r in enumerate(results)}
    return sorted(results, key=lambda r: (_STATUS_ORDER[r.status], severity[r.item.severity], order[id(r)]))
