"""Metric functions on hand-made cases with known values."""

from __future__ import annotations

import pytest

from eval.matching import chunk_refs, expected_refs, fact_in_text, ref_matches
from eval.metrics import (
    CaseTruth, abstention_metrics, answer_metrics, bootstrap_ci, latency_summary, percentile, rank_metrics,
    retrieval_metrics, summarise_cases,
)
from knowledge.types import Chunk


def chunk(cid: str, text: str, **meta: object) -> Chunk:
    return Chunk(id=cid, source_id="s", text=text, metadata=dict(meta))


def test_fact_rule_stems_folds_and_requires_numbers() -> None:
    fact = "Årsregnskaber skal indberettes senest 6 måneder efter regnskabsperiodens udløb"
    assert fact_in_text(fact, "Det godkendte årsregnskab indberettes senest 6 måneder efter udløbet af regnskabsperioden.")  # inflections meet
    assert fact_in_text(fact, "Årsregnskabet skal indberettes senest 6 måneder efter regnskabsperiodens udløb.")
    assert not fact_in_text(fact, "Årsregnskabet skal indberettes senest 3 måneder efter regnskabsperiodens udløb.")
    assert fact_in_text("Henlæggelser til vedligeholdelse", "henlaeggelser til vedligeholdelse")  # folded spelling
    assert not fact_in_text("Kommunen betaler tomgangsleje for ledige boliger", "Vejret var godt i går.")


def test_fact_rule_threshold_is_sixty_percent() -> None:
    fact = "alfa beta gamma delta epsilon"  # five content terms
    assert fact_in_text(fact, "alfa beta gamma")  # 3/5 = 60 %
    assert not fact_in_text(fact, "alfa beta")  # 2/5 = 40 %


def test_citation_markers_do_not_count_as_numbers() -> None:
    assert not fact_in_text("Reformen trådte i kraft i 2010", "Reformen trådte i kraft [2010].")
    assert fact_in_text("Reformen trådte i kraft i 2010", "Reformen trådte i kraft i 2010 [1].")


def test_legal_labels_parse_and_match_in_both_directions() -> None:
    (exp,) = expected_refs(["almenboligloven § 164, stk. 1"])
    assert exp.canonical_id == "almenboligloven:§164:stk1"
    assert ref_matches(exp, "almenboligloven:§164")  # the chunk is about the whole §
    assert ref_matches(exp, "almenboligloven:§164:stk1")
    assert not ref_matches(exp, "almenboligloven:§164:stk2")
    assert not ref_matches(exp, "driftsbekendtgoerelsen:§164")
    (whole,) = expected_refs(["almenboligloven § 59"])
    assert ref_matches(whole, "almenboligloven:§59:stk2")
    assert expected_refs(["driftsbekendtgørelsen (bek. nr. 70 af 26/1/2018)"]) == []
    assert [r.canonical_id for r in expected_refs(["driftsbekendtgørelsen kapitel 21"])] == ["driftsbekendtgoerelsen:kap21"]


def test_chunk_refs_come_from_metadata_and_text() -> None:
    c = chunk("c", "Efter § 59, stk. 1 kan kommunen anvise.", legal_id="almenboligloven:§60", legal_refs="almenboligloven:§6a")
    assert chunk_refs(c) == {"almenboligloven:§60", "almenboligloven:§6a", "almenboligloven:§59:stk1"}


def test_rank_metrics() -> None:
    assert rank_metrics("x", [False, False, True, True]) == {"x_hit@1": 0.0, "x_hit@5": 1.0, "x_hit@10": 1.0, "x_mrr": 1 / 3}
    assert rank_metrics("x", [False] * 12)["x_mrr"] == 0.0


