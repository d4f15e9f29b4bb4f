"""Separation of owner scopes, enumerated over the app's own route table: callers of one municipality
(Egeskov, and its department egeskov/teknik) neither see nor change anything of another (Fjordby) through
any route, while built-in texts stay visible to all and callers without a scope work as before.

Every gated route must have a probe here (the first test fails for a new route without one). Each probe
also checks the positive control where there is one, so a probe that could not see leaks fails too."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ingest.pipeline import SAMPLES_DIR
from knowledge.config import Settings
from tests.reliability.helpers import open_kb
from tests.reliability.test_access_control import required_role, routes

CORPUS = Path(__file__).resolve().parents[2] / "knowledge" / "corpus"
MARK = "zebrafinke"  # a word only Fjordby's documents contain
KEYS = {
    "reader@egeskov": "laeser-egeskov-0123456789-abcd",
    "editor@egeskov": "redaktoer-egeskov-0123456789-abcd",
    "admin@egeskov": "admin-egeskov-0123456789-abcdef",
    "editor@egeskov/teknik": "redaktoer-teknik-0123456789-abcd",
    "reader@fjordby": "laeser-fjordby-0123456789-abcd",
    "editor@fjordby": "redaktoer-fjordby-0123456789-abcd",
    "reader": "laeser-alle-0123456789-abcdefgh",
    "admin": "admin-alle-0123456789-abcdefghij",
}
OUTSIDERS = ("reader@egeskov", "editor@egeskov", "admin@egeskov", "editor@egeskov/teknik")
SECRET_NOTE = f"""Fortroligt notat om {MARK}-sagen i Fjordby Kommune

Kommunen undersøger {MARK}-sagen om tomgang i afdeling 12. Sagen er fortrolig for Fjordby.
"""
REFERAT = f"""Referat af dialogmøde 2025 mellem Fjordby Kommune og Boligselskabet Kløverhøj

Aftaler

