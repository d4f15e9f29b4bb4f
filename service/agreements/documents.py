"""One ingested document -> what it contributes to the register (agreements, wishes, status statements).

Which rules run depends on the document's kind:

* referat, notat: agreements (service.agreements.extract) and status statements;
* aftale: the clauses of the agreement document (falling back to the referat rules when it has no
  numbered clauses);
* styringsrapport: the organisation's wishes for agreements and its status statements.

The document's parties (its organisation, or every organisation of a joint agreement) come from the
metadata given at ingest, else from its title, headings and party lines (service.agreements.parties).
Other kinds (laws, guidance, the built-in corpus) contribute nothing.
"""

from __future__ import annotations

import re

from knowledge.store import SourceRecord
from knowledge.types import Chunk
from service.agreements.clauses import extract_clauses
from service.agreements.dating import document_date
from service.agreements.extract import extract_agreements_from_units
from service.agreements.model import DocumentExtraction, FoundAgreement
from service.agreements.parties import Parties, read_parties
from service.agreements.statements import extract_status_statements, extract_wishes
from service.agreements.units import TextUnit, units_from_chunks

AGREEMENT_KINDS = frozenset({"referat", "aftale", "notat"})
REGISTER_KINDS = AGREEMENT_KINDS | {"styringsrapport"}


def is_register_source(record: SourceRecord) -> bool:
    """True for the documents the register reads: the municipality's own referater, aftaler, notater, rapporter."""
    return not record.builtin and record.kind in REGISTER_KINDS


def _found_in_text(units: list[TextUnit], record: SourceRecord, parties: Parties) -> list[FoundAgreement]:
    agreements = extract_agreements_from_units(units, organisation=parties.organisation, source_id=record.source_id,
                                               source_title=record.title, parties=parties)
    return [FoundAgreement(a, category="aftale", label=f"aftale {a.number}" if a.number is not None else "")
            for a in agreements]


# an appendix of an agreement document ('Bilag 2 - Indsatser pr. afdeling', 'Bilag B: Handleplan')
_APPENDIX_RE = re.compile(r"^\s*Bilag\s+(?:\d{1,2}|[A-H])\b")


def _split_appendices(units: list[TextUnit]) -> tuple[list[TextUnit], list[list[TextUnit]]]:
    """An agreement document's body and its appendices, each from the unit that opens 'Bilag N'; a mention of a
    bilag inside a sentence opens none."""
    starts = [i for i, unit in enumerate(units)
              if i > 0 and _APPENDIX_RE.match(unit.text) and len(unit.text.split("\n")[0]) <= 160]
    if not starts:
        return units, []
    bounds = [*starts, len(units)]
    return units[:starts[0]], [units[a:b] for a, b in zip(bounds, bounds[1:])]


def _looks_back(appendix: list[TextUnit], year: int) -> bool:
    """An appendix about earlier agreements ('Bilag C - Opfølgning på 2025'): its head names the status of
    agreements or a year before the document's."""
    head = appendix[0].text.split("\n")[0]
    years = [int(y) for y in re.findall(r"\b(20\d\d)\b", head)]
    return bool(re.search(r"(?i)\bstatus\b|opfølgning\s+på|huskeliste", head)) or bool(
        year and years and max(years) < year)


def _agreement_document(units: list[TextUnit], record: SourceRecord, parties: Parties) -> list[FoundAgreement]:
    """The clauses of an agreement document, and the agreements its appendices state (tables, lists, sentences)."""
    body, appendices = _split_appendices(units)
    clauses = extract_clauses(body, parties=parties, source_id=record.source_id, source_title=record.title)
    if not clauses:
        return _found_in_text(units, record, parties)
    year = int(record.year or 0)
    for appendix in appendices:
        if _looks_back(appendix, year):
            continue
        for found in _found_in_text(appendix, record, parties):
            named = parties.named_in(found.agreement.text)
            if named and len(parties.organisations) > 1:  # a point of a joint agreement binds those it names
                found.agreement.organisations, found.agreement.organisation = named, named[0]
            clauses.append(found)
    return clauses


def extract_document(record: SourceRecord, chunks: list[Chunk]) -> DocumentExtraction:
    """What a stored document says about agreements (empty lists when it says nothing)."""
    units = units_from_chunks(chunks)
    result = DocumentExtraction(source_id=record.source_id, doc_hash=record.doc_hash, title=record.title,
                                kind=record.kind, org=record.org, year=int(record.year or 0))
    if not units or not is_register_source(record):
        return result
    parties = read_parties(record.title, [u.text for u in units], record.org or None)
    result.org = record.org or parties.organisation or ""
    result.organisations = list(parties.organisations)
    if record.kind == "aftale":
        result.agreements = _agreement_document(units, record, parties)
    elif record.kind in AGREEMENT_KINDS:
        result.agreements = _found_in_text(units, record, parties)
    else:
        result.agreements = extract_wishes(units, organisation=result.org or None, source_id=record.source_id,
                                           source_title=record.title)
    if record.kind != "aftale":
        result.statements = extract_status_statements(units)
    dated = [f.agreement.agreed_date for f in result.agreements if f.agreement.agreed_date]
    result.date = dated[0] if dated and record.kind != "styringsrapport" else document_date(units, title=record.title)
    return result
