"""Ground truth for the sample documents: planted figures, agreements, warnings, provisions.

Units of PlantedFigure.value: 'kr', 'kr/m2' (per year), 'kr/bolig', 'kr/lejemålsenhed',
'%', 'antal' and 'bool' (1.0 = ja, 0.0 = nej). Pages are 1-based PDF pages; None for
DOCX and HTML files, which have no fixed pages.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class PlantedFigure:
    """A key figure printed in a styringsrapport."""

    figure_type: str
    afdeling: str | None  # 'Afd. 3 Fjordparken', None at organisation level
    value: float
    unit: str
    text: str  # exactly as printed, e.g. '14,8' or '0,9 mio. kr.'
    page: int | None
    context: str  # the row label printed on the same line (table row) as the value
    section: str  # heading of the section the figure is in
    regnskabsaar: int  # the report's regnskabsår, or the year before for comparison columns


@dataclass
class PlantedAgreement:
    """A numbered agreement (aftale) in a dialogmøde-referat."""

    number: int
    text: str
    type: str  # kommunal_anvisning, aftalt_anvisning, fleksibel_udlejning, helhedsplan, aeldreboliger, tilsyn_opfoelgning
    organisation: str
    afdeling: str | None
    deadline: str | None  # ISO date; None for 'løbende'
    deadline_text: str
    responsible: str
    page: int | None


@dataclass
class StatusStatement:
    """What a styringsrapport says about an agreement from last year's referat."""

    agreement_number: int
    referat: str  # manifest path of the referat
    status: str  # opfyldt, i_gang, ikke_opfyldt, ikke_naevnt
    text: str | None
    page: int | None


@dataclass
class Clause:
    """A numbered clause of an agreement document, or a provision of the fictional act."""

    number: str  # '4' for clauses; canonical id such as 'proeveboligloven:§4a:stk2' for acts
    label: str  # '4. Kommunal anvisning' or 'prøveboligloven § 4 a, stk. 2'
    text: str  # the opening words as printed (whitespace-normalised)
    page: int | None
    chapter: str | None = None


@dataclass
class WarningSign:
    """A deliberately planted warning sign that a review should find."""

    org: str
    styringsaar: int
    afdeling: str | None
    figure_type: str
    value: float | None
    previous_value: float | None
    reason: str


@dataclass
class AfdelingInfo:
    """Identity of an afdeling as printed in a styringsrapport."""

    label: str  # 'Afd. 3 Fjordparken'
    boligtype: str  # Familieboliger, Ungdomsboliger, Ældreboliger
    opfoert: int
    boliger: int


@dataclass
class SampleFile:
    """One generated file and what it contains."""

    path: str  # relative to the samples directory
    kind: str  # styringsrapport, referat, aftale, lov
    fmt: str  # pdf, docx, html
    title: str
    organisation: str | None
    municipality: str
    year: int  # styringsår for reports, meeting year for referater, start year for aftaler
    regnskabsaar: int | None = None
    date: str | None = None  # ISO date of meeting / signature / act
    pages: int | None = None
    figures: list[PlantedFigure] = field(default_factory=list)
    agreements: list[PlantedAgreement] = field(default_factory=list)
    status_statements: list[StatusStatement] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    afdelinger: list[AfdelingInfo] = field(default_factory=list)


@dataclass
class Manifest:
    """All generated sample files plus the planted warning signs."""

    municipality: str
    notice: str
    files: list[SampleFile]
    warning_signs: list[WarningSign]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=False) + "\n"

    def file(self, path: str) -> SampleFile:
        """Return the entry for a manifest path; KeyError if unknown."""
        for entry in self.files:
            if entry.path == path:
                return entry
        raise KeyError(path)

    def files_of(self, kind: str, organisation: str | None = None) -> list[SampleFile]:
        """Entries of one kind, optionally for one organisation."""
        return [f for f in self.files if f.kind == kind and (organisation is None or f.organisation == organisation)]


_NESTED = ("figures", "agreements", "status_statements", "clauses", "afdelinger")


def manifest_from_dict(data: dict[str, Any]) -> Manifest:
    """Rebuild a Manifest from its JSON form."""
    files = [
        SampleFile(
            **{k: v for k, v in f.items() if k not in _NESTED},
            figures=[PlantedFigure(**x) for x in f["figures"]],
            agreements=[PlantedAgreement(**x) for x in f["agreements"]],
            status_statements=[StatusStatement(**x) for x in f["status_statements"]],
            clauses=[Clause(**x) for x in f["clauses"]],
            afdelinger=[AfdelingInfo(**x) for x in f.get("afdelinger", [])],
        )
        for f in data["files"]
    ]
    return Manifest(
        municipality=data["municipality"],
        notice=data["notice"],
        files=files,
        warning_signs=[WarningSign(**w) for w in data["warning_signs"]],
    )


def load_manifest(path: Path) -> Manifest:
    """Read knowledge/samples/manifest.json (or another generated manifest)."""
    return manifest_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
