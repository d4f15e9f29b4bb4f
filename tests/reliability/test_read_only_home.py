"""A data directory almen cannot write in: `almen serve` stops with one Danish line and exit 1, not a
traceback (as root through a read-only bind mount, otherwise through the folder's permissions)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.helpers import ALMEN, almen_env


@pytest.fixture()
def read_only_home(tmp_path: Path) -> Iterator[Path]:
    source = tmp_path / "kilde"
    source.mkdir()
    if os.geteuid() != 0:
        source.chmod(0o555)
        yield source
        source.chmod(0o755)
        return
    target = tmp_path / "skrivebeskyttet"
    target.mkdir()
    bind = subprocess.run(["mount", "--bind", str(source), str(target)], capture_output=True, text=True)
    if bind.returncode != 0:
        pytest.skip(f"a read-only bind mount is not possible here: {bind.stderr.strip()}")
    try:
        remount = subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], capture_output=True, text=True)
        if remount.returncode != 0:
            pytest.skip(f"the bind mount could not be made read-only: {remount.stderr.strip()}")
        yield target
    finally:
        subprocess.run(["umount", str(target)], check=False)


def test_serve_on_a_read_only_data_folder_is_one_danish_line(read_only_home: Path) -> None:
    with pytest.raises(OSError):
        (read_only_home / "proeve").write_text("x")  # the folder really is read-only for this process
    run = subprocess.run([*ALMEN, "serve", "--port", "1"], env=almen_env(read_only_home, COLUMNS="80"),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "skrivebeskyttet" in lines[0] and str(read_only_home) in lines[0], run.stderr
