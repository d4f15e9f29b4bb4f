"""The question-set format: shipped sets load, malformed lines are errors naming the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.datasets import BUILTIN_DATASETS, DECLINE_KINDS, KINDS, load_cases, parse_cases
from eval.datasets.split import resplit, split_ids
from eval.errors import DatasetError

GOOD = {"id": "a1", "question": "Hvem fører tilsyn?", "answer_facts": ["Kommunen fører tilsyn"],
        "legal_refs": ["almenboligloven § 164, stk. 1"], "topic": "tilsyn", "answerable": True}


def line(**changes: object) -> str:
    obj = {**GOOD, **changes}
    return json.dumps({k: v for k, v in obj.items() if v is not ...}, ensure_ascii=False)


@pytest.mark.parametrize("name", BUILTIN_DATASETS)
def test_shipped_sets_are_valid(name: str) -> None:
    cases = load_cases(name)
    assert cases and len({c.id for c in cases}) == len(cases)


def test_shipped_sets_have_the_promised_shape() -> None:
    dev, smoke, follow = load_cases("dev"), load_cases("smoke"), load_cases("followups")
    assert len(dev) == 44 and sum(not c.answerable for c in dev) == 3
    assert 8 <= len(smoke) <= 10 and any(not c.answerable for c in smoke) and any(c.answerable for c in smoke)
    assert {c.id for c in smoke} <= {c.id for c in dev}
    assert len(follow) >= 8 and all(c.history and c.history[-1]["role"] == "assistant" for c in follow)


def test_dev_set_is_the_shared_file_unchanged() -> None:
    shared = Path("/work/shared/eval/questions-dev.jsonl")
    if not shared.exists():
        pytest.skip("shared folder not present")
    ours = Path(__file__).resolve().parents[2] / "eval" / "datasets" / "dev.jsonl"
    assert ours.read_bytes() == shared.read_bytes()


@pytest.mark.parametrize(("bad", "needle"), [
    (line(colour="rød"), "ukendte felter colour"),
    (line(topic=...), "mangler de påkrævede felter topic"),
    (line(answerable="ja"), "'answerable' har forkert type"),
    (line(answer_facts=[]), "mindst ét faktum"),
    (line(filters={"farve": "x"}), "ukendte filtre farve"),
    (line(history=[{"role": "bot", "content": "hej"}]), "'history'"),
    (line(kind="gætteri"), "ukendt spørgsmålstype 'gætteri'"),
    (line(kind="task"), "'task' kræver \"answerable\": false"),
    (line(kind="rule", answerable=False, answer_facts=[]), "'rule' kræver \"answerable\": true"),
    (line(kind=3), "'kind' har forkert type"),
    (line(grounding=["facts F1", ""]), "'grounding'"),
    ("{ikke json", "ugyldig JSON"),
    ("[1, 2]", "JSON-objekt"),
])
def test_bad_lines_are_errors_with_the_line_number(bad: str, needle: str) -> None:
    with pytest.raises(DatasetError) as err:
        parse_cases([line(), "", bad], source="mine.jsonl")
    assert "mine.jsonl, linje 3" in err.value.message and needle in err.value.message


def test_duplicate_ids_and_empty_files_are_errors(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="linje 2: id 'a1' er allerede brugt på linje 1"):
        parse_cases([line(), line()], source="x")
    empty = tmp_path / "tom.jsonl"
    empty.write_text("# kun en kommentar\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="ingen spørgsmål"):
        load_cases(empty)
    with pytest.raises(DatasetError, match="findes ikke"):
        load_cases(tmp_path / "mangler.jsonl")


def test_optional_fields_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "egne.jsonl"
    path.write_text(line(filters={"kind": "vejledning", "year": 2024},
                         history=[{"role": "user", "content": "Hej"}, {"role": "assistant", "content": "Hej!"}]) + "\n",
                    encoding="utf-8")
    (case,) = load_cases(str(path))
    assert case.filters == {"kind": "vejledning", "year": 2024} and case.history[1]["role"] == "assistant"


def test_kind_and_grounding_are_kept() -> None:
    (case,) = parse_cases([line(kind="reference", grounding=["facts-2026 N3"])])
    assert case.kind == "reference" and case.grounding == ["facts-2026 N3"]
    assert parse_cases([line()])[0].kind == ""


# The stratified sets in tuning and frozen halves, with the least number of cases the two hold together.
SPLIT_SETS = [("caseworker", 100), ("caseworker3", 90), ("caseworker4", 100), ("caseworker5", 72)]


@pytest.mark.parametrize(("name", "least"), SPLIT_SETS)
def test_split_halves_cover_every_kind_and_declined_kinds_are_unanswerable(name: str, least: int) -> None:
    tune, frozen = load_cases(f"{name}-tune"), load_cases(f"{name}-frozen")
    assert len(tune) + len(frozen) >= least and not {c.id for c in tune} & {c.id for c in frozen}
    for half in (tune, frozen):
        assert {c.kind for c in half} == set(KINDS)
        assert all(c.answerable == (c.kind not in DECLINE_KINDS) for c in half)
        assert all(c.grounding for c in half if c.answerable)


@pytest.mark.parametrize(("name", "least"), SPLIT_SETS)
def test_split_halves_are_the_deterministic_split(name: str, least: int) -> None:
    """Nobody moved a case between the halves: splitting their union again gives the same halves."""
    tune, frozen = load_cases(f"{name}-tune"), load_cases(f"{name}-frozen")
    tune_ids, frozen_ids = split_ids([(c.id, c.kind) for c in tune + frozen])
    assert tune_ids == {c.id for c in tune} and frozen_ids == {c.id for c in frozen}
    for kind in KINDS:
        a, b = sum(c.kind == kind for c in tune), sum(c.kind == kind for c in frozen)
        assert abs(a - b) <= 1, kind


def norm_question(text: str) -> str:
    return " ".join(text.lower().split())


def questions_of(name: str) -> list[tuple[str, str]]:
    """(id, normalised question) of a shipped set, or of both halves of a split set."""
    names = [name] if name in BUILTIN_DATASETS else [f"{name}-tune", f"{name}-frozen"]
    return [(c.id, norm_question(c.question)) for n in names for c in load_cases(n)]


@pytest.mark.parametrize(("fresh", "earlier"), [
    ("caseworker3", ("caseworker",)),
    ("caseworker4", ("caseworker", "caseworker3", "dev")),
    ("caseworker5", ("caseworker", "caseworker3", "caseworker4", "dev", "followups")),
])
def test_split_sets_share_no_question(fresh: str, earlier: tuple[str, ...]) -> None:
    """A fresh set is fresh: none of its questions or ids repeats one of the sets written before it."""
    before = [pair for name in earlier for pair in questions_of(name)]
    new = questions_of(fresh)
    assert not [i for i, text in new if text in {t for _, t in before}]
    assert not {i for i, _ in new} & {i for i, _ in before}


def test_resplit_is_stable_and_stratified(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    cases = [line(id=f"x{i}", kind="rule") for i in range(7)] + [line(id=f"y{i}", kind="number") for i in range(4)]
    a.write_text("\n".join(cases) + "\n", encoding="utf-8")
    b.write_text("", encoding="utf-8")
    assert sum(resplit(a, b)) == 11
    first = (a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8"))
    halves = [load_cases(str(p)) for p in (a, b)]
    assert sorted(sum(c.kind == "number" for c in h) for h in halves) == [2, 2]
    assert sorted(sum(c.kind == "rule" for c in h) for h in halves) == [3, 4]
    resplit(b, a)  # the same union in the other order: the same halves, just swapped file roles
    assert {a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")} == set(first)
