"""The page at / and the static files (/widget.js, /widget.css, /app.js, /views.js, /page.css, /kilde.css,
/kilde.js). Open to
all: they hold no data."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)
router = APIRouter(include_in_schema=False)


def _file(name: str, media_type: str, *, headers: dict[str, str] | None = None) -> FileResponse:
    return FileResponse(STATIC_DIR / name, media_type=media_type,
                        headers={"Cache-Control": "no-cache", **(headers or {})})


@router.get("/")
async def index() -> FileResponse:
    return _file("index.html", "text/html; charset=utf-8", headers={"Content-Security-Policy": PAGE_CSP})


@router.get("/widget.js")
async def widget_js() -> FileResponse:
    return _file("widget.js", "text/javascript; charset=utf-8", headers={"Cross-Origin-Resource-Policy": "cross-origin"})


@router.get("/widget.css")
async def widget_css() -> FileResponse:
    return _file("widget.css", "text/css; charset=utf-8", headers={"Cross-Origin-Resource-Policy": "cross-origin"})


@router.get("/page.css")
async def page_css() -> FileResponse:
    return _file("page.css", "text/css; charset=utf-8")


@router.get("/app.js")
async def page_js() -> FileResponse:
    return _file("app.js", "text/javascript; charset=utf-8")


@router.get("/views.js")
async def views_js() -> FileResponse:
    return _file("views.js", "text/javascript; charset=utf-8")


@router.get("/kilde.css")
async def source_css() -> FileResponse:
    return _file("source.css", "text/css; charset=utf-8")


@router.get("/kilde.js")
async def source_js() -> FileResponse:
    return _file("source.js", "text/javascript; charset=utf-8")


@router.get("/favicon.ico")
async def favicon() -> Response:
    return Response(status_code=204)
