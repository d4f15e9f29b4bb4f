"""Test helper (not product code): run an `almen` command slowly enough to be killed at any phase.

Usage: python crash_worker.py READY_FILE almen-args...

The fake embeddings are slowed down by ALMEN_TEST_EMBED_DELAY seconds per call (monkeypatched here,
never in the product). READY_FILE gets the line "ready" once the imports are done and "embedding"
when the first document reaches the embeddings, so the parent can time its SIGKILL from there.

ALMEN_TEST_HANG_AT="module:function" (or "module:Class.method", with ":after" to run it first) makes the
process stop for good at that call and write "hanging" to READY_FILE: the parent kills it at exactly
that point, without guessing a time.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path


def slow_down_embeddings(delay: float, ready: Path) -> None:
    """Make every FakeEmbeddings.embed_documents call take ``delay`` seconds longer; note the first call."""
    from knowledge.embeddings import FakeEmbeddings

    original = FakeEmbeddings.embed_documents
    noted = False

    def slow(self: FakeEmbeddings, texts: list[str]) -> list[list[float]]:
        nonlocal noted
        if not noted:
            noted = True
            with ready.open("a", encoding="utf-8") as fh:
                fh.write("embedding\n")
        time.sleep(delay)
        return original(self, texts)

    FakeEmbeddings.embed_documents = slow  # type: ignore[method-assign]


def hang_at(spec: str, ready: Path) -> None:
    """Replace the function named by ``spec`` with one that reports "hanging" and never returns."""
    module_name, qualname, *when = spec.split(":")
    owner: object = importlib.import_module(module_name)
    *path, name = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    original = getattr(owner, name)

    def hung(*args: object, **kwargs: object) -> None:
        if when == ["after"]:
            original(*args, **kwargs)
        with ready.open("a", encoding="utf-8") as fh:
            fh.write("hanging\n")
        while True:
            time.sleep(60)

    setattr(owner, name, hung)


def main() -> None:
    ready = Path(sys.argv[1])
    slow_down_embeddings(float(os.environ.get("ALMEN_TEST_EMBED_DELAY", "0")), ready)
    if os.environ.get("ALMEN_TEST_HANG_AT"):
        hang_at(os.environ["ALMEN_TEST_HANG_AT"], ready)
    from service.cli import main as almen  # imported before "ready": the kill window is the command itself

    with ready.open("a", encoding="utf-8") as fh:
        fh.write("ready\n")
    sys.argv = ["almen", *sys.argv[2:]]
    almen()


if __name__ == "__main__":
    main()
