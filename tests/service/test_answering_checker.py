"""The citation check: invented markers, unsupported sentences, wrong §, wrong numbers, thresholds."""

from __future__ import annotations

import pytest

from knowledge.types import Chunk, Hit
from service.answering.checker import (
    NOT_FOUND,
    SUPPORT_THRESHOLD,
    UNSUPPORTED_MARK,
    CitationChecker,
    check_answer,
    parse_markers,
    strip_markers,
)
from service.answering.evidence import term_set
from tests.service.answering_fakes import CHUNKS, guide_chunk

BY_ID = {c.id: c for c in CHUNKS}


def hits_of(*ids: str) -> list[Hit]:
    return [Hit(chunk=BY_ID[i], score=1.0, relevance=0.9) for i in ids]


@pytest.fixture
def four_hits() -> list[Hit]:
    """Four sources: § 164, stk. 1; § 164, stk. 2; the hjemsted guidance; the reform history."""
    return hits_of("almenboligloven:§164:stk1", "almenboligloven:§164:stk2", "tilsyn#hjemsted", "historik#reform")


def test_supported_sentences_pass_and_markers_are_renumbered_in_order_of_use(four_hits: list[Hit]) -> None:
    text = (
        "Styringsreformen trådte i kraft 1. januar 2010. [4] "
        "Tilsynet føres af den kommune, hvor boligorganisationen har hjemsted [3]."
    )
    result = check_answer(text, four_hits)
    assert not result.abstain
    assert result.text == (
        "Styringsreformen trådte i kraft 1. januar 2010. [1] "
        "Tilsynet føres af den kommune, hvor boligorganisationen har hjemsted [2]."
    )
    assert [(c.n, c.chunk_id) for c in result.citations] == [(1, "historik#reform"), (2, "tilsyn#hjemsted")]
    assert result.citations[0].quote == "Styringsreformen trådte i kraft 1. januar 2010."
    assert all(c.verified for c in result.citations)
    assert result.supported_count == 2 and result.unsupported_count == 0


def test_invented_marker_is_removed(four_hits: list[Hit]) -> None:
    text = "Kommunalbestyrelsen fører tilsyn med de almene boligorganisationer [1]. Reformen kom i 2010 [7]."
    result = check_answer(text, four_hits)
    assert "[7]" not in result.text
    assert result.invalid_markers == [7]
    assert "Reformen kom i 2010" not in result.text  # its only marker was invented
    assert "Kommunalbestyrelsen fører tilsyn" in result.text
    assert any("[7]" in note for note in result.notes)
    assert [c.chunk_id for c in result.citations] == ["almenboligloven:§164:stk1"]


def test_invented_marker_next_to_a_real_one_keeps_the_sentence(four_hits: list[Hit]) -> None:
    result = check_answer("Styringsreformen trådte i kraft 1. januar 2010 [4][9].", four_hits)
    assert result.text == "Styringsreformen trådte i kraft 1. januar 2010 [1]."
    assert result.invalid_markers == [9]


def test_sentence_not_supported_by_its_source_is_removed(four_hits: list[Hit]) -> None:
    text = (
        "Kommunalbestyrelsen fører tilsyn med de almene boligorganisationer [1]. "
        "Landsbyggefonden godkender alle huslejestigninger over fem procent [1]."
    )
    result = check_answer(text, four_hits)
    assert "Landsbyggefonden" not in result.text
    unsupported = [v for v in result.verdicts if not v.supported]
    assert len(unsupported) == 1 and unsupported[0].support < SUPPORT_THRESHOLD
    assert "indholdsord" in unsupported[0].reason


def test_wrong_paragraph_is_caught_even_when_the_words_match(four_hits: list[Hit]) -> None:
    text = "Efter almenboligloven § 165 fører kommunalbestyrelsen tilsyn med de almene boligorganisationer [1]."
    result = check_answer(text, four_hits)
    assert result.abstain and result.text == ""
    assert result.verdicts[0].support >= SUPPORT_THRESHOLD  # lexically fine ...
    assert "§ 165" in result.verdicts[0].reason  # ... but the source is § 164


def test_wrong_stk_is_caught_and_right_stk_passes(four_hits: list[Hit]) -> None:
    wrong = check_answer("Efter § 164, stk. 3 fører kommunalbestyrelsen tilsyn med boligorganisationerne [1].", four_hits)
    right = check_answer("Efter § 164, stk. 1 fører kommunalbestyrelsen tilsyn med boligorganisationerne [1].", four_hits)
    assert wrong.abstain and "stk. 3" in wrong.verdicts[0].reason
    assert not right.abstain and right.citations[0].legal_label == "almenboligloven § 164, stk. 1"


def test_paragraph_in_legal_refs_metadata_counts() -> None:
    chunk = guide_chunk("g#1", "Vejledning", "Tilsyn", "Kommunen fører tilsynet med boligorganisationen.",
                        legal_refs="almenboligloven:§164:stk1")
    result = check_answer("Kommunen fører tilsynet med boligorganisationen efter § 164, stk. 1 [1].",
                          [Hit(chunk=chunk, score=1.0)])
    assert not result.abstain


