"""Evaluate every checklist item by code: OK / følg op / mangler data, with figures and a Danish reason.

1. An item at afdeling level is evaluated for every afdeling with figures, and for the organisation when
   the report gives the item's figures for the organisation as a whole (a report without afdelinger).
2. A derived figure is computed from two figures, which may themselves be derived (savings in total =
   savings per home × homes; their share of the planned works).
3. A threshold may be another figure of the report (the board's own minimum, the organisation's own
   savings target); an afdeling without its own takes the organisation's.
4. 'mangler data' means the report does not state the figure: the reason says what is missing and where a
   report normally states it. An optional item (a check across figures) is left out when its figures are absent.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from service.agreements.agreement import Agreement
from service.review.check_results import _OPS, _STATUS_ORDER, FOLLOW_UP, MISSING, OK, CheckResult, FigureRef, Finding
from service.review.check_texts import RuleTexts, _basis_label, _merge_missing, _page_text, change_text
from service.review.checklist import Checklist, Item, Reference, Rule
from service.review.labels import FIGURE_BY_NAME
from service.review.last_year import LastYear, LastYearFigure, afdeling_key
from service.review.model import Figure, ReportExtraction
from service.review.numbers import format_number, format_quantity
from service.review.statement_checks import StatementChecks

__all__ = ["FOLLOW_UP", "MISSING", "OK", "CheckResult", "Evaluator", "FigureRef", "Finding", "change_text",
           "run_checks"]

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


class Evaluator(RuleTexts, StatementChecks):
    """Runs the checklist on one extraction (plus last year's figures)."""

    def __init__(self, checklist: Checklist, current: ReportExtraction, previous: ReportExtraction | None,
                 agreements: Sequence[Agreement] = ()) -> None:
        self.checklist = checklist
        self.agreements = list(agreements)  # the organisation's agreements in force (for what they say is due)
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
            num = self.figure(derived.numerator, afd)
            den = self.figure(derived.denominator, afd)
            if num is None or den is None or (derived.operation == "ratio" and den[0] == 0):
                return None
            product = derived.operation == "product"
            value = round((num[0] * den[0] if product else num[0] / den[0]) * derived.scale, 4)
            parts = [format_quantity(num[0], self.unit_of(derived.numerator)),
                     format_quantity(den[0], self.unit_of(derived.denominator))]
            joint = " × " if product else (" af " if derived.scale == 100 else " / ")
            display = f"{format_quantity(value, derived.unit)} ({joint.join(parts)})"
            sign = "×" if product else "/"
            refs = [*num[1], *den[1],
                    FigureRef(name, derived.label, value, derived.unit, display, None, "beregnet",
                              f"beregnet af almen: {format_number(num[0])} {sign} {format_number(den[0])}"
                              + (f" × {format_number(derived.scale)}" if derived.scale != 1 else ""))]
            return value, _unique(refs), display
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
            if self._stated_for_organisation(rule):
                targets.append((None, None))
        else:
            targets = [(None, None)]
        findings: list[Finding] = []
        if rule.type == "statement_vs_figures":
            findings = [self._statement(item)]
        elif rule.type == "statement_due":
            findings = self._due(item)
        elif rule.type == "statement_present":
            findings = self._present(item)
        else:
            for key, label in targets:
                if rule.type == "threshold":
                    findings.append(self._threshold(rule, key, label))
                elif rule.type == "reference_level":
                    findings.append(self._reference(rule, key, label))
                else:
                    findings.append(self._change(rule, key, label))
        if rule.type in ("threshold", "reference_level") and rule.statement_terms:
            # the fact in words, without the figure ('Dispositionsfonden har dækket tab i afd. 1', 'Afd. 2 er rød')
            flagged = {f.afdeling for f in findings if f.status == FOLLOW_UP}
            stated = [f for f in self._stated(item) if f.afdeling not in flagged]
            if stated:
                findings = [f for f in findings if f.status != MISSING or f.afdeling is not None] + stated
                findings = [f for f in findings if not (f.status == MISSING and f.afdeling in
                                                         {s.afdeling for s in stated})]
        if not findings:
            findings = [Finding(None, MISSING, f"Rapporten oplyser ikke {self.label_of(rule.figure).lower()} for "
                                               f"afdelingerne eller for organisationen.{self._where(rule.figure)}")]
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

    def _stated_for_organisation(self, rule: Rule) -> bool:
        """True when the report gives an afdeling-level rule's figures for the organisation as a whole."""
        if not rule.figure:
            return False
        return self.figure(rule.figure, None) is not None and (
            rule.type != "change_vs_last_year" or self.last_year.get(rule.figure, None) is not None
            or not self.afdeling_keys())

    def _where(self, name: str) -> str:
        """'; det står normalt i ...' for a figure (a derived one: for its parts)."""
        derived = self.checklist.derived.get(name)
        ft = FIGURE_BY_NAME.get(derived.numerator if derived else name)
        return f" Det står normalt {ft.where}." if ft and ft.where else ""

    def _missing(self, rule: Rule, label: str | None, what: str | None = None, name: str | None = None) -> Finding:
        text = what or self.label_of(rule.figure)
        where = f" for {label}" if label else ""
        return Finding(label, MISSING, f"Rapporten oplyser ikke {text.lower()}{where}.{self._where(name or rule.figure)}")

    def _base_figures(self, name: str, afd: int | str | None) -> list[Figure]:
        """The figures of the report a figure or derived figure is computed from."""
        derived = self.checklist.derived.get(name)
        if derived is None:
            f = self._get(name, afd)
            return [f] if f is not None else []
        return self._base_figures(derived.numerator, afd) + self._base_figures(derived.denominator, afd)

    def _threshold(self, rule: Rule, key: int | str | None, label: str | None) -> Finding:
        got = self.figure(rule.figure, key)
        if got is None:
            return self._missing(rule, label)
        value, refs, display = got
        if rule.unless_terms:
            sources = " ".join(f.source for f in self._base_figures(rule.figure, key)).lower()
            said = next((t for t in rule.unless_terms if t.lower() in sources), None)
            if said:
                who = f"{label}: " if label else ""
                return Finding(label, OK, f"{who}{self.label_of(rule.figure)} er {display}, men rapporten nævner "
                                          f"'{said}' ved tallet, så reglen gælder ikke.", refs, value)
        if rule.value_figure:
            limit_fig = self.figure(rule.value_figure, key) or self.figure(rule.value_figure, None)
            if limit_fig is None:
                return self._missing(rule, label, self.label_of(rule.value_figure), rule.value_figure)
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
            where = "" if self.has_previous_report else (
                "; rapporten oplyser det ikke (fx i en kolonne for sidste år eller som 'mod ... sidste år'), og "
                "der er ikke fundet en styringsrapport for sidste år")
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

def _unique(refs: list[FigureRef]) -> list[FigureRef]:
    seen: set[tuple[str, float, str]] = set()
    out = []
    for r in refs:
        key = (r.figure_type, r.value, r.which)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def run_checks(checklist: Checklist, current: ReportExtraction, previous: ReportExtraction | None,
               agreements: Sequence[Agreement] = ()) -> list[CheckResult]:
    """Evaluate every item; results sorted with 'følg op' first, then by severity. An optional item whose
    figures the report does not state is left out. ``agreements``: the organisation's agreements in force."""
    ev = Evaluator(checklist, current, previous, agreements)
    results = [r for item in checklist.items
               if not ((r := ev.evaluate(item)).status == MISSING and item.optional)]
    severity = {"høj": 0, "middel": 1, "lav": 2}
    order = {id(r): i for i, r in enumerate(results)}
    return sorted(results, key=lambda r: (_STATUS_ORDER[r.status], severity[r.item.severity], order[id(r)]))