Aftale 1. Boligselskabet Kløverhøj udarbejder en plan for {MARK}-projektet i afdeling 12 senest 1. juni 2026.
"""


def h(who: str) -> dict[str, str]:
    return {"X-API-Key": KEYS[who]}


@dataclass
class World:
    """The app, and what Fjordby made in it."""

    client: TestClient
    note_id: str = ""
    referat_id: str = ""
    chunk_id: str = ""
    review_id: str = ""
    answer_id: str = ""
    legacy_id: str = "ingen-afgraensning"
    builtin_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from ingest.pipeline import ingest_file
    from service.api.app import create_app

    home = tmp_path_factory.mktemp("scopes") / "home"
    kb = open_kb(home)
    builtin = ingest_file(kb, CORPUS / "lovgrundlag.md", id_prefix="builtin", builtin=True)
    legacy = tmp_path_factory.mktemp("legacy") / "gammelt-notat.txt"
    legacy.write_text(f"Gammelt notat fra før afgrænsninger om {MARK} og tomgang.\n", encoding="utf-8")
    assert ingest_file(kb, legacy, source_id="ingen-afgraensning").status == "added"
    spec = ",".join(f"{who}:{key}" for who, key in KEYS.items())
    settings = Settings(home=home, embedding_backend="fake", api_keys=spec, allow_anonymous=False,
                        rate_limit_per_minute=100_000)
    with TestClient(create_app(settings, kb=kb, ingest_builtin=False)) as client:
        w = World(client=client, builtin_id=builtin.source_id)
        up = client.post("/api/documents", headers=h("editor@fjordby"), data={"kind": "notat"},
                         files={"file": ("fortroligt-notat.txt", SECRET_NOTE.encode(), "text/plain")})
        assert up.status_code == 201, up.text
        w.note_id = up.json()["document"]["source_id"]
        ref = client.post("/api/documents", headers=h("editor@fjordby"), data={"kind": "referat", "org": "Kløverhøj"},
                          files={"file": ("referat-2025.txt", REFERAT.encode(), "text/plain")})
        assert ref.status_code == 201, ref.text
        w.referat_id = ref.json()["document"]["source_id"]
        hits = client.get("/api/search", params={"q": f"{MARK}-sagen tomgang"}, headers=h("reader@fjordby")).json()
        w.chunk_id = next(x["chunk_id"] for x in hits["hits"] if x["source_id"] == w.note_id)
        review = client.post("/api/reviews", headers=h("editor@fjordby"),
                             files={"file": ("rapport.pdf", (SAMPLES_DIR / "styringsrapport-2026-fjordbo.pdf").read_bytes(),
                                             "application/pdf")})
        assert review.status_code == 201, review.text
        w.review_id = review.json()["review_id"]
        answer = client.post("/api/ask", headers=h("reader@fjordby"), json={"question": f"Hvad handler {MARK}-sagen om?"})
        w.answer_id = answer.json()["answer_id"]
        yield w


def leaks(text: str) -> bool:
    return MARK in text.lower()


# -- probes: one per gated route ------------------------------------------------------------------------------
def probe_list_documents(w: World) -> None:
    ids = {d["source_id"] for d in w.client.get("/api/documents", headers=h("editor@fjordby")).json()["documents"]}
    assert {w.note_id, w.referat_id, w.builtin_id} <= ids and w.legacy_id not in ids  # control
    everything = {d["source_id"] for d in w.client.get("/api/documents", headers=h("admin")).json()["documents"]}
    assert {w.note_id, w.legacy_id, w.builtin_id} <= everything  # no scope: as before
    for who in OUTSIDERS:
        if who.startswith("reader"):
            continue
        docs = w.client.get("/api/documents", headers=h(who)).json()["documents"]
        ids = {d["source_id"] for d in docs}
        assert w.builtin_id in ids and not ids & {w.note_id, w.referat_id, w.legacy_id}, who
        assert not leaks(json.dumps(docs)), who


def probe_upload_document(w: World) -> None:
    same_name = w.client.post("/api/documents", headers=h("editor@egeskov"),
                              files={"file": ("fortroligt-notat.txt", b"Egeskovs eget notat om vedligeholdelse.",
                                              "text/plain")})
    assert same_name.status_code == 201, same_name.text
    mine = same_name.json()["document"]
    assert mine["source_id"] != w.note_id and mine["scope"] == "egeskov"
    theirs = w.client.get("/api/search", params={"q": f"{MARK}-sagen", "source_id": w.note_id},
                          headers=h("reader@fjordby")).json()["hits"]
    assert theirs and leaks(theirs[0]["text"])  # Fjordby's note is untouched
    dept = w.client.post("/api/documents", headers=h("editor@egeskov/teknik"),
                         files={"file": ("teknik.txt", b"Teknik og Miljos notat om energirenovering.", "text/plain")})
    assert dept.status_code == 201 and dept.json()["document"]["scope"] == "egeskov/teknik"
    w.extra["dept_doc"] = dept.json()["document"]["source_id"]
    w.extra["egeskov_doc"] = mine["source_id"]


def probe_delete_document(w: World) -> None:
    for who in ("editor@egeskov", "admin@egeskov", "editor@egeskov/teknik"):
        for sid in (w.note_id, w.referat_id, w.legacy_id):
            response = w.client.delete(f"/api/documents/{sid}", headers=h(who))
            assert response.status_code == 404 and not leaks(response.text), (who, sid, response.text)
        assert w.client.delete(f"/api/documents/{w.builtin_id}", headers=h(who)).status_code == 403, who
    if "egeskov_doc" not in w.extra:
        probe_upload_document(w)
    # a department changes its own, not the municipality's; the municipality changes its department's
    up = w.client.delete(f"/api/documents/{w.extra['egeskov_doc']}", headers=h("editor@egeskov/teknik"))
    assert up.status_code == 403 and "egeskov" in up.json()["detail"]
    assert w.client.delete(f"/api/documents/{w.extra['dept_doc']}", headers=h("editor@egeskov")).status_code == 200
    ids = {d["source_id"] for d in w.client.get("/api/documents", headers=h("admin")).json()["documents"]}
    assert {w.note_id, w.referat_id, w.legacy_id, w.builtin_id} <= ids


def probe_correct_document(w: World) -> None:
    """PATCH re-reads a kept original: never another scope's (404, nothing named), never a document above the
    caller's scope (403), and the corrected document stays in its own scope."""
    for who in ("editor@egeskov", "admin@egeskov", "editor@egeskov/teknik"):
        for sid in (w.note_id, w.referat_id, w.legacy_id, w.builtin_id):
            response = w.client.patch(f"/api/documents/{sid}", headers=h(who), data={"org": "Egeskov Bolig"})
            assert response.status_code == 404 and not leaks(response.text), (who, sid, response.text)
    # control on a document of its own (correcting the shared note would change the chunk ids other probes use)
    made = w.client.post("/api/documents", headers=h("editor@fjordby"), data={"kind": "notat"},
                         files={"file": ("rettelse-fjordby.txt", f"Fjordbys notat om {MARK}-tilsynet.".encode(),
                                         "text/plain")})
    assert made.status_code == 201, made.text
    sid = made.json()["document"]["source_id"]
    mine = w.client.patch(f"/api/documents/{sid}", headers=h("editor@fjordby"), data={"year": "2025"})
    assert mine.status_code == 200, mine.text
    assert (mine.json()["document"]["source_id"], mine.json()["document"]["scope"], mine.json()["document"]["year"]) \
        == (sid, "fjordby", 2025)
    assert w.client.get("/api/search", params={"q": MARK, "source_id": sid}, headers=h("reader@fjordby")).json()["hits"]
    for who in OUTSIDERS:  # corrected, the document is still Fjordby's alone
        body = w.client.get("/api/search", params={"q": MARK, "source_id": sid}, headers=h(who)).json()
        assert not body["hits"], who
    town = w.client.post("/api/documents", headers=h("editor@egeskov"),
                         files={"file": ("rettelse.txt", b"Egeskovs notat om udlejning i afdelingerne.", "text/plain")})
    dept = w.client.post("/api/documents", headers=h("editor@egeskov/teknik"),
                         files={"file": ("rettelse-teknik.txt", b"Teknik og Miljos notat om energi.", "text/plain")})
    assert town.status_code == dept.status_code == 201, (town.text, dept.text)
    town_id, dept_id = town.json()["document"]["source_id"], dept.json()["document"]["source_id"]
    up = w.client.patch(f"/api/documents/{town_id}", headers=h("editor@egeskov/teknik"), data={"year": "2026"})
    assert up.status_code == 403 and "egeskov" in up.json()["detail"]
    down = w.client.patch(f"/api/documents/{dept_id}", headers=h("editor@egeskov"), data={"year": "2026"})
    assert down.status_code == 200 and down.json()["document"]["scope"] == "egeskov/teknik", down.text


