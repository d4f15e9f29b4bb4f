"""Which source speaks first: the authority of a source, set on its chunks at ingest and ranked here.

The order (ARCHITECTURE.md, "Which source speaks"), best first:

0. ``statute_current``    an official text (LBK, BEK, lov) of the version in force now;
1. ``builtin_note``       the built-in notes shipped with almen (our summaries, each naming the version it describes);
2. ``guidance``           official guidance (vejledninger) a user added;
3. ``municipal``          the municipality's own documents (referater, styringsrapporter, aftaler, notater);
4. ``statute_superseded`` an official text of an earlier version, kept for "in force on <date>" questions;
5. ``sample``             the fictional sample documents (only worth citing when asked for by name).

A superseded version is the law of its period: asked about a date on which it was in force, it ranks as
a current statute (``authority_rank(meta, on_date=...)``). Chunks written before authority existed carry
no ``authority`` key; ``authority_of`` derives one from what they do carry (kind, source id).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final, Literal

Authority = Literal["statute_current", "builtin_note", "guidance", "municipal", "statute_superseded", "sample"]
AUTHORITY_ORDER: Final[tuple[Authority, ...]] = (
    "statute_current", "builtin_note", "guidance", "municipal", "statute_superseded", "sample",
)
STATUTE_KINDS: Final = frozenset({"lov", "bekendtgoerelse"})
# Danish names, for lists and notes shown to users.
AUTHORITY_DA: Final[dict[str, str]] = {
    "statute_current": "gældende officiel lovtekst",
    "builtin_note": "indbygget notat",
    "guidance": "vejledning",
    "municipal": "kommunens eget dokument",
    "statute_superseded": "afløst lovtekst",
    "sample": "fiktivt eksempeldokument",
}


def authority_for(kind: str, *, builtin: bool = False, sample: bool = False) -> Authority:
    """The authority of a newly ingested document: built-in and sample by origin, else by its kind.

    An official statute starts as current; ``knowledge.statutes.reconcile_versions`` marks the older
    versions of the same act superseded."""
    if builtin:
        return "builtin_note"
    if sample:
        return "sample"
    if kind in STATUTE_KINDS:
        return "statute_current"
    if kind == "vejledning":
        return "guidance"
    return "municipal"


def authority_of(metadata: dict[str, Any]) -> Authority:
    """The authority a chunk (or source) carries, derived for chunks ingested before it was recorded."""
    value = str(metadata.get("authority") or "")
    if value in AUTHORITY_ORDER:
        return value  # type: ignore[return-value]
    source_id = str(metadata.get("source_id") or "")
    return authority_for(str(metadata.get("kind") or ""), builtin=source_id.startswith("builtin-"),
                         sample=source_id.startswith("sample-"))


def in_force(metadata: dict[str, Any], day: date) -> bool:
    """True when the chunk's validity (valid_from/valid_to, ISO dates, either may be empty) covers ``day``."""
    d = day.isoformat()
    vf, vt = str(metadata.get("valid_from") or ""), str(metadata.get("valid_to") or "")
    return not ((vf and vf > d) or (vt and vt < d))


def authority_rank(metadata: dict[str, Any], *, on_date: date | None = None) -> int:
    """0 (speaks first) .. 5 (speaks last) for a chunk's or source's metadata; see the module docstring.

    ``on_date``: the date a question is about. A superseded statute in force on that date ranks as current,
    and a current one not yet in force then ranks as superseded."""
    authority = authority_of(metadata)
    if on_date is not None and authority in ("statute_current", "statute_superseded"):
        authority = "statute_current" if in_force(metadata, on_date) else "statute_superseded"
    return AUTHORITY_ORDER.index(authority)


def is_superseded(metadata: dict[str, Any]) -> bool:
    """True for a chunk of a statute version that a later version of the same act replaced."""
    return authority_of(metadata) == "statute_superseded"
