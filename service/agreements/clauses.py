"""Agreements in an agreement document (kind 'aftale'): its numbered clauses, period, parties and signature.

A clause is a numbered section ('4. Kommunal anvisning') with substance; sections about the parties,
background, scope, duration and signatures describe the agreement and are not agreements themselves.
Every clause gets the document's period ('Aftaleperiode: 1. april 2026 - 31. marts 2029') as its
duration, the signature date as the date agreed, and the municipality's department when a signatory
names it ('afdelingsleder, Borgerservice og Bolig').
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.sentences import split_sentences
from knowledge.text import fold
from service.agreements.dating import document_date
from service.agreements.extract import Agreement, classify_agreement
from service.agreements.model import FoundAgreement
from service.agreements.units import TextUnit
from service.domain.afdelinger import find_afdelinger
from service.domain.dates import find_dates, parse_deadline
from service.domain.status import AFTALT

_CLAUSE_HEADING_RE = re.compile(r"^\s*(?:§\s*)?(?P<num>\d{1,2})\.?\s+(?P<title>[A-ZÆØÅ].{1,80})$")
_DESCRIPTIVE_RE = re.compile(
    r"parter\b|parterne\b|baggrund|formaal|omraade|omfang|varighed|opsigelse|ikrafttraed|underskrift|"
    r"definition|indledning|bilag|indhold|kontaktpersoner|tvister|aendring"
)
_PERIOD_CUE_RE = re.compile(r"aftaleperiode|gælder\s+fra|løber\s+fra|gyldig\s+fra|træder\s+i\s+kraft|periode(?:n)?\s*:",
                            re.IGNORECASE)
_SIGNATORY_DEPT_RE = re.compile(
    r"\b(?:afdelingsleder|afdelingschef|direktør|centerchef|kontorchef|chef|leder|teamleder|fagchef)\s*,\s*"
    r"(?P<dept>(?:Center\s+for\s+)?[A-ZÆØÅ][\wæøå-]+(?:\s+og\s+[A-ZÆØÅ][\wæøå-]+)?)"
)
_DEPT_IN_TEXT_RE = re.compile(r"\b(?:Center\s+for\s+[A-ZÆØÅ][\wæøå]+(?:\s+og\s+[A-ZÆØÅ][\wæøå]+)?|"
                              r"[A-ZÆØÅ][\wæøå]+forvaltning(?:en)?)\b")
_PARTIES_RE = re.compile(r"\bmellem\s+(?P<a>[^,.]+?Kommune)\s*(?:,[^,]*?,)?\s+og\s+(?P<b>[A-ZÆØÅ][^,.\n]+)")
_MAX_TEXT = 600


@dataclass
class AgreementFrame:
    """What an agreement document says about itself: parties, period, signature date, department."""

    organisation: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    duration_text: str = ""
    signed: str | None = None
    department: str | None = None


def read_frame(units: list[TextUnit], organisation: str | None = None) -> AgreementFrame:
    """Parties, period, signature date and the municipality's department of an agreement document."""
    frame = AgreementFrame(organisation=organisation)
    for unit in units:
        if frame.valid_from is None and _PERIOD_CUE_RE.search(unit.text):
            cue = _PERIOD_CUE_RE.search(unit.text)
            dates = find_dates(unit.text[cue.start():])  # type: ignore[union-attr]
            if len(dates) >= 2:
                base = cue.start()  # type: ignore[union-attr]
                frame.valid_from, frame.valid_to = dates[0][2].isoformat(), dates[1][2].isoformat()
                frame.duration_text = unit.text[base + dates[0][0]:base + dates[1][1]].strip()
                frame.duration_text = re.sub(r"^(?:fra|den)\s+", "", frame.duration_text)
        if frame.organisation is None:
            m = _PARTIES_RE.search(unit.text)
            if m:
                frame.organisation = m.group("b").strip()
        if frame.department is None:
            m = _SIGNATORY_DEPT_RE.search(unit.text)
            if m:
                frame.department = m.group("dept").strip()
    frame.signed = document_date(units)
    return frame


def _clause_type(title: str, text: str) -> str:
    kind = classify_agreement(title)
    if kind == "andet":
        kind = classify_agreement(text)
    if kind == "andet" and re.search(r"\banvis", fold(text)):
        kind = "kommunal_anvisning"  # e.g. 'Økonomi': the municipality pays rent for the homes it allocates
    return kind


def _first_sentence(text: str) -> str:
    sentences = split_sentences(text)
    return sentences[0] if sentences else text


def extract_clauses(units: list[TextUnit], *, organisation: str | None, source_id: str, source_title: str
                    ) -> list[FoundAgreement]:
    """The substantive numbered clauses of an agreement document as agreements (empty if it has none)."""
    frame = read_frame(units, organisation)
    sections: list[tuple[int, str, list[TextUnit]]] = []
    for unit in units:
        head = _CLAUSE_HEADING_RE.match(unit.text) if unit.is_heading else None
        if head:
            sections.append((int(head.group("num")), head.group("title").strip(), []))
            continue
        if unit.is_heading:
            sections.append((-1, unit.text, []))
        elif sections and unit.text.strip() != sections[-1][1] and not _CLAUSE_HEADING_RE.match(unit.text.strip()):
            if not sections[-1][2] or unit.text != sections[-1][2][-1].text:
                sections[-1][2].append(unit)
    out: list[FoundAgreement] = []
    seen: set[int] = set()
    for number, title, body in sections:
        if number < 0 or number in seen or not body or _DESCRIPTIVE_RE.search(fold(title)):
            continue
        seen.add(number)
        text = " ".join(u.text for u in body if not re.fullmatch(r"[\s_]+", u.text))
        text = re.sub(r"\s+", " ", text).strip()
        if len(text) < 20:
            continue
        if len(text) > _MAX_TEXT:
            text = text[:_MAX_TEXT].rsplit(" ", 1)[0] + " …"
        deadline = parse_deadline(text)
        if deadline and deadline.ongoing and "aftaleperiode" in deadline.text.lower():
            deadline = None  # 'i aftaleperioden': the period itself is the duration
        mentions = [m for m in find_afdelinger(_first_sentence(text)) if m.nr is not None]
        dept = _DEPT_IN_TEXT_RE.search(text)
        agreement = Agreement(
            text=text, type=_clause_type(title, text), number=number,
            deadline=deadline.iso if deadline else None, deadline_text=deadline.text if deadline else "",
            deadline_uncertain=bool(deadline and deadline.uncertain),
            ongoing=bool(deadline is None or deadline.ongoing),
            responsible=None, department=dept.group(0) if dept else frame.department,
            afdeling=", ".join(f"Afd. {m.nr} {m.name}".strip() for m in mentions) or None,
            afdeling_nr=mentions[0].nr if mentions else None, organisation=frame.organisation,
            agreed_date=frame.signed, status=AFTALT, page=body[0].page, section=f"{number}. {title}",
            source_id=source_id, source_title=source_title, form="klausul", chunk_id=body[0].chunk_id,
        )
        out.append(FoundAgreement(agreement, category="aftale", label=f"pkt. {number} {title}",
                                  valid_from=frame.valid_from, valid_to=frame.valid_to,
                                  duration_text=frame.duration_text))
    return out
