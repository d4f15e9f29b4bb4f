"""The private scratch folder: files only their owner can read, and a sweep that removes what dead
processes left behind while leaving live processes' files alone."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from service.scratch import MAX_AGE_SECONDS, make_private_dir, open_private_file, scratch_dir, sweep
from tests.reliability.helpers import REPO

LEAVE_A_FILE = """
import sys
from pathlib import Path
from service.scratch import make_private_dir, open_private_file, scratch_dir
home = Path(sys.argv[1])
path, out = open_private_file(scratch_dir(home), "upload", ".txt")
out.write(b"CPR 010190-1234")
out.close()
folder = make_private_dir(home, "review")
(folder / "report.txt").write_text("CPR 020290 5678")
print(path.name, folder.name)
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leave_files_from_a_finished_process(home: Path) -> list[str]:
    """A real process writes a scratch file and folder, then ends without removing them (as if killed)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", LEAVE_A_FILE, str(home)], env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout.split()


def test_scratch_files_and_folders_are_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    folder = scratch_dir(home)
    path, out = open_private_file(folder, "upload", ".pdf")
    out.close()
    staging = make_private_dir(home, "review")
    assert mode(folder) == 0o700 and mode(path) == 0o600 and mode(staging) == 0o700
    assert path.suffix == ".pdf" and str(os.getpid()) in path.name
    folder.chmod(0o755)
    scratch_dir(home)
    assert mode(folder) == 0o700  # a folder made readable by hand is tightened again


def test_the_sweep_removes_what_dead_processes_left_and_keeps_live_ones(tmp_path: Path) -> None:
    home = tmp_path / "home"
    dead = leave_files_from_a_finished_process(home)
    assert all((home / "tmp" / name).exists() for name in dead)
    live, out = open_private_file(scratch_dir(home), "upload", ".txt")  # this process is alive
    out.close()
    stranger = home / "tmp" / "noget-andet.txt"  # not ours by name: only its age counts
    stranger.write_text("x")
    assert sweep(home) == 2
    assert sorted(p.name for p in (home / "tmp").iterdir()) == sorted([live.name, stranger.name])
    old = time.time() - MAX_AGE_SECONDS - 60
    for path in (live, stranger):
        os.utime(path, (old, old))
    assert sweep(home) == 2 and not list((home / "tmp").iterdir())  # a day old: a leftover whoever wrote it


def test_the_sweep_removes_what_earlier_versions_left_in_uploads_and_reviews(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "uploads").mkdir(parents=True)
    (home / "uploads" / ".upload-0123abcd.txt").write_text("CPR 010190 1234")
    kept = home / "uploads" / "upload-notat.md"
    kept.write_text("Et notat uden personoplysninger.")
    unfinished = home / "reviews" / ("a" * 32)
    unfinished.mkdir(parents=True)
    (unfinished / "report.pdf").write_text("CPR 020290 5678")
    finished = home / "reviews" / ("b" * 32)
    finished.mkdir()
    for name in ("review.json", "notat.md", "notat.docx", "previous.docx"):
        (finished / name).write_text("{}")
    assert sweep(home) == 3
    assert kept.exists() and not unfinished.exists()
    assert sorted(p.name for p in finished.iterdir()) == ["notat.docx", "notat.md", "review.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_the_sweep_never_fails_on_a_read_only_data_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    leave_files_from_a_finished_process(home)
    (home / "tmp").chmod(0o500)
    try:
        assert sweep(home) == 0  # reported in the log, tried again at the next start
    finally:
        (home / "tmp").chmod(0o700)
    assert sweep(home) == 2


def test_the_sweep_survives_a_file_system_that_refuses_to_delete(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as a read-only folder, also when the tests run as root (the OS refusal is simulated)."""
    import shutil

    home = tmp_path / "home"
    leave_files_from_a_finished_process(home)

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(30, "Read-only file system")

    with monkeypatch.context() as m:
        m.setattr(Path, "unlink", refuse)
        m.setattr(shutil, "rmtree", refuse)
        assert sweep(home) == 0
    assert sweep(home) == 2
