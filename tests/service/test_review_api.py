"""POST /api/reviews and the note downloads through FastAPI's TestClient."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient

from ingest.pipeline import SAMPLES_DIR
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from tests.service.conftest import API_KEYS, auth
from tests.service.test_api_security import assert_problem
from tests.service.test_review_report import build_review_kb

PDF = "application/pdf"


@pytest.fixture(scope="module")
def review_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return build_review_kb(tmp_path_factory.mktemp("review-api-kb"))


@pytest.fixture
def client(review_kb: KnowledgeBase, tmp_path: Path) -> Iterator[TestClient]:
    from service.api.app import create_app

    settings = Settings(home=tmp_path / "app-home", embedding_backend="fake", api_keys=API_KEYS,
                        allow_anonymous=False, max_file_mb=2)
    with TestClient(create_app(settings, kb=review_kb, ingest_builtin=False)) as c:
        yield c


def upload(name: str, client_name: str | None = None) -> tuple[str, bytes, str]:
    data = (SAMPLES_DIR / name).read_bytes()
    return (client_name or name, data, PDF)


def test_review_upload_returns_findings_and_links(client: TestClient) -> None:
    response = client.post("/api/reviews", headers=auth("editor"),
                           files={"file": upload("styringsrapport-2026-fjordbo.pdf", "../../etc/passwd.pdf")})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["organisation"] == "Boligselskabet Fjordbo" and body["year"] == 2026
    assert body["figures"] and body["checks"] and body["summary"]
    assert [a["status"] for a in body["agreements"]] == ["opfyldt", "opfyldt", "i_gang", "ikke_omtalt"]
    review_id = body["review_id"]
    assert body["links"] == {"markdown": f"/api/reviews/{review_id}/notat.md",
                             "docx": f"/api/reviews/{review_id}/notat.docx", "self": f"/api/reviews/{review_id}"}
    md = client.get(body["links"]["markdown"], headers=auth("editor"))
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "Forberedelsesnotat" in md.text and "forberedelsesnotat-boligselskabet-fjordbo-2026.md" in \
        md.headers["content-disposition"]
    word = client.get(body["links"]["docx"], headers=auth("editor"))
    assert word.status_code == 200
    assert docx.Document(io.BytesIO(word.content)).paragraphs[0].text.startswith("Forberedelsesnotat")
    again = client.get(body["links"]["self"], headers=auth("editor")).json()
    assert again["review_id"] == review_id and again["summary"] == body["summary"]
    # the key-figure table of the page, the same when the review is fetched again
    flagged = [r for r in body["key_figures"] if r["status"] == "følg op"]
    assert flagged and body["key_figures"][: len(flagged)] == flagged and again["key_figures"] == body["key_figures"]
    assert any(r["reference_display"] and r["last_display"] and r["change_display"] for r in flagged)
    # the client's filename is never used as a path, and the uploaded report is not kept after the review
    home = client.app.state.almen.settings.home
    assert sorted(p.name for p in (home / "reviews" / review_id).iterdir()) == ["notat.docx", "notat.md", "review.json"]


def test_review_with_an_explicit_previous_report(client: TestClient) -> None:
    files = {"file": upload("styringsrapport-2026-lindegaarden.pdf"),
             "previous": upload("styringsrapport-2025-lindegaarden.pdf")}
    body = client.post("/api/reviews", headers=auth("editor"), files=files, data={"year": "2026"}).json()
    assert "angivet af brugeren" in body["previous_origin"]
    wrong = {"file": upload("styringsrapport-2026-lindegaarden.pdf"),
             "previous": upload("styringsrapport-2025-fjordbo.pdf")}
    problem = assert_problem(client.post("/api/reviews", headers=auth("editor"), files=wrong), 422)
    assert "Boligselskabet Fjordbo" in problem["detail"]


def test_review_needs_the_editor_role(client: TestClient) -> None:
    files = {"file": upload("styringsrapport-2026-fjordbo.pdf")}
    assert_problem(client.post("/api/reviews", files=files), 401)
    assert_problem(client.post("/api/reviews", headers=auth("reader"), files=files), 403)
    assert_problem(client.get("/api/reviews/" + "0" * 32 + "/notat.md", headers=auth("reader")), 403)


def test_bad_input_gives_problem_bodies_not_500(client: TestClient, tmp_path: Path) -> None:
    def post(name: str, content: bytes, mime: str = PDF, form: dict[str, str] | None = None) -> object:
        return client.post("/api/reviews", headers=auth("editor"), files={"file": (name, content, mime)}, data=form)

    assert_problem(post("rapport.exe", b"MZ..."), 415)
    assert_problem(post("rapport.pdf", b""), 422)
    assert_problem(post("rapport.pdf", b"dette er ikke en pdf"), 422)
    menu = b"Kantinens menu\n\nMandag: frikadeller.\n"
    problem = assert_problem(post("menu.txt", menu, "text/plain"), 422)
    assert problem["detail"].startswith("Fandt ingen nøgletal – er det en styringsrapport?")
    assert_problem(post("stor.pdf", b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024)), 413)
    report = (SAMPLES_DIR / "styringsrapport-2026-fjordbo.pdf").read_bytes()
    assert_problem(post("r.pdf", report, form={"year": "ikke-et-år"}), 422)
    assert_problem(post("r.pdf", report, form={"year": "1200"}), 422)
    for bad in ("abc", "0" * 32, "../../etc"):
        assert client.get(f"/api/reviews/{bad}/notat.md", headers=auth("editor")).status_code == 404
    # nothing half-written is left behind by failed reviews
    reviews = client.app.state.almen.settings.home / "reviews"
    assert not reviews.exists() or not any(reviews.iterdir())


def test_a_report_with_cpr_numbers_leaves_none_in_the_review_or_the_data_directory(client: TestClient,
                                                                                     tmp_path: Path) -> None:
    from tests.service.test_review_alt_layout import write_sectioned_docx

    path = tmp_path / "havbrisen-2026.docx"
    write_sectioned_docx(path)
    report = docx.Document(str(path))
    report.add_paragraph("Klage fra lejer med CPR 010203-1234 i afdeling 1 behandles i 2026.")
    report.add_paragraph("Afdelingsbestyrelse: formand 0304051234")
    report.save(str(path))
    media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = client.post("/api/reviews", headers=auth("editor"), files={"file": (path.name, path.read_bytes(), media)})
    assert response.status_code == 201, response.text
    body = response.json()
    assert any("CPR" in w for w in body["warnings"]), body["warnings"]
    assert body["figures"], "the report was reviewed, not refused"
    folder = Path(client.app.state.almen.settings.home) / "reviews" / body["review_id"]
    texts = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    texts.update({p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.json")})
    texts["notat.docx"] = "\n".join(par.text for par in docx.Document(str(folder / "notat.docx")).paragraphs)
    texts["response"] = response.text
    for name, text in texts.items():
        for needle in ("010203-1234", "0102031234", "0304051234"):
            assert needle not in text, f"{needle} in {name}"
    assert sorted(p.name for p in folder.iterdir()) == ["notat.docx", "notat.md", "review.json"]
