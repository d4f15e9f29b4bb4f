"""The agreement register's data: entries, their sources, status statements, per-document extractions.

Everything here round-trips through JSON (``to_dict`` / ``from_dict``) because the register is kept
as a derived file next to the store, tagged with the store generation it was built from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from service.agreements.agreement import AGREEMENT_TYPES, Agreement
from service.domain.organisations import same_organisation
from service.domain.status import AFTALT, OPFYLDT, is_overdue, status_label

CATEGORY_LABELS: dict[str, str] = {"aftale": "aftale", "oenske": "ønske fra organisationen"}


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


@dataclass
class SourceRef:
    """Where an agreement or a statement about it is written: document, page/section and chunk."""

    source_id: str
    title: str
    kind: str = ""
    page: int | None = None
    section: str = ""
    chunk_id: str = ""
    label: str = ""  # 'aftale 2' / 'pkt. 4 Kommunal anvisning' / 'ønske 1'
    role: str = "aftale"  # 'aftale' (the agreement itself) or 'status' (a later statement about it)
    date: str | None = None  # ISO date of the document (meeting, signature, approval) when known
    quote: str = ""

    @property
    def citation(self) -> str:
        """'Referat af dialogmøde ..., aftale 2, s. 2'."""
        parts = [self.title or self.source_id, self.label]
        if self.page:
            parts.append(f"s. {self.page}")
        elif self.section and self.section not in self.label:
            parts.append(f"afsnit '{self.section}'")
        return ", ".join(p for p in parts if p)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"citation": self.citation}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceRef:
        return cls(**_known(cls, data))


@dataclass
class StatusStatement:
    """A later document saying how far an agreement has come ('Aftale 3 er i gang: ...')."""

    text: str
    status: str  # opfyldt, i_gang, ikke_opfyldt or ukendt (service.domain.status)
    number: int | None = None
    meeting_date: str | None = None  # 'aftaler fra dialogmødet den 23. september 2025'
    meeting_year: int | None = None  # 'aftaler fra dialogmødet i 2024'
    page: int | None = None
    section: str = ""
    chunk_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StatusStatement:
        return cls(**_known(cls, data))


@dataclass
class FoundAgreement:
    """An agreement as extracted from one document, with what the register adds (category, label, period)."""

    agreement: Agreement  # its chunk_id says which stored chunk it was read from
    category: str = "aftale"  # 'aftale' or 'oenske' (a wish stated in a styringsrapport)
    label: str = ""
    valid_from: str | None = None  # agreement documents: the period the agreement runs
    valid_to: str | None = None
    duration_text: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["agreement"] = asdict(self.agreement)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FoundAgreement:
        values = _known(cls, data)
        values["agreement"] = Agreement(**_known(Agreement, data["agreement"]))
        return cls(**values)


@dataclass
class DocumentExtraction:
    """What one ingested document contributes to the register (cached by source id and content hash)."""

    source_id: str
    doc_hash: str
    title: str
    kind: str
    org: str = ""
    year: int = 0
    date: str | None = None
    organisations: list[str] = field(default_factory=list)  # every party organisation (joint agreements)
    agreements: list[FoundAgreement] = field(default_factory=list)
    statements: list[StatusStatement] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_id": self.source_id, "doc_hash": self.doc_hash, "title": self.title, "kind": self.kind,
            "org": self.org, "year": self.year, "date": self.date, "organisations": list(self.organisations),
            "agreements": [a.to_dict() for a in self.agreements],
            "statements": [s.to_dict() for s in self.statements],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentExtraction:
        values = _known(cls, data)
        values["agreements"] = [FoundAgreement.from_dict(a) for a in data.get("agreements", [])]
        values["statements"] = [StatusStatement.from_dict(s) for s in data.get("statements", [])]
        return cls(**values)

    def year_of(self) -> int | None:
        """The document's year: from its date, else from its metadata."""
        if self.date:
            return int(self.date[:4])
        return self.year or None


@dataclass
class RegisterEntry:
    """One agreement in the register, merged over every document that mentions it."""

    id: str
    text: str
    type: str
    category: str = "aftale"
    number: int | None = None
    organisation: str | None = None  # one name, or every party's name joined by '; ' (joint agreements)
    organisations: list[str] = field(default_factory=list)
    afdeling: str | None = None
    afdeling_nr: int | None = None
    department: str | None = None  # the municipality's department (forvaltning/center) when named
    responsible: str | None = None
    agreed_date: str | None = None
    deadline: str | None = None  # ISO date when unambiguous
    deadline_text: str = ""
    deadline_uncertain: bool = False
    ongoing: bool = False
    valid_from: str | None = None
    valid_to: str | None = None
    duration_text: str = ""
    status: str = AFTALT  # one of service.domain.status.REGISTER_STATUSES
    status_text: str = ""
    sources: list[SourceRef] = field(default_factory=list)
    status_sources: list[SourceRef] = field(default_factory=list)

    @property
    def type_label(self) -> str:
        return AGREEMENT_TYPES.get(self.type, self.type)

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def deadline_display(self) -> str:
        """The deadline or duration as written ('senest 31. marts 2026', '1. april 2026 - 31. marts 2029')."""
        text = self.deadline_text
        if self.deadline_uncertain and text:
            text = f"{text} (usikker dato)"
        if self.duration_text:
            text = f"{text} (aftaleperiode {self.duration_text})" if text else f"aftaleperiode {self.duration_text}"
        return text

    def names_organisation(self, name: str) -> bool:
        """True when the entry binds the organisation ``name`` (any party of a joint agreement)."""
        return any(same_organisation(o, name) for o in (self.organisations or [self.organisation or ""]))

    def is_overdue(self, today: dt.date) -> bool:
        """The deadline has passed and no later document says the agreement is met (a wish is never overdue;
        a period, 'frem til 31.12.2027', is how long it runs and never makes it overdue)."""
        return self.category == "aftale" and is_overdue(
            self.deadline, self.deadline_text, uncertain=self.deadline_uncertain, met=self.status == OPFYLDT,
            today=today)

    def to_dict(self, today: dt.date | None = None) -> dict[str, Any]:
        data = asdict(self)
        data["sources"] = [s.to_dict() for s in self.sources]
        data["status_sources"] = [s.to_dict() for s in self.status_sources]
        data["type_label"] = self.type_label
        data["status_label"] = self.status_label
        data["category_label"] = CATEGORY_LABELS.get(self.category, self.category)
        data["deadline_display"] = self.deadline_display
        if today is not None:
            data["overskredet"] = self.is_overdue(today)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RegisterEntry:
        values = _known(cls, data)
        values["sources"] = [SourceRef.from_dict(s) for s in data.get("sources", [])]
        values["status_sources"] = [SourceRef.from_dict(s) for s in data.get("status_sources", [])]
        return cls(**values)

    def to_agreement(self) -> Agreement:
        """The entry as an extract.Agreement (what the review's follow-up works on)."""
        first = self.sources[0] if self.sources else SourceRef("", "")
        return Agreement(
            text=self.text, type=self.type, number=self.number, deadline=self.deadline,
            deadline_text=self.deadline_text, deadline_uncertain=self.deadline_uncertain, ongoing=self.ongoing,
            responsible=self.responsible, department=self.department, afdeling=self.afdeling,
            afdeling_nr=self.afdeling_nr, organisation=self.organisation, organisations=list(self.organisations),
            valid_from=self.valid_from, valid_to=self.valid_to, duration_text=self.duration_text,
            agreed_date=self.agreed_date,
            status=self.status, page=first.page, section=first.section, source_id=first.source_id,
            source_title=first.title, form="register",
        )
