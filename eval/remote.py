"""Evaluate a running almen service over HTTP: POST /api/ask and GET /api/search with an API key."""

from __future__ import annotations

from typing import Any

import httpx

from eval.datasets import Case
from eval.errors import RemoteError
from eval.runner import SearchOutcome, Variant
from knowledge.types import Chunk


class RemoteClient:
    """A small client for the service's question and search endpoints."""

    def __init__(self, url: str, *, api_key: str = "", timeout: float = 120.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        if not api_key.isascii() or any(ch.isspace() for ch in api_key):
            raise RemoteError("API-nøglen må kun indeholde ASCII-tegn uden mellemrum. Tjek --api-key eller ALMEN_EVAL_API_KEY.")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.url = url.rstrip("/")
        self._http = httpx.Client(base_url=self.url, headers=headers, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def _json(self, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            detail = ""
            try:
                body = response.json()
                detail = str(body.get("detail") or body.get("title") or body) if isinstance(body, dict) else str(body)
            except ValueError:
                detail = response.text[:200]
            hint = " Tjek API-nøglen (--api-key eller ALMEN_EVAL_API_KEY)." if response.status_code in (401, 403) else ""
            raise RemoteError(f"Tjenesten svarede {response.status_code} på {response.request.url.path}: {detail}.{hint}")
        try:
            return response.json()
        except ValueError as exc:
            raise RemoteError(f"Tjenesten svarede ikke med JSON på {response.request.url.path}.") from exc

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            return self._json(self._http.request(method, path, **kwargs))
        except httpx.HTTPError as exc:
            raise RemoteError(f"Kan ikke nå almen-tjenesten på {self.url}: {exc}. Kører 'almen serve'?") from exc

    def ask(self, case: Case) -> dict[str, Any]:
        """The answer JSON (``Answer.to_dict()`` shape) for a case."""
        payload: dict[str, Any] = {"question": case.question, "history": case.history,
                                   "filters": api_filters(case.filters) or None}
        data = self._call("POST", "/api/ask", json=payload)
        if not isinstance(data, dict) or "text" not in data:
            raise RemoteError("Svaret fra /api/ask mangler feltet 'text'.")
        return data

    def search(self, query: str, k: int, filters: dict[str, Any]) -> SearchOutcome:
        """Ranked chunks from /api/search (filters passed as query parameters)."""
        params: dict[str, Any] = {"q": query, "k": k, **api_filters(filters)}
        data = self._call("GET", "/api/search", params=params)
        if not isinstance(data, dict) or not isinstance(data.get("hits"), list):
            raise RemoteError("Svaret fra /api/search mangler listen 'hits'.")
        return SearchOutcome([hit_to_chunk(h) for h in data["hits"]], parse_timings(data), bool(data.get("relevant", True)))


def api_filters(filters: dict[str, Any] | None) -> dict[str, Any]:
    """A case's filters in the API's names (the API calls the date filter 'on')."""
    return {("on" if key == "on_date" else key): v for key, v in (filters or {}).items() if v is not None}


def hit_to_chunk(hit: dict[str, Any]) -> Chunk:
    """A hit from the search JSON as a Chunk (label, provision and heading kept for the metrics)."""
    meta = {k: hit[k] for k in ("title", "heading", "legal_id", "legal_label", "legal_refs", "kind", "act",
                                "page_start", "page_end") if hit.get(k) not in (None, "")}
    if not meta.get("legal_label") and hit.get("label"):
        meta["legal_label"] = str(hit["label"])
    return Chunk(id=str(hit.get("chunk_id") or hit.get("id") or ""), source_id=str(hit.get("source_id") or ""),
                 text=str(hit.get("text") or ""), metadata=meta)


def parse_timings(data: dict[str, Any]) -> dict[str, float]:
    """Stage timings in seconds from 'timings' (seconds) or 'timings_ms' (milliseconds)."""
    if isinstance(data.get("timings"), dict):
        return {k: float(v) for k, v in data["timings"].items() if isinstance(v, (int, float))}
    if isinstance(data.get("timings_ms"), dict):
        return {k: float(v) / 1000 for k, v in data["timings_ms"].items() if isinstance(v, (int, float))}
    return {}


def remote_variant(client: RemoteClient, *, name: str = "service") -> Variant:
    """The service under test as one variant (search and answer over HTTP)."""
    return Variant(name, client.search, client.ask, f"almen-tjenesten på {client.url} (HTTP)")
