"""The metrics of issue 14 on hand-made answers: first sentence carries a fact, stk. precision,
false declines, declines per kind, median answer length, fact coverage per kind, and the reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eval.datasets import Case
from eval.gate import check_thresholds
from eval.matching import first_sentence
from eval.metrics import CaseTruth, answer_metrics, summarise_cases
from eval.report import build_report, write_reports
from eval.runner import Variant, run_evaluation

STK = CaseTruth(True, ["boligorganisationen indsender hvert år en rapport om sin virksomhed"],
                ["almenboligloven § 164, stk. 3"], "reference")


def answer(text: str, citations: list[dict[str, Any]] | None = None, abstained: bool = False) -> dict[str, Any]:
    return {"text": text, "citations": citations or [], "abstained": abstained}


def cite(n: int, legal_label: str, label: str = "Notat") -> dict[str, Any]:
    return {"n": n, "chunk_id": f"c{n}", "label": label, "legal_label": legal_label, "verified": True}


# ---------------------------------------------------------------- first sentence
def test_first_sentence_skips_headings_and_lead_ins_and_keeps_its_markers() -> None:
    text = "## Svar\n\nDesuden:\nKommunen fører tilsyn. [2] Det følger af loven. [1]\n- mere [3]"
    assert first_sentence(text) == ("Kommunen fører tilsyn.", [2])
    assert first_sentence("") == ("", [])


def test_first_sentence_fact_passes_when_the_lead_carries_a_fact() -> None:
    m = answer_metrics(STK, answer("Boligorganisationen indsender hvert år en rapport om sin virksomhed til kommunen. [1] "
                                   "Det er styringsrapporten. [1]"))
    assert m["first_sentence_fact"] == 1.0 and m["fact_coverage"] == 1.0


def test_first_sentence_fact_fails_when_the_fact_comes_later_or_the_answer_declines() -> None:
    buried = answer("Helhedsplan (også: boligsocial helhedsplan): en plan. [1] Kommunen holder møder. [2] "
                    "Boligorganisationen indsender hvert år en rapport om sin virksomhed. [1]")
    m = answer_metrics(STK, buried)
    assert m["first_sentence_fact"] == 0.0 and m["fact_coverage"] == 1.0  # the fact is there, just not first
    assert answer_metrics(STK, answer("Det kan jeg ikke svare sikkert på.", abstained=True))["first_sentence_fact"] == 0.0


def test_first_sentence_fact_does_not_apply_to_cases_that_must_be_declined() -> None:
    task = CaseTruth(False, ["almen kan ikke udføre opgaven"], [], "task")
    m = answer_metrics(task, answer("Send dagsordenen i god tid. [1]", [cite(1, "")]))
    assert m["first_sentence_fact"] is None and m["stk_precision"] is None


# ---------------------------------------------------------------- stk. precision
def test_stk_precision_passes_when_the_first_sentence_names_the_stk() -> None:
    text = "Efter almenboligloven § 164, stk. 3 indsender boligorganisationen hvert år en rapport. [1]"
    assert answer_metrics(STK, answer(text, [cite(1, "almenboligloven § 164")]))["stk_precision"] == 1.0
    bare = "Efter § 164, stk. 3 indsender boligorganisationen en rapport. [1]"  # act-less § means the expected act
    assert answer_metrics(STK, answer(bare, [cite(1, "")]))["stk_precision"] == 1.0


def test_stk_precision_passes_when_the_cited_chunk_is_that_stk_or_a_nr_in_it() -> None:
    text = "Boligorganisationen indsender hvert år en rapport om sin virksomhed. [2]"
    assert answer_metrics(STK, answer(text, [cite(1, "almenboligloven § 164"), cite(2, "almenboligloven § 164, stk. 3")]))[
        "stk_precision"] == 1.0
    nr = CaseTruth(True, ["fire dele"], ["driftsbekendtgørelsen § 112, stk. 5"], "list")
    assert answer_metrics(nr, answer("Rapporten har fire dele. [1]", [cite(1, "driftsbekendtgørelsen § 112, stk. 5, nr. 2")]))[
        "stk_precision"] == 1.0


def test_stk_precision_fails_on_the_whole_paragraph_another_stk_another_act_or_a_later_sentence() -> None:
    whole = answer("Kommunen fører tilsyn med boligorganisationerne. [1]", [cite(1, "almenboligloven § 164")])
    other = answer("Almenboligloven § 164, stk. 1 fastslår, at kommunen fører tilsyn. [1]", [cite(1, "almenboligloven § 164, stk. 1")])
    act = answer("Efter driftsbekendtgørelsen § 164, stk. 3 gælder noget andet. [1]", [cite(1, "")])
    later = answer("Kommunen fører tilsyn. [1] Efter § 164, stk. 3 indsendes en rapport. [2]",
                   [cite(1, "almenboligloven § 164, stk. 1"), cite(2, "almenboligloven § 164, stk. 3")])
    for a in (whole, other, act, later):
        assert answer_metrics(STK, a)["stk_precision"] == 0.0, a["text"]
    assert answer_metrics(STK, answer("Ved ikke.", abstained=True))["stk_precision"] == 0.0


def test_stk_precision_applies_only_when_a_stk_is_expected() -> None:
    whole = CaseTruth(True, ["kommunen fører tilsyn"], ["almenboligloven § 164"], "rule")
    assert answer_metrics(whole, answer("Kommunen fører tilsyn. [1]", [cite(1, "almenboligloven § 164")]))["stk_precision"] is None


# ---------------------------------------------------------------- declines, length, per kind
def row(answerable: bool, abstained: bool, words: int, coverage: float | None = None) -> dict[str, Any]:
    return {"answerable": answerable, "error": "",
            "metrics": {"abstained": float(abstained), "answer_words": float(words), "fact_coverage": coverage}}


def test_false_declines_and_decline_rate() -> None:
    good = summarise_cases([row(True, False, 40, 1.0), row(True, False, 50, 1.0), row(False, True, 12)], with_ci=False)
    assert good["metrics"]["false_abstention_rate"] == 0.0 and good["metrics"]["abstention_recall"] == 1.0
    bad = summarise_cases([row(True, True, 10), row(True, False, 50, 1.0), row(False, False, 80)], with_ci=False)
    assert bad["metrics"]["false_abstention_rate"] == 0.5 and bad["metrics"]["abstention_recall"] == 0.0
    assert bad["metrics"]["decline_rate"] == pytest.approx(1 / 3)


def test_median_answer_length_leaves_declines_out() -> None:
    short = summarise_cases([row(True, False, 30), row(True, False, 60), row(True, False, 70), row(False, True, 5)],
                            with_ci=False)
    assert short["metrics"]["answer_words_median"] == 60.0
    long = summarise_cases([row(True, False, 110), row(True, False, 120), row(False, True, 5)], with_ci=False)
    assert long["metrics"]["answer_words_median"] == 115.0
    assert check_thresholds({"v": {"overall": {"errors": 0, "metrics": short["metrics"]}}}, {"v": {"answer_words_median": 70}}) == []
    assert check_thresholds({"v": {"overall": {"errors": 0, "metrics": long["metrics"]}}}, {"v": {"answer_words_median": 70}})


def _case(cid: str, kind: str, answerable: bool, facts: list[str], refs: list[str] | None = None) -> Case:
    return Case(cid, f"spørgsmål {cid}", facts, refs or [], "emne", answerable, kind=kind)


CASES = [
    _case("d1", "definition", True, ["en styringsrapport er en selvevaluering"]),
    _case("d2", "definition", True, ["dokumentationspakken består af rapport og regnskab"]),
    _case("r1", "reference", True, ["boligorganisationen indsender hvert år en rapport"], ["almenboligloven § 164, stk. 3"]),
    _case("t1", "task", False, ["almen kan ikke udføre opgaven"]),
    _case("t2", "task", False, ["almen kan ikke udføre opgaven"]),
    _case("o1", "out_of_scope", False, ["uden for vidensgrundlaget"]),
]
ANSWERS = {
    "d1": answer("En styringsrapport er en selvevaluering. [1]", [cite(1, "")]),
    "d2": answer("Det ved jeg ikke.", abstained=True),  # a false decline
    "r1": answer("Efter almenboligloven § 164, stk. 3 indsender boligorganisationen hvert år en rapport. [1]",
                 [cite(1, "almenboligloven § 164, stk. 3")]),
    "t1": answer("Det kan almen ikke. Spørg om reglerne i stedet.", abstained=True),
    "t2": answer("Send dagsordenen i god tid. [1]", [cite(1, "")]),  # a fragment instead of a no
    "o1": answer("Det ligger uden for vidensgrundlaget.", abstained=True),
}


@pytest.fixture(scope="module")
def kind_report() -> dict[str, Any]:
    run = run_evaluation(CASES, [Variant("fast", answer=lambda case: ANSWERS[case.id])])
    return build_report(run, dataset_name="håndlavet")


def test_figures_per_kind(kind_report: dict[str, Any]) -> None:
    kinds = kind_report["variants"]["fast"]["kinds"]
    assert set(kinds) == {"definition", "reference", "task", "out_of_scope"}
    assert kinds["definition"]["metrics"]["fact_coverage"] == 0.5  # d2's decline carries none of its facts
    assert kinds["definition"]["metrics"]["decline_rate"] == 0.5 and kinds["definition"]["metrics"]["first_sentence_fact"] == 0.5
    assert kinds["reference"]["metrics"]["stk_precision"] == 1.0
    assert kinds["task"]["metrics"]["decline_rate"] == 0.5 and kinds["out_of_scope"]["metrics"]["decline_rate"] == 1.0
    overall = kind_report["variants"]["fast"]["overall"]["metrics"]
    assert overall["false_abstention_rate"] == pytest.approx(1 / 3) and overall["abstention_recall"] == pytest.approx(2 / 3)
    assert overall["first_sentence_fact"] == pytest.approx(2 / 3) and "first_sentence_fact" in kind_report["variants"]["fast"]["overall"]["ci"]
    assert all(r["kind"] for r in kind_report["results"]) and kind_report["cases"][0]["kind"] == "definition"


def test_every_new_figure_is_in_json_markdown_and_html(kind_report: dict[str, Any], tmp_path: Path) -> None:
    paths = write_reports(kind_report, tmp_path)
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["variants"]["fast"]["kinds"]["task"]["n"] == 2
    md, html = paths["markdown"].read_text(encoding="utf-8"), paths["html"].read_text(encoding="utf-8")
    for metric in ("first_sentence_fact", "stk_precision", "false_abstention_rate", "answer_words_median", "decline_rate"):
        assert metric in md and metric in html and metric in data["metric_docs"], metric
    assert "## Spørgsmålstyper (fast)" in md and "| task (afvises) | 2 |" in md and "| definition | 2 | 50.0 % | 50.0 % |" in md
    assert "Spørgsmålstyper (fast)" in html and "<td>task (afvises)</td>" in html


def test_sets_without_kinds_get_no_kind_table(tmp_path: Path) -> None:
    plain = [Case("p1", "spørgsmål", ["et faktum"], [], "emne", True)]
    run = run_evaluation(plain, [Variant("fast", answer=lambda case: answer("Et faktum. [1]", [cite(1, "")]))])
    report = build_report(run, dataset_name="uden typer")
    assert report["variants"]["fast"]["kinds"] == {}
    md = write_reports(report, tmp_path, html=False)["markdown"].read_text(encoding="utf-8")
    assert "Spørgsmålstyper" not in md
