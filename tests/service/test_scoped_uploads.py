"""Uploads under owner scopes: the collision-free upload ids (ingest.pipeline.upload_source_id) carry the caller's
scope (service.api.scopes.scoped_upload_id), and the conflict rules (409, replace, keep both, identical file) work
inside a scope without ever touching or naming another scope's document.

Real stack: the app over its own Chroma store in tmp_path (fake embeddings), driven by FastAPI's TestClient."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest.pipeline import upload_source_id
from knowledge.config import Settings
from service.api.scopes import scoped_upload_id

KEYS = {
    "editor@nordby": "redaktoer-nordby-0123456789-abcd",
    "editor@sydby": "redaktoer-sydby-0123456789-abcdef",
    "editor@a-b": "redaktoer-a-streg-b-0123456789-ab",
    "editor@a/b": "redaktoer-a-skraa-b-0123456789-ab",
    "admin": "admin-alle-0123456789-abcdefghij",
}


def h(who: str) -> dict[str, str]:
    return {"X-API-Key": KEYS[who]}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    from service.api.app import create_app

    settings = Settings(home=tmp_path / "home", embedding_backend="fake", allow_anonymous=False,
                        api_keys=",".join(f"{who}:{key}" for who, key in KEYS.items()), rate_limit_per_minute=100_000)
    with TestClient(create_app(settings, ingest_builtin=False)) as c:
        yield c


def text_of(marker: str) -> bytes:
    return f"Notat om udlejning.\n\nDette notat handler om {marker} og intet andet.\n".encode()


def upload(client: TestClient, who: str, name: str, content: bytes, **fields: str):  # type: ignore[no-untyped-def]
    return client.post("/api/documents", headers=h(who), files={"file": (name, content, "text/plain")}, data=fields)


def ids_seen_by(client: TestClient, who: str) -> set[str]:
    response = client.get("/api/documents", headers=h(who))
    assert response.status_code == 200, response.text
    return {d["source_id"] for d in response.json()["documents"]}


def test_one_name_in_two_scopes_gives_two_documents_with_scoped_collision_free_ids(client: TestClient) -> None:
    north = upload(client, "editor@nordby", "notat.md", text_of("kodeordnord"), org="Boligselskabet X")
    south = upload(client, "editor@sydby", "notat.md", text_of("kodeordsyd"), org="Boligselskabet X")
    assert north.status_code == 201 and south.status_code == 201, (north.text, south.text)
    plain = upload_source_id("notat.md", org="Boligselskabet X")
    assert north.json()["document"]["source_id"] == scoped_upload_id(plain, "nordby") != plain
    assert south.json()["document"]["source_id"] == scoped_upload_id(plain, "sydby")
    assert north.json()["document"]["scope"] == "nordby" and north.json()["report"]["status"] == "added"
    assert ids_seen_by(client, "editor@nordby") == {north.json()["document"]["source_id"]}
    assert ids_seen_by(client, "editor@sydby") == {south.json()["document"]["source_id"]}


def test_conflict_replace_keep_both_and_identical_file_inside_a_scope(client: TestClient) -> None:
    first = upload(client, "editor@nordby", "referat.txt", text_of("kodeordet"))
    assert first.status_code == 201, first.text
    sid = first.json()["document"]["source_id"]
    again = upload(client, "editor@nordby", "referat.txt", text_of("andetkodeord"))
    assert again.status_code == 409 and again.json()["existing"]["source_id"] == sid
    replaced = upload(client, "editor@nordby", "referat.txt", text_of("andetkodeord"), replace="true")
    assert replaced.status_code == 201 and replaced.json()["report"]["status"] == "updated"
    assert replaced.json()["document"]["source_id"] == sid and replaced.json()["document"]["scope"] == "nordby"
    both = upload(client, "editor@nordby", "referat.txt", text_of("tredjekodeord"), keep_both="true")
    assert both.status_code == 201 and both.json()["document"]["name"] == "referat (2).txt"
    assert both.json()["document"]["scope"] == "nordby" and both.json()["document"]["source_id"] != sid
    same = upload(client, "editor@nordby", "kopi.txt", text_of("tredjekodeord"))
    assert same.status_code == 201 and same.json()["report"]["status"] == "unchanged"
    assert same.json()["document"]["source_id"] == both.json()["document"]["source_id"]
    # The very same file from another scope is that scope's own document, not a pointer to Nordby's.
    elsewhere = upload(client, "editor@sydby", "kopi.txt", text_of("tredjekodeord"))
    assert elsewhere.status_code == 201 and elsewhere.json()["report"]["status"] == "added"
    assert elsewhere.json()["document"]["scope"] == "sydby"
    assert elsewhere.json()["document"]["source_id"] not in ids_seen_by(client, "editor@nordby")


def test_an_id_shared_by_two_scopes_is_never_replaced_or_named_across_them(client: TestClient) -> None:
    # 'a-b' and 'a/b' give the same tag in an id: the scope rule, not the id, keeps them apart.
    mine = upload(client, "editor@a-b", "plan.txt", text_of("hemmeligplan"))
    assert mine.status_code == 201, mine.text
    for fields in ({}, {"replace": "true"}):
        theirs = upload(client, "editor@a/b", "plan.txt", text_of("andenplan"), **fields)
        assert theirs.status_code == 403, theirs.text
        assert "afgrænsning" in theirs.json()["detail"] and "existing" not in theirs.json()
        assert "hemmeligplan" not in theirs.text
    kept = upload(client, "editor@a/b", "plan.txt", text_of("andenplan"), keep_both="true")
    assert kept.status_code == 201 and kept.json()["document"]["scope"] == "a/b"
    still = client.get("/api/search", headers=h("editor@a-b"),
                       params={"q": "hemmeligplan", "source_id": mine.json()["document"]["source_id"]})
    assert any("hemmeligplan" in x["text"] for x in still.json()["hits"])


def test_deleting_a_scoped_upload_removes_its_kept_original(client: TestClient) -> None:
    home = client.app.state.almen.settings.home  # type: ignore[attr-defined]
    made = upload(client, "editor@nordby", "bilag.txt", text_of("bilagsord"))
    assert made.status_code == 201, made.text
    sid = made.json()["document"]["source_id"]
    assert "--" in sid and [p.name for p in (home / "uploads").iterdir()] == [f"{sid}.txt"]
    assert client.delete(f"/api/documents/{sid}", headers=h("editor@nordby")).status_code == 200
    assert list((home / "uploads").iterdir()) == []
