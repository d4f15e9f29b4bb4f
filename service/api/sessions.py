"""Login sessions of OIDC users, kept server-side in SQLite, and the secret that signs login cookies.

The browser holds only a random session id (in an HttpOnly, Secure, SameSite=Lax cookie); the
database holds its sha256, the user's name, role, scope, CSRF token and expiry. Logging out deletes
the row, so a copied cookie stops working at once. Several worker processes share the file.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from knowledge.config import Settings

SESSIONS_FILENAME = "sessions.sqlite3"
SECRET_FILENAME = "session-secret"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    role INTEGER NOT NULL,
    scope TEXT,
    csrf TEXT NOT NULL,
    created REAL NOT NULL,
    expires REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions(expires);
"""


def load_secret(settings: Settings) -> bytes:
    """ALMEN_SESSION_SECRET, else a random secret created once in the data directory (mode 0600)."""
    given = settings.session_secret.get_secret_value()
    if given:
        return given.encode("utf-8")
    path = Path(settings.home) / SECRET_FILENAME
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as fh:  # the first worker writes it; the others read it
        fh.write(secrets.token_urlsafe(48).encode())
    return path.read_bytes().strip()


def derived_token(secret: bytes, purpose: str, identity: str) -> str:
    """A token bound to an identity, e.g. the CSRF token of a proxy user (no state to keep)."""
    return hmac.new(secret, f"{purpose}|{identity}".encode(), hashlib.sha256).hexdigest()[:43]


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Session:
    """A logged-in user as stored."""

    user: str
    name: str
    role: int
    scope: str | None
    csrf: str
    expires: float


class SessionStore:
    """Server-side sessions in ``<home>/sessions.sqlite3``."""

    def __init__(self, path: Path, *, hours: float) -> None:
        self.path = Path(path)
        self.seconds = hours * 3600
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
        try:
            os.chmod(self.path, 0o600)
        except OSError:
            pass

    @classmethod
    def in_home(cls, settings: Settings) -> SessionStore:
        return cls(Path(settings.home) / SESSIONS_FILENAME, hours=settings.session_hours)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout=30000")
            yield db
        finally:
            db.close()

    def create(self, *, user: str, name: str, role: int, scope: str | None) -> tuple[str, Session]:
        """A new session; returns the id for the cookie (only its hash is stored) and the session."""
        session_id = secrets.token_urlsafe(32)
        now = time.time()
        session = Session(user=user, name=name, role=role, scope=scope, csrf=secrets.token_urlsafe(32),
                          expires=now + self.seconds)
        with self._connect() as db:
            db.execute("DELETE FROM sessions WHERE expires < ?", (now,))
            db.execute("INSERT INTO sessions (id_hash, user, name, role, scope, csrf, created, expires)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (_digest(session_id), user, name, role, scope, session.csrf, now, session.expires))
        return session_id, session

    def get(self, session_id: str) -> Session | None:
        """The live session for a cookie value, or None (unknown, expired or logged out)."""
        if not session_id or len(session_id) > 200:
            return None
        with self._connect() as db:
            row = db.execute("SELECT user, name, role, scope, csrf, expires FROM sessions WHERE id_hash = ?",
                             (_digest(session_id),)).fetchone()
        if row is None or row[5] < time.time():
            return None
        return Session(*row)

    def delete(self, session_id: str) -> None:
        """Log out: the session id stops working."""
        with self._connect() as db:
            db.execute("DELETE FROM sessions WHERE id_hash = ?", (_digest(session_id),))
