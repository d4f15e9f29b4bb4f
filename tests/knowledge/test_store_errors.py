"""A Chroma server that goes away: every read of the store becomes a StoreError (Danish, 503 in the API)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from ingest.pipeline import ingest_file
from knowledge.config import Settings
from knowledge.errors import StoreError
from knowledge.kb import KnowledgeBase
from service.api.app import create_app
from tests.conftest import free_port


def _start_chroma(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    exe = Path(sys.executable).with_name("chroma")
    if not exe.exists():
        exe = Path(shutil.which("chroma") or "chroma")
    port = free_port()
    log = (folder / "chroma.log").open("wb")
    proc = subprocess.Popen([str(exe), "run", "--path", str(folder / "data"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):  # up to 60 s: wait for the heartbeat, not a fixed time
        try:
            if httpx.get(url + "/api/v2/heartbeat", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("chroma run did not start: " + (folder / "chroma.log").read_text())


@pytest.mark.slow
def test_reads_from_a_vanished_chroma_server_are_store_errors(tmp_path: Path) -> None:
    proc, url = _start_chroma(tmp_path)
    try:
        settings = Settings(home=tmp_path / "home", embedding_backend="fake", chroma_url=url, allow_anonymous=True)
        kb = KnowledgeBase(settings)
        note = tmp_path / "notat.md"
        note.write_text("# Notat\n\nKommunen fører tilsyn med boligorganisationerne.\n", encoding="utf-8")
        assert ingest_file(kb, note, kind="notat").status == "added"
        chunk_id = kb.store.chunks_of_source(kb.store.list_sources()[0].source_id)[0].id
    finally:
        proc.terminate()
        proc.wait(30)
    for read in (kb.store.generation, kb.store.list_sources, lambda: kb.store.get_chunks([chunk_id]),
                 lambda: kb.store.query_dense_ids([0.0] * kb.embeddings.dim, 3)):
        with pytest.raises(StoreError, match="Vidensbasen kunne ikke læses"):
            read()
    with TestClient(create_app(settings, kb=kb, ingest_builtin=False)) as client:
        res = client.get("/api/search", params={"q": "tilsyn"})
    assert res.status_code == 503 and "kunne ikke læses" in res.json()["detail"]


class _FlakyQuery:
    """A collection whose query fails ``failures`` times the way Chroma does when a delete commits during
    the query, then answers as the real collection."""

    def __init__(self, real: object, failures: int) -> None:
        self.real, self.failures, self.calls = real, failures, 0

    def query(self, **kwargs: object) -> object:
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError("Error executing plan: Internal error: Error finding id")
        return self.real.query(**kwargs)  # type: ignore[attr-defined]


@pytest.mark.parametrize("failures", [1, 2, 3])
def test_a_read_meeting_a_concurrent_delete_is_tried_again(tmp_path: Path, failures: int) -> None:
    from knowledge.store import READ_ATTEMPTS

    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake", builtin=False))
    note = tmp_path / "notat.md"
    note.write_text("# Notat\n\nHuslejen stiger med to procent i afdelingen.\n", encoding="utf-8")
    assert ingest_file(kb, note, kind="notat").status == "added"
    flaky = _FlakyQuery(kb.store._chunks, failures)
    kb.store._chunks = flaky  # type: ignore[assignment]
    vector = kb.embeddings.embed_query("huslejen stiger")
    if failures < READ_ATTEMPTS:
        assert kb.store.query_dense_ids(vector, 3)  # the next attempt answered
        assert flaky.calls == failures + 1
    else:
        with pytest.raises(StoreError, match="Vidensbasen kunne ikke læses"):
            kb.store.query_dense_ids(vector, 3)
        assert flaky.calls == READ_ATTEMPTS
