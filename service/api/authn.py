"""Who is calling: the order in which almen recognises a caller, and the checks that go with each way.

1. A trusted reverse proxy's user headers (only from ALMEN_PROXY_TRUSTED addresses).
2. An API key (``Authorization: Bearer`` or ``X-API-Key``): machine clients. In local mode any token is
   accepted, as a local Ollama does. Wrong keys are throttled per address and audited.
3. A login session cookie (OIDC).
4. Local mode: the person at the machine, with full rights, without a key.
5. Anonymous reading, where allowed.

Browsers send proxy, session and local credentials by themselves ("ambient" credentials), so writes
made with them must come from almen's own page: same origin (Origin, Sec-Fetch-Site) and, for
sessions and proxy users, the CSRF token from GET /auth/session in the X-CSRF-Token header.

The settings behind these ways (keys, local mode, OIDC, proxy, host names) are read once into
``service.api.access.Access``.
"""

from __future__ import annotations

import hmac
import logging
import math
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from fastapi import Request

from service.api.access import Access
from service.api.errors import ApiProblem
from service.api.security import Principal, Role
from service.api.sessions import Session, derived_token

if TYPE_CHECKING:
    from service.api.state import AppState

log = logging.getLogger("almen.api")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOCAL = Principal(key_id="lokal", role=Role.admin, via="local", user="lokal bruger")
ANONYMOUS = Principal(key_id="anonym", role=Role.reader, anonymous=True, via="anonymous")


def presented_key(request: Request) -> str | None:
    """The API key from ``Authorization: Bearer <key>`` or ``X-API-Key``, if any."""
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    key = request.headers.get("x-api-key", "").strip()
    return key or None


def client_address(request: Request, access: Access) -> str:
    """The caller's address (behind a trusted proxy: the forwarded one)."""
    if access.proxy is not None:
        return access.proxy.client_address(request)
    return request.client.host if request.client else "-"


def current_session(request: Request, access: Access) -> tuple[str, Session] | None:
    """The live login session of the request's cookie, with the cookie value."""
    if access.sessions is None:
        return None
    value = request.cookies.get(access.cookie("session"), "")
    session = access.sessions.get(value) if value else None
    return (value, session) if session is not None else None


def session_principal(session: Session) -> Principal:
    return Principal(key_id=f"bruger:{session.name}", role=Role(session.role), scope=session.scope, via="session",
                     user=session.name)


def proxy_csrf(access: Access, who: Principal) -> str:
    """The CSRF token of a proxy user (derived, so every worker knows it without shared state)."""
    return derived_token(access.secret, "csrf", f"{who.key_id}|{who.role.name}|{who.scope}")


def _same_origin(origin: str, request: Request) -> bool:
    parts = urlsplit(origin)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port
    except ValueError:
        return False
    name = parts.hostname or ""
    name = f"[{name}]" if ":" in name else name  # IPv6 literals keep their brackets in a Host header
    netloc = name + ("" if port in (None, default) else f":{port}")
    host = request.headers.get("host", "").lower()
    for scheme_port in (":80", ":443"):
        host = host.removesuffix(scheme_port)
    return bool(parts.hostname) and netloc == host


def check_browser_write(request: Request, access: Access, *, csrf: str | None) -> None:
    """Writes with ambient credentials must come from almen's own page (see the module docstring)."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin", "").rstrip("/")
    if not (origin and origin in access.cors_origins and csrf is None):
        site = request.headers.get("sec-fetch-site", "")
        if (site and site not in ("same-origin", "none")) or (origin and not _same_origin(origin, request)):
            raise ApiProblem(403, "Forespørgslen kom fra en anden hjemmeside og er afvist (beskyttelse mod CSRF). "
                                  "Brug almens egen side, eller send en API-nøgle.")
    if csrf is not None and not hmac.compare_digest(request.headers.get("x-csrf-token", "").encode(), csrf.encode()):
        raise ApiProblem(403, "CSRF-token mangler eller er forkert (headeren X-CSRF-Token). Genindlæs siden og prøv "
                              "igen.")


def _check_key(request: Request, state: AppState, key: str) -> Principal:
    access = state.access
    address = client_address(request, access)
    wait = access.throttle.wait(address)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise ApiProblem(429, f"For mange forkerte API-nøgler fra din adresse. Vent {seconds} sekund(er) og prøv igen.",
                         headers={"Retry-After": str(seconds)})
    principal = access.keyring.lookup(key)
    if principal is not None:
        return principal
    access.throttle.failed(address)
    try:
        state.audit.record(key_id=f"afvist:{address}", endpoint=request.url.path, status=401)
    except Exception:  # noqa: BLE001 - a full or locked audit database must not turn a 401 into a 500
        log.warning("Could not audit a refused key from %s", address)
    raise ApiProblem(401, "API-nøglen er ugyldig. Tjek nøglen, eller bed administratoren om en ny.",
                     headers={"WWW-Authenticate": "Bearer"})


def authenticate(request: Request, state: AppState) -> Principal:
    """The caller's principal (see the module docstring for the order); 401 when there is none."""
    access = state.access
    if access.proxy is not None:
        who = access.proxy.principal(request)
        if who is not None:
            check_browser_write(request, access, csrf=proxy_csrf(access, who))
            return who
    key = presented_key(request)
    if key is not None:
        return LOCAL if access.local_mode else _check_key(request, state, key)
    found = current_session(request, access)
    if found is not None:
        check_browser_write(request, access, csrf=found[1].csrf)
        return session_principal(found[1])
    if access.local_mode:
        check_browser_write(request, access, csrf=None)
        return LOCAL
    if access.allow_anonymous:
        return ANONYMOUS
    if access.oidc is not None:
        detail = ("Du er ikke logget ind (eller din session er udløbet). Log ind på siden, eller send en API-nøgle i "
                  "headeren 'Authorization: Bearer <nøgle>'.")
    else:
        detail = "Der mangler en API-nøgle. Send den i headeren 'Authorization: Bearer <nøgle>' eller 'X-API-Key'."
    raise ApiProblem(401, detail, headers={"WWW-Authenticate": "Bearer"})
