"""Uploads never silently replace one another (issue 17, item 2): every name pair that used to share an id now
gives two documents; a second upload of the same name in the same scope is a 409 problem naming the existing
document unless the client asks to replace it (or to keep both); an identical file is a no-op.

Real stack: the app over its own Chroma store in tmp_path (fake embeddings), driven by FastAPI's TestClient."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowledge.config import Settings
from tests.service.conftest import API_KEYS, auth
from tests.service.test_api_security import assert_problem

LONG = "Referat af dialogmødet med boligorganisationen om udlejningen i afdeling "
# (file name, organisation) pairs that all got one id before: org, extension, æøå, case, length, no Latin letters.
PAIRS = {
    "same name, two organisations": [("Styringsrapport 2025.txt", "Boligselskabet Nord"),
                                     ("Styringsrapport 2025.txt", "Boligforeningen Syd")],
    "same stem, other extension": [("notat.md", None), ("notat.txt", None)],
    "æøå and its transliteration": [("Årsrapport.txt", None), ("aarsrapport.txt", None)],
    "case": [("Referat.txt", None), ("REFERAT.txt", None)],
    "long names differing after 48 characters": [(LONG + "7 og 8.txt", None), (LONG + "9 og 10.txt", None)],
    "no Latin letters": [("§§.txt", None), ("📄.txt", None), ("Ελληνικά.txt", None)],
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The app over a fresh data folder of its own (no other test's uploads)."""
    from service.api.app import create_app

    settings = Settings(home=tmp_path / "home", embedding_backend="fake", api_keys=API_KEYS, allow_anonymous=False,
                        rate_limit_per_minute=100_000)
    with TestClient(create_app(settings, ingest_builtin=False)) as c:
        yield c


def text_of(marker: str) -> bytes:
    return (f"Notat om udlejning.\n\nDette dokument handler om {marker} og intet andet. "
            f"Kodeordet for dokumentet er {marker}.\n").encode()


def upload(client: TestClient, name: str, content: bytes, **fields: str):  # type: ignore[no-untyped-def]
    return client.post("/api/documents", headers=auth("editor"), files={"file": (name, content, "text/plain")},
                       data={k: v for k, v in fields.items() if v is not None})


def texts_of(client: TestClient, source_id: str, marker: str) -> list[str]:
    """The stored texts of a document that hold a marker word (a search for it, filtered to the document)."""
    response = client.get("/api/search", headers=auth("reader"), params={"q": marker, "source_id": source_id, "k": 10})
    assert response.status_code == 200, response.text
    return [h["text"] for h in response.json()["hits"] if h["source_id"] == source_id and marker in h["text"]]


def documents(client: TestClient) -> dict[str, dict]:
    response = client.get("/api/documents", headers=auth("editor"))
    assert response.status_code == 200, response.text
    return {d["source_id"]: d for d in response.json()["documents"]}


@pytest.mark.parametrize("pair", list(PAIRS.values()), ids=list(PAIRS))
def test_names_that_shared_an_id_give_separate_documents(client: TestClient,
                                                         pair: list[tuple[str, str | None]]) -> None:
    markers = [f"kodeord{chr(ord('a') + i)}zq{i}" for i in range(len(pair))]
    ids = []
    for (name, org), marker in zip(pair, markers):
        response = upload(client, name, text_of(marker), org=org)
        assert response.status_code == 201, response.text
        report = response.json()["report"]
        assert report["status"] == "added", (name, report)
        assert response.json()["document"]["name"] == name
        ids.append(report["source_id"])
    assert len(set(ids)) == len(ids), ids
    stored = documents(client)
    assert set(ids) <= set(stored)
    for sid, marker, (name, org) in zip(ids, markers, pair):
        assert stored[sid]["name"] == name and stored[sid]["org"] == (org or "")
        assert texts_of(client, sid, marker), (sid, marker)
        assert not [m for m in markers if m != marker and texts_of(client, sid, m)], sid
    # Ids stay readable and safe: ASCII, the 'upload-' prefix, no path characters.
    assert all(sid.startswith("upload-") and sid.isascii() and "/" not in sid and "." not in sid for sid in ids)


