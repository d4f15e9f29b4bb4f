"""Which version an answer quotes: a note when a cited text describes another version than the current one.

An imported official text of the current version outranks the built-in notes (knowledge.authority), but a
note can still be cited: it explains, it was the best match for a sentence, or the official text lacks the
sentence. When the retrieved material holds the current official text of the same act in another version
than the one the cited note describes, the answer says so; it also says when it quotes a superseded version
of an act. Only the hits are read: what was not retrieved is not claimed.
"""

from __future__ import annotations

from typing import Any

from knowledge.authority import authority_of
from knowledge.legal import act_display
from knowledge.types import Citation, Hit


def _act_version(meta: dict[str, Any]) -> tuple[str, str]:
    """(act, version) of a chunk: a statute's chunks carry the act, a built-in note names its provision."""
    act = str(meta.get("act") or "") or str(meta.get("provision") or "").split(":", 1)[0]
    return act, str(meta.get("version") or "")


def current_official(hits: list[Hit]) -> dict[str, str]:
    """act -> the version of the current official text among the hits."""
    out: dict[str, str] = {}
    for hit in hits:
        meta = {**hit.chunk.metadata, "source_id": hit.chunk.source_id}
        act, version = _act_version(meta)
        if act and version and authority_of(meta) == "statute_current":
            out.setdefault(act, version)
    return out


def version_notes(citations: list[Citation], hits: list[Hit]) -> list[str]:
    """Danish notes for the cited sources whose version is not the current official text's (one per source)."""
    by_chunk = {hit.chunk.id: hit.chunk for hit in hits}
    current = current_official(hits)
    notes: list[str] = []
    seen: set[str] = set()
    for citation in citations:
        chunk = by_chunk.get(citation.chunk_id)
        if chunk is None or chunk.source_id in seen:
            continue
        seen.add(chunk.source_id)
        meta = {**chunk.metadata, "source_id": chunk.source_id}
        act, version = _act_version(meta)
        now = current.get(act, "")
        if not act or not version or not now or now == version:
            continue
        authority = authority_of(meta)
        name = act_display(act)
        if authority == "builtin_note":
            notes.append(f"Bemærk: kilde [{citation.n}] er en indbygget note skrevet ud fra {name} ({version}); "
                         f"vidensbasen har den gældende lovtekst ({now}), og den går forud, hvor de afviger.")
        elif authority == "statute_superseded":
            notes.append(f"Bemærk: kilde [{citation.n}] er en tidligere version af {name} ({version}); den "
                         f"gældende er {now}.")
    return notes
