"""A full disk makes almen read-only, not broken: questions and searches answer, every write gets a Danish 507
problem, /readyz says read_only, and `almen ingest` stops with a Danish line. Proven with the threshold set above
the free space (ALMEN_MIN_FREE_DISK_MB) and, as root, with a real small tmpfs filled to the last byte."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest.pipeline import run_ingest
from knowledge.config import Settings
from tests.reliability.helpers import ALMEN, almen_env, consistency_problems, open_kb, snapshot
from tests.reliability.hostile_files import GOOD_MD, looks_danish

KEYS = {"reader": "reader-noegle-disk-1234-abcd", "editor": "editor-noegle-disk-1234-abcd"}
QUESTION = {"question": "Hvornår holder kommunen dialogmøde med boligorganisationen?"}
HUGE_MB = 10**9  # a petabyte: more than any test machine has free


def auth(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[role]}"}


def make_app(home: Path, good_files: list[Path], **settings: object) -> TestClient:
    from service.api.app import create_app

    kb = open_kb(home, min_free_disk_mb=0)
    if not kb.store.list_sources():
        assert not run_ingest(kb, good_files).failed
    config = Settings(home=home, embedding_backend="fake", allow_anonymous=False, rate_limit_per_minute=100_000,
                      api_keys=",".join(f"{r}:{k}" for r, k in KEYS.items()), **settings)  # type: ignore[arg-type]
    kb = open_kb(home, **settings)
    return TestClient(create_app(config, kb=kb, ingest_builtin=False))


def assert_507(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 507, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/problem+json")
    detail = response.json()["detail"]
    assert "plads" in detail and looks_danish(detail), detail


def upload(client: TestClient, name: str = "nyt-notat.md", data: bytes | None = None):  # type: ignore[no-untyped-def]
    content = data if data is not None else GOOD_MD.format(name="Disk").encode()
    return client.post("/api/documents", headers=auth("editor"), files={"file": (name, content, "text/markdown")})


def test_below_the_free_space_limit_questions_work_and_writes_get_507(good_files: list[Path], tmp_path: Path) -> None:
    home = tmp_path / "home"
    with make_app(home, good_files, min_free_disk_mb=HUGE_MB) as client:
        before = snapshot(open_kb(home))
        ask = client.post("/api/ask", json=QUESTION, headers=auth("reader"))
        assert ask.status_code == 200, ask.text[:500]
        assert client.get("/api/search", params={"q": "dialogmøde"}, headers=auth("reader")).status_code == 200
        assert_507(upload(client))
        assert_507(client.post("/api/feedback", json={"answer_id": ask.json()["answer_id"], "rating": "up"},
                               headers=auth("reader")))
        assert_507(client.post("/api/reviews", headers=auth("editor"),
                               files={"file": ("rapport.md", b"# Styringsrapport\n\nTekst.", "text/markdown")}))
        ready = client.get("/readyz")
        assert ready.status_code == 200
        body = ready.json()
        assert body["status"] == "read_only" and body["writable"] is False and "plads" in body["detail"], body
        assert upload(client, data=b"").status_code == 507  # refused before anything is read or saved
        after = snapshot(open_kb(home))
    assert after == before
    assert not any((home / "tmp").rglob("*")) if (home / "tmp").exists() else True


def test_with_room_readyz_is_ready_and_writable(good_files: list[Path], tmp_path: Path) -> None:
    with make_app(tmp_path / "home", good_files, min_free_disk_mb=0) as client:
        body = client.get("/readyz").json()
    assert body["status"] == "ready" and body["writable"] is True and body["disk_free_mb"] > 0


def test_cli_ingest_on_a_full_disk_is_a_danish_line(good_files: list[Path], tmp_path: Path) -> None:
    home = tmp_path / "home"
    doc = tmp_path / "notat.md"
    doc.write_text(GOOD_MD.format(name="Disk"), encoding="utf-8")
    run = subprocess.run([*ALMEN, "ingest", str(doc)], env=almen_env(home, ALMEN_MIN_FREE_DISK_MB=str(HUGE_MB)),
                         capture_output=True, text=True, timeout=300)
    output = run.stdout + run.stderr
    assert run.returncode == 1, output[-2000:]
    assert "plads" in output and "Traceback" not in output, output[-2000:]
    assert open_kb(home).store.list_sources() == []


# ------------------------------------------------------------------ a real full file system (root only)
@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 MB tmpfs mounted for the test (needs root and a kernel that lets this process mount)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the threshold tests above cover the same paths")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"tmpfs could not be mounted here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path, *, leave_bytes: int = 0) -> Path:
    """Write a filler file until the file system is full, then give back ``leave_bytes``."""
    filler = folder / "fyld.bin"
    block = b"\0" * (1024 * 1024)
    with filler.open("wb") as out:
        try:
            while True:
                out.write(block)
                out.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    try:
        with filler.open("ab") as out:
            while True:
                out.write(b"\0" * 4096)
                out.flush()
    except OSError:
        pass
    if leave_bytes:
        os.truncate(filler, max(0, filler.stat().st_size - leave_bytes))
    return filler


def test_a_real_full_disk_keeps_questions_working(small_disk: Path, good_files: list[Path]) -> None:
    home = small_disk / "home"
    with make_app(home, good_files, min_free_disk_mb=0) as client:
        assert client.post("/api/ask", json=QUESTION, headers=auth("reader")).status_code == 200
        before = snapshot(open_kb(home))
        fill(small_disk, leave_bytes=3 * 1024 * 1024)  # room for the audit row, not for a 6 MB upload
        big = ("Kommunen og boligorganisationen aftalte at følge op på udlejningen.\n" * 100_000).encode()
        assert_507(upload(client, "stor.txt", big))
        fill(small_disk)  # not a byte left
        ask = client.post("/api/ask", json=QUESTION, headers=auth("reader"))
        assert ask.status_code == 200, ask.text[:500]
        assert ask.json()["text"], ask.json()
        assert client.get("/api/search", params={"q": "udlejning"}, headers=auth("reader")).status_code == 200
        assert_507(upload(client))
        body = client.get("/readyz").json()
        assert body["status"] == "read_only" and body["writable"] is False, body
        assert snapshot(open_kb(home)) == before
        assert consistency_problems(open_kb(home)) == []