def test_same_name_again_is_a_409_naming_the_existing_document(client: TestClient) -> None:
    first = upload(client, "Notat om tryghed.md", b"# Tryghedsvandring\n\nFoersteudgave af notatet om tryghed.\n",
                   org="Boligselskabet Nord")
    assert first.status_code == 201, first.text
    sid = first.json()["document"]["source_id"]
    uploads = Path(client.app.state.almen.settings.home) / "uploads"
    files_before = sorted(p.name for p in uploads.iterdir())

    second = upload(client, "Notat om tryghed.md", b"# Tryghedsvandring\n\nAndenudgave med nye aftaler.\n",
                    org="Boligselskabet Nord")
    body = assert_problem(second, 409)
    assert body["title"] == "Konflikt"
    detail = body["detail"]
    assert "Notat om tryghed.md" in detail and "“Tryghedsvandring”" in detail  # the name and the existing title
    assert "uploadet" in detail and "replace=true" in detail and "keep_both=true" in detail
    assert body["existing"]["source_id"] == sid and body["existing"]["title"] == "Tryghedsvandring"
    assert body["existing"]["ingested_at"] == first.json()["document"]["ingested_at"]
    # Nothing changed: the first text is still there, the second is not, no file was left behind.
    assert texts_of(client, sid, "Foersteudgave") and not texts_of(client, sid, "Andenudgave")
    assert sorted(p.name for p in uploads.iterdir()) == files_before
    assert len([d for d in documents(client).values() if d["name"] == "Notat om tryghed.md"]) == 1


def test_explicit_replace_updates_the_document(client: TestClient) -> None:
    first = upload(client, "notat.txt", text_of("gammelversion"))
    sid = first.json()["document"]["source_id"]
    assert_problem(upload(client, "notat.txt", text_of("nyversion")), 409)
    replaced = upload(client, "notat.txt", text_of("nyversion"), replace="true")
    assert replaced.status_code == 201, replaced.text
    assert replaced.json()["report"]["status"] == "updated" and replaced.json()["report"]["source_id"] == sid
    assert texts_of(client, sid, "nyversion") and not texts_of(client, sid, "gammelversion")
    assert list(documents(client)) == [sid]
    uploads = Path(client.app.state.almen.settings.home) / "uploads"
    kept = [p for p in uploads.iterdir() if not p.name.startswith(".")]
    assert len(kept) == 1 and b"nyversion" in kept[0].read_bytes()


def test_keep_both_stores_the_second_under_a_numbered_name(client: TestClient) -> None:
    first = upload(client, "Referat.txt", text_of("marts"))
    assert_problem(upload(client, "Referat.txt", text_of("september")), 409)
    second = upload(client, "Referat.txt", text_of("september"), keep_both="true")
    assert second.status_code == 201, second.text
    assert second.json()["report"]["status"] == "added" and second.json()["document"]["name"] == "Referat (2).txt"
    third = upload(client, "Referat.txt", text_of("december"), keep_both="true")
    assert third.json()["document"]["name"] == "Referat (3).txt"
    ids = [r.json()["document"]["source_id"] for r in (first, second, third)]
    assert len(set(ids)) == 3
    for sid, marker in zip(ids, ["marts", "september", "december"]):
        assert texts_of(client, sid, marker)


def test_replace_and_keep_both_together_are_refused(client: TestClient) -> None:
    body = assert_problem(upload(client, "a.txt", text_of("x"), replace="true", keep_both="true"), 422)
    assert "replace" in body["detail"] and "keep_both" in body["detail"]
    assert documents(client) == {}


def test_identical_file_again_is_a_no_op_under_any_name(client: TestClient) -> None:
    first = upload(client, "Aftale om fleksibel udlejning.txt", text_of("fleksibel"), org="Boligselskabet Nord")
    sid = first.json()["document"]["source_id"]
    again = upload(client, "Aftale om fleksibel udlejning.txt", text_of("fleksibel"), org="Boligselskabet Nord")
    assert again.status_code == 201 and again.json()["report"]["status"] == "unchanged"
    renamed = upload(client, "Aftale om fleksibel udlejning (1).txt", text_of("fleksibel"), org="Boligselskabet Nord")
    assert renamed.status_code == 201, renamed.text
    assert renamed.json()["report"]["status"] == "unchanged" and renamed.json()["document"]["source_id"] == sid
    assert any("identisk" in w for w in renamed.json()["report"]["warnings"])
    # Even 'keep both' does not store an identical copy: it would only double the same passages in every answer.
    both = upload(client, "Aftale om fleksibel udlejning.txt", text_of("fleksibel"), org="Boligselskabet Nord",
                  keep_both="true")
    assert both.json()["report"]["status"] == "unchanged"
    assert list(documents(client)) == [sid]
    # The same bytes for another organisation are another document (the organisation is part of its metadata).
    other = upload(client, "Aftale om fleksibel udlejning.txt", text_of("fleksibel"), org="Boligforeningen Syd")
    assert other.json()["report"]["status"] == "added" and other.json()["document"]["source_id"] != sid


def test_openapi_documents_the_conflict_and_the_choices(client: TestClient) -> None:
    op = client.get("/openapi.json").json()["paths"]["/api/documents"]["post"]
    assert "409" in op["responses"]
    assert "409" in op["description"] and "replace" in op["description"]
    ref = op["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    form = client.get("/openapi.json").json()["components"]["schemas"][ref]["properties"]
    assert form["replace"]["type"] == "boolean" and form["keep_both"]["type"] == "boolean"
