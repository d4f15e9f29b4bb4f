"""The HTTP client of the runner against httpx's MockTransport: request shape, parsing, errors."""

from __future__ import annotations

import json

import httpx
import pytest

from eval.datasets import Case
from eval.errors import RemoteError
from eval.remote import RemoteClient, hit_to_chunk, parse_timings

CASE = Case(id="x", question="Hvem fører tilsyn?", answer_facts=["a"], legal_refs=[], topic="t", answerable=True,
            filters={"kind": "lov", "on_date": "2024-01-01"}, history=[{"role": "user", "content": "Hej"}])


def test_ask_and_search_send_the_api_shape_and_parse_the_answer() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/api/ask":
            return httpx.Response(200, json={"text": "Kommunen [1].", "citations": [], "abstained": False})
        return httpx.Response(200, json={"relevant": True, "timings_ms": {"total": 12.5, "embed": 5},
                                         "hits": [{"chunk_id": "c1", "label": "almenboligloven § 164, stk. 1",
                                                   "text": "Kommunalbestyrelsen fører tilsyn."}]})

    client = RemoteClient("http://almen.test/", api_key="k-123", transport=httpx.MockTransport(handler))
    assert client.ask(CASE)["text"] == "Kommunen [1]."
    outcome = client.search("tilsyn", 5, CASE.filters)
    ask, search = seen
    assert ask.headers["authorization"] == "Bearer k-123"
    assert json.loads(ask.content) == {"question": CASE.question, "history": CASE.history,
                                       "filters": {"kind": "lov", "on": "2024-01-01"}}
    assert search.url.params["q"] == "tilsyn" and search.url.params["k"] == "5" and search.url.params["on"] == "2024-01-01"
    assert outcome.timings == {"total": 0.0125, "embed": 0.005}
    assert outcome.chunks[0].id == "c1" and outcome.chunks[0].legal_label == "almenboligloven § 164, stk. 1"


@pytest.mark.parametrize(("status", "body", "needle"), [
    (401, {"title": "Ukendt nøgle"}, "Tjek API-nøglen"),
    (422, {"detail": "Spørgsmålet er tomt"}, "Spørgsmålet er tomt"),
    (200, {"ingen": "tekst"}, "mangler feltet 'text'"),
])
def test_service_errors_become_remote_errors(status: int, body: dict, needle: str) -> None:
    client = RemoteClient("http://almen.test", transport=httpx.MockTransport(lambda r: httpx.Response(status, json=body)))
    with pytest.raises(RemoteError, match=needle):
        client.ask(CASE)


def test_unreachable_service_says_what_to_do() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("forbindelse afvist", request=request)

    client = RemoteClient("http://127.0.0.1:9", transport=httpx.MockTransport(refuse))
    with pytest.raises(RemoteError, match="Kører 'almen serve'"):
        client.search("x", 3, {})


def test_parsing_helpers() -> None:
    assert parse_timings({"timings": {"total": 0.2, "note": "x"}}) == {"total": 0.2}
    assert parse_timings({}) == {}
    chunk = hit_to_chunk({"id": "z", "text": "t", "legal_id": "almenboligloven:§59"})
    assert chunk.id == "z" and chunk.legal_id == "almenboligloven:§59"
