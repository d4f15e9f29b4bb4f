"""Owner scopes: which documents, reviews and agreements a caller may see and change.

A scope is a municipality ('nordby') or a municipality and one of its departments ('nordby/teknik').
Documents carry the scope of whoever uploaded them ('' for documents from before scopes, the CLI
without --scope, or a caller without a scope); keys and users carry a scope or None (the whole
installation, as in a single-municipality install, where nothing changes).

The rules, in one place:
1. Built-in texts (law, guidance) are visible to everyone; only an admin without a scope changes them.
2. A caller without a scope sees and changes everything.
3. A caller with scope S sees documents of S, of S's municipality (when S is a department) and of S's
   departments (when S is a municipality); documents without a scope are not visible to them.
4. A caller with scope S changes documents of S and of S's departments, never of the municipality above.
"""

from __future__ import annotations

import re
import threading
import weakref
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from knowledge.errors import AlmenError
from knowledge.search_types import SearchFilters
from knowledge.statutes import STATUTE_AUTHORITIES

if TYPE_CHECKING:
    from knowledge.kb import KnowledgeBase
    from knowledge.store import SourceRecord


class Caller(Protocol):
    """What the rules need of a caller (service.api.security.Principal): its scope, None = the whole installation."""

    @property
    def scope(self) -> str | None: ...

_PART_RE = re.compile(r"^[a-z0-9æøåäöüé][a-z0-9æøåäöüé._-]{0,62}$")


class ScopeError(AlmenError, ValueError):
    """A scope name that cannot be used (Danish message)."""


def normalise_scope(text: str) -> str:
    """'Nordby Kommune/Teknik og Miljø' -> 'nordby-kommune/teknik-og-miljø'; ScopeError when unusable."""
    parts = [re.sub(r"\s+", "-", p.strip().lower()) for p in text.strip().strip("/").split("/")]
    if not parts or len(parts) > 2 or not all(_PART_RE.match(p) for p in parts):
        raise ScopeError(f"Ugyldig afgrænsning '{text[:80]}': skriv 'kommune' eller 'kommune/afdeling' "
                         "med bogstaver, tal og bindestreger.")
    return "/".join(parts)


def _within(inner: str, outer: str) -> bool:
    return inner == outer or inner.startswith(outer + "/")


def can_read(doc_scope: str, builtin: bool, scope: str | None) -> bool:
    """Rules 1-3: may a caller with ``scope`` see a document with ``doc_scope``?"""
    if builtin or scope is None:
        return True
    return bool(doc_scope) and (_within(doc_scope, scope) or _within(scope, doc_scope))


def can_change(doc_scope: str, builtin: bool, scope: str | None, *, admin: bool) -> bool:
    """Rules 1, 2 and 4: may a caller change (replace, delete) the document?"""
    if builtin:
        return admin and scope is None
    if scope is None:
        return True
    return bool(doc_scope) and _within(doc_scope, scope)


def scoped_upload_id(source_id: str, scope: str | None) -> str:
    """An upload's id carries its scope, so two scopes uploading 'notat.md' never replace each other."""
    if not scope:
        return source_id
    tag = re.sub(r"[^a-z0-9]+", "-", scope.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")).strip("-")
    rest = source_id.removeprefix("upload-")
    return f"upload-{tag}--{rest}"


def is_public(record: SourceRecord) -> bool:
    """Rule 1 for reading: built-in texts and imported official statutes (knowledge.statutes) are law and
    guidance for the whole installation, whoever imported them."""
    return record.builtin or str(record.extra.get("authority") or "") in STATUTE_AUTHORITIES


class _Index:
    """Per knowledge base: the (source id, scope, builtin) list of the current store generation."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.generation: str | None = None
        self.records: list[tuple[str, str, bool]] = []
        self.visible: dict[str, frozenset[str]] = {}
        self.lock = threading.Lock()

    def visible_to(self, scope: str) -> frozenset[str]:
        generation = self.kb.store.generation()
        with self.lock:
            if generation != self.generation:
                self.records = [(r.source_id, r.scope, is_public(r)) for r in self.kb.store.list_sources()]
                self.generation, self.visible = generation, {}
            found = self.visible.get(scope)
            if found is None:
                found = self.visible[scope] = frozenset(
                    sid for sid, doc_scope, builtin in self.records if can_read(doc_scope, builtin, scope))
            return found


_INDEXES: weakref.WeakKeyDictionary[KnowledgeBase, _Index] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def visible_sources(kb: KnowledgeBase, who: Caller) -> frozenset[str] | None:
    """The ids of the documents the caller may see, or None when the caller sees everything."""
    if who.scope is None:
        return None
    with _INDEXES_LOCK:
        index = _INDEXES.get(kb)
        if index is None:
            index = _INDEXES[kb] = _Index(kb)
    return index.visible_to(who.scope)


def with_access(filters: SearchFilters | None, kb: KnowledgeBase, who: Caller) -> SearchFilters | None:
    """The request's search filters narrowed to the documents the caller may see."""
    allowed = visible_sources(kb, who)
    if allowed is None:
        return filters
    return replace(filters or SearchFilters(), sources=allowed)


def source_visible(kb: KnowledgeBase, who: Caller, source_id: str) -> bool:
    """True when the caller may see the document (an unknown id is not visible)."""
    allowed = visible_sources(kb, who)
    return True if allowed is None else source_id in allowed
