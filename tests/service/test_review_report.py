"""review_report end to end: previous year and referat from the knowledge base, the note, and bad input."""

from __future__ import annotations

import re
import time
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from ingest.builtin import CORPUS_DIR
from ingest.errors import LoadError
from ingest.pipeline import SAMPLES_DIR, ingest_file, sample_files
from ingest.samples.manifest import load_manifest
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from service.review.errors import NotAReportError, PreviousReportError
from service.review.note import DRAFT_MARK
from service.review.review import RULE_KINDS, Review, review_report

CORPUS_FILES = ("noegletal.md", "bestemmelse-almenboligloven-14b.md", "regnskab-og-kritisk-gennemgang.md",
                "effektivisering.md")
SAMPLE_FILES = ("styringsrapport-2025-fjordbo.pdf", "referat-dialogmoede-2025-fjordbo.pdf",
                "styringsrapport-2025-lindegaarden.pdf", "referat-dialogmoede-2025-lindegaarden.pdf")
NOTE_HEADINGS = ("Sammenfatning", "Nøgletal", "Punkter til opfølgning", "Opfølgning på sidste års aftaler",
                 "Forslag til dagsorden", "Spørgsmål til boligorganisationen", "Referenceniveauer")


def build_review_kb(home: Path) -> KnowledgeBase:
    """Fake embeddings; a few guidance notes plus last year's reports and referater of Fjordbo and Lindegården."""
    kb = KnowledgeBase(Settings(home=home, embedding_backend="fake"))
    for name in CORPUS_FILES:
        assert ingest_file(kb, CORPUS_DIR / name, id_prefix="builtin", builtin=True).status == "added"
    meta = {p.name: m for p, m in sample_files()}
    for name in SAMPLE_FILES:
        result = ingest_file(kb, SAMPLES_DIR / name, id_prefix="sample", **meta[name])
        assert result.status == "added", result.message
    return kb


@pytest.fixture(scope="module")
def review_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return build_review_kb(tmp_path_factory.mktemp("review-kb"))


def run_review(kb: KnowledgeBase, name: str, **kwargs: object) -> Review:
    return review_report(SAMPLES_DIR / name, kb=kb, settings=kb.settings, **kwargs)  # type: ignore[arg-type]


def docx_text(path: Path) -> tuple[list[tuple[str, str]], list[list[list[str]]], str]:
    """(headings as (style, text), tables as rows of cells, all text in document order) of a .docx."""
    document = docx.Document(str(path))
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading") or p.style.name == "Title"]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    parts: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            parts.extend(c.text for row in item.rows for c in row.cells)
        else:
            parts.append(item.text)
    return headings, tables, " ".join(parts)


def markdown_words(md: str) -> list[str]:
    """The words of a Markdown note without its markup."""
    lines = []
    for line in md.splitlines():
        if re.fullmatch(r"\|(?:---\|)+", line.strip()):
            continue
        line = re.sub(r"^#+\s", "", line)
        line = re.sub(r"^- ", "", line)  # bullets are a list style in Word; numbers are written out in both
        line = line.replace("**", "").replace("\\|", "\x00").replace("|", " ").replace("\x00", "|")
        lines.append(line)
    return " ".join(lines).split()


def test_review_finds_last_year_and_the_referat_in_the_knowledge_base(review_kb: KnowledgeBase) -> None:
    started = time.perf_counter()
    review = run_review(review_kb, "styringsrapport-2026-fjordbo.pdf")
    seconds = time.perf_counter() - started
    print(f"\nGennemgang af én rapport (falske embeddings): {seconds:.2f} s")
    assert review.organisation == "Boligselskabet Fjordbo" and review.year == 2026
    assert review.previous is not None and "Styringsrapport 2025" in (review.previous_origin or "")
    assert review.previous.get("husleje_pr_m2", 3).value == 934  # type: ignore[union-attr]
    assert review.referat_title and "Referat af dialogmøde" in review.referat_title
    manifest = load_manifest(SAMPLES_DIR / "manifest.json")
    expected = {s.agreement_number: s for s in manifest.file("styringsrapport-2026-fjordbo.pdf").status_statements}
    statuses = {fu.agreement.number: fu for fu in review.followups}
    assert set(statuses) == set(expected)
    for number, statement in expected.items():
        fu = statuses[number]
        want = "ikke_omtalt" if statement.status == "ikke_naevnt" else statement.status
        assert fu.status == want, (number, fu.status, fu.statement)
        assert fu.page == statement.page
    flagged = {c.item.id for c in review.flagged}
    assert {"lejeledighed", "tab_ved_lejeledighed", "fraflytning", "effektivitet", "fraflytning_udvikling"} <= flagged
    for item_id in flagged:
        cites = review.citations[item_id]
        assert cites and all(c.kind in RULE_KINDS and c.label and c.quote for c in cites)
    data = review.to_dict()
    assert data["organisation"] == "Boligselskabet Fjordbo" and data["year"] == 2026 and data["summary"]
    assert data["figures"] and data["checks"] and len(data["agreements"]) == 4


