"""`almen serve`: run the HTTP service (API, chat widget and page) with uvicorn."""

from __future__ import annotations

import copy
import os
from typing import Any

import typer

from service.cli.common import console, fail, get_settings, handle_errors, open_kb

APP_FACTORY = "service.api.app:app_from_env"


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging setup plus the 'almen' logger (startup progress, warnings); CPR numbers are redacted."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_cpr"] = {"()": "service.api.logfilters.RedactCprFilter"}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("redact_cpr")  # query strings may hold CPR numbers
    config["loggers"]["almen"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config


def register(app: typer.Typer) -> None:
    @app.command("serve")
    @handle_errors
    def serve_cmd(
        host: str = typer.Option("127.0.0.1", "--host", help="Adresse at lytte på (0.0.0.0 = alle netkort)."),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port."),
        workers: int = typer.Option(1, "--workers", min=1, max=64,
                                    help="Antal processer; mere end 1 kræver en Chroma-server (ALMEN_CHROMA_URL)."),
        log_level: str = typer.Option("info", "--log-level", help="debug, info, warning eller error."),
    ) -> None:
        """Start tjenesten: API, OpenAI-kompatibelt endpoint, chat-widget og side på http://HOST:PORT/."""
        import uvicorn

        from service.api.security import KeyRing, anonymous_allowed

        settings = get_settings()
        if workers > 1 and not settings.chroma_url:
            raise fail(
                "Flere workers kræver en fælles Chroma-server, så alle processer ser den samme vidensbase. "
                "Start fx 'chroma run --path DATAMAPPE --port 8001' og sæt ALMEN_CHROMA_URL=http://127.0.0.1:8001, "
                "eller brug --workers 1."
            )
        keys = KeyRing.from_sources(settings.api_keys.get_secret_value(), settings.keys_file)
        anonymous = anonymous_allowed(settings.allow_anonymous, host)
        if not len(keys) and not anonymous:
            raise fail(
                f"Ingen API-nøgler er sat op, og anonym adgang er slået fra, når tjenesten lytter på {host}. "
                "Sæt ALMEN_API_KEYS='reader:NØGLE,editor:NØGLE' (eller ALMEN_KEYS_FILE), "
                "eller ALMEN_ALLOW_ANONYMOUS=true hvis alle på netværket må spørge."
            )
        # Workers build their app from the environment: hand them the effective anonymous decision.
        os.environ["ALMEN_ALLOW_ANONYMOUS"] = "true" if anonymous else "false"
        if settings.embedding_threads == 0:
            # One thread per query embedding: measured here, 2 OpenMP threads on a busy 2-core machine took
            # 3-4 s per query against ~0.1 s with one; requests run in parallel anyway.
            os.environ["ALMEN_EMBEDDING_THREADS"] = "1"
        if workers > 1:
            open_kb(settings)  # ingest the built-in corpus once, before the workers start
        console.print(f"[bold]almen[/] starter på [link]http://{host}:{port}/[/link]  "
                      f"(data: {settings.chroma_url or settings.home}, "
                      f"anonym læseadgang: {'ja' if anonymous else 'nej'}, nøgler: {len(keys)}, workers: {workers})")
        uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers,
                    log_config=log_config(log_level), log_level=log_level, proxy_headers=False)
