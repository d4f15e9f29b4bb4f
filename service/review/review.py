"""review_report: one styringsrapport in, a Review out (figures, checks, agreement follow-up, note)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from ingest.budget import document_budget
from ingest.cpr import redact_cpr, redact_document
from ingest.loaders import load_file
from ingest.pipeline import FileResult, ingest_file
from knowledge.authority import AUTHORITY_ORDER, authority_rank
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.search_types import SearchFilters
from service.agreements.agreement import Agreement
from service.review.check_results import FOLLOW_UP, CheckResult
from service.review.checklist import Checklist, is_legal_id, legal_label, load_checklist
from service.review.checks import run_checks
from service.review.extract import extract_report
from service.review.followup import agreements_from_register, agreements_in_force, follow_up
from service.review.model import ReportExtraction
from service.review.note import build_note, summary_text
from service.review.result import Review, RuleCitation
from service.review.sources import PreviousReport, check_previous, find_previous_report, load_previous_report

# Kinds of documents that hold rules and guidance (cited for flagged items), and the lowest authority that
# speaks for a rule (knowledge.authority: statute, built-in note, guidance).
RULE_KINDS = frozenset({"lov", "bekendtgoerelse", "vejledning", "notat"})
RULE_AUTHORITY = AUTHORITY_ORDER.index("guidance")


def cite_rules(kb: KnowledgeBase, check: CheckResult, *, k: int = 2,
               cache: dict[str, list[RuleCitation]] | None = None,
               sources: frozenset[str] | None = None) -> list[RuleCitation]:
    """Rules and guidance behind a check, retrieved from the knowledge base (never reports or referater).

    One search per item: its search text plus the labels of its legal basis ('almenboligloven § 14 b,
    stk. 3'), so the provision itself is found by the retriever's legal-reference lookup.
    """
    labels = [legal_label(b) for b in check.item.basis if is_legal_id(b)]
    query = " ".join([check.item.search] + labels)
    if cache is not None and query in cache:
        return cache[query]
    out: list[RuleCitation] = []
    filters = SearchFilters(sources=sources) if sources is not None else None
    for hit in kb.search(query, k=8, filters=filters).hits:
        kind = str(hit.chunk.metadata.get("kind", ""))
        if kind not in RULE_KINDS or any(c.label == hit.chunk.citation_label() for c in out):
            continue
        if authority_rank(hit.chunk.metadata) > RULE_AUTHORITY:
            continue  # a rule comes from a statute, the built-in notes or guidance: not a referat's notat, no sample
        quote = " ".join(hit.chunk.text.split())[:240]
        out.append(RuleCitation(hit.chunk.citation_label(), hit.chunk.id, kind, quote))
        if len(out) >= k:
            break
    if cache is not None:
        cache[query] = out
    return out


def _agreements_for(kb: KnowledgeBase, report: ReportExtraction, sources: frozenset[str] | None
                    ) -> tuple[list[Agreement], str | None, str | None]:
    # the same agreement register as 'almen aftaler', GET /api/agreements and the chat
    return agreements_from_register(kb, report.identity.organisation, report.identity.styringsaar, sources)


def add_to_knowledge_base(kb: KnowledgeBase, path: Path | str, review: Review, *, display_name: str | None = None,
                          source_id: str | None = None, scope: str = "") -> FileResult:
    """Ingest the reviewed report as the organisation's styringsrapport (organisation, year and municipality as
    the review read or was given them), so the agreement register reads its wishes and statements and the
    register and the review say the same. ``scope`` is the owner scope of the document (the caller's, as for an
    upload). Never raises for bad input (the result says what went wrong)."""
    ident = review.report.identity
    return ingest_file(kb, Path(path), kind="styringsrapport", org=ident.organisation, year=ident.styringsaar,
                       municipality=ident.municipality, display_name=display_name, source_id=source_id,
                       scope=scope)


def review_report(
    report_path: Path | str,
    *,
    kb: KnowledgeBase,
    settings: Settings,
    previous_path: Path | str | None = None,
    org: str | None = None,
    year: int | None = None,
    checklist: Checklist | None = None,
    today: dt.date | None = None,
    sources: frozenset[str] | None = None,
) -> Review:
    """Review a styringsrapport: extract figures, compare with last year, run the checklist, follow up agreements.

    ``sources`` are the ids of the documents the reviewer may see (None = all): last year's report, the
    referat, the agreements and the cited rules come only from those, so a review never shows another
    scope's documents.

    Raises ingest's LoadError (unreadable, scanned, too large) and the review errors (NotAReportError,
    PreviousReportError) with Danish messages.
    """
    start = time.perf_counter()
    with document_budget(Path(report_path).name, seconds=settings.max_parse_seconds,
                         max_chunks=settings.max_chunks_per_document):
        doc = load_file(Path(report_path), max_bytes=settings.max_file_bytes)
    cpr_found = redact_document(doc)  # a CPR number in a report must not reach the note, the JSON or the log
    report = extract_report(doc)
    warnings = list(report.warnings)
    if cpr_found:
        warnings.append(f"Rapporten indeholdt {cpr_found} CPR-nummer/-numre; de er fjernet fra gennemgangen og notatet.")
    ident = report.identity
    org = redact_cpr(org)[0] if org else org  # the user's input is written to the note and the JSON too
    detected = [name for name, given, found in (("organisation", org, ident.organisation),
                                                  ("year", year, ident.styringsaar)) if not given and found]
    if org:
        if ident.organisation and ident.organisation != org:
            warnings.append(f"Organisationen er angivet som '{org}'; rapporten nævner '{ident.organisation}'.")
        ident.organisation = org
    if year:
        ident.styringsaar, ident.regnskabsaar = year, year - 1
    if not ident.organisation:
        warnings.append("Organisationens navn kunne ikke aflæses i rapporten; angiv det med --org.")
    if not ident.styringsaar:
        warnings.append("Styringsåret kunne ikke aflæses i rapporten; angiv det med --year.")

    previous: PreviousReport | None
    if previous_path is not None:
        previous = load_previous_report(Path(previous_path), max_bytes=settings.max_file_bytes)
    else:
        previous = find_previous_report(kb, ident.organisation, ident.styringsaar, sources)
    if previous is not None:
        warnings += check_previous(report, previous.extraction)
    elif ident.styringsaar:
        warnings.append(f"Der blev ikke fundet en styringsrapport for {ident.styringsaar - 1} fra organisationen; "
                        "ændringer i forhold til sidste år bygger kun på rapportens egne sammenligningstal.")

    checklist = checklist or load_checklist()
    in_force = agreements_in_force(kb, ident.organisation, ident.styringsaar, sources)
    checks = run_checks(checklist, report, previous.extraction if previous else None, in_force)
    agreements, referat_title, referat_id = _agreements_for(kb, report, sources)
    followups = follow_up(agreements, report, today=today)
    cache: dict[str, list[RuleCitation]] = {}
    citations = {c.item.id: cite_rules(kb, c, cache=cache, sources=sources) for c in checks
                 if c.status == FOLLOW_UP}
    review = Review(
        report=report, checks=checks, checklist=checklist,
        previous=previous.extraction if previous else None, previous_origin=previous.origin if previous else None,
        referat_title=referat_title, referat_source_id=referat_id, followups=followups, citations=citations,
        warnings=warnings, created=today or dt.date.today(), detected=detected,
    )
    review.summary = summary_text(review)
    review.note = build_note(review)
    review.seconds = time.perf_counter() - start
    return review
