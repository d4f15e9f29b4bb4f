"""The Host header check: almen answers only under its own names, so DNS rebinding cannot read it.

A web page on evil.example that rebinds its name to 127.0.0.1 makes the browser send
``Host: evil.example`` to almen; refusing unknown host names stops it from reading the knowledge
base. The loopback names are always allowed (a browser never sends them for another site's page),
plus the bound address and ALMEN_ALLOWED_HOSTS; '*' turns the check off.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from service.api.errors import problem_body

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARD_BINDS = frozenset({"0.0.0.0", "::", ""})


def host_name(value: str) -> str:
    """'Example.dk:8000' -> 'example.dk', '[::1]:8000' -> '::1' (lower case, no trailing dot)."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def allowed_hosts(setting: str, bind_host: str | None) -> frozenset[str] | None:
    """The host names to answer to, or None for any ('*')."""
    names = {host_name(n) for n in setting.split(",") if n.strip()}
    if "*" in names:
        return None
    if bind_host and host_name(bind_host) not in WILDCARD_BINDS:
        names.add(host_name(bind_host))
    return frozenset(names | LOOPBACK_NAMES)


class HostCheck:
    """ASGI middleware: requests whose Host is not an allowed name get a 421 problem in Danish."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], *, allowed: frozenset[str] | None) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.allowed is None:
            await self.app(scope, receive, send)
            return
        raw = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
        if host_name(raw) in self.allowed:
            await self.app(scope, receive, send)
            return
        shown = "".join(ch for ch in raw[:100] if ch.isprintable()) or "(tom)"
        detail = (f"almen svarer ikke under navnet '{shown}'. Brug adressen, tjenesten er sat op med, eller tilføj "
                  "navnet til ALMEN_ALLOWED_HOSTS (fx ALMEN_ALLOWED_HOSTS=almen.kommune.dk).")
        body = json.dumps(problem_body(421, detail, instance=scope.get("path", "")), ensure_ascii=False).encode()
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send({"type": "http.response.start", "status": 421, "headers": [
            (b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
        ]})
        await send({"type": "http.response.body", "body": body})
