"""From per-document extractions to register entries: merge duplicates, then apply later status statements.

* Duplicates: the same agreement written in several documents (a referat ingested as PDF and as Word,
  an agreement repeated in a notat) is one entry with every source kept. Two mentions are the same when
  they name the same organisation, type and afdeling and their wording is (nearly) the same.
* Status: a statement in a later document of the same organisation ('Aftale 3 er i gang: ...', or any
  paragraph under 'Opfølgning på aftaler fra dialogmødet den ...') is tied to the agreement by its number
  or, failing that, by shared words (service.domain.linking); the most recent clear statement sets the
  status, and every statement is kept as a source.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from knowledge.text import fold
from service.agreements.model import DocumentExtraction, FoundAgreement, RegisterEntry, SourceRef, StatusStatement
from service.domain.linking import link_score, word_similarity
from service.domain.organisations import same_or_both_unnamed
from service.domain.status import AFTALT, CLEAR_STATUSES, UKENDT

_DUPLICATE_SIMILARITY = 0.75
_STATEMENT_KINDS = frozenset({"referat", "notat"})


def entry_id(organisation: str | None, category: str, text: str) -> str:
    """A stable id for an entry: the same agreement gets the same id in every rebuild."""
    words = " ".join(fold(text).split())[:300]
    key = f"{fold(organisation or '')}|{category}|{words}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _entry(found: FoundAgreement, doc: DocumentExtraction) -> RegisterEntry:
    a = found.agreement
    ref = SourceRef(source_id=doc.source_id, title=doc.title, kind=doc.kind, page=a.page, section=a.section,
                    chunk_id=a.chunk_id, label=found.label, role="aftale", date=doc.date, quote=a.text[:300])
    organisations = list(a.organisations) or ([a.organisation] if a.organisation else [])
    organisation = "; ".join(organisations) if len(organisations) > 1 else a.organisation
    return RegisterEntry(
        id=entry_id(organisation, found.category, a.text), text=a.text, type=a.type, category=found.category,
        number=a.number, organisation=organisation, organisations=organisations, afdeling=a.afdeling,
        afdeling_nr=a.afdeling_nr,
        department=a.department, responsible=a.responsible,
        agreed_date=a.agreed_date if found.category == "aftale" else None,
        deadline=a.deadline, deadline_text=a.deadline_text, deadline_uncertain=a.deadline_uncertain,
        ongoing=a.ongoing, valid_from=found.valid_from or a.valid_from, valid_to=found.valid_to or a.valid_to,
        duration_text=found.duration_text or a.duration_text,
        status=AFTALT if found.category == "aftale" and a.status in ("", AFTALT, UKENDT) else a.status,
        sources=[ref],
    )


def _is_duplicate(entry: RegisterEntry, other: RegisterEntry) -> bool:
    if entry.category != other.category or not same_or_both_unnamed(entry.organisation, other.organisation):
        return False
    if {s.source_id for s in entry.sources} & {s.source_id for s in other.sources}:
        return False  # one document never states the same agreement twice on purpose
    if fold(entry.text) == fold(other.text):
        return True
    if entry.type != other.type:
        return False
    if entry.afdeling_nr is not None and other.afdeling_nr is not None and entry.afdeling_nr != other.afdeling_nr:
        return False
    return word_similarity(entry.text, other.text) >= _DUPLICATE_SIMILARITY


def _merge(into: RegisterEntry, other: RegisterEntry) -> None:
    into.sources.extend(other.sources)
    for name in ("afdeling", "afdeling_nr", "department", "responsible", "deadline", "agreed_date",
                 "valid_from", "valid_to"):
        if getattr(into, name) is None and getattr(other, name) is not None:
            setattr(into, name, getattr(other, name))
    if not into.deadline_text and other.deadline_text:
        into.deadline_text, into.deadline_uncertain = other.deadline_text, other.deadline_uncertain
        into.ongoing = other.ongoing
    if not into.duration_text:
        into.duration_text = other.duration_text


def _doc_order(doc: DocumentExtraction) -> tuple[str, str]:
    return (doc.date or f"{doc.year or 9999:04d}-12-31", doc.source_id)


def build_entries(docs: Iterable[DocumentExtraction]) -> list[RegisterEntry]:
    """Register entries from document extractions: duplicates merged, status from later documents."""
    ordered = sorted(docs, key=_doc_order)
    entries: list[RegisterEntry] = []
    for doc in ordered:
        for found in doc.agreements:
            entry = _entry(found, doc)
            twin = next((e for e in entries if _is_duplicate(e, entry)), None)
            if twin is not None:
                _merge(twin, entry)
            else:
                entries.append(entry)
    _unique_ids(entries)
    _apply_statements(entries, ordered)
    return entries


def _unique_ids(entries: list[RegisterEntry]) -> None:
    seen: dict[str, int] = {}
    for e in entries:
        if e.id in seen:
            seen[e.id] += 1
            e.id = f"{e.id}-{seen[e.id]}"
        else:
            seen[e.id] = 1


# -- status ----------------------------------------------------------------------------------------

def _entry_date(entry: RegisterEntry, by_id: dict[str, DocumentExtraction]) -> tuple[str | None, int | None]:
    first = entry.sources[0]
    date = entry.agreed_date or first.date
    doc = by_id.get(first.source_id)
    year = int(date[:4]) if date else (doc.year_of() if doc else None)
    return date, year


def _is_later(doc: DocumentExtraction, entry: RegisterEntry, by_id: dict[str, DocumentExtraction]) -> bool:
    date, year = _entry_date(entry, by_id)
    if doc.date and date:
        return doc.date > date
    doc_year = doc.year_of()
    return bool(doc_year and year and doc_year > year)


def _candidates(doc: DocumentExtraction, statement: StatusStatement, entries: list[RegisterEntry],
                by_id: dict[str, DocumentExtraction]) -> list[RegisterEntry]:
    found = [e for e in entries
             if e.category == "aftale" and e.sources[0].kind in _STATEMENT_KINDS
             and ((not e.organisation and not doc.org) or bool(doc.org and e.names_organisation(doc.org)))
             and all(s.source_id != doc.source_id for s in e.sources) and _is_later(doc, e, by_id)]
    if statement.meeting_date:
        return [e for e in found if _entry_date(e, by_id)[0] == statement.meeting_date]
    if statement.meeting_year:
        return [e for e in found if _entry_date(e, by_id)[1] == statement.meeting_year]
    if not found:
        return []
    latest = max(_entry_date(e, by_id)[0] or "" for e in found)  # the last meeting before the document
    return [e for e in found if (_entry_date(e, by_id)[0] or "") == latest]


def _match(statement: StatusStatement, candidates: list[RegisterEntry]) -> RegisterEntry | None:
    if statement.number is not None:
        numbered = [e for e in candidates if e.number == statement.number]
        return numbered[0] if len(numbered) == 1 else None
    best: tuple[float, RegisterEntry] | None = None
    for e in candidates:
        score = link_score(e.text, statement.text, afdeling_nr=e.afdeling_nr)
        if score is not None and (best is None or score > best[0]):
            best = (score, e)
    return best[1] if best else None


def _apply_statements(entries: list[RegisterEntry], docs: list[DocumentExtraction]) -> None:
    by_id = {d.source_id: d for d in docs}
    decided: dict[str, str] = {}  # entry id -> date of the statement that set its status
    for doc in docs:  # oldest first, so the most recent clear statement wins
        for statement in doc.statements:
            entry = _match(statement, _candidates(doc, statement, entries, by_id))
            if entry is None:
                continue
            ref = SourceRef(source_id=doc.source_id, title=doc.title, kind=doc.kind, page=statement.page,
                            section=statement.section, chunk_id=statement.chunk_id,
                            label=f"opfølgning på aftale {entry.number}" if entry.number is not None else "opfølgning",
                            role="status", date=doc.date, quote=statement.text[:400])
            entry.status_sources.append(ref)
            if statement.status in CLEAR_STATUSES:
                when = doc.date or f"{doc.year or 0:04d}"
                if when >= decided.get(entry.id, ""):
                    entry.status, entry.status_text = statement.status, statement.text
                    decided[entry.id] = when
