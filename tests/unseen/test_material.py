"""The unseen test material: generated files up to date, halves balanced, truth files consistent."""

from __future__ import annotations

import re

import yaml

from tests.unseen.conftest import UNSEEN, load

REFERAT_STYLES = {"prosa", "beslutning-pr-punkt", "punktform", "html", "aftaletabel-docx", "aftaletabel-pdf",
                  "faelles-aftale", "scannet-tekstlag"}
REPORT_STYLES = {"kun-organisationsniveau", "prosa-nøgletal", "to-spalter", "word", "ogsaa-pdf", "trafiklys",
                 "negative-i-parentes"}
AGREEMENT_TYPES = {"kommunal_anvisning", "aftalt_anvisning", "aeldreboliger", "handicapboliger", "ungdomsboliger",
                   "fleksibel_udlejning", "kombineret_udlejning", "helhedsplan", "dialogmoede", "tilsyn_opfoelgning",
                   "andet"}


def _truths(half: str) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((UNSEEN / half / "truth").glob("*.yaml"))]


def test_generated_files_are_up_to_date() -> None:
    build = load(UNSEEN / "build.py")
    assert build.stale() == [], "Run: python tests/fixtures/unseen/build.py"


def test_building_twice_gives_the_same_bytes() -> None:
    build = load(UNSEEN / "build.py")
    first, second = build.outputs(), build.outputs()
    assert first.keys() == second.keys()
    assert [p.name for p in first if first[p] != second[p]] == []


def test_each_half_covers_every_style() -> None:
    for half in ("tune", "frozen"):
        truths = _truths(half)
        referater = [t for t in truths if t["kind"] in ("referat", "aftale")]
        reports = [t for t in truths if t["kind"] == "styringsrapport"]
        styles = {s for t in truths for s in t["style"]}
        assert len(referater) >= 8 and len({t["file"] for t in reports}) >= 5, half
        assert styles >= REFERAT_STYLES | REPORT_STYLES, (half, (REFERAT_STYLES | REPORT_STYLES) - styles)
        assert any(s.startswith("organisation-kun-i") for s in styles), half
        assert {"frist-og-periode", "frist-eller-periode"} & styles, half
        assert {t["format"] for t in referater} == {"pdf", "docx", "html"}, half


def test_truth_files_are_consistent() -> None:
    sample_names = re.compile(r"egeskov|fjordbo|lindegården|ravnsborg", re.IGNORECASE)
    for half in ("tune", "frozen"):
        for t in _truths(half):
            assert t["half"] == half and (UNSEEN / half / "files" / t["file"]).exists()
            assert not sample_names.search(yaml.safe_dump(t, allow_unicode=True)), t["id"]
            for a in t["agreements"]:
                assert a["type"] in AGREEMENT_TYPES and a["organisations"], (t["id"], a["id"])
                assert not (a["deadline"] and a["period"]), (t["id"], a["id"])
                assert a["text"] and (a["page"] is not None) == (t["format"] == "pdf"), (t["id"], a["id"])
            for f in t["figures"]:
                assert f["unit"] and isinstance(f["value"], float), (t["id"], f)
                assert (f["page"] is not None) == (t["format"] == "pdf"), (t["id"], f)
            if t["kind"] == "styringsrapport":
                assert t["figures"] and t["warnings"] and t["regnskabsaar"] == t["year"] - 1, t["id"]
            else:
                assert t["agreements"] and t["not_agreements"], t["id"]
