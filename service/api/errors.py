"""RFC 9457 problem bodies (Danish) for every error the API returns, and the handlers that make them."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from knowledge.disk import full_message, is_disk_full
from knowledge.errors import AlmenError
from service.api.source_page import LOGIN_CSP, error_page, wants_page

log = logging.getLogger("almen.api")

PROBLEM_TYPE_BASE = "https://almen.local/problemer/"
TITLES = {
    400: "Ugyldig forespørgsel",
    401: "Manglende eller ugyldig API-nøgle",
    403: "Adgang nægtet",
    404: "Ikke fundet",
    405: "Metoden er ikke tilladt",
    409: "Konflikt",
    413: "For stor forespørgsel",
    415: "Filtypen understøttes ikke",
    421: "Forkert værtsnavn",
    422: "Ugyldige data",
    429: "For mange forespørgsler",
    500: "Intern fejl",
    503: "Tjenesten er ikke klar",
    507: "Ikke plads på disken",
}
SLUGS = {
    400: "ugyldig-forespoergsel", 401: "ikke-godkendt", 403: "adgang-naegtet", 404: "ikke-fundet",
    405: "metode-ikke-tilladt", 409: "konflikt", 413: "for-stor", 415: "filtype-ikke-understoettet",
    421: "forkert-vaertsnavn", 422: "ugyldige-data", 429: "for-mange-forespoergsler", 500: "intern-fejl", 503: "ikke-klar",
    507: "ikke-plads",
}
PROBLEM_MEDIA_TYPE = "application/problem+json"


class ApiProblem(HTTPException):
    """An HTTP error with a Danish detail and optional extra members for the problem body."""

    def __init__(self, status: int, detail: str, *, headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(status_code=status, detail=detail, headers=headers)
        self.extra = extra or {}


def problem_body(status: int, detail: str, *, instance: str = "", extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON problem object for a status and a Danish detail."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + SLUGS.get(status, str(status)),
        "title": TITLES.get(status, "Fejl"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra or {})
    return body


def _page_response(request: Request, status: int, detail: str, headers: dict[str, str] | None) -> HTMLResponse:
    """A browser on a source page gets the error as a page (with a login link or a key form where they help)."""
    access = getattr(getattr(request.app.state, "almen", None), "access", None)
    login = access is not None and access.oidc is not None
    key_form = access is not None and len(access.keyring) > 0
    body = error_page(status, detail, path=request.url.path, login=login, key_form=key_form)
    return HTMLResponse(body, status_code=status, headers={**(headers or {}), "Content-Security-Policy": LOGIN_CSP,
                                                           "Cache-Control": "no-store"})


def problem_response(request: Request, status: int, detail: str, *, headers: dict[str, str] | None = None,
                     extra: dict[str, Any] | None = None) -> JSONResponse | HTMLResponse:
    """A problem response; under /v1 it also carries an OpenAI-style ``error`` member for those clients, and a
    browser on a source page (/kilde/...) gets a page."""
    if wants_page(request.url.path, request.headers.get("accept", "")):
        return _page_response(request, status, detail, headers)
    extra = dict(extra or {})
    if request.url.path.startswith("/v1/"):
        extra.setdefault("error", {"message": detail, "type": SLUGS.get(status, "fejl"), "code": status})
    return JSONResponse(problem_body(status, detail, instance=request.url.path, extra=extra), status_code=status,
                        headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def status_for(exc: Exception) -> int:
    """The HTTP status of an exception: our own errors carry theirs (AlmenError.status), anything else is 500."""
    return exc.status if isinstance(exc, AlmenError) else 500


_DEFAULT_DETAIL = {  # Danish texts for the framework's own (English) errors
    400: "Forespørgslens indhold kunne ikke læses (ugyldig JSON, tegnkodning eller multipart-data). Tjek formatet.",
    404: "Adressen findes ikke. Se API-dokumentationen på /docs.",
    405: "Denne metode kan ikke bruges på adressen. Se API-dokumentationen på /docs.",
    413: "Forespørgslen er for stor.",
}


def _validation_detail(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    errors = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
        errors.append({"felt": ".".join(loc) or "forespørgsel", "fejl": str(err.get("msg", "")), "type": err.get("type", "")})
    fields = ", ".join(dict.fromkeys(e["felt"] for e in errors)) or "forespørgslen"
    return f"Forespørgslen er ugyldig: tjek {fields}.", errors


def install_error_handlers(app: FastAPI) -> None:
    """Every error leaves the API as a Danish problem body with the right status."""

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse | HTMLResponse:
        if isinstance(exc, ApiProblem):  # ours: already Danish
            detail = str(exc.detail)
        else:
            detail = _DEFAULT_DETAIL.get(exc.status_code, str(exc.detail))
        extra = getattr(exc, "extra", None)
        return problem_response(request, exc.status_code, detail, headers=getattr(exc, "headers", None), extra=extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse | HTMLResponse:
        detail, errors = _validation_detail(exc)
        return problem_response(request, 422, detail, extra={"errors": errors})

    @app.exception_handler(AlmenError)
    async def _ours(request: Request, exc: Exception) -> JSONResponse | HTMLResponse:
        assert isinstance(exc, AlmenError)
        if exc.status >= 500:
            log.warning("%s on %s: %s", type(exc).__name__, request.url.path, exc)
        return problem_response(request, exc.status, exc.message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse | HTMLResponse:
        if is_disk_full(exc):  # a write that ran out of space: the read-only mode's answer, not a bug
            log.error("Disk full on %s: %s", request.url.path, exc)
            return problem_response(request, 507, full_message())
        log.exception("Unexpected error on %s", request.url.path)
        return problem_response(request, 500, "Der opstod en uventet fejl i almen. Prøv igen, eller kontakt driften.")
