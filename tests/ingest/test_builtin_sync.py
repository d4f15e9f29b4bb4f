"""The built-in base is in every knowledge base (whatever filled it first) and follows its corpus version:
a changed corpus replaces the built-in documents at the next start, the CLI's and the service's, and
nothing else."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.builtin import CORPUS_DIR, builtin_files, ensure_builtin, plan_builtin
from ingest.pipeline import ingest_file, ingest_samples, sample_files
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase

NOTES = ("bestemmelse-almenboligloven-59.md", "tilsyn.md", "ordliste.md")
USER_NOTE = "# Notat om anvisning\n\nKommunen anviser hver fjerde ledige familiebolig efter aftale med afdelingen.\n"


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """A corpus folder with three real notes (ALMEN_BUILTIN_DIR), to be changed by the test."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in NOTES:
        shutil.copy(CORPUS_DIR / name, folder / name)
    return folder


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cli-home"
    monkeypatch.setenv("ALMEN_HOME", str(home))
    monkeypatch.setenv("ALMEN_EMBEDDING_BACKEND", "fake")
    return home


def _builtin_ids(home: Path, **settings: object) -> set[str]:
    kb = KnowledgeBase(Settings(home=home, embedding_backend="fake", **settings))  # type: ignore[arg-type]
    return {r.source_id for r in kb.store.list_sources() if r.builtin}


def _user_file(tmp_path: Path) -> Path:
    path = tmp_path / "docs" / "notat-anvisning.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(USER_NOTE, encoding="utf-8")
    return path


def test_cli_samples_first_gets_the_built_in_base(cli_env: Path) -> None:
    from service.cli import app

    res = CliRunner().invoke(app, ["ingest", "--samples"])
    assert res.exit_code == 0, res.output
    assert "Den indbyggede vidensbase er indlæst" in res.output
    kb = KnowledgeBase(Settings(home=cli_env, embedding_backend="fake"))
    records = kb.store.list_sources()
    assert {r.source_id for r in records if r.builtin} == {f"builtin-{f.stem}" for f in builtin_files()}
    assert len([r for r in records if r.source_id.startswith("sample-")]) == len(sample_files())
    assert {r.extra.get("authority") for r in records if r.builtin} == {"builtin_note"}
    assert {r.extra.get("authority") for r in records if r.source_id.startswith("sample-")} == {"sample"}


