"""Which organisation and which year a document is about, read from the document when the user did not say.

One place (in the review package, which may read both agreements and reports) for uploads (the page, ``POST /api/documents``) and reviews: a styringsrapport by its identity
(service.review.identity: organisation, styringsår), any other document by the rules the agreement register
uses (service.agreements.parties for the organisation from title, headings and party lines;
service.agreements.dating for the meeting's or the signature's date). Nothing is guessed beyond that: a value
not found stays None, and the caller shows what was found so the user can correct it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders import load_file
from knowledge.types import LoadedDocument
from service.agreements.dating import document_date
from service.agreements.parties import read_parties
from service.agreements.units import units_from_document
from service.review.identity import find_identity

REPORT_KINDS = frozenset({"styringsrapport"})


@dataclass(frozen=True)
class DetectedIdentity:
    """Organisation and year found in a document (None when not found)."""

    organisation: str | None = None
    year: int | None = None

    def to_dict(self) -> dict[str, str | int | None]:
        return {"organisation": self.organisation, "year": self.year}


def identity_of(doc: LoadedDocument, kind: str | None = None) -> DetectedIdentity:
    """The organisation and year of a loaded document (a report's styringsår, else the document's date)."""
    report = find_identity(doc)
    if kind in REPORT_KINDS or (kind is None and report.styringsaar and report.organisation):
        return DetectedIdentity(report.organisation, report.styringsaar)
    units = units_from_document(doc)
    parties = read_parties(doc.title, [u.text for u in units])
    dated = document_date(units, records_meeting=kind in (None, "referat", "notat"))
    return DetectedIdentity(parties.organisation, int(dated[:4]) if dated else None)


def detect_identity(path: Path, kind: str | None, *, max_bytes: int) -> DetectedIdentity:
    """Load a file and read its organisation and year; an unreadable file gives an empty identity (the caller's
    ingest reports why it cannot be read)."""
    try:
        doc = load_file(path, max_bytes=max_bytes)
    except IngestError:
        return DetectedIdentity()
    return identity_of(doc, kind)
