"""Hostile files through POST /api/documents and POST /api/reviews: 4xx problem bodies in Danish, never a
5xx; uploads never leave the data directory whatever their name; refused uploads change nothing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowledge.config import Settings
from tests.reliability.helpers import consistency_problems, open_kb, snapshot
from tests.reliability.hostile_files import SMALL_LIMIT_MB, HostileFile, case_names, looks_danish

KEYS = {"reader": "reader-noegle-rel-1234-abcd", "editor": "editor-noegle-rel-1234-abcd", "admin": "admin-noegle-rel-1234-abcd"}


def auth(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[role]}"}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, good_files: list[Path]) -> Iterator[tuple[TestClient, Path]]:
    """An app over a fake-embedding store holding the good documents; the small upload limit."""
    from ingest.pipeline import run_ingest
    from service.api.app import create_app

    root = tmp_path_factory.mktemp("api-hostile")
    home = root / "home"
    kb = open_kb(home, max_file_mb=SMALL_LIMIT_MB)
    assert not run_ingest(kb, good_files).failed
    settings = Settings(home=home, embedding_backend="fake", max_file_mb=SMALL_LIMIT_MB, allow_anonymous=False,
                        api_keys=",".join(f"{r}:{k}" for r, k in KEYS.items()), rate_limit_per_minute=100_000)
    with TestClient(create_app(settings, kb=kb, ingest_builtin=False)) as client:
        yield client, root


def multipart(field: str, filename: bytes, data: bytes, fields: dict[str, str] | None = None) -> tuple[bytes, str]:
    """A hand-made multipart body, so the filename reaches the server byte for byte (control characters too)."""
    boundary = "almenreliabilityboundary7f3a"
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                    for k, v in (fields or {}).items())
    body += (f"--{boundary}\r\n".encode()
             + b'Content-Disposition: form-data; name="' + field.encode() + b'"; filename="' + filename + b'"\r\n'
             + b"Content-Type: application/octet-stream\r\n\r\n" + data + f"\r\n--{boundary}--\r\n".encode())
    return body, f"multipart/form-data; boundary={boundary}"


def upload(client: TestClient, path: str, filename: str, data: bytes, role: str = "editor",  # type: ignore[no-untyped-def]
           fields: dict[str, str] | None = None):
    body, ctype = multipart("file", filename.encode("utf-8", "surrogateescape"), data, fields)
    return client.post(path, content=body, headers={**auth(role), "Content-Type": ctype})


def assert_problem(response, allowed: tuple[int, ...] = (413, 415, 422)) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code in allowed, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == response.status_code and looks_danish(body["detail"]), body
    return body


def files_outside(root: Path, home: Path) -> set[Path]:
    return {p for p in root.rglob("*") if home not in p.parents and p != home}


def by_name(files: list[HostileFile], name: str) -> HostileFile:
    return next(f for f in files if f.name == name)


@pytest.mark.parametrize("name", case_names())
def test_upload_of_a_hostile_file(name: str, hostile: list[HostileFile], api: tuple[TestClient, Path]) -> None:
    client, root = api
    home = root / "home"
    case = by_name(hostile, name)
    kb = client.app.state.almen.kb
    before, outside_before = snapshot(kb), files_outside(root, home)
    # The path-like names all come down to 'almen-escape.md': replace, so each case is stored whatever ran before.
    response = upload(client, "/api/documents", case.client_name, case.path.read_bytes(), fields={"replace": "true"})
    assert response.status_code < 500, response.text[:500]
    uploads = {p.name for p in (home / "uploads").iterdir()}
    assert not any(n.startswith(".upload-") for n in uploads)  # no half-saved files left behind
    assert not list((home / "tmp").iterdir())  # ... nor the upload's private scratch copy
    if case.expect == "refused":
        body = assert_problem(response)
        if case.message_hint and response.status_code == 422:
            assert case.message_hint.lower() in body["detail"].lower(), body
        assert snapshot(kb) == before  # nothing written, generation unchanged
    else:
        assert response.status_code == 201, response.text[:500]
        doc = response.json()["document"]
        assert f"{doc['source_id']}{case.path.suffix}" in uploads
        shown = doc["name"]
        assert "/" not in shown and "\\" not in shown and ".." not in shown.replace("...", "")
        assert not any(ord(ch) < 32 or ch == "\u202e" for ch in shown) and len(shown) <= 120
        assert consistency_problems(kb) == []
    assert files_outside(root, home) == outside_before  # nothing written outside the data directory
    for escape in ("/tmp/almen-escape.md", "/etc/cron.d/almen-escape.md"):
        assert not os.path.exists(escape)


@pytest.mark.parametrize("name", case_names())
def test_review_upload_of_a_hostile_file(name: str, hostile: list[HostileFile], api: tuple[TestClient, Path]) -> None:
    client, root = api
    case = by_name(hostile, name)
    reviews = root / "home" / "reviews"
    before = set(reviews.iterdir()) if reviews.exists() else set()
    response = upload(client, "/api/reviews", case.client_name, case.path.read_bytes())
    assert_problem(response)  # none of them is a styringsrapport
    after = set(reviews.iterdir()) if reviews.exists() else set()
    assert after == before  # a refused review leaves no folder behind
    assert not list((root / "home" / "tmp").iterdir())  # ... and no scratch copy of the upload


def test_header_injection_in_the_upload_name_is_a_400_problem(api: tuple[TestClient, Path]) -> None:
    client, root = api
    before = snapshot(client.app.state.almen.kb)
    for name in ("a\r\nContent-Type: text/html\r\n\r\n<script>.md", "nul\x00byte.md", 'citat"; name="kind.md',
                 "n" * 6000 + ".md"):
        response = upload(client, "/api/documents", name, b"Tekst om udlejning af familieboliger i afdelingen.")
        assert response.status_code < 500, response.text
        if response.status_code != 201:
            assert_problem(response, (400, 415, 422))
        else:
            client.delete(f"/api/documents/{response.json()['document']['source_id']}", headers=auth("editor"))
    assert not [p for p in (root / "home" / "uploads").iterdir() if p.name.startswith(".upload-")]
    assert not list((root / "home" / "tmp").iterdir())
    assert snapshot(client.app.state.almen.kb).sources == before.sources


def test_upload_names_that_are_only_dots_or_separators(api: tuple[TestClient, Path]) -> None:
    client, root = api
    for name in ("..", "../", "/", "\\", ".md", "...md", "\x00.md", "%2e%2e%2f.md", "con.md", " .md"):
        response = upload(client, "/api/documents", name, b"Kort tekst om udlejning af familieboliger i afdelingen.")
        assert response.status_code < 500, (name, response.text)
        if response.status_code == 201:
            sid = response.json()["document"]["source_id"]
            assert (root / "home" / "uploads" / f"{sid}.md").is_file()
            client.delete(f"/api/documents/{sid}", headers=auth("editor"))
        else:
            assert_problem(response)
    assert {p.parent for p in (root / "home" / "uploads").rglob("*")} <= {root / "home" / "uploads"}
