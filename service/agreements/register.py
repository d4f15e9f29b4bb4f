"""The agreement register: every agreement with every housing organisation, derived from the store.

The register is derived data, never edited by hand and never written into Chroma. It lives in
``<home>/agreements/<collection>.json``, tagged with the store generation it was built from; when
the generation changes (a document ingested, replaced or removed) the next read rebuilds it.
Rebuilding is incremental: a document whose content hash is unchanged keeps its extraction, so
only new or replaced documents are read again.

    register = get_register(kb)                  # one per KnowledgeBase, cheap
    entries = register.entries(AgreementFilters(org="Boligselskabet X", status="overskredet"), today=date(2026, 5, 1))
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.kb import KnowledgeBase
from knowledge.text import fold
from service.agreements.agreement import AGREEMENT_TYPES
from service.agreements.documents import extract_document, is_register_source
from service.agreements.errors import AgreementFilterError
from service.agreements.linking import build_entries
from service.agreements.model import DocumentExtraction, RegisterEntry
from service.domain.organisations import same_organisation
from service.domain.status import REGISTER_STATUSES

# Bump when the extraction rules change so stored registers are rebuilt from the documents.
REGISTER_VERSION = 2
STATUS_FILTERS = (*REGISTER_STATUSES, "overskredet", "oenske")
_TYPE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "anvisning": ("kommunal_anvisning", "aftalt_anvisning"),
    "boligsocial anvisning": ("kommunal_anvisning",),
    "supplerende anvisning": ("aftalt_anvisning",),
    "tilsyn": ("tilsyn_opfoelgning",),
    "opfoelgning": ("tilsyn_opfoelgning",),
    "renovering": ("helhedsplan",),
}


@dataclass
class AgreementFilters:
    """Filters on the register; every field optional (Danish values accepted: 'i gang', 'ældreboliger')."""

    org: str | None = None
    type: str | None = None
    status: str | None = None

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in (("org", self.org), ("type", self.type), ("status", self.status)) if v]
        return ", ".join(parts)


def resolve_types(value: str) -> set[str]:
    """Agreement type keys for a filter value ('aeldreboliger', 'Ældreboliger', 'anvisning'); AgreementFilterError if none."""
    key = fold(value).strip().replace(" ", "_").replace("-", "_")
    if key in AGREEMENT_TYPES:
        return {key}
    words = fold(value).strip()
    if words in _TYPE_SYNONYMS:
        return set(_TYPE_SYNONYMS[words])
    found = {k for k, label in AGREEMENT_TYPES.items() if words and words in fold(label)}
    if not found:
        raise AgreementFilterError(f"Ukendt aftaletype '{value}'. Brug en af: {', '.join(AGREEMENT_TYPES)}.")
    return found


def resolve_status(value: str) -> str:
    """Status filter key for a value ('i gang' -> 'i_gang', 'ønske' -> 'oenske'); AgreementFilterError if unknown."""
    key = fold(value).strip().replace(" ", "_").replace("-", "_")
    key = {"overskredne": "overskredet", "oenske": "oenske", "oensker": "oenske"}.get(key, key)
    if key not in STATUS_FILTERS:
        shown = ", ".join(s.replace("oenske", "ønske") for s in STATUS_FILTERS)
        raise AgreementFilterError(f"Ukendt status '{value}'. Brug en af: {shown}.")
    return key


def matches(entry: RegisterEntry, filters: AgreementFilters, today: dt.date) -> bool:
    """True when an entry passes the filters (values already valid)."""
    if filters.org:
        org = entry.organisation or ""
        if not (entry.names_organisation(filters.org) or fold(filters.org).strip() in fold(org)):
            return False
    if filters.type and entry.type not in resolve_types(filters.type):
        return False
    if filters.status:
        status = resolve_status(filters.status)
        if status == "overskredet":
            return entry.is_overdue(today)
        if status == "oenske":
            return entry.category == "oenske"
        return entry.status == status and entry.category == "aftale"
    return True


@dataclass
class Snapshot:
    """The register as built from one store generation."""

    generation: str
    built_at: float
    documents: dict[str, DocumentExtraction] = field(default_factory=dict)
    entries: list[RegisterEntry] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": REGISTER_VERSION, "generation": self.generation, "built_at": self.built_at,
            "documents": [d.to_dict() for d in self.documents.values()],
            "entries": [e.to_dict() for e in self.entries],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Snapshot:
        docs = [DocumentExtraction.from_dict(d) for d in data.get("documents", [])]
        return cls(generation=str(data["generation"]), built_at=float(data.get("built_at", 0)),
                   documents={d.source_id: d for d in docs},
                   entries=[RegisterEntry.from_dict(e) for e in data.get("entries", [])])


class AgreementRegister:
    """The agreement register of one knowledge base, kept in step with the store's generation."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        settings = self.kb.settings
        name = settings.collection
        if settings.chroma_url:
            name += "-" + "".join(ch if ch.isalnum() else "-" for ch in settings.chroma_url).strip("-")[:60]
        return settings.home / "agreements" / f"{name}.json"

    # -- keeping in step with the store --------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """The register for the store's current generation (loaded from disk or rebuilt)."""
        generation = self.kb.store.generation()
        current = self._snapshot
        if current is not None and current.generation == generation:
            return current
        with self._lock:
            current = self._snapshot
            if current is not None and current.generation == generation:
                return current
            stored = self._load()
            if stored is not None and stored.generation == generation:
                self._snapshot = stored
                return stored
            previous = current if current is not None else stored
            built = self._build(generation, previous)
            self._save(built)
            self._snapshot = built
            return built

    def _build(self, generation: str, previous: Snapshot | None) -> Snapshot:
        cached = previous.documents if previous is not None else {}
        documents: dict[str, DocumentExtraction] = {}
        for record in self.kb.store.list_sources():
            if not is_register_source(record):
                continue
            old = cached.get(record.source_id)
            if old is not None and old.doc_hash == record.doc_hash and old.title == record.title:
                documents[record.source_id] = old
                continue
            documents[record.source_id] = extract_document(record, self.kb.store.chunks_of_source(record.source_id))
        return Snapshot(generation, time.time(), documents, build_entries(documents.values()))

    def _load(self) -> Snapshot | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") != REGISTER_VERSION:
                return None
            return Snapshot.from_dict(data)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable: rebuilt from the store

    def _save(self, snapshot: Snapshot) -> None:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(snapshot.to_dict(), fh, ensure_ascii=False)
            os.replace(tmp, self.path)
        except OSError:
            return  # a read-only data directory still gets a register, rebuilt in memory

    # -- reading -------------------------------------------------------------------------------
    def entries(self, filters: AgreementFilters | None = None, *, today: dt.date | None = None
                ) -> list[RegisterEntry]:
        """Entries passing the filters, ordered by organisation, date agreed and number."""
        filters = filters or AgreementFilters()
        if filters.type:
            resolve_types(filters.type)
        if filters.status:
            resolve_status(filters.status)
        today = today or dt.date.today()
        found = [e for e in self.snapshot().entries if matches(e, filters, today)]
        return sorted(found, key=lambda e: (fold(e.organisation or "~"), e.category != "aftale",
                                            e.agreed_date or e.sources[0].date or "", e.number or 0))

    def organisations(self) -> list[str]:
        """The organisations named in the register."""
        names: list[str] = []
        for e in self.snapshot().entries:
            for name in e.organisations or ([e.organisation] if e.organisation else []):
                if not any(same_organisation(name, n) for n in names):
                    names.append(name)
        return sorted(names, key=fold)

    def document_count(self) -> int:
        """How many documents the register was read from (referater, aftaler, notater, styringsrapporter)."""
        return len(self.snapshot().documents)

    def empty_reason(self, filters: AgreementFilters | None = None, *, can_upload: bool | None = None) -> str:
        """Danish explanation of why a listing is empty (no documents, no agreements found, or filters).

        ``can_upload``: the advice for the web page (True: upload here; False: the caller may not upload);
        None: the command line's advice."""
        snap = self.snapshot()
        if not snap.documents:
            missing = "Der er ikke indlæst referater, aftaler, notater eller styringsrapporter endnu."
            if can_upload is True:
                return (f"{missing} Upload dem under 'Upload dokument' på fanen Assistent (vælg dokumenttypen), så "
                        "bygges aftaleoversigten automatisk.")
            if can_upload is False:
                return (f"{missing} Det kræver rollen 'editor' at indlæse dem: bed en redaktør om at uploade dem, eller "
                        "brug en nøgle eller et log ind med den rolle.")
            return (f"{missing} Indlæs dem "
                    "(fx 'almen ingest referat.pdf --kind referat --org \"Boligselskabet X\"' eller upload på "
                    "siden), så bygges aftaleoversigten automatisk.")
        if not snap.entries:
            docs = len(snap.documents)
            where = "det indlæste dokument" if docs == 1 else f"de {docs} indlæste dokumenter"
            return (f"Der blev ikke fundet aftaler i {where}. almen genkender beslutninger og tilsagn i teksten "
                    "('Det blev aftalt, at ...', 'Beslutning: ...', 'X sender senest ...'), lister under overskrifter "
                    "som 'Aftaler', 'Beslutninger' og 'Opfølgningspunkter', aftaletabeller og nummererede punkter i "
                    "aftaledokumenter.")
        described = filters.describe() if filters else ""
        return f"Ingen aftaler matcher filtrene ({described})." if described else "Aftaleoversigten er tom."


