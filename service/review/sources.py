"""Documents the review needs besides the report: last year's styringsrapport and last year's referat.

Both are found among the ingested documents of the same organisation. A stored document is read
back from its chunks (text, heading path and page metadata), so no original file is needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ingest.cpr import redact_cpr, redact_document
from ingest.loaders import load_file
from knowledge.kb import KnowledgeBase
from knowledge.store import SourceRecord
from knowledge.types import Block, Chunk, LoadedDocument
from service.domain.organisations import same_organisation
from service.review.errors import PreviousReportError
from service.review.extract import extract_report
from service.review.model import ReportExtraction

_YEAR_IN_TITLE_RE = re.compile(r"\b((?:19|20)\d\d)\b")


@dataclass
class PreviousReport:
    """Last year's report as extracted, and where it came from (Danish, for the note)."""

    extraction: ReportExtraction
    origin: str  # 'angivet af brugeren: X.pdf' / 'fundet i vidensbasen: <title>'


def doc_from_chunks(chunks: list[Chunk], title: str, fmt: str = "") -> LoadedDocument:
    """Rebuild a LoadedDocument from stored chunks (their document text: tables as printed): headings from the
    heading path, each paragraph's page from the chunk's part_pages or page_start."""
    blocks: list[Block] = []
    last_heading = None
    pages = 0
    for chunk in sorted(chunks, key=lambda c: int(c.metadata.get("ordinal", 0))):
        page = chunk.metadata.get("page_start")
        page_no = int(page) if page else None
        pages = max(pages, int(chunk.metadata.get("page_end") or page or 0))
        heading = str(chunk.metadata.get("heading") or "")
        if heading and heading != last_heading:
            blocks.append(Block(heading.split(" > ")[-1], "heading", 1, page_no))
            last_heading = heading
        for part, part_page in chunk.document_paragraphs():
            kind: Literal["table", "paragraph"] = "table" if "\n" in part else "paragraph"
            blocks.append(Block(part, kind, 0, part_page))
    return LoadedDocument(path="", title=title, blocks=blocks, fmt=fmt or "chunks", page_count=pages or None)


def _record_year(record: SourceRecord) -> int | None:
    if record.year:
        return int(record.year)
    m = _YEAR_IN_TITLE_RE.search(record.title or "")
    return int(m.group(1)) if m else None


def find_sources(kb: KnowledgeBase, kind: str, organisation: str | None,
                 sources: frozenset[str] | None = None) -> list[SourceRecord]:
    """Ingested sources of a kind that belong to an organisation (by metadata, else by title); ``sources``
    (the ids the caller may see, None = all) keeps another scope's documents out of a review."""
    if not organisation:
        return []
    out = []
    for record in kb.store.list_sources():
        if record.kind != kind or (sources is not None and record.source_id not in sources):
            continue
        if same_organisation(record.org, organisation) or (not record.org and organisation.lower() in (record.title or "").lower()):
            out.append(record)
    return out


def _prefer(records: list[SourceRecord]) -> SourceRecord:
    # A PDF has pages to cite; among equals the newest ingest wins.
    return sorted(records, key=lambda r: (r.fmt == "pdf", r.ingested_at))[-1]


def find_previous_report(kb: KnowledgeBase, organisation: str | None, styringsaar: int | None,
                         sources: frozenset[str] | None = None) -> PreviousReport | None:
    """Last year's styringsrapport of the same organisation among the ingested documents, re-extracted."""
    if not organisation or not styringsaar:
        return None
    candidates = [r for r in find_sources(kb, "styringsrapport", organisation, sources)
                  if _record_year(r) == styringsaar - 1]
    if not candidates:
        return None
    record = _prefer(candidates)
    doc = doc_from_chunks(kb.store.chunks_of_source(record.source_id), record.title, record.fmt)
    extraction = extract_report(doc, require_figures=False)
    if not extraction.figures:
        return None
    if not extraction.identity.organisation:
        extraction.identity.organisation = record.org or organisation
    return PreviousReport(extraction, f"fundet i vidensbasen: '{record.title}'")


def load_previous_report(path: Path, *, max_bytes: int) -> PreviousReport:
    """Last year's report from a file the user gave (must contain key figures)."""
    doc = load_file(Path(path), max_bytes=max_bytes)
    redact_document(doc)
    extraction = extract_report(doc)
    return PreviousReport(extraction, f"angivet af brugeren: '{redact_cpr(Path(path).name)[0]}'")


def check_previous(current: ReportExtraction, previous: ReportExtraction) -> list[str]:
    """Refuse a previous-year report from another organisation or a later year; return warnings (Danish)."""
    cur_org, prev_org = current.identity.organisation, previous.identity.organisation
    if cur_org and prev_org and not same_organisation(cur_org, prev_org):
        raise PreviousReportError(
            f"Sidste års rapport kan ikke bruges: den er fra '{prev_org}', men rapporten, der gennemgås, er fra "
            f"'{cur_org}'. Vælg sidste års styringsrapport fra {cur_org} (eller udelad --previous)."
        )
    cur_year, prev_year = current.identity.styringsaar, previous.identity.styringsaar
    if cur_year and prev_year and prev_year >= cur_year:
        raise PreviousReportError(
            f"Sidste års rapport kan ikke bruges: den er for styringsåret {prev_year}, men rapporten, der "
            f"gennemgås, er for {cur_year}. Vælg rapporten for {cur_year - 1}."
        )
    warnings = []
    if cur_year and prev_year and prev_year < cur_year - 1:
        warnings.append(f"Den forrige rapport er for {prev_year}, ikke {cur_year - 1}; ændringerne dækker flere år.")
    if not prev_org:
        warnings.append("Organisationen kunne ikke aflæses i den forrige rapport; kontrollér at den er den rigtige.")
    return warnings


def find_last_referat(kb: KnowledgeBase, organisation: str | None, styringsaar: int | None,
                      sources: frozenset[str] | None = None) -> SourceRecord | None:
    """The latest dialogmøde-referat of the organisation from before this styringsår."""
    records = find_sources(kb, "referat", organisation, sources)
    if styringsaar:
        records = [r for r in records if (_record_year(r) or 0) < styringsaar]
    if not records:
        return None
    latest = max(_record_year(r) or 0 for r in records)
    return _prefer([r for r in records if (_record_year(r) or 0) == latest])
