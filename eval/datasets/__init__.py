"""Question sets: the JSONL format, its validation and the sets shipped with almen.

One case per line, a JSON object with these keys (see README.md in this folder):

  id (str, required)            unique within the file
  question (str, required)      the user's question, Danish
  answer_facts (list[str], req) key facts a correct answer contains (may be empty when unanswerable)
  legal_refs (list[str], req)   provisions a correct answer cites, as labels ("almenboligloven § 164, stk. 1")
  topic (str, required)         for totals per topic
  answerable (bool, required)   false: the assistant must decline
  source_ids (list, optional)   fact-sheet source numbers (provenance only)
  filters (dict, optional)      search filters: kind, org, municipality, year, on_date, source_id
  history (list, optional)      earlier turns: [{"role": "user"|"assistant", "content": "..."}]
  kind (str, optional)          the kind of question (KINDS); task, out_of_scope and unanswerable go with
                                answerable false, every other kind with answerable true
  grounding (list, optional)    where the expected facts come from ("facts-2026 N12", "sample <file>")

Unknown keys, missing required keys and wrong types are errors naming the line number.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from eval.errors import DatasetError

DATASET_DIR = Path(__file__).resolve().parent
BUILTIN_DATASETS = ("dev", "smoke", "followups", "caseworker-tune", "caseworker-frozen", "caseworker3-tune",
                    "caseworker3-frozen", "caseworker4-tune", "caseworker4-frozen", "caseworker5-tune",
                    "caseworker5-frozen")
# The current round's frozen half while a round runs: measured once before and once at the end of the round, and
# used by no test or code meanwhile (eval/datasets/README.md). Empty between rounds (caseworker5-frozen was
# reported at the end of round 5 and is tuning material now).
UNSPENT_FROZEN: tuple[str, ...] = ()

REQUIRED: dict[str, type | tuple[type, ...]] = {
    "id": str, "question": str, "answer_facts": list, "legal_refs": list, "topic": str, "answerable": bool,
}
OPTIONAL: dict[str, type | tuple[type, ...]] = {
    "source_ids": list, "filters": dict, "history": list, "kind": str, "grounding": list,
}
FILTER_KEYS = frozenset({"kind", "org", "municipality", "year", "on_date", "source_id"})
ROLES = frozenset({"user", "assistant"})
# Kinds of question (the optional "kind" field). The last three must be declined (answerable false).
ANSWER_KINDS = ("definition", "rule", "reference", "list", "number", "procedure", "own_documents", "agreements",
                "multi_part")
DECLINE_KINDS = ("task", "out_of_scope", "unanswerable")
KINDS = ANSWER_KINDS + DECLINE_KINDS


@dataclass
class Case:
    """One evaluation case (one question, optionally with earlier conversation turns)."""

    id: str
    question: str
    answer_facts: list[str]
    legal_refs: list[str]
    topic: str
    answerable: bool
    source_ids: list[Any] = field(default_factory=list)
    filters: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, str]] = field(default_factory=list)
    kind: str = ""  # one of KINDS, or empty when the set does not say
    grounding: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def dataset_path(name_or_path: str | Path) -> Path:
    """A shipped set by name (BUILTIN_DATASETS) or any file path."""
    text = str(name_or_path)
    if text in BUILTIN_DATASETS:
        return DATASET_DIR / f"{text}.jsonl"
    return Path(text).expanduser()


def load_cases(name_or_path: str | Path) -> list[Case]:
    """Read and validate a question set; raise DatasetError with the line number on the first problem."""
    path = dataset_path(name_or_path)
    if not path.is_file():
        raise DatasetError(
            f"Spørgsmålsfilen '{path}' findes ikke. Angiv en JSONL-fil eller et af navnene: {', '.join(BUILTIN_DATASETS)}."
        )
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"Kan ikke læse '{path}': {exc}. Filen skal være UTF-8-kodet JSONL.") from exc
    return parse_cases(lines, source=path.name)


def parse_cases(lines: list[str], *, source: str = "<tekst>") -> list[Case]:
    """Validate JSONL lines (blank lines and lines starting with '#' are skipped)."""
    cases: list[Case] = []
    seen: dict[str, int] = {}
    for no, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{source}, linje {no}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}: ugyldig JSON ({exc.msg}, kolonne {exc.colno}).") from exc
        case = validate_case(obj, where)
        if case.id in seen:
            raise DatasetError(f"{where}: id '{case.id}' er allerede brugt på linje {seen[case.id]}.")
        seen[case.id] = no
        cases.append(case)
    if not cases:
        raise DatasetError(f"{source}: filen indeholder ingen spørgsmål.")
    return cases


def validate_case(obj: Any, where: str) -> Case:
    """Check one decoded line against the format; ``where`` names the file and line in errors."""
    if not isinstance(obj, dict):
        raise DatasetError(f"{where}: hver linje skal være et JSON-objekt.")
    unknown = sorted(set(obj) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        allowed = ", ".join([*REQUIRED, *OPTIONAL])
        raise DatasetError(f"{where}: ukendte felter {', '.join(unknown)}. Tilladte felter: {allowed}.")
    missing = [k for k in REQUIRED if k not in obj]
    if missing:
        raise DatasetError(f"{where}: mangler de påkrævede felter {', '.join(missing)}.")
    for key, typ in {**REQUIRED, **OPTIONAL}.items():
        if key in obj and not isinstance(obj[key], typ):
            raise DatasetError(f"{where}: feltet '{key}' har forkert type (forventet {_type_name(typ)}).")
    if not obj["id"].strip() or not obj["question"].strip():
        raise DatasetError(f"{where}: 'id' og 'question' må ikke være tomme.")
    for key in ("answer_facts", "legal_refs"):
        if not all(isinstance(x, str) and x.strip() for x in obj[key]):
            raise DatasetError(f"{where}: '{key}' skal være en liste af ikke-tomme tekster.")
    if obj["answerable"] and not obj["answer_facts"]:
        raise DatasetError(f"{where}: et besvarligt spørgsmål skal have mindst ét faktum i 'answer_facts'.")
    bad_filters = sorted(set(obj.get("filters") or {}) - FILTER_KEYS)
    if bad_filters:
        raise DatasetError(f"{where}: ukendte filtre {', '.join(bad_filters)}. Tilladte: {', '.join(sorted(FILTER_KEYS))}.")
    _check_kind(obj, where)
    if not all(isinstance(x, str) and x.strip() for x in obj.get("grounding") or []):
        raise DatasetError(f"{where}: 'grounding' skal være en liste af ikke-tomme tekster.")
    for turn in obj.get("history") or []:
        if not (isinstance(turn, dict) and set(turn) == {"role", "content"} and turn["role"] in ROLES
                and isinstance(turn["content"], str) and turn["content"].strip()):
            raise DatasetError(
                f"{where}: hvert element i 'history' skal være {{\"role\": \"user\"|\"assistant\", \"content\": \"...\"}}."
            )
    return Case(
        id=obj["id"].strip(), question=obj["question"].strip(), answer_facts=list(obj["answer_facts"]),
        legal_refs=list(obj["legal_refs"]), topic=obj["topic"].strip() or "ukendt", answerable=obj["answerable"],
        source_ids=list(obj.get("source_ids") or []), filters=dict(obj.get("filters") or {}),
        history=[dict(t) for t in obj.get("history") or []], kind=str(obj.get("kind") or "").strip(),
        grounding=list(obj.get("grounding") or []),
    )


def _check_kind(obj: dict[str, Any], where: str) -> None:
    """A given kind must be known and agree with 'answerable' (declined kinds are not answerable)."""
    if "kind" not in obj:
        return
    kind = obj["kind"].strip()
    if kind not in KINDS:
        raise DatasetError(f"{where}: ukendt spørgsmålstype '{kind}'. Tilladte: {', '.join(KINDS)}.")
    if (kind in DECLINE_KINDS) == obj["answerable"]:
        expected = "false" if kind in DECLINE_KINDS else "true"
        raise DatasetError(f"{where}: spørgsmålstypen '{kind}' kræver \"answerable\": {expected}.")


def _type_name(typ: type | tuple[type, ...]) -> str:
    names = {str: "tekst", list: "liste", dict: "objekt", bool: "true/false"}
    if isinstance(typ, tuple):
        return " eller ".join(names.get(t, t.__name__) for t in typ)
    return names.get(typ, typ.__name__)