_REGISTERS: weakref.WeakKeyDictionary[KnowledgeBase, AgreementRegister] = weakref.WeakKeyDictionary()
_REGISTERS_LOCK = threading.Lock()


class _ScopedRegister(AgreementRegister):
    """The register seen from an owner scope: entries linked again from only the documents the caller may see,
    so neither an agreement nor a status from another scope's document shows."""

    def __init__(self, base: AgreementRegister, sources: frozenset[str]) -> None:
        super().__init__(base.kb)
        self._base = base
        self._sources = sources

    def snapshot(self) -> Snapshot:
        full = self._base.snapshot()
        current = self._snapshot
        if current is not None and current.generation == full.generation:
            return current
        documents = {sid: d for sid, d in full.documents.items() if sid in self._sources}
        self._snapshot = Snapshot(full.generation, full.built_at, documents, build_entries(documents.values()))
        return self._snapshot


_SCOPED: "weakref.WeakKeyDictionary[KnowledgeBase, dict[frozenset[str], _ScopedRegister]]" = weakref.WeakKeyDictionary()


def scoped_register(kb: KnowledgeBase, sources: frozenset[str] | None) -> AgreementRegister:
    """The register of the documents in ``sources`` (None: the whole register)."""
    base = get_register(kb)
    if sources is None:
        return base
    with _REGISTERS_LOCK:
        views = _SCOPED.setdefault(kb, {})
        view = views.get(sources)
        if view is None:
            if len(views) >= 64:  # one view per scope and store generation in practice; keep memory bounded
                views.clear()
            view = views[sources] = _ScopedRegister(base, sources)
        return view


def get_register(kb: KnowledgeBase) -> AgreementRegister:
    """The register of a knowledge base (one per KnowledgeBase object; it loads lazily)."""
    with _REGISTERS_LOCK:
        register = _REGISTERS.get(kb)
        if register is None:
            register = _REGISTERS[kb] = AgreementRegister(kb)
        return register
