"""The built-in knowledge base: present in every store (unless ALMEN_BUILTIN=false) and kept at its version.

The built-in corpus is the notes shipped with almen (``knowledge/corpus``, or ``ALMEN_BUILTIN_DIR``). Its
version is what its files hold: each note's content hash (with the chunking version) against the hash its
source record was ingested from. ``ensure_builtin`` compares the two on every start of the service and
the CLI (reading ~50 small files and the source list: milliseconds) and, when they differ, ingests the
new and changed notes and removes the dropped ones. It touches built-in sources only: the user's
documents and imported statutes keep their versions, ids and dates.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.pipeline import IngestEvent, IngestReport, file_hash, ingest_paths, source_id_for
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.types import content_hash

CORPUS_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "corpus"
PREFIX = "builtin"


def corpus_dir(settings: Settings | None = None) -> Path:
    """The folder of the built-in corpus: ALMEN_BUILTIN_DIR when set, else the notes shipped with almen."""
    return (settings.builtin_dir if settings is not None and settings.builtin_dir else None) or CORPUS_DIR


def builtin_files(settings: Settings | None = None) -> list[Path]:
    """The notes of the built-in corpus (Markdown files), in name order."""
    return sorted(corpus_dir(settings).glob("*.md"))


@dataclass
class BuiltinPlan:
    """What bringing the built-in base up to date would do."""

    add: list[Path] = field(default_factory=list)
    update: list[Path] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)  # source ids of notes no longer in the corpus
    unchanged: int = 0
    version: str = ""  # short hash of the corpus: names the version in messages

    @property
    def changed(self) -> bool:
        return bool(self.add or self.update or self.remove)

    @property
    def first(self) -> bool:
        """The store holds no built-in note yet (a first load, not an update)."""
        return not self.update and not self.remove and self.unchanged == 0


def plan_builtin(kb: KnowledgeBase) -> BuiltinPlan:
    """Compare the corpus files with the built-in sources in the store (nothing is written)."""
    stored = {r.source_id: r.doc_hash for r in kb.store.list_sources() if r.builtin}
    plan = BuiltinPlan()
    hashes: list[str] = []
    for path in builtin_files(kb.settings):
        sid = source_id_for(path, prefix=PREFIX)
        digest = file_hash(kb, path.read_bytes(), {})
        hashes.append(f"{sid}={digest}")
        if sid not in stored:
            plan.add.append(path)
        elif stored.pop(sid) != digest:
            plan.update.append(path)
        else:
            plan.unchanged += 1
    plan.remove = sorted(stored)
    plan.version = content_hash("\n".join(hashes))[:8]
    return plan


def sync_builtin(kb: KnowledgeBase, plan: BuiltinPlan | None = None) -> Iterator[IngestEvent]:
    """Bring the built-in corpus in the store up to date (idempotent; removed corpus files are removed)."""
    plan = plan or plan_builtin(kb)
    for source_id in plan.remove:
        kb.store.remove_source(source_id)
    yield from ingest_paths(kb, builtin_files(kb.settings), id_prefix=PREFIX, builtin=True)


@dataclass
class BuiltinSync(IngestReport):
    """The report of a start-up sync of the built-in base, with what it did in words."""

    first: bool = False  # the store had no built-in notes before
    removed: int = 0
    version: str = ""
    turned_off: bool = False

    def message(self) -> str:
        """A Danish line for the CLI and the service log."""
        if self.turned_off:
            return (f"Den indbyggede vidensbase er slået fra (ALMEN_BUILTIN=false): {self.removed} notater er "
                    "fjernet fra vidensbasen.")
        failed = [r for r in self.results if r.status == "failed"]
        tail = (f" {len(failed)} notater kunne ikke indlæses: " + "; ".join(r.message for r in failed[:3])) if failed else ""
        if self.first:
            loaded = self.count("added") + self.count("updated") + self.count("unchanged")
            return f"Den indbyggede vidensbase er indlæst ({loaded} notater, version {self.version}).{tail}"
        return (f"Den indbyggede vidensbase er opdateret til version {self.version}: {self.count('added')} notater "
                f"tilføjet, {self.count('updated')} opdateret, {self.removed} fjernet. Dine egne dokumenter og "
                f"importerede love er ikke ændret.{tail}")


def ensure_builtin(kb: KnowledgeBase, on_event: Callable[[IngestEvent], None] | None = None,
                   plan: BuiltinPlan | None = None) -> BuiltinSync | None:
    """Make the store hold the built-in corpus at its current version; None when it already does.

    With ALMEN_BUILTIN=false the built-in notes are removed instead (None when there are none)."""
    started = time.perf_counter()
    if not kb.settings.builtin:
        ids = [r.source_id for r in kb.store.list_sources() if r.builtin]
        for source_id in ids:
            kb.store.remove_source(source_id)
        return BuiltinSync(removed=len(ids), turned_off=True, seconds=time.perf_counter() - started) if ids else None
    plan = plan or plan_builtin(kb)
    if not plan.changed:
        return None
    report = BuiltinSync(first=plan.first,
                         removed=len(plan.remove), version=plan.version)
    for ev in sync_builtin(kb, plan):
        if on_event:
            on_event(ev)
        if ev.result is not None:
            report.results.append(ev.result)
    report.seconds = time.perf_counter() - started
    return report
