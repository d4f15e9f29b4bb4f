"""GET /docs: the API reference as plain HTML made on the server from /openapi.json.

FastAPI's Swagger UI and ReDoc load their scripts from a CDN, which an offline, on-premises service
must not do; this page has no script at all and a strict Content-Security-Policy. The machine-readable
schema stays at /openapi.json.
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
DOCS_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(content: dict[str, Any]) -> str:
    for media, item in content.items():
        ref = item.get("schema", {}).get("$ref", "")
        return f"{media}: {ref.rsplit('/', 1)[-1]}" if ref else media
    return ""


def _operation(method: str, path: str, op: dict[str, Any]) -> str:
    e = html.escape
    parts = [f'<section class="card"><h3><code>{e(method.upper())} {e(path)}</code></h3>']
    if op.get("summary"):
        parts.append(f"<p><strong>{e(op['summary'])}</strong></p>")
    if op.get("description"):
        parts.append("".join(f"<p>{e(p)}</p>" for p in op["description"].split("\n\n")))
    params = op.get("parameters") or []
    if params:
        rows = "".join(
            f"<tr><td><code>{e(p.get('name', ''))}</code></td><td>{e(p.get('in', ''))}</td>"
            f"<td>{'ja' if p.get('required') else 'nej'}</td><td>{e(p.get('description', ''))}</td></tr>"
            for p in params)
        parts.append('<table><tr><th scope="col">Parameter</th><th scope="col">Hvor</th><th scope="col">Krævet</th>'
                     f'<th scope="col">Beskrivelse</th></tr>{rows}</table>')
    body = op.get("requestBody", {}).get("content")
    if body:
        parts.append(f"<p>Krop: <code>{e(_schema_name(body))}</code></p>")
    codes = ", ".join(f"{e(code)} {e(r.get('description', ''))}" for code, r in sorted(op.get("responses", {}).items()))
    parts.append(f'<p class="help">Svar: {codes}</p></section>')
    return "".join(parts)


def render(schema: dict[str, Any]) -> str:
    """The whole reference page."""
    e = html.escape
    info = schema.get("info", {})
    sections = [_operation(m, path, ops[m]) for path, ops in schema.get("paths", {}).items() for m in METHODS if m in ops]
    intro = "".join(f"<p>{e(p)}</p>" for p in str(info.get("description", "")).split("\n\n"))
    return (f'<!doctype html><html lang="da"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>{e(info.get("title", "almen"))} – API</title>'
            f'<link rel="stylesheet" href="/page.css"></head><body><header class="page-header"><h1>almen – API</h1>'
            f'{intro}<p>Skemaet som JSON: <a href="/openapi.json">/openapi.json</a> (OpenAPI {e(schema.get("openapi", ""))}).'
            f'</p></header><main class="docs">{"".join(sections)}</main></body></html>')


@router.get("/docs")
async def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(render(request.app.openapi()), headers={"Content-Security-Policy": DOCS_CSP,
                                                                "Cache-Control": "no-cache"})
