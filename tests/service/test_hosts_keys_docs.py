"""The Host header check (DNS rebinding), wrong-key throttling and audit, the key length rule, and the API docs
page without scripts from a CDN."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from tests.service.conftest import API_KEYS, KEYS, LiveServer

WRONG = "forkert-noegle-0123456789-abcdefgh"


@pytest.mark.parametrize("host,allowed", [
    ("127.0.0.1", True), ("127.0.0.1:8000", True), ("localhost:8000", True), ("LOCALHOST", True), ("[::1]:8000", True),
    ("evil.example", False), ("evil.example:8000", False), ("127.0.0.1.evil.example", False), ("", False),
    ("almen.kommune.dk", False), ("localhost.evil.example", False),
])
def test_only_loopback_names_by_default(make_client, host: str, allowed: bool) -> None:
    client = make_client(allowed_hosts="", bind_host="127.0.0.1", allow_anonymous=None)
    response = client.get("/api/search", params={"q": "udlejning"}, headers={"Host": host})
    if allowed:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 421
        body = response.json()
        assert response.headers["content-type"] == "application/problem+json"
        assert body["status"] == 421 and "ALMEN_ALLOWED_HOSTS" in body["detail"] and "hits" not in body


def test_configured_and_bound_names_are_allowed_and_star_turns_the_check_off(make_client) -> None:
    configured = make_client(allowed_hosts="almen.kommune.dk, intra.kommune.dk.", bind_host="10.1.2.3")
    for host in ("almen.kommune.dk", "Intra.Kommune.dk:443", "10.1.2.3:8000", "localhost"):
        assert configured.get("/healthz", headers={"Host": host}).status_code == 200, host
    assert configured.get("/healthz", headers={"Host": "evil.example"}).status_code == 421
    wildcard = make_client(allowed_hosts="", bind_host="0.0.0.0")
    assert wildcard.get("/healthz", headers={"Host": "0.0.0.0"}).status_code == 421  # a wildcard bind is no name
    anything = make_client(allowed_hosts="*")
    assert anything.get("/healthz", headers={"Host": "evil.example"}).status_code == 200


def test_a_rebound_name_cannot_read_a_live_server(api_kb: KnowledgeBase, tmp_path: Path) -> None:
    """A browser on evil.example after DNS rebinding: same address and port, but Host: evil.example."""
    from service.api.app import create_app

    settings = Settings(home=tmp_path / "home", embedding_backend="fake", api_keys="", allowed_hosts="",
                        allow_anonymous=True)
    with LiveServer(create_app(settings, kb=api_kb, bind_host="127.0.0.1", ingest_builtin=False)) as server:
        for host, expected in (("evil.example", b"421"), (f"127.0.0.1:{server.port}", b"200")):
            with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
                sock.sendall(f"GET /api/search?q=udlejning HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
                reply = b""
                while chunk := sock.recv(65536):
                    reply += chunk
            assert reply.split(b" ", 2)[1] == expected, reply[:300]
            assert (b"Fjordbo" in reply) is (expected == b"200")  # the knowledge base's text only for its own name


def test_wrong_keys_are_throttled_per_address_and_audited(api_kb: KnowledgeBase, tmp_path: Path) -> None:
    from service.api.app import create_app

    settings = Settings(home=tmp_path / "home", embedding_backend="fake", api_keys=API_KEYS, allow_anonymous=False,
                        key_failures_per_minute=5)
    app = create_app(settings, kb=api_kb, ingest_builtin=False)
    with TestClient(app, client=("198.51.100.7", 50000)) as guesser, \
            TestClient(app, client=("198.51.100.8", 50000)) as colleague:
        codes = [guesser.get("/api/search", params={"q": "x"}, headers={"X-API-Key": f"{WRONG}{i}"}).status_code
                 for i in range(8)]
        assert codes == [401] * 5 + [429] * 3
        blocked = guesser.get("/api/search", params={"q": "x"}, headers={"X-API-Key": KEYS["reader"]})
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1  # even a right key: no oracle
        assert "forkerte API-nøgler" in blocked.json()["detail"]
        assert colleague.get("/api/search", params={"q": "udlejning"}, headers={"X-API-Key": KEYS["reader"]}).status_code == 200
        assert guesser.get("/healthz").status_code == 200  # open routes stay open
    refused = [e for e in app.state.almen.audit.entries(100) if e.key_id.startswith("afvist:")]
    assert len(refused) == 5 and {e.key_id for e in refused} == {"afvist:198.51.100.7"}
    assert {(e.endpoint, e.status) for e in refused} == {("/api/search", 401)}
    assert not any(WRONG in e.key_id + e.question for e in app.state.almen.audit.entries(100))


def test_the_throttle_forgets_addresses_beyond_its_bound() -> None:
    from service.api.auth_throttle import FailureThrottle, address_key

    throttle = FailureThrottle(2, max_addresses=100)
    for i in range(5000):
        throttle.failed(f"10.{i // 65536}.{i // 256 % 256}.{i % 256}")
    assert len(throttle) == 100
    throttle.failed("2001:db8::1")
    throttle.failed("2001:db8::2")  # the same /64: one host's addresses count together
    assert throttle.wait("2001:db8::3") > 0 and throttle.wait("2001:db8:1::1") == 0
    assert address_key("::ffff:192.0.2.1") == "192.0.2.1"


@pytest.mark.parametrize("spec", ["reader:kort", "editor:12345678", "admin:" + "a" * 23, "reader@egeskov:" + "b" * 20])
def test_short_keys_are_refused_at_start(spec: str, tmp_path: Path) -> None:
    from service.api.app import create_app
    from service.api.security import KeyConfigError

    with pytest.raises(KeyConfigError, match="for kort .* mindst 24"):
        create_app(Settings(home=tmp_path, embedding_backend="fake", api_keys=spec), ingest_builtin=False)


def test_serve_refuses_short_keys_with_a_danish_line(tmp_path: Path) -> None:
    from tests.reliability.helpers import ALMEN, almen_env, run_bounded

    done = run_bounded(ALMEN + ["serve", "--port", "1"], almen_env(tmp_path, ALMEN_API_KEYS="editor:hemmelig"), timeout=120)
    assert done.returncode == 1 and "er for kort" in done.stderr and "Traceback" not in done.stderr


def test_docs_page_has_no_script_and_a_strict_policy(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<script" not in page.text.lower() and "cdn" not in page.text.lower() and "https://" not in page.text
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert "POST /api/ask" in page.text and "/openapi.json" in page.text
    assert client.get("/redoc").status_code == 404 and client.get("/docs/oauth2-redirect").status_code == 404
    assert client.get("/openapi.json").status_code == 200
    assert "default-src 'self'" in client.get("/").headers["content-security-policy"]
    problem = client.get("/api/findes-ikke")  # every other response may run and frame nothing
    assert problem.headers["content-security-policy"].startswith("default-src 'none'; frame-ancestors 'none'")
