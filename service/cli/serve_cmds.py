"""`almen serve`: run the HTTP service (API, chat widget and page) with uvicorn."""

from __future__ import annotations

import copy
import os
from pathlib import Path
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
        ssl_certfile: str | None = typer.Option(None, "--ssl-certfile", help="TLS-certifikat (PEM): tjenesten svarer på https."),
        ssl_keyfile: str | None = typer.Option(None, "--ssl-keyfile", help="Privat nøgle (PEM) til --ssl-certfile."),
    ) -> None:
        """Start tjenesten: API, OpenAI-kompatibelt endpoint, chat-widget og side på http://HOST:PORT/."""
        import uvicorn

        from knowledge.write_lock import ensure_writable
        from service.api.access import build_access, is_loopback

        settings = get_settings()
        ensure_writable(settings.home)  # a read-only data folder: one Danish line and exit 1, not a traceback
        if workers > 1 and not settings.chroma_url:
            raise fail(
                "Flere workers kræver en fælles Chroma-server, så alle processer ser den samme vidensbase. "
                "Start fx 'chroma run --path DATAMAPPE --port 8001' og sæt ALMEN_CHROMA_URL=http://127.0.0.1:8001, "
                "eller brug --workers 1."
            )
        if bool(ssl_certfile) != bool(ssl_keyfile):
            raise fail("Brug --ssl-certfile og --ssl-keyfile sammen (certifikat og privat nøgle i PEM-format).")
        for path in (ssl_certfile, ssl_keyfile):
            if path and not Path(path).is_file():
                raise fail(f"Filen '{path}' findes ikke (TLS-certifikat eller -nøgle).")
        if settings.local_mode and not is_loopback(host):
            raise fail(f"ALMEN_LOCAL_MODE=true giver fuld adgang uden nøgle og kræver, at tjenesten kun lytter på "
                       f"127.0.0.1 eller ::1 (ikke {host}). Brug API-nøgler eller log ind på en delt server.")
        access = build_access(settings, host)  # every access setting checked now, with a Danish message
        if access.mode == "open" and not access.allow_anonymous:
            raise fail(
                f"Ingen API-nøgler eller log ind er sat op, og anonym adgang er slået fra, når tjenesten lytter på {host}. "
                "Sæt ALMEN_API_KEYS='reader:NØGLE,editor:NØGLE' (eller ALMEN_KEYS_FILE), log ind med "
                "ALMEN_OIDC_ISSUER eller ALMEN_PROXY_TRUSTED, eller ALMEN_ALLOW_ANONYMOUS=true hvis alle på netværket må spørge."
            )
        # Workers build their app from the environment: hand them the decisions made for this address.
        os.environ["ALMEN_ALLOW_ANONYMOUS"] = "true" if access.allow_anonymous else "false"
        os.environ["ALMEN_LOCAL_MODE"] = "true" if access.local_mode else "false"
        if access.hosts is not None:
            os.environ["ALMEN_ALLOWED_HOSTS"] = ",".join(sorted(access.hosts))
        if settings.embedding_threads == 0:
            # One thread per query embedding: measured here, 2 OpenMP threads on a busy 2-core machine took
            # 3-4 s per query against ~0.1 s with one; requests run in parallel anyway.
            os.environ["ALMEN_EMBEDDING_THREADS"] = "1"
        if workers > 1:
            kb = open_kb(settings)  # ingest the built-in corpus once, before the workers start
            kb.store.clean_interrupted()  # a Chroma server's store: cleaned before any worker writes
        scheme = "https" if ssl_certfile else "http"
        console.print(f"[bold]almen[/] starter på [link]{scheme}://{host}:{port}/[/link]  "
                      f"(data: {settings.chroma_url or settings.home}, adgang: {_describe(access)}, workers: {workers})",
                      soft_wrap=True)  # one line: a data path broken at the terminal width cannot be copied
        if access.hosts is not None and not settings.allowed_hosts.strip() and not is_loopback(host):
            console.print("[yellow]Bemærk:[/] tjenesten svarer kun under navnene "
                          f"{', '.join(sorted(access.hosts))}. Sæt ALMEN_ALLOWED_HOSTS=almen.kommune.dk (serverens navn), "
                          "så brugerne kan nå den.")
        uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers,
                    log_config=log_config(log_level), log_level=log_level, proxy_headers=False,
                    ssl_certfile=ssl_certfile, ssl_keyfile=ssl_keyfile)


def _describe(access: Any) -> str:
    """The access mode in one Danish phrase for the start line."""
    if access.mode == "local":
        return "lokal tilstand – fuld adgang uden nøgle fra denne maskine"
    parts = [f"{len(access.keyring)} nøgler"]
    if access.oidc is not None:
        parts.append("log ind med OIDC")
    if access.proxy is not None:
        parts.append("brugere fra proxy")
    if access.allow_anonymous:
        parts.append("anonym læseadgang")
    return ", ".join(parts)
