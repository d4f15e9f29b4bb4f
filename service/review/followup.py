"""'Opfølgning på sidste års aftaler': last year's agreements and what the new report says about each.

The agreements come from the agreement register (the same one as 'almen aftaler'). A statement in the
report is tied to an agreement by its number ('Aftale 2 er opfyldt: ...') or, failing that, by shared
words with the report's own comments (service.domain.linking). The status is read from the statement's
words (service.domain.status); no statement = 'ikke omtalt'. An agreement is overdue by the one rule in
service.domain.status, and met when the report or a later document says so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from knowledge.kb import KnowledgeBase
from knowledge.text import content_terms
from service.agreements.agreement import Agreement
from service.agreements.register import get_register
from service.domain.linking import link_score, mentions_agreement, names_other_agreement
from service.domain.status import IKKE_OMTALT, OPFYLDT, classify_status, is_overdue, status_label
from service.review.model import Passage, ReportExtraction
from service.review.sources import find_last_referat


@dataclass
class FollowUp:
    """One agreement from last year's referat and what the new report says about it."""

    agreement: Agreement
    status: str  # opfyldt, i_gang, ikke_opfyldt, omtalt, ikke_omtalt (service.domain.status)
    statement: str | None = None
    page: int | None = None
    matched_by: str = ""  # 'nummer' or 'ord'
    overdue: bool = False  # the deadline has passed and neither the report nor a later document says it is met

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    def to_dict(self) -> dict[str, Any]:
        return {"agreement": self.agreement.to_dict(), "status": self.status, "status_label": self.status_label,
                "statement": self.statement, "page": self.page, "matched_by": self.matched_by,
                "overdue": self.overdue}


def _numbered(passages: list[Passage], number: int) -> Passage | None:
    return next((p for p in passages if mentions_agreement(p.text, number)), None)


def _by_terms(agreement: Agreement, passages: list[Passage], names_of_afdelinger: list[str]) -> Passage | None:
    # afdeling names are matched separately; sharing only them proves nothing
    names = {t for t in content_terms(" ".join(names_of_afdelinger)) if t.isalpha()}
    best: tuple[float, Passage] | None = None
    for p in passages:
        if names_other_agreement(p.text, agreement.number):
            continue
        score = link_score(agreement.text, p.text, afdeling_nr=agreement.afdeling_nr, drop=names)
        if score is not None and (best is None or score > best[0]):
            best = (score, p)
    return best[1] if best else None


def agreements_from_register(kb: KnowledgeBase, organisation: str | None, styringsaar: int | None,
                             sources: frozenset[str] | None = None
                             ) -> tuple[list[Agreement], str | None, str | None]:
    """Last year's agreements from the agreement register: those of the organisation's latest referat
    before the styringsår (among ``sources``, the ids the caller may see; None = all), as (agreements,
    referat title, referat source id)."""
    record = find_last_referat(kb, organisation, styringsaar, sources)
    if record is None:
        return [], None, None
    entries = [e for e in get_register(kb).entries()
               if e.category == "aftale" and any(s.source_id == record.source_id for s in e.sources)]
    entries.sort(key=lambda e: (e.number is None, e.number or 0))
    agreements = [e.to_agreement() for e in entries]
    for agreement in agreements:
        agreement.organisation = agreement.organisation or organisation
    return agreements, record.title, record.source_id


def agreements_in_force(kb: KnowledgeBase, organisation: str | None, styringsaar: int | None,
                        sources: frozenset[str] | None = None) -> list[Agreement]:
    """The organisation's agreements in the register that run in the styringsår (no period, or one that has
    not ended before it), for what they say is due (an evaluation). Only agreements read from a document in
    ``sources`` (the ids the caller may see; None = all) count."""
    if not organisation:
        return []
    start = f"{styringsaar - 1}-01-01" if styringsaar else ""
    out = []
    for e in get_register(kb).entries():
        if e.category != "aftale" or not e.names_organisation(organisation):
            continue
        if sources is not None and not any(s.source_id in sources for s in e.sources):
            continue
        if e.valid_to and start and e.valid_to < start:
            continue
        out.append(e.to_agreement())
    return out


def _statement_for(agreement: Agreement, report: ReportExtraction, own_words: list[Passage],
                   names: list[str]) -> tuple[Passage | None, str]:
    """The report's passage about an agreement and how it was found ('nummer', 'ord' or '')."""
    if agreement.number is not None:
        passage = _numbered(report.passages, agreement.number)
        if passage is not None:
            return passage, "nummer"
    passage = _by_terms(agreement, own_words, names)
    return passage, "ord" if passage is not None else ""


def follow_up(agreements: list[Agreement], report: ReportExtraction, *, today: dt.date | None = None) -> list[FollowUp]:
    """Match every agreement to what the report says about it."""
    today = today or dt.date.today()
    # the organisation's comments, and other passages about agreements - but not its wishes for new ones
    own_words = report.comments + [p for p in report.passages if p not in report.comments and p not in report.wishes
                                   and re.search(r"\baftale", p.text, re.IGNORECASE)]
    names = [a.name for a in report.afdelinger if a.name]
    out: list[FollowUp] = []
    for agreement in agreements:
        passage, how = _statement_for(agreement, report, own_words, names)
        if passage is None:
            status, statement, page = IKKE_OMTALT, None, None
        else:
            status, statement, page = classify_status(passage.text), passage.text, passage.page
        met = OPFYLDT in (status, agreement.status)
        overdue = is_overdue(agreement.deadline, agreement.deadline_text, uncertain=agreement.deadline_uncertain,
                             met=met, today=today)
        out.append(FollowUp(agreement, status, statement, page, how, overdue))
    return out
