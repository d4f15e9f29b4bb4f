"""`almen ingest` beside a running service on one data directory: the service finds the new documents without
a restart (dense search too: embedded Chroma loads its vector index once per process), writers take turns
through an inter-process lock, a writer that cannot get it in ALMEN_WRITE_LOCK_TIMEOUT gets a Danish message,
and the store is consistent after both wrote at once."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest.pipeline import run_ingest
from knowledge.config import Settings
from tests.reliability.helpers import ALMEN, REPO, almen_env, consistency_problems, open_kb
from tests.reliability.hostile_files import GOOD_MD, looks_danish

EDITOR = "editor-noegle-proc-1234-abcd"
HEADERS = {"Authorization": f"Bearer {EDITOR}"}
# Words no other document has, so a hit proves the new document was found.
NEW_DOC = "# Referat om elevatorerne\n\nBeboerne klagede over elevatorernes knirkelyde i afdeling syv.\n"


def client_for(home: Path, **settings: object) -> TestClient:
    from service.api.app import create_app

    config = Settings(home=home, embedding_backend="fake", allow_anonymous=True, api_keys=f"editor:{EDITOR}",
                      rate_limit_per_minute=100_000, **settings)  # type: ignore[arg-type]
    return TestClient(create_app(config, kb=open_kb(home, **settings), ingest_builtin=False))


@pytest.fixture()
def home(tmp_path: Path, good_files: list[Path]) -> Path:
    folder = tmp_path / "home"
    assert not run_ingest(open_kb(folder), good_files[:2]).failed
    return folder


def cli_ingest(home: Path, *paths: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ALMEN, "ingest", *(str(p) for p in paths)], env=almen_env(home, **env),
                          capture_output=True, text=True, timeout=300)


def test_a_document_ingested_by_the_cli_is_found_by_the_running_service(home: Path, tmp_path: Path) -> None:
    doc = tmp_path / "elevatorer.md"
    doc.write_text(NEW_DOC, encoding="utf-8")
    with client_for(home) as client:
        kb = client.app.state.almen.kb  # type: ignore[attr-defined]
        vector = kb.embeddings.embed_query("elevatorernes knirkelyde")
        before = client.get("/api/search", params={"q": "knirkelyde"}).json()["hits"]
        assert not any("knirkelyde" in h["text"] for h in before)
        run = cli_ingest(home, doc)
        assert run.returncode == 0, run.stderr[-2000:]
        hits = client.get("/api/search", params={"q": "knirkelyde"}).json()["hits"]
        assert hits and "knirkelyde" in hits[0]["text"], hits
        new_id = hits[0]["source_id"]
        # The dense index of this process, which did not see the write: it must hold the new chunk now.
        dense = [cid for cid, _ in kb.store.query_dense_ids(vector, 10)]
        assert any(cid.startswith(new_id + "@") for cid in dense), dense


LOCK_HOLDER = """
import sys, time
from pathlib import Path
from knowledge.write_lock import write_lock
with write_lock(Path(sys.argv[1]), 60).hold():
    print("laast", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture()
def lock_held(home: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the data directory's write lock until the test lets go."""
    env = almen_env(home)
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(home)], env=env, cwd=REPO,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "laast"
    try:
        yield holder
    finally:
        if holder.poll() is None:
            holder.communicate("slip\n", timeout=30)


def test_a_second_writer_waits_and_then_gets_a_danish_message(home: Path, tmp_path: Path,
                                                               lock_held: subprocess.Popen[str]) -> None:
    doc = tmp_path / "notat.md"
    doc.write_text(GOOD_MD.format(name="Låst"), encoding="utf-8")
    run = cli_ingest(home, doc, ALMEN_WRITE_LOCK_TIMEOUT="0.3")
    output = run.stdout + run.stderr
    assert run.returncode == 1 and "ALMEN_WRITE_LOCK_TIMEOUT" in output and "Traceback" not in output, output[-2000:]
    with client_for(home, write_lock_timeout=0.3) as client:
        refused = client.post("/api/documents", headers=HEADERS, files={"file": ("notat.md", doc.read_bytes())})
        assert refused.status_code == 503, refused.text
        assert "anden proces" in refused.json()["detail"] and looks_danish(refused.json()["detail"])
        lock_held.communicate("slip\n", timeout=30)
        stored = client.post("/api/documents", headers=HEADERS, files={"file": ("notat.md", doc.read_bytes())})
        assert stored.status_code == 201, stored.text
    assert consistency_problems(open_kb(home)) == []


def test_cli_and_service_writing_at_once_leave_a_consistent_store(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cli"
    folder.mkdir()
    for i in range(6):
        (folder / f"cli-notat-{i}.md").write_text(GOOD_MD.format(name=f"Cli {i}"), encoding="utf-8")
    with client_for(home) as client:
        results: list[int] = []

        def uploads() -> None:
            for i in range(6):
                body = GOOD_MD.format(name=f"Web {i}").encode()
                results.append(client.post("/api/documents", headers=HEADERS,
                                           files={"file": (f"web-notat-{i}.md", body)}).status_code)

        worker = threading.Thread(target=uploads)
        worker.start()
        run = cli_ingest(home, folder)
        worker.join()
        assert run.returncode == 0, run.stderr[-2000:]
        assert results == [201] * 6
        kb = client.app.state.almen.kb  # type: ignore[attr-defined]
        for name in ("Cli 5", "Web 5"):
            vector = kb.embeddings.embed_query(f"Notat om styringsdialogen i {name}")
            hits = kb.store.query_dense(vector, 30)
            assert any(name in c.metadata.get("title", "") for c, _ in hits), name
    kb = open_kb(home)
    assert len(kb.store.list_sources()) == 2 + 12
    assert consistency_problems(kb) == []


def test_chunks_of_an_interrupted_ingest_are_removed_when_the_store_opens(home: Path) -> None:
    """A crash after the chunks were written but before the commit leaves chunks no record names: the next
    process to open the data directory deletes them (they were only removed when a test asked before)."""
    kb = open_kb(home)
    active = kb.store.raw_count()
    chunk = next(iter(kb.store.iter_active_chunks()))
    orphan_meta = {**chunk.metadata, "doc_hash": "e" * 64}
    kb.store._chunks.upsert(ids=[f"{chunk.source_id}@eeeeeeeeee:0000"], embeddings=kb.embeddings.embed_documents(["Halvt skrevet version."]),
                            documents=["Halvt skrevet version, der aldrig blev aktiv."], metadatas=[orphan_meta])
    assert kb.store.raw_count() == active + 1
    reopened = open_kb(home)
    assert reopened.store.raw_count() == active
    assert consistency_problems(reopened) == []


def test_questions_are_answered_while_an_upload_waits_for_the_store(home: Path, tmp_path: Path,
                                                                    lock_held: subprocess.Popen[str]) -> None:
    """Writers queue for the store; readers never do: a question is answered while an upload cannot finish."""
    with client_for(home, write_lock_timeout=600) as client:
        statuses: list[int] = []
        body = GOOD_MD.format(name="Venter").encode()
        upload = threading.Thread(target=lambda: statuses.append(client.post(
            "/api/documents", headers=HEADERS, files={"file": ("venter.md", body)}).status_code))
        upload.start()
        for _ in range(3):
            answer = client.post("/api/ask", json={"question": "Hvornår holder kommunen dialogmøde?"})
            assert answer.status_code == 200, answer.text
            assert client.get("/api/search", params={"q": "dialogmøde"}).status_code == 200
        assert upload.is_alive() and statuses == []  # the upload still waits: the questions did not queue behind it
        lock_held.communicate("slip\n", timeout=30)
        upload.join()
    assert statuses == [201]
