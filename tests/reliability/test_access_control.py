"""Access control from the app's own route table: every non-public route refuses a missing or wrong key
(401) and a key of too low a role (403); keys are kept hashed, compared without early exit, never logged;
CORS answers only configured origins; bodies and uploads are size-limited also when streamed."""

from __future__ import annotations

import hmac
import logging
import pickle
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from knowledge.config import Settings
from service.api.deps import PUBLIC_PATHS, require_admin, require_editor, require_reader
from tests.reliability.helpers import open_kb

KEYS = {"reader": "laeser-noegle-ac-4711-abcd", "editor": "redaktoer-noegle-ac-4711-abcd", "admin": "admin-noegle-ac-4711-abcd"}
ROLES = ["reader", "editor", "admin"]
GATES = {require_reader: "reader", require_editor: "editor", require_admin: "admin"}
# /docs is almen's own script-free page (Swagger UI and ReDoc loaded a CDN script); /auth/* is the login flow.
EXPECTED_PUBLIC = {"/healthz", "/readyz", "/", "/widget.js", "/widget.css", "/app.js", "/page.css", "/favicon.ico",
                   "/kilde.css", "/kilde.js", "/views.js", "/openapi.json", "/docs", "/auth/session", "/auth/login", "/auth/callback", "/auth/logout"}


def routes(app: Any) -> list[tuple[str, str, Any]]:
    """(method, path, route) for every route of the app, included routers flattened."""
    try:
        from fastapi.routing import iter_route_contexts

        contexts = [(c.methods or set(), c.path, c.route) for c in iter_route_contexts(app.routes)]
    except ImportError:  # older FastAPI: routers are flattened into app.routes
        contexts = [(getattr(r, "methods", None) or set(), r.path, r) for r in app.routes]
    return sorted((m, p, r) for methods, p, r in contexts for m in methods if m != "HEAD")


def required_role(route: Any) -> str | None:
    """The role gate a route depends on (searching its dependency tree), or None."""
    dependant = getattr(route, "dependant", None)
    stack = [dependant] if dependant is not None else []
    while stack:
        d = stack.pop()
        if d.call in GATES:
            return GATES[d.call]
        stack.extend(d.dependencies)
    return None


def concrete(path: str) -> str:
    return (path.replace("{review_id}", "0" * 32).replace("{source_id}", "findes-ikke")
            .replace("{chunk_id}", "findes-ikke"))


@pytest.fixture(scope="module")
def app_home(tmp_path_factory: pytest.TempPathFactory, good_files: list[Path]) -> Path:
    from ingest.pipeline import run_ingest

    home = tmp_path_factory.mktemp("access") / "home"
    assert not run_ingest(open_kb(home), good_files).failed
    return home


def make_app(home: Path, **overrides: Any):  # type: ignore[no-untyped-def]
    from service.api.app import create_app

    values: dict[str, Any] = {"home": home, "embedding_backend": "fake", "allow_anonymous": False,
                              "api_keys": ",".join(f"{r}:{k}" for r, k in KEYS.items()),
                              "rate_limit_per_minute": 100_000, "key_failures_per_minute": 100_000}
    values.update(overrides)
    return create_app(Settings(**values), kb=open_kb(home), ingest_builtin=False)


@pytest.fixture(scope="module")
def client(app_home: Path) -> Iterator[TestClient]:
    with TestClient(make_app(app_home)) as c:
        yield c


def test_every_route_is_public_by_intent_or_gated(client: TestClient) -> None:
    table = routes(client.app)
    assert len(table) >= 20
    public = {p for _, p, r in table if required_role(r) is None}
    assert public == EXPECTED_PUBLIC == set(PUBLIC_PATHS), public ^ EXPECTED_PUBLIC
    assert not any(p.startswith(("/api", "/v1")) for p in public)


