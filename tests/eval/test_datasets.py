"""The question-set format: shipped sets load, malformed lines are errors naming the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.datasets import BUILTIN_DATASETS, load_cases, parse_cases
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
    assert len(dev) == 44 and sum(not c.answerable for c in dev) == 4
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
