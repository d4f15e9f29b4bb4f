"""What a review produces: the Review (figures, checks, agreement follow-up, summary, note) and its citations.

The note itself is built by service.review.note from a Review; this module only holds the result, so
the note can import the result without the result importing the note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.review.check_results import FOLLOW_UP, CheckResult
from service.review.checklist import Checklist
from service.review.followup import FollowUp
from service.review.model import ReportExtraction
from service.review.note_blocks import Note, render_markdown
from service.review.note_docx import render_docx


@dataclass
class RuleCitation:
    """A knowledge-base passage cited as the rule or guidance behind a flagged item."""

    label: str
    chunk_id: str
    kind: str
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class Review:
    """The result of reviewing one styringsrapport."""

    report: ReportExtraction
    checks: list[CheckResult]
    checklist: Checklist
    previous: ReportExtraction | None = None
    previous_origin: str | None = None
    referat_title: str | None = None
    referat_source_id: str | None = None
    followups: list[FollowUp] = field(default_factory=list)
    citations: dict[str, list[RuleCitation]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    created: dt.date = field(default_factory=dt.date.today)
    seconds: float = 0.0
    review_id: str | None = None
    summary: str = ""  # short Danish summary of the findings (service.review.note.summary_text)
    detected: list[str] = field(default_factory=list)  # 'organisation', 'year': read from the report, not given
    note: Note | None = None  # the forberedelsesnotat as blocks (service.review.note.build_note)

    @property
    def organisation(self) -> str | None:
        return self.report.identity.organisation

    @property
    def year(self) -> int | None:
        return self.report.identity.styringsaar

    @property
    def flagged(self) -> list[CheckResult]:
        return [c for c in self.checks if c.status == FOLLOW_UP]

    @property
    def markdown(self) -> str:
        """The forberedelsesnotat in Markdown."""
        return render_markdown(self._note())

    def _note(self) -> Note:
        if self.note is None:
            raise ValueError("The review has no note yet: review_report builds it.")
        return self.note

    def write_markdown(self, path: Path) -> Path:
        """Write the note as Markdown (UTF-8)."""
        path = Path(path)
        path.write_text(self.markdown, encoding="utf-8")
        return path

    def write_docx(self, path: Path) -> Path:
        """Write the note as a Word document with real headings and tables."""
        path = Path(path)
        render_docx(self._note(), path)
        return path

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready findings (figures, checks, agreements, summary)."""
        ident = self.report.identity
        return {
            "review_id": self.review_id,
            "organisation": ident.organisation,
            "year": ident.styringsaar,
            "regnskabsaar": ident.regnskabsaar,
            "municipality": ident.municipality,
            "title": ident.title,
            "pages": ident.pages,
            "detected": {"organisation": ident.organisation, "year": ident.styringsaar, "fields": list(self.detected)},
            "checklist_version": self.checklist.version,
            "figures": [f.to_dict() for f in self.report.figures],
            "previous_figures": [f.to_dict() for f in (self.previous.figures if self.previous else [])],
            "previous_origin": self.previous_origin,
            "checks": [c.to_dict() | {"citations": [x.to_dict() for x in self.citations.get(c.item.id, [])]}
                       for c in self.checks],
            "agreements": [f.to_dict() for f in self.followups],
            "referat": self.referat_title,
            "wishes": [p.text for p in self.report.wishes],
            "summary": self.summary,
            "warnings": self.warnings,
            "seconds": round(self.seconds, 3),
        }