def test_every_gated_route_refuses_missing_wrong_and_too_low_keys(client: TestClient) -> None:
    checked = 0
    for method, path, route in routes(client.app):
        role = required_role(route)
        if role is None:
            continue
        url = concrete(path)
        for headers in ({}, {"Authorization": "Bearer forkert-noegle-0000"}, {"X-API-Key": "forkert-noegle-0000"},
                        {"Authorization": "Basic " + KEYS["admin"]}, {"Authorization": f"Bearer {KEYS['admin']}x"}):
            response = client.request(method, url, headers=headers)
            assert response.status_code == 401, (method, path, headers, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.headers.get("www-authenticate") == "Bearer"
        for lower in ROLES[: ROLES.index(role)]:
            response = client.request(method, url, headers={"X-API-Key": KEYS[lower]})
            assert response.status_code == 403, (method, path, lower, response.text)
            assert f"'{role}'" in response.json()["detail"]
        for enough in ROLES[ROLES.index(role):]:
            response = client.request(method, url, headers={"X-API-Key": KEYS[enough]})
            assert response.status_code not in (401, 403) and response.status_code < 500, (method, path, enough)
        checked += 1
    assert checked >= 15


def test_anonymous_access_is_reader_only(app_home: Path) -> None:
    with TestClient(make_app(app_home, allow_anonymous=True)) as anon:
        for method, path, route in routes(anon.app):
            role = required_role(route)
            if role in ("editor", "admin"):
                assert anon.request(method, concrete(path)).status_code == 403, (method, path)
            elif role == "reader":
                assert anon.request(method, concrete(path)).status_code not in (401, 403), (method, path)


def test_keys_are_kept_only_as_hashes(client: TestClient) -> None:
    state = client.app.state.almen
    blob = pickle.dumps(state.keyring) + repr(vars(state.keyring)).encode()
    for key in KEYS.values():
        assert key.encode() not in blob
    assert KEYS["admin"] not in repr(state.settings) and KEYS["admin"] not in str(state.settings.masked())


def test_key_lookup_compares_every_stored_hash_without_early_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    from service.api import security

    ring = security.KeyRing([(security.Role[r], k) for r, k in KEYS.items()])
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(security.hmac, "compare_digest", counting)
    for presented in (KEYS["reader"], KEYS["admin"], "ukendt-noegle-1234"):
        calls.clear()
        ring.lookup(presented)
        assert len(calls) == len(KEYS)  # the first, the last and no match cost the same comparisons
        assert all(len(a) == len(b) == 32 for a, b in calls)  # digests, never the raw key
        assert all(presented.encode() not in a + b for a, b in calls)


def test_keys_never_reach_the_logs(app_home: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with TestClient(make_app(app_home)) as c:
        c.get("/api/search", params={"q": "udlejning"}, headers={"X-API-Key": KEYS["reader"]})
        c.get("/api/documents", headers={"Authorization": f"Bearer {KEYS['reader']}"})
        c.get("/api/search", params={"q": "x"}, headers={"X-API-Key": "forkert-noegle-logges-ikke"})
        c.post("/api/ask", json={"question": "Hvad er en styringsdialog?"}, headers={"X-API-Key": KEYS["editor"]})
        c.get("/api/admin/audit", headers={"X-API-Key": KEYS["admin"]})
        audit = c.app.state.almen.audit.path
    text = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert caplog.records  # something was logged
    for key in (*KEYS.values(), "forkert-noegle-logges-ikke"):
        assert key not in text
        assert key.encode() not in audit.read_bytes()


@pytest.mark.parametrize("line,secret", [
    ('"GET /api/search?q=klage+0101901234 HTTP/1.1" 200', "0101901234"),
    ('"GET /api/search?q=klage%20010190%2D1234 HTTP/1.1" 200', "010190%2D1234"),
    ('"GET /api/search?q=010190-1234&k=3 HTTP/1.1" 200', "010190-1234"),
    ('"GET /api/search?q=klage+020290+5678 HTTP/1.1" 200', "020290+5678"),
    ('"GET /api/search?q=020290%E2%80%935678 HTTP/1.1" 200', "020290%E2%80%935678"),
    ('"GET /api/search?q=02.02.90%C2%A05678 HTTP/1.1" 200', "02.02.90%C2%A05678"),
    ('"GET /api/search?q=x&api_key=hemmelig-noegle HTTP/1.1" 401', "hemmelig-noegle"),
    ('"GET /api/search?token=hemmelig-token&q=x HTTP/1.1" 401', "hemmelig-token"),
    ('"GET /auth/callback?code=engangskode-123&state=tilstand-456 HTTP/1.1" 303', "engangskode-123"),
    ('"GET /auth/callback?code=engangskode-123&state=tilstand-456 HTTP/1.1" 303', "tilstand-456"),
    ('"GET /auth/callback?state=tilstand-456&session_state=sess-789 HTTP/1.1" 303', "sess-789"),
])
def test_the_log_filter_redacts_cpr_numbers_and_secrets_in_urls(line: str, secret: str) -> None:
    from service.api.logfilters import RedactCprFilter

    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, "%s", (line,), None)
    RedactCprFilter().filter(record)
    assert secret not in record.getMessage()
    keep = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, "%s", ('"GET /api/search?q=+4512345678"',), None)
    RedactCprFilter().filter(keep)
    assert "4512345678" in keep.getMessage()  # a phone number is not a CPR number


