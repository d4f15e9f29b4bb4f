"""Checks added for reports written by others (issue 16, second round): a deficit in the organisation's
accounts, and a qualification or remark by the auditor - each on a small report written here, reviewed
with an empty knowledge base (fake embeddings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from service.review.review import review_report

REPORT = """Styringsrapport 2026 – Boligforeningen Lyngtoppen

Regnskabsåret 2025.

Økonomi

t.kr. 2025 2024
Årets resultat {result} 210
Arbejdskapital 1.400 1.300

Revision

{audit}
"""


def _statuses(tmp_path: Path, result: str, audit: str) -> dict[str, str]:
    path = tmp_path / "styringsrapport-lyngtoppen.txt"
    path.write_text(REPORT.format(result=result, audit=audit), encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake"))
    review = review_report(path, kb=kb, settings=kb.settings)
    return {c.item.id: c.status for c in review.checks}


@pytest.mark.parametrize(("result", "audit", "deficit", "auditor"), [
    ("-640", "Revisor har i revisionsprotokollatet påpeget manglende funktionsadskillelse.", "følg op", "følg op"),
    ("(35)", "Revisor har taget forbehold for værdien af tilgodehavender.", "følg op", "følg op"),
    ("520", "Regnskabet er revideret uden forbehold og uden bemærkninger fra revisor.", "OK", "OK"),
])
def test_a_deficit_and_an_auditors_remark_are_flagged(tmp_path: Path, result: str, audit: str, deficit: str,
                                                     auditor: str) -> None:
    statuses = _statuses(tmp_path, result, audit)
    assert statuses["aarets_resultat_underskud"] == deficit
    assert statuses["revisionsbemaerkning"] == auditor
