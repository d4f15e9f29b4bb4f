"""What a checklist item's evaluation produces: the figures it used, a finding per afdeling, the result.

Statuses: ``OK``, ``FOLLOW_UP`` ('følg op') and ``MISSING`` ('mangler data'); the comparison operators of
the rules (with their Danish words) and the order in which statuses are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from service.review.checklist import Item

OK = "OK"
FOLLOW_UP = "følg op"
MISSING = "mangler data"
_OPS: dict[str, tuple[Callable[[float, float], bool], str]] = {
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
