"""A review reads only what the reviewer may see: last year's report, the referat, the agreements and the
cited rules of another scope never reach the note (API, CLI --scope), while built-in texts always do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.pipeline import SAMPLES_DIR, ingest_file, sample_files
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from service.api.scopes import visible_sources
from service.review.review import review_report
from tests.service.conftest import builtin_dir_with
from tests.service.test_review_report import CORPUS_DIR, CORPUS_FILES

LAST_YEAR = ("styringsrapport-2025-fjordbo.pdf", "referat-dialogmoede-2025-fjordbo.pdf")
REPORT = SAMPLES_DIR / "styringsrapport-2026-fjordbo.pdf"


class _Who:
    def __init__(self, scope: str | None) -> None:
        self.scope = scope


@pytest.fixture(scope="module")
def scoped_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """Built-in notes for everyone; last year's report and referat belong to the scope 'nordby'."""
    kb = KnowledgeBase(Settings(home=tmp_path_factory.mktemp("scoped-review") / "home", embedding_backend="fake"))
    for name in CORPUS_FILES:
        assert ingest_file(kb, CORPUS_DIR / name, id_prefix="builtin", builtin=True).status == "added"
    meta = {p.name: m for p, m in sample_files()}
    for name in LAST_YEAR:
        result = ingest_file(kb, SAMPLES_DIR / name, id_prefix="nordby", scope="nordby", **meta[name])
        assert result.status == "added", result.message
    return kb


def _review(kb: KnowledgeBase, scope: str | None) -> dict[str, object]:
    sources = visible_sources(kb, _Who(scope))
    return review_report(REPORT, kb=kb, settings=kb.settings, sources=sources).to_dict()


def test_the_owner_scope_sees_last_year_and_the_referat(scoped_kb: KnowledgeBase) -> None:
    own = _review(scoped_kb, "nordby")
    assert "vidensbasen" in str(own["previous_origin"]) and own["referat"]
    assert own["agreements"], "the referat's agreements are followed up"
    everyone = _review(scoped_kb, None)  # a caller without a scope sees everything, as before
    assert everyone["previous_origin"] == own["previous_origin"]


def test_another_scope_gets_nothing_of_theirs_but_the_built_in_rules(scoped_kb: KnowledgeBase) -> None:
    other = _review(scoped_kb, "soenderby")
    assert other["previous_origin"] is None and other["referat"] is None and not other["agreements"]
    text = json.dumps(other, ensure_ascii=False)
    assert "nordby-" not in text, "a source id of the other scope reached the review"
    cited = [c for check in other["checks"] for c in check["citations"]]  # type: ignore[attr-defined]
    assert cited and all(c["chunk_id"].startswith("builtin-") for c in cited)


def test_cli_review_scope_reads_and_adds_within_the_scope(scoped_kb: KnowledgeBase, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from service.cli import app

    monkeypatch.setenv("ALMEN_HOME", str(scoped_kb.settings.home))
    monkeypatch.setenv("ALMEN_BUILTIN_DIR", str(builtin_dir_with(tmp_path / "corpus", CORPUS_FILES)))
    monkeypatch.setenv("ALMEN_EMBEDDING_BACKEND", "fake")
    runner = CliRunner()
    other = runner.invoke(app, ["review", str(REPORT), "--scope", "soenderby", "--json", "--add-to-kb",
                                "--out", str(tmp_path / "a")])
    assert other.exit_code == 0, other.output
    data = json.loads(other.output)
    assert data["previous_origin"] is None and not data["agreements"]
    added = data["knowledge_base"]["source_id"]
    kb = KnowledgeBase(Settings(home=scoped_kb.settings.home, embedding_backend="fake"))
    assert {r.source_id: r.scope for r in kb.store.list_sources()}[added] == "soenderby"
    own = runner.invoke(app, ["review", str(REPORT), "--scope", "nordby", "--json", "--out", str(tmp_path / "b")])
    assert own.exit_code == 0, own.output
    assert "vidensbasen" in str(json.loads(own.output)["previous_origin"])
    bad = runner.invoke(app, ["review", str(REPORT), "--scope", "../x", "--out", str(tmp_path / "c")])
    assert bad.exit_code == 1 and "Traceback" not in bad.output
