"""`almen aftaler` through CliRunner (table, --json, --xlsx, --csv) and GET /api/agreements with roles."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from service.api.app import create_app
from service.cli import app
from tests.service.agreements_helpers import samples_home
from tests.service.conftest import API_KEYS, auth


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return samples_home(tmp_path_factory)


@pytest.fixture
def runner(home: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ALMEN_HOME", str(home))
    monkeypatch.setenv("ALMEN_EMBEDDING_BACKEND", "fake")
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


def test_cli_prints_the_table_with_overdue_flags(runner: CliRunner) -> None:
    res = runner.invoke(app, ["aftaler", "--org", "Lindegården", "--idag", "2026-05-01"])
    assert res.exit_code == 0, res.output
    assert "Aftaler med boligorganisationerne" in res.output and "Boligforeningen" in res.output
    assert res.output.count("(overskredet)") == 2  # aftale 1 (i gang) and 5 (ikke opfyldt)
    assert "ikke opfyldt" in res.output and "Fjordbo" not in res.output
    assert "2 med overskredet frist pr. 2026-05-01" in res.output


def test_cli_in_an_80_column_terminal_prints_one_readable_block_per_agreement(runner: CliRunner,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Seven columns in 80 characters wrapped every cell into fragments ('Bol…', 'Lin…'); now each agreement is a
    block of labelled lines, wrapped at words."""
    monkeypatch.setenv("COLUMNS", "80")
    res = runner.invoke(app, ["aftaler", "--org", "Lindegården", "--idag", "2026-05-01"])
    assert res.exit_code == 0, res.output
    assert max(len(line) for line in res.output.splitlines()) <= 80
    lines = [line.rstrip() for line in res.output.splitlines()]
    assert not any(c in res.output for c in "┃│┏━") and "…" not in res.output  # no table, nothing cut short
    assert lines.count("Boligforeningen Lindegården · aftale 1 · Helhedsplan og renovering") == 1
    assert "  Frist  senest 31. marts 2026" in lines and "  Status i gang (overskredet)" in lines
    assert res.output.count("(overskredet)") == 2 and "2 med overskredet frist pr. 2026-05-01" in res.output
    words = {w for line in lines for w in line.split()}
    assert {"Boligforeningen", "Lindegården", "tilstandsvurdering", "vedligeholdelsesplan"} <= words  # whole words


