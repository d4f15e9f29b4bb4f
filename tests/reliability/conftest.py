"""Fixtures of the reliability tests: the hostile corpus (written once per session) and good documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.hostile_files import HostileFile, write_good_files, write_hostile_files


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> list[HostileFile]:
    """Every hostile case, written into a session temp folder."""
    return write_hostile_files(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def good_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Ordinary documents that must be ingested beside the hostile ones."""
    return write_good_files(tmp_path_factory.mktemp("good"))