def probe_search(w: World) -> None:
    control = w.client.get("/api/search", params={"q": f"{MARK}-sagen"}, headers=h("reader@fjordby")).json()["hits"]
    assert any(leaks(x["text"]) for x in control)
    for who in OUTSIDERS:
        for params in ({"q": f"{MARK}-sagen tomgang"}, {"q": MARK, "source_id": w.note_id},
                       {"q": "Hvad er lovgrundlaget for styringsdialogen?", "k": 50}):
            body = w.client.get("/api/search", params=params, headers=h(who)).json()
            assert not any(x["source_id"] in (w.note_id, w.referat_id, w.legacy_id) for x in body["hits"]), (who, params)
            assert not leaks(json.dumps(body["hits"])), (who, params)
    builtin = w.client.get("/api/search", params={"q": "almenboligloven styringsdialog"}, headers=h("reader@egeskov"))
    assert any(x["source_id"] == w.builtin_id for x in builtin.json()["hits"])  # built-in texts stay visible


def _answers(w: World, path: str, who: str, question: str) -> str:
    if path == "/v1/chat/completions":
        body = w.client.post(path, headers=h(who), json={"model": "almen", "messages": [{"role": "user",
                                                                                            "content": question}]})
        return body.text
    response = w.client.post(path, headers=h(who), json={"question": question})
    return response.text


