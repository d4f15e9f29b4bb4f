"""The versioned checklist (checklist.yaml): loading and validation."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from knowledge.legal import ACTS, parse_canonical_id
from service.review.errors import ChecklistError
from service.review.labels import FIGURE_BY_NAME

CHECKLIST_PATH = Path(__file__).with_name("checklist.yaml")
RuleType = Literal["threshold", "reference_level", "change_vs_last_year", "statement_vs_figures", "statement_due",
                   "statement_present"]


class Reference(BaseModel):
    """A reference level with its source and year."""

    model_config = ConfigDict(extra="forbid")
    label: str
    value: float
    unit: str
    year: int
    source: str


class Derived(BaseModel):
    """A figure computed by code from two figures: numerator / denominator × scale, or their product.

    Either may itself be derived (savings in total = savings per home × homes; cover = savings / works)."""

    model_config = ConfigDict(extra="forbid")
    label: str
    numerator: str
    denominator: str
    scale: float = 1.0
    unit: str
    operation: Literal["ratio", "product"] = "ratio"


class Rule(BaseModel):
    """How an item is evaluated; which fields matter depends on the type."""

    model_config = ConfigDict(extra="forbid")
    type: RuleType
    figure: str = ""  # not needed for statement_due
    op: Literal["<", "<=", ">", ">=", "=="] | None = None
    value: float | None = None
    value_figure: str | None = None
    unit: str | None = None
    factor: float = 1.0
    reference: str | None = None
    reference_by_boligtype: dict[str, str] | None = None
    direction: Literal["increase", "decrease"] | None = None
    min_pct: float | None = None
    min_abs: float | None = None
    min_value: float | None = None
    statement_terms: list[str] = Field(default_factory=list)
    positive_terms: list[str] = Field(default_factory=list)
    subject_terms: list[str] = Field(default_factory=list)  # statement_due: what is due ('aftale', 'ordning')
    done_terms: list[str] = Field(default_factory=list)  # statement_due: words saying it is done
    unless_terms: list[str] = Field(default_factory=list)  # words beside a figure that make the rule not apply

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        if self.type == "threshold" and (self.op is None or (self.value is None and self.value_figure is None)):
            raise ValueError("threshold kræver op og value eller value_figure")
        if self.type == "reference_level" and (self.op is None or not (self.reference or self.reference_by_boligtype)):
            raise ValueError("reference_level kræver op og reference eller reference_by_boligtype")
        if self.type == "change_vs_last_year" and (self.direction is None or (self.min_pct is None and self.min_abs is None)):
            raise ValueError("change_vs_last_year kræver direction og min_pct eller min_abs")
        if self.type == "statement_vs_figures" and not (self.statement_terms and self.positive_terms and self.op):
            raise ValueError("statement_vs_figures kræver statement_terms, positive_terms og op")
        if self.type in ("statement_due", "statement_present") and not (self.statement_terms and self.subject_terms):
            raise ValueError(f"{self.type} kræver statement_terms og subject_terms")
        if self.type not in ("statement_due", "statement_present") and not self.figure:
            raise ValueError(f"{self.type} kræver figure")
        return self


class Item(BaseModel):
    """One checklist item."""

    model_config = ConfigDict(extra="forbid")
    id: str
    topic: str
    question: str
    basis: list[str]
    figures: list[str]
    level: Literal["afdeling", "organisation"]
    rule: Rule
    severity: Literal["høj", "middel", "lav"]
    search: str
    optional: bool = False  # a check across figures many reports do not state: left out when they are absent

    def legal_basis(self) -> list[str]:
        """The canonical legal ids among the basis entries."""
        return [b for b in self.basis if is_legal_id(b)]


class Checklist(BaseModel):
    """The whole checklist: version, date, reference levels, derived figures and items."""

    model_config = ConfigDict(extra="forbid")
    version: int
    updated: str
    references: dict[str, Reference]
    derived: dict[str, Derived] = Field(default_factory=dict)
    items: list[Item]

    @model_validator(mode="after")
    def _consistent(self) -> Checklist:
        ids = [i.id for i in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError("to punkter har samme id")
        known = set(FIGURE_BY_NAME) | set(self.derived)
        for name, derived in self.derived.items():
            for part in (derived.numerator, derived.denominator):
                if part not in known or part == name:
                    raise ValueError(f"det afledte nøgletal '{name}' bruger det ukendte nøgletal '{part}'")
        for item in self.items:
            names = item.figures + [item.rule.figure] + ([item.rule.value_figure] if item.rule.value_figure else [])
            for name in [n for n in names if n]:
                if name not in known:
                    raise ValueError(f"punkt '{item.id}' bruger det ukendte nøgletal '{name}'")
            refs = [item.rule.reference] if item.rule.reference else []
            refs += list((item.rule.reference_by_boligtype or {}).values())
            for ref in refs:
                if ref != "organisation_median" and ref not in self.references:
                    raise ValueError(f"punkt '{item.id}' henviser til det ukendte referenceniveau '{ref}'")
            for basis in item.basis:
                if ":" in basis and not is_legal_id(basis):
                    raise ValueError(f"punkt '{item.id}' har en ugyldig lovhenvisning '{basis}'")
        return self


def is_legal_id(text: str) -> bool:
    """True for a canonical legal id whose act is known ('almenboligloven:§14b:stk3')."""
    if ":" not in text or " " in text:
        return False
    try:
        ref = parse_canonical_id(text)
    except Exception:
        return False
    return ref.act in ACTS


def legal_label(cid: str) -> str:
    """'almenboligloven:§14b:stk3' -> 'almenboligloven § 14 b, stk. 3'."""
    try:
        return parse_canonical_id(cid).label
    except Exception:
        return cid


def load_checklist(path: Path | None = None) -> Checklist:
    """Read and validate a checklist YAML file; ChecklistError with a Danish reason when it is invalid."""
    target = path or CHECKLIST_PATH
    if path is None:
        return _default()
    return _parse(target)


@lru_cache(maxsize=1)
def _default() -> Checklist:
    return _parse(CHECKLIST_PATH)


def _parse(path: Path) -> Checklist:
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ChecklistError(f"Tjeklisten '{path.name}' kan ikke læses: {exc}") from exc
    try:
        return Checklist.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ChecklistError(f"Tjeklisten '{path.name}' er ugyldig ({where}): {first.get('msg')}") from exc
