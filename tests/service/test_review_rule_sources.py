"""The note's 'Relevante regler' come from statutes, the built-in notes and guidance - never from the fictional
samples' act or the municipality's own notat, however well they match."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import SAMPLES_DIR, ingest_file
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from service.review.check_results import CheckResult
from service.review.checklist import load_checklist
from service.review.review import cite_rules


def test_rules_are_cited_from_statutes_notes_and_guidance_only(tmp_path: Path) -> None:
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake", builtin=False))
    assert ingest_file(kb, SAMPLES_DIR / "lov-om-proeveboliger.pdf", id_prefix="sample",
                       authority="sample").status == "added"
    text = "Prøveboliger udlejes efter aftale mellem kommunalbestyrelsen og boligorganisationen i styringsdialogen.\n"
    for name, kind in (("vejledning-proeveboliger.md", "vejledning"), ("notat-proeveboliger.md", "notat")):
        path = tmp_path / name
        path.write_text(f"# {name}\n\n{text}", encoding="utf-8")
        assert ingest_file(kb, path, kind=kind).status == "added"
    item = load_checklist().items[0].model_copy(update={"search": "prøveboliger aftale kommunalbestyrelsen", "basis": []})
    cited = cite_rules(kb, CheckResult(item=item, status="følg op", summary="", rule_text="", basis_labels=[]), k=5)
    assert [c.kind for c in cited] == ["vejledning"]