def _probe_answering(path: str) -> Callable[[World], None]:
    def probe(w: World) -> None:
        questions = [f"Hvad handler {MARK}-sagen om?", f"Hvilke aftaler har vi om {MARK}-projektet med Kløverhøj?"]
        assert leaks(_answers(w, path, "reader@fjordby", questions[0]))  # control
        for who in OUTSIDERS:
            for q in questions:
                text = _answers(w, path, who, q)
                assert w.note_id not in text and w.referat_id not in text and w.legacy_id not in text, (who, q)
                assert not leaks(text.replace(q, "").replace(json.dumps(q)[1:-1], "")), (who, q, text[:400])
    return probe


def probe_chunk(w: World) -> None:
    assert w.client.get(f"/api/chunks/{w.chunk_id}", headers=h("reader@fjordby")).status_code == 200  # control
    for who in OUTSIDERS:
        response = w.client.get(f"/api/chunks/{w.chunk_id}", headers=h(who))
        assert response.status_code == 404 and not leaks(response.text), who


def probe_source_page(w: World) -> None:
    page = w.client.get(f"/kilde/{w.chunk_id}", headers={**h("reader@fjordby"), "Accept": "text/html"})
    assert page.status_code == 200 and leaks(page.text)  # control: the page shows the passage
    for who in OUTSIDERS:
        for accept in ("text/html", "application/json", "*/*"):
            response = w.client.get(f"/kilde/{w.chunk_id}", headers={**h(who), "Accept": accept})
            assert response.status_code == 404 and not leaks(response.text), (who, accept)


def probe_agreements(w: World) -> None:
    control = w.client.get("/api/agreements", headers=h("reader@fjordby")).json()
    assert any(leaks(a["text"]) for a in control["agreements"])
    for who in OUTSIDERS:
        body = w.client.get("/api/agreements", headers=h(who)).json()
        assert not leaks(json.dumps(body)) and "Kløverhøj" not in json.dumps(body, ensure_ascii=False), who
        cited = {s["source_id"] for a in body["agreements"] for s in a["sources"] + a["status_sources"]}
        assert not cited & {w.note_id, w.referat_id, w.legacy_id}, who


def probe_feedback(w: World) -> None:
    # Feedback writes a thumb on an answer id (a random uuid only the asker has); it returns nothing of the answer.
    for who in OUTSIDERS:
        response = w.client.post("/api/feedback", headers=h(who), json={"answer_id": w.answer_id, "rating": "down"})
        assert response.status_code in (201, 404) and not leaks(response.text), who
        assert set(response.json()) <= {"id", "answer_id", "rating", "stored", "type", "title", "status", "detail", "instance"}


def probe_models(w: World) -> None:
    for who in OUTSIDERS:
        response = w.client.get("/v1/models", headers=h(who))
        assert response.status_code == 200 and not leaks(response.text)


def probe_audit(w: World) -> None:
    assert w.client.get("/api/admin/audit", headers=h("admin")).status_code == 200  # control
    refused = w.client.get("/api/admin/audit", headers=h("admin@egeskov"))
    assert refused.status_code == 403 and not leaks(refused.text) and "afgrænsning" in refused.json()["detail"]


