"""API keys with roles and scopes (stored only as sha256 hashes), group-to-role maps for logged-in users,
and a per-caller token-bucket rate limiter."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from knowledge.errors import AlmenError
from service.api.scopes import ScopeError, normalise_scope

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# A key is a password that is never typed: 24 characters of a random token (secrets.token_urlsafe(24) gives 32)
# cannot be guessed, and an 8-character word can.
MIN_KEY_CHARS = 24
KEY_HINT = "Lav en med: python3 -c \"import secrets; print(secrets.token_urlsafe(24))\""


class Role(IntEnum):
    """Access levels; a higher role may do everything a lower one may."""

    reader = 1
    editor = 2
    admin = 3


@dataclass(frozen=True)
class Principal:
    """Who is calling: a key id (hash prefix, never the key) or user id, the role and the scope.

    ``scope`` None: the whole installation (every document); else 'kommune' or 'kommune/afdeling'.
    ``via`` says how the caller was recognised: key, local, anonymous, session (OIDC) or proxy."""

    key_id: str
    role: Role
    anonymous: bool = False
    scope: str | None = None
    via: str = "key"
    user: str = ""


class KeyConfigError(AlmenError, ValueError):
    """The configured API keys are malformed (Danish message); a server configuration error."""

    status = 500


def hash_key(key: str) -> str:
    """The sha256 hex digest under which a key is stored."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _role_and_scope(text: str, origin: str) -> tuple[Role, str | None]:
    """'editor' or 'editor@kommune/afdeling' -> (Role.editor, scope)."""
    role_name, _, scope_text = text.strip().partition("@")
    role_name = role_name.strip().lower()
    if role_name not in Role.__members__:
        raise KeyConfigError(f"Ukendt rolle '{role_name}' i {origin}. Gyldige roller: reader, editor, admin.")
    if not scope_text.strip():
        return Role[role_name], None
    try:
        return Role[role_name], normalise_scope(scope_text)
    except ScopeError as exc:
        raise KeyConfigError(f"{exc} (i {origin})") from None


def parse_key_spec(spec: str, *, origin: str = "ALMEN_API_KEYS") -> list[tuple[Role, str, str | None]]:
    """Parse 'role[@scope]:key' items (comma- or newline-separated; '#' starts a comment line)."""
    out: list[tuple[Role, str, str | None]] = []
    for raw in spec.replace(",", "\n").splitlines():
        item = raw.strip()
        if not item or item.startswith("#"):
            continue
        role_text, sep, key = item.partition(":")
        key = key.strip()
        if not sep or not key:
            raise KeyConfigError(f"Ugyldig nøgle i {origin}: brug formatet 'rolle:nøgle', fx 'reader:hemmelig'.")
        role, scope = _role_and_scope(role_text, origin)
        if len(key) < MIN_KEY_CHARS:
            raise KeyConfigError(f"En API-nøgle i {origin} er for kort ({len(key)} tegn): brug mindst {MIN_KEY_CHARS} "
                                 f"tilfældige tegn. {KEY_HINT}")
        out.append((role, key, scope))
    return out


def parse_group_roles(spec: str, *, origin: str = "ALMEN_GROUP_ROLES") -> list[tuple[str, Role, str | None]]:
    """Parse 'gruppe=rolle[@scope]' items (comma- or newline-separated) into (group, role, scope)."""
    out: list[tuple[str, Role, str | None]] = []
    for raw in spec.replace(",", "\n").splitlines():
        item = raw.strip()
        if not item or item.startswith("#"):
            continue
        group, sep, role_text = item.rpartition("=")
        if not sep or not group.strip() or not role_text.strip():
            raise KeyConfigError(f"Ugyldig linje i {origin}: brug formatet 'gruppe=rolle', fx 'almen-redaktoerer=editor'.")
        role, scope = _role_and_scope(role_text, origin)
        out.append((group.strip(), role, scope))
    return out


def role_for_groups(groups: list[str], mapping: list[tuple[str, Role, str | None]]) -> tuple[Role, str | None] | None:
    """The highest role any of the groups gives (the first mapping line wins a tie), or None."""
    have = set(groups)
    best: tuple[Role, str | None] | None = None
    for group, role, scope in mapping:
        if group in have and (best is None or role > best[0]):
            best = (role, scope)
    return best


class KeyRing:
    """Hashed API keys. Lookup hashes the presented key and compares in constant time with every entry."""

    def __init__(self, entries: list[tuple[Role, str, str | None]] | list[tuple[Role, str]] | None = None) -> None:
        self._hashes: list[tuple[bytes, Role, str | None]] = []
        for role, key, *scope in entries or []:
            self.add(role, key, scope[0] if scope else None)

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

    def add(self, role: Role, key: str, scope: str | None = None) -> None:
        self._hashes.append((bytes.fromhex(hash_key(key)), role, scope))

    def __len__(self) -> int:
        return len(self._hashes)

    def lookup(self, key: str) -> Principal | None:
        """The principal for a presented key, or None. The comparison does not stop early."""
        digest = bytes.fromhex(hash_key(key))
        found: tuple[Role, str | None] | None = None
        for stored, role, scope in self._hashes:
            if hmac.compare_digest(stored, digest) and found is None:
                found = (role, scope)
        if found is None:
            return None
        return Principal(key_id=digest.hex()[:12], role=found[0], scope=found[1])


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
