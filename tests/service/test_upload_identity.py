"""Organisation and year read from an uploaded document when not given, shown and correctable; a reviewed
report added to the knowledge base with one field, after which the register and the review agree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest.pipeline import SAMPLES_DIR
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from service.agreements.register import AgreementFilters, get_register
from service.review.document_identity import identity_of
from tests.service.agreements_helpers import write_referat_docx
from tests.service.conftest import API_KEYS, auth

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    from service.api.app import create_app

    settings = Settings(home=tmp_path / "home", embedding_backend="fake", api_keys=API_KEYS, allow_anonymous=False)
    kb = KnowledgeBase(settings)
    with TestClient(create_app(settings, kb=kb, ingest_builtin=False)) as c:
        yield c


def _referat(tmp_path: Path) -> Path:
    return write_referat_docx(tmp_path / "referat.docx", "Referat af dialogmøde med Boligselskabet Pilegården", [
        ("Udlejning", [("Kommunen og selskabet drøftede ventelisten. Det blev aftalt, at selskabet senest "
                       "1. marts 2027 sender en plan for udlejningen af afd. 2 Engen.")])],
        intro="Mødedato: 12. oktober 2026")


def test_an_upload_without_organisation_or_year_gets_them_from_the_document(client: TestClient,
                                                                              tmp_path: Path) -> None:
    path = _referat(tmp_path)
    response = client.post("/api/documents", headers=auth("editor"), data={"kind": "referat"},
                           files={"file": ("referat.docx", path.read_bytes(), DOCX)})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["detected"] == {"organisation": "Boligselskabet Pilegården", "year": 2026, "fields": ["org", "year"]}
    assert (body["document"]["org"], body["document"]["year"]) == ("Boligselskabet Pilegården", 2026)
    # what the register says agrees with what the upload showed
    kb = client.app.state.almen.kb
    entries = get_register(kb).entries(AgreementFilters(org="Pilegården"))
    assert [e.deadline for e in entries] == ["2027-03-01"]

    # the user corrects the organisation: the document keeps its id, the register follows
    sid = body["document"]["source_id"]
    fixed = client.patch(f"/api/documents/{sid}", headers=auth("editor"), data={"org": "Boligselskabet Pilehaven"})
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["document"]["org"] == "Boligselskabet Pilehaven" and fixed.json()["document"]["source_id"] == sid
    assert [e.organisation for e in get_register(kb).entries()] == ["Boligselskabet Pilehaven"]


def test_given_values_win_and_a_correction_needs_a_value(client: TestClient, tmp_path: Path) -> None:
    path = _referat(tmp_path)
    response = client.post("/api/documents", headers=auth("editor"),
                           data={"kind": "referat", "org": "Boligselskabet Ege", "year": "2025"},
                           files={"file": ("referat.docx", path.read_bytes(), DOCX)})
    body = response.json()
    assert body["detected"] is None and body["document"]["org"] == "Boligselskabet Ege"
    empty = client.patch(f"/api/documents/{body['document']['source_id']}", headers=auth("editor"), data={})
    assert empty.status_code == 422 and "boligorganisation" in empty.json()["detail"]
    unknown = client.patch("/api/documents/findes-ikke", headers=auth("editor"), data={"org": "X"})
    assert unknown.status_code == 404


def test_a_reviewed_report_is_added_to_the_knowledge_base_with_one_field(client: TestClient) -> None:
    data = (SAMPLES_DIR / "styringsrapport-2026-fjordbo.pdf").read_bytes()
    response = client.post("/api/reviews", headers=auth("editor"), data={"add_to_kb": "true"},
                           files={"file": ("rapport.pdf", data, "application/pdf")})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["detected"] == {"organisation": "Boligselskabet Fjordbo", "year": 2026,
                                "fields": ["organisation", "year"]}
    assert body["knowledge_base"]["status"] == "added"
    kb = client.app.state.almen.kb
    record = kb.store.get_source(body["knowledge_base"]["source_id"])
    assert record is not None and (record.kind, record.org, record.year) == ("styringsrapport", "Boligselskabet Fjordbo",
                                                                             2026)
    # the register now reads the report too: its wishes are the organisation's wishes in the register
    wishes = get_register(kb).entries(AgreementFilters(org="Fjordbo", status="oenske"))
    assert wishes and all(w.sources[0].source_id == record.source_id for w in wishes)
    without = client.post("/api/reviews", headers=auth("editor"),
                          files={"file": ("rapport2.pdf", data, "application/pdf")})
    assert "knowledge_base" not in without.json()


def test_identity_of_a_report_and_of_a_referat(tmp_path: Path) -> None:
    from ingest.loaders import load_file

    report = identity_of(load_file(SAMPLES_DIR / "styringsrapport-2026-fjordbo.pdf", max_bytes=10**8))
    assert (report.organisation, report.year) == ("Boligselskabet Fjordbo", 2026)
    referat = identity_of(load_file(_referat(tmp_path), max_bytes=10**8), "referat")
    assert (referat.organisation, referat.year) == ("Boligselskabet Pilegården", 2026)
