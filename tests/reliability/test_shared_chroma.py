"""Two service processes (one of them with two uvicorn workers sharing a data directory) on one Chroma
server, under concurrent queries while documents are replaced and deleted through alternating services,
plus `almen ingest`/`almen sources remove` as a third writer: no errors, no mixed versions, no deleted
document returned, and afterwards every worker sees the same state. The run ends on counts (see
tests/reliability/test_concurrency.py), not after a fixed time."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.reliability.helpers import ALMEN, almen_env, parse_json_output, run_bounded
from tests.reliability.test_concurrency import (
    MARKER_RE,
    QUERY,
    QUESTION,
    UPLOADED,
    Observation,
    Run,
    version_of_chunk_id,
    versioned_text,
)
from tests.service.conftest import free_port

pytestmark = pytest.mark.slow
KEYS = "reader:reader-noegle-delt-123-abcd,editor:editor-noegle-delt-123-abcd"
READER = {"X-API-Key": "reader-noegle-delt-123-abcd"}
EDITOR = {"X-API-Key": "editor-noegle-delt-123-abcd"}


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} not ready: {log.read_text(errors='replace')[-3000:]}")


def state(base: str) -> dict:
    """What one service shows: its documents, readiness facts and the hits of a probe query."""
    docs = httpx.get(f"{base}/api/documents", headers=EDITOR, timeout=60).json()["documents"]
    ready = httpx.get(f"{base}/readyz", timeout=60).json()
    hits = httpx.get(f"{base}/api/search", headers=READER, params={"q": QUERY, "k": 8}, timeout=60).json()["hits"]
    return {"documents": sorted((d["source_id"], d["chunk_count"]) for d in docs),
            "generation": ready["generation"], "chunks": ready["chunks"], "hits": [h["chunk_id"] for h in hits]}


def test_two_services_on_one_chroma_server_under_concurrent_writes(chroma_server: str, tmp_path: Path,
                                                                   good_files: list[Path]) -> None:
    env = {"ALMEN_CHROMA_URL": chroma_server, "ALMEN_API_KEYS": KEYS, "ALMEN_ALLOW_ANONYMOUS": "false",
           "ALMEN_RATE_LIMIT_PER_MINUTE": "100000"}
    first = run_bounded(ALMEN + ["ingest", "--json", *map(str, good_files)], almen_env(tmp_path / "cli", **env),
                        timeout=180)
    assert first.returncode == 0, first.stderr[-2000:]
    ports = free_port(), free_port()
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    procs = [
        start(ALMEN + ["serve", "--port", str(ports[0])], almen_env(tmp_path / "home-a", **env), logs[0]),
        start(ALMEN + ["serve", "--port", str(ports[1]), "--workers", "2"], almen_env(tmp_path / "home-b", **env),
              logs[1]),
    ]
    try:
        for url, proc, log in zip(urls, procs, logs):
            wait_ready(f"{url}/readyz", proc, log)
        run = Run()
        version = 0
        clients = [httpx.Client(base_url=u, timeout=60) for u in (urls[0], urls[1], urls[1], urls[0])]

        def writer() -> None:
            nonlocal version
            version += 1
            via = urls[version % 2]
            removing = version % 4 == 0
            if removing:
                window = [time.monotonic(), math.inf]
                run.maybe_absent.append(window)
                gone = httpx.delete(f"{urls[(version + 1) % 2]}/api/documents/{UPLOADED}", headers=EDITOR,
                                    timeout=60)
                assert gone.status_code == 200, gone.text
                deleted = time.monotonic()
                run.hold_deletion_window(deleted)
                run.absent.append((deleted, time.monotonic()))
            up = httpx.post(f"{via}/api/documents", headers=EDITOR, timeout=60,
                            data={"kind": "aftale", "replace": "true"},
                            files={"file": ("aftale.md", versioned_text(version).encode())})
            assert up.status_code == 201, up.text
            if removing:
                window[1] = time.monotonic()
            run.writes += 1

        def search(client: httpx.Client) -> Callable[[], None]:
            def once() -> None:
                started = time.monotonic()
                response = client.get("/api/search", params={"q": QUERY, "k": 8}, headers=READER)
                assert response.status_code == 200, response.text
                hits = [h for h in response.json()["hits"] if h["source_id"] == UPLOADED]
                run.observations.append(Observation(
                    started, time.monotonic(), {version_of_chunk_id(h["chunk_id"]) for h in hits},
                    {m for h in hits for m in MARKER_RE.findall(h["text"])}, len(hits)))
            return once

        def ask(client: httpx.Client) -> Callable[[], None]:
            def once() -> None:
                started = time.monotonic()
                response = client.post("/api/ask", json={"question": QUESTION}, headers=READER)
                assert response.status_code == 200, response.text
                cited = [c for c in response.json()["citations"] if c["source_id"] == UPLOADED]
                run.observations.append(Observation(
                    started, time.monotonic(), {version_of_chunk_id(c["chunk_id"]) for c in cited},
                    set(MARKER_RE.findall(response.json()["text"])), len(cited)))
            return once

        up = httpx.post(f"{urls[0]}/api/documents", headers=EDITOR, timeout=60,
                        files={"file": ("aftale.md", versioned_text(0).encode())})
        assert up.status_code == 201, up.text
        run.go([writer, search(clients[0]), search(clients[1]), search(clients[2]), ask(clients[3])])
        for c in clients:
            c.close()
        run.assert_sound(min_found=0.2)

        # A third writer: the CLI removes a document directly in the Chroma server.
        listed = parse_json_output(run_bounded(ALMEN + ["sources", "list", "--json"],
                                               almen_env(tmp_path / "cli", **env), timeout=120).stdout)
        victim = next(d["source_id"] for d in listed if d["source_id"].startswith("godt-notat"))
        removed = run_bounded(ALMEN + ["sources", "remove", victim], almen_env(tmp_path / "cli", **env), timeout=120)
        assert removed.returncode == 0, removed.stderr
        seen = [state(urls[0]), state(urls[1]), state(urls[1]), state(urls[1])]  # B twice+: both of its workers
        assert all(s == seen[0] for s in seen), seen
        assert victim not in {sid for sid, _ in seen[0]["documents"]}
        assert seen[0]["chunks"] == sum(n for _, n in seen[0]["documents"])
        for log in logs:
            text = log.read_text(errors="replace")
            assert "Traceback" not in text and " 500 " not in text, text[-3000:]
    finally:
        for proc in procs:
            stop(proc)