def test_cors_answers_only_exactly_configured_origins(app_home: Path) -> None:
    allowed = "https://intranet.kommune.dk"
    pre = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-api-key,content-type"}
    with TestClient(make_app(app_home, cors_origins=f"{allowed}, https://andet.kommune.dk/")) as c:
        ok = c.options("/api/ask", headers={"Origin": allowed, **pre})
        assert ok.headers.get("access-control-allow-origin") == allowed
        assert c.options("/api/ask", headers={"Origin": "https://andet.kommune.dk", **pre}).status_code == 200
        for origin in ("https://intranet.kommune.dk.ond.example", "http://intranet.kommune.dk", "null",
                       "https://intranet.kommune.dk:8443", "https://ond.example", "https://xintranet.kommune.dk"):
            response = c.options("/api/ask", headers={"Origin": origin, **pre})
            assert "access-control-allow-origin" not in response.headers, origin
            simple = c.get("/healthz", headers={"Origin": origin})
            assert "access-control-allow-origin" not in simple.headers, origin
        assert "access-control-allow-credentials" not in ok.headers


@pytest.mark.slow
def test_streamed_bodies_and_uploads_over_the_limit_are_413_on_a_live_server(app_home: Path) -> None:
    from tests.service.conftest import LiveServer

    app = make_app(app_home, max_file_mb=1.0)
    uploads = app_home / "uploads"
    before = set(uploads.iterdir()) if uploads.exists() else set()
    with LiveServer(app) as server:
        editor = {"X-API-Key": KEYS["editor"]}

        def multipart_stream() -> Iterator[bytes]:  # chunked: no Content-Length to refuse up front
            yield (b'--grense\r\nContent-Disposition: form-data; name="file"; filename="stor.txt"\r\n'
                   b"Content-Type: text/plain\r\n\r\n")
            for _ in range(4):
                yield b"udlejning " * 100_000  # 1 MB each
            yield b"\r\n--grense--\r\n"

        big = httpx.post(f"{server.url}/api/documents", content=multipart_stream(), timeout=60,
                         headers={**editor, "Content-Type": "multipart/form-data; boundary=grense"})
        assert big.status_code == 413, big.text
        assert big.headers["content-type"].startswith("application/problem+json") and "for stor" in big.json()["detail"]

        def json_stream() -> Iterator[bytes]:
            yield b'{"question": "hej'
            for _ in range(6):
                yield b"a" * 1_000_000
            yield b'"}'

        ask = httpx.post(f"{server.url}/api/ask", content=json_stream(), timeout=60,
                         headers={"X-API-Key": KEYS["reader"], "Content-Type": "application/json"})
        assert ask.status_code == 413, ask.text
        # A declared length over the limit is refused before the body is read (raw socket: no client checks).
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            sock.sendall(f"POST /api/reviews HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {KEYS['editor']}\r\n"
                         f"Content-Type: multipart/form-data; boundary=grense\r\n"
                         f"Content-Length: {50 * 1024 * 1024}\r\n\r\n".encode() + b"x" * 1000)
            head = sock.recv(4096).decode(errors="replace")
        assert head.startswith("HTTP/1.1 413"), head
        assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200  # the server is fine
    after = set(uploads.iterdir()) if uploads.exists() else set()
    assert after == before  # nothing half-written left behind