def test_cli_user_files_first_gets_the_built_in_base(cli_env: Path, tmp_path: Path) -> None:
    from service.cli import app

    res = CliRunner().invoke(app, ["ingest", str(_user_file(tmp_path)), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout[res.stdout.index("{"):])  # the built-in message goes to stderr
    assert report["added"] == 1
    assert len(_builtin_ids(cli_env)) == len(builtin_files())


@pytest.mark.parametrize("first", ["samples", "user-file"])
def test_service_start_adds_the_built_in_base_to_a_filled_store(first: str, tmp_path: Path,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    settings = Settings(home=tmp_path / "home", embedding_backend="fake", allow_anonymous=True)
    kb = KnowledgeBase(settings)
    if first == "samples":
        assert all(ev.result.status == "added" for ev in ingest_samples(kb) if ev.result is not None)
    else:
        assert ingest_file(kb, _user_file(tmp_path)).status == "added"
    before = {r.source_id: r.doc_hash for r in kb.store.list_sources()}
    assert not any(sid.startswith("builtin-") for sid in before)
    with caplog.at_level(logging.INFO, logger="almen.api"), TestClient(create_app(settings, kb=kb)) as client:
        assert client.get("/readyz").status_code == 200
    after = {r.source_id: r.doc_hash for r in kb.store.list_sources()}
    assert {sid for sid in after if sid.startswith("builtin-")} == {f"builtin-{f.stem}" for f in builtin_files()}
    assert {sid: after[sid] for sid in before} == before  # what was there is untouched
    assert "Den indbyggede vidensbase er indlæst" in caplog.text


def _change_corpus(folder: Path) -> None:
    """An upgrade: one note changed, one dropped, one new."""
    changed = folder / "tilsyn.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nEt nyt afsnit om tilsynets opfølgning.\n",
                       encoding="utf-8")
    (folder / "ordliste.md").unlink()
    (folder / "nyt-notat.md").write_text("---\ntitle: Nyt notat\nkind: vejledning\n---\n\n# Nyt notat\n\n"
                                         "Kommunen fører tilsyn med boligorganisationerne.\n", encoding="utf-8")


def test_cli_start_replaces_only_the_built_in_documents_after_a_corpus_change(
        cli_env: Path, tmp_path: Path, small_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from service.cli import app

    monkeypatch.setenv("ALMEN_BUILTIN_DIR", str(small_corpus))
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(_user_file(tmp_path))]).exit_code == 0
    kb = KnowledgeBase(Settings(home=cli_env, embedding_backend="fake"))
    before = {r.source_id: r for r in kb.store.list_sources()}
    assert {sid for sid, r in before.items() if r.builtin} == {f"builtin-{Path(n).stem}" for n in NOTES}

    res = runner.invoke(app, ["search", "tilsyn", "--json"])
    assert res.exit_code == 0 and "opdateret" not in res.output  # nothing changed: nothing said

    _change_corpus(small_corpus)
    res = runner.invoke(app, ["search", "tilsyn", "--json"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())  # Rich wraps long lines
    assert "Den indbyggede vidensbase er opdateret til version" in said
    assert "1 notater tilføjet, 1 opdateret, 1 fjernet" in said

    after = {r.source_id: r for r in kb.store.list_sources()}
    assert "builtin-ordliste" not in after and "builtin-nyt-notat" in after
    assert after["builtin-tilsyn"].doc_hash != before["builtin-tilsyn"].doc_hash
    unchanged = "builtin-bestemmelse-almenboligloven-59"
    assert after[unchanged].ingested_at == before[unchanged].ingested_at
    user = next(sid for sid, r in before.items() if not r.builtin)
    assert (after[user].doc_hash, after[user].ingested_at) == (before[user].doc_hash, before[user].ingested_at)
    assert "opdateret til version" not in " ".join(runner.invoke(app, ["search", "tilsyn"]).output.split())


def test_service_start_replaces_only_the_built_in_documents_after_a_corpus_change(
        tmp_path: Path, small_corpus: Path, caplog: pytest.LogCaptureFixture) -> None:
    from service.api.app import prepare_knowledge_base

    settings = Settings(home=tmp_path / "home", embedding_backend="fake", builtin_dir=small_corpus)
    kb = KnowledgeBase(settings)
    assert ensure_builtin(kb) is not None
    assert ingest_file(kb, _user_file(tmp_path)).status == "added"
    before = {r.source_id: (r.doc_hash, r.ingested_at) for r in kb.store.list_sources()}
    _change_corpus(small_corpus)
    with caplog.at_level(logging.INFO, logger="almen.api"):
        prepare_knowledge_base(kb)
    assert "opdateret til version" in caplog.text and "1 fjernet" in caplog.text
    after = {r.source_id: (r.doc_hash, r.ingested_at) for r in kb.store.list_sources()}
    changed = {sid for sid in before.keys() | after.keys() if before.get(sid) != after.get(sid)}
    assert changed == {"builtin-tilsyn", "builtin-ordliste", "builtin-nyt-notat"}
    assert not plan_builtin(kb).changed
    assert ensure_builtin(kb) is None  # up to date: nothing to do


def test_builtin_off_removes_it_and_keeps_it_out(tmp_path: Path, small_corpus: Path) -> None:
    settings = Settings(home=tmp_path / "home", embedding_backend="fake", builtin_dir=small_corpus)
    kb = KnowledgeBase(settings)
    assert ensure_builtin(kb) is not None
    assert ingest_file(kb, _user_file(tmp_path)).status == "added"
    off = KnowledgeBase(settings.model_copy(update={"builtin": False}))
    sync = ensure_builtin(off)
    assert sync is not None and sync.removed == len(NOTES)
    assert "ALMEN_BUILTIN=false" in sync.message()
    assert [r.builtin for r in off.store.list_sources()] == [False]
    assert ensure_builtin(off) is None


def test_cli_builtin_off_refuses_to_load_it(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from service.cli import app

    monkeypatch.setenv("ALMEN_BUILTIN", "false")
    res = CliRunner().invoke(app, ["ingest", "--builtin"])
    assert res.exit_code == 1 and "ALMEN_BUILTIN=false" in " ".join(res.output.split())
    assert _builtin_ids(cli_env) == set()
