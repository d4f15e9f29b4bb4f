"""ASGI middleware that bounds request bodies: by Content-Length up front and by counting streamed bytes."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from service.api.errors import ApiProblem, problem_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UPLOAD_PREFIXES = ("/api/documents", "/api/reviews")
MULTIPART_OVERHEAD = 1024 * 1024
DEFAULT_BODY_LIMIT = 4 * 1024 * 1024


class BodySizeLimit:
    """Refuse bodies over the limit with 413: uploads get the file limit, everything else a few MB."""

    def __init__(self, app: ASGIApp, *, upload_bytes: int, other_bytes: int = DEFAULT_BODY_LIMIT) -> None:
        self.app = app
        self.upload_bytes = upload_bytes + MULTIPART_OVERHEAD
        self.upload_mb = upload_bytes / 1024 / 1024
        self.other_bytes = other_bytes

    def _limit(self, path: str) -> tuple[int, str]:
        if path.startswith(UPLOAD_PREFIXES):
            return self.upload_bytes, f"Filen er for stor. Grænsen er {self.upload_mb:g} MB."
        mb = self.other_bytes / 1024 / 1024
        return self.other_bytes, f"Forespørgslen er for stor. Grænsen er {mb:g} MB."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, detail = self._limit(scope.get("path", ""))
        length = _content_length(scope)
        if length is not None and length > limit:
            await _send_problem(send, scope, detail)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise ApiProblem(413, detail)
            return message

        await self.app(scope, counting_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_problem(send: Send, scope: Scope, detail: str) -> None:
    body = json.dumps(problem_body(413, detail, instance=scope.get("path", "")), ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Adds conservative security headers to every HTTP response."""

    HEADERS = [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        # Responses that are not one of the pages (JSON, downloads) may never run or frame anything; the pages
        # (/, /docs, the login error page) send their own policy, which this one does not replace.
        (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'"),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in self.HEADERS if k not in existing
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)
