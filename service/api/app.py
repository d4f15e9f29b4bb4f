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
    routes_admin,
    routes_agreements,
    routes_ask,
    routes_chunks,
    routes_documents,
    routes_feedback,
    routes_health,
    routes_openai,
    routes_reviews,
    routes_search,
    routes_static,
)
from service.api.errors import install_error_handlers
from service.api.limits import BodySizeLimit, SecurityHeaders
from service.api.openapi import install_openapi
from service.api.security import KeyRing, RateLimiter, anonymous_allowed
from service.api.state import AppState
from service.audit import AuditLog

log = logging.getLogger("almen.api")

DESCRIPTION = """almen besvarer spørgsmål om styringsdialogen med de almene boligorganisationer med
kildehenvisninger til lov, vejledning og egne dokumenter.

Nøgler sendes som `Authorization: Bearer <nøgle>` eller `X-API-Key`. Roller: reader (spørg, søg, kilder,
feedback), editor (+ dokumenter), admin (+ alt). Fejl returneres som JSON-problemer (RFC 9457)."""


def prepare_knowledge_base(kb: KnowledgeBase) -> None:
    """On first start ingest the built-in corpus (progress in the log), then load the search index."""
    from ingest.pipeline import builtin_files, ensure_builtin

    if kb.is_empty():
        total = len(builtin_files())
        log.info("Vidensbasen er tom: indlæser den indbyggede vidensbase (%d filer) ...", total)

        def on_event(ev: object) -> None:
            result = getattr(ev, "result", None)
            if result is not None:
                log.info("  [%d/%d] %s: %s%s", ev.index + 1, ev.total, result.path, result.status,  # type: ignore[attr-defined]
                         f" ({result.message})" if result.message else "")

        report = ensure_builtin(kb, on_event=on_event)
        if report is not None:
            log.info("Indbygget vidensbase indlæst: %d filer på %.1f s.", len(report.results), report.seconds)
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
    """Build the app. ``bind_host`` decides anonymous access when ALMEN_ALLOW_ANONYMOUS is unset."""
    keyring = KeyRing.from_sources(settings.api_keys.get_secret_value(), settings.keys_file)
    allow_anonymous = anonymous_allowed(settings.allow_anonymous, bind_host)
    if not len(keyring) and not allow_anonymous:
        log.warning("Ingen API-nøgler er sat op (ALMEN_API_KEYS / ALMEN_KEYS_FILE), og anonym adgang er slået fra: "
                    "alle kald til API'et afvises.")
    state = AppState(
        settings=settings, kb=kb or KnowledgeBase(settings), keyring=keyring,
        limiter=RateLimiter(settings.rate_limit_per_minute), audit=AuditLog.in_home(settings.home),
        allow_anonymous=allow_anonymous, ingest_builtin=ingest_builtin,
    )
    app = FastAPI(title="almen", version="0.1.0", description=DESCRIPTION, lifespan=_lifespan)
    app.state.almen = state
    install_error_handlers(app)
    for module in (routes_health, routes_ask, routes_search, routes_documents, routes_chunks, routes_feedback,
                   routes_openai, routes_admin, routes_static, routes_reviews, routes_agreements):
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
    return app


def app_from_env() -> FastAPI:
    """uvicorn factory (``service.api.app:app_from_env``): settings from the ALMEN_* environment."""
    return create_app(load_settings())
