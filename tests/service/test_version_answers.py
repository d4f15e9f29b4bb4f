"""'Which version is current?' through the assistant (API and CLI route alike): from the recorded versions -
the imported official texts, else the built-in notes - and a question about a date gets the text then in force,
its citation naming the version."""

from __future__ import annotations

import pytest

from ingest.builtin import ensure_builtin
from ingest.law_import import import_law
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.search_types import build_filters
from service import assistant
from tests.ingest.test_statute_layouts import STATUTES, V1, V2


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeBase, Settings]:
    settings = Settings(home=tmp_path_factory.mktemp("versions"), embedding_backend="fake")
    kb = KnowledgeBase(settings)
    sync = ensure_builtin(kb)
    assert sync is not None and not sync.failed
    import_law(kb, STATUTES / f"{V1}.txt")
    import_law(kb, STATUTES / f"{V2}.xml")
    return kb, settings


@pytest.mark.parametrize(("question", "version"), [
    ("Hvilken version af almenboligloven er gældende?", "LBK nr. 207 af 25/01/2026"),
    ("hvilken driftsbekendtgørelse gælder?", "BEK nr. 1642 af 07/12/2023"),
])
def test_without_an_official_text_the_notes_name_the_version(setup: tuple[KnowledgeBase, Settings], question: str,
                                                              version: str) -> None:
    kb, settings = setup
    answer = assistant.answer(question, kb=kb, settings=settings)
    assert answer.grounded and not answer.abstained
    assert "den gældende version af" in answer.text and version in answer.text and "[1]" in answer.text
    assert "indbyggede notater" in answer.text and any("almen lov import" in n for n in answer.notes)
    [citation] = answer.citations
    assert citation.source_id.startswith("builtin-") and version in citation.label and version in citation.quote
    assert "2006" not in answer.text


def test_with_official_texts_the_newest_is_current_and_the_older_is_named(setup: tuple[KnowledgeBase, Settings]) -> None:
    kb, settings = setup
    answer = assistant.answer("Hvilken version af prøveboligloven er gældende?", kb=kb, settings=settings)
    assert answer.text.startswith("Den gældende version af prøveboligloven er LBK nr. 123 af 25/01/2026")
    assert answer.citations[0].source_id == "lov-proeveboligloven-lbk-123-2026"
    assert any("LBK nr. 118 af 20/01/2025 (gældende til og med 24. januar 2026)" in n for n in answer.notes)
    events = list(assistant.stream("Hvilken version af prøveboligloven er gældende?", kb=kb, settings=settings))
    assert any("LBK nr. 123 af 25/01/2026" in str(e) for e in events)


def test_a_date_gets_the_version_then_in_force(setup: tuple[KnowledgeBase, Settings]) -> None:
    kb, settings = setup
    answer = assistant.answer("Hvilken version af prøveboligloven gjaldt den 1. juni 2025?", kb=kb, settings=settings)
    assert answer.text.startswith("Den 1. juni 2025 gjaldt LBK nr. 118 af 20/01/2025 af prøveboligloven")
    question = "Hvad er fristen for afgørelse om anvisning efter prøveboligloven § 51 b, stk. 3?"
    then = assistant.answer(question, kb=kb, settings=settings, filters=build_filters(on="2025-06-01"))
    now = assistant.answer(question, kb=kb, settings=settings)
    assert "8 uger" in then.text and "6 uger" not in then.text
    assert "LBK nr. 118 af 20/01/2025" in then.citations[0].label
    assert "6 uger" in now.text and "8 uger" not in now.text
    assert "LBK nr. 123 af 25/01/2026" in now.citations[0].label