def test_wrong_number_is_caught(four_hits: list[Hit]) -> None:
    result = check_answer("Styringsreformen trådte i kraft 1. januar 2011 [4].", four_hits)
    assert result.abstain
    assert "2011" in result.verdicts[0].reason


def test_sentence_without_marker_is_unsupported_but_not_found_phrase_is_kept(four_hits: list[Hit]) -> None:
    result = check_answer("Her er svaret. Det fremgår ikke af kilderne.", four_hits)
    kinds = [(v.kind, v.supported) for v in result.verdicts]
    assert kinds == [("claim", False), ("abstain", True)]
    assert result.abstain  # no supported claim
    assert result.text == ""  # the not-found line is held back when nothing supported follows


@pytest.mark.parametrize(
    ("claim", "expected_share", "supported"),
    [
        ("Kommunen fører tilsyn med boligorganisationen og cyklerne.", 0.8, True),
        ("Kommunen fører tilsyn med cyklerne og bilerne.", 0.6, True),  # exactly at the threshold
        ("Kommunen fører cyklerne, bilerne og bådene.", 0.4, False),
    ],
)
def test_lexical_support_threshold(claim: str, expected_share: float, supported: bool) -> None:
    chunk = Chunk(id="c1", source_id="s", text="Kommunen fører tilsyn med boligorganisationen.", metadata={"title": ""})
    assert len(term_set(claim)) == 5
    verdict = CitationChecker([Hit(chunk=chunk, score=1.0)]).judge(f"{claim} [1]")
    assert verdict.support == pytest.approx(expected_share)
    assert verdict.supported is supported


def test_threshold_is_configurable() -> None:
    chunk = Chunk(id="c1", source_id="s", text="Kommunen fører tilsyn med boligorganisationen.", metadata={})
    claim = "Kommunen fører tilsyn med cyklerne og bilerne [1]."
    assert CitationChecker([Hit(chunk=chunk, score=1.0)], threshold=0.6).judge(claim).supported
    assert not CitationChecker([Hit(chunk=chunk, score=1.0)], threshold=0.61).judge(claim).supported


def test_mark_mode_keeps_unsupported_sentences_visibly_marked(four_hits: list[Hit]) -> None:
    text = "Kommunalbestyrelsen fører tilsyn med de almene boligorganisationer [1]. Månen er lavet af ost [2]."
    result = check_answer(text, four_hits, mode="mark")
    assert f"Månen er lavet af ost. {UNSUPPORTED_MARK}" in result.text
    assert "[2]" not in result.text
    assert any("markeret" in n for n in result.notes)


def test_markers_after_the_period_and_grouped_markers(four_hits: list[Hit]) -> None:
    text = (
        "Kommunalbestyrelsen fører tilsyn med de almene boligorganisationer i kommunen. [1] "
        "Der holdes et årligt dialogmøde, og kommunen offentliggør en redegørelse på kommunens hjemmeside. [1, 2]"
    )
    result = check_answer(text, four_hits)
    assert [v.supported for v in result.verdicts] == [True, True]
    assert result.verdicts[1].sources == [2]  # [1] shares too little with the sentence and is dropped
    assert result.text.endswith("hjemmeside. [2]")


def test_markdown_structure_is_kept_only_with_content(four_hits: list[Hit]) -> None:
    text = (
        "## Svar\n"
        "Styringsreformen trådte i kraft 1. januar 2010. [4]\n\n"
        "Desuden:\n"
        "- Månen er lavet af ost. [2]\n\n"
        "Andre punkter:\n"
        "- Kommunalbestyrelsen fører tilsyn med de almene boligorganisationer. [1]"
    )
    result = check_answer(text, four_hits)
    assert "Desuden:" not in result.text  # its only bullet was removed
    assert result.text == (
        "## Svar\n"
        "Styringsreformen trådte i kraft 1. januar 2010. [1]\n\n"
        "Andre punkter:\n"
        "- Kommunalbestyrelsen fører tilsyn med de almene boligorganisationer. [2]"
    )


def test_line_by_line_session_emits_exactly_the_final_text(four_hits: list[Hit]) -> None:
    text = (
        "Det fremgår ikke af kilderne.\n"
        "Styringsreformen trådte i kraft 1. januar 2010. [4]\n\n"
        "Desuden:\n- Ukendt påstand om cykler. [2]\n"
        "- Kommunalbestyrelsen fører tilsyn med de almene boligorganisationer. [1]"
    )
    session = CitationChecker(four_hits).start()
    pieces = [session.feed_line(line) for line in text.split("\n")]
    result = session.finish()
    assert "".join(pieces) == result.text == CitationChecker(four_hits).check(text).text
    assert result.text.startswith(NOT_FOUND + "\nStyringsreformen")


def test_marker_variants_from_models_are_understood(four_hits: list[Hit]) -> None:
    result = check_answer("Styringsreformen trådte i kraft 1. januar 2010 [Kilde 4].", four_hits)
    assert result.text == "Styringsreformen trådte i kraft 1. januar 2010 [1]."


def test_marker_helpers() -> None:
    assert parse_markers("a [2] b [1, 3] c [2]") == [2, 1, 3]
    assert strip_markers("Tekst [1] her [2, 3].") == "Tekst her."
