"""The fictional sample documents: deterministic, committed, and true to their manifest."""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

import docx
import pypdf
import pytest

from ingest.samples import FICTION_NOTICE, Manifest, SampleFile, generate_samples, load_manifest
from ingest.samples.__main__ import main as samples_main
from ingest.samples.model import fmt_kr, fmt_mio, fmt_number, fmt_pct, fmt_tkr

COMMITTED = Path(__file__).resolve().parents[2] / "knowledge" / "samples"
REGENERATE_HINT = "Kør 'python -m ingest.samples' og commit knowledge/samples."


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    out = tmp_path_factory.mktemp("samples")
    return out, generate_samples(out)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages(path: Path) -> list[str]:
    return list(_pdf_pages(str(path), path.stat().st_mtime_ns))


@lru_cache(maxsize=64)
def _pdf_pages(path: str, _mtime: int) -> tuple[str, ...]:
    return tuple(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def docx_text(path: Path) -> list[str]:
    """Paragraph texts, then table cells row by row (' | ' joined), then header/footer text."""
    document = docx.Document(str(path))
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        out += [" | ".join(c.text for c in row.cells) for row in table.rows]
    section = document.sections[0]
    out += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return out


def file_text(path: Path) -> list[str]:
    if path.suffix == ".pdf":
        return pdf_pages(path)
    if path.suffix == ".docx":
        return docx_text(path)
    return [path.read_text(encoding="utf-8")]


def value_in(line: str, text: str) -> bool:
    """text occurs in line as a whole value (not as part of a longer number)."""
    return re.search(r"(?<![\d.,])" + re.escape(text) + r"(?![\d,]|\.\d)", line) is not None


def pdf_files(manifest: Manifest) -> list[SampleFile]:
    return [f for f in manifest.files if f.fmt == "pdf"]


# --- determinism and the committed copy -------------------------------------------------

def test_generation_is_deterministic_byte_for_byte(generated: tuple[Path, Manifest], tmp_path: Path) -> None:
    first_dir, first = generated
    assert samples_main(["--out", str(tmp_path)]) == 0
    second = load_manifest(tmp_path / "manifest.json")
    assert second.to_json() == first.to_json()
    for entry in first.files:
        assert (tmp_path / entry.path).read_bytes() == (first_dir / entry.path).read_bytes(), entry.path


def test_committed_samples_equal_a_fresh_generation(generated: tuple[Path, Manifest]) -> None:
    out, manifest = generated
    committed = json.loads((COMMITTED / "manifest.json").read_text(encoding="utf-8"))
    assert committed == json.loads(manifest.to_json()), REGENERATE_HINT
    for entry in manifest.files:
        assert (COMMITTED / entry.path).exists(), f"{entry.path} mangler. {REGENERATE_HINT}"
        assert file_text(COMMITTED / entry.path) == file_text(out / entry.path), f"{entry.path}: {REGENERATE_HINT}"
    expected = {e.path for e in manifest.files} | {"manifest.json"}
    assert {p.name for p in COMMITTED.iterdir() if p.is_file()} == expected


def test_files_are_small(generated: tuple[Path, Manifest]) -> None:
    out, manifest = generated
    sizes = {e.path: (out / e.path).stat().st_size for e in manifest.files}
    assert all(size < 100_000 for size in sizes.values()), sizes
    assert sum(sizes.values()) + (out / "manifest.json").stat().st_size < 1_000_000


# --- the inventory the brief asks for ----------------------------------------------------

def test_inventory_of_kinds_formats_and_years(generated: tuple[Path, Manifest]) -> None:
    _, manifest = generated
    reports = manifest.files_of("styringsrapport")
    orgs = {f.organisation for f in reports}
    assert orgs == {"Boligselskabet Fjordbo", "Egeskov Almene Boliger", "Boligforeningen Lindegården"}
    for org in orgs:
        pdf_years = sorted(f.year for f in reports if f.organisation == org and f.fmt == "pdf")
        assert pdf_years == [2025, 2026]
        assert all(f.regnskabsaar == f.year - 1 for f in reports)
    assert {f.organisation for f in reports if f.fmt == "docx"} == {"Boligforeningen Lindegården"}
    referater = manifest.files_of("referat")
    assert sorted(f.fmt for f in referater) == ["docx", "pdf", "pdf"]
    assert all(f.date and "2025-09-01" <= f.date <= "2025-11-30" for f in referater)
    assert [f.fmt for f in manifest.files_of("aftale")] == ["pdf"]
    assert sorted(f.fmt for f in manifest.files_of("lov")) == ["html", "pdf"]
    assert all(f.municipality == "Egeskov Kommune" for f in manifest.files)


def test_pdfs_have_running_header_and_page_footer_on_every_page(generated: tuple[Path, Manifest]) -> None:
    out, manifest = generated
    for entry in pdf_files(manifest):
        pages = pdf_pages(out / entry.path)
        assert len(pages) == entry.pages and entry.pages >= 2, entry.path
        header = pages[0].splitlines()[0]
        for n, text in enumerate(pages, start=1):
            assert text.splitlines()[0] == header, (entry.path, n)
            assert f"Side {n} af {len(pages)}" in text, (entry.path, n)
            assert FICTION_NOTICE in text, (entry.path, n)
    report = next(f for f in manifest.files if f.path == "styringsrapport-2026-fjordbo.pdf")
    assert pdf_pages(out / report.path)[1].startswith("Styringsrapport 2026 - Boligselskabet Fjordbo")
    assert report.pages == 6


def test_every_document_says_it_is_fictional(generated: tuple[Path, Manifest]) -> None:
    out, manifest = generated
    for entry in manifest.files:
        body = norm(" ".join(file_text(out / entry.path)))
        assert FICTION_NOTICE in html.unescape(body), entry.path
    for entry in pdf_files(manifest):
        meta = pypdf.PdfReader(out / entry.path).metadata
        assert FICTION_NOTICE in (meta.get("/Keywords") or ""), entry.path


# --- planted figures ---------------------------------------------------------------------

def test_pdf_figures_are_printed_on_their_stated_page_in_their_row(generated: tuple[Path, Manifest]) -> None:
    out, manifest = generated
    checked = 0
    for entry in pdf_files(manifest):
        pages = pdf_pages(out / entry.path)
        for fig in entry.figures:
            assert fig.page is not None and 1 <= fig.page <= len(pages)
            lines = [line for line in pages[fig.page - 1].splitlines() if line.startswith(fig.context)]
            assert lines, (entry.path, fig.context, fig.page)
            rest = [line[len(fig.context):] for line in lines]
            assert any(value_in(r, fig.text) for r in rest), (entry.path, fig.figure_type, fig.afdeling, fig.text)
            checked += 1
    assert checked > 300


def test_docx_figures_are_in_the_table_row_of_their_context(generated: tuple[Path, Manifest]) -> None:
    out, manifest = generated
    docx_reports = [f for f in manifest.files_of("styringsrapport") if f.fmt == "docx"]
    assert docx_reports
    for entry in docx_reports:
        document = docx.Document(str(out / entry.path))
        rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
        for fig in entry.figures:
            assert fig.page is None
            assert any(r[0] == fig.context and fig.text in r[1:] for r in rows), (entry.path, fig)
        assert len(document.tables) >= 5
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        assert "3. Afdelingernes nøgletal" in headings and "7. Organisationens bemærkninger" in headings


def test_figure_values_match_their_printed_danish_text(generated: tuple[Path, Manifest]) -> None:
    _, manifest = generated
    formats = {
        "kr": lambda v: {fmt_mio(v), fmt_tkr(v)},
        "kr/lejemålsenhed": lambda v: {fmt_kr(v)},
        "kr/m2": lambda v: {fmt_number(v), fmt_number(v, 1)},
        "kr/bolig": lambda v: {fmt_number(v)},
        "%": lambda v: {fmt_pct(v), fmt_pct(v, 0)},
        "antal": lambda v: {fmt_number(v)},
        "bool": lambda v: {"Ja" if v else "Nej"},
    }
    for entry in manifest.files_of("styringsrapport"):
        types = {f.figure_type for f in entry.figures}
        assert {"husleje_pr_m2", "effektivitetstal", "dispositionsfond_disponibel", "restancer",
                "udlejning_kommunal_anvisning", "afdelingsbestyrelse"} <= types
        for fig in entry.figures:
            assert fig.text in formats[fig.unit](fig.value), fig
    assert fmt_number(1234.5, 1) == "1.234,5" and fmt_mio(19_900_000) == "19,9 mio. kr."


# --- agreements, status statements, clauses and provisions -------------------------------

def test_agreements_are_on_their_stated_page(generated: tuple[Path, Manifest]) -> None:
    out, manifest = generated
    types: set[str] = set()
    for entry in manifest.files_of("referat"):
        assert len(entry.agreements) >= 4
        texts = [norm(t) for t in file_text(out / entry.path)]
        for agreement in entry.agreements:
            where = texts[agreement.page - 1] if entry.fmt == "pdf" else " ".join(texts)
            assert norm(f"Aftale {agreement.number}. {agreement.text}") in where, (entry.path, agreement.number)
            assert f"Frist: {agreement.deadline_text}." in where and agreement.responsible in where
            assert (agreement.deadline is None) == (agreement.deadline_text == "løbende")
            types.add(agreement.type)
    assert types == {"kommunal_anvisning", "aftalt_anvisning", "fleksibel_udlejning", "helhedsplan",
                     "aeldreboliger", "tilsyn_opfoelgning"}


def test_2026_reports_state_the_status_of_last_years_agreements(generated: tuple[Path, Manifest]) -> None:
    out, manifest = generated
    for entry in manifest.files_of("styringsrapport"):
        if entry.year == 2025:
            assert entry.status_statements == []
            continue
        referat = manifest.file(entry.status_statements[0].referat)
        assert referat.organisation == entry.organisation
        assert [s.agreement_number for s in entry.status_statements] == [a.number for a in referat.agreements]
        assert {"opfyldt", "i_gang", "ikke_naevnt"} <= {s.status for s in entry.status_statements}
        pages = [norm(t) for t in file_text(out / entry.path)]
        whole = " ".join(pages)
        for statement in entry.status_statements:
            if statement.status == "ikke_naevnt":
                assert statement.text is None and f"Aftale {statement.agreement_number} " not in whole
                continue
            where = pages[statement.page - 1] if entry.fmt == "pdf" else whole
            assert norm(statement.text) in where, (entry.path, statement)


def test_aftale_clauses_and_signature_block(generated: tuple[Path, Manifest]) -> None:
    out, manifest = generated
    (aftale,) = manifest.files_of("aftale")
    pages = [norm(t) for t in pdf_pages(out / aftale.path)]
    assert [c.number for c in aftale.clauses] == [str(n) for n in range(1, 9)]
    for clause in aftale.clauses:
        assert norm(clause.label) in pages[clause.page - 1] and norm(clause.text) in pages[clause.page - 1]
    assert "2026-2029" in aftale.title and "Egeskov, den 16. marts 2026" in pages[-1]
    assert "For Egeskov Kommune" in pages[-1] and "For Boligselskabet Fjordbo" in pages[-1]


def test_fictional_act_has_legal_structure_in_pdf_and_html(generated: tuple[Path, Manifest]) -> None:
    out, manifest = generated
    pdf_entry, html_entry = sorted(manifest.files_of("lov"), key=lambda f: f.fmt != "pdf")
    assert 3 <= pdf_entry.pages <= 4
    ids = [c.number for c in pdf_entry.clauses]
    assert "proeveboligloven:§4a:stk2" in ids and "proeveboligloven:§4b" in ids and "proeveboligloven:§1:stk1" in ids
    pages = [norm(t) for t in pdf_pages(out / pdf_entry.path)]
    assert "LOV nr. 999 af 1. juli 2025" in pages[0] and "Lov om prøveboliger" in pages[0]
    for clause in pdf_entry.clauses:
        assert norm(clause.text) in pages[clause.page - 1], clause.number
    whole = " ".join(pages)
    for needle in ("Kapitel 1", "§ 4 a.", "Stk. 2.", "1) ", "a) hjælp til økonomi"):
        assert needle in whole
    markup = (out / html_entry.path).read_text(encoding="utf-8")
    for needle in ('class="Paragraf"', 'class="Stk2"', 'class="Liste1"', 'class="Liste2"', 'class="Kapitel"',
                   "<span class=\"ParagrafNr\">§ 4 a.</span>", "LOV nr. 999 af 1. juli 2025"):
        assert needle in markup
    plain = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    assert all(norm(c.text) in norm(plain) for c in html_entry.clauses)
    assert [c.number for c in html_entry.clauses] == ids


# --- warning signs -----------------------------------------------------------------------

def _rule_flags(entry: SampleFile) -> set[tuple[str | None, str]]:
    """Simple reference-level rules from report-anatomy.md; returns (afdeling, figure_type) flagged."""
    info = {a.label: a for a in entry.afdelinger}
    figs = {(f.afdeling, f.figure_type): f.value for f in entry.figures if f.regnskabsaar == entry.regnskabsaar}
    prev = {(f.afdeling, f.figure_type): f.value for f in entry.figures if f.regnskabsaar == entry.regnskabsaar - 1}
    flags: set[tuple[str | None, str]] = set()
    for (afd, ftype), value in figs.items():
        if afd is None:
            continue
        if ftype == "effektivitetstal" and value < 70:
            flags.add((afd, ftype))
        if ftype == "ledige_boliger" and value / info[afd].boliger > 0.02:
            flags.add((afd, ftype))
        if ftype == "tab_ved_lejeledighed_pr_m2" and value > 1.5 * 5.4:
            flags.add((afd, ftype))
        if ftype == "fraflytningsprocent" and info[afd].boligtype == "Familieboliger" and value > 12:
            flags.add((afd, ftype))
        if ftype == "opsparede_henlaeggelser_pr_bolig" and value < 0.5 * 44_300:
            flags.add((afd, ftype))
        if ftype == "aarlige_henlaeggelser_pr_bolig" and value < 5_000:
            flags.add((afd, ftype))
        if ftype == "afdelingsbestyrelse" and value == 0:
            flags.add((afd, ftype))
        if ftype in ("husleje_pr_m2", "vedligeholdelse_pr_m2"):
            reference = 899 if ftype == "husleje_pr_m2" else 137
            assert value < 1.3 * reference, (entry.path, afd, ftype, value)
    if figs[(None, "restancer")] > 1.2 * prev[(None, "restancer")]:
        flags.add((None, "restancer"))
    if figs[(None, "dispositionsfond_disponibel_pr_lejemaal")] < figs[(None, "dispositionsfond_minimum_pr_lejemaal")]:
        flags.add((None, "dispositionsfond_disponibel"))
    return flags


def test_planted_warning_signs_are_exactly_what_simple_rules_find(generated: tuple[Path, Manifest]) -> None:
    _, manifest = generated
    reports = {(f.organisation, f.year): f for f in manifest.files_of("styringsrapport") if f.fmt == "pdf"}
    for (org, year), entry in reports.items():
        flagged = _rule_flags(entry)
        planted = {(w.afdeling, w.figure_type) for w in manifest.warning_signs
                   if w.org == org and w.styringsaar == year and not w.figure_type.startswith("vurdering")}
        assert flagged == planted, (org, year)
        if org == "Egeskov Almene Boliger":
            assert not flagged and not [w for w in manifest.warning_signs if w.org == org]
    for sign in manifest.warning_signs:
        if sign.value is not None:
            fig = next(f for f in reports[(sign.org, sign.styringsaar)].figures
                       if f.afdeling == sign.afdeling and f.figure_type == sign.figure_type
                       and f.regnskabsaar == sign.styringsaar - 1)
            assert fig.value == sign.value
    fjordbo = {(w.afdeling, w.figure_type) for w in manifest.warning_signs
               if w.org == "Boligselskabet Fjordbo" and w.styringsaar == 2026}
    assert ("Afd. 5 Strandhaven", "effektivitetstal") in fjordbo
    assert ("Afd. 3 Fjordparken", "tab_ved_lejeledighed_pr_m2") in fjordbo


# --- read back through the product's loaders ---------------------------------------------

def test_samples_load_through_the_ingest_loaders(generated: tuple[Path, Manifest]) -> None:
    loaders = pytest.importorskip("ingest.loaders")
    if not hasattr(loaders, "load_file"):
        pytest.skip("ingest.loaders.load_file findes ikke endnu")
    out, manifest = generated
    for entry in manifest.files:
        loaded = loaders.load_file(out / entry.path, max_bytes=10_000_000)
        text = norm(loaded.text)
        assert FICTION_NOTICE in text, entry.path
        for fig in entry.figures:
            if entry.fmt == "pdf":
                page_text = norm(" ".join(b.text for b in loaded.blocks if b.page == fig.page))
                assert fig.context in page_text and fig.text in page_text, (entry.path, fig)
            else:
                assert fig.context in text and fig.text in text, (entry.path, fig)
        for agreement in entry.agreements:
            assert norm(agreement.text) in text, (entry.path, agreement.number)
        for clause in entry.clauses:
            assert norm(clause.text) in text, (entry.path, clause.number)
