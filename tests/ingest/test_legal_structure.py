"""The legal-structure parser on the fictional act in PDF, HTML and text, and on tricky line layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.legal_structure import LegalDocument, detect_kind, parse_legal_text, parse_version
from ingest.loaders import load_file
from knowledge.types import Block, LoadedDocument


def parse(path: Path) -> LegalDocument:
    legal = parse_legal_text(load_file(path, max_bytes=5 * 1024 * 1024))
    assert legal is not None
    return legal


def doc_from_lines(title: str, lines: list[str], *, page_of=None, metadata=None) -> LoadedDocument:
    blocks = [Block(line, "paragraph", 0, page_of(i) if page_of else None) for i, line in enumerate(lines)]
    return LoadedDocument(path="x.txt", title=title, blocks=blocks, fmt="txt", metadata=metadata or {})


EXPECTED_IDS = [
    "proeveboligloven:§1:stk1", "proeveboligloven:§1:stk2", "proeveboligloven:§2:stk1",
    "proeveboligloven:§3:stk1", "proeveboligloven:§3:stk2", "proeveboligloven:§3:stk3",
    "proeveboligloven:§4:stk1", "proeveboligloven:§12:stk1", "proeveboligloven:§12a:stk1",
    "proeveboligloven:§12a:stk2", "proeveboligloven:§13:stk1",
]


@pytest.mark.parametrize("fixture", ["act_pdf", "act_html", "act_txt"])
def test_the_act_parses_the_same_from_every_format(fixture: str, request: pytest.FixtureRequest) -> None:
    legal = parse(request.getfixturevalue(fixture))
    assert legal.act == "proeveboligloven"
    assert legal.kind == "lov"
    assert legal.title == "Lov om prøveboliger"
    assert legal.version == "Lov nr. 512 af 3. juni 2021"
    assert legal.valid_from == "2021-06-03"
    assert [c.label for c in legal.chapters] == [
        "Kapitel 1. Formål og anvendelsesområde", "Kapitel 2. Udlejning af prøveboliger",
        "Kapitel 3. Tilsyn", "Kapitel 4. Ikrafttræden",
    ]
    assert [u.ref.canonical_id for u in legal.units] == EXPECTED_IDS
    twelve_a = [u for u in legal.units if u.paragraph == "12 a"]
    assert [u.stk for u in twelve_a] == [1, 2]
    assert twelve_a[0].chapter is not None and twelve_a[0].chapter.label == "Kapitel 3. Tilsyn"
    assert twelve_a[1].text.startswith("Boligorganisationen indsender hvert år")
    assert twelve_a[1].ref.label == "prøveboligloven § 12 a, stk. 2"


def test_numbered_items_and_litra_inside_a_stk(act_txt: Path) -> None:
    stk2 = next(u for u in parse(act_txt).units if u.ref.canonical_id == "proeveboligloven:§3:stk2")
    assert [(i.nr, i.litra) for i in stk2.items] == [(1, None), (2, None), (2, "a"), (2, "b"), (3, None)]
    assert stk2.items[3].text == "hensyn til personer med tilknytning til arbejdsmarkedet, og"
    assert stk2.text.split("\n") == [
        "En aftale efter stk. 1 skal indeholde:",
        "1) de afdelinger, som aftalen omfatter,",
        "2) kriterierne for udlejning, herunder",
        "a) hensyn til børnefamilier og",
        "b) hensyn til personer med tilknytning til arbejdsmarkedet, og",
        "3) aftalens varighed, som højst kan være 4 år.",
    ]
    assert [r.canonical_id for r in stk2.item_refs()] == [
        "proeveboligloven:§3:stk2:nr1", "proeveboligloven:§3:stk2:nr2", "proeveboligloven:§3:stk2:nr3",
    ]


def test_pdf_headers_footers_and_page_numbers_do_not_leak(act_pdf: Path) -> None:
    legal = parse(act_pdf)
    for unit in legal.units:
        assert "Side" not in unit.text, unit.text
        assert "Lov om prøveboliger" not in unit.text
        assert not any(line.strip().isdigit() for line in unit.text.split("\n"))
    assert [u.pages for u in legal.units if u.paragraph in ("3", "12 a", "13")] == [(2, 2)] * 3 + [(3, 3)] * 2 + [(4, 4)]


def test_page_noise_lines_are_stripped_by_the_parser_too() -> None:
    lines = [
        "Lov om prøveboliger", "Kapitel 1", "Formål",
        "§ 1. Loven gælder for alle almene boligorganisationer",
        "Side 3 af 12",
        "og deres afdelinger.",
        "7",
        "Stk. 2. Loven gælder også for selvejende institutioner.",
    ]
    legal = parse_legal_text(doc_from_lines("Lov om prøveboliger", lines))
    assert legal is not None
    assert [u.text for u in legal.units] == [
        "Loven gælder for alle almene boligorganisationer og deres afdelinger.",
        "Loven gælder også for selvejende institutioner.",
    ]


def test_in_text_references_are_not_new_paragraphs() -> None:
    lines = [
        "Lov om prøveboliger",
        "§ 5. Kommunalbestyrelsen kan kræve oplysninger, jf. § 3, stk. 2, og kan fastsætte en frist, jf.",
        "§ 9. Fristen skal være rimelig.",  # wrapped reference after "jf."
        "Stk. 2. Oplysningerne gives efter reglerne i",
        "§ 7. i lov om almene boliger.",  # wrapped reference after "i"
        "§ 3. Denne linje står efter § 5 og er derfor en henvisning.",  # out of order
        "§ 6. Næste paragraf.",
    ]
    legal = parse_legal_text(doc_from_lines("Lov om prøveboliger", lines))
    assert legal is not None
    assert [p.paragraph for p in legal.provisions] == ["5", "6"]
    five = legal.provisions[0]
    assert [u.stk for u in five.units] == [1, 2]
    assert five.units[0].text.endswith("jf. § 9. Fristen skal være rimelig.")
    assert "§ 7. i lov om almene boliger." in five.units[1].text
    assert "§ 3. Denne linje" in five.units[1].text


def test_chapter_heading_on_the_same_line_and_section_headings() -> None:
    lines = [
        "Bekendtgørelse om drift af almene boliger m.v.",
        "BEK nr 70 af 26/01/2018",
        "Kapitel 21. Tilsyn og styringsdialog",
        "Styringsdialog",
        "§ 115. Kommunalbestyrelsen og boligorganisationen fører styringsdialog.",
        "§ 116. Dialogen dokumenteres.",
        "Indenrigs- og Boligministeriet, den 26. januar 2018.",
        "§ 999. Efter underskriften: ikke en del af bekendtgørelsen.",
    ]
    legal = parse_legal_text(doc_from_lines(lines[0], lines))
    assert legal is not None
    assert legal.act == "driftsbekendtgoerelsen"
    assert legal.kind == "bekendtgoerelse"
    assert (legal.version, legal.valid_from) == ("BEK nr. 70 af 26/01/2018", "2018-01-26")
    assert legal.chapters[0].label == "Kapitel 21. Tilsyn og styringsdialog"
    assert [p.paragraph for p in legal.provisions] == ["115", "116"]
    assert legal.provisions[0].section == "Styringsdialog"
    assert legal.provisions[1].section == ""
    assert legal.units[-1].text == "Dialogen dokumenteres."
    assert [t for t, _ in legal.trailing] == lines[-2:]  # kept aside, not lost


def test_documents_that_are_not_legislation_return_none() -> None:
    note = doc_from_lines("Vejledning om almenboligloven", ["§ 164. er central for styringsdialogen."])
    assert parse_legal_text(note) is None
    unknown = doc_from_lines("Lov om noget helt andet", ["§ 1. Tekst.", "§ 2. Mere tekst."])
    parsed = parse_legal_text(unknown)  # an act outside the registry is legislation too, keyed by its title
    assert parsed is not None and parsed.act == "lov_om_noget_helt_andet"
    no_paragraphs = doc_from_lines("Lov om almene boliger", ["Loven omtales her uden paragraffer."])
    assert parse_legal_text(no_paragraphs) is None
    guidance = doc_from_lines("Lov om almene boliger", ["§ 1. Tekst."], metadata={"kind": "vejledning"})
    assert parse_legal_text(guidance) is None


def test_act_can_be_found_in_the_first_lines_when_the_title_is_a_file_name() -> None:
    lines = ["Bekendtgørelse af lov om almene boliger m.v.", "LBK nr. 1278 af 18/11/2015",
             "§ 164. Kommunalbestyrelsen fører tilsyn med de almene boligorganisationer."]
    legal = parse_legal_text(doc_from_lines("lbk-2015-1278", lines))
    assert legal is not None
    assert (legal.act, legal.kind, legal.version, legal.valid_from) == (
        "almenboligloven", "lov", "LBK nr. 1278 af 18/11/2015", "2015-11-18")
    assert legal.units[0].ref.canonical_id == "almenboligloven:§164:stk1"


@pytest.mark.parametrize(
    "text, version, iso",
    [
        ("LBK nr 1278 af 18/11/2015", "LBK nr. 1278 af 18/11/2015", "2015-11-18"),
        ("Bekendtgørelse nr. 70 af 26. januar 2018", "Bekendtgørelse nr. 70 af 26. januar 2018", "2018-01-26"),
        ("Lov nr. 374 af 22. maj 1996", "Lov nr. 374 af 22. maj 1996", "1996-05-22"),
        ("Ingen version her", "", ""),
    ],
)
def test_parse_version(text: str, version: str, iso: str) -> None:
    assert parse_version(text) == (version, iso)


def test_detect_kind_from_title() -> None:
    assert detect_kind("Bekendtgørelse af lov om almene boliger m.v.", "almenboligloven") == "lov"
    assert detect_kind("Bekendtgørelse om udlejning af almene boliger m.v.", "udlejningsbekendtgoerelsen") == "bekendtgoerelse"
    assert detect_kind("Lov om prøveboliger", "proeveboligloven") == "lov"
    assert detect_kind("driftsbekendtgørelsen", "driftsbekendtgoerelsen") == "bekendtgoerelse"


def test_nr_style_items_and_wrapped_item_text() -> None:
    lines = [
        "Lov om prøveboliger",
        "§ 5. Kommunalbestyrelsen kan",
        "Nr. 1. anvise prøvelejere til ledige boliger i de afdelinger, som aftalen",
        "omfatter, og",
        "Nr. 2. kræve en redegørelse fra boligorganisationen.",
    ]
    legal = parse_legal_text(doc_from_lines("Lov om prøveboliger", lines))
    assert legal is not None
    unit = legal.units[0]
    assert [(i.nr, i.text) for i in unit.items] == [
        (1, "anvise prøvelejere til ledige boliger i de afdelinger, som aftalen omfatter, og"),
        (2, "kræve en redegørelse fra boligorganisationen."),
    ]
    assert unit.text.split("\n") == [
        "Kommunalbestyrelsen kan",
        "Nr. 1. anvise prøvelejere til ledige boliger i de afdelinger, som aftalen omfatter, og",
        "Nr. 2. kræve en redegørelse fra boligorganisationen.",
    ]
