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
from service.api import authn
from service.api.citations import CitationLinker, base_url
from service.api.errors import ApiProblem
from service.api.security import Principal, Role
from service.api.state import AppState
from service.audit import AuditLog

# Routes anyone may call without a key: health checks, the page, the widget files, the API docs, and
# logging in and out (they work with the login flow's own cookies).
PUBLIC_PATHS = frozenset({
    "/healthz", "/readyz", "/", "/widget.js", "/widget.css", "/app.js", "/page.css", "/favicon.ico", "/kilde.css",
    "/kilde.js", "/views.js",
    "/openapi.json", "/docs", "/auth/session", "/auth/login", "/auth/callback", "/auth/logout",
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


def get_linker(request: Request, state: StateDep) -> CitationLinker:
    """Public citations for this request: links to almen's source pages at the address the caller used."""
    return CitationLinker(state.kb, base_url(state.settings.public_url, str(request.base_url)))


LinkerDep = Annotated[CitationLinker, Depends(get_linker)]


def authenticate(request: Request, state: AppState) -> Principal:
    """The caller's principal (proxy user, key, session, local user or anonymous); see ``service.api.authn``."""
    return authn.authenticate(request, state)


def _refusal(principal: Principal, minimum: Role) -> str:
    """The Danish 403 text: it names how the caller was recognised (no key is not 'your key')."""
    need = f"denne handling kræver rollen '{minimum.name}' eller højere"
    if principal.anonymous:
        return (f"Uden API-nøgle har du kun læseadgang (rollen '{principal.role.name}'), og {need}. "
                "Indtast en nøgle med den rolle, eller bed administratoren om en.")
    if principal.via in ("session", "proxy"):
        return f"Din bruger har rollen '{principal.role.name}', men {need}. Bed administratoren om adgang."
    return f"Din API-nøgle har rollen '{principal.role.name}', men {need}."


def _require(minimum: Role, request: Request, state: AppState) -> Principal:
    principal = authenticate(request, state)
    if principal.role < minimum:
        raise ApiProblem(403, _refusal(principal, minimum))
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
