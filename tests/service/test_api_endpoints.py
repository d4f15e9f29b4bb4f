"""Every endpoint through FastAPI's TestClient: answers, SSE, search, chunks, documents, feedback, OpenAI format."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient

from service.audit import AuditLog
from tests.service.conftest import auth, write_docx, write_pdf
from tests.service.test_api_security import assert_problem

QUESTION = "Hvad aftalte kommunen og Fjordbo om fleksibel udlejning i afdeling 7?"


def parse_sse(text: str) -> list[tuple[str, dict]]:
    """(event, data) pairs of an SSE body."""
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        if data:
            events.append((name, json.loads("\n".join(data))))
    return events


def test_ask_answers_with_checked_citations_and_is_audited(client: TestClient) -> None:
    response = client.post("/api/ask", headers=auth("reader"), json={"question": QUESTION + " 010190-1234"})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert not answer["abstained"] and answer["grounded"]
    assert "fleksibel udlejning" in answer["text"] and "[1]" in answer["text"]
    cited = answer["citations"][0]
    assert cited["title"] == "Notat om fleksibel udlejning i Fjordbo" and cited["quote"] and cited["chunk_id"]
    assert "hits" not in answer  # raw retrieval internals are not part of the public answer
    claims = [v for v in answer["verdicts"] if v["kind"] == "claim"]
    assert claims and all(v["supported"] and v["sources"] for v in claims)  # the citation check, per sentence
    assert answer["resolved_question"]
    audit = AuditLog.in_home(client.app.state.almen.settings.home)
    row = next(e for e in audit.entries() if e.answer_id == answer["answer_id"])
    assert row.endpoint == "/api/ask" and row.key_id != "anonym" and row.latency_ms > 0
    assert cited["source_id"] in row.source_ids
    assert "010190-1234" not in row.question and "[CPR]" in row.question
    assert row.key_id not in json.dumps(client.app.state.almen.settings.api_keys.get_secret_value())


def test_ask_abstains_visibly_for_out_of_scope_questions(client: TestClient) -> None:
    answer = client.post("/api/ask", headers=auth("reader"), json={"question": "Hvem vandt fodboldlandskampen i går?"}).json()
    assert answer["abstained"] and not answer["grounded"] and answer["reason"]


def test_ask_with_history_and_filters(client: TestClient) -> None:
    body = {"question": "Hvad var tomgangen i afdeling 7?", "history": [
        {"role": "user", "content": QUESTION}, {"role": "assistant", "content": "De aftalte fleksibel udlejning. [1]"}],
        "filters": {"org": "Fjordbo", "year": 2024}}
    answer = client.post("/api/ask", headers=auth("reader"), json=body).json()
    assert all(c["source_id"].startswith(("notat", "styringsrapport", "referat")) for c in answer["citations"])
    assert answer["resolved_question"] == body["question"]  # a standalone question is searched as asked
    follow = {"question": "Hvad med afdeling 7?", "history": body["history"]}
    resolved = client.post("/api/ask", headers=auth("reader"), json=follow).json()["resolved_question"]
    assert "fleksibel udlejning" in resolved and "afdeling 7" in resolved  # a follow-up is read in context
    assert_problem(client.post("/api/ask", headers=auth("reader"),
                               json={"question": "x?", "filters": {"kind": "roman"}}), 422)
    bad_date = assert_problem(client.post("/api/ask", headers=auth("reader"),
                                          json={"question": "x?", "filters": {"on": "31-31-2020"}}), 422)
    assert "dato" in bad_date["detail"]


def test_question_length_limit_is_422(make_client) -> None:
    client = make_client(max_question_chars=50)
    body = assert_problem(client.post("/api/ask", headers=auth("reader"), json={"question": "å" * 51}), 422)
    assert "for langt" in body["detail"] and "50" in body["detail"]
    assert_problem(client.post("/api/chat", headers=auth("reader"), json={"question": "å" * 51}), 422)
    assert_problem(client.get("/api/search", headers=auth("reader"), params={"q": "å" * 51}), 422)
    assert_problem(client.post("/api/ask", headers=auth("reader"), json={"question": "   "}), 422)


def test_chat_streams_text_then_citations_then_done(client: TestClient) -> None:
    response = client.post("/api/chat", headers=auth("reader"), json={"question": QUESTION})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    names = [n for n, _ in events]
    assert names[0] == "text" and names[-2:] == ["citations", "done"], names
    streamed = "".join(d["text"] for n, d in events if n == "text")
    done = events[-1][1]
    assert streamed == done["text"] and done["citations"] == events[-2][1]["citations"]
    assert AuditLog.in_home(client.app.state.almen.settings.home).has_answer(done["answer_id"])


def test_chat_reports_failures_as_an_error_event(client: TestClient, monkeypatch) -> None:
    from knowledge.errors import StoreError
    from service.api import asking

    def broken(*args, **kwargs):
        yield {"type": "text", "text": "Del"}
        raise StoreError("Vidensbasen kan ikke nås. Tjek ALMEN_CHROMA_URL.")

    monkeypatch.setattr(asking, "stream", broken)
    events = parse_sse(client.post("/api/chat", headers=auth("reader"), json={"question": QUESTION}).text)
    assert [n for n, _ in events] == ["text", "error"]
    assert events[-1][1]["status"] == 503 and "ALMEN_CHROMA_URL" in events[-1][1]["detail"]


def test_search_returns_explained_hits_and_validates(client: TestClient) -> None:
    data = client.get("/api/search", headers=auth("reader"), params={"q": "fleksibel udlejning", "k": 3}).json()
    assert 1 <= len(data["hits"]) <= 3
    top = data["hits"][0]
    assert top["text"] and top["label"] and top["fused"] > 0 and {"dense_rank", "lexical_rank"} <= set(top)
    refs = client.get("/api/search", headers=auth("reader"), params={"q": "almenboligloven § 164"}).json()
    assert refs["query_refs"]
    only = client.get("/api/search", headers=auth("reader"), params={"q": "udlejning", "kind": "referat"}).json()
    assert only["hits"] and all(h["kind"] == "referat" for h in only["hits"])
    assert_problem(client.get("/api/search", headers=auth("reader"), params={"q": "x", "k": 0}), 422)
    assert_problem(client.get("/api/search", headers=auth("reader")), 422)


def test_chunk_preview_and_404(client: TestClient) -> None:
    hit = client.get("/api/search", headers=auth("reader"), params={"q": "Punkt 3 Udlejning venteliste"}).json()["hits"][0]
    chunk = client.get(f"/api/chunks/{hit['chunk_id']}", headers=auth("reader")).json()
    assert chunk["text"] == hit["text"] and chunk["label"] == hit["label"] and chunk["title"]
    pdf_hits = client.get("/api/search", headers=auth("reader"),
                          params={"q": "anvisningsretten venteliste", "kind": "referat"}).json()["hits"]
    pdf_chunk = client.get(f"/api/chunks/{pdf_hits[0]['chunk_id']}", headers=auth("reader")).json()
    assert pdf_chunk["page_start"] in (1, 2)
    body = assert_problem(client.get("/api/chunks/findes-ikke@123:0001", headers=auth("reader")), 404)
    assert "findes ikke" in body["detail"]


def test_feedback_is_stored_durably(client: TestClient) -> None:
    answer = client.post("/api/ask", headers=auth("reader"), json={"question": QUESTION}).json()
    response = client.post("/api/feedback", headers=auth("reader"),
                           json={"answer_id": answer["answer_id"], "rating": "down", "comment": "Mangler § 51 – 010190-1234"})
    assert response.status_code == 201 and response.json()["stored"]
    db = Path(client.app.state.almen.settings.home) / "audit.sqlite3"
    with sqlite3.connect(db) as conn:  # a fresh connection: the row is on disk
        rows = conn.execute("SELECT answer_id, rating, comment FROM feedback").fetchall()
    assert rows == [(answer["answer_id"], "down", "Mangler § 51 – [CPR]")]
    assert_problem(client.post("/api/feedback", headers=auth("reader"), json={"answer_id": "ukendt", "rating": "up"}), 404)
    assert_problem(client.post("/api/feedback", headers=auth("reader"),
                               json={"answer_id": answer["answer_id"], "rating": "måske"}), 422)
    admin = client.get("/api/admin/audit", headers=auth("admin")).json()
    assert admin["feedback"][0]["answer_id"] == answer["answer_id"]


def test_openai_non_stream_and_stream_format(client: TestClient) -> None:
    models = client.get("/v1/models", headers=auth("reader")).json()
    assert models["object"] == "list" and models["data"][0]["id"] == "almen"
    body = {"model": "almen", "messages": [{"role": "system", "content": "Svar kort."},
                                           {"role": "user", "content": QUESTION}]}
    data = client.post("/v1/chat/completions", headers=auth("reader"), json=body).json()
    content = data["choices"][0]["message"]["content"]
    assert data["object"] == "chat.completion" and data["choices"][0]["finish_reason"] == "stop"
    assert "fleksibel udlejning" in content and "**Kilder:**" in content and "- [1] " in content
    assert data["almen_citations"][0]["n"] == 1 and data["usage"]["total_tokens"] > 0
    stream = client.post("/v1/chat/completions", headers=auth("reader"), json={**body, "stream": True})
    lines = [ln[6:] for ln in stream.text.splitlines() if ln.startswith("data: ")]
    assert lines[-1] == "[DONE]"
    chunks = [json.loads(x) for x in lines[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert text == content
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and chunks[-1]["almen_citations"]
    no_user = client.post("/v1/chat/completions", headers=auth("reader"),
                          json={"model": "almen", "messages": [{"role": "system", "content": "Hej"}]})
    assert assert_problem(no_user, 422)["error"]["code"] == 422


def test_upload_list_search_and_delete_documents(client: TestClient, tmp_path: Path) -> None:
    docx = write_docx(tmp_path / "Aftale om tryghed.docx", "Aftale om tryghed i Solgården",
                      ["Kommunen og Solgården aftaler at etablere en tryghedsvandring hvert forår i Solgården."])
    with docx.open("rb") as fh:
        response = client.post("/api/documents", headers=auth("editor"),
                               files={"file": ("../../etc/Aftale om tryghed.docx", fh)},
                               data={"kind": "aftale", "org": "Solgården", "year": "2025"})
    assert response.status_code == 201, response.text
    result = response.json()
    sid = result["document"]["source_id"]
    assert result["report"]["status"] == "added" and result["report"]["chunks"] >= 1
    assert result["document"]["kind"] == "aftale" and result["document"]["org"] == "Solgården"
    home = Path(client.app.state.almen.settings.home)
    saved = list((home / "uploads").iterdir())
    assert [p.name for p in saved] == [f"{sid}.docx"]  # a generated name inside the data dir, never the client path
    listed = client.get("/api/documents", headers=auth("editor")).json()
    assert sid in {d["source_id"] for d in listed["documents"]}
    hits = client.get("/api/search", headers=auth("reader"), params={"q": "tryghedsvandring Solgården"}).json()["hits"]
    assert hits[0]["source_id"] == sid
    # The same file again under the same name changes nothing (a new text would be a 409, see test_upload_collisions).
    with docx.open("rb") as fh:
        again = client.post("/api/documents", headers=auth("editor"), files={"file": ("Aftale om tryghed.docx", fh)},
                            data={"kind": "aftale", "org": "Solgården", "year": "2025"}).json()
    assert again["report"]["status"] == "unchanged" and again["document"]["source_id"] == sid

    deleted = client.delete(f"/api/documents/{sid}", headers=auth("editor"))
    assert deleted.status_code == 200 and deleted.json() == {"source_id": sid, "deleted": True}
    after = client.get("/api/search", headers=auth("reader"), params={"q": "tryghedsvandring Solgården"}).json()["hits"]
    assert all(h["source_id"] != sid for h in after)
    assert_problem(client.get(f"/api/chunks/{hits[0]['chunk_id']}", headers=auth("reader")), 404)
    assert not list((home / "uploads").glob(f"{sid}.*"))
    assert_problem(client.delete(f"/api/documents/{sid}", headers=auth("editor")), 404)


def test_builtin_documents_need_admin_to_delete(client: TestClient) -> None:
    docs = client.get("/api/documents", headers=auth("editor")).json()["documents"]
    builtin = next(d for d in docs if d["builtin"])
    assert "admin" in assert_problem(client.delete(f"/api/documents/{builtin['source_id']}", headers=auth("editor")),
                                     403)["detail"]


def test_upload_errors_413_415_422(make_client, tmp_path: Path) -> None:
    client = make_client(max_file_mb=0.01)  # about 10 kB
    big = client.post("/api/documents", headers=auth("editor"),
                      files={"file": ("stor.txt", b"tekst " * 5000, "text/plain")})
    assert "for stor" in assert_problem(big, 413)["detail"]
    exe = client.post("/api/documents", headers=auth("editor"), files={"file": ("virus.exe", b"MZ...", "application/x-msdownload")})
    assert ".exe" in assert_problem(exe, 415)["detail"]
    assert_problem(client.post("/api/documents", headers=auth("editor"), files={"file": ("uden-endelse", b"tekst")}), 415)
    empty = client.post("/api/documents", headers=auth("editor"), files={"file": ("tom.txt", b"")})
    assert "tom" in assert_problem(empty, 422)["detail"]
    corrupt = client.post("/api/documents", headers=auth("editor"),
                          files={"file": ("ødelagt.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50)})
    body = assert_problem(corrupt, 422)
    assert body["report"]["status"] == "failed" and body["report"]["message"] == body["detail"]
    kind = client.post("/api/documents", headers=auth("editor"), files={"file": ("a.txt", b"Noget tekst om udlejning.")},
                       data={"kind": "roman"})
    assert "Ukendt dokumenttype" in assert_problem(kind, 422)["detail"]
    year = client.post("/api/documents", headers=auth("editor"), files={"file": ("a.txt", b"Tekst.")}, data={"year": "i år"})
    assert_problem(year, 422)
    uploads = Path(client.app.state.almen.settings.home) / "uploads"
    assert not list(uploads.iterdir())  # nothing left behind by refused uploads


def test_pdf_upload_keeps_pages(client: TestClient, tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "notat.pdf", [["Side et handler om byggeskader."],
                                             ["Side to handler om beboerdemokrati i Engparken og afdelingsmøder."]])
    response = client.post("/api/documents", headers=auth("editor"), files={"file": ("Engparken notat.pdf", pdf.read_bytes())},
                           data={"kind": "notat"})
    assert response.status_code == 201, response.text
    sid = response.json()["document"]["source_id"]
    try:
        assert response.json()["report"]["pages"] == 2
        hit = client.get("/api/search", headers=auth("reader"), params={"q": "beboerdemokrati Engparken"}).json()["hits"][0]
        assert hit["source_id"] == sid
        chunk = client.get(f"/api/chunks/{hit['chunk_id']}", headers=auth("reader")).json()
        assert chunk["page_start"] <= 2 <= (chunk["page_end"] or chunk["page_start"])
    finally:
        client.delete(f"/api/documents/{sid}", headers=auth("editor"))


def test_health_and_readiness(client: TestClient) -> None:
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["store_reachable"] and ready["index_loaded"]
    assert ready["chunks"] > 0 and ready["sources"] == 5 and ready["embedding_model"]


def test_readiness_of_an_empty_store_and_an_unreachable_one(settings, tmp_path: Path) -> None:
    from service.api.app import create_app
    from tests.service.conftest import free_port

    with TestClient(create_app(settings, ingest_builtin=False)) as empty:
        ready = empty.get("/readyz")
        assert ready.status_code == 200 and ready.json()["chunks"] == 0 and "tom" in ready.json()["detail"]
    gone = settings.model_copy(update={"chroma_url": f"http://127.0.0.1:{free_port()}"})
    with TestClient(create_app(gone, ingest_builtin=False)) as down:
        response = down.get("/readyz")
        assert response.status_code == 503 and response.json()["status"] == "not_ready"
        assert "ALMEN_CHROMA_URL" in response.json()["detail"]
        assert down.get("/healthz").status_code == 200
        problem = down.get("/api/search", params={"q": "udlejning"}, headers={"X-API-Key": "x" * 10})
        assert problem.status_code == 401  # auth is checked before the store is touched


def test_openapi_documents_every_route_with_problem_responses(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["schemas"]["ProblemPublic"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if path in ("/healthz", "/readyz"):
                continue
            assert {"401", "403", "429"} <= set(op["responses"]), (method, path)
            for code, response in op["responses"].items():
                if code.startswith("4"):
                    assert "application/problem+json" in response["content"], (method, path, code)
            if "requestBody" in op:
                assert {"400", "413", "422"} <= set(op["responses"]), (method, path)
