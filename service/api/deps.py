"""Dependencies of the routes: app state, settings, knowledge base, audit log and role checks.

Routes declare what they need with the ``Annotated`` aliases below, e.g.
``def ask(body: AskRequest, kb: KBDep, who: ReaderDep)``. Every route except the open ones in
``PUBLIC_PATHS`` depends on one of ``require_reader``, ``require_editor`` or ``require_admin``.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, Request

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from service.api.errors import ApiProblem
from service.api.security import Principal, Role
from service.api.state import AppState
from service.audit import AuditLog

# Routes anyone may call without a key: health checks, the page, the widget files, the API docs.
PUBLIC_PATHS = frozenset({
    "/healthz", "/readyz", "/", "/widget.js", "/widget.css", "/app.js", "/page.css", "/favicon.ico",
    "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc",
})


def get_state(request: Request) -> AppState:
    """The per-process state the factory put on the app."""
    return request.app.state.almen


StateDep = Annotated[AppState, Depends(get_state)]


def get_settings(state: StateDep) -> Settings:
    return state.settings


def get_kb(state: StateDep) -> KnowledgeBase:
    return state.kb


def get_audit(state: StateDep) -> AuditLog:
    return state.audit


SettingsDep = Annotated[Settings, Depends(get_settings)]
KBDep = Annotated[KnowledgeBase, Depends(get_kb)]
AuditDep = Annotated[AuditLog, Depends(get_audit)]


def presented_key(request: Request) -> str | None:
    """The API key from ``Authorization: Bearer <key>`` or ``X-API-Key``, if any."""
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    key = request.headers.get("x-api-key", "").strip()
    return key or None


def authenticate(request: Request, state: AppState) -> Principal:
    """The caller's principal; 401 when the key is missing or unknown (and anonymous access is off)."""
    key = presented_key(request)
    if key is not None:
        principal = state.keyring.lookup(key)
        if principal is None:
            raise ApiProblem(401, "API-nøglen er ugyldig. Tjek nøglen, eller bed administratoren om en ny.",
                             headers={"WWW-Authenticate": "Bearer"})
        return principal
    if state.allow_anonymous:
        return Principal(key_id="anonym", role=Role.reader, anonymous=True)
    raise ApiProblem(401, "Der mangler en API-nøgle. Send den i headeren 'Authorization: Bearer <nøgle>' eller 'X-API-Key'.",
                     headers={"WWW-Authenticate": "Bearer"})


def _require(minimum: Role, request: Request, state: AppState) -> Principal:
    principal = authenticate(request, state)
    if principal.role < minimum:
        raise ApiProblem(403, f"Din API-nøgle har rollen '{principal.role.name}', men denne handling kræver "
                              f"rollen '{minimum.name}' eller højere.")
    caller = principal.key_id if not principal.anonymous else f"anonym:{request.client.host if request.client else '-'}"
    wait = state.limiter.acquire(caller)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise ApiProblem(429, f"For mange forespørgsler. Vent {seconds} sekund(er) og prøv igen.",
                         headers={"Retry-After": str(seconds)})
    request.state.principal = principal
    return principal


def require_reader(request: Request, state: StateDep) -> Principal:
    """Any valid key (or anonymous access when allowed): ask, chat, search, chunks, feedback."""
    return _require(Role.reader, request, state)


def require_editor(request: Request, state: StateDep) -> Principal:
    """An editor or admin key: documents and reviews."""
    return _require(Role.editor, request, state)


def require_admin(request: Request, state: StateDep) -> Principal:
    """An admin key: everything, including the audit log."""
    return _require(Role.admin, request, state)


ReaderDep = Annotated[Principal, Depends(require_reader)]
EditorDep = Annotated[Principal, Depends(require_editor)]
AdminDep = Annotated[Principal, Depends(require_admin)]
