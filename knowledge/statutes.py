"""The recorded versions of each act: which is current, which are superseded and when each was in force.

An official text ingested into the store (``almen lov import``, or any statute file ingested or uploaded)
is one version of an act: its source record's ``extra`` holds the act, the designation ("LBK nr. 207 af
25/01/2026"), type, number and date. Of the versions of one act the one with the latest date is current;
every older one is superseded and was in force from its own date until the day before the next version's
(``valid_from``/``valid_to`` on its chunks, what a search on a date filters by). The same version ingested
twice (two layouts, two names) shares one status. The built-in notes record the version they describe
(front matter ``version``): when no official text of an act is stored, that is the version we know of.

"Which version is current?" is answered from these records, never from a date written inside a §.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from knowledge.authority import authority_of
from knowledge.legal import act_display, is_known_act, register_act

if TYPE_CHECKING:
    from knowledge.store import ChunkStore, SourceRecord

STATUTE_AUTHORITIES = frozenset({"statute_current", "statute_superseded"})
VERSION_KEYS = ("act", "act_title", "version", "act_type", "act_number", "act_date")


@dataclass(frozen=True)
class StatuteVersion:
    """One recorded version of an act (an official text in the store, or the version a built-in note describes)."""

    act: str
    version: str  # 'LBK nr. 207 af 25/01/2026'
    act_date: str  # ISO
    title: str = ""
    act_type: str = ""
    act_number: str = ""
    source_id: str = ""
    authority: str = "statute_current"
    valid_from: str = ""
    valid_to: str = ""
    builtin: bool = False
    ingested_at: float = 0.0

    @property
    def current(self) -> bool:
        return self.authority == "statute_current"

    @property
    def act_name(self) -> str:
        return act_display(self.act)


@dataclass
class CurrentVersion:
    """The answer to 'which version of <act> is current?': from official texts when stored, else the notes."""

    act: str
    current: StatuteVersion
    official: bool  # True: an official text is stored; False: only the built-in notes name a version
    superseded: list[StatuteVersion] = field(default_factory=list)  # newest first
    note_versions: list[str] = field(default_factory=list)  # the versions the built-in notes describe

    @property
    def act_name(self) -> str:
        return act_display(self.act)


def version_extra(metadata: dict[str, Any]) -> dict[str, Any]:
    """What a source record keeps of a chunk's version metadata (act, designation, type, number, date)."""
    return {k: metadata[k] for k in (*VERSION_KEYS, "valid_from", "valid_to") if metadata.get(k)}


def _from_record(rec: SourceRecord) -> StatuteVersion | None:
    extra = rec.extra or {}
    act, version, act_date = str(extra.get("act") or ""), str(extra.get("version") or ""), str(extra.get("act_date") or "")
    if not act or not version:
        return None
    return StatuteVersion(
        act=act, version=version, act_date=act_date,
        title=str(extra.get("act_title") or ("" if rec.builtin else rec.title)),  # a note's title is not the act's
        act_type=str(extra.get("act_type") or ""), act_number=str(extra.get("act_number") or ""),
        source_id=rec.source_id, authority=authority_of({**extra, "source_id": rec.source_id, "kind": rec.kind}),
        valid_from=str(extra.get("valid_from") or act_date), valid_to=str(extra.get("valid_to") or ""),
        builtin=rec.builtin, ingested_at=rec.ingested_at,
    )


def statute_versions(records: list[SourceRecord], act: str | None = None) -> list[StatuteVersion]:
    """The official texts among the records (optionally of one act), by act and then newest first."""
    out = [v for v in (_from_record(r) for r in records)
           if v is not None and not v.builtin and v.act_date and v.authority in STATUTE_AUTHORITIES
           and (act is None or v.act == act)]
    return sorted(out, key=lambda v: (v.act, _desc(v.act_date), v.source_id))


def _desc(iso: str) -> str:
    """A sort key that orders ISO dates newest first."""
    return "".join(chr(0x7F - ord(ch)) for ch in iso)


def plan_versions(dates: dict[str, str]) -> dict[str, tuple[str, str]]:
    """source id -> (authority, valid_to) for the versions of ONE act, given each version's ISO date.

    The latest date is current (valid_to ''); an older one is superseded and valid until the day before the
    next later date. Sources with the same date are the same version and share its status."""
    distinct = sorted(set(dates.values()))
    following = {d: distinct[i + 1] for i, d in enumerate(distinct[:-1])}
    plan: dict[str, tuple[str, str]] = {}
    for source_id, day in dates.items():
        nxt = following.get(day)
        if nxt is None:
            plan[source_id] = ("statute_current", "")
        else:
            plan[source_id] = ("statute_superseded", (date.fromisoformat(nxt) - timedelta(days=1)).isoformat())
    return plan


