"""Which source speaks first (knowledge.authority), and the municipality's documents found by the § they apply,
ranked after the statute and the notes on it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest.builtin import CORPUS_DIR
from ingest.law_import import import_law
from ingest.pipeline import ingest_file
from knowledge.authority import AUTHORITY_ORDER, authority_for, authority_of, authority_rank
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.legal import refs_in_text

STATUTES = Path(__file__).resolve().parents[1] / "ingest" / "statutes"
REFERAT = """# Referat af dialogmøde 2026

## Punkt 4: Udlejning

Parterne fortsætter den aftale efter § 59, stk. 2, som blev indgået i 2024: kommunen anviser hver tredje
ledige familiebolig i afdeling 3. Aftalen evalueres på næste dialogmøde.

## Punkt 5: Eventuelt

Intet at bemærke.
"""


def test_the_order_of_authority() -> None:
    assert AUTHORITY_ORDER == ("statute_current", "builtin_note", "guidance", "municipal", "statute_superseded",
                               "sample")
    assert [authority_for(k) for k in ("lov", "bekendtgoerelse", "vejledning", "referat", "notat")] == [
        "statute_current", "statute_current", "guidance", "municipal", "municipal"]
    assert authority_for("notat", builtin=True) == "builtin_note"
    assert authority_for("lov", sample=True) == "sample"
    # Chunks from before authority was recorded: derived from their kind and id.
    assert authority_of({"kind": "notat", "source_id": "builtin-tilsyn"}) == "builtin_note"
    assert authority_of({"kind": "lov", "source_id": "sample-lov-om-proeveboliger"}) == "sample"
    old = {"authority": "statute_superseded", "valid_from": "2025-01-20", "valid_to": "2026-01-24"}
    new = {"authority": "statute_current", "valid_from": "2026-01-25"}
    assert authority_rank(new) < authority_rank({"authority": "builtin_note"}) < authority_rank(old)
    # On a date in 2025 the version then in force speaks first, and the later one not yet.
    assert authority_rank(old, on_date=date(2025, 6, 1)) == 0
    assert authority_rank(new, on_date=date(2025, 6, 1)) == AUTHORITY_ORDER.index("statute_superseded")


def test_refs_in_text_resolve_the_act_and_leave_other_laws_alone() -> None:
    assert [r.canonical_id for r in refs_in_text("en aftale efter § 59, stk. 2 om anvisning")] == [
        "almenboligloven:§59:stk2"]
    assert [r.canonical_id for r in refs_in_text("driftsbekendtgørelsens § 112, stk. 3 og § 113")] == [
        "driftsbekendtgoerelsen:§112:stk3", "driftsbekendtgoerelsen:§113"]
    assert [r.canonical_id for r in refs_in_text("jf. servicelovens § 85 og almenboligloven § 105")] == [
        "almenboligloven:§105"]


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    """The statute (invented §§ under the real title and designation), the built-in note on § 59 and a referat."""
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake", builtin=False))
    assert ingest_file(kb, CORPUS_DIR / "bestemmelse-almenboligloven-59.md", id_prefix="builtin",
                       builtin=True).status == "added"
    referat = tmp_path / "referat-dialogmoede-2026.md"
    referat.write_text(REFERAT, encoding="utf-8")
    assert ingest_file(kb, referat, kind="referat", org="Boligselskabet Test").status == "added"
    assert import_law(kb, STATUTES / "almenboligloven-uddrag-lbk-207-2026.txt").current
    return kb


def test_the_municipalitys_document_carries_the_provision_it_applies(kb: KnowledgeBase) -> None:
    referat = next(r for r in kb.store.list_sources() if r.kind == "referat")
    chunks = kb.store.chunks_of_source(referat.source_id)
    point4 = next(c for c in chunks if "§ 59, stk. 2" in c.text)
    assert point4.metadata["legal_refs"] == "almenboligloven:§59:stk2"
    assert point4.metadata["authority"] == "municipal" and not point4.metadata.get("legal_id")
    assert all("legal_refs" not in c.metadata for c in chunks if "§" not in c.text)


def test_a_search_by_section_finds_it_after_the_statute_and_the_note(kb: KnowledgeBase) -> None:
    hits = kb.search("Hvad siger § 59, stk. 2?", k=6).hits
    order = [str(h.chunk.metadata.get("authority")) for h in hits]
    assert order[0] == "statute_current" and hits[0].chunk.metadata["legal_id"] == "almenboligloven:§59:stk2"
    assert "LBK nr. 207 af 25/01/2026" in hits[0].chunk.citation_label()
    referat = next(h for h in hits if h.chunk.metadata.get("authority") == "municipal")
    note = next(h for h in hits if h.chunk.metadata.get("authority") == "builtin_note")
    assert referat.legal_match and referat.score > 1.0  # found by its §, no longer below 0.05
    assert hits[0].score > note.score > referat.score
    assert order.index("builtin_note") < order.index("municipal")
