"""One ingested document -> what it contributes to the register (agreements, wishes, status statements).

Which rules run depends on the document's kind:

* referat, notat: agreements (numbered, 'Aftale:', 'Det blev aftalt, at ...') and status statements;
* aftale: the clauses of the agreement document (falling back to the referat rules when it has no
  numbered clauses);
* styringsrapport: the organisation's wishes for agreements and its status statements.

Other kinds (laws, guidance, the built-in corpus) contribute nothing.
"""

from __future__ import annotations

from knowledge.store import SourceRecord
from knowledge.types import Chunk
from service.agreements.clauses import extract_clauses
from service.agreements.extract import TextUnit, extract_agreements_from_units, units_from_chunks
from service.agreements.model import DocumentExtraction, FoundAgreement
from service.agreements.statements import document_date, extract_status_statements, extract_wishes

AGREEMENT_KINDS = frozenset({"referat", "aftale", "notat"})
REGISTER_KINDS = AGREEMENT_KINDS | {"styringsrapport"}


def is_register_source(record: SourceRecord) -> bool:
    """True for the documents the register reads: the municipality's own referater, aftaler, notater, rapporter."""
    return not record.builtin and record.kind in REGISTER_KINDS


def _found_in_text(units: list[TextUnit], record: SourceRecord) -> list[FoundAgreement]:
    agreements = extract_agreements_from_units(units, organisation=record.org or None, source_id=record.source_id,
                                               source_title=record.title)
    out = []
    for a in agreements:
        label = f"aftale {a.number}" if a.number is not None else ""
        out.append(FoundAgreement(a, category="aftale", label=label))
    return out


def extract_document(record: SourceRecord, chunks: list[Chunk]) -> DocumentExtraction:
    """What a stored document says about agreements (empty lists when it says nothing)."""
    units = units_from_chunks(chunks)
    result = DocumentExtraction(source_id=record.source_id, doc_hash=record.doc_hash, title=record.title,
                                kind=record.kind, org=record.org, year=int(record.year or 0))
    if not units or not is_register_source(record):
        return result
    if record.kind == "aftale":
        result.agreements = extract_clauses(units, organisation=record.org or None, source_id=record.source_id,
                                            source_title=record.title) or _found_in_text(units, record)
    elif record.kind in AGREEMENT_KINDS:
        result.agreements = _found_in_text(units, record)
    else:
        result.agreements = extract_wishes(units, organisation=record.org or None, source_id=record.source_id,
                                           source_title=record.title)
    if record.kind != "aftale":
        result.statements = extract_status_statements(units)
    dated = [f.agreement.agreed_date for f in result.agreements if f.agreement.agreed_date]
    result.date = dated[0] if dated and record.kind != "styringsrapport" else document_date(units)
    return result
