"""API keys with roles (stored only as sha256 hashes) and a per-key token-bucket rate limiter."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from knowledge.errors import AlmenError

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class Role(IntEnum):
    """Access levels; a higher role may do everything a lower one may."""

    reader = 1
    editor = 2
    admin = 3


@dataclass(frozen=True)
class Principal:
    """Who is calling: a key id (hash prefix, never the key) and its role."""

    key_id: str
    role: Role
    anonymous: bool = False


class KeyConfigError(AlmenError, ValueError):
    """The configured API keys are malformed (Danish message); a server configuration error."""

    status = 500


def hash_key(key: str) -> str:
    """The sha256 hex digest under which a key is stored."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_key_spec(spec: str, *, origin: str = "ALMEN_API_KEYS") -> list[tuple[Role, str]]:
    """Parse 'role:key' items (comma- or newline-separated; '#' starts a comment line)."""
    out: list[tuple[Role, str]] = []
    for raw in spec.replace(",", "\n").splitlines():
        item = raw.strip()
        if not item or item.startswith("#"):
            continue
        role_name, sep, key = item.partition(":")
        role_name, key = role_name.strip().lower(), key.strip()
        if not sep or not key:
            raise KeyConfigError(f"Ugyldig nøgle i {origin}: brug formatet 'rolle:nøgle', fx 'reader:hemmelig'.")
        if role_name not in Role.__members__:
            raise KeyConfigError(
                f"Ukendt rolle '{role_name}' i {origin}. Gyldige roller: reader, editor, admin."
            )
        if len(key) < 8:
            raise KeyConfigError(f"En API-nøgle i {origin} er for kort: brug mindst 8 tegn.")
        out.append((Role[role_name], key))
    return out


class KeyRing:
    """Hashed API keys. Lookup hashes the presented key and compares in constant time with every entry."""

    def __init__(self, entries: list[tuple[Role, str]] | None = None) -> None:
        self._hashes: list[tuple[bytes, Role]] = []
        for role, key in entries or []:
            self.add(role, key)

    @classmethod
    def from_sources(cls, spec: str, keys_file: Path | None) -> "KeyRing":
        """Keys from the settings string and/or a keys file (one 'role:key' per line)."""
        entries = parse_key_spec(spec) if spec else []
        if keys_file is not None:
            try:
                text = Path(keys_file).read_text(encoding="utf-8")
            except OSError as exc:
                raise KeyConfigError(f"Kan ikke læse nøglefilen {keys_file}: {exc.strerror}. Tjek ALMEN_KEYS_FILE.") from exc
            entries += parse_key_spec(text, origin=str(keys_file))
        return cls(entries)

    def add(self, role: Role, key: str) -> None:
        self._hashes.append((bytes.fromhex(hash_key(key)), role))

    def __len__(self) -> int:
        return len(self._hashes)

    def lookup(self, key: str) -> Principal | None:
        """The principal for a presented key, or None. The comparison does not stop early."""
        digest = bytes.fromhex(hash_key(key))
        found: Role | None = None
        for stored, role in self._hashes:
            if hmac.compare_digest(stored, digest) and found is None:
                found = role
        if found is None:
            return None
        return Principal(key_id=digest.hex()[:12], role=found)


class RateLimiter:
    """Token bucket per caller: ``per_minute`` requests, refilled continuously. Thread-safe, in memory."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def acquire(self, caller: str) -> float:
        """Take one token; returns 0 if allowed, else the seconds to wait before retrying."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(caller, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[caller] = (tokens - 1.0, now)
                return 0.0
            self._buckets[caller] = (tokens, now)
            if len(self._buckets) > 10_000:  # bound memory: forget full buckets
                self._buckets = {k: v for k, v in self._buckets.items() if v[0] < self.capacity}
            return (1.0 - tokens) / self.rate


def anonymous_allowed(setting: bool | None, bind_host: str | None) -> bool:
    """Anonymous reader access: the explicit setting, else only when bound to a loopback address."""
    if setting is not None:
        return setting
    return bind_host is not None and bind_host in LOOPBACK_HOSTS
