"""Version questions are recognised by their words alone; everything else about an act is a rules question."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.version_questions import VersionQuestion, version_question


@pytest.mark.parametrize(("question", "act", "on"), [
    ("Hvilken version af almenboligloven er gældende?", "almenboligloven", None),
    ("hvilken driftsbekendtgørelse gælder?", "driftsbekendtgoerelsen", None),
    ("Hvad er den gældende driftsbekendtgørelse?", "driftsbekendtgoerelsen", None),
    ("Hvilken lovbekendtgørelse af lov om almene boliger er den nyeste?", "almenboligloven", None),
    ("Hvad er nummeret på den gældende almenboliglov?", "almenboligloven", None),
    ("Which version of almenboligloven is current?", "almenboligloven", None),
    ("Hvilken version af almenboligloven gjaldt den 1. juni 2025?", "almenboligloven", date(2025, 6, 1)),
    ("Hvilken udgave af driftsbekendtgørelsen var gældende 2024-03-01?", "driftsbekendtgoerelsen", date(2024, 3, 1)),
])
def test_version_questions(question: str, act: str, on: date | None) -> None:
    assert version_question(question) == VersionQuestion(act, on)


@pytest.mark.parametrize("question", [
    "Hvad siger den nyeste version af almenboligloven om kombineret udlejning?",
    "Hvad er gældende for kombineret udlejning efter almenboligloven?",
    "Hvilken version af almenboligloven § 51 b gælder?",  # a § : the rule, answered from the texts
    "Hvad siger almenboligloven § 5?",
    "Hvornår trådte almenboligloven i kraft?",
    "Hvilken version gælder?",  # no act named
    "Hvilken version af almenboligloven og driftsbekendtgørelsen gælder?",  # two acts: not one answer
])
def test_other_questions_are_not_version_questions(question: str) -> None:
    assert version_question(question) is None
