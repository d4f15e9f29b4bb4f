"""/auth/session (who am I, how to log in), /auth/login, /auth/callback and /auth/logout (OIDC).

Open routes: the login flow carries its own signed, short-lived cookie (state, nonce, PKCE verifier),
and logging out needs the session's CSRF token. The page asks /auth/session how to show itself.
"""

from __future__ import annotations

import hmac
import html
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.concurrency import run_in_threadpool

from service.api import authn
from service.api.auth_oidc import OidcError
from service.api.deps import StateDep
from service.api.errors import ApiProblem, problem_response
from service.api.state import AppState

router = APIRouter(prefix="/auth", include_in_schema=False)
FLOW_SECONDS = 600
_PAGE_CSP = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def _serializer(state: AppState) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(state.access.secret, salt="almen-oidc-flow")


def _local_path(value: str | None) -> str:
    """Where to go after login: a path on this site only (never '//evil.example' or a URL)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")) or any(c in value for c in "\r\n\\"):
        return "/"
    return value[:500]


def _fail(request: Request, status: int, message: str) -> Response:
    """A login error: a small Danish page for a browser, a problem body for anything else."""
    if "text/html" not in request.headers.get("accept", ""):
        return problem_response(request, status, message)
    body = (f'<!doctype html><html lang="da"><head><meta charset="utf-8"><title>almen – log ind</title>'
            f'<link rel="stylesheet" href="/page.css"></head><body><main class="card"><h1>Log ind mislykkedes</h1>'
            f'<p role="alert">{html.escape(message)}</p><p><a href="/auth/login">Prøv at logge ind igen</a> · '
            f'<a href="/">Tilbage til almen</a></p></main></body></html>')
    return HTMLResponse(body, status_code=status, headers={"Content-Security-Policy": _PAGE_CSP,
                                                           "Cache-Control": "no-store"})


def _oidc(state: AppState) -> Any:
    if state.access.oidc is None:
        raise ApiProblem(404, "Log ind med OpenID Connect er ikke sat op på denne tjeneste (ALMEN_OIDC_ISSUER).")
    return state.access.oidc


def _cookie(response: Response, state: AppState, name: str, value: str, max_age: int) -> None:
    response.set_cookie(state.access.cookie(name), value, max_age=max_age, httponly=True,
                        secure=state.access.cookie_secure, samesite="lax", path="/")


@router.get("/session")
async def session_info(request: Request, state: StateDep) -> JSONResponse:
    """How the page should show itself: the mode, who is logged in, the CSRF token for writes."""
    access = state.access
    try:
        who = await run_in_threadpool(authn.authenticate, request, state)
    except ApiProblem:
        who = None
    csrf = None
    if who is not None and who.via == "session":
        found = await run_in_threadpool(authn.current_session, request, access)
        csrf = found[1].csrf if found else None
    elif who is not None and who.via == "proxy":
        csrf = authn.proxy_csrf(access, who)
    body = {
        "mode": access.mode,
        "authenticated": who is not None and not who.anonymous,
        "via": who.via if who else None,
        "user": who.user if who else "",
        "role": who.role.name if who else None,
        "scope": who.scope if who else None,
        "csrf_token": csrf,
        "login_url": "/auth/login" if access.oidc is not None else None,
        "can_logout": who is not None and who.via == "session",
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@router.get("/login")
async def login(request: Request, state: StateDep,
                next: Annotated[str | None, Query(max_length=500)] = None) -> Response:
    """Send the browser to the identity provider (authorization code flow with PKCE)."""
    oidc = _oidc(state)
    redirect_uri = state.settings.oidc_redirect_uri.strip() or str(request.url_for("oidc_callback"))
    try:
        url, flow = await oidc.start(redirect_uri)
    except OidcError as exc:
        return _fail(request, exc.status, exc.message)
    flow["next"] = _local_path(next)
    response = RedirectResponse(url, status_code=302, headers={"Cache-Control": "no-store"})
    _cookie(response, state, "login", _serializer(state).dumps(flow), FLOW_SECONDS)
    return response


@router.get("/callback", name="oidc_callback")
async def callback(request: Request, state: StateDep,
                   code: Annotated[str | None, Query(max_length=4000)] = None,
                   state_param: Annotated[str | None, Query(alias="state", max_length=500)] = None,
                   error: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    """The provider sends the browser back here: check the flow, make the session, go on to the page."""
    access = state.access
    oidc = _oidc(state)
    try:
        flow = _serializer(state).loads(request.cookies.get(access.cookie("login"), ""), max_age=FLOW_SECONDS)
    except BadSignature:
        return _fail(request, 400, "Log-ind-forsøget er udløbet eller ugyldigt. Start forfra med 'Log ind'.")
    if error:
        return _fail(request, 401, f"Identitetsudbyderen afbrød log ind ({error[:80]}).")
    if not code or not state_param or not hmac.compare_digest(state_param.encode(), str(flow.get("state")).encode()):
        return _fail(request, 400, "Log-ind-svaret passer ikke til log-ind-forsøget (state). Start forfra med 'Log ind'.")
    try:
        user = await oidc.finish(code, flow)
    except OidcError as exc:
        return _fail(request, exc.status, exc.message)
    session_id, _ = await run_in_threadpool(access.sessions.create, user=user.user, name=user.name,  # type: ignore[union-attr]
                                            role=int(user.role), scope=user.scope)
    await run_in_threadpool(state.audit.record, key_id=f"bruger:{user.name}", endpoint="/auth/login", status=200)
    response = RedirectResponse(_local_path(flow.get("next")), status_code=303, headers={"Cache-Control": "no-store"})
    _cookie(response, state, "session", session_id, int(state.settings.session_hours * 3600))
    response.delete_cookie(access.cookie("login"), path="/", secure=access.cookie_secure, httponly=True, samesite="lax")
    return response


@router.post("/logout")
async def logout(request: Request, state: StateDep) -> JSONResponse:
    """End the session here (and say where the provider's own logout is)."""
    access = state.access
    found = await run_in_threadpool(authn.current_session, request, access)
    end_session = None
    if found is not None:
        authn.check_browser_write(request, access, csrf=found[1].csrf)
        await run_in_threadpool(access.sessions.delete, found[0])  # type: ignore[union-attr]
        await run_in_threadpool(state.audit.record, key_id=f"bruger:{found[1].name}", endpoint="/auth/logout")
        if access.oidc is not None:
            try:
                endpoint = (await access.oidc.metadata()).get("end_session_endpoint")
            except OidcError:
                endpoint = None
            if endpoint:
                back = str(request.url_for("index"))
                end_session = f"{endpoint}?{urlencode({'client_id': access.oidc.client_id, 'post_logout_redirect_uri': back})}"
    response = JSONResponse({"logged_out": True, "end_session_url": end_session}, headers={"Cache-Control": "no-store"})
    response.delete_cookie(access.cookie("session"), path="/", secure=access.cookie_secure, httponly=True, samesite="lax")
    return response
