"""The words of the checks: how a rule reads in Danish, the one-line summary of an item, and a change.

Kept apart from the evaluation (service.review.checks) so that the arithmetic and the wording can be read
one at a time; ``RuleTexts`` is mixed into the Evaluator and uses its figure labels and units.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from service.review.check_results import _OPS, FOLLOW_UP, MISSING, OK, FigureRef, Finding
from service.review.checklist import Checklist, Item, Reference, Rule, legal_label
from service.review.numbers import format_number, format_quantity


def _ref_text(ref: Reference) -> str:
    return f"{format_quantity(ref.value, ref.unit)} ({ref.year}, {ref.source})"


class RuleTexts:
    """Danish texts of the rules (mixed into the Evaluator: label_of, unit_of and checklist come from it)."""

    if TYPE_CHECKING:
        checklist: Checklist

        def unit_of(self, name: str) -> str: ...

        def label_of(self, name: str) -> str: ...

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
        if rule.type == "statement_present":
            return (f"Følg op, når rapporten skriver om {rule.statement_terms[0]} fra {rule.subject_terms[0]} "
                    "(medmindre den skriver, at der ikke er nogen).")
        if rule.type == "statement_due":
            return (f"Følg op, når rapporten skriver, at en {rule.subject_terms[0]} skal {rule.statement_terms[0]}, "
                    "uden at skrive, at det er sket.")
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


