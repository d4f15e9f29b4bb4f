"""Keys, roles, anonymous access, rate limits, CORS and problem bodies through the real app."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.api.deps import PUBLIC_PATHS
from service.api.security import KeyConfigError, KeyRing, RateLimiter, Role, anonymous_allowed, hash_key, parse_key_spec
from tests.service.conftest import KEYS, auth  # noqa: F401  (resolved by pytest's rootdir package)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://") and body["title"] and body["detail"]
    return body


# Every non-public route with a body that passes validation, and the lowest role it needs.
ROUTES = [
    ("POST", "/api/ask", {"json": {"question": "Hvad er fleksibel udlejning?"}}, "reader"),
    ("POST", "/api/chat", {"json": {"question": "Hvad er fleksibel udlejning?"}}, "reader"),
    ("GET", "/api/search?q=udlejning", {}, "reader"),
    ("GET", "/api/chunks/findes-ikke", {}, "reader"),
    ("GET", "/kilde/findes-ikke", {}, "reader"),
    ("GET", "/api/agreements", {}, "reader"),
    ("POST", "/api/feedback", {"json": {"answer_id": "abc", "rating": "up"}}, "reader"),
    ("GET", "/v1/models", {}, "reader"),
    ("POST", "/v1/chat/completions", {"json": {"model": "almen", "messages": [{"role": "user", "content": "Hej"}]}}, "reader"),
    ("GET", "/api/documents", {}, "editor"),
    ("POST", "/api/documents", {"files": {"file": ("a.txt", b"tekst", "text/plain")}}, "editor"),
    ("DELETE", "/api/documents/findes-ikke", {}, "editor"),
    ("GET", "/api/laws", {}, "reader"),
    ("POST", "/api/laws", {"files": {"file": ("lov.txt", b"tekst", "text/plain")}}, "editor"),
    ("PATCH", "/api/documents/findes-ikke", {"data": {"org": "X"}}, "editor"),
    ("GET", "/api/admin/audit", {}, "admin"),
]


def test_every_api_route_is_listed_here(client: TestClient) -> None:
    documented = {(m.upper(), p) for p, ops in client.app.openapi()["paths"].items() for m in ops}
    listed = {(m, p.split("?")[0].replace("findes-ikke", "{x}")) for m, p, _, _ in ROUTES}
    normalise = {(m, p.replace("{chunk_id}", "{x}").replace("{source_id}", "{x}")) for m, p in documented}
    public = {(m, p) for m, p in normalise if p in PUBLIC_PATHS}
    missing = normalise - listed - public
    # /api/reviews belongs to another part and is checked by its own tests.
    assert not {r for r in missing if not r[1].startswith("/api/reviews")}, missing


@pytest.mark.parametrize("method,path,kwargs,role", ROUTES, ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
def test_missing_and_wrong_keys_are_401(client: TestClient, method: str, path: str, kwargs: dict, role: str) -> None:
    body = assert_problem(client.request(method, path, **kwargs), 401)
    assert "API-nøgle" in body["detail"]
    assert client.request(method, path, headers={"Authorization": "Bearer forkert-noegle-123"}, **kwargs).status_code == 401
    assert client.request(method, path, headers={"X-API-Key": "forkert-noegle-123"}, **kwargs).status_code == 401


@pytest.mark.parametrize("method,path,kwargs,role", [r for r in ROUTES if r[3] != "reader"],
                         ids=[f"{m} {p}" for m, p, _, r in ROUTES if r != "reader"])
def test_too_low_role_is_403(client: TestClient, method: str, path: str, kwargs: dict, role: str) -> None:
    lower = [r.name for r in Role if r < Role[role]]
    for name in lower:
        body = assert_problem(client.request(method, path, headers=auth(name), **kwargs), 403)
        assert f"'{role}'" in body["detail"]


@pytest.mark.parametrize("method,path,kwargs,role", ROUTES, ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
def test_sufficient_role_passes_the_gate(client: TestClient, method: str, path: str, kwargs: dict, role: str) -> None:
    response = client.request(method, path, headers={"X-API-Key": KEYS[role]}, **kwargs)
    assert response.status_code not in (401, 403, 500), response.text


def test_health_and_static_are_open(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    page = client.get("/")
    assert page.status_code == 200 and "<almen-chat" in page.text and 'lang="da"' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "customElements.define" in client.get("/widget.js").text
    assert client.get("/widget.css").status_code == 200
    assert client.get("/widget.js").headers["x-content-type-options"] == "nosniff"


def test_anonymous_reader_only_on_loopback_or_when_allowed(make_client) -> None:
    local = make_client(allow_anonymous=None, bind_host="127.0.0.1")
    assert local.get("/api/search", params={"q": "udlejning"}).status_code == 200
    assert local.get("/api/documents").status_code == 403  # anonymous is only a reader
    public = make_client(allow_anonymous=None, bind_host="0.0.0.0")
    assert public.get("/api/search", params={"q": "udlejning"}).status_code == 401
    forced_off = make_client(allow_anonymous=False, bind_host="127.0.0.1")
    assert forced_off.get("/api/search", params={"q": "udlejning"}).status_code == 401
    forced_on = make_client(allow_anonymous=True, bind_host="0.0.0.0")
    assert forced_on.get("/api/search", params={"q": "udlejning"}).status_code == 200


def test_rate_limit_gives_429_with_retry_after(make_client) -> None:
    client = make_client(rate_limit_per_minute=3)
    for _ in range(3):
        assert client.get("/v1/models", headers=auth("reader")).status_code == 200
    response = client.get("/v1/models", headers=auth("reader"))
    body = assert_problem(response, 429)
    assert int(response.headers["retry-after"]) >= 1 and "Vent" in body["detail"]
    # The bucket is per key: another key is not limited.
    assert client.get("/v1/models", headers=auth("editor")).status_code == 200
    # OpenAI clients also get an OpenAI-style error member under /v1.
    assert body["error"]["code"] == 429


def test_keys_file_and_spec_parsing(tmp_path, make_client) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text("# nøgler\nadmin:fil-admin-noegle-1-abcdefgh\n\nreader:fil-reader-noegle-abcdefgh\n", encoding="utf-8")
    client = make_client(api_keys="", keys_file=keys)
    assert client.get("/api/admin/audit", headers={"X-API-Key": "fil-admin-noegle-1-abcdefgh"}).status_code == 200
    assert client.get("/api/admin/audit", headers={"X-API-Key": "fil-reader-noegle-abcdefgh"}).status_code == 403
    with pytest.raises(KeyConfigError, match="Ukendt rolle"):
        parse_key_spec("boss:abcdefghij")
    with pytest.raises(KeyConfigError, match="rolle:nøgle"):
        parse_key_spec("readerabcdefghij")
    with pytest.raises(KeyConfigError, match="for kort"):
        parse_key_spec("reader:abc")


def test_keys_are_kept_only_as_hashes() -> None:
    ring = KeyRing(parse_key_spec("reader:hemmelig-noegle-1-abcdefgh,editor:hemmelig-noegle-2-abcdefgh"))
    assert "hemmelig" not in repr(vars(ring))
    found = ring.lookup("hemmelig-noegle-2-abcdefgh")
    assert found is not None and found.role is Role.editor and found.key_id == hash_key("hemmelig-noegle-2-abcdefgh")[:12]
    assert ring.lookup("hemmelig-noegle-3-abcdefgh") is None


def test_token_bucket_refills_and_anonymous_rule() -> None:
    limiter = RateLimiter(60)  # one per second
    assert all(limiter.acquire("k") == 0 for _ in range(60))
    wait = limiter.acquire("k")
    assert 0 < wait <= 1.0
    assert anonymous_allowed(None, "127.0.0.1") and not anonymous_allowed(None, "0.0.0.0")
    assert not anonymous_allowed(None, None) and anonymous_allowed(True, "0.0.0.0") and not anonymous_allowed(False, "::1")


def test_cors_allows_only_configured_origins(make_client) -> None:
    client = make_client(cors_origins="https://intranet.kommune.dk")
    pre = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}
    ok = client.options("/api/ask", headers={"Origin": "https://intranet.kommune.dk", **pre})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "https://intranet.kommune.dk"
    bad = client.options("/api/ask", headers={"Origin": "https://ond.example", **pre})
    assert "access-control-allow-origin" not in bad.headers
    plain = make_client()
    got = plain.get("/healthz", headers={"Origin": "https://intranet.kommune.dk"})
    assert "access-control-allow-origin" not in got.headers


def test_unknown_paths_methods_and_bad_json_are_problems(client: TestClient) -> None:
    assert "findes ikke" in assert_problem(client.get("/api/findes-ikke"), 404)["detail"]
    assert_problem(client.put("/api/ask", headers=auth("reader")), 405)
    bad = client.post("/api/ask", headers={**auth("reader"), "Content-Type": "application/json"}, content=b"{ikke json")
    assert_problem(bad, 422)
    wrong = client.post("/api/ask", headers=auth("reader"), json={"spoergsmaal": "x"})
    body = assert_problem(wrong, 422)
    assert body["errors"] and "question" in body["detail"]


def test_request_bodies_are_size_limited(client: TestClient) -> None:
    from service.api.limits import DEFAULT_BODY_LIMIT

    padding = b" " * (DEFAULT_BODY_LIMIT + 1)
    body = assert_problem(client.post("/api/ask", headers={**auth("reader"), "Content-Type": "application/json"},
                                      content=b'{"question": "hej"' + padding + b"}"), 413)
    assert "for stor" in body["detail"]

    def chunked():  # no Content-Length: the streamed bytes are counted
        yield b'{"question": "hej"'
        for _ in range(5):
            yield b" " * (1024 * 1024)
        yield b"}"

    streamed = client.post("/api/ask", headers={**auth("reader"), "Content-Type": "application/json"}, content=chunked())
    assert_problem(streamed, 413)
