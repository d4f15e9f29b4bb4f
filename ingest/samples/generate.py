"""Generate every sample document and the manifest that describes them."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ingest.samples.docx import render_docx
from ingest.samples.lov import LAW_DATE, LAW_TITLE, build_law, render_law_html
from ingest.samples.manifest import AfdelingInfo, Manifest, PlantedFigure, SampleFile, StatusStatement
from ingest.samples.meetings import MEETINGS
from ingest.samples.model import FICTION_NOTICE, MUNICIPALITY, SampleGenerationError
from ingest.samples.orgs import FJORDBO, LINDEGAARDEN, ORGANISATIONS, Organisation
from ingest.samples.pdf import render_pdf
from ingest.samples.referat import AFTALE_SIGNED, AFTALE_TITLE, build_aftale, build_referat, referat_title
from ingest.samples.reports import build_styringsrapport, report_title
from ingest.samples.warnings import planted_warnings

STYRINGSAAR = (2025, 2026)
DOCX_REPORT_ORGS = (LINDEGAARDEN.key,)  # also rendered as DOCX
DOCX_REFERAT_ORGS = ("egeskov-almene-boliger",)  # referat only as DOCX
MANIFEST_NAME = "manifest.json"
MAX_TOTAL_BYTES = 2_000_000


def referat_name(org: Organisation) -> str:
    """File name of the org's dialogmøde-referat."""
    fmt = "docx" if org.key in DOCX_REFERAT_ORGS else "pdf"
    return f"referat-dialogmoede-{MEETINGS[org.key].date.year}-{org.key}.{fmt}"


def _with_pages(items: dict, pages: dict[str, int] | None) -> list:
    """Copy planted items, setting page from the renderer's mark -> page map (None for DOCX)."""
    out = []
    for mark, item in items.items():
        page = None
        if pages is not None:
            if mark not in pages:
                raise SampleGenerationError(f"Mærket {mark!r} blev ikke skrevet i PDF'en.")
            page = pages[mark]
        out.append(dataclasses.replace(item, page=page))
    return out


def _reports(out_dir: Path, figures_by_report: dict[tuple[str, int], list[PlantedFigure]]) -> list[SampleFile]:
    files: list[SampleFile] = []
    for org in ORGANISATIONS:
        for year in STYRINGSAAR:
            built = build_styringsrapport(org, year, referat_name(org))
            formats = ["pdf", "docx"] if org.key in DOCX_REPORT_ORGS else ["pdf"]
            for fmt in formats:
                name = f"styringsrapport-{year}-{org.key}.{fmt}"
                if fmt == "pdf":
                    pages, n_pages = render_pdf(built.doc, out_dir / name)
                else:
                    render_docx(built.doc, out_dir / name)
                    pages, n_pages = None, None
                figures = _with_pages(built.figures, pages)
                statuses: list[StatusStatement] = _with_pages(built.statuses, pages) + list(built.unmentioned)
                statuses.sort(key=lambda s: s.agreement_number)
                files.append(SampleFile(
                    path=name, kind="styringsrapport", fmt=fmt, title=report_title(org, year),
                    organisation=org.name, municipality=MUNICIPALITY, year=year, regnskabsaar=year - 1,
                    pages=n_pages, figures=figures, status_statements=statuses,
                    afdelinger=[AfdelingInfo(a.label, a.boligtype, a.opfoert, a.boliger) for a in org.afdelinger],
                ))
                if fmt == "pdf":
                    figures_by_report[(org.name, year)] = figures
    return files


def _referater(out_dir: Path) -> list[SampleFile]:
    files: list[SampleFile] = []
    for org in ORGANISATIONS:
        meeting = MEETINGS[org.key]
        built = build_referat(org, meeting)
        name = referat_name(org)
        if name.endswith(".pdf"):
            pages, n_pages = render_pdf(built.doc, out_dir / name)
        else:
            render_docx(built.doc, out_dir / name)
            pages, n_pages = None, None
        files.append(SampleFile(
            path=name, kind="referat", fmt=name.rsplit(".", 1)[1], title=referat_title(org, meeting),
            organisation=org.name, municipality=MUNICIPALITY, year=meeting.date.year,
            date=meeting.date.isoformat(), pages=n_pages, agreements=_with_pages(built.agreements, pages),
        ))
    return files


def _aftale(out_dir: Path) -> SampleFile:
    built = build_aftale(FJORDBO)
    name = f"aftale-fleksibel-udlejning-anvisning-2026-2029-{FJORDBO.key}.pdf"
    pages, n_pages = render_pdf(built.doc, out_dir / name)
    return SampleFile(
        path=name, kind="aftale", fmt="pdf", title=AFTALE_TITLE, organisation=FJORDBO.name,
        municipality=MUNICIPALITY, year=2026, date=AFTALE_SIGNED.isoformat(), pages=n_pages,
        clauses=_with_pages(built.clauses, pages),
    )


def _law(out_dir: Path) -> list[SampleFile]:
    built = build_law()
    pdf_name, html_name = "lov-om-proeveboliger.pdf", "lov-om-proeveboliger.html"
    pages, n_pages = render_pdf(built.doc, out_dir / pdf_name)
    (out_dir / html_name).write_text(render_law_html(), encoding="utf-8")
    common: dict[str, Any] = dict(kind="lov", title=LAW_TITLE, organisation=None, municipality=MUNICIPALITY,
                                  year=LAW_DATE.year, date=LAW_DATE.isoformat())
    return [
        SampleFile(path=pdf_name, fmt="pdf", pages=n_pages, clauses=_with_pages(built.provisions, pages), **common),
        SampleFile(path=html_name, fmt="html", clauses=_with_pages(built.provisions, None), **common),
    ]


def generate_samples(out_dir: Path) -> Manifest:
    """Write all sample documents and manifest.json to out_dir and return the manifest."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    figures_by_report: dict[tuple[str, int], list[PlantedFigure]] = {}
    files = _reports(out_dir, figures_by_report)
    files += _referater(out_dir)
    files.append(_aftale(out_dir))
    files += _law(out_dir)
    manifest = Manifest(
        municipality=MUNICIPALITY, notice=FICTION_NOTICE, files=files,
        warning_signs=planted_warnings(figures_by_report),
    )
    (out_dir / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
    total = sum((out_dir / f.path).stat().st_size for f in files)
    if total > MAX_TOTAL_BYTES:
        raise SampleGenerationError(f"Eksempeldokumenterne fylder {total} bytes; grænsen er {MAX_TOTAL_BYTES}.")
    return manifest