def test_cli_json_filters(runner: CliRunner) -> None:
    res = runner.invoke(app, ["aftaler", "--type", "fleksibel_udlejning", "--status", "aftalt", "--json",
                              "--idag", "2026-05-01"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["count"] == len(data["agreements"]) == 1
    only = data["agreements"][0]
    assert only["organisation"] == "Boligselskabet Fjordbo" and only["number"] == 5
    assert only["sources"][0]["citation"].startswith("Aftale om fleksibel udlejning og kommunal anvisning 2026-2029")
    assert only["overskredet"] is False and data["today"] == "2026-05-01"


def test_cli_exports_xlsx_and_csv(runner: CliRunner, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    xlsx, csv_path = tmp_path / "ud" / "aftaler.xlsx", tmp_path / "aftaler.csv"
    res = runner.invoke(app, ["aftaler", "--status", "overskredet", "--idag", "2026-05-01", "--xlsx", str(xlsx),
                              "--csv", str(csv_path)])
    assert res.exit_code == 0, res.output
    assert f"Skrev 3 aftale(r) til {xlsx}" in res.output.replace("\n", "")
    sheet = load_workbook(xlsx)["Aftaler"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:5] == ("Organisation", "Afdeling", "Nr.", "Type", "Aftale") and len(body) == 3
    col = {name: i for i, name in enumerate(header)}
    assert {r[col["Overskredet"]] for r in body} == {"ja"}
    assert {(r[col["Organisation"]], r[col["Nr."]]) for r in body} == {
        ("Boligforeningen Lindegården", "1"), ("Boligforeningen Lindegården", "5"), ("Boligselskabet Fjordbo", "3")}
    assert all("Referat af dialogmøde" in r[col["Kilder"]] for r in body)
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.DictReader(fh, delimiter=";"))
    assert len(lines) == 3 and lines[0]["Status"] in ("i gang", "ikke opfyldt")
    assert any("Styringsrapport 2026" in line["Status ifølge"] for line in lines)


def test_cli_bad_filter_is_a_red_line(runner: CliRunner) -> None:
    res = runner.invoke(app, ["aftaler", "--status", "halvfærdig"])
    assert res.exit_code == 1 and "Ukendt status" in res.output and "Traceback" not in res.output
    res = runner.invoke(app, ["aftaler", "--idag", "1. maj"])
    assert res.exit_code == 1 and "ÅÅÅÅ-MM-DD" in res.output


def test_cli_on_an_empty_data_directory_explains_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALMEN_HOME", str(tmp_path / "tom"))
    monkeypatch.setenv("ALMEN_EMBEDDING_BACKEND", "fake")
    res = CliRunner().invoke(app, ["aftaler"])
    assert res.exit_code == 0, res.output
    assert "Ingen aftaler" in res.output and "ikke indlæst" in res.output


@pytest.fixture(scope="module")
def client(home: Path) -> Iterator[TestClient]:
    settings = Settings(home=home, embedding_backend="fake", api_keys=API_KEYS, allow_anonymous=False)
    with TestClient(create_app(settings, kb=KnowledgeBase(settings), ingest_builtin=False)) as c:
        yield c


def test_api_needs_a_key_when_anonymous_access_is_off(client: TestClient) -> None:
    res = client.get("/api/agreements")
    assert res.status_code == 401 and res.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/agreements", headers={"Authorization": "Bearer forkert-noegle-123"}).status_code == 401


@pytest.mark.parametrize("role", ["reader", "editor", "admin"])
def test_api_lists_agreements_for_every_role(client: TestClient, role: str) -> None:
    res = client.get("/api/agreements", params={"org": "Fjordbo", "dato": "2026-05-01"}, headers=auth(role))
    assert res.status_code == 200, res.text
    data = res.json()
    assert data["count"] == len(data["agreements"]) > 0 and data["documents"] >= 10
    assert set(data["organisations"]) == {"Boligforeningen Lindegården", "Boligselskabet Fjordbo",
                                          "Egeskov Almene Boliger"}
    assert all(a["organisation"] == "Boligselskabet Fjordbo" for a in data["agreements"])
    three = next(a for a in data["agreements"] if a["number"] == 3 and a["category"] == "aftale"
                 and a["sources"][0]["kind"] == "referat")
    assert three["overskredet"] and three["status"] == "i_gang" and three["status_label"] == "i gang"
    assert three["status_sources"][0]["page"] == 6


def test_api_filters_and_the_text_behind_a_citation(client: TestClient) -> None:
    res = client.get("/api/agreements", params={"type": "aeldreboliger", "status": "opfyldt"}, headers=auth("reader"))
    data = res.json()
    assert res.status_code == 200 and data["count"] == 2
    chunk_id = data["agreements"][0]["sources"][0]["chunk_id"]
    chunk = client.get(f"/api/chunks/{chunk_id}", headers=auth("reader"))
    assert chunk.status_code == 200 and "ældreboliger" in chunk.json()["text"]
    empty = client.get("/api/agreements", params={"org": "Boligselskabet Findes Ikke"}, headers=auth("reader")).json()
    assert empty["count"] == 0 and "Ingen aftaler matcher filtrene" in empty["reason"]


def test_api_bad_filters_are_422_problems(client: TestClient) -> None:
    for params in ({"type": "kaffe"}, {"status": "halvfærdig"}, {"dato": "i går"}):
        res = client.get("/api/agreements", params=params, headers=auth("reader"))
        assert res.status_code == 422, params
        assert res.headers["content-type"].startswith("application/problem+json") and res.json()["detail"]
