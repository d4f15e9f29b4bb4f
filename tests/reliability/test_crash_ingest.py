"""kill -9 `almen ingest` at random moments: the store stays consistent and a re-run completes.

Each trial rewrites some documents with a new version marker, starts the ingest (fake embeddings slowed
down by the helper script, never by product code), and kills it with SIGKILL at a random moment. Then a
fresh reader judges the state the kill left: no duplicate chunks, no half document, no document mixing
two versions, the lexical index equal to the store's active chunks.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.helpers import almen_env, consistency_problems, open_kb

pytestmark = pytest.mark.slow

TRIALS = 24
DOCS = 4
EMBED_DELAY = 0.15
WORKER = Path(__file__).with_name("crash_worker.py")
MARKER_RE = re.compile(r"VERSIONSMAERKE-(\d+)")


def write_document(folder: Path, index: int, version: int) -> Path:
    """A Markdown note with a dozen sections; every paragraph carries the version marker."""
    path = folder / f"notat-{index}.md"
    sections = [f"# Notat {index} om styringsdialogen\n"]
    for s in range(12):
        sections.append(
            f"## Afsnit {s}\n\nVERSIONSMAERKE-{version} Boligorganisation {index} og kommunen drøfter afsnit {s}: "
            + "udlejning, vedligeholdelse, henlæggelser og beboerdemokrati i afdelingerne. " * 12
            + f"VERSIONSMAERKE-{version}\n"
        )
    path.write_text("\n".join(sections), encoding="utf-8")
    return path


def judge(home: Path) -> dict:
    """What a fresh reader sees: consistency problems, sources by file name, the version of each source."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()  # a really fresh client: nothing cached from the last look
    try:
        kb = open_kb(home)
        problems = consistency_problems(kb)
        markers: dict[str, set[int]] = {}
        for chunk in kb.store.iter_active_chunks():
            markers.setdefault(chunk.source_id, set()).update(int(m) for m in MARKER_RE.findall(chunk.text))
        problems += [f"{sid} mixes versions {sorted(m)}" for sid, m in markers.items() if len(m) > 1]
        names = {r.source_id: r.path for r in kb.store.list_sources()}
        return {"problems": problems, "sources": names,
                "versions": {names[sid]: max(m) for sid, m in markers.items() if m}}
    finally:
        SharedSystemClient.clear_system_cache()


def run_and_kill(args: list[str], env: dict[str, str], ready: Path, kill_after: float | None, *,
                 from_embedding: bool) -> int | None:
    """Start the worker; SIGKILL it ``kill_after`` s after it is ready (or first embeds); None = let it finish."""
    proc = subprocess.Popen([sys.executable, str(Path(WORKER)), str(ready), *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    want = "embedding" if from_embedding else "ready"
    deadline = time.monotonic() + 90
    while proc.poll() is None and want not in (ready.read_text() if ready.exists() else ""):
        assert time.monotonic() < deadline, "the worker never got ready"
        time.sleep(0.01)
    if kill_after is None:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err.decode()[-3000:]
        return proc.returncode
    time.sleep(kill_after)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return None


def test_kill_9_at_random_moments_leaves_a_consistent_store_and_a_rerun_completes(tmp_path: Path) -> None:
    rng = random.Random(20261129)
    docs = tmp_path / "docs"
    docs.mkdir()
    home = tmp_path / "home"
    env = almen_env(home, ALMEN_TEST_EMBED_DELAY=str(EMBED_DELAY))
    versions = {i: 0 for i in range(DOCS)}
    for i in range(DOCS):
        write_document(docs, i, 0)
    started = time.monotonic()
    changed = 0
    last = judge(home)
    for trial in range(1, TRIALS + 1):
        for i in range(DOCS):
            if rng.random() < 0.6:
                versions[i] = trial
                write_document(docs, i, trial)
        if trial % 6 == 0 and last["sources"]:
            args = ["sources", "remove", rng.choice(sorted(last["sources"]))]
            kill_after, from_embedding = rng.uniform(0.0, 1.0), False
        else:
            args = ["ingest", str(docs)]
            # Mostly around the writes (after the first embedding), sometimes during start-up.
            from_embedding = rng.random() < 0.8
            kill_after = rng.uniform(0.0, 1.6) if from_embedding else rng.uniform(0.0, 2.5)
        run_and_kill(args, env, tmp_path / f"ready-{trial}", kill_after, from_embedding=from_embedding)
        facts = judge(home)
        assert facts["problems"] == [], f"trial {trial} ({args[0]}, kill after {kill_after:.2f} s): {facts['problems']}"
        changed += facts["versions"] != last["versions"]
        last = facts
        assert time.monotonic() - started < 420, "the crash trials took too long"

    # A re-run without a kill completes: every file present exactly once, in its newest version.
    run_and_kill(["ingest", str(docs)], env, tmp_path / "ready-final", None, from_embedding=False)
    final = judge(home)
    assert final["problems"] == []
    assert sorted(final["sources"].values()) == sorted(f"notat-{i}.md" for i in range(DOCS))
    assert final["versions"] == {f"notat-{i}.md": v for i, v in versions.items()}
    assert changed >= 5, f"only {changed} kills landed after a commit; the test proves little"