def test_retrieval_metrics_on_a_known_ranking() -> None:
    truth = CaseTruth(True, ["Kommunen kan kræve hver fjerde ledige familiebolig", "Kommunen betaler tomgangsleje"],
                      ["almenboligloven § 59, stk. 1"])
    chunks = [chunk("a", "Noget om henlæggelser."),
              chunk("b", "Efter almenboligloven § 59, stk. 1 kan kommunen kræve hver fjerde ledige familiebolig."),
              chunk("c", "Kommunen betaler tomgangsleje, når boligen står tom.")]
    m = retrieval_metrics(truth, chunks)
    assert m["fact_hit@1"] == 0.0 and m["fact_hit@5"] == 1.0 and m["fact_mrr"] == 0.5
    assert m["fact_recall@1"] == 0.0 and m["fact_recall@5"] == 1.0
    assert m["ref_hit@1"] == 0.0 and m["ref_mrr"] == 0.5 and m["any_mrr"] == 0.5
    assert retrieval_metrics(CaseTruth(False, ["x"], []), chunks) == {}
    no_refs = retrieval_metrics(CaseTruth(True, ["Kommunen betaler tomgangsleje"], []), chunks)
    assert no_refs["ref_hit@5"] is None and no_refs["any_mrr"] == 1 / 3


def test_answer_metrics_on_a_known_answer() -> None:
    truth = CaseTruth(True, ["Kommunen fører tilsyn med boligorganisationerne", "Hjemstedet fremgår af vedtægterne"],
                      ["almenboligloven § 164, stk. 1", "almenboligloven § 14"])
    answer = {
        "text": "Kommunen fører tilsyn med boligorganisationerne [1]. Det følger af almenboligloven § 164 [1]. Noget andet [2].",
        "citations": [{"label": "a", "legal_label": "almenboligloven § 164, stk. 1", "verified": True},
                      {"label": "b", "legal_label": "", "verified": False}],
        "abstained": False,
        "verdicts": [{"kind": "claim", "supported": True}, {"kind": "claim", "supported": True},
                     {"kind": "claim", "supported": False}, {"kind": "structure", "supported": False}],
    }
    m = answer_metrics(truth, answer)
    assert m["fact_coverage"] == 0.5
    assert m["citation_precision"] == 0.5
    assert m["ref_accuracy"] == 0.5  # § 164 stk. 1 cited, § 14 not
    assert m["unsupported_rate"] == pytest.approx(1 / 3)
    assert m["answer_words"] == 13 and m["abstained"] == 0.0
    unanswerable = answer_metrics(CaseTruth(False, ["x"], []), {"text": "Det ved jeg ikke.", "abstained": True})
    assert unanswerable["fact_coverage"] is None and unanswerable["citation_precision"] is None and unanswerable["abstained"] == 1.0


def test_abstention_precision_and_recall() -> None:
    # (answerable, abstained): 2 unanswerable (1 abstained), 3 answerable (1 wrongly abstained)
    pairs = [(False, True), (False, False), (True, True), (True, False), (True, False)]
    m = abstention_metrics(pairs)
    assert m == {"abstention_precision": 0.5, "abstention_recall": 0.5, "false_abstention_rate": pytest.approx(1 / 3)}
    assert abstention_metrics([(True, False)])["abstention_precision"] is None


def test_bootstrap_is_seeded_and_brackets_the_mean() -> None:
    values = [1.0] * 30 + [0.0] * 10
    a, b = bootstrap_ci(values, seed=3), bootstrap_ci(values, seed=3)
    assert a == b and a is not None and a[0] < 0.75 < a[1] and 0.5 < a[0] and a[1] <= 1.0
    assert bootstrap_ci([None, None]) is None and bootstrap_ci([0.4]) == (0.4, 0.4)


def test_percentiles_and_latency_summary() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile([], 95) is None
    s = latency_summary({"embed": [0.01] * 19 + [1.0], "empty": []})
    assert s["embed"]["p50"] == pytest.approx(0.01) and s["embed"]["p95"] > 0.01 and "empty" not in s


def test_summary_leaves_out_errors_and_not_applicable_values() -> None:
    rows = [{"answerable": True, "metrics": {"fact_coverage": 1.0, "abstained": 0.0}, "error": ""},
            {"answerable": True, "metrics": {"fact_coverage": None, "abstained": 0.0}, "error": ""},
            {"answerable": False, "metrics": {"fact_coverage": None, "abstained": 1.0}, "error": ""},
            {"answerable": True, "metrics": {}, "error": "RuntimeError: x"}]
    s = summarise_cases(rows)
    assert s["n"] == 4 and s["errors"] == 1
    assert s["metrics"]["fact_coverage"] == 1.0 and s["metrics"]["abstention_recall"] == 1.0
    assert s["ci"]["fact_coverage"] == [1.0, 1.0]
