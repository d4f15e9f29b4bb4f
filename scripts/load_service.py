#!/usr/bin/env python
"""Bounded load test of the almen service: /api/ask and /api/search with 1, 4 and 16 concurrent clients.

    # against a running service (give its pid to report its memory)
    python scripts/load_service.py --url http://127.0.0.1:8000 --key KEY --pid 12345 --duration 30
    # or let the script start `almen serve` itself (ALMEN_* settings from the environment; the rate
    # limit is lifted for the run) and stop it afterwards
    python scripts/load_service.py --serve --duration 30

Prints requests per second, p50/p95/max latency and errors per endpoint and concurrency, and the
server's resident memory (now and peak). Only talks to 127.0.0.1/localhost.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Hvem fører tilsyn med de almene boligorganisationer?",
    "Hvad skal en styringsrapport indeholde?",
    "Hvornår skal dokumentationspakken indsendes?",
    "Hvad er fleksibel udlejning?",
    "Hvad siger almenboligloven § 164, stk. 2?",
    "Hvad er formålet med styringsdialogen?",
    "Hvor ofte skal der holdes dialogmøde?",
    "Hvad er kommunal anvisningsret?",
    "Hvad er en helhedsplan?",
    "Hvad betyder effektivitetstal i styringsdialogen?",
    "Hvilke nøgletal indgår i dokumentationspakken?",
    "Hvad er dispositionsfonden?",
]


@dataclass
class Run:
    """The outcome of one endpoint at one concurrency."""

    endpoint: str
    concurrency: int
    seconds: float
    requests: int = 0
    errors: int = 0
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    error_samples: list[str] = field(default_factory=list)


def load_questions(path: Path | None) -> list[str]:
    if path is None:
        dev = ROOT / "eval" / "datasets" / "dev.jsonl"
        path = dev if dev.exists() else None
    if path is None:
        return QUESTIONS
    out = [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out or QUESTIONS


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def run_one(base: str, headers: dict[str, str], endpoint: str, concurrency: int, seconds: float,
                  questions: list[str]) -> Run:
    latencies: list[float] = []
    run = Run(endpoint=endpoint, concurrency=concurrency, seconds=seconds)
    cycle = itertools.cycle(questions)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120, limits=limits) as client:
        end = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < end:
                question = next(cycle)
                t = time.perf_counter()
                try:
                    if endpoint == "ask":
                        r = await client.post("/api/ask", json={"question": question})
                    else:
                        r = await client.get("/api/search", params={"q": question, "k": 6})
                    ok = r.status_code == 200
                    detail = f"{r.status_code} {r.text[:120]}"
                except httpx.HTTPError as exc:
                    ok, detail = False, f"{type(exc).__name__}: {exc}"
                latencies.append((time.perf_counter() - t) * 1000)
                run.requests += 1
                if not ok:
                    run.errors += 1
                    if len(run.error_samples) < 3:
                        run.error_samples.append(detail)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    run.seconds = round(elapsed, 2)
    run.rps = round(run.requests / elapsed, 2) if elapsed else 0.0
    run.p50_ms = round(statistics.median(latencies), 1) if latencies else 0.0
    run.p95_ms = round(percentile(latencies, 0.95), 1)
    run.max_ms = round(max(latencies), 1) if latencies else 0.0
    return run


def rss_mb(pid: int | None) -> tuple[float | None, float | None]:
    """(current, peak) resident memory of a process in MB, from /proc."""
    if not pid:
        return None, None
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None, None
    values = {}
    for line in status.splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            name, value = line.split(":", 1)
            values[name] = int(value.split()[0]) / 1024
    return values.get("VmRSS"), values.get("VmHWM")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "ALMEN_RATE_LIMIT_PER_MINUTE": "100000000", "ALMEN_ALLOW_ANONYMOUS": "true"}
    almen = Path(sys.executable).parent / "almen"
    proc = subprocess.Popen([str(almen), "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 1800  # a first start may ingest the built-in corpus
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("almen serve stoppede under opstart.")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit("almen serve blev ikke klar i tide.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--key", default="", help="API-nøgle (reader er nok).")
    parser.add_argument("--pid", type=int, default=0, help="Serverens proces-id (til hukommelsesmåling).")
    parser.add_argument("--serve", action="store_true", help="Start selv 'almen serve' på en fri port og stop den bagefter.")
    parser.add_argument("--duration", type=float, default=30.0, help="Sekunder pr. måling.")
    parser.add_argument("--concurrency", default="1,4,16")
    parser.add_argument("--endpoints", default="ask,search")
    parser.add_argument("--questions", type=Path, default=None, help="JSONL med feltet 'question'.")
    parser.add_argument("--warmup", type=int, default=4, help="Opvarmningskald pr. endpoint før målingen.")
    parser.add_argument("--json-out", type=Path, default=None)
    args = parser.parse_args()

    proc = None
    url, pid = args.url, args.pid
    if args.serve:
        port = free_port()
        proc = start_server(port)
        url, pid = f"http://127.0.0.1:{port}", proc.pid
    host = urlparse(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("Belastningstesten må kun køre mod 127.0.0.1/localhost.")
    headers = {"Authorization": f"Bearer {args.key}"} if args.key else {}
    questions = load_questions(args.questions)
    runs: list[Run] = []
    try:
        for endpoint in args.endpoints.split(","):  # load models and indexes before measuring
            for question in questions[: args.warmup]:
                if endpoint == "ask":
                    httpx.post(f"{url}/api/ask", json={"question": question}, headers=headers, timeout=300)
                else:
                    httpx.get(f"{url}/api/search", params={"q": question}, headers=headers, timeout=300)
        rss_start, _ = rss_mb(pid)
        print(f"belastning på maskinen før start (1/5/15 min): {os.getloadavg()}", flush=True)
        for concurrency in [int(c) for c in args.concurrency.split(",")]:
            for endpoint in args.endpoints.split(","):
                run = asyncio.run(run_one(url, headers, endpoint, concurrency, args.duration, questions))
                runs.append(run)
                print(f"{endpoint:7s} c={concurrency:<3d} {run.requests:6d} req  {run.rps:7.2f} req/s  "
                      f"p50 {run.p50_ms:8.1f} ms  p95 {run.p95_ms:8.1f} ms  max {run.max_ms:8.1f} ms  "
                      f"fejl {run.errors}" + (f"  {run.error_samples}" if run.error_samples else ""), flush=True)
        rss_now, rss_peak = rss_mb(pid)
        print(f"belastning på maskinen efter (1/5/15 min): {os.getloadavg()}")
        if pid:
            print(f"server RSS: start {rss_start or 0:.0f} MB, efter {rss_now or 0:.0f} MB, top {rss_peak or 0:.0f} MB")
        if args.json_out:
            args.json_out.write_text(json.dumps({"url": url, "duration": args.duration, "runs": [asdict(r) for r in runs],
                                                 "rss_mb": {"start": rss_start, "after": rss_now, "peak": rss_peak}},
                                                indent=1), encoding="utf-8")
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
