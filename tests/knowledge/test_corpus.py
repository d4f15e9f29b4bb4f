"""Checks on the built-in Danish corpus: front matter, legal references, glossary, coverage."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import frontmatter
import pytest
import yaml

from knowledge.legal import ACTS, LegalRef, find_legal_refs, parse_canonical_id
from knowledge.text import content_terms

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "knowledge" / "corpus"
GLOSSARY_PATH = ROOT / "knowledge" / "glossary.yaml"
# The dev questions live in the repo once eval/ has copied them; the shared folder is the origin.
DEV_QUESTION_PATHS = (
    ROOT / "eval" / "datasets" / "dev.jsonl",
    Path("/work/shared/eval/questions-dev.jsonl"),
)

REQUIRED_KEYS = {"title", "kind", "topics", "legal_refs", "sources", "confidence", "last_reviewed"}
COVERAGE_THRESHOLD = 0.6
MIN_FILES = 15

# Glossary terms the retrieval step expands; each must be an entry's term or synonym.
REQUIRED_GLOSSARY_TERMS = [
    "styringsrapport", "dokumentationspakke", "styringsdialog", "Landsbyggefonden",
    "Almenstyringsdialog.dk", "dispositionsfond", "arbejdskapital", "henlæggelser",
    "vedligeholdelse", "lejeledighed", "fraflytningsprocent", "effektivitetstal",
    "kommunal anvisning", "fleksibel udlejning", "kombineret udlejning", "helhedsplan",
    "udviklingsplan", "omdannelsesområde", "parallelsamfund", "forebyggelsesområde",
    "afdelingsbestyrelse", "organisationsbestyrelse", "tilsynskommune", "redegørelse",
    "egenkontrol", "forvaltningsrevision", "almenboligloven", "driftsbekendtgørelsen",
]


def _corpus_files() -> list[Path]:
    return sorted(CORPUS_DIR.glob("*.md"))


def _load(path: Path) -> frontmatter.Post:
    return frontmatter.load(str(path))


def _paragraphs(body: str) -> list[str]:
    """Blank-line separated blocks; a bullet or numbered list counts item by item."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", body):
        lines = block.strip().splitlines()
        if lines and all(re.match(r"\s*(?:[-*]|\d+\.)\s", ln) or ln.startswith("  ") for ln in lines):
            items: list[str] = []
            for ln in lines:
                if re.match(r"\s*(?:[-*]|\d+\.)\s", ln):
                    items.append(ln)
                else:
                    items[-1] += " " + ln.strip()
            out.extend(items)
        elif block.strip():
            out.append(block.strip())
    return out


def _refs_in_body(body: str, act: str) -> set[str]:
    """Canonical ids (and their parents) that the text mentions, reading bare § as ``act``."""
    found: set[str] = set()
    for ref in find_legal_refs(body, default_act=act):
        cur: LegalRef | None = ref
        while cur is not None:
            found.add(cur.canonical_id)
            cur = cur.parent()
    return found


def _dev_questions() -> list[dict]:
    for path in DEV_QUESTION_PATHS:
        if path.exists():
            return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return []


CORPUS_FILES = _corpus_files()


def test_corpus_has_enough_files() -> None:
    assert len(CORPUS_FILES) >= MIN_FILES


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_front_matter_is_complete_and_typed(path: Path) -> None:
    post = _load(path)
    meta = post.metadata
    keys = set(meta)
    if meta.get("kind") == "notat":
        expected = REQUIRED_KEYS | {"provision", "version"}
        assert keys == expected, sorted(keys ^ expected)
        assert isinstance(meta["version"], str) and meta["version"].strip()
    else:
        assert keys == REQUIRED_KEYS, sorted(keys ^ REQUIRED_KEYS)
    assert meta["kind"] in {"vejledning", "notat"}
    assert isinstance(meta["title"], str) and meta["title"].strip()
    assert isinstance(meta["topics"], list) and meta["topics"]
    assert all(isinstance(t, str) and t for t in meta["topics"])
    assert isinstance(meta["legal_refs"], list)
    assert isinstance(meta["confidence"], str) and meta["confidence"].strip()
    assert isinstance(meta["last_reviewed"], dt.date)
    assert isinstance(meta["sources"], list) and meta["sources"]
    for source in meta["sources"]:
        assert set(source) == {"title", "url"}, source
        assert isinstance(source["title"], str) and source["title"].strip()
        assert re.match(r"^https?://\S+$", source["url"]), source["url"]
    assert len(post.content.strip()) > 500, "for lidt tekst"
    assert post.content.lstrip().startswith("# "), "teksten skal starte med en overskrift"
    assert len(re.findall(r"^## ", post.content, flags=re.M)) >= 2, "mindst to ##-afsnit"


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_legal_refs_parse_and_are_mentioned(path: Path) -> None:
    post = _load(path)
    for cid in post.metadata["legal_refs"]:
        ref = parse_canonical_id(cid)
        assert ref.act in ACTS, cid
        assert ref.canonical_id == cid, f"ikke-kanonisk id: {cid} (forventet {ref.canonical_id})"
        if ref.paragraph or ref.chapter:
            assert cid in _refs_in_body(post.content, ref.act), f"{cid} nævnes ikke i teksten"
        else:
            names = [ACTS[ref.act][0], *ACTS[ref.act][1]]
            assert any(n.lower() in post.content.lower() for n in names), cid


