"""The app factory: ``create_app(settings)`` builds the FastAPI app; ``app_from_env`` is uvicorn's factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from knowledge.config import Settings, load_settings
from knowledge.kb import KnowledgeBase
from service.api import (
    docs_page,
    routes_admin,
    routes_agreements,
    routes_ask,
    routes_auth,
    routes_chunks,
    routes_documents,
    routes_feedback,
    routes_health,
    routes_laws,
    routes_openai,
    routes_reviews,
    routes_search,
    routes_sources,
    routes_static,
)
from service.api.access import build_access
from service.api.errors import install_error_handlers
from service.api.hosts import HostCheck
from service.api.limits import BodySizeLimit, SecurityHeaders
from service.api.openapi import install_openapi
from service.api.security import RateLimiter
from service.api.state import AppState
from service.audit import AuditLog
from service.scratch import sweep

log = logging.getLogger("almen.api")

DESCRIPTION = """almen besvarer spørgsmål om styringsdialogen med de almene boligorganisationer med
kildehenvisninger til lov, vejledning og egne dokumenter.

Nøgler sendes som `Authorization: Bearer <nøgle>` eller `X-API-Key`. Roller: reader (spørg, søg, kilder,
feedback), editor (+ dokumenter), admin (+ alt). En nøgle eller bruger kan have en afgrænsning (kommune eller
kommune/afdeling): den ser de indbyggede tekster og sin afgrænsnings dokumenter. På 127.0.0.1 uden nøgler
(lokal tilstand) har den, der sidder ved maskinen, alle rettigheder uden nøgle. Fejl returneres som
JSON-problemer (RFC 9457)."""


def prepare_knowledge_base(kb: KnowledgeBase) -> None:
    """Bring the built-in corpus to its current version (first start, an upgrade that changed it, a store
    filled with other documents first; progress in the log), then load the search index."""
    from ingest.builtin import ensure_builtin, plan_builtin

    plan = plan_builtin(kb) if kb.settings.builtin else None
    if plan is not None and plan.changed:
        log.info("%s den indbyggede vidensbase (version %s): %d nye, %d ændrede og %d fjernede notater ...",
                 "Indlæser" if plan.first else "Opdaterer", plan.version, len(plan.add), len(plan.update), len(plan.remove))

    def on_event(ev: object) -> None:
        result = getattr(ev, "result", None)
        if result is not None and result.status != "unchanged":
            log.info("  [%d/%d] %s: %s%s", ev.index + 1, ev.total, result.path, result.status,  # type: ignore[attr-defined]
                     f" ({result.message})" if result.message else "")

    report = ensure_builtin(kb, on_event=on_event, plan=plan)
    if report is not None:
        (log.warning if report.failed else log.info)("%s (%.1f s)", report.message(), report.seconds)
    kb.lexical.ensure(kb.store)
    # Load the embedding model now (torch engine: ~3 s), not on the first user's question.
    kb.embeddings.embed_query("opvarmning")
    engine = getattr(kb.embeddings, "engine", "")
    how = f" (motor {engine}, {kb.embeddings.precision})" if engine else ""  # type: ignore[attr-defined]
    log.info("Klar: %d tekststykker, embeddingmodel %s%s.", kb.lexical.chunk_count, kb.embeddings.model_id, how)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    state: AppState = app.state.almen
    if state.ingest_builtin:
        try:
            await run_in_threadpool(prepare_knowledge_base, state.kb)
        except Exception as exc:  # noqa: BLE001 - serve anyway; /readyz reports the problem
            log.error("Vidensbasen kunne ikke gøres klar: %s", getattr(exc, "message", exc))
    yield
    state.kb.close()


def create_app(settings: Settings, *, kb: KnowledgeBase | None = None, bind_host: str | None = None,
               ingest_builtin: bool = True) -> FastAPI:
    """Build the app. ``bind_host`` decides local mode, anonymous access (when ALMEN_LOCAL_MODE and
    ALMEN_ALLOW_ANONYMOUS are unset) and joins the allowed host names."""
    sweep(settings.home)  # originals a killed process left in the scratch folder (service.scratch)
    access = build_access(settings, bind_host)
    if access.mode == "open" and not access.allow_anonymous:
        log.warning("Ingen API-nøgler eller log ind er sat op (ALMEN_API_KEYS / ALMEN_KEYS_FILE / ALMEN_OIDC_ISSUER / "
                    "ALMEN_PROXY_TRUSTED), og anonym adgang er slået fra: alle kald til API'et afvises.")
    state = AppState(
        settings=settings, kb=kb or KnowledgeBase(settings), keyring=access.keyring,
        limiter=RateLimiter(settings.rate_limit_per_minute), audit=AuditLog.in_home(settings.home),
        allow_anonymous=access.allow_anonymous, access=access, ingest_builtin=ingest_builtin,
    )
    # No Swagger UI or ReDoc: they load scripts from a CDN. /docs is a script-free page (docs_page).
    app = FastAPI(title="almen", version="0.1.0", description=DESCRIPTION, lifespan=_lifespan,
                  docs_url=None, redoc_url=None)
    app.state.almen = state
    install_error_handlers(app)
    for module in (routes_health, routes_ask, routes_search, routes_documents, routes_chunks, routes_feedback,
                   routes_openai, routes_admin, routes_static, routes_reviews, routes_agreements, routes_auth,
                   routes_laws, routes_sources, docs_page):
        app.include_router(module.router)
    install_openapi(app)

    app.add_middleware(BodySizeLimit, upload_bytes=settings.max_file_bytes)  # type: ignore[arg-type]
    app.add_middleware(SecurityHeaders)  # type: ignore[arg-type]
    origins = [o.strip().rstrip("/") for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "DELETE"],  # type: ignore[arg-type]
            allow_headers=["Authorization", "X-API-Key", "Content-Type"], expose_headers=["Retry-After"],
            max_age=600,
        )
    app.add_middleware(HostCheck, allowed=access.hosts)  # type: ignore[arg-type]  # outermost: before anything else
    return app


def app_from_env() -> FastAPI:
    """uvicorn factory (``service.api.app:app_from_env``): settings from the ALMEN_* environment."""
    return create_app(load_settings())
