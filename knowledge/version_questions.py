"""'Which version of almenboligloven is current?' - recognised, and answered from the recorded versions.

The answer comes from the versions the store records (knowledge.statutes): an imported official text
when there is one, else the version the built-in notes describe; never from a date or a designation
written inside a § (a § may well cite the act of 2006 it was first made by).

A version question names an act and otherwise uses only the words of such a question ('hvilken',
'version', 'gældende', 'nyeste', a date, ...). A question that names a § or says anything else about
the act ('Hvad siger den nyeste version af almenboligloven om kombineret udlejning?') is about the
rules and is answered from the texts as usual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from knowledge.legal import act_mentions, refs_in_text
from knowledge.statutes import CurrentVersion, StatuteVersion, current_version
from knowledge.store import ChunkStore, SourceRecord
from knowledge.types import Chunk, Citation

_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december")
_CUES = frozenset({
    "version", "versionen", "versioner", "udgave", "udgaven", "gælder", "gældende", "gjaldt", "nyeste", "seneste",
    "aktuelle", "aktuel", "nuværende", "kraft", "nummer", "nummeret", "lovbekendtgørelse", "lovbekendtgørelsen",
    "lbk", "bek", "current", "latest",
})
_QUESTION_WORDS = _CUES | frozenset({
    "hvilken", "hvilket", "hvilke", "hvad", "hvornår", "er", "var", "den", "det", "der", "nu", "pt", "p.t", "i",
    "øjeblikket", "lige", "for", "tiden", "af", "fra", "om", "på", "til", "og", "eller", "stadig", "senest",
    "bruger", "bruge", "vi", "man", "skal", "har", "hedder", "står", "findes", "kender", "dato", "datoen",
    "bekendtgørelse", "bekendtgørelsen", "lov", "loven", "nr", "dag", "d", "dens", "dets", "vores", "almen",
    "which", "what", "is", "the", "of", *_MONTHS,
})
_DATE_RE = re.compile(r"\b(\d{1,2})\.\s*(" + "|".join(_MONTHS) + r")\s+(\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b|"
                      r"\b(\d{1,2})/(\d{1,2})[-/](\d{4})\b", re.IGNORECASE)


@dataclass(frozen=True)
class VersionQuestion:
    """A question for the version of an act (in force now, or on ``on_date``)."""

    act: str
    on_date: date | None = None


@dataclass
class VersionReply:
    """The Danish answer with [n] markers, its citations and notes."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _date_in(text: str) -> date | None:
    m = _DATE_RE.search(text)
    if not m:
        return None
    try:
        if m.group(1):
            return date(int(m.group(3)), _MONTHS.index(m.group(2).lower()) + 1, int(m.group(1)))
        if m.group(4):
            return date(int(m.group(4)), int(m.group(5)), int(m.group(6)))
        return date(int(m.group(9)), int(m.group(8)), int(m.group(7)))
    except ValueError:
        return None


def version_question(question: str) -> VersionQuestion | None:
    """The act (and date) a version question asks about, or None for any other question (see the module)."""
    mentions = act_mentions(question)
    if not mentions or any(r.paragraph or r.chapter for r in refs_in_text(question)):
        return None
    rest = question
    for start, end, _ in reversed(mentions):
        rest = rest[:start] + " " + rest[end:]
    rest = _DATE_RE.sub(" ", rest)
    words = re.findall(r"[a-zæøå.]+|\d+", rest.lower())
    words = [w.strip(".") for w in words if w.strip(".")]
    if not words or not any(w in _CUES for w in words) or any(w not in _QUESTION_WORDS for w in words):
        return None
    acts = list(dict.fromkeys(act for _, _, act in mentions))
    return VersionQuestion(acts[0], _date_in(question)) if len(acts) == 1 else None


def _danish_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day}. {_MONTHS[d.month - 1]} {d.year}"


def _citation(n: int, chunk: Chunk, label: str) -> Citation:
    return Citation(n=n, chunk_id=chunk.id, source_id=chunk.source_id, title=chunk.title,
                    kind=str(chunk.metadata.get("kind") or ""), label=label, legal_label=chunk.legal_label,
                    heading=chunk.heading, quote=chunk.text[:300])


def _first_chunk(store: ChunkStore, version: StatuteVersion) -> Chunk | None:
    chunks = store.chunks_of_source(version.source_id)
    return chunks[0] if chunks else None


def _note_chunk(store: ChunkStore, records: list[SourceRecord], act: str, version: str) -> Chunk | None:
    """A built-in note's chunk that states the version it describes (its text says it, not only its metadata)."""
    fallback: Chunk | None = None
    for rec in records:
        if rec.builtin and rec.extra.get("act") == act and rec.extra.get("version") == version:
            chunks = store.chunks_of_source(rec.source_id)
            stated = [c for c in chunks if version in c.text]
            if stated:
                return stated[-1]
            fallback = fallback or (chunks[0] if chunks else None)
    return fallback


def answer_version_question(store: ChunkStore, asked: VersionQuestion) -> VersionReply | None:
    """The answer from the recorded versions, or None when the store records no version of the act."""
    records = store.list_sources()
    found = current_version(records, asked.act, on_date=asked.on_date)
    if found is None:
        return None
    if found.official:
        return _official(store, found, asked.on_date)
    chunk = _note_chunk(store, records, asked.act, found.current.version)
    if chunk is None:
        return None
    text = (f"Ifølge de indbyggede notater er den gældende version af {found.act_name} {found.current.version} [1]. "
            f"Der er ikke importeret en officiel tekst af {found.act_name} i vidensbasen.")
    note = ("Versionen er den, de indbyggede notater er skrevet efter. Importér den officielle tekst fra "
            "retsinformation.dk med 'almen lov import', så svarene bygger på den bindende tekst.")
    return VersionReply(text, [_citation(1, chunk, f"{found.act_name}, {found.current.version} (indbygget notat)")],
                        [note])


def _official(store: ChunkStore, found: CurrentVersion, on_date: date | None) -> VersionReply | None:
    v = found.current
    chunk = _first_chunk(store, v)
    if chunk is None:
        return None
    if on_date is not None:
        until = f" til og med {_danish_date(v.valid_to)}" if v.valid_to else ""
        text = (f"Den {_danish_date(on_date.isoformat())} gjaldt {v.version} af {found.act_name} ({v.title}), "
                f"gældende fra {_danish_date(v.valid_from)}{until} [1].")
    else:
        text = f"Den gældende version af {found.act_name} er {v.version} ({v.title}) [1]."
    notes: list[str] = []
    if found.superseded and on_date is None:
        older = ", ".join(f"{o.version} (gældende til og med {_danish_date(o.valid_to)})" for o in found.superseded
                          if o.valid_to)
        if older:
            notes.append(f"Vidensbasen har også tidligere versioner til spørgsmål om en dato: {older}.")
    differing = [n for n in found.note_versions if n != v.version]
    if differing and on_date is None:
        notes.append(f"De indbyggede notater om {found.act_name} er skrevet efter {', '.join(differing)}; hvor de "
                     "afviger fra den officielle tekst, gælder den officielle tekst.")
    return VersionReply(text, [_citation(1, chunk, f"{found.act_name}, {v.version}")], notes)
