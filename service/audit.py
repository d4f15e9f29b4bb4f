"""The audit log and the feedback store: one SQLite database in the data directory.

Every answered request leaves a row (time, key id, endpoint, CPR-redacted question, cited source
ids, answer id, latency). Feedback on answers goes to the same database. Connections are opened
per call (WAL mode), so threads and several worker processes can share the file.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.cpr import redact_cpr
from knowledge.disk import is_disk_full, out_of_room

log = logging.getLogger("almen.audit")

AUDIT_FILENAME = "audit.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts REAL NOT NULL,
    key_id TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    question TEXT NOT NULL DEFAULT '',
    source_ids TEXT NOT NULL DEFAULT '[]',
    answer_id TEXT NOT NULL DEFAULT '',
    latency_ms REAL NOT NULL DEFAULT 0,
    status INTEGER NOT NULL DEFAULT 200
);
CREATE INDEX IF NOT EXISTS audit_answer ON audit(answer_id);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts REAL NOT NULL,
    key_id TEXT NOT NULL,
    answer_id TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS feedback_answer ON feedback(answer_id);
"""


@dataclass
class AuditEntry:
    """One audited request."""

    id: int
    ts: float
    key_id: str
    endpoint: str
    question: str
    source_ids: list[str]
    answer_id: str
    latency_ms: float
    status: int


@dataclass
class FeedbackEntry:
    """One thumbs up/down on an answer."""

    id: int
    ts: float
    key_id: str
    answer_id: str
    rating: str
    comment: str


class AuditLog:
    """SQLite-backed audit log and feedback store (CPR numbers are redacted before writing)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @classmethod
    def in_home(cls, home: Path) -> "AuditLog":
        """The audit database of a data directory."""
        return cls(Path(home) / AUDIT_FILENAME)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout=30000")
            yield db
        finally:
            db.close()

    def record(self, *, key_id: str, endpoint: str, question: str = "", source_ids: list[str] | None = None,
               answer_id: str = "", latency_ms: float = 0.0, status: int = 200) -> None:
        """Write one audit row; the question is CPR-redacted first."""
        clean, _ = redact_cpr(question)
        try:
            with self._connect() as db:
                db.execute(
                    "INSERT INTO audit (ts, key_id, endpoint, question, source_ids, answer_id, latency_ms, status)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (time.time(), key_id, endpoint, clean, json.dumps(list(dict.fromkeys(source_ids or []))),
                     answer_id, round(latency_ms, 2), status),
                )
        except (sqlite3.OperationalError, OSError) as exc:
            if not is_disk_full(exc) and not out_of_room(self.path.parent):
                raise
            # A full disk makes almen read-only: the answer is given, the missing row is logged loudly.
            log.error("Revisionslinjen for %s blev ikke gemt: disken er fuld (%s)", endpoint, exc)

    def has_answer(self, answer_id: str) -> bool:
        """True if an answer with this id was given (and audited)."""
        with self._connect() as db:
            row = db.execute("SELECT 1 FROM audit WHERE answer_id = ? LIMIT 1", (answer_id,)).fetchone()
        return row is not None

    def add_feedback(self, *, key_id: str, answer_id: str, rating: str, comment: str = "") -> int:
        """Store feedback (comment CPR-redacted); returns its id."""
        clean, _ = redact_cpr(comment)
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO feedback (ts, key_id, answer_id, rating, comment) VALUES (?, ?, ?, ?, ?)",
                (time.time(), key_id, answer_id, rating, clean),
            )
            return int(cur.lastrowid or 0)

    def entries(self, limit: int = 100) -> list[AuditEntry]:
        """The newest audit rows first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, ts, key_id, endpoint, question, source_ids, answer_id, latency_ms, status"
                " FROM audit ORDER BY id DESC LIMIT ?", (limit,),
            ).fetchall()
        return [AuditEntry(*r[:5], json.loads(r[5]), *r[6:]) for r in rows]  # type: ignore[call-arg]

    def feedback(self, limit: int = 100, *, answer_id: str | None = None) -> list[FeedbackEntry]:
        """The newest feedback first (optionally for one answer)."""
        sql = "SELECT id, ts, key_id, answer_id, rating, comment FROM feedback"
        args: tuple[Any, ...] = ()
        if answer_id:
            sql += " WHERE answer_id = ?"
            args = (answer_id,)
        with self._connect() as db:
            rows = db.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
        return [FeedbackEntry(*r) for r in rows]
