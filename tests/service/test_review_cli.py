"""`almen review` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from ingest.pipeline import SAMPLES_DIR
from tests.service.conftest import builtin_dir_with
from tests.service.test_review_report import CORPUS_FILES, build_review_kb


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory that already holds a small knowledge base (so the CLI does not ingest the corpus)."""
    home = tmp_path_factory.mktemp("review-cli") / "home"
    build_review_kb(home)
    return home


@pytest.fixture
def runner_env(cli_home: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ALMEN_HOME", str(cli_home))
    monkeypatch.setenv("ALMEN_BUILTIN_DIR", str(builtin_dir_with(cli_home.parent / "corpus", CORPUS_FILES)))
    monkeypatch.setenv("ALMEN_EMBEDDING_BACKEND", "fake")
    return CliRunner()


def test_review_writes_the_note_and_prints_json(runner_env: CliRunner, tmp_path: Path) -> None:
    from service.cli import app

    out = tmp_path / "notater" / "fjordbo.docx"
    res = runner_env.invoke(app, ["review", str(SAMPLES_DIR / "styringsrapport-2026-fjordbo.pdf"), "--out", str(out),
                                  "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["organisation"] == "Boligselskabet Fjordbo" and data["year"] == 2026
    assert data["files"] == {"docx": str(out), "markdown": str(out.with_suffix(".md"))}
    assert any(c["status"] == "følg op" and c["id"] == "effektivitet" for c in data["checks"])
    assert [a["status"] for a in data["agreements"]] == ["opfyldt", "opfyldt", "i_gang", "ikke_omtalt"]
    assert out.exists() and out.with_suffix(".md").exists()
    assert docx.Document(str(out)).paragraphs[0].text.startswith("Forberedelsesnotat")


def test_review_prints_a_summary_table(runner_env: CliRunner, tmp_path: Path) -> None:
    from service.cli import app

    res = runner_env.invoke(app, ["review", str(SAMPLES_DIR / "styringsrapport-2026-lindegaarden.pdf"),
                                  "--out", str(tmp_path / "notat")], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "Boligforeningen Lindegården" in res.output and "Tjekliste" in res.output and "følg op" in res.output
    assert "Opfølgning på sidste års aftaler" in res.output
    assert (tmp_path / "notat.docx").exists() and (tmp_path / "notat.md").exists()


def test_review_errors_are_red_lines_not_tracebacks(runner_env: CliRunner, tmp_path: Path) -> None:
    from service.cli import app

    menu = tmp_path / "menu.txt"
    menu.write_text("Kantinens menu\n\nMandag: frikadeller.\n", encoding="utf-8")
    res = runner_env.invoke(app, ["review", str(menu), "--out", str(tmp_path / "x.docx")])
    assert res.exit_code == 1 and "Fandt ingen nøgletal" in res.output and "Traceback" not in res.output
    res = runner_env.invoke(app, ["review", str(SAMPLES_DIR / "styringsrapport-2026-fjordbo.pdf"),
                                  "--previous", str(SAMPLES_DIR / "styringsrapport-2025-lindegaarden.pdf"),
                                  "--out", str(tmp_path / "y.docx")])
    assert res.exit_code == 1 and "Lindegården" in res.output
    res = runner_env.invoke(app, ["review", str(tmp_path / "findes-ikke.pdf")])
    assert res.exit_code == 1 and "findes ikke" in res.output
    assert not (tmp_path / "x.docx").exists()