def test_titles_are_unique() -> None:
    titles = [_load(p).metadata["title"] for p in CORPUS_FILES]
    assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_provision_notes_name_their_provision(path: Path) -> None:
    post = _load(path)
    meta = post.metadata
    if meta["kind"] != "notat":
        assert "provision" not in meta
        return
    ref = parse_canonical_id(meta["provision"])
    assert ref.act in ACTS
    assert meta["legal_refs"][0] == meta["provision"], "hovedbestemmelsen skal stå først i legal_refs"
    body = post.content
    if ref.paragraph:
        assert f"§ {ref.paragraph}" in body or f"§§ {ref.paragraph}" in body
    else:
        assert f"kapitel {ref.chapter}" in body
    assert "retsinformation.dk" in body, "notatet skal henvise til den bindende tekst"
    assert re.search(r"sammendrag|resumé", body, flags=re.I), "notatet skal sige, at det er et sammendrag"
    for cid in meta["legal_refs"]:
        sub = parse_canonical_id(cid)
        if sub.stk is not None and sub.paragraph == ref.paragraph:
            assert re.search(rf"^## Stk\. {sub.stk}\b", body, flags=re.M), f"mangler afsnit for stk. {sub.stk}"


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_no_raw_uncertainty_markers(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for marker in ("[IV]", "**IV**", "[P]", "[P*]", "[S]", "[IV"):
        assert marker not in text, f"{marker} står rått i {path.name}"
    assert not re.search(r"\bF\d{1,3}\b", text), "interne fakta-numre (F12) hører ikke hjemme i korpusset"


def test_glossary_entries_are_complete() -> None:
    entries = yaml.safe_load(GLOSSARY_PATH.read_text(encoding="utf-8"))
    assert isinstance(entries, list) and len(entries) >= 25
    seen: set[str] = set()
    for entry in entries:
        assert set(entry) == {"term", "synonyms", "explanation"}, entry
        assert isinstance(entry["term"], str) and entry["term"].strip()
        assert isinstance(entry["synonyms"], list)
        assert all(isinstance(s, str) and s.strip() for s in entry["synonyms"])
        assert isinstance(entry["explanation"], str) and len(entry["explanation"]) > 20
        assert entry["term"].lower() not in seen, f"dobbelt term: {entry['term']}"
        seen.add(entry["term"].lower())
    vocabulary = {w.lower() for e in entries for w in [e["term"], *e["synonyms"]]}
    missing = [t for t in REQUIRED_GLOSSARY_TERMS if t.lower() not in vocabulary]
    assert not missing, missing


def test_glossary_terms_appear_in_ordliste() -> None:
    entries = yaml.safe_load(GLOSSARY_PATH.read_text(encoding="utf-8"))
    ordliste = _load(CORPUS_DIR / "ordliste.md").content.lower()
    missing = [e["term"] for e in entries if e["term"].lower() not in ordliste]
    assert not missing, missing


def _coverage_cases() -> list[tuple[str, str]]:
    return [(q["id"], fact) for q in _dev_questions() if q.get("answerable") for fact in q["answer_facts"]]


def _best_paragraph_score(fact: str, paragraphs: list[set[str]]) -> float:
    terms = set(content_terms(fact))
    if not terms:
        return 1.0
    return max(len(terms & para) / len(terms) for para in paragraphs)


@pytest.fixture(scope="module")
def corpus_paragraph_terms() -> list[set[str]]:
    out: list[set[str]] = []
    for path in CORPUS_FILES:
        out.extend(set(content_terms(p)) for p in _paragraphs(_load(path).content))
    return out


@pytest.mark.parametrize(("qid", "fact"), _coverage_cases() or [pytest.param("-", "-", marks=pytest.mark.skip)])
def test_dev_answer_facts_are_covered(qid: str, fact: str, corpus_paragraph_terms: list[set[str]]) -> None:
    score = _best_paragraph_score(fact, corpus_paragraph_terms)
    assert score >= COVERAGE_THRESHOLD, f"{qid}: '{fact}' dækkes kun {score:.0%}"


def test_dev_question_legal_refs_are_carried() -> None:
    """Every § a dev question cites is in some corpus file's legal_refs and mentioned in its text."""
    carried: dict[str, str] = {}
    for path in CORPUS_FILES:
        post = _load(path)
        for cid in post.metadata["legal_refs"]:
            carried.setdefault(cid, post.content)
    missing = []
    for q in _dev_questions():
        if not q.get("answerable"):
            continue
        for label in q["legal_refs"]:
            for ref in find_legal_refs(label):
                if ref.act is None or not (ref.paragraph or ref.chapter):
                    continue
                if ref.canonical_id not in carried and (ref.parent() is None or ref.parent().canonical_id not in carried):
                    missing.append(f"{q['id']}: {ref.canonical_id}")
    assert not missing, missing


def test_unanswerable_questions_stay_unanswered() -> None:
    """The corpus stays in the social-housing field and states no efficiency target beyond 2026."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in CORPUS_FILES).lower()
    assert "andelsbolig" not in text
    assert "privat udlejer" not in text
    assert "efter 2026" not in text
