"""The OpenAI-compatible path over real HTTP, against a small stub server started by the test.

The stub (FastAPI on 127.0.0.1, a free port) serves /v1/chat/completions streaming and not,
records every request body, and behaves by model name: 'stub-ok' answers (from a
responder the test sets), 'stub-slow' waits longer than the client's timeout, 'stub-error'
answers 500, 'stub-reject' answers 401.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

pytest.importorskip("langchain_openai", reason="langchain-openai (the 'llm' extra) is not installed")

import uvicorn  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.responses import JSONResponse, StreamingResponse  # noqa: E402

from knowledge.config import Settings  # noqa: E402
from service.answering import answer_question, stream_answer  # noqa: E402
from service.answering.llm import NO_RESPONSE_NOTE  # noqa: E402
from tests.service.answering_fakes import CHUNKS, FakeSearcher  # noqa: E402

HJEMSTED_Q = "Hvilken kommune fører tilsyn med en boligorganisation, der har afdelinger i flere kommuner?"
SLOW_SECONDS = 2.5
CLIENT_TIMEOUT = 0.5


class Stub:
    """State shared between the test and the stub app."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.responder: Callable[[dict[str, Any]], str] = lambda body: "Intet svar."


def build_stub_app(stub: Stub) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> Any:
        body = await request.json()
        stub.requests.append(body)
        model = body.get("model", "")
        if model == "stub-error":
            return JSONResponse({"error": {"message": "boom", "type": "server_error"}}, status_code=500)
        if model == "stub-reject":
            return JSONResponse({"error": {"message": "bad key", "type": "invalid_request_error"}}, status_code=401)
        if model == "stub-slow":
            await asyncio.sleep(SLOW_SECONDS)
        text = stub.responder(body)
        created = int(time.time())
        if not body.get("stream"):
            return {
                "id": "chatcmpl-stub", "object": "chat.completion", "created": created, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            }

        async def events() -> Any:
            pieces = [text[i:i + 9] for i in range(0, len(text), 9)]
            for i, piece in enumerate(pieces):
                delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}
                chunk = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "created": created, "model": model,
                         "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
                yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
                await asyncio.sleep(0)
            end = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "created": created, "model": model,
                   "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            yield f"data: {json.dumps(end)}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return app


@pytest.fixture(scope="module")
def stub_server() -> Iterator[tuple[Stub, str]]:
    """The stub on 127.0.0.1 at a free port; yields (stub state, base URL with /v1)."""
    stub = Stub()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(build_stub_app(stub), log_level="warning", timeout_graceful_shutdown=1, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not server.started and time.time() < deadline:
        time.sleep(0.02)
    assert server.started, "the stub server did not start"
    yield stub, f"http://127.0.0.1:{port}/v1"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def stub(stub_server: tuple[Stub, str]) -> Stub:
    state, _ = stub_server
    state.requests.clear()
    state.responder = source_answer
    return state


def llm_settings(tmp_path, base_url: str, model: str, timeout: float = 10.0) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(home=tmp_path / "home", llm_base_url=base_url, llm_model=model, llm_timeout=timeout,
                    llm_api_key="test-key", llm_max_tokens=321, retrieval_k=4)


def source_answer(body: dict[str, Any]) -> str:
    """Answer from the numbered sources in the request, the way a well-behaved model would."""
    user = body["messages"][-1]["content"]
    blocks = user.split('<kilde nr="')[1:]
    n = next(int(b.split('"')[0]) for b in blocks if "hvor boligorganisationen har hjemsted" in b)
    return (
        f"Tilsynet føres af den kommune, hvor boligorganisationen har hjemsted [{n}].\n"
        f"Hjemstedet fremgår af boligorganisationens vedtægter [{n}]."
    )


def test_non_streaming_answer_over_http(stub: Stub, stub_server: tuple[Stub, str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = llm_settings(tmp_path, stub_server[1], "stub-ok")
    answer = answer_question(HJEMSTED_Q, searcher=FakeSearcher(CHUNKS), settings=settings, generator="llm")
    assert answer.generator == "llm" and answer.grounded and answer.notes == []
    assert answer.text == (
        "Tilsynet føres af den kommune, hvor boligorganisationen har hjemsted [1].\n"
        "Hjemstedet fremgår af boligorganisationens vedtægter [1]."
    )
    assert answer.citations[0].chunk_id == "tilsyn#hjemsted"
    body = stub.requests[-1]
    assert body["model"] == "stub-ok" and not body.get("stream")
    assert body["max_tokens"] == 321  # llama.cpp's server reads this one
    assert body["max_completion_tokens"] == 321
    assert body["temperature"] == 0.0
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "<kilder>" in body["messages"][1]["content"]


def test_streaming_answer_over_http(stub: Stub, stub_server: tuple[Stub, str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = llm_settings(tmp_path, stub_server[1], "stub-ok")
    events = list(stream_answer(HJEMSTED_Q, searcher=FakeSearcher(CHUNKS), settings=settings, generator="llm"))
    texts = [e["text"] for e in events if e["type"] == "text"]
    answer = events[-1]["answer"]
    assert len(texts) == 2 and "".join(texts) == answer.text
    assert answer.generator == "llm" and answer.grounded
    assert events[-2]["type"] == "citations" and events[-2]["citations"][0]["chunk_id"] == "tilsyn#hjemsted"
    body = stub.requests[-1]
    assert body["stream"] is True and body["max_tokens"] == 321


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("model", ["stub-slow", "stub-error"])
def test_timeout_and_server_error_fall_back_to_extractive_with_a_note(
    model: str, stream: bool, stub: Stub, stub_server: tuple[Stub, str], tmp_path  # type: ignore[no-untyped-def]
) -> None:
    settings = llm_settings(tmp_path, stub_server[1], model, timeout=CLIENT_TIMEOUT)
    searcher = FakeSearcher(CHUNKS)
    started = time.perf_counter()
    if stream:
        events = list(stream_answer(HJEMSTED_Q, searcher=searcher, settings=settings, generator="llm"))
        answer = events[-1]["answer"]
        assert "".join(e["text"] for e in events if e["type"] == "text") == answer.text
    else:
        answer = answer_question(HJEMSTED_Q, searcher=searcher, settings=settings, generator="llm")
    elapsed = time.perf_counter() - started
    assert len(stub.requests) == 1  # no retries
    assert answer.generator == "extractive" and answer.grounded
    assert answer.notes == [NO_RESPONSE_NOTE]
    assert answer.text.startswith("Tilsynet føres som udgangspunkt af den kommune")
    if model == "stub-slow":
        assert elapsed < SLOW_SECONDS  # the client gave up after its timeout


def test_rejected_request_falls_back_with_the_status_in_the_note(stub: Stub, stub_server: tuple[Stub, str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = llm_settings(tmp_path, stub_server[1], "stub-reject")
    answer = answer_question(HJEMSTED_Q, searcher=FakeSearcher(CHUNKS), settings=settings, generator="llm")
    assert answer.generator == "extractive" and answer.grounded
    assert answer.notes == ["Sprogmodellen afviste forespørgslen (HTTP 401); svaret er lavet direkte ud fra kilderne."]


def test_unreachable_server_falls_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    settings = llm_settings(tmp_path, f"http://127.0.0.1:{port}/v1", "stub-ok", timeout=2)
    answer = answer_question(HJEMSTED_Q, searcher=FakeSearcher(CHUNKS), settings=settings, generator="llm")
    assert answer.generator == "extractive" and answer.notes == [NO_RESPONSE_NOTE]
