"""Municipal login with OpenID Connect against a real provider on 127.0.0.1 (tests/service/oidc_provider.py):
the authorization code flow with PKCE, roles and scopes from the groups claim, secure session cookies,
CSRF protection of cookie-authenticated writes and logout; forged, expired, wrongly addressed tokens and
users without a group get no session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from tests.service.conftest import LiveServer
from tests.service.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcTestProvider

ADMIN_KEY = "admin-maskinnoegle-0123456789-abcd"
GROUP_ROLES = "almen-laesere=reader, almen-redaktoerer=editor, egeskov-teknik=editor@egeskov/teknik"


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcTestProvider]:
    idp = OidcTestProvider()
    with LiveServer(idp.app()) as server:
        idp.issuer = server.url
        yield idp


@pytest.fixture
def almen(provider: OidcTestProvider, api_kb: KnowledgeBase, tmp_path: Path) -> Iterator[TestClient]:
    """almen with OIDC login and one admin key for machine clients, over https://testserver."""
    from service.api.app import create_app

    provider.mode = "ok"
    settings = Settings(home=tmp_path / "home", embedding_backend="fake", api_keys=f"admin:{ADMIN_KEY}",
                        allow_anonymous=False, oidc_issuer=provider.issuer, oidc_client_id=CLIENT_ID,
                        oidc_client_secret=CLIENT_SECRET, group_roles=GROUP_ROLES)
    app = create_app(settings, kb=api_kb, bind_host="0.0.0.0", ingest_builtin=False)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


def log_in(client: TestClient, provider: OidcTestProvider, username: str, groups: list[str]) -> httpx.Response:
    """The browser's way through the flow; returns almen's answer to the callback."""
    provider.login_as(username, groups)
    start = client.get("/auth/login", params={"next": "/?fane=aftaler"})
    assert start.status_code == 302, start.text
    at_provider = httpx.get(start.headers["location"], follow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["location"])
    assert back.netloc == "testserver" and back.path == "/auth/callback"
    return client.get(f"{back.path}?{back.query}")


def session_of(client: TestClient) -> dict[str, Any]:
    response = client.get("/auth/session")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    return response.json()


def test_login_with_pkce_gives_a_secure_session_with_the_groups_role(almen: TestClient,
                                                                     provider: OidcTestProvider) -> None:
    assert session_of(almen) == {"mode": "oidc", "authenticated": False, "via": None, "user": "", "role": None,
                                 "scope": None, "csrf_token": None, "login_url": "/auth/login", "can_logout": False}
    assert almen.get("/api/documents").status_code == 401  # no session yet
    done = log_in(almen, provider, "mette", ["almen-redaktoerer", "andet"])
    assert done.status_code == 303 and done.headers["location"] == "/?fane=aftaler"
    # PKCE S256 and a nonce were sent; the verifier came only with the token request, with the client secret
    sent = provider.authorize_requests[-1]
    assert sent["code_challenge_method"] == "S256" and len(sent["code_challenge"]) == 43 and sent["nonce"]
    assert sent["redirect_uri"] == "https://testserver/auth/callback" and "code_verifier" not in sent
    assert len(provider.token_requests[-1]["code_verifier"]) >= 43
    cookie = next(h for h in done.headers.get_list("set-cookie") if h.startswith("__Host-almen-session="))
    attributes = {a.strip().split("=")[0].lower() for a in cookie.split(";")[1:]}
    assert {"secure", "httponly", "path", "max-age"} <= attributes and "samesite=lax" in cookie.lower()
    assert "domain" not in attributes
    info = session_of(almen)
    assert (info["authenticated"], info["via"], info["user"], info["role"], info["scope"]) == (
        True, "session", "mette", "editor", None)
    assert info["can_logout"] and len(info["csrf_token"]) >= 32
    assert almen.get("/api/documents").status_code == 200  # editor through the cookie
    assert almen.get("/api/admin/audit").status_code == 403  # but not admin
    rows = almen.get("/api/admin/audit", headers={"X-API-Key": ADMIN_KEY}).json()["entries"]
    assert any(r["key_id"] == "bruger:mette" and r["endpoint"] == "/auth/login" for r in rows)


def test_cookie_writes_need_the_csrf_token_and_the_same_origin(almen: TestClient, provider: OidcTestProvider) -> None:
    log_in(almen, provider, "mette", ["almen-redaktoerer"])
    token = session_of(almen)["csrf_token"]
    upload = {"files": {"file": ("csrf-notat.txt", b"Notat om tomgang i afdeling 4.", "text/plain")}}
    missing = almen.post("/api/documents", **upload)
    assert missing.status_code == 403 and "CSRF" in missing.json()["detail"]
    wrong = almen.post("/api/documents", headers={"X-CSRF-Token": "x" * 43}, **upload)
    assert wrong.status_code == 403
    foreign = almen.post("/api/documents", headers={"X-CSRF-Token": token, "Origin": "https://ond.example"}, **upload)
    assert foreign.status_code == 403 and "anden hjemmeside" in foreign.json()["detail"]
    cross = almen.post("/api/documents", headers={"X-CSRF-Token": token, "Sec-Fetch-Site": "cross-site"}, **upload)
    assert cross.status_code == 403
    ok = almen.post("/api/documents", headers={"X-CSRF-Token": token, "Origin": "https://testserver",
                                               "Sec-Fetch-Site": "same-origin"}, **upload)
    assert ok.status_code == 201, ok.text
    sid = ok.json()["document"]["source_id"]
    assert almen.delete(f"/api/documents/{sid}").status_code == 403  # reading needs no token, deleting does
    assert almen.delete(f"/api/documents/{sid}", headers={"X-CSRF-Token": token}).status_code == 200
    # a machine client with a key needs no CSRF token (it sends no cookie the browser adds by itself)
    assert almen.get("/api/admin/audit", headers={"X-API-Key": ADMIN_KEY}).status_code == 200


