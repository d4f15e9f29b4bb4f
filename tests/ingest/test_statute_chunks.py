"""Chunks of an official statute text: every stk. its own chunk, led by its § and carrying its place in the act."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.chunking import chunk_document
from ingest.loaders import load_file
from knowledge.types import Chunk

MB = 1024 * 1024
STATUTES = Path(__file__).resolve().parent / "statutes"
V2 = "proeveboligloven-lbk-123-2026"


def chunks_of(name: str, *, size: int = 1200, base: dict | None = None) -> list[Chunk]:
    doc = load_file(STATUTES / name, max_bytes=5 * MB)
    return chunk_document(doc, source_id="lbk", base_metadata=base or {}, chunk_size=size, chunk_overlap=100)


def by_id(chunks: list[Chunk], legal_id: str) -> list[Chunk]:
    return [c for c in chunks if c.metadata.get("legal_id") == legal_id]


@pytest.mark.parametrize("name", [f"{V2}.txt", f"{V2}-inline.txt", f"{V2}.html", f"{V2}.xml"])
def test_every_stk_is_a_chunk_of_its_own_with_its_paragraph_heading(name: str) -> None:
    chunks = chunks_of(name)
    ids = [c.metadata["legal_id"] for c in chunks if c.metadata.get("legal_id")]
    assert len(ids) == len(set(ids)) == 27  # the 27 units of the truth file, one chunk each
    stk3 = by_id(chunks, "proeveboligloven:§51b:stk3")[0]
    assert stk3.text.startswith("Prøveboligloven § 51 b, stk. 3\nStk. 3. Kommunalbestyrelsen skal træffe afgørelse")
    assert "Stk. 2." not in stk3.text and "Stk. 4." not in stk3.text
    assert stk3.metadata["legal_label"] == "prøveboligloven § 51 b, stk. 3"
    assert stk3.metadata["legal_refs"] == "proeveboligloven:§51b:stk3"
    assert stk3.metadata["context"] == (
        "Afsnit I. Almindelige bestemmelser > Kapitel 2. Udlejning af prøveboliger > § 51 b")
    assert (stk3.metadata["act"], stk3.metadata["paragraph"], stk3.metadata["stk"]) == ("proeveboligloven", "51 b", 3)
    assert (stk3.metadata["chapter"], stk3.metadata["afsnit"]) == ("2", "Afsnit I. Almindelige bestemmelser")
    first = by_id(chunks, "proeveboligloven:§51b:stk1")[0]
    assert first.metadata["legal_refs"].split() == [
        "proeveboligloven:§51b", "proeveboligloven:§51b:stk1",
        "proeveboligloven:§51b:stk1:nr1", "proeveboligloven:§51b:stk1:nr2"]
    assert "\n1) Den boligsøgende har haft ophold" in first.text and "\n2) Den boligsøgende" in first.text
    single = by_id(chunks, "proeveboligloven:§165a")[0]  # a § with one stk. is cited without 'stk. 1'
    assert single.text.startswith("Prøveboligloven § 165 a\nKommunalbestyrelsen kan i særlige tilfælde")
    grouped = by_id(chunks, "proeveboligloven:§51a:stk1")[0]
    assert grouped.metadata["context"].endswith("Kapitel 2. Udlejning af prøveboliger > Afvisning af boligsøgende > § 51 a")


def test_chunks_carry_the_acts_type_number_date_and_title() -> None:
    for chunk in chunks_of(f"{V2}.txt"):
        meta = chunk.metadata
        assert meta["title"] == "Bekendtgørelse af lov om prøveboliger m.v."
        assert (meta["act_type"], meta["act_number"], meta["act_date"]) == ("LBK", "123", "2026-01-25")
        assert (meta["version"], meta["valid_from"], meta["kind"]) == ("LBK nr. 123 af 25/01/2026", "2026-01-25", "lov")
    # A title given by the caller wins over the act's own.
    given = chunks_of(f"{V2}.txt", base={"title": "Prøveboligloven (min kopi)"})
    assert {c.metadata["title"] for c in given} == {"Prøveboligloven (min kopi)"}


def test_placeholders_are_units_of_their_own_citing_every_number_they_stand_for() -> None:
    chunks = chunks_of(f"{V2}.txt")
    repealed = by_id(chunks, "proeveboligloven:§3")[0]
    assert repealed.text == "Prøveboligloven §§ 3-4\n(Ophævet)"
    assert (repealed.metadata["paragraph_end"], repealed.metadata["placeholder"]) == ("4", "Ophævet")
    assert repealed.metadata["legal_refs"].split() == [
        "proeveboligloven:§3", "proeveboligloven:§4", "proeveboligloven:§3:stk1"]
    stk4 = by_id(chunks, "proeveboligloven:§164:stk4")[0]
    assert stk4.text == "Prøveboligloven § 164, stk. 4\nStk. 4. (Ophævet)"
    assert stk4.metadata["placeholder"] == "Ophævet"
    omitted = by_id(chunks, "proeveboligloven:§170:stk2")[0]
    assert (omitted.metadata["placeholder"], omitted.metadata.get("stk_end")) == ("Udelades", None)
    # Nothing glued to the unit before: § 164, stk. 3 ends with its own last sentence.
    assert by_id(chunks, "proeveboligloven:§164:stk3")[0].text.endswith("sammen med referatet af dialogmødet.")


def test_amending_acts_sections_and_notes_are_chunks_without_the_acts_ids() -> None:
    chunks = chunks_of(f"{V2}.txt")
    amending = [c for c in chunks if c.metadata.get("amending_act")]
    assert [c.metadata["amending_act"] for c in amending] == [
        "Lov nr. 310 af 14. marts 2025", "Lov nr. 1190 af 12. december 2025"]
    for chunk in amending:
        assert not chunk.metadata.get("legal_id") and not chunk.metadata.get("legal_refs")
    assert amending[0].text.split("\n")[1:] == ["§ 4", "Loven træder i kraft den 1. juli 2025.", "Stk. 2-5. (Udelades)"]
    assert amending[0].metadata["context"] == "Ikrafttrædelsesbestemmelser > Lov nr. 310 af 14. marts 2025, § 4"
    notes = [c for c in chunks if c.metadata.get("context") == "Officielle noter"]
    assert len(notes) == 1 and notes[0].text.startswith("1) Loven indeholder bestemmelser, der gennemfører")
    header = chunks[0]
    assert header.metadata["context"] == "Bekendtgørelse af lov om prøveboliger m.v. > Indledning"
    assert "Herved bekendtgøres" in header.text and not header.metadata.get("legal_id")
    assert by_id(chunks, "proeveboligloven:§52a")[0].text.endswith("om opfølgning på prøvelejemål.")  # marker '2)' gone


def test_a_long_list_is_split_between_items_each_part_led_by_its_lead_in() -> None:
    chunks = chunks_of(f"{V2}.txt", size=400)
    parts = by_id(chunks, "proeveboligloven:§50:stk1")
    assert [c.metadata["part"] for c in parts] == [1, 2] and {c.metadata["parts"] for c in parts} == {2}
    assert parts[0].text.split("\n")[1].startswith("Kommunalbestyrelsen og boligorganisationen kan indgå aftale")
    # The second part repeats the lead-in's last sentence and the item its litra b) belongs to.
    assert parts[1].text.split("\n")[:4] == [
        "Prøveboligloven § 50, stk. 1", "… Aftalen skal indeholde:", "2) kriterierne for anvisning, herunder",
        "b) hensyn til boligsøgende, der har boet på et herberg i mindst 3 måneder, og"]
    listed = by_id(chunks, "proeveboligloven:§164:stk2")
    assert all("Drøftelsen skal omfatte:" in c.text for c in listed)
    assert {c.metadata["afsnit"] for c in listed} == {"Afsnit II. Tilsyn"}  # the Afsnit survives the split
    for chunk in chunks:
        assert len(chunk.text) <= 400 + 60, chunk.metadata.get("legal_id")
