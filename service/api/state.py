"""What the app holds while it runs: settings, the knowledge base, keys and logins, limiter, audit log."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from service.api.access import Access
from service.api.security import KeyRing, RateLimiter
from service.audit import AuditLog


@dataclass
class AppState:
    """Shared per-process state, created by the app factory and reached through ``deps``."""

    settings: Settings
    kb: KnowledgeBase
    keyring: KeyRing
    limiter: RateLimiter
    audit: AuditLog
    allow_anonymous: bool
    access: Access
    ingest_builtin: bool = True