def test_logout_ends_the_session_at_once(almen: TestClient, provider: OidcTestProvider) -> None:
    log_in(almen, provider, "mette", ["almen-laesere"])
    copied = dict(almen.cookies)
    token = session_of(almen)["csrf_token"]
    assert almen.post("/auth/logout").status_code == 403  # without the token a foreign page cannot log you out
    out = almen.post("/auth/logout", headers={"X-CSRF-Token": token})
    assert out.status_code == 200
    end = urlsplit(out.json()["end_session_url"])
    assert f"{end.scheme}://{end.netloc}{end.path}" == f"{provider.issuer}/logout"
    assert parse_qs(end.query) == {"client_id": [CLIENT_ID], "post_logout_redirect_uri": ["https://testserver/"]}
    assert session_of(almen)["authenticated"] is False
    with TestClient(almen.app, base_url="https://testserver", cookies=copied) as replay:  # a copied cookie is dead
        assert replay.get("/api/search", params={"q": "udlejning"}).status_code == 401


@pytest.mark.parametrize("mode,reason", [
    ("forged", "signaturen passer ikke"),
    ("unknown_kid", "signaturen passer ikke"),
    ("expired", "udløbet"),
    ("wrong_aud", "anden tjeneste"),
    ("wrong_iss", "anden udbyder"),
    ("wrong_nonce", "log-ind-forsøg"),
])
def test_bad_id_tokens_give_no_session(almen: TestClient, provider: OidcTestProvider, mode: str, reason: str) -> None:
    provider.mode = mode
    done = log_in(almen, provider, "mette", ["almen-redaktoerer"])
    assert done.status_code == 401, done.text
    assert done.headers["content-type"].startswith("application/problem+json") and reason in done.json()["detail"]
    assert not any("almen-session=" in h for h in done.headers.get_list("set-cookie"))
    assert session_of(almen)["authenticated"] is False
    assert almen.get("/api/documents").status_code == 401


def test_a_user_without_the_group_is_refused(almen: TestClient, provider: OidcTestProvider) -> None:
    done = log_in(almen, provider, "ole", ["kantine", "almen-laesere-ikke"])
    assert done.status_code == 403 and "ingen af brugerens grupper" in done.json()["detail"]
    assert session_of(almen)["authenticated"] is False
    html = almen.get("/auth/callback", params={"code": "x", "state": "y"}, headers={"Accept": "text/html"})
    assert html.status_code == 400 and "<p role=\"alert\">" in html.text and "script" not in html.text


def test_groups_from_userinfo_and_a_scope_from_the_group_map(almen: TestClient, provider: OidcTestProvider) -> None:
    provider.mode = "groups_in_userinfo"
    done = log_in(almen, provider, "karen", ["egeskov-teknik"])
    assert done.status_code == 303, done.text
    info = session_of(almen)
    assert (info["role"], info["scope"]) == ("editor", "egeskov/teknik")


def test_a_replayed_or_foreign_callback_is_refused(almen: TestClient, provider: OidcTestProvider) -> None:
    provider.login_as("mette", ["almen-redaktoerer"])
    start = almen.get("/auth/login")
    at_provider = httpx.get(start.headers["location"], follow_redirects=False, timeout=10)
    back = urlsplit(at_provider.headers["location"])
    query = parse_qs(back.query)
    forged_state = almen.get("/auth/callback", params={"code": query["code"][0], "state": "angriberens"})
    assert forged_state.status_code == 400 and "state" in forged_state.json()["detail"]
    with TestClient(almen.app, base_url="https://testserver", follow_redirects=False) as other_browser:
        stolen = other_browser.get(f"{back.path}?{back.query}")  # no login cookie from this browser's own start
        assert stolen.status_code == 400
    assert almen.get("/auth/login", params={"next": "//ond.example/x"}).status_code == 302
    flow_next = log_in(almen, provider, "mette", ["almen-redaktoerer"])
    assert flow_next.status_code == 303


def test_the_next_path_after_login_stays_on_this_site(almen: TestClient, provider: OidcTestProvider) -> None:
    from service.api.routes_auth import _local_path

    for hostile in ("//ond.example/x", "https://ond.example", "/\\ond.example", "ond.example", "/x\r\nSet-Cookie: a=b"):
        assert _local_path(hostile) == "/"
    assert _local_path("/?fane=aftaler") == "/?fane=aftaler"


def test_without_oidc_the_login_routes_say_so(make_client) -> None:
    client = make_client()
    response = client.get("/auth/login")
    assert response.status_code == 404 and "ALMEN_OIDC_ISSUER" in response.json()["detail"]
    assert client.get("/auth/session").json()["mode"] == "keys"


def test_oidc_settings_that_cannot_work_are_refused_at_start(tmp_path: Path) -> None:
    from service.api.access import build_access

    base: dict[str, Any] = {"home": tmp_path, "embedding_backend": "fake", "oidc_client_id": CLIENT_ID,
                            "group_roles": GROUP_ROLES}
    with pytest.raises(ValueError, match="https"):
        build_access(Settings(**base, oidc_issuer="http://idp.kommune.dk"), None)
    with pytest.raises(ValueError, match="ALMEN_GROUP_ROLES"):
        build_access(Settings(**{**base, "group_roles": ""}, oidc_issuer="https://idp.kommune.dk"), None)
    with pytest.raises(ValueError, match="Ukendt rolle"):
        build_access(Settings(**{**base, "group_roles": "x=chef"}, oidc_issuer="https://idp.kommune.dk"), None)
