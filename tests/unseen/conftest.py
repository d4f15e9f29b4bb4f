"""Load the unseen-material builder and the measuring scripts by path (neither is a package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
UNSEEN = ROOT / "tests" / "fixtures" / "unseen"
UNSEEN2 = ROOT / "tests" / "fixtures" / "unseen2"
UNSEEN3 = ROOT / "tests" / "fixtures" / "unseen3"
UNSEEN4 = ROOT / "tests" / "fixtures" / "unseen4"
UNSEEN5 = ROOT / "tests" / "fixtures" / "unseen5"


def load(path: Path) -> ModuleType:
    """Import a module from a file, with its folder on sys.path for its own imports."""
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    name = f"_unseen_{path.stem}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
