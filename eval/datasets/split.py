"""Deterministic tuning/frozen split of a question set, stratified by kind.

Within each kind (cases without a kind form one group) the cases are ordered by the SHA-256 of
their id and alternate between the halves; whether a kind starts with the tuning or the frozen half
follows the SHA-256 of the kind's name, so kinds with an odd number of cases do not all tip the same
way. The split depends on nothing but the ids and kinds: nobody chooses where a case goes, and anyone
can check that no case was moved between halves after measuring (tests/eval/test_datasets.py does).
Adding a case re-orders its kind, so sets are not extended while their frozen half is still unreported.

``python -m eval.datasets.split TUNE.jsonl FROZEN.jsonl`` re-splits the union of the two files in
place (after adding or removing cases); each half keeps the cases in id order.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.datasets import parse_cases


def split_key(case_id: str) -> str:
    """The stable order of a case within its kind."""
    return hashlib.sha256(case_id.encode("utf-8")).hexdigest()


def split_ids(cases: Sequence[tuple[str, str]]) -> tuple[set[str], set[str]]:
    """(tuning ids, frozen ids) from (id, kind) pairs (see the module docstring)."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for case_id, kind in cases:
        by_kind[kind].append(case_id)
    tune: set[str] = set()
    frozen: set[str] = set()
    for kind, ids in by_kind.items():
        offset = int(split_key(kind)[:8], 16) % 2
        for i, case_id in enumerate(sorted(ids, key=split_key)):
            (tune if (i + offset) % 2 == 0 else frozen).add(case_id)
    return tune, frozen


def read_objects(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a question file, validated with the loader (comments and blank lines dropped)."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    if lines:
        parse_cases(lines, source=path.name)
    return [json.loads(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def resplit(tune_path: Path, frozen_path: Path) -> tuple[int, int]:
    """Re-split the union of two question files in place; returns the sizes (tuning, frozen)."""
    objects = read_objects(tune_path) + read_objects(frozen_path)
    parse_cases([json.dumps(o, ensure_ascii=False) for o in objects], source="union")  # no duplicate ids
    tune_ids, _ = split_ids([(o["id"], o.get("kind", "")) for o in objects])
    ordered = sorted(objects, key=lambda o: o["id"])
    halves = ([o for o in ordered if o["id"] in tune_ids], [o for o in ordered if o["id"] not in tune_ids])
    for path, half in zip((tune_path, frozen_path), halves):
        path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in half), encoding="utf-8")
    return len(halves[0]), len(halves[1])


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("Brug: python -m eval.datasets.split TUNING.jsonl FROZEN.jsonl", file=sys.stderr)
        return 2
    n_tune, n_frozen = resplit(Path(args[0]), Path(args[1]))
    print(f"Tuning: {n_tune} spørgsmål, frossen: {n_frozen} spørgsmål.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
