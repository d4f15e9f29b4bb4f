"""Fixtures of the service tests: a knowledge base with a few real documents, API keys, app clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase

KEYS = {"reader": "reader-key-0123456789abcd", "editor": "editor-key-0123456789abcd", "admin": "admin-key-0123456789abcd"}
API_KEYS = ",".join(f"{role}:{key}" for role, key in KEYS.items())
CORPUS = Path(__file__).resolve().parents[2] / "knowledge" / "corpus"
API_KB_NOTES = ("lovgrundlag.md", "styringsdialogen.md")

NOTAT_MD = """---
title: Notat om fleksibel udlejning i Fjordbo
kind: notat
---

# Notat om fleksibel udlejning i Fjordbo

Kommunen og Fjordbo aftalte på dialogmødet i 2024 at bruge fleksibel udlejning i afdeling 7,
så halvdelen af de ledige familieboliger udlejes til ansøgere i beskæftigelse.

## Opfølgning

Fjordbo rapporterer hvert år om effekten af den fleksible udlejning i styringsrapporten.
Tomgangen i afdeling 7 var 0,4 procent i 2023.
"""


def builtin_dir_with(folder: Path, names: tuple[str, ...] | list[str]) -> Path:
    """A corpus folder (ALMEN_BUILTIN_DIR) holding exactly these built-in notes: a CLI or service started on a
    test knowledge base built from them finds its built-in base complete and loads nothing more."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def auth(role: str) -> dict[str, str]:
    """Headers with the test key of a role."""
    return {"Authorization": f"Bearer {KEYS[role]}"}


def write_pdf(path: Path, pages: list[list[str]], *, title: str = "") -> Path:
    """A real PDF with one page per list of lines."""
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_font("Helvetica", size=11)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def write_docx(path: Path, title: str, paragraphs: list[str]) -> Path:
    """A real DOCX with a heading and paragraphs."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for p in paragraphs:
        document.add_paragraph(p)
    document.save(str(path))
    return path


def make_documents(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Three real documents (Markdown, DOCX, PDF) with their metadata."""
    folder.mkdir(parents=True, exist_ok=True)
    md = folder / "notat-fleksibel-udlejning.md"
    md.write_text(NOTAT_MD, encoding="utf-8")
    dx = write_docx(folder / "styringsrapport-fjordbo-2024.docx", "Styringsrapport 2024 for Fjordbo", [
        "Boligorganisationen Fjordbo har 1.240 boliger fordelt på 9 afdelinger.",
        "Henlæggelserne til planlagt og periodisk vedligeholdelse udgjorde 142 kr. pr. m2 i 2023.",
        "Huslejen i afdeling 7 steg med 2,1 procent fra 2023 til 2024.",
    ])
    pdf = write_pdf(folder / "referat-dialogmoede-2024.pdf", [
        ["Referat af dialogmødet 2024 mellem kommunen og Fjordbo",
         "Mødet blev holdt den 12. marts 2024 på rådhuset."],
        ["Punkt 3: Udlejning",
         "Parterne drøftede ventelisten og aftalte at følge op på anvisningsretten næste år."],
    ], title="Referat af dialogmøde 2024")
    return [
        (md, {"kind": "notat", "org": "Fjordbo", "year": 2024}),
        (dx, {"kind": "styringsrapport", "org": "Fjordbo", "year": 2024}),
        (pdf, {"kind": "referat", "org": "Fjordbo", "year": 2024}),
    ]


@pytest.fixture(scope="module")
def api_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """Fake embeddings in a temp dir; two corpus files and three generated documents ingested."""
    from ingest.pipeline import ingest_file

    home = tmp_path_factory.mktemp("api-kb")
    kb = KnowledgeBase(Settings(home=home / "kb", embedding_backend="fake"))
    for name in API_KB_NOTES:
        result = ingest_file(kb, CORPUS / name, id_prefix="builtin", builtin=True)
        assert result.status == "added", result.message
    for path, meta in make_documents(home / "docs"):
        result = ingest_file(kb, path, **meta)
        assert result.status == "added", result.message
    return kb


ClientFactory = Callable[..., TestClient]


@pytest.fixture
def make_client(api_kb: KnowledgeBase, tmp_path: Path) -> Iterator[ClientFactory]:
    """Build a TestClient for an app over the shared knowledge base; settings overridable per call."""
    from service.api.app import create_app

    opened: list[TestClient] = []

    def factory(**overrides: Any) -> TestClient:
        bind_host = overrides.pop("bind_host", None)
        values: dict[str, Any] = {"home": tmp_path / "app-home", "embedding_backend": "fake", "api_keys": API_KEYS,
                                  "allow_anonymous": False}
        values.update(overrides)
        app = create_app(Settings(**values), kb=api_kb, bind_host=bind_host, ingest_builtin=False)
        client = TestClient(app)
        client.__enter__()
        opened.append(client)
        return client

    yield factory
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: ClientFactory) -> TestClient:
    """A client of an app with the test keys and anonymous access off."""
    return make_client()


class LiveServer:
    """uvicorn serving an app on a free 127.0.0.1 port in a background thread."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.port = 0
        self._server: Any = None
        self._thread: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "LiveServer":
        import threading
        import time

        import uvicorn

        self.port = free_port()
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 60
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)


def free_port() -> int:
    """A currently free TCP port on 127.0.0.1."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