def placement(records: list[SourceRecord], act: str, act_date: str, source_id: str) -> tuple[str, str]:
    """(authority, valid_to) a new version of ``act`` dated ``act_date`` gets among the stored ones."""
    dates = {v.source_id: v.act_date for v in statute_versions(records, act) if v.source_id != source_id}
    dates[source_id] = act_date
    return plan_versions(dates)[source_id]


def reconcile_versions(store: ChunkStore, act: str) -> list[StatuteVersion]:
    """Make every stored version of ``act`` carry the status its date gives it; returns those changed.

    Idempotent: run after a version is added or removed (and safe to run any time)."""
    versions = statute_versions(store.list_sources(), act)
    plan = plan_versions({v.source_id: v.act_date for v in versions})
    changed: list[StatuteVersion] = []
    for v in versions:
        authority, valid_to = plan[v.source_id]
        if (authority, valid_to) == (v.authority, v.valid_to):
            continue
        rec = store.get_source(v.source_id)
        if rec is None:
            continue
        extra = {**rec.extra, "authority": authority, "valid_to": valid_to}
        store.update_source_metadata(v.source_id, {"authority": authority, "valid_to": valid_to}, extra)
        changed.append(StatuteVersion(**{**vars(v), "authority": authority, "valid_to": valid_to}))
    return changed


def note_versions(records: list[SourceRecord], act: str) -> list[StatuteVersion]:
    """The versions of ``act`` the built-in notes describe, newest first (one entry per version)."""
    seen: dict[str, StatuteVersion] = {}
    for rec in records:
        v = _from_record(rec) if rec.builtin else None
        if v is not None and v.act == act and v.version not in seen:
            seen[v.version] = v
    return sorted(seen.values(), key=lambda v: _desc(v.act_date or "0000-00-00"))


def current_version(records: list[SourceRecord], act: str, *, on_date: date | None = None) -> CurrentVersion | None:
    """The current version of an act (or the one in force on ``on_date``), or None when nothing names one.

    An official text in the store wins; without one, the newest version a built-in note describes."""
    notes = [v.version for v in note_versions(records, act)]
    versions = statute_versions(records, act)
    if versions:
        pick = _in_force_on(versions, on_date) if on_date else next((v for v in versions if v.current), versions[0])
        if pick is not None:
            older = [v for v in versions if v.act_date < pick.act_date]
            return CurrentVersion(act, pick, True, _one_per_version(older), notes)
    described = note_versions(records, act)
    if not described:
        return None
    return CurrentVersion(act, described[0], False, [], notes)


def _in_force_on(versions: list[StatuteVersion], day: date) -> StatuteVersion | None:
    iso = day.isoformat()
    return next((v for v in versions if v.act_date <= iso and (not v.valid_to or v.valid_to >= iso)), None)


def _one_per_version(versions: list[StatuteVersion]) -> list[StatuteVersion]:
    """The versions in their order, each designation once (one version stored in two layouts)."""
    seen: dict[str, StatuteVersion] = {}
    for v in versions:
        seen.setdefault(v.version, v)
    return list(seen.values())


def acts_with_versions(records: list[SourceRecord]) -> list[str]:
    """Every act that has an official text or a built-in note naming its version, in name order."""
    acts = {v.act for v in (_from_record(r) for r in records) if v is not None}
    return sorted(acts, key=lambda a: act_display(a).lower())


def register_stored_acts(records: list[SourceRecord]) -> int:
    """Make the acts outside the registry that the store holds official texts of known by their titles
    (a new process has not parsed them); returns how many were new."""
    new = 0
    for rec in records:
        act, title = str(rec.extra.get("act") or ""), str(rec.extra.get("act_title") or "")
        if act and title and not is_known_act(act) and register_act(act, title):
            new += 1
    return new


@dataclass
class ActOverview:
    """One act as `almen lov list` and GET /api/laws show it: its current version and every stored one."""

    act: str
    current: CurrentVersion
    versions: list[StatuteVersion]  # official texts, newest first (empty: only the built-in notes name a version)

    @property
    def act_name(self) -> str:
        return act_display(self.act)

    def to_dict(self) -> dict[str, Any]:
        def one(v: StatuteVersion) -> dict[str, Any]:
            return {"version": v.version, "title": v.title, "act_type": v.act_type, "act_number": v.act_number,
                    "act_date": v.act_date, "status": "gældende" if v.current else "afløst",
                    "authority": v.authority, "valid_from": v.valid_from, "valid_to": v.valid_to,
                    "source_id": v.source_id}

        return {"act": self.act, "act_name": self.act_name, "current_version": self.current.current.version,
                "official": self.current.official, "title": self.current.current.title,
                "note_versions": list(self.current.note_versions), "versions": [one(v) for v in self.versions]}


def law_overview(records: list[SourceRecord]) -> list[ActOverview]:
    """Every act with an official text or a built-in note naming its version, with the current version."""
    out: list[ActOverview] = []
    for act in acts_with_versions(records):
        current = current_version(records, act)
        if current is not None:
            out.append(ActOverview(act, current, statute_versions(records, act)))
    return out
