"""Trusted reverse-proxy login on a live server: user and groups headers count only when the request comes
from a configured proxy address (127.0.0.1 here); the same headers from 127.0.0.2 are ignored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from tests.service.conftest import LiveServer

READER_KEY = "reader-maskinnoegle-0123456789-abcd"
USER = {"X-Forwarded-User": "mette@kommune.example", "X-Forwarded-Groups": "alle-ansatte,almen-redaktoerer"}


@pytest.fixture(scope="module")
def server(api_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from service.api.app import create_app

    settings = Settings(home=tmp_path_factory.mktemp("proxy-home"), embedding_backend="fake",
                        api_keys=f"reader:{READER_KEY}", allow_anonymous=False, proxy_trusted="127.0.0.1",
                        group_roles="almen-laesere=reader,almen-redaktoerer=editor,almen-admin=admin")
    with LiveServer(create_app(settings, kb=api_kb, bind_host="127.0.0.1", ingest_builtin=False)) as live:
        yield live


def client_from(server: LiveServer, address: str) -> httpx.Client:
    """An HTTP client whose connections leave from the given loopback address."""
    return httpx.Client(base_url=server.url, timeout=30, transport=httpx.HTTPTransport(local_address=address))


def test_headers_from_the_proxy_address_log_the_user_in(server: LiveServer) -> None:
    with client_from(server, "127.0.0.1") as proxy:
        info = proxy.get("/auth/session", headers=USER).json()
        assert (info["mode"], info["via"], info["user"], info["role"]) == ("proxy", "proxy", "mette@kommune.example",
                                                                           "editor")
        assert proxy.get("/api/documents", headers=USER).status_code == 200
        token = info["csrf_token"]
        upload = {"files": {"file": ("proxy-notat.txt", b"Notat om beboerdemokrati i afdeling 2.", "text/plain")}}
        assert proxy.post("/api/documents", headers=USER, **upload).status_code == 403  # a write needs the token
        done = proxy.post("/api/documents", headers={**USER, "X-CSRF-Token": token}, **upload)
        assert done.status_code == 201, done.text
        sid = done.json()["document"]["source_id"]
        assert proxy.delete(f"/api/documents/{sid}", headers={**USER, "X-CSRF-Token": token}).status_code == 200
        nobody = proxy.get("/api/documents", headers={"X-Forwarded-User": "ole", "X-Forwarded-Groups": "kantine"})
        assert nobody.status_code == 403 and "ingen af brugerens grupper" in nobody.json()["detail"]
        # without user headers the proxy's requests are like any other: keys work
        assert proxy.get("/api/search", params={"q": "udlejning"}, headers={"X-API-Key": READER_KEY}).status_code == 200


def test_the_same_headers_from_another_address_are_ignored(server: LiveServer) -> None:
    with client_from(server, "127.0.0.2") as direct:
        info = direct.get("/auth/session", headers=USER).json()
        assert info["authenticated"] is False and info["via"] is None
        refused = direct.get("/api/documents", headers=USER)
        assert refused.status_code == 401, refused.text
        admin = {"X-Forwarded-User": "admin", "X-Forwarded-Groups": "almen-admin"}
        assert direct.get("/api/admin/audit", headers=admin).status_code == 401
        # a key still works from there, with the key's own role (the headers add nothing)
        assert direct.get("/api/documents", headers={**USER, "X-API-Key": READER_KEY}).status_code == 403


def test_wrong_keys_behind_the_proxy_count_against_the_forwarded_address(api_kb: KnowledgeBase, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    settings = Settings(home=tmp_path / "home", embedding_backend="fake", api_keys=f"reader:{READER_KEY}",
                        allow_anonymous=False, proxy_trusted="10.0.0.5", key_failures_per_minute=3,
                        group_roles="almen-laesere=reader")
    app = create_app(settings, kb=api_kb, ingest_builtin=False)
    with TestClient(app, client=("10.0.0.5", 40000)) as via_proxy:
        guesser = {"X-Forwarded-For": "203.0.113.7", "X-API-Key": "forkert-noegle-0123456789-abcdefgh"}
        codes = [via_proxy.get("/api/search", params={"q": "x"}, headers=guesser).status_code for _ in range(5)]
        assert codes == [401, 401, 401, 429, 429]
        colleague = {"X-Forwarded-For": "203.0.113.8", "X-API-Key": READER_KEY}
        assert via_proxy.get("/api/search", params={"q": "udlejning"}, headers=colleague).status_code == 200
