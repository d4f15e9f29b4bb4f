"""OpenAPI post-processing: every error a route can give is documented as a problem body."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from service.api.errors import PROBLEM_MEDIA_TYPE, TITLES

OPEN_PATHS = ("/healthz", "/readyz")
_REF = {"$ref": "#/components/schemas/ProblemPublic"}


def _problem(code: int) -> dict[str, Any]:
    return {"description": TITLES.get(code, "Fejl"),
            "content": {"application/json": {"schema": _REF}, PROBLEM_MEDIA_TYPE: {"schema": _REF}}}


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Replace FastAPI's default 422 body with ours and add 400/401/403/413/422/429 where they can occur."""
    for path, operations in schema.get("paths", {}).items():
        if path in OPEN_PATHS:
            continue
        for op in operations.values():
            responses = op.setdefault("responses", {})
            codes = {401, 403, 429}
            if op.get("parameters") or op.get("requestBody"):
                codes.add(422)
            if op.get("requestBody"):
                codes |= {400, 413}
            codes |= {int(c) for c in responses if c.isdigit() and 400 <= int(c) < 500}
            for code in sorted(codes):
                responses[str(code)] = _problem(code)
    return schema


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the post-processed schema (built once)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        app.openapi_schema = document_problems(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
