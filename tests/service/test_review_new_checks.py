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


AFDELINGER = """Styringsrapport 2026 – Boligforeningen Lyngtoppen

Regnskabsåret 2025.

Afdelingerne

Afd. 2 Hedehuse har 60 familieboliger. Afdelingens effektivitetstal er faldet til 76 mod 90 året før.

Afd. 5 Lyngparken har 30 ældreboliger, og 4 boliger stod tomme ved årets udgang. Ledigheden skyldes, at kommunen ikke
har visiteret lejere til boligerne.
"""


def test_a_falling_efficiency_figure_and_homes_the_municipality_does_not_refer_to(tmp_path: Path) -> None:
    path = tmp_path / "styringsrapport-afdelinger.txt"
    path.write_text(AFDELINGER, encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake"))
    checks = {c.item.id: c for c in review_report(path, kb=kb, settings=kb.settings).checks}
    assert checks["effektivitet_udvikling"].status == "følg op"
    assert checks["effektivitet"].status != "følg op"  # 76 is not red
    referral = checks["tomgang_kommunal_visitation"]
    assert referral.status == "følg op"
    assert any(f.afdeling and "5" in f.afdeling for f in referral.findings)
