"""Danish legal references: parsing queries and texts, canonical ids, labels, aliases."""

from __future__ import annotations

import pytest

from knowledge.legal import LegalRef, act_for_alias, detect_act, find_legal_refs, parse_canonical_id


def ids(text: str, default_act: str | None = None) -> list[str]:
    return [r.canonical_id for r in find_legal_refs(text, default_act)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hvad siger § 59, stk. 2?", ["?:§59:stk2"]),
        ("almenboligloven § 164", ["almenboligloven:§164"]),
        ("LAB § 164 stk. 3", ["almenboligloven:§164:stk3"]),
        ("lov om almene boliger § 54 a", ["almenboligloven:§54a"]),
        ("almenboliglovens § 14 b, stk. 4", ["almenboligloven:§14b:stk4"]),
        ("driftsbekendtgørelsens kapitel 21", ["driftsbekendtgoerelsen:kap21"]),
        ("kap. 21 i driftsbekendtgørelsen", ["driftsbekendtgoerelsen:kap21"]),
        ("almenlejelovens § 10, stk. 3", ["almenlejeloven:§10:stk3"]),
        ("§§ 6 a-6 c", ["?:§6a", "?:§6b", "?:§6c"]),
        ("§§ 5 b, 6 a-c", ["?:§5b", "?:§6a", "?:§6b", "?:§6c"]),
        ("§§ 57-60", ["?:§57", "?:§58", "?:§59", "?:§60"]),
        ("§ 3, stk. 1, nr. 6", ["?:§3:stk1:nr6"]),
        ("§ 58 e og § 64, stk. 1", ["?:§58e", "?:§64:stk1"]),
        ("§ 6 a og § 14 b, stk. 4", ["?:§6a", "?:§14b:stk4"]),
        ("§ 164 i kapitel 13", ["?:§164", "?:kap13"]),
        ("jf. § 164, stk. 1. Desuden gælder", ["?:§164:stk1"]),
        ("ingen henvisning her", []),
    ],
)
def test_find_legal_refs(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


def test_default_act_fills_in_unnamed_refs_only() -> None:
    assert ids("§ 59, stk. 2", "almenboligloven") == ["almenboligloven:§59:stk2"]
    assert ids("driftsbekendtgørelsen § 5", "almenboligloven") == ["driftsbekendtgoerelsen:§5"]


def test_aliases_and_title_detection() -> None:
    assert detect_act("Bekendtgørelse af lov om almene boliger m.v.") == "almenboligloven"
    assert detect_act("Bekendtgørelse om drift af almene boliger m.v.") == "driftsbekendtgoerelsen"
    assert act_for_alias("LAB") == "almenboligloven"
    assert act_for_alias("ABL") == "almenboligloven"
    assert detect_act("Referat af dialogmøde") is None


def test_canonical_ids_round_trip_and_labels() -> None:
    ref = LegalRef("almenboligloven", "54 a", 3)
    assert ref.canonical_id == "almenboligloven:§54a:stk3"
    assert ref.label == "almenboligloven § 54 a, stk. 3"
    assert parse_canonical_id(ref.canonical_id) == ref
    assert parse_canonical_id("driftsbekendtgoerelsen:kap21").label == "driftsbekendtgørelsen kapitel 21"
    with pytest.raises(ValueError, match="Ugyldig"):
        parse_canonical_id("ukendtlov:§1")


def test_covers_and_parent() -> None:
    para = LegalRef("almenboligloven", "164")
    assert para.covers("almenboligloven:§164:stk2") and para.covers("almenboligloven:§164")
    assert not para.covers("almenboligloven:§1640") and not para.covers("almenboligloven:§16")
    stk = LegalRef("almenboligloven", "164", 2)
    assert stk.parent() == para and para.parent() is None