def probe_create_review(w: World) -> None:
    made = w.client.post("/api/reviews", headers=h("editor@egeskov"), data={"add_to_kb": "true"},
                         files={"file": ("rapport.pdf", (SAMPLES_DIR / "styringsrapport-2026-fjordbo.pdf").read_bytes(),
                                         "application/pdf")})
    assert made.status_code == 201 and made.json()["review_id"] != w.review_id and made.json()["scope"] == "egeskov"
    assert w.client.get(f"/api/reviews/{made.json()['review_id']}", headers=h("editor@fjordby")).status_code == 404
    assert w.client.get(f"/api/reviews/{w.review_id}", headers=h("editor@fjordby")).status_code == 200  # untouched
    # the report added to the knowledge base belongs to the reviewer's scope, like an upload of it
    added = made.json()["knowledge_base"]
    assert added["status"] == "added" and added["source_id"].startswith("upload-egeskov--"), added
    own = {d["source_id"]: d["scope"] for d in w.client.get("/api/documents", headers=h("editor@egeskov")).json()["documents"]}
    assert own.get(added["source_id"]) == "egeskov"
    theirs = {d["source_id"] for d in w.client.get("/api/documents", headers=h("editor@fjordby")).json()["documents"]}
    assert added["source_id"] not in theirs


def _probe_review_read(suffix: str) -> Callable[[World], None]:
    def probe(w: World) -> None:
        url = f"/api/reviews/{w.review_id}{suffix}"
        assert w.client.get(url, headers=h("editor@fjordby")).status_code == 200  # control
        assert w.client.get(url, headers=h("admin")).status_code == 200  # no scope: as before
        for who in OUTSIDERS:
            if who.startswith("reader"):
                continue
            response = w.client.get(url, headers=h(who))
            assert response.status_code == 404 and "Fjordbo" not in response.text, (who, url)
    return probe


def probe_laws(w: World) -> None:
    """Official texts are the whole installation's: only a caller without a scope imports one, and every
    scope then sees it (in the list and in search), like the built-in texts."""
    from tests.ingest.test_statute_layouts import STATUTES, V2

    law = (STATUTES / f"{V2}.xml").read_bytes()
    for who in ("editor@egeskov", "admin@egeskov", "editor@egeskov/teknik"):
        refused = w.client.post("/api/laws", headers=h(who), files={"file": ("lov.xml", law, "application/xml")})
        assert refused.status_code == 403, (who, refused.text)
    assert w.client.get("/api/laws", headers=h("reader@egeskov")).status_code == 200
    done = w.client.post("/api/laws", headers=h("admin"), files={"file": ("lov.xml", law, "application/xml")})
    assert done.status_code == 201, done.text
    for who in ("reader@egeskov", "reader@fjordby", "editor@egeskov/teknik"):
        acts = {x["act"] for x in w.client.get("/api/laws", headers=h(who)).json()["laws"]}
        assert "proeveboligloven" in acts, who
        hits = w.client.get("/api/search", params={"q": "prøveboligloven § 51 b, stk. 3"}, headers=h(who)).json()["hits"]
        assert any(x["source_id"] == done.json()["source_id"] for x in hits), who


PROBES: dict[tuple[str, str], Callable[[World], None]] = {
    ("GET", "/api/laws"): probe_laws,
    ("POST", "/api/laws"): probe_laws,
    ("GET", "/api/documents"): probe_list_documents,
    ("POST", "/api/documents"): probe_upload_document,
    ("PATCH", "/api/documents/{source_id}"): probe_correct_document,
    ("DELETE", "/api/documents/{source_id}"): probe_delete_document,
    ("GET", "/api/search"): probe_search,
    ("POST", "/api/ask"): _probe_answering("/api/ask"),
    ("POST", "/api/chat"): _probe_answering("/api/chat"),
    ("POST", "/v1/chat/completions"): _probe_answering("/v1/chat/completions"),
    ("GET", "/v1/models"): probe_models,
    ("GET", "/api/chunks/{chunk_id}"): probe_chunk,
    ("GET", "/kilde/{chunk_id:path}"): probe_source_page,
    ("GET", "/api/agreements"): probe_agreements,
    ("POST", "/api/feedback"): probe_feedback,
    ("GET", "/api/admin/audit"): probe_audit,
    ("POST", "/api/reviews"): probe_create_review,
    ("GET", "/api/reviews/{review_id}"): _probe_review_read(""),
    ("GET", "/api/reviews/{review_id}/notat.md"): _probe_review_read("/notat.md"),
    ("GET", "/api/reviews/{review_id}/notat.docx"): _probe_review_read("/notat.docx"),
}


