"""The measuring harness for the unseen material, on tiny hand-made cases (not on the material itself)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.service.agreements_helpers import write_pdf
from tests.unseen.conftest import ROOT, load

score = load(ROOT / "scripts" / "unseen_score.py")

DOC = {
    "organisations": ["Boligforeningen Birkely"], "aliases": {"Boligforeningen Birkely": ["BB"]},
    "municipality": "Testrup Kommune", "year": 2026,
    "agreements": [
        {"id": "a1", "text": "Birkely sender en handleplan for afd. 4 Bakken til kommunen senest 1. marts 2027.",
         "organisations": ["Boligforeningen Birkely"], "type": "tilsyn_opfoelgning", "type_alt": [],
         "responsible": "organisation", "deadline": "2027-03-01", "deadline_vague": False, "period": None,
         "status": "aftalt"},
        {"id": "a2", "text": "Kommunen anviser hver 4. ledige familiebolig frem til 31. december 2027.",
         "organisations": ["Boligforeningen Birkely"], "type": "kommunal_anvisning", "type_alt": [],
         "responsible": "kommune", "deadline": None, "deadline_vague": False,
         "period": {"from": None, "to": "2027-12-31", "text": "frem til 31. december 2027"}, "status": "aftalt"},
    ],
    "not_agreements": [
        {"id": "n1", "reason": "party_list", "text": "Deltagere: Testrup Kommune og Boligforeningen Birkely."},
        {"id": "n2", "reason": "neutral", "text": "Næste dialogmøde holdes i oktober 2027."},
    ],
}


def _entry(text: str, **fields: object) -> dict:
    base = {"text": text, "organisation": None, "type": "andet", "responsible": None, "deadline": None,
            "deadline_text": "", "deadline_uncertain": False, "valid_from": None, "valid_to": None, "status": "aftalt"}
    return base | fields


def test_agreements_are_matched_and_each_field_judged() -> None:
    entries = [
        _entry(DOC["agreements"][0]["text"], organisation="BB", type="tilsyn_opfoelgning", responsible="Birkely",
               deadline="2027-03-01"),
        _entry("Kommunen anviser hver 4. ledige familiebolig frem til 31. december 2027",
               organisation="Boligforeningen Birkely", type="kommunal_anvisning", responsible="Kommunen",
               deadline="2027-12-31"),
        _entry("Deltagere: Testrup Kommune og Boligforeningen Birkely."),
        _entry("Næste dialogmøde holdes i oktober 2027."),
    ]
    result = score.score_agreements(DOC, entries)
    c = result["counts"]
    assert (c["truth"], c["found"], c["correct"]) == (2, 2, 1)
    assert c["period_as_deadline"] == 1 and c["when_ok"] == 1 and c["org_ok"] == 2 and c["responsible_ok"] == 2
    assert (c["extracted"], c["false_positives"], c["party_list"]) == (3, 1, 1)  # the neutral one is not counted
    assert result["rows"][1]["when_reason"].startswith("periode læst som frist")


def test_an_unrelated_text_does_not_match_and_a_missing_agreement_is_reported() -> None:
    result = score.score_agreements(DOC, [_entry("Kommunen orienterer om den nye boligpolitik.")])
    assert result["counts"]["found"] == 0 and result["counts"]["false_positives"] == 1
    assert [r["found"] for r in result["rows"]] == [False, False]


def test_deadline_and_period_rules() -> None:
    vague = {"deadline": "2027-01-31", "deadline_vague": True, "period": None}
    assert score.when_ok(vague, _entry("", deadline_uncertain=True, deadline_text="primo 2027"))[0]
    assert not score.when_ok(vague, _entry("", deadline="2026-12-31"))[0]
    period = {"deadline": None, "period": {"from": "2026-01-01", "to": "2029-12-31"}}
    assert score.when_ok(period, _entry("", valid_from="2026-01-01", valid_to="2029-12-31"))[0]
    assert not score.when_ok(period, _entry("", valid_to="2029-12-31"))[0]  # the start is wrong
    assert not score.when_ok({"deadline": None, "period": None}, _entry("", deadline="2027-01-01"))[0]


def test_organisations_of_a_joint_agreement_must_all_be_named() -> None:
    orgs = ["Boligforeningen Birkely", "Testrup Boligselskab", "Andelsboligforeningen Kløver"]
    found = score.entry_orgs({"organisation": "Boligforeningen Birkely, Testrup Boligselskab og Kløver"})
    assert score.org_ok(orgs, {}, found)
    assert not score.org_ok(orgs, {}, score.entry_orgs({"organisation": "Boligforeningen Birkely"}))
    assert score.org_ok(orgs, {}, score.entry_orgs({"organisations": orgs}))
    assert score.responsible_role("Testrup Kommune, Borgerservice og Bolig", DOC) == "kommune"
    assert score.responsible_role("Kommunen og BB", DOC) == "begge"


REPORT = {
    "organisations": ["Boligforeningen Birkely"], "aliases": {}, "year": 2026,
    "figures": [
        {"figure_type": "ledige_boliger", "afdeling_nr": 4, "boligtype": None, "value": 7.0, "unit": "antal",
         "text": "7", "page": 2, "known_type": True, "previous": 3.0},
        {"figure_type": "antal_boliger", "afdeling_nr": 4, "boligtype": None, "value": 120.0, "unit": "antal",
         "text": "120", "page": 2, "known_type": True, "previous": None},
        {"figure_type": "arbejdskapital", "afdeling_nr": None, "boligtype": None, "value": -420000.0, "unit": "kr",
         "text": "(0,42) mio. kr.", "page": 1, "known_type": True, "previous": None},
        {"figure_type": "planlagte_arbejder", "afdeling_nr": 4, "boligtype": None, "value": 18.4e6, "unit": "kr",
         "text": "18,40 mio. kr.", "page": 3, "known_type": False, "previous": None},
    ],
    "warnings": [
        {"id": "w1", "check": "lejeledighed", "afdeling": 4},
        {"id": "w2", "check": "planlagte_arbejder_vs_opsparing", "afdeling": 4},
    ],
}


def test_figures_recall_precision_pages_and_last_year() -> None:
    got = [
        {"figure_type": "ledige_boliger", "afdeling_nr": 4, "value": 7, "page": 2},
        {"figure_type": "antal_boliger", "afdeling_nr": 4, "value": 120, "page": 1},  # wrong page
        {"figure_type": "arbejdskapital", "afdeling_nr": None, "value": 420000, "page": 1},  # sign lost
        {"figure_type": "husleje_pr_m2", "afdeling_nr": 4, "value": 5.4, "page": 2},  # not in the report
    ]
    previous = [{"figure_type": "ledige_boliger", "afdeling_nr": 4, "value": 3}]
    c = score.score_figures(REPORT, got, previous)["counts"]
    assert (c["truth"], c["found"], c["found_page_ok"]) == (4, 2, 1)
    assert (c["truth_known"], c["found_known"]) == (3, 2)
    assert (c["extracted"], c["wrong"]) == (4, 2)
    assert (c["previous_truth"], c["previous_found"]) == (1, 1)


def test_warnings_need_follow_up_on_the_named_check_for_the_right_afdeling() -> None:
    checks = [
        {"id": "lejeledighed", "status": "følg op",
         "findings": [{"afdeling": "Afd. 2 Engen", "status": "følg op"}, {"afdeling": "Afd. 4 Bakken", "status": "OK"}]},
        {"id": "planlagte_arbejder_vs_opsparing", "status": "følg op",
         "findings": [{"afdeling": "Afd. 4 Bakken", "status": "følg op"}]},
    ]
    rows = score.score_warnings(REPORT, checks)["rows"]
    assert [r["flagged"] for r in rows] == [False, True]
    renamed = [dict(checks[1], id="store_arbejder")]
    assert score.score_warnings(REPORT, renamed, {"planlagte_arbejder_vs_opsparing": ["store_arbejder"]})[
        "counts"]["flagged"] == 1


def test_missing_data_counts_only_figures_that_are_printed() -> None:
    items = {
        "lejeledighed": {"figures": ["ledige_boliger", "antal_boliger"], "change": False, "level": "afdeling"},
        "ledige_boliger_udvikling": {"figures": ["ledige_boliger"], "change": True, "level": "afdeling"},
        "restancer": {"figures": ["restancer"], "change": True, "level": "organisation"},
        "arbejdskapital": {"figures": ["arbejdskapital"], "change": False, "level": "organisation"},
    }
    missing = {"status": "mangler data", "afdeling": None, "reason": "Rapporten oplyser ikke ..."}
    checks = [{"id": name, "status": "mangler data", "findings": [missing]} for name in items]
    result = score.score_missing(REPORT, checks, items)
    assert sorted(r["check"] for r in result["rows"]) == ["arbejdskapital", "ledige_boliger_udvikling", "lejeledighed"]


def test_rounded_millions_in_the_note_are_counted() -> None:
    rows = score.score_rounding(REPORT, "Arbejdskapitalen er -0,4 mio. kr. Planlagte arbejder: 18,40 mio. kr.")["rows"]
    assert {r["figure_type"]: r["state"] for r in rows} == {"arbejdskapital": "afrundet",
                                                           "planlagte_arbejder": "som trykt"}


@pytest.mark.parametrize("batch", ["unseen", "unseen2", "unseen3", "unseen4", "unseen5"])
def test_the_frozen_half_needs_the_final_flag(batch: str, capsys) -> None:  # type: ignore[no-untyped-def]
    measure = load(ROOT / "scripts" / "measure_unseen.py")
    assert measure.main([str(ROOT / "tests" / "fixtures" / batch / "frozen")]) == 2
    assert "--frozen-final" in capsys.readouterr().out


def test_company_forms_and_short_party_names_are_understood() -> None:
    """'a.m.b.a.' and 'S/I' are not part of a name; 'Selsk.' and 'foreningen' are the organisation."""
    doc = {"organisations": ["Lervang Boligselskab a.m.b.a."], "aliases": {}, "municipality": "Testrup Kommune"}
    assert score.org_ok(doc["organisations"], {}, ["Lervang Boligselskab"])
    assert score.org_ok(["S/I Bækholm"], {}, ["Den selvejende institution Bækholm"])
    assert not score.org_ok(["S/I Bækholm"], {}, ["Boligforeningen Bækkely"])
    assert [score.responsible_role(t, doc) for t in ("Selsk.", "foreningen", "Kommunen (JL)", "Begge (JL/MR)")] == [
        "organisation", "organisation", "kommune", "begge"]


def test_end_to_end_on_a_tiny_folder(tmp_path: Path) -> None:
    """A numbered agreement in a one-page referat and a one-line report go through ingest, register and review."""
    measure = load(ROOT / "scripts" / "measure_unseen.py")
    (tmp_path / "truth").mkdir()
    write_pdf(tmp_path / "files" / "referat.pdf", [
        "Referat af dialogmøde 2026", "Boligforeningen Birkely og Testrup Kommune",
        "Aftale 1. Boligforeningen Birkely sender en handleplan for afd. 4 Bakken til kommunen senest 1. marts 2027.",
    ])
    write_pdf(tmp_path / "files" / "rapport.pdf", [
        "Styringsrapport 2026 - Boligforeningen Birkely", "Regnskabsår 2025",
        "Arbejdskapital 1,25 mio. kr.",
    ])
    referat = DOC | {"id": "r", "file": "referat.pdf", "kind": "referat", "style": ["lille"],
                     "agreements": DOC["agreements"][:1], "figures": [], "warnings": []}
    report = REPORT | {"id": "s", "file": "rapport.pdf", "kind": "styringsrapport", "style": ["lille"],
                       "figures": [dict(REPORT["figures"][2], value=1.25e6, text="1,25 mio. kr.", page=1)],
                       "warnings": []}
    for truth in (referat, report):
        (tmp_path / "truth" / f"{truth['id']}.yaml").write_text(yaml.safe_dump(truth, allow_unicode=True),
                                                                encoding="utf-8")
    result = measure.measure(tmp_path)
    totals = result["totals"]
    assert totals["agreements"]["found"] == 1 and totals["agreements"]["extracted"] == 1
    assert totals["figures"]["found_page_ok"] == 1 and totals["identity"]["reports"] == 1
    measure.print_report(result, verbose=True)
