"""The status of an agreement: one vocabulary, how a statement words it, and when it is overdue.

The register and the review speak the same words. An agreement is ``aftalt`` when made; a later
statement says it is ``i_gang``, ``opfyldt`` or ``ikke_opfyldt``; the register says ``ukendt`` for a
wish whose fate no document states. The review adds two words for what the new report says about
last year's agreement: ``omtalt`` (mentioned, status unclear) and ``ikke_omtalt`` (not mentioned).

The overdue rule (``is_overdue``): a met agreement is never overdue; an exact deadline is overdue
the day after it; a vague deadline that names only a year ('i løbet af 2026') once that year is over;
a deadline without a date ('inden næste dialogmøde', 'løbende') never.
"""

from __future__ import annotations

import datetime as dt
import re

from service.domain.dates import deadline_year

AFTALT = "aftalt"
I_GANG = "i_gang"
OPFYLDT = "opfyldt"
IKKE_OPFYLDT = "ikke_opfyldt"
UKENDT = "ukendt"
OMTALT = "omtalt"
IKKE_OMTALT = "ikke_omtalt"

STATUS_LABELS: dict[str, str] = {
    AFTALT: "aftalt",
    I_GANG: "i gang",
    OPFYLDT: "opfyldt",
    IKKE_OPFYLDT: "ikke opfyldt",
    UKENDT: "ukendt",
    OMTALT: "omtalt (status uklar)",
    IKKE_OMTALT: "ikke omtalt",
}
# The statuses an entry of the agreement register can have.
REGISTER_STATUSES: tuple[str, ...] = (AFTALT, I_GANG, OPFYLDT, IKKE_OPFYLDT, UKENDT)
# The statuses a statement can state clearly.
CLEAR_STATUSES: frozenset[str] = frozenset({OPFYLDT, I_GANG, IKKE_OPFYLDT})

# First match wins: 'ikke opfyldt' before 'opfyldt', 'endnu ikke' (in progress) before 'opfyldt'.
_STATUS_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (IKKE_OPFYLDT, re.compile(r"\bikke\s+(?:er\s+)?(?:blevet\s+)?(?:opfyldt|gennemført|nået|overholdt|lykkedes)|"
                              r"\bikke\s+(?:\w+\s+){0,4}(?:gennemført|opfyldt)|\budskudt\b|\bopgivet\b"
                              # lapsed or called off: 'bortfaldet', 'frafaldet', 'aflyst', 'annulleret'
                              r"|\bbortfald(?:et|er|t)?\b|\bfrafaldet\b|\baflyst\b|\bannulleret\b",
                              re.IGNORECASE)),
    # partly done is under way: 'delvist gennemført', 'delvis opfyldt' (before 'gennemført' alone)
    (I_GANG, re.compile(r"\bdelvis(?:t)?\s+(?:\w+\s+)?(?:gennemført|opfyldt|nået|indfriet|løst)\b|\bi\s+gang\b|\bigangsat\b|\bpåbegyndt\b|\bendnu\s+ikke\b|\bunder\s+udarbejdelse\b|"
                        r"\bventes\b|\bforventes\b", re.IGNORECASE)),
    (OPFYLDT, re.compile(r"\bopfyldt\b|\bgennemført\b|\bafsluttet\b|\ber\s+sendt\b|\bblev\s+sendt\b|"
                         r"\ber\s+fulgt\b|\bunderskrevet\b|\bvidereført\b", re.IGNORECASE)),
)
_NUMBERED_HEAD_RE = re.compile(r"^\s*aftale\s+\d+", re.IGNORECASE)


def status_label(status: str) -> str:
    """The Danish label of a status word ('i_gang' -> 'i gang')."""
    return STATUS_LABELS.get(status, status)


def classify_status(text: str) -> str:
    """The status a statement words: opfyldt / i_gang / ikke_opfyldt, else 'omtalt'.

    In 'Aftale 3 er i gang: ...' the words before the colon decide; the rest only when they say nothing.
    """
    numbered = bool(_NUMBERED_HEAD_RE.match(text)) and ":" in text[:60]
    head = text.split(":", 1)[0] if numbered else text
    for name, pattern in _STATUS_WORDS:
        if pattern.search(head):
            return name
    if head is not text:
        for name, pattern in _STATUS_WORDS:
            if pattern.search(text):
                return name
    return OMTALT


def status_from_field(value: str) -> str:
    """The status written in an agreement's 'Status:' field; 'aftalt' when the field says nothing clear."""
    status = classify_status(value) if value.strip() else OMTALT
    return status if status in CLEAR_STATUSES else AFTALT


def is_overdue(deadline: str | None, deadline_text: str, *, uncertain: bool, met: bool, today: dt.date) -> bool:
    """True when the deadline has passed and the agreement is not met (see the module docstring)."""
    if met:
        return False
    if deadline:
        return dt.date.fromisoformat(deadline) < today
    if uncertain:
        year = deadline_year(deadline_text)
        return year is not None and today.year > year
    return False
