"""`almen ask`, `almen chat` and the refusals of `almen serve`, through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from knowledge.kb import KnowledgeBase
from service.cli import app
from tests.service.conftest import API_KB_NOTES, builtin_dir_with

QUESTION = "Hvad aftalte kommunen og Fjordbo om fleksibel udlejning i afdeling 7?"


@pytest.fixture
def runner(api_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """A runner whose environment points at the shared test knowledge base (fake embeddings) and its two notes."""
    monkeypatch.setenv("ALMEN_HOME", str(api_kb.settings.home))
    monkeypatch.setenv("ALMEN_BUILTIN_DIR", str(builtin_dir_with(tmp_path / "corpus", API_KB_NOTES)))
    monkeypatch.setenv("ALMEN_EMBEDDING_BACKEND", "fake")
    monkeypatch.setenv("COLUMNS", "200")
    for name in ("ALMEN_CHROMA_URL", "ALMEN_API_KEYS", "ALMEN_KEYS_FILE", "ALMEN_ALLOW_ANONYMOUS"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def output(result) -> str:
    return result.output + (getattr(result, "stderr", "") or "")


def test_ask_prints_answer_and_numbered_sources(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ask", QUESTION])
    assert result.exit_code == 0, output(result)
    text = output(result)
    assert "fleksibel udlejning" in text and "Kilder:" in text
    assert "[1] Notat om fleksibel udlejning i Fjordbo" in text


def test_ask_json_and_filters(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ask", QUESTION, "--json", "--org", "Fjordbo", "--year", "2024", "--kind", "notat"])
    assert result.exit_code == 0, output(result)
    data = json.loads(result.output)
    assert data["answer_id"] and data["citations"] and not data["abstained"]
    assert {c["kind"] for c in data["citations"]} == {"notat"}


def test_ask_abstains_with_a_note(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ask", "Hvem vandt fodboldlandskampen i går?"])
    assert result.exit_code == 0
    assert "ikke et sikkert svar" in output(result) and "Kilder (nærmeste):" in output(result)


@pytest.mark.parametrize("args,message", [
    (["--kind", "roman"], "Ukendt dokumenttype"),
    (["--on", "31-31-2020"], "Ugyldig dato"),
])
def test_ask_bad_options_are_red_lines(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["ask", QUESTION, *args])
    assert result.exit_code == 1 and message in output(result) and "Traceback" not in output(result)


def test_ask_too_long_question(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALMEN_MAX_QUESTION_CHARS", "20")
    result = runner.invoke(app, ["ask", QUESTION])
    assert result.exit_code == 1 and "for langt" in output(result)


def test_chat_keeps_history_and_can_start_over(runner: CliRunner) -> None:
    result = runner.invoke(app, ["chat"], input=f"{QUESTION}\nHvad var tomgangen der i 2023?\nny\nafslut\n")
    assert result.exit_code == 0, output(result)
    text = output(result)
    assert text.count("almen:") == 2 and "Ny samtale." in text and text.rstrip().endswith("Farvel.")
    assert "0,4 procent" in text  # the follow-up was answered from the same notat


def test_chat_ends_on_end_of_input(runner: CliRunner) -> None:
    result = runner.invoke(app, ["chat"], input="")
    assert result.exit_code == 0 and "Farvel." in output(result)


def test_serve_refuses_unsafe_or_impossible_setups(runner: CliRunner) -> None:
    workers = runner.invoke(app, ["serve", "--workers", "2"])
    assert workers.exit_code == 1 and "Chroma-server" in output(workers) and "ALMEN_CHROMA_URL" in output(workers)
    public = runner.invoke(app, ["serve", "--host", "0.0.0.0"])
    assert public.exit_code == 1 and "Ingen API-nøgler" in output(public)


def test_serve_refuses_malformed_keys(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALMEN_API_KEYS", "chef:hemmelig-noegle")
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 1 and "Ukendt rolle 'chef'" in output(result)
    assert "hemmelig-noegle" not in output(result)


def test_serve_logging_redacts_cpr_numbers() -> None:
    import logging
    import logging.config

    from service.cli.serve_cmds import log_config

    logging.config.dictConfig(log_config("info"))
    try:
        access = logging.getLogger("uvicorn.access")
        handler = access.handlers[0]
        record = access.makeRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                                   ("127.0.0.1:5000", "GET", "/api/search?q=010190-1234", "1.1", 200), None)
        assert all(f.filter(record) for f in handler.filters)
        assert "010190-1234" not in record.getMessage() and "[CPR]" in record.getMessage()
    finally:
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
