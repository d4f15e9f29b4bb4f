"""Shared helpers of the reliability tests: bounded subprocesses, store snapshots and consistency checks."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
ALMEN = [sys.executable, "-c", "from service.cli import main; main()"]


def almen_env(home: Path, **extra: str) -> dict[str, str]:
    """Environment for an `almen` subprocess: its own data dir, fake embeddings, offline, no colour, and no
    built-in knowledge base (the CLI completes it on every run otherwise; pass ALMEN_BUILTIN="true" to have it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALMEN_")}
    env.update({
        "ALMEN_HOME": str(home), "ALMEN_EMBEDDING_BACKEND": "fake", "ALMEN_BUILTIN": "false", "ANONYMIZED_TELEMETRY": "False",
        "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "250",
        "PYTHONPATH": str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
    })
    env.update(extra)
    return env


@dataclass
class Finished:
    """A bounded subprocess that ended: exit code, output, wall time and peak resident memory."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float
    timed_out: bool = False


def run_bounded(args: list[str], env: dict[str, str], *, timeout: float, address_space_mb: int = 4096,
                cwd: Path | None = None) -> Finished:
    """Run a command with a wall-clock timeout and an address-space cap; report its own peak RSS (wait4)."""

    def limit() -> None:  # runs in the child before exec
        cap = address_space_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    out_path = Path(env.get("TMPDIR", "/tmp")) / f"almen-bounded-{os.getpid()}-{time.monotonic_ns()}"
    rss_file = Path(f"{out_path}.rss")
    # Linux keeps a forked child's high-water RSS across exec, so a child of a big pytest process
    # would report pytest's own size. A small launcher process forks the real command and reports
    # the peak of that grandchild only.
    launched = [sys.executable, "-c", _LAUNCHER, str(rss_file), *[str(a) for a in args]]
    started = time.monotonic()
    with open(f"{out_path}.out", "wb") as out, open(f"{out_path}.err", "wb") as err:
        proc = subprocess.Popen(launched, env=env, stdout=out, stderr=err, preexec_fn=limit, cwd=cwd or REPO,
                                start_new_session=True)
        timed_out = False
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    stdout = Path(f"{out_path}.out").read_text(encoding="utf-8", errors="replace")
    stderr = Path(f"{out_path}.err").read_text(encoding="utf-8", errors="replace")
    Path(f"{out_path}.out").unlink(missing_ok=True)
    Path(f"{out_path}.err").unlink(missing_ok=True)
    try:
        peak_kb = float(rss_file.read_text())
    except (OSError, ValueError):  # the launcher was killed (time-out): fall back to its own figure
        peak_kb = float(usage.ru_maxrss)
    rss_file.unlink(missing_ok=True)
    return Finished(proc.returncode, stdout, stderr, seconds, peak_kb / 1024, timed_out)


_LAUNCHER = """
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(rc if rc >= 0 else 128 - rc)
"""


def parse_json_output(stdout: str) -> Any:
    """The JSON document a `--json` command printed (Rich may print progress around it)."""
    start = min(i for i in (stdout.find("{"), stdout.find("[")) if i >= 0)
    return json.loads(stdout[start:])


# ------------------------------------------------------------------------------- store checks
@dataclass
class Snapshot:
    """What a reader can see in a store, plus the raw facts that must not change on a refused file."""

    generation: str
    sources: dict[str, tuple[str, int]]  # source_id -> (doc_hash, chunk_count)
    active_ids: set[str]
    raw_count: int


def snapshot(kb: KnowledgeBase) -> Snapshot:
    """The store as it is now."""
    store = kb.store
    return Snapshot(
        generation=store.generation(),
        sources={r.source_id: (r.doc_hash, r.chunk_count) for r in store.list_sources()},
        active_ids={c.id for c in store.iter_active_chunks()},
        raw_count=store.raw_count(),
    )


def open_kb(home: Path, **overrides: Any) -> KnowledgeBase:
    """A fresh KnowledgeBase (fake embeddings) over a data directory."""
    return KnowledgeBase(Settings(home=home, embedding_backend="fake", **overrides))


def consistency_problems(kb: KnowledgeBase) -> list[str]:
    """Everything that is wrong with a store after a crash; empty when it is consistent.

    - every active source shows exactly its chunk_count chunks, ordinals 0..n-1 once each (no half
      document, no duplicates), all of the active version;
    - no two active chunks share an id or (source, ordinal);
    - the lexical index, brought up to date, holds exactly the active chunk ids.
    """
    problems: list[str] = []
    store = kb.store
    records = {r.source_id: r for r in store.list_sources()}
    active = list(store.iter_active_chunks())
    ids = Counter(c.id for c in active)
    problems += [f"duplicate chunk id {cid}" for cid, n in ids.items() if n > 1]
    by_source: dict[str, list[int]] = {}
    for c in active:
        if c.metadata.get("doc_hash") != records[c.source_id].doc_hash:
            problems.append(f"chunk {c.id} of an inactive version is visible")
        by_source.setdefault(c.source_id, []).append(int(c.metadata.get("ordinal", -1)))
    for sid, rec in records.items():
        ordinals = sorted(by_source.get(sid, []))
        if ordinals != list(range(rec.chunk_count)):
            problems.append(f"{sid}: {len(ordinals)} visible chunks, record says {rec.chunk_count} "
                            f"(ordinals {ordinals[:5]}...)")
    problems += [f"chunk {c.id} belongs to no source" for c in active if c.source_id not in records]
    kb.lexical.ensure(store)
    lexical_ids = set(kb.lexical.ids)
    if len(kb.lexical.ids) != len(lexical_ids):
        problems.append("the lexical index holds a chunk id twice")
    if lexical_ids != set(ids):
        problems.append(f"lexical index disagrees with the store: {len(lexical_ids - set(ids))} extra, "
                        f"{len(set(ids) - lexical_ids)} missing")
    return problems
