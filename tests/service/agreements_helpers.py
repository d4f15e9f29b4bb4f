"""Shared by the agreement-register tests: a data directory with the sample documents, real files written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import SAMPLES_DIR, ingest_samples, source_id_for
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase

_HOMES: dict[str, Path] = {}


def samples_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the sample documents (fake embeddings), built once per test session. Read-only!"""
    if "samples" not in _HOMES:
        home = tmp_path_factory.mktemp("agreements-samples") / "home"
        kb = KnowledgeBase(Settings(home=home, embedding_backend="fake"))
        results = [ev.result for ev in ingest_samples(kb) if ev.result is not None]
        assert results and all(r.status != "failed" for r in results), [r.message for r in results]
        _HOMES["samples"] = home
    return _HOMES["samples"]


def sample_source_id(name: str) -> str:
    """The source id ingest_samples gives a sample file."""
    return source_id_for(SAMPLES_DIR / name, prefix="sample")


def write_referat_docx(path: Path, title: str, sections: list[tuple[str, list[str]]], *, intro: str = "") -> Path:
    """A real Word referat: a title, an optional intro line, and headed sections of paragraphs."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    if intro:
        document.add_paragraph(intro)
    for heading, paragraphs in sections:
        document.add_heading(heading, level=2)
        for text in paragraphs:
            document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def write_pdf(path: Path, lines: list[str]) -> Path:
    """A real one-page PDF with the given lines (Helvetica: Latin-1, so æ, ø and å but no dashes like '–')."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path