def test_note_in_markdown_and_word_say_the_same(review_kb: KnowledgeBase, tmp_path: Path) -> None:
    review = run_review(review_kb, "styringsrapport-2026-lindegaarden.pdf")
    md = review.markdown
    docx_path = review.write_docx(tmp_path / "notat.docx")
    md_path = review.write_markdown(tmp_path / "notat.md")
    assert md_path.read_text(encoding="utf-8") == md
    headings, tables, text = docx_text(docx_path)
    heading_texts = [t for _, t in headings]
    assert headings[0] == ("Title", review.note.title)
    for wanted in NOTE_HEADINGS:
        assert wanted in heading_texts and f"\n## {wanted}\n" in md
    assert any(style == "Heading 2" and text == "Afdelingerne" for style, text in headings)
    key_table = next(t for t in tables if t[0][:3] == ["Afdeling", "Nøgletal", "I år (side)"])
    row = next(r for r in key_table if r[0] == "Afd. 1 Lindehaven" and r[1] == "Opsparede henlæggelser pr. bolig")
    assert row[2] == "9.800 kr. pr. bolig (s. 3)" and row[3].startswith("12.400 kr. pr. bolig") and row[4] == "-21,0 %"
    assert row[5] == "44.300 kr. pr. bolig (2019)"
    assert DRAFT_MARK in text and DRAFT_MARK in md
    assert markdown_words(md) == text.split()
    # every rule cites its source, every figure its page
    assert "LBF temastatistik 2021:3" in md and "(s. 2)" in md and "(s. 3)" in md
    assert "Organisationen vurderer, at vedligeholdelsesstanden" in md  # the contradiction is quoted
    assert "Aftale 5" in md and "ikke opfyldt" in md and "ikke omtalt" in md


def test_previous_report_from_another_organisation_is_refused(review_kb: KnowledgeBase) -> None:
    with pytest.raises(PreviousReportError) as info:
        run_review(review_kb, "styringsrapport-2026-fjordbo.pdf",
                   previous_path=SAMPLES_DIR / "styringsrapport-2025-lindegaarden.pdf")
    assert "Boligforeningen Lindegården" in info.value.message and "Boligselskabet Fjordbo" in info.value.message
    with pytest.raises(PreviousReportError, match="styringsåret 2026"):
        run_review(review_kb, "styringsrapport-2025-fjordbo.pdf",
                   previous_path=SAMPLES_DIR / "styringsrapport-2026-fjordbo.pdf")
    # the right one is accepted, given explicitly
    review = run_review(review_kb, "styringsrapport-2026-fjordbo.pdf",
                        previous_path=SAMPLES_DIR / "styringsrapport-2025-fjordbo.pdf")
    assert "angivet af brugeren" in (review.previous_origin or "")


def _pdf(path: Path, lines: list[str], *, title: str = "") -> Path:
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_a_document_that_is_not_a_styringsrapport(review_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = _pdf(tmp_path / "menu.pdf", ["Kantinens menu i uge 12", "Mandag: Frikadeller med kartofler.",
                                        "Tirsdag: Fiskefrikadeller. Pris 45 kr."], title="Kantinens menu")
    with pytest.raises(NotAReportError) as info:
        review_report(path, kb=review_kb, settings=review_kb.settings)
    message = info.value.message
    assert message.startswith("Fandt ingen nøgletal – er det en styringsrapport?")
    assert "Kantinens menu" in message and "1 sider" in message


def test_a_scanned_pdf_gives_the_loaders_message(review_kb: KnowledgeBase, tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(80, 80, 80)
    for i in range(12):  # 'scanned' lines: shapes, no text layer
        pdf.rect(20, 20 + i * 9, 170, 5, style="F")
    path = tmp_path / "scannet.pdf"
    pdf.output(str(path))
    with pytest.raises(LoadError, match="scannet PDF"):
        review_report(path, kb=review_kb, settings=review_kb.settings)


def test_a_report_with_missing_sections_still_gives_a_note(review_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "styringsrapport-2026-havnely.txt"
    path.write_text(
        "Styringsrapport 2026 – Boligforeningen Havnely\n\n"
        "Tilsynskommune: Egeskov Kommune\n\n"
        "Økonomi\n\n"
        "Dispositionsfonden udgjorde 4,2 mio. kr. ved udgangen af 2025.\n"
        "Restancerne var 180 t.kr.\n\n"
        "Afd. 1 Havnely har et effektivitetstal på 66 %.\n", encoding="utf-8")
    review = review_report(path, kb=review_kb, settings=review_kb.settings)
    status = {c.item.id: c for c in review.checks}
    assert status["effektivitet"].status == "følg op"
    assert status["opsparede_henlaeggelser"].status == "mangler data"
    assert "opsparede henlæggelser" in status["opsparede_henlaeggelser"].findings[0].reason
    assert status["restancer"].status == "mangler data"  # no previous year anywhere
    assert review.referat_title is None and review.previous is None
    assert any("2025" in w for w in review.warnings)
    md = review.markdown
    assert "mangler data" in md and "Der er ikke fundet et referat" in md
    review.write_docx(tmp_path / "notat.docx")
    assert docx.Document(str(tmp_path / "notat.docx")).paragraphs


def test_org_and_year_can_be_given_when_the_report_does_not_say(review_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "noegletal.txt"
    path.write_text("Nøgletal\n\nAfd. 3 Fjordparken: husleje 990 kr. pr. m², 8 ledige boliger, "
                    "effektivitetstal 77 %.\n", encoding="utf-8")
    bare = review_report(path, kb=review_kb, settings=review_kb.settings)
    assert bare.organisation is None and any("--org" in w for w in bare.warnings)
    given = review_report(path, kb=review_kb, settings=review_kb.settings, org="Boligselskabet Fjordbo", year=2026)
    assert given.organisation == "Boligselskabet Fjordbo" and given.year == 2026
    assert given.previous is not None and given.referat_title is not None  # found with the given identity
    change = next(c for c in given.checks if c.item.id == "ledige_boliger_udvikling")
    assert change.status == "følg op"  # 4 -> 8 ledige boliger in Fjordparken
