"""The domain rules that used to live in two or three places, each pinned at its one home.

Status words, the overdue rule (the same answer in the register, its export, the chat and the review),
linking a statement to an agreement, a document's date, last year's figure, the question rule and
the filter builder. The documents are written here (a referat of an invented organisation).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.pipeline import ingest_file
from knowledge.config import Settings
from knowledge.errors import InvalidQuestionError, QueryError
from knowledge.kb import KnowledgeBase
from knowledge.questions import validate_question
from knowledge.search_types import SearchFilters, build_filters
from service.agreements.dating import document_date
from service.agreements.export import entry_row
from service.agreements.register import STATUS_FILTERS, get_register
from service.agreements.units import TextUnit
from service.domain.linking import link_score, mentions_agreement, names_other_agreement
from service.domain.status import (
    REGISTER_STATUSES,
    STATUS_LABELS,
    classify_status,
    is_overdue,
    status_from_field,
)
from service.review.followup import agreements_from_register, follow_up
from service.review.last_year import LastYear
from service.review.model import Figure, Identity, Passage, ReportExtraction
from tests.service.agreements_helpers import write_referat_docx

ORG = "Boligselskabet Solsikken"
AFTER_2026 = dt.date(2027, 3, 1)


# -- status words -----------------------------------------------------------------------------------

def test_one_status_vocabulary_for_register_review_and_filters() -> None:
    assert set(REGISTER_STATUSES) | {"omtalt", "ikke_omtalt"} == set(STATUS_LABELS)
    assert STATUS_FILTERS == (*REGISTER_STATUSES, "overskredet", "oenske")
    assert STATUS_LABELS["i_gang"] == "i gang" and STATUS_LABELS["ikke_omtalt"] == "ikke omtalt"


@pytest.mark.parametrize(("text", "status"), [
    ("Aftale 5 er ikke opfyldt: der blev holdt et møde, men planen mangler.", "ikke_opfyldt"),
    ("Aftale 3 er i gang: handleplanen er endnu ikke vedtaget.", "i_gang"),
    ("Aftale 1 er opfyldt: kommunen anviste 12 boliger.", "opfyldt"),
    ("Planen blev sendt til kommunen i marts.", "opfyldt"),
    ("Arbejdet er udskudt til næste år.", "ikke_opfyldt"),
    ("Vi har talt om aftalen.", "omtalt"),
])
def test_status_of_a_statement(text: str, status: str) -> None:
    assert classify_status(text) == status


@pytest.mark.parametrize(("field", "status"), [
    ("i gang", "i_gang"), ("Opfyldt", "opfyldt"), ("ikke opfyldt", "ikke_opfyldt"), ("drøftes", "aftalt"), ("", "aftalt"),
])
def test_status_field_of_an_agreement(field: str, status: str) -> None:
    assert status_from_field(field) == status


# -- the overdue rule --------------------------------------------------------------------------------

@pytest.mark.parametrize(("deadline", "text", "uncertain", "met", "today", "overdue"), [
    ("2026-02-01", "inden 1. februar 2026", False, False, dt.date(2026, 2, 2), True),
    ("2026-02-01", "inden 1. februar 2026", False, False, dt.date(2026, 2, 1), False),
    ("2026-02-01", "inden 1. februar 2026", False, True, dt.date(2030, 1, 1), False),  # met: never overdue
    (None, "i løbet af 2026", True, False, dt.date(2026, 12, 31), False),
    (None, "i løbet af 2026", True, False, AFTER_2026, True),
    (None, "i løbet af 2026", True, True, AFTER_2026, False),
    (None, "inden næste dialogmøde", True, False, dt.date(2030, 1, 1), False),  # no year to judge by
    (None, "løbende", False, False, dt.date(2030, 1, 1), False),
])
def test_overdue_rule(deadline: str | None, text: str, uncertain: bool, met: bool, today: dt.date,
                      overdue: bool) -> None:
    assert is_overdue(deadline, text, uncertain=uncertain, met=met, today=today) is overdue


@pytest.fixture
def register_kb(tmp_path: Path) -> KnowledgeBase:
    """A referat from 2025 with an exact deadline, a vague one, and an agreement a later referat calls met."""
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake"))
    referat = write_referat_docx(
        tmp_path / "referat-2025.docx", f"Referat af dialogmøde med {ORG}", [
            ("Aftaler", [
                "Aftale 1. Boligselskabet Solsikken sender en plan for energirenovering af afd. 2 Havestien "
                "til kommunen inden 1. februar 2026.",
                "Aftale 2. Kommunen evaluerer visitationen til ældreboligerne i afd. 4 Kløvervangen i løbet af 2026.",
                "Aftale 3. Boligselskabet Solsikken opdaterer vedligeholdelsesplanen for afd. 1 Rosenlund "
                "senest 1. marts 2026.",
            ]),
        ], intro="Mødedato: tirsdag den 23. september 2025")
    later = write_referat_docx(
        tmp_path / "referat-2026.docx", f"Referat af dialogmøde med {ORG} 2026", [
            ("Opfølgning på aftaler fra dialogmødet den 23. september 2025", [
                "Aftale 3 er opfyldt: den opdaterede vedligeholdelsesplan for afd. 1 Rosenlund er vedtaget.",
            ]),
        ], intro="Mødedato: onsdag den 7. oktober 2026")
    for path, year in ((referat, 2025), (later, 2026)):
        result = ingest_file(kb, path, kind="referat", org=ORG, year=year)
        assert result.status == "added", result.message
    return kb


def _report(*passages: str) -> ReportExtraction:
    identity = Identity(ORG, 2027, 2026, "Solby Kommune", "Styringsrapport 2027", 3, "pdf")
    return ReportExtraction(identity, [], passages=[Passage(p, 2) for p in passages])


def test_overdue_is_the_same_in_the_register_its_export_and_the_review(register_kb: KnowledgeBase) -> None:
    entries = {e.number: e for e in get_register(register_kb).entries(today=AFTER_2026)
               if e.sources[0].title.endswith(ORG)}
    assert entries[2].deadline_text == "i løbet af 2026" and entries[2].deadline_uncertain
    assert entries[3].status == "opfyldt"  # the later referat says so
    register_overdue = {n: e.is_overdue(AFTER_2026) for n, e in entries.items()}
    assert register_overdue == {1: True, 2: True, 3: False}
    assert {n: entry_row(e, AFTER_2026)["Overskredet"] == "ja" for n, e in entries.items()} == register_overdue
    assert {n: e.to_dict(today=AFTER_2026)["overskredet"] for n, e in entries.items()} == register_overdue

    agreements, _, _ = agreements_from_register(register_kb, ORG, 2026)
    followups = follow_up(agreements, _report("Vi har ikke nået at omtale aftalerne i år."), today=AFTER_2026)
    assert {fu.agreement.number: fu.overdue for fu in followups} == register_overdue


def test_the_review_never_counts_a_met_agreement_as_overdue(register_kb: KnowledgeBase) -> None:
    agreements, _, _ = agreements_from_register(register_kb, ORG, 2026)
    report = _report("Aftale 1 er opfyldt: planen for energirenovering af afd. 2 Havestien blev sendt i januar.")
    followups = {fu.agreement.number: fu for fu in follow_up(agreements, report, today=AFTER_2026)}
    assert followups[1].status == "opfyldt" and not followups[1].overdue  # the report says it is met
    assert followups[3].status == "ikke_omtalt" and not followups[3].overdue  # a later referat says it is met
    assert followups[2].overdue


# -- linking a statement to an agreement -------------------------------------------------------------

def test_linking_by_number_and_by_words() -> None:
    assert mentions_agreement("Aftale 2 er opfyldt.", 2) and not mentions_agreement("aftale 2,5 mio. kr.", 2)
    assert names_other_agreement("Aftale 3 er i gang.", 2) and not names_other_agreement("Planen er sendt.", 2)
    agreement = "Boligselskabet Solsikken sender en plan for energirenovering af afd. 2 Havestien til kommunen."
    assert link_score(agreement, "Solsikken har sendt planen for energirenovering af afd. 2 Havestien.", afdeling_nr=2)
    assert link_score(agreement, "Solsikken har sendt planen for energirenovering af afd. 5.", afdeling_nr=2) is None
    assert link_score(agreement, "Planen for energirenovering er sendt.") is None  # two of six words: not enough
    # dates, months, generic words and municipality names tie nothing
    assert link_score("Solby Kommune sender senest 1. marts 2026 en aftale.",
                      "Solby Kommune holdt møde den 1. marts 2026 om en aftale.") is None


# -- a document's date -------------------------------------------------------------------------------

def test_document_date_is_generic_and_a_referat_is_dated_by_its_meeting() -> None:
    signed = [TextUnit("Aftale om udlejning", None, "", True), TextUnit("Aftalen gælder fra 1. april 2026.", 1),
              TextUnit("Nørrelund, den 16. marts 2026", 2)]
    assert document_date(signed) == "2026-03-16"  # any place name before ', den <date>'
    referat = [TextUnit("Mødedato: tirsdag den 23. september 2025", 1),
               TextUnit("Referatet er godkendt af begge parter den 7. oktober 2025.", 3)]
    assert document_date(referat, records_meeting=True) == "2025-09-23"
    assert document_date(referat) == "2025-10-07"
    assert document_date([TextUnit("Notat 12. januar 2026", 1), TextUnit("Ingen dato her.", 1)]) == "2026-01-12"
    assert document_date([TextUnit("Ingen dato her.", 1)]) is None


def test_no_sample_name_in_a_rule() -> None:
    root = Path(__file__).resolve().parents[2]
    names = ("egeskov", "fjordbo", "lindegården", "lindegaarden", "ravnsborg")
    files = [f for pkg in ("service", "knowledge", "eval", "prompts", "ingest") for f in (root / pkg).rglob("*.py")
             if "samples" not in f.relative_to(root).parts]
    offenders = [str(f.relative_to(root)) for f in files if any(n in f.read_text(encoding="utf-8").lower() for n in names)]
    assert not offenders


# -- last year's figure ------------------------------------------------------------------------------

def _figure(value: float, *, year: int | None = None, afd: int | None = 3, boligtype: str | None = None) -> Figure:
    return Figure("husleje_pr_m2", f"Afd. {afd}" if afd else None, value, "kr/m2", 2, "", year=year,
                  boligtype=boligtype, afdeling_nr=afd)


def test_last_year_prefers_last_years_report_then_the_latest_earlier_column() -> None:
    identity = Identity(ORG, 2026, 2025, None, "", 4, "pdf")
    current = ReportExtraction(identity, [_figure(900)], previous_in_report=[
        _figure(850, year=2023), _figure(880, year=2024), _figure(700, year=2024, boligtype="ældreboliger")])
    from_column = LastYear(current, None)
    assert from_column.get("husleje_pr_m2", 3).figure.value == 880  # type: ignore[union-attr]
    assert from_column.get("husleje_pr_m2", 3, "ældreboliger").figure.value == 700  # type: ignore[union-attr]
    assert from_column.get("husleje_pr_m2", 4) is None
    previous = ReportExtraction(Identity(ORG, 2025, 2024, None, "", 4, "pdf"), [_figure(870)])
    from_report = LastYear(current, previous).of(_figure(900))
    assert from_report is not None and from_report.figure.value == 870 and from_report.report_year == 2025


# -- the question rule and the filter builder --------------------------------------------------------

def test_one_question_rule() -> None:
    assert validate_question("  Hvem  fører\ntilsyn? ", 20) == "Hvem fører tilsyn?"
    with pytest.raises(InvalidQuestionError, match="Spørgsmålet er tomt"):
        validate_question("   ", 20)
    with pytest.raises(InvalidQuestionError, match=r"for langt \(21 tegn; højst 20\)"):
        validate_question("x" * 21, 20)
    assert validate_question("a  " * 10, 20) == " ".join(["a"] * 10)  # counted after collapsing whitespace


def test_one_filter_builder() -> None:
    assert build_filters(kind="", org="", on=None) is None
    built = build_filters(kind="Bekendtgørelse", org="Solsikken", year="2024", on="1/2/2024")
    assert built == SearchFilters(kind="bekendtgoerelse", org="Solsikken", year=2024, on_date=dt.date(2024, 2, 1))
    with pytest.raises(QueryError, match="Ukendt dokumenttype"):
        build_filters(kind="roman")
    with pytest.raises(QueryError, match="Ugyldig dato"):
        build_filters(on="31-02-2024x")
