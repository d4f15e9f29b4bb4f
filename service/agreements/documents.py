"""One ingested document -> what it contributes to the register (agreements, wishes, status statements).

Which rules run depends on the document's kind:

* referat, notat: agreements (numbered, 'Aftale:', 'Det blev aftalt, at ...', 'X forpligtede sig til at ...')
  and status statements;
* aftale: the clauses of the agreement document (falling back to the referat rules when it has no
  numbered clauses);
* styringsrapport: the organisation's wishes for agreements and its status statements.

Other kinds (laws, guidance, the built-in corpus) contribute nothing.
"""

from __future__ import annotations

import re

from knowledge.sentences import split_sentences
from knowledge.store import SourceRecord
from knowledge.text import fold
from knowledge.types import Chunk
from service.agreements.clauses import extract_clauses
from service.agreements.dating import document_date
from service.agreements.extract import Agreement, extract_agreements_from_units
from service.agreements.model import DocumentExtraction, FoundAgreement
from service.agreements.statements import extract_status_statements, extract_wishes
from service.agreements.units import TextUnit, units_from_chunks

AGREEMENT_KINDS = frozenset({"referat", "aftale", "notat"})
REGISTER_KINDS = AGREEMENT_KINDS | {"styringsrapport"}
_COMMITMENT_RE = re.compile(r"\b(?:forpligtede|forpligter)\s+sig\s+til\s+at\s+|\b(?:påtog|påtager)\s+sig\s+at\s+",
                            re.IGNORECASE)


def is_register_source(record: SourceRecord) -> bool:
    """True for the documents the register reads: the municipality's own referater, aftaler, notater, rapporter."""
    return not record.builtin and record.kind in REGISTER_KINDS


def _commitments(units: list[TextUnit], record: SourceRecord, known: list[Agreement]) -> list[Agreement]:
    """Sentences where a named party commits itself ('X forpligtede sig til at ...', 'X påtog sig at ...')."""
    seen = {fold(a.text) for a in known}
    out: list[Agreement] = []
    for unit in units:
        if unit.is_heading:
            continue
        for sentence in split_sentences(unit.text):
            m = _COMMITMENT_RE.search(sentence)
            if not m or m.start() > 80 or any(fold(sentence[m.end():])[:60] in k for k in seen):
                continue
            found = extract_agreements_from_units([TextUnit("Det blev aftalt, at " + sentence, unit.page, unit.section,
                                                            chunk_id=unit.chunk_id)],
                                                  organisation=record.org or None, source_id=record.source_id,
                                                  source_title=record.title)
            for a in found:
                a.text, a.form = sentence, "forpligtelse"
                a.responsible = sentence[:m.start()].strip() or a.responsible
                out.append(a)
                seen.add(fold(sentence))
    return out


def _found_in_text(units: list[TextUnit], record: SourceRecord) -> list[FoundAgreement]:
    agreements = extract_agreements_from_units(units, organisation=record.org or None, source_id=record.source_id,
                                               source_title=record.title)
    if record.kind != "aftale":
        dated = next((a.agreed_date for a in agreements if a.agreed_date), None) or document_date(units)
        for a in _commitments(units, record, agreements):
            a.agreed_date = a.agreed_date or dated
            agreements.append(a)
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
