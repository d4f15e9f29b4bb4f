"""Chunking: legislation per stk., documents along headings and pages, flat metadata only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.chunking import chunk_document, split_table, split_text
from ingest.loaders import load_file
from knowledge.types import Chunk

MB = 1024 * 1024
CORPUS = Path(__file__).resolve().parents[2] / "knowledge" / "corpus"


def chunks_of(path: Path, *, size: int = 1200, overlap: int = 150, base: dict | None = None) -> list[Chunk]:
    doc = load_file(path, max_bytes=5 * MB)
    return chunk_document(doc, source_id="kilde", base_metadata=base or {}, chunk_size=size, chunk_overlap=overlap)


def assert_flat(chunks: list[Chunk]) -> None:
    for chunk in chunks:
        for key, value in chunk.metadata.items():
            assert isinstance(value, (str, int, float, bool)), (key, value)


# ------------------------------------------------------------------ legislation


def test_act_is_chunked_one_stk_per_chunk_each_led_by_its_paragraph(act_pdf: Path) -> None:
    chunks = chunks_of(act_pdf)
    assert_flat(chunks)
    assert [c.metadata["legal_label"] for c in chunks] == [
        "prøveboligloven § 1, stk. 1", "prøveboligloven § 1, stk. 2", "prøveboligloven § 2",
        "prøveboligloven § 3, stk. 1", "prøveboligloven § 3, stk. 2", "prøveboligloven § 3, stk. 3",
        "prøveboligloven § 4", "prøveboligloven § 4", "prøveboligloven § 12",
        "prøveboligloven § 12 a, stk. 1", "prøveboligloven § 12 a, stk. 2", "prøveboligloven § 13",
    ]
    first, second = chunks[0], chunks[1]
    assert first.id == "kilde:0000" and first.metadata["ordinal"] == 0
    assert first.text.startswith("Prøveboligloven § 1, stk. 1\nFormålet med loven")
    assert "Stk. 2" not in first.text
    assert first.metadata["legal_id"] == "proeveboligloven:§1:stk1"
    assert first.metadata["legal_refs"] == "proeveboligloven:§1 proeveboligloven:§1:stk1"
    assert first.metadata["context"] == "Kapitel 1. Formål og anvendelsesområde > § 1"
    assert first.metadata["heading"] == first.metadata["context"]
    assert (first.metadata["act"], first.metadata["paragraph"], first.metadata["stk"]) == ("proeveboligloven", "1", 1)
    assert (first.metadata["kind"], first.metadata["title"]) == ("lov", "Lov om prøveboliger")
    assert (first.metadata["version"], first.metadata["valid_from"]) == ("Lov nr. 512 af 3. juni 2021", "2021-06-03")
    assert (first.metadata["act_type"], first.metadata["act_number"], first.metadata["act_date"]) == (
        "LOV", "512", "2021-06-03")
    assert second.text.startswith("Prøveboligloven § 1, stk. 2\nStk. 2. Loven gælder for almene boligorganisationer")
    assert (second.metadata["legal_id"], second.metadata["legal_refs"]) == (
        "proeveboligloven:§1:stk2", "proeveboligloven:§1:stk2")
    assert second.metadata["context"] == first.metadata["context"]
    with_items = chunks[4]
    assert with_items.text.startswith("Prøveboligloven § 3, stk. 2\nStk. 2. En aftale efter stk. 1 skal indeholde:\n1) ")
    assert with_items.metadata["legal_id"] == "proeveboligloven:§3:stk2"
    assert with_items.metadata["legal_refs"].split() == [
        "proeveboligloven:§3:stk2", "proeveboligloven:§3:stk2:nr1", "proeveboligloven:§3:stk2:nr2",
        "proeveboligloven:§3:stk2:nr3",
    ]
    only_stk = chunks[2]
    assert (only_stk.metadata["legal_id"], only_stk.metadata["legal_refs"]) == (
        "proeveboligloven:§2", "proeveboligloven:§2 proeveboligloven:§2:stk1")
    assert chunks[3].metadata["legal_refs"] == "proeveboligloven:§3 proeveboligloven:§3:stk1"
    lettered = chunks[10]
    assert (lettered.metadata["paragraph"], lettered.metadata["stk"]) == ("12 a", 2)
    assert lettered.metadata["context"] == "Kapitel 3. Tilsyn > § 12 a"
    assert (lettered.metadata["page_start"], lettered.metadata["page_end"]) == (3, 3)
    for chunk in chunks:
        assert "Side" not in chunk.text and "af 4" not in chunk.text


def test_long_stk_is_split_and_every_part_keeps_its_id_and_label(act_pdf: Path) -> None:
    chunks = [c for c in chunks_of(act_pdf, size=400, overlap=60) if c.metadata["paragraph"] == "4"]
    assert len(chunks) >= 5
    for number, chunk in enumerate(chunks, start=1):
        assert len(chunk.text) <= 400
        assert chunk.text.startswith("Prøveboligloven § 4\n")
        assert chunk.metadata["legal_id"] == "proeveboligloven:§4"  # a single stk.: cited as the § itself
        assert (chunk.metadata["part"], chunk.metadata["parts"]) == (number, len(chunks))
    body = " ".join(c.text.split("\n", 1)[1] for c in chunks)
    assert "jf. § 12 a, stk. 2." in body
    for chunk in chunks:  # never cut right after a Danish abbreviation
        assert not chunk.text.rstrip().endswith(("jf.", "stk.", "nr."))


def test_html_and_pdf_give_the_same_legal_chunks(act_pdf: Path, act_html: Path) -> None:
    from_pdf, from_html = chunks_of(act_pdf), chunks_of(act_html)
    assert [c.text for c in from_pdf] == [c.text for c in from_html]
    assert "page_start" not in from_html[0].metadata


def test_text_after_the_last_provision_is_kept_as_plain_chunks(tmp_path: Path) -> None:
    path = tmp_path / "bek.txt"
    path.write_text(
        "Bekendtgørelse om drift af almene boliger m.v.\n\n§ 1. Boligorganisationen skal drive afdelingerne "
        "forsvarligt.\n\nIndenrigs- og Boligministeriet, den 26. januar 2018.\n\nBilag 1\n\n"
        "Skema | Frist\nRegnskab | 1. juni\n",
        encoding="utf-8",
    )
    chunks = chunks_of(path)
    assert [c.metadata.get("legal_id") for c in chunks] == ["driftsbekendtgoerelsen:§1", None]
    tail = chunks[1]
    assert "Bilag 1" in tail.text and "Regnskab | 1. juni" in tail.text
    assert tail.metadata["kind"] == "bekendtgoerelse" and "paragraph" not in tail.metadata


def test_base_metadata_wins_and_none_is_dropped(act_txt: Path) -> None:
    chunks = chunks_of(act_txt, base={"kind": "lov", "org": "Boligselskabet Fjordbo", "year": 2024,
                                       "municipality": None, "valid_to": "2025-12-31", "title": "Prøveboligloven"})
    meta = chunks[0].metadata
    assert meta["org"] == "Boligselskabet Fjordbo" and meta["year"] == 2024
    assert meta["title"] == "Prøveboligloven" and meta["valid_to"] == "2025-12-31"
    assert "municipality" not in meta
    assert meta["source_id"] == "kilde"


def test_a_non_legal_kind_in_base_metadata_skips_legal_parsing(act_txt: Path) -> None:
    chunks = chunks_of(act_txt, base={"kind": "notat"})
    assert all("legal_id" not in c.metadata for c in chunks)
    assert chunks[0].metadata["kind"] == "notat"


# ------------------------------------------------------------------ other documents


def test_markdown_sections_carry_their_heading_path(tmp_path: Path) -> None:
    path = tmp_path / "noegletal.md"
    path.write_text(
        "# Nøgletal\n\nIndledning om nøgletal.\n\n## Økonomi\n\n### Henlæggelser\n\n"
        "Henlæggelserne bør dække det langsigtede behov.\n\n## Udlejning\n\nLejeledigheden er lav.\n",
        encoding="utf-8",
    )
    chunks = chunks_of(path)
    assert_flat(chunks)
    assert [(c.metadata["heading"], c.text) for c in chunks] == [
        ("Nøgletal", "Nøgletal\n\nIndledning om nøgletal."),
        ("Nøgletal > Økonomi > Henlæggelser", "Henlæggelser\n\nHenlæggelserne bør dække det langsigtede behov."),
        ("Nøgletal > Udlejning", "Udlejning\n\nLejeledigheden er lav."),
    ]
    assert [c.id for c in chunks] == ["kilde:0000", "kilde:0001", "kilde:0002"]
    assert chunks[0].metadata["kind"] == "andet"


def test_a_document_of_headings_only_is_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "overskrifter.md"
    path.write_text("# Dagsorden\n\n## Punkt 1\n\n## Punkt 2\n", encoding="utf-8")
    chunks = chunks_of(path)
    assert [c.text for c in chunks] == ["Dagsorden\n\nPunkt 1\n\nPunkt 2"]


def test_docx_sections_carry_their_heading_path(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Styringsrapport 2024", level=1)
    document.add_paragraph("Boligorganisationen har 12 afdelinger.")
    document.add_heading("Vedligeholdelse", level=2)
    document.add_paragraph("Der er planlagt vedligeholdelse for 14 mio. kr.")
    path = tmp_path / "styringsrapport.docx"
    document.save(str(path))
    chunks = chunks_of(path)
    assert [c.metadata["heading"] for c in chunks] == ["Styringsrapport 2024", "Styringsrapport 2024 > Vedligeholdelse"]
    assert chunks[0].metadata["kind"] == "styringsrapport"  # detected from the title
    assert "page_start" not in chunks[0].metadata


def test_pdf_chunks_record_their_page_span(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "1. Indledning", new_x="LMARGIN", new_y="NEXT")
    sentence = "Afdelingen har haft en stabil udlejning og en lav fraflytning i hele perioden. "
    for _ in range(45):
        pdf.multi_cell(0, 6, sentence * 2, new_x="LMARGIN", new_y="NEXT")  # runs over onto page 2..3
    pdf.multi_cell(0, 6, "2. Økonomi", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "Økonomien er sund.", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "rapport.pdf"
    pdf.output(str(path))
    chunks = chunks_of(path, size=1200)
    assert_flat(chunks)
    intro = [c for c in chunks if c.metadata["heading"] == "1. Indledning"]
    assert len(intro) >= 3
    assert intro[0].metadata["page_start"] == 1
    assert max(c.metadata["page_end"] for c in intro) >= 2
    assert all(c.metadata["page_start"] <= c.metadata["page_end"] for c in chunks)
    assert all(len(c.text) <= 1200 for c in chunks)
    last = chunks[-1]
    assert last.metadata["heading"] == "2. Økonomi" and last.text.endswith("Økonomien er sund.")
    assert last.metadata["page_start"] == last.metadata["page_end"] >= 2


def test_big_tables_are_split_between_rows_with_the_header_repeated(tmp_path: Path) -> None:
    rows = ["| Afdeling | Boliger | Husleje pr. m2 |", "|---|---|---|"]
    rows += [f"| Afdeling {n} | {40 + n} | {780 + n},50 |" for n in range(1, 61)]
    path = tmp_path / "tabel.md"
    path.write_text("# Afdelinger\n\n" + "\n".join(rows) + "\n", encoding="utf-8")
    chunks = chunks_of(path, size=300, overlap=50)
    table_chunks = [c for c in chunks if "Afdeling 1 " in c.text or "Afdeling 60" in c.text or "Afdeling 3" in c.text]
    assert len(chunks) > 5
    seen: list[str] = []
    for chunk in chunks:
        assert len(chunk.text) <= 300
        lines = [ln for ln in chunk.text.split("\n") if ln.startswith("Afdeling ")]
        for line in lines:
            assert line.count(" | ") == 2, line  # a whole row, never half of one
        seen += lines
    assert all(c.text.split("\n\n")[-1].startswith("Afdeling | Boliger | Husleje pr. m2") for c in chunks[1:])
    assert [f"Afdeling {n} | {40 + n} | {780 + n},50" for n in range(1, 61)] == [s for s in seen if s != "Afdeling | Boliger | Husleje pr. m2"]
    assert table_chunks


def test_split_helpers_respect_size_and_danish_abbreviations() -> None:
    text = " ".join(
        f"Kommunen skal efter § {n}, stk. 2, jf. § {n + 1}, nr. 3, sende en redegørelse. Det sker hvert år."
        for n in range(1, 30)
    )
    pieces = split_text(text, 250, 40)
    assert len(pieces) > 5
    assert all(len(p) <= 250 for p in pieces)
    assert all(not p.endswith(("jf.", "stk.", "nr.", "§")) for p in pieces)
    table = "\n".join(["A | B"] + [f"r{n} | {n}" for n in range(100)])
    parts = split_table(table, 60, 0)
    assert all(p.startswith("A | B\n") for p in parts[1:])
    assert sum(len(p.split("\n")) - 1 for p in parts[1:]) + len(parts[0].split("\n")) == 101


# ------------------------------------------------------------------ guidance notes with front matter


NOTE = """---
title: Boligsocial anvisning
kind: vejledning
topics: [anvisning, udlejning]
legal_refs: [almenboligloven:§59:stk1, almenboligloven:§59:stk2, almenboligloven:§51]
provision: almenboligloven § 59
sources:
  - title: Ministeriets side om anvisning
    url: https://example.invalid/anvisning