def test_every_gated_route_has_a_scope_probe(world: World) -> None:
    gated = {(m, p) for m, p, r in routes(world.client.app) if required_role(r) is not None}
    assert gated == set(PROBES), gated ^ set(PROBES)


@pytest.mark.parametrize("route", list(PROBES), ids=[f"{m} {p}" for m, p in PROBES])
def test_scopes_are_isolated(world: World, route: tuple[str, str]) -> None:
    PROBES[route](world)


def test_scope_names_in_keys_are_checked(tmp_path: Path) -> None:
    from service.api.scopes import can_change, can_read, normalise_scope
    from service.api.security import KeyConfigError, parse_key_spec

    assert parse_key_spec("editor@Egeskov Kommune/Teknik og Miljø:" + "k" * 24)[0][2] == "egeskov-kommune/teknik-og-miljø"
    assert normalise_scope(" Egeskov / Teknik ") == "egeskov/teknik" and normalise_scope("x y/") == "x-y"
    for bad in ("a/b/c", "../x", "", "<script>", "a//b"):
        with pytest.raises(KeyConfigError):
            parse_key_spec(f"reader@{bad}/:" + "k" * 24 if bad == "" else f"reader@{bad}:" + "k" * 24)
    assert normalise_scope("egeskov") == "egeskov"
    assert can_read("egeskov", False, "egeskov/teknik") and can_read("egeskov/teknik", False, "egeskov")
    assert not can_read("egeskov/social", False, "egeskov/teknik") and not can_read("egeskovby", False, "egeskov")
    assert not can_read("", False, "egeskov") and can_read("", True, "egeskov") and can_read("x", False, None)
    assert can_change("egeskov/teknik", False, "egeskov", admin=False)
    assert not can_change("egeskov", False, "egeskov/teknik", admin=True)
    assert not can_change("", True, "egeskov", admin=True) and can_change("", True, None, admin=True)


def test_cli_ingest_puts_documents_in_a_scope(tmp_path: Path) -> None:
    from service.api.app import create_app
    from tests.reliability.helpers import ALMEN, almen_env, run_bounded

    home = tmp_path / "home"
    doc = tmp_path / "fjordby-notat.txt"
    doc.write_text(SECRET_NOTE, encoding="utf-8")
    bad = run_bounded(ALMEN + ["ingest", str(doc), "--scope", "a/b/c"], almen_env(home), timeout=180)
    assert bad.returncode == 1 and "Ugyldig afgrænsning" in bad.stderr
    done = run_bounded(ALMEN + ["ingest", str(doc), "--scope", "Fjordby"], almen_env(home), timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    settings = Settings(home=home, embedding_backend="fake", allow_anonymous=False,
                        api_keys=f"reader@fjordby:{KEYS['reader@fjordby']},reader@egeskov:{KEYS['reader@egeskov']}")
    with TestClient(create_app(settings, ingest_builtin=False)) as client:
        mine = client.get("/api/search", params={"q": f"{MARK}-sagen"}, headers=h("reader@fjordby")).json()["hits"]
        assert any(leaks(x["text"]) for x in mine)
        other = client.get("/api/search", params={"q": f"{MARK}-sagen"}, headers=h("reader@egeskov")).json()["hits"]
        assert not any(leaks(x["text"]) for x in other)
