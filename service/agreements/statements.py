"""What later documents say about agreements, and what organisations wish for.

* Status statements: in a follow-up context ('Opfølgning på aftaler fra dialogmødet den 23. september
  2025') every paragraph is a statement about one of that meeting's agreements; elsewhere only
  paragraphs like 'Aftale 3 er i gang: ...' count. The status is read from the statement's words.
* Wishes: the items of a section headed 'Ønsker til aftaler med kommunen' in a styringsrapport.
"""

from __future__ import annotations

import re

from knowledge.text import fold
from service.agreements.agreement import Agreement, classify_agreement
from service.agreements.model import FoundAgreement, StatusStatement
from service.agreements.units import TextUnit
from service.domain.afdelinger import find_afdelinger
from service.domain.dates import find_dates
from service.domain.deadlines import parse_deadline
from service.domain.status import CLEAR_STATUSES, OMTALT, UKENDT, classify_status

_FOLLOWUP_RE = re.compile(
    r"opfølgning\s+på\s+(?:sidste\s+års\s+|tidligere\s+|de\s+|indgåede\s+|årets\s+)?aftaler", re.IGNORECASE
)
_MEETING_YEAR_RE = re.compile(r"^\W{0,3}(?:fra|på|indgået på)?\s*(?:dialog)?møde\w*\s+i\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_NUMBERED_STATEMENT_RE = re.compile(r"^\s*Aftale\s+(?:nr\.\s*)?(?P<num>\d{1,2})\b(?![.)]\s)", re.IGNORECASE)
_WISH_HEADING_RE = re.compile(r"ønsker\s+til\s+(?:nye\s+|kommende\s+)?aftaler|ønsker\s+om\s+(?:nye\s+)?aftaler",
                              re.IGNORECASE)
_LIST_RE = re.compile(r"^\s*(?:(?P<num>\d{1,2})[.)]|[-•*–])\s+(?P<text>\S.*)", re.DOTALL)
_APPROVAL_TAIL_RE = re.compile(r"(?:^|(?<=[.!?]))\s*[A-ZÆØÅ][^.!?]*?\b(?:er|blev)\s+godkendt\b.*$", re.DOTALL)
_INLINE_ITEM_RE = re.compile(r"(?<=[.!?])\s+(?=\d{1,2}[.)]\s+[A-ZÆØÅ])")


def _context_meeting(text: str) -> tuple[str | None, int | None]:
    """Meeting date or year named right after 'Opfølgning på aftaler' ('fra dialogmødet den 7. oktober 2025')."""
    window = text[:90]
    dates = find_dates(window)
    if dates and dates[0][0] < 60:
        return dates[0][2].isoformat(), dates[0][2].year
    m = _MEETING_YEAR_RE.search(window)
    return (None, int(m.group(1))) if m else (None, None)


def _status_of(text: str) -> str:
    status = classify_status(text)
    return status if status in CLEAR_STATUSES else UKENDT


def extract_status_statements(units: list[TextUnit]) -> list[StatusStatement]:
    """Statements about the status of earlier agreements, in reading order, without repeats."""
    out: list[StatusStatement] = []
    seen: set[str] = set()
    context: tuple[str | None, int | None] | None = None

    def add(text: str, unit: TextUnit, meeting: tuple[str | None, int | None] | None) -> None:
        text = re.sub(r"\s+", " ", text).strip()
        key = fold(text)[:120]
        if len(text) < 12 or key in seen:
            return
        seen.add(key)
        m = _NUMBERED_STATEMENT_RE.match(text)
        out.append(StatusStatement(
            text=text, status=_status_of(text), number=int(m.group("num")) if m else None,
            meeting_date=meeting[0] if meeting else None, meeting_year=meeting[1] if meeting else None,
            page=unit.page, section=unit.section, chunk_id=unit.chunk_id,
        ))

    for unit in units:
        if unit.is_heading:
            found = _FOLLOWUP_RE.search(unit.text)
            context = _context_meeting(unit.text[found.end():]) if found else None
            continue
        found = _FOLLOWUP_RE.search(unit.text)
        if found:
            rest = unit.text[found.end():]
            context = _context_meeting(rest)
            tail = rest.split(":", 1)[1] if ":" in rest[:90] else ""
            if tail.strip():  # 'Opfølgning på aftaler fra mødet i 2024: aftalerne ... er fulgt.'
                add(tail, unit, context)
            continue
        if context is not None:
            if _WISH_HEADING_RE.search(unit.text) and len(unit.text) < 80:
                context = None
                continue
            add(unit.text, unit, context)
        elif _NUMBERED_STATEMENT_RE.match(unit.text) and classify_status(unit.text) != OMTALT:
            add(unit.text, unit, None)
    return out


def _wish_text(text: str) -> str:
    text = _APPROVAL_TAIL_RE.sub("", text)  # 'Styringsrapporten er godkendt af ... den 17. juni 2025.'
    return re.sub(r"\s+", " ", text).strip()


def extract_wishes(units: list[TextUnit], *, organisation: str | None, source_id: str, source_title: str
                   ) -> list[FoundAgreement]:
    """The organisation's wishes for agreements in a styringsrapport ('8. Ønsker til aftaler med kommunen')."""
    out: list[FoundAgreement] = []
    seen: set[str] = set()
    in_section = False
    for unit in units:
        if unit.is_heading or (len(unit.text) < 80 and "\n" not in unit.text and _WISH_HEADING_RE.search(unit.text)):
            in_section = bool(_WISH_HEADING_RE.search(unit.text))
            continue
        if not in_section:
            continue
        for line in _INLINE_ITEM_RE.sub("\n", unit.text).split("\n"):
            item = _LIST_RE.match(line)
            if not item and not re.search(r"\bønsker\b", line, re.IGNORECASE):
                continue
            text = _wish_text(item.group("text") if item else line)
            if len(text) < 12 or fold(text)[:120] in seen:
                continue
            seen.add(fold(text)[:120])
            number = int(item.group("num")) if item and item.group("num") else None
            deadline = parse_deadline(text)
            mentions = find_afdelinger(text)
            afd = mentions[0] if mentions else None
            agreement = Agreement(
                text=text, type=classify_agreement(text), number=number,
                deadline=deadline.iso if deadline else None, deadline_text=deadline.text if deadline else "",
                deadline_uncertain=bool(deadline and deadline.uncertain), ongoing=bool(deadline and deadline.ongoing),
                responsible=organisation, afdeling=f"Afd. {afd.nr} {afd.name}".strip() if afd and afd.nr else None,
                afdeling_nr=afd.nr if afd else None, organisation=organisation, status=UKENDT, page=unit.page,
                section=unit.section, source_id=source_id, source_title=source_title, form="ønske",
                chunk_id=unit.chunk_id,
            )
            out.append(FoundAgreement(agreement, category="oenske",
                                      label=f"ønske {number}" if number is not None else "ønske"))
    return out
