"""Local mode: on a loopback address with no keys, the person at the machine has every right without a key,
any bearer token is accepted (OpenAI clients connect as to a local Ollama), and other web pages cannot
use those rights. Another address, or keys configured, behave as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.service.conftest import KEYS, make_documents

LOCAL = {"api_keys": "", "allow_anonymous": None, "bind_host": "127.0.0.1"}


def test_full_rights_without_a_key_on_loopback(make_client, tmp_path: Path) -> None:
    client = make_client(**LOCAL)
    info = client.get("/auth/session").json()
    assert (info["mode"], info["via"], info["role"], info["authenticated"]) == ("local", "local", "admin", True)
    path = make_documents(tmp_path / "docs")[0][0]
    up = client.post("/api/documents", files={"file": ("lokalt-notat.md", path.read_bytes(), "text/markdown")})
    assert up.status_code == 201, up.text
    sid = up.json()["document"]["source_id"]
    assert sid in {d["source_id"] for d in client.get("/api/documents").json()["documents"]}
    assert client.get("/api/admin/audit").status_code == 200
    assert client.delete(f"/api/documents/{sid}").status_code == 200
    assert sid not in {d["source_id"] for d in client.get("/api/documents").json()["documents"]}


@pytest.mark.parametrize("token", ["x", "sk-dummy", "ollama", "forkert-men-ligegyldigt"])
def test_any_bearer_token_is_accepted_like_a_local_ollama(make_client, token: str) -> None:
    client = make_client(**LOCAL)
    models = client.get("/v1/models", headers={"Authorization": f"Bearer {token}"})
    assert models.status_code == 200 and models.json()["data"][0]["id"] == "almen"
    done = client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {token}"},
                       json={"model": "almen", "messages": [{"role": "user", "content": "Hvad er styringsdialogen?"}]})
    assert done.status_code == 200 and done.json()["choices"][0]["message"]["content"]


def test_other_web_pages_cannot_use_the_local_rights(make_client) -> None:
    client = make_client(**LOCAL)
    upload = {"files": {"file": ("ond.txt", b"Indhold fra en fremmed side.", "text/plain")}}
    for headers in ({"Origin": "https://ond.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Sec-Fetch-Site": "same-site"}, {"Origin": "http://127.0.0.1:9999"}):
        refused = client.post("/api/documents", headers=headers, **upload)
        assert refused.status_code == 403, (headers, refused.text)
        assert "anden hjemmeside" in refused.json()["detail"]
    assert client.delete("/api/documents/lovgrundlag", headers={"Origin": "https://ond.example"}).status_code == 403
    # almen's own page (same origin) and tools without a browser (no Origin) may write
    own = client.post("/api/documents", headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
                      **upload)
    assert own.status_code == 201, own.text
    assert client.delete(f"/api/documents/{own.json()['document']['source_id']}").status_code == 200
    for host, origin in (("[::1]:8000", "http://[::1]:8000"), ("localhost:8000", "http://LOCALHOST:8000"),
                         ("127.0.0.1", "http://127.0.0.1:80")):
        same = client.post("/api/documents", headers={"Host": host, "Origin": origin}, **upload)
        assert same.status_code == 201, (host, origin, same.text)


def test_without_local_mode_everything_is_as_before(make_client) -> None:
    public = make_client(api_keys="", allow_anonymous=None, bind_host="0.0.0.0")
    assert public.get("/auth/session").json()["mode"] == "open"
    assert public.get("/api/search", params={"q": "udlejning"}).status_code == 401
    assert public.get("/v1/models", headers={"Authorization": "Bearer x"}).status_code == 401
    keyed = make_client(allow_anonymous=None, bind_host="127.0.0.1")  # keys configured: anonymous reading only
    assert keyed.get("/auth/session").json()["mode"] == "keys"
    assert keyed.get("/api/search", params={"q": "udlejning"}).status_code == 200
    refused = keyed.get("/api/documents")
    assert refused.status_code == 403
    assert "Uden API-nøgle" in refused.json()["detail"] and "Din API-nøgle" not in refused.json()["detail"]
    assert keyed.get("/v1/models", headers={"Authorization": "Bearer x"}).status_code == 401
    assert keyed.get("/api/documents", headers={"X-API-Key": KEYS["editor"]}).status_code == 200
    off = make_client(api_keys="", allow_anonymous=None, bind_host="127.0.0.1", local_mode=False)
    assert off.get("/auth/session").json()["mode"] == "open"
    assert off.get("/api/documents").status_code == 403  # anonymous reader, as before local mode


def test_the_empty_agreement_overview_advises_what_the_caller_can_do(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from knowledge.config import Settings
    from knowledge.kb import KnowledgeBase
    from service.api.app import create_app

    settings = Settings(home=tmp_path / "empty", embedding_backend="fake", api_keys="", allow_anonymous=None)
    with TestClient(create_app(settings, kb=KnowledgeBase(settings), bind_host="127.0.0.1",
                               ingest_builtin=False)) as local:
        reason = local.get("/api/agreements").json()["reason"]
        assert "Upload dem under 'Upload dokument'" in reason and "almen ingest" not in reason
    keyed = Settings(home=tmp_path / "empty", embedding_backend="fake", allow_anonymous=None,
                     api_keys=f"reader:{KEYS['reader']},editor:{KEYS['editor']}")
    with TestClient(create_app(keyed, kb=KnowledgeBase(keyed), bind_host="127.0.0.1", ingest_builtin=False)) as anon:
        reason = anon.get("/api/agreements").json()["reason"]
        assert "kræver rollen 'editor'" in reason and "Upload dem under" not in reason
        as_editor = anon.get("/api/agreements", headers={"X-API-Key": KEYS["editor"]}).json()["reason"]
        assert "Upload dem under 'Upload dokument'" in as_editor
