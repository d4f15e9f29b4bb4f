"""The XML loader: retsinformation's structured statute text (LexDania), found by content, and plain XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import LoadError
from ingest.legal_structure import parse_legal_text
from ingest.loaders import load_file

MB = 1024 * 1024
STATUTES = Path(__file__).resolve().parent / "statutes"
V2 = STATUTES / "proeveboligloven-lbk-123-2026.xml"


def test_lexdania_metadata_gives_the_acts_type_number_date_and_title() -> None:
    doc = load_file(V2, max_bytes=5 * MB)
    assert doc.fmt == "xml" and doc.title == "Bekendtgørelse af lov om prøveboliger m.v."
    assert {k: doc.metadata[k] for k in ("title", "act_type", "act_number", "act_date", "status")} == {
        "title": "Bekendtgørelse af lov om prøveboliger m.v.", "act_type": "LBK", "act_number": "123",
        "act_date": "2026-01-25", "status": "Valid"}
    lines = [b.text for b in doc.blocks]
    # Written out in the printed layout: title with its note marker, version line, headings, § with stk. 1.
    assert lines[:4] == ["Bekendtgørelse af lov om prøveboliger m.v.1)", "LBK nr. 123 af 25/01/2026",
                         lines[2], "Afsnit I"]
    assert lines[2].startswith("Herved bekendtgøres lov om prøveboliger")
    assert "§ 51 b. Kommunalbestyrelsen kan beslutte" in " ".join(lines)
    assert lines[lines.index("§ 4") - 1].endswith("indeholder følgende ikrafttrædelsesbestemmelse:")
    assert lines[-3:] == ["Officielle noter", lines[-2], "2) Bestemmelsen er indsat ved lov nr. 640 af 11. juni 2024."]


@pytest.mark.parametrize("suffix", [".html", ".txt"])
def test_statute_xml_saved_under_another_name_is_read_as_xml(suffix: str, tmp_path: Path) -> None:
    saved = tmp_path / f"lbk-123{suffix}"
    saved.write_bytes(V2.read_bytes())
    doc = load_file(saved, max_bytes=5 * MB)
    assert doc.fmt == "xml" and doc.metadata["act_number"] == "123"
    legal = parse_legal_text(doc)
    assert legal is not None and len(legal.units) == 27


def test_a_bekendtgoerelse_in_xml_is_recorded_as_bek(tmp_path: Path) -> None:
    path = tmp_path / "bek.xml"
    path.write_text(
        "<?xml version='1.0' encoding='utf-8'?><Dokument><Meta><DocumentType>BEK H#LOKDOK03</DocumentType>"
        "<DocumentTitle>Bekendtgørelse om drift af almene boliger m.v.</DocumentTitle><Year>2099</Year>"
        "<Number>77</Number><DiesSigni>2099-03-01</DiesSigni></Meta><DokumentIndhold>"
        "<Kapitel><Explicatus>Kapitel 1</Explicatus><Rubrica>Prøvetekst</Rubrica>"
        "<Paragraf><Explicatus>§ 1.</Explicatus><Stk><Exitus><Linea><Char>Opdigtet tekst til test.</Char></Linea>"
        "</Exitus></Stk><Stk><Explicatus>Stk. 2.</Explicatus><Exitus><Linea><Char>Endnu en opdigtet sætning."
        "</Char></Linea></Exitus></Stk></Paragraf></Kapitel></DokumentIndhold></Dokument>",
        encoding="utf-8",
    )
    legal = parse_legal_text(load_file(path, max_bytes=MB))
    assert legal is not None
    assert (legal.act, legal.kind, legal.title) == (
        "driftsbekendtgoerelsen", "bekendtgoerelse", "Bekendtgørelse om drift af almene boliger m.v.")
    assert (legal.act_type, legal.act_number, legal.act_date, legal.version) == (
        "BEK", "77", "2099-03-01", "BEK nr. 77 af 01/03/2099")
    assert [(u.paragraph, u.stk, u.text) for u in legal.units] == [
        ("1", 1, "Opdigtet tekst til test."), ("1", 2, "Endnu en opdigtet sætning.")]


@pytest.mark.parametrize("declaration", [
    "<!DOCTYPE Dokument [<!ENTITY a 'aaaaaaaaaa'>]>", "<!DOCTYPE Dokument SYSTEM 'file:///etc/passwd'>",
])
def test_doctype_and_entity_declarations_are_refused(declaration: str, tmp_path: Path) -> None:
    path = tmp_path / "lov.xml"
    path.write_text(f"<?xml version='1.0'?>{declaration}<Dokument><Meta/>&a;</Dokument>", encoding="utf-8")
    with pytest.raises(LoadError, match="DOCTYPE- eller ENTITY-erklæring"):
        load_file(path, max_bytes=MB)


def test_broken_xml_gives_a_danish_message(tmp_path: Path) -> None:
    path = tmp_path / "lov.xml"
    path.write_text("<Dokument><Meta></Dokument>", encoding="utf-8")
    with pytest.raises(LoadError, match="kunne ikke læses"):
        load_file(path, max_bytes=MB)


def test_other_xml_is_read_as_text_element_by_element(tmp_path: Path) -> None:
    path = tmp_path / "liste.xml"
    path.write_text("<liste><punkt>Første punkt</punkt><punkt>Andet <b>punkt</b></punkt></liste>", encoding="utf-8")
    doc = load_file(path, max_bytes=MB)
    assert doc.fmt == "xml" and [b.text for b in doc.blocks] == ["Første punkt", "Andet punkt"]
    assert parse_legal_text(doc) is None
