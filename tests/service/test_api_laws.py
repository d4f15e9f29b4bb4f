"""/api/laws: importing official statute texts through the API, the versions list, Danish 4xx problems."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.ingest.test_statute_layouts import STATUTES, V1, V2
from tests.service.conftest import auth
from tests.service.test_api_security import assert_problem


def _post(client: TestClient, path: Path, role: str = "editor", name: str | None = None):  # type: ignore[no-untyped-def]
    return client.post("/api/laws", headers=auth(role),
                       files={"file": (name or path.name, path.read_bytes(), "application/octet-stream")})


def test_import_versions_and_list_which_is_current(client: TestClient) -> None:
    first = _post(client, STATUTES / f"{V1}.txt")
    assert first.status_code == 201, first.text
    assert (first.json()["version"], first.json()["current"]) == ("LBK nr. 118 af 20/01/2025", True)
    second = _post(client, STATUTES / f"{V2}.xml")
    body = second.json()
    assert second.status_code == 201 and body["superseded"] == ["LBK nr. 118 af 20/01/2025"]
    assert (body["act"], body["act_type"], body["act_number"], body["act_date"], body["title"]) == (
        "proeveboligloven", "LBK", "123", "2026-01-25", "Bekendtgørelse af lov om prøveboliger m.v.")
    again = _post(client, STATUTES / f"{V2}.xml")
    assert again.status_code == 201 and again.json()["status"] == "unchanged"

    laws = client.get("/api/laws", headers=auth("reader"))
    assert laws.status_code == 200
    law = next(x for x in laws.json()["laws"] if x["act"] == "proeveboligloven")
    assert (law["current_version"], law["official"]) == ("LBK nr. 123 af 25/01/2026", True)
    assert [(v["version"], v["status"], v["valid_to"]) for v in law["versions"]] == [
        ("LBK nr. 123 af 25/01/2026", "gældende", ""), ("LBK nr. 118 af 20/01/2025", "afløst", "2026-01-24")]

    found = client.get("/api/search", headers=auth("reader"),
                       params={"q": "prøveboligloven § 51 b, stk. 3", "on": "2025-06-01", "k": 1})
    hit = found.json()["hits"][0]
    assert "8 uger" in hit["text"] and "LBK nr. 118 af 20/01/2025" in hit["label"]


def test_bad_requests_are_danish_problems(client: TestClient, tmp_path: Path) -> None:
    body = assert_problem(client.post("/api/laws", headers=auth("editor")), 422)
    assert "enten en fil" in body["detail"]
    both = client.post("/api/laws", headers=auth("editor"), data={"url": "https://www.retsinformation.dk/eli/lta/2026/207"},
                       files={"file": ("lov.xml", b"<x/>", "application/xml")})
    assert "præcis én" in assert_problem(both, 422)["detail"]
    assert "Filtypen .md" in assert_problem(_post(client, STATUTES / "README.md"), 415)["detail"]
    notat = tmp_path / "notat.txt"
    notat.write_text("Notat om anvisning\n\nKommunen anviser hver fjerde bolig.\n", encoding="utf-8")
    assert "ligner ikke en lov" in assert_problem(_post(client, notat), 422)["detail"]
    fetch = client.post("/api/laws", headers=auth("editor"), data={"url": "https://www.retsinformation.dk/eli/lta/2026/207"})
    assert "ALMEN_LAW_FETCH" in assert_problem(fetch, 403)["detail"]
    assert assert_problem(_post(client, STATUTES / f"{V1}.txt", role="reader"), 403)