confidence: høj
last_reviewed: 2026-11-29
---

# Boligsocial anvisning

Kommunen kan anvise boligsøgende til ledige boliger.

## Anvisning efter almenboligloven § 59, stk. 1

Kommunen kan råde over hver fjerde ledige familiebolig.

## Stk. 2 - aftalt anvisning

Kommunen og boligorganisationen kan aftale en højere andel.

## Betaling

Kommunen betaler lejen, mens boligen står tom, jf. § 51, stk. 3. Se også § 60 om fleksibel udlejning.
"""


def test_front_matter_is_copied_flat_and_legal_refs_land_on_matching_chunks(tmp_path: Path) -> None:
    path = tmp_path / "anvisning.md"
    path.write_text(NOTE, encoding="utf-8")
    chunks = chunks_of(path)
    assert_flat(chunks)
    meta = chunks[0].metadata
    assert meta["title"] == "Boligsocial anvisning" and meta["kind"] == "vejledning"
    assert meta["topics"] == "anvisning, udlejning"
    assert json.loads(meta["sources"]) == [{"title": "Ministeriets side om anvisning", "url": "https://example.invalid/anvisning"}]
    assert (meta["confidence"], meta["last_reviewed"], meta["provision"]) == ("høj", "2026-11-29", "almenboligloven § 59")
    by_heading = {c.metadata["heading"].split(" > ")[-1]: c.metadata for c in chunks}
    assert "legal_id" not in by_heading["Boligsocial anvisning"]
    stk1 = by_heading["Anvisning efter almenboligloven § 59, stk. 1"]
    assert (stk1["legal_id"], stk1["legal_label"]) == ("almenboligloven:§59:stk1", "almenboligloven § 59, stk. 1")
    assert stk1["legal_refs"] == "almenboligloven:§59:stk1"
    assert by_heading["Stk. 2 - aftalt anvisning"]["legal_id"] == "almenboligloven:§59:stk2"
    payment = by_heading["Betaling"]
    assert payment["legal_id"] == "almenboligloven:§51:stk3"
    assert "§60" not in payment["legal_refs"]  # § 60 is not one of the note's references
    assert "legal_refs" not in meta or "kilde" not in meta["legal_refs"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no built-in corpus")
def test_built_in_corpus_chunks_with_flat_metadata() -> None:
    files = sorted(CORPUS.glob("*.md"))
    assert files
    with_legal_id = 0
    for path in files:
        chunks = chunks_of(path)
        assert chunks, path
        assert_flat(chunks)
        assert all(len(c.text) <= 1200 for c in chunks), path
        assert all(c.metadata.get("kind") == "vejledning" or "kind" in c.metadata for c in chunks)
        with_legal_id += sum(1 for c in chunks if c.metadata.get("legal_id"))
    assert with_legal_id > 0


SAMPLES = Path(__file__).resolve().parents[2] / "knowledge" / "samples"


@pytest.mark.skipif(not (SAMPLES / "manifest.json").is_file(), reason="no committed sample documents")
def test_sample_act_chunks_carry_every_clause_of_the_manifest() -> None:
    """The committed fictional act (PDF and HTML): every clause of its ground truth is found with id and page."""
    import re

    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    acts = [f for f in manifest["files"] if f["kind"] == "lov"]
    assert acts
    for entry in acts:
        chunks = chunks_of(SAMPLES / entry["path"])
        assert_flat(chunks)
        for clause in entry["clauses"]:
            carrying = [c for c in chunks if clause["number"] in c.metadata.get("legal_refs", "").split()]
            assert carrying, (entry["path"], clause["number"])
            text = " ".join(re.sub(r"\s+", " ", c.text) for c in carrying)
            assert re.sub(r"\s+", " ", clause["text"]).strip() in text, clause["number"]
            assert all(c.metadata["heading"].startswith(clause["chapter"] + " > §") for c in carrying)
            if clause["page"] is not None:
                assert any(c.metadata["page_start"] <= clause["page"] <= c.metadata["page_end"] for c in carrying)
