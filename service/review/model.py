"""Result types of a review: figures with provenance, the report's identity, check results, the review."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from service.domain.afdelinger import AfdelingInfo
from service.review.numbers import format_number, format_quantity


@dataclass
class Figure:
    """One key figure read from a report, with where it came from."""

    figure_type: str  # manifest name, e.g. 'husleje_pr_m2'
    afdeling: str | None  # 'Afd. 3 Fjordparken'; None at organisation level
    value: float
    unit: str  # 'kr', 'kr/m2', 'kr/bolig', 'kr/lejemålsenhed', '%', '‰', 'antal', 'bool'
    page: int | None
    source: str  # the line or table row the figure was read from
    text: str = ""  # the value as printed ('14,8', '19,9 mio. kr.')
    label: str = ""  # the label as printed ('Tab ved lejeledighed kr. pr. m²')
    year: int | None = None  # the column year when the table has one column per year
    boligtype: str | None = None  # for figures given per boligtype ('familieboliger')
    method: str = "tabel"  # 'tabel', 'nøgletal' (label + value) or 'tekst' (running text)
    section: str = ""
    afdeling_nr: int | None = None

    @property
    def display(self) -> str:
        """The value with its unit, in Danish, never rounded: an amount printed in millions ('0,87', '14,27 mio.
        kr.') is shown in millions with the decimals printed."""
        m = re.search(r",(\d+)", self.text)
        decimals = len(m.group(1)) if m else None
        if self.unit == "kr" and decimals:
            printed = re.search(r"\d[\d.]*,\d+", self.text)
            number = float(printed.group(0).replace(".", "").replace(",", ".")) if printed else None
            if number is not None and abs(abs(number) * 1_000_000 - abs(self.value)) < 1:
                return f"{format_number(self.value / 1_000_000, decimals)} mio. kr."
        return format_quantity(self.value, self.unit, decimals)

    @property
    def page_ref(self) -> str:
        """'s. 3' or '' when the format has no pages."""
        return f"s. {self.page}" if self.page else ""

    def key(self) -> tuple[str, int | str | None, str | None]:
        """Identity of the figure within one report (type, afdeling, boligtype)."""
        afd: int | str | None = self.afdeling_nr if self.afdeling_nr is not None else self.afdeling
        return (self.figure_type, afd, self.boligtype)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["display"] = self.display
        return data


@dataclass
class Passage:
    """A paragraph of the report's own words (comments, wishes, statements) with its page and section."""

    text: str
    page: int | None
    section: str = ""


@dataclass
class Identity:
    """Who and which year a styringsrapport is about."""

    organisation: str | None
    styringsaar: int | None
    regnskabsaar: int | None
    municipality: str | None
    title: str
    pages: int | None
    fmt: str

    def describe(self) -> str:
        """A short Danish description of what was found (for error messages)."""
        parts = [f"titel '{self.title}'" if self.title else "ingen titel"]
        if self.pages:
            parts.append(f"{self.pages} sider")
        if self.organisation:
            parts.append(f"organisation '{self.organisation}'")
        if self.styringsaar:
            parts.append(f"år {self.styringsaar}")
        return ", ".join(parts)


@dataclass
class ReportExtraction:
    """Everything read from one styringsrapport."""

    identity: Identity
    figures: list[Figure]  # this year's figures
    previous_in_report: list[Figure] = field(default_factory=list)  # last year's column of the same tables
    afdelinger: list[AfdelingInfo] = field(default_factory=list)
    comments: list[Passage] = field(default_factory=list)
    wishes: list[Passage] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)  # every paragraph, for matching statements
    warnings: list[str] = field(default_factory=list)
    path: str = ""

    def get(self, figure_type: str, afdeling_nr: int | None = None, *, afdeling: str | None = None) -> Figure | None:
        """The figure of a type for an afdeling (by number or label) or the organisation (both None)."""
        for f in self.figures:
            if f.figure_type != figure_type or f.boligtype is not None:
                continue
            if afdeling_nr is None and afdeling is None:
                if f.afdeling is None:
                    return f
            elif afdeling_nr is not None and f.afdeling_nr == afdeling_nr or afdeling is not None and f.afdeling == afdeling:
                return f
        return None

    def of_type(self, figure_type: str) -> list[Figure]:
        return [f for f in self.figures if f.figure_type == figure_type]

    def afdeling_info(self, nr: int | None) -> AfdelingInfo | None:
        return next((a for a in self.afdelinger if a.nr == nr), None)
