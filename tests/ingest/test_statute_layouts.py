"""Official statute layouts vs truth files: line, inline, retsinformation HTML, its PDF print, LexDania XML.

The fixtures under statutes/ are an invented act ("lov om prøveboliger") written in the style of a
consolidated act (LBK): Afsnit and Kapitel headings with titles, lettered §§ ("§ 51 b."), items "1)"
and litra "a)", placeholders ("§§ 3-4. (Ophævet)", "Stk. 4. (Ophævet)", "Stk. 2-5. (Udelades)"), a
mellemrubrik, note markers, the amending acts' ikrafttrædelse sections and the official notes. Two
versions differ in one stk. (§ 51 b, stk. 3: 8 weeks in LBK 118/2025, 6 weeks in LBK 123/2026). Each
truth file lists every unit the parser must find, in order, with how its text starts.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ingest.legal_structure import LegalDocument, parse_legal_text
from ingest.loaders import load_file

MB = 1024 * 1024
STATUTES = Path(__file__).resolve().parent / "statutes"
V2 = "proeveboligloven-lbk-123-2026"
V1 = "proeveboligloven-lbk-118-2025"
LAYOUTS = ("lines", "inline", "html", "xml", "pdf")


def truth(stem: str) -> dict[str, Any]:
    return json.loads((STATUTES / f"{stem}.truth.json").read_text(encoding="utf-8"))


def render_pdf(lines_file: Path, out: Path, *, header: str, footer: str) -> Path:
    """The line layout printed as retsinformation prints it: act title on top, 'LBK ... Side n af N' below."""
    from fpdf import FPDF

    class Print(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, header, new_x="LMARGIN", new_y="NEXT")
            self.ln(3)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, f"{footer}    Side {self.page_no()} af {{nb}}", align="C")

    pdf = Print(format=(148, 210))  # A5
    pdf.set_creator("test")
    pdf.set_creation_date(datetime(2026, 1, 25, tzinfo=UTC))  # the same bytes on every run
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in lines_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(2)
    pdf.output(str(out))
    return out


def fixture_file(stem: str, layout: str, tmp_path: Path) -> Path:
    if layout == "pdf":
        facts = truth(stem)
        return render_pdf(STATUTES / f"{stem}.txt", tmp_path / f"{stem}.pdf", header=facts["title"],
                          footer=facts["version"])
    name = {"lines": f"{stem}.txt", "inline": f"{stem}-inline.txt", "html": f"{stem}.html", "xml": f"{stem}.xml"}
    return STATUTES / name[layout]


def parse(path: Path) -> LegalDocument:
    legal = parse_legal_text(load_file(path, max_bytes=5 * MB))
    assert legal is not None, path.name
    return legal


def ref_of(paragraph: str, stk: int) -> str:
    return f"§{paragraph.replace(' ', '')}:stk{stk}"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def assert_matches_truth(legal: LegalDocument, facts: dict[str, Any]) -> None:
    assert (legal.act, legal.title, legal.kind) == (facts["act"], facts["title"], facts["kind"])
    assert (legal.act_type, legal.act_number, legal.act_date, legal.version) == (
        facts["act_type"], facts["act_number"], facts["act_date"], facts["version"])
    assert legal.valid_from == facts["act_date"]
    assert norm(legal.preamble[0]).startswith(facts["preamble_starts"])
    assert legal.parts == facts["parts"]
    assert [c.label for c in legal.chapters] == facts["chapters"]

    provisions = {id(u): p for p in legal.provisions for u in p.units}
    assert [ref_of(u.paragraph, u.stk) for u in legal.units] == [t["ref"] for t in facts["units"]]
    for unit, want in zip(legal.units, facts["units"], strict=True):
        where = want["ref"]
        provision = provisions[id(unit)]
        assert unit.chapter is not None and unit.chapter.number == want["chapter"], where
        assert unit.chapter.part.startswith(f"Afsnit {want['part']}."), where
        assert unit.section == want.get("section", ""), where
        assert norm(unit.text).startswith(want["starts"]), (where, unit.text[:80])
        assert not unit.text.startswith(("Stk.", "§")), where  # the marker is not part of the text
        assert unit.placeholder == want.get("placeholder", ""), where
        assert unit.notes == want.get("notes", []), where  # the marker '2)' left the text, its number stayed
        assert not re.search(r"[a-zæøå.]\d\)", unit.text), where
        assert provision.paragraph_end == want.get("paragraph_end", ""), where
        assert unit.stk_end == want.get("stk_end"), where
        assert [[i.nr, i.litra] for i in unit.items] == want.get("items", []), where
        starts = want.get("item_starts", [])
        assert len(starts) == len(unit.items), where
        for item, start in zip(unit.items, starts, strict=True):
            assert norm(item.text).startswith(start), (where, item.text[:60])

    assert [a.label for a in legal.amendments] == [a["label"] for a in facts["amendments"]]
    for amendment, want_a in zip(legal.amendments, facts["amendments"], strict=True):
        assert norm(amendment.intro).startswith(want_a["intro_starts"])
        assert [p.paragraph for p in amendment.provisions] == [p["paragraph"] for p in want_a["paragraphs"]]
        for provision, want_p in zip(amendment.provisions, want_a["paragraphs"], strict=True):
            got = [(u.stk, u.stk_end, u.placeholder) for u in provision.units]
            assert got == [(u["stk"], u.get("stk_end"), u.get("placeholder", "")) for u in want_p["units"]]
            for unit, want_u in zip(provision.units, want_p["units"], strict=True):
                assert norm(unit.text).startswith(want_u["starts"])

    assert [n.nr for n in legal.notes] == [n["nr"] for n in facts["notes"]]
    for note, want_n in zip(legal.notes, facts["notes"], strict=True):
        assert norm(note.text).startswith(want_n["starts"])
    assert legal.trailing and norm(legal.trailing[0][0]).startswith(facts["signature_starts"])
    # Nothing of the notes or the signature leaks into the act's own units.
    for unit in legal.units:
        assert "Officielle noter" not in unit.text and "ministeriet, den" not in unit.text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_of_the_act_matches_its_truth_file(layout: str, tmp_path: Path) -> None:
    assert_matches_truth(parse(fixture_file(V2, layout, tmp_path)), truth(V2))


@pytest.mark.parametrize("layout", ["lines", "pdf"])
def test_the_earlier_version_matches_its_truth_file(layout: str, tmp_path: Path) -> None:
    assert_matches_truth(parse(fixture_file(V1, layout, tmp_path)), truth(V1))


def unit_texts(legal: LegalDocument) -> dict[str, tuple[str, list[str]]]:
    return {ref_of(u.paragraph, u.stk): (norm(u.text), [norm(i.text) for i in u.items]) for u in legal.units}


def test_every_layout_gives_the_same_units_word_for_word(tmp_path: Path) -> None:
    parsed = {layout: parse(fixture_file(V2, layout, tmp_path)) for layout in LAYOUTS}
    reference = unit_texts(parsed["lines"])
    assert len(reference) == len(truth(V2)["units"])
    for layout, legal in parsed.items():
        assert unit_texts(legal) == reference, layout
        assert [(n.nr, norm(n.text)) for n in legal.notes] == [(n.nr, norm(n.text)) for n in parsed["lines"].notes]


def test_the_two_versions_differ_in_one_stk_only(tmp_path: Path) -> None:
    old, new = parse(fixture_file(V1, "lines", tmp_path)), parse(fixture_file(V2, "lines", tmp_path))
    before, after = unit_texts(old), unit_texts(new)
    assert before.keys() == after.keys()
    changed = [ref for ref in after if before[ref] != after[ref]]
    assert changed == ["§51b:stk3"]
    assert "senest 8 uger" in before["§51b:stk3"][0] and "senest 6 uger" in after["§51b:stk3"][0]
    assert (old.version, new.version) == ("LBK nr. 118 af 20/01/2025", "LBK nr. 123 af 25/01/2026")
    assert (old.act_date, new.act_date) == ("2025-01-20", "2026-01-25")


def test_pdf_running_header_and_page_footer_are_not_text(tmp_path: Path) -> None:
    legal = parse(fixture_file(V2, "pdf", tmp_path))
    pages = {u.page_start for u in legal.units}
    assert len(pages) >= 3  # the print runs over several pages, so the running lines repeat
    for unit in legal.units:
        assert "Side " not in unit.text and "LBK nr. 123" not in unit.text, unit.ref
        assert "Bekendtgørelse af lov om" not in unit.text, unit.ref
    # The title comes from the title block, not from the running header or the file name.
    assert legal.title == "Bekendtgørelse af lov om prøveboliger m.v."
