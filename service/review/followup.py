"""'Opfølgning på sidste års aftaler': last year's agreements and what the new report says about each.

A statement is matched to an agreement by its number ('Aftale 2 er opfyldt: ...') or, failing that,
by shared terms between the agreement and the report's own comments (the afdeling must match when the
agreement names one). The status is read from the statement's words; no statement = 'ikke omtalt'.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from knowledge.text import content_terms, fold
from knowledge.kb import KnowledgeBase
from service.agreements.extract import Agreement
from service.review.model import Passage, ReportExtraction

STATUS_LABELS = {
    "opfyldt": "opfyldt", "i_gang": "i gang", "ikke_opfyldt": "ikke opfyldt", "omtalt": "omtalt (status uklar)",
    "ikke_omtalt": "ikke omtalt",
}
_STATUS_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ikke_opfyldt", re.compile(r"\bikke\s+(?:er\s+)?(?:blevet\s+)?(?:opfyldt|gennemført|nået|overholdt|lykkedes)|"
                                r"\bikke\s+(?:\w+\s+){0,4}(?:gennemført|opfyldt)|\budskudt\b|\bopgivet\b",
                                re.IGNORECASE)),
    ("i_gang", re.compile(r"\bi\s+gang\b|\bigangsat\b|\bpåbegyndt\b|\bendnu\s+ikke\b|\bunder\s+udarbejdelse\b|"
                          r"\bventes\b|\bforventes\b", re.IGNORECASE)),
    ("opfyldt", re.compile(r"\bopfyldt\b|\bgennemført\b|\bafsluttet\b|\ber\s+sendt\b|\bblev\s+sendt\b|"
                           r"\ber\s+fulgt\b|\bunderskrevet\b|\bvidereført\b", re.IGNORECASE)),
)
# Terms too general to tie a statement to an agreement.
_GENERIC = {fold(w) for w in (
    "kommun", "kommunen", "boligorganisation", "organisation", "organisationen", "aftal", "aftale", "bolig",
    "boliger", "afd", "afdeling", "send", "sender", "senest", "inden", "løbende", "egeskov", "år", "kvartal",
    "herunder", "mere", "hvert", "fortsat", "været", "blandt", "andet", "sammen", "muligheden", "mulighed",
)}
_MIN_SHARED = 3
_MIN_SCORE = 0.35


@dataclass
class FollowUp:
    """One agreement from last year's referat and what the new report says about it."""

    agreement: Agreement
    status: str  # opfyldt, i_gang, ikke_opfyldt, omtalt, ikke_omtalt
    statement: str | None = None
    page: int | None = None
    matched_by: str = ""  # 'nummer' or 'ord'
    overdue: bool = False  # the deadline has passed and the report does not say it is met

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def to_dict(self) -> dict[str, Any]:
        return {"agreement": self.agreement.to_dict(), "status": self.status, "status_label": self.status_label,
                "statement": self.statement, "page": self.page, "matched_by": self.matched_by,
                "overdue": self.overdue}


def classify_status(text: str) -> str:
    """Status of an agreement as a statement words it: opfyldt / i_gang / ikke_opfyldt, else 'omtalt'."""
    head = text.split(":", 1)[0] if re.match(r"^\s*aftale\s+\d+", text, re.IGNORECASE) and ":" in text[:60] else text
    for name, pattern in _STATUS_WORDS:
        if pattern.search(head):
            return name
    if head is not text:
        for name, pattern in _STATUS_WORDS:
            if pattern.search(text):
                return name
    return "omtalt"


def _terms(text: str, drop: set[str] | None = None) -> set[str]:
    terms = {t for t in content_terms(text) if t.isalpha() and len(t) > 2 and t not in _GENERIC}
    return terms - (drop or set())


def _numbered(passages: list[Passage], number: int) -> Passage | None:
    pattern = re.compile(r"\baftale\s+(?:nr\.\s*)?" + str(number) + r"(?![\d,.]\d)\b", re.IGNORECASE)
    for p in passages:
        if pattern.search(p.text):
            return p
    return None


def _names_other_agreement(text: str, number: int | None) -> bool:
    nums = {int(n) for n in re.findall(r"\baftale\s+(?:nr\.\s*)?(\d{1,2})\b", text, re.IGNORECASE)}
    return bool(nums) and number not in nums


def _by_terms(agreement: Agreement, passages: list[Passage], names_of_afdelinger: list[str]) -> Passage | None:
    # afdeling names are matched separately; sharing only them proves nothing
    names = {t for t in content_terms(" ".join(names_of_afdelinger)) if t.isalpha()}
    wanted = _terms(agreement.text, names)
    if not wanted:
        return None
    best: tuple[float, Passage] | None = None
    for p in passages:
        if _names_other_agreement(p.text, agreement.number):
            continue
        if agreement.afdeling_nr is not None and not re.search(
                r"\bafd(?:eling|\.)?\s*" + str(agreement.afdeling_nr) + r"\b", p.text, re.IGNORECASE):
            continue
        shared = wanted & _terms(p.text, names)
        score = len(shared) / len(wanted)
        if len(shared) >= _MIN_SHARED and score >= _MIN_SCORE and (best is None or score > best[0]):
            best = (score, p)
    return best[1] if best else None


def agreements_from_register(kb: KnowledgeBase, organisation: str | None, styringsaar: int | None
                             ) -> tuple[list[Agreement], str | None, str | None]:
    """Last year's agreements from the agreement register: those of the organisation's latest referat
    before the styringsår, as (agreements, referat title, referat source id)."""
    from service.agreements.register import get_register  # the register reads statements with classify_status
    from service.review.sources import find_last_referat

    record = find_last_referat(kb, organisation, styringsaar)
    if record is None:
        return [], None, None
    entries = [e for e in get_register(kb).entries()
               if e.category == "aftale" and any(s.source_id == record.source_id for s in e.sources)]
    entries.sort(key=lambda e: (e.number is None, e.number or 0))
    agreements = [e.to_agreement() for e in entries]
    for agreement in agreements:
        agreement.organisation = agreement.organisation or organisation
    return agreements, record.title, record.source_id


def follow_up(agreements: list[Agreement], report: ReportExtraction, *, today: dt.date | None = None) -> list[FollowUp]:
    """Match every agreement to what the report says about it."""
    today = today or dt.date.today()
    # the organisation's comments, and other passages about agreements - but not its wishes for new ones
    own_words = report.comments + [p for p in report.passages if p not in report.comments and p not in report.wishes
                                   and re.search(r"\baftale", p.text, re.IGNORECASE)]
    names = [a.name for a in report.afdelinger if a.name]
    out: list[FollowUp] = []
    for agreement in agreements:
        passage, how = None, ""
        if agreement.number is not None:
            passage = _numbered(report.passages, agreement.number)
            how = "nummer" if passage else ""
        if passage is None:
            passage = _by_terms(agreement, own_words, names)
            how = "ord" if passage else ""
        if passage is None:
            status, statement, page = "ikke_omtalt", None, None
        else:
            status, statement, page = classify_status(passage.text), passage.text, passage.page
        overdue = bool(agreement.deadline and status != "opfyldt"
                       and dt.date.fromisoformat(agreement.deadline) < today)
        out.append(FollowUp(agreement, status, statement, page, how, overdue))
    return out
