"""Extraction and checks on the sample styringsrapporter against the generator's manifest (ground truth)."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from ingest.loaders import load_file
from ingest.pipeline import SAMPLES_DIR
from ingest.samples.manifest import Manifest, PlantedFigure, SampleFile, load_manifest
from service.review.checklist import load_checklist
from service.review.checks import FOLLOW_UP, run_checks
from service.review.extract import extract_report
from service.review.model import Figure, ReportExtraction

HEALTHY = "Egeskov Almene Boliger"


@pytest.fixture(scope="module")
def samples() -> tuple[Path, Manifest]:
    """The committed samples, or freshly generated ones when they are missing."""
    manifest = SAMPLES_DIR / "manifest.json"
    if not manifest.exists():  # pragma: no cover - the samples are committed
        from ingest.samples.generate import generate_samples

        folder = Path(__file__).resolve().parent / ".generated-samples"
        generate_samples(folder)
        return folder, load_manifest(folder / "manifest.json")
    return SAMPLES_DIR, load_manifest(manifest)


@cache
def extract_file(path: str) -> ReportExtraction:
    """Extraction of one sample file (cached across tests)."""
    return extract_report(load_file(Path(path), max_bytes=50_000_000))


def afdeling_nr(label: str | None) -> int | None:
    """'Afd. 3 Fjordparken' -> 3."""
    return int(label.split()[1]) if label else None


def compare(entry: SampleFile, result: ReportExtraction) -> dict[str, list[int]]:
    """Per figure type [true positives, planted, extracted] for one report (value, unit and page must match)."""
    ra = result.identity.regnskabsaar
    got: dict[tuple[str, int | None, int | None], Figure] = {}
    for f in result.figures + result.previous_in_report:
        if f.boligtype is None:
            got[(f.figure_type, f.afdeling_nr, f.year or ra)] = f
    planted_types = {p.figure_type for p in entry.figures}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    truth: dict[tuple[str, int | None, int | None], PlantedFigure] = {
        (p.figure_type, afdeling_nr(p.afdeling), p.regnskabsaar): p for p in entry.figures}
    for key, planted in truth.items():
        counts[key[0]][1] += 1
        f = got.get(key)
        if f is not None and abs(f.value - planted.value) < 1e-6 and f.unit == planted.unit and f.page == planted.page:
            counts[key[0]][0] += 1
    for key, f in got.items():
        if f.figure_type in planted_types:
            counts[key[0]][2] += 1
    return counts


def test_every_planted_figure_is_extracted_with_value_unit_and_page(samples: tuple[Path, Manifest]) -> None:
    folder, manifest = samples
    total: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    reports = manifest.files_of("styringsrapport")
    assert len(reports) >= 6
    for entry in reports:
        result = extract_file(str(folder / entry.path))
        assert result.identity.organisation == entry.organisation, entry.path
        assert result.identity.styringsaar == entry.year and result.identity.municipality == manifest.municipality
        for ftype, (tp, planted, extracted) in compare(entry, result).items():
            total[ftype][0] += tp
            total[ftype][1] += planted
            total[ftype][2] += extracted
    print("\nUdtræk på eksempelrapporterne (PDF og DOCX):")
    print(f"{'nøgletal':45s} {'precision':>9s} {'recall':>7s}  (rigtige/plantede/udtrukne)")
    for ftype, (tp, planted, extracted) in sorted(total.items()):
        print(f"{ftype:45s} {tp / extracted if extracted else 0:9.2f} {tp / planted:7.2f}  ({tp}/{planted}/{extracted})")
    tp = sum(v[0] for v in total.values())
    planted = sum(v[1] for v in total.values())
    extracted = sum(v[2] for v in total.values())
    print(f"{'I alt':45s} {tp / extracted:9.2f} {tp / planted:7.2f}  ({tp}/{planted}/{extracted})")
    assert tp / planted >= 0.95
    assert tp / extracted >= 0.95


def _checks_for(folder: Path, manifest: Manifest, org: str, year: int):  # type: ignore[no-untyped-def]
    def pdf(y: int) -> SampleFile | None:
        return next((f for f in manifest.files_of("styringsrapport", org) if f.year == y and f.fmt == "pdf"), None)

    current = extract_file(str(folder / pdf(year).path))  # type: ignore[union-attr]
    prev_entry = pdf(year - 1)
    previous = extract_file(str(folder / prev_entry.path)) if prev_entry else None
    return run_checks(load_checklist(), current, previous)


def test_every_planted_warning_sign_is_flagged(samples: tuple[Path, Manifest]) -> None:
    folder, manifest = samples
    assert manifest.warning_signs
    missed = []
    for sign in manifest.warning_signs:
        results = _checks_for(folder, manifest, sign.org, sign.styringsaar)
        flagged = any(
            finding.status == FOLLOW_UP and (sign.figure_type in r.item.figures or sign.figure_type == r.item.id)
            and (sign.afdeling is None or finding.afdeling == sign.afdeling)
            for r in results for finding in r.findings)
        if not flagged:
            missed.append(f"{sign.org} {sign.styringsaar} {sign.afdeling} {sign.figure_type}")
    assert not missed, missed


def test_nothing_is_flagged_for_the_healthy_organisation(samples: tuple[Path, Manifest]) -> None:
    folder, manifest = samples
    for year in (2025, 2026):
        results = _checks_for(folder, manifest, HEALTHY, year)
        flagged = [f.reason for r in results for f in r.findings if f.status == FOLLOW_UP]
        assert not flagged, flagged
        assert all(r.status in ("OK", "mangler data") for r in results)
    # with last year's report every change item can be evaluated
    results_2026 = _checks_for(folder, manifest, HEALTHY, 2026)
    assert all(r.status == "OK" for r in results_2026 if r.item.rule.type == "change_vs_last_year")


def test_checks_give_figures_pages_and_danish_reasons(samples: tuple[Path, Manifest]) -> None:
    folder, manifest = samples
    results = {r.item.id: r for r in _checks_for(folder, manifest, "Boligselskabet Fjordbo", 2026)}
    tab = results["tab_ved_lejeledighed"]
    finding = next(f for f in tab.findings if f.afdeling == "Afd. 3 Fjordparken")
    assert finding.status == FOLLOW_UP and finding.value == 14.8 and finding.threshold == pytest.approx(8.1)
    assert "14,8 kr./m² (s. 3)" in finding.reason and "5,4 kr./m² (2021)" in finding.reason
    assert "LBF temastatistik 2023:5" in tab.rule_text
    change = next(f for f in results["fraflytning_udvikling"].findings if f.afdeling == "Afd. 3 Fjordparken")
    assert change.status == FOLLOW_UP and "+3,7 procentpoint" in change.reason
    assert {r.which for r in change.figures} == {"i år", "sidste år"}
    share = next(f for f in results["lejeledighed"].findings if f.afdeling == "Afd. 3 Fjordparken")
    assert share.value == pytest.approx(7 / 148 * 100, rel=1e-3)
    assert any(r.which == "beregnet" for r in share.figures)
    # without last year's report, change items need the figures and say so
    alone = run_checks(load_checklist(), extract_file(str(folder / "styringsrapport-2025-fjordbo.pdf")), None)
    husleje = next(r for r in alone if r.item.id == "husleje_udvikling")
    assert husleje.status == "mangler data" and "Sidste års tal" in husleje.findings[0].reason
