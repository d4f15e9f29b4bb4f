"""Error messages about an uploaded file name the file as the user sent it, never the temporary file it was
saved to ('.upload-<hex>.pdf', 'report.pdf' in a scratch folder)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowledge.config import Settings
from tests.reliability.helpers import open_kb
from tests.reliability.hostile_files import looks_danish

CORRUPT_PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40
NAME = "Min styringsrapport 2025.pdf"


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    from service.api.app import create_app

    settings = Settings(home=tmp_path / "home", embedding_backend="fake", allow_anonymous=True,
                        local_mode=True, rate_limit_per_minute=100_000)
    with TestClient(create_app(settings, kb=open_kb(tmp_path / "home"), bind_host="127.0.0.1",
                               ingest_builtin=False)) as test_client:
        yield test_client


@pytest.mark.parametrize("route", ["/api/documents", "/api/reviews"])
def test_a_refused_upload_is_named_as_the_user_named_it(client: TestClient, route: str) -> None:
    response = client.post(route, files={"file": (NAME, CORRUPT_PDF, "application/pdf")})
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert NAME in detail and looks_danish(detail), detail
    assert ".upload-" not in detail and "report.pdf" not in detail and "/tmp" not in detail, detail


def test_the_previous_report_is_named_too(client: TestClient) -> None:
    report = (b"# Styringsrapport 2025\n\nBoligorganisationen har 400 boliger.\n")
    response = client.post("/api/reviews", files={"file": ("rapport 2025.md", report, "text/markdown"),
                                                  "previous": ("Sidste års rapport.pdf", CORRUPT_PDF, "application/pdf")})
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert "previous.pdf" not in detail and ".upload-" not in detail, detail
