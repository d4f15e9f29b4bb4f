"""An answer that cites a built-in note describing another version of an act than the current official text
in the knowledge base says so; one that cites a superseded official text names the current version."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.law_import import import_law
from ingest.pipeline import ingest_file
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.types import Chunk, Citation, Hit
from service.answering.answer import answer_question
from service.answering.versions import version_notes
from tests.ingest.test_statute_layouts import STATUTES

NOTE = """---
title: "Noteretten § 59 – anvisning ud over den faste andel"
kind: notat
provision: almenboligloven:§59
legal_refs: [almenboligloven:§59:stk2]
version: "LBK nr. 1171 af 11/11/2024"
---
# Noteretten § 59

Et skærmlys-tillæg aftales altid skriftligt mellem kommunalbestyrelsen og boligorganisationen efter § 59, stk. 2.
"""


def _hit(cid: str, source: str, **meta: str) -> Hit:
    return Hit(chunk=Chunk(id=cid, source_id=source, text="tekst", metadata=dict(meta)), score=1.0)


def _cite(n: int, hit: Hit) -> Citation:
    return Citation(n=n, chunk_id=hit.chunk.id, source_id=hit.chunk.source_id, title="t", kind="notat", label="l")


OFFICIAL = _hit("lov@1:0", "lov-207", act="almenboligloven", version="LBK nr. 207 af 25/01/2026",
                authority="statute_current", kind="lov")
OLD_NOTE = _hit("builtin-x@1:0", "builtin-x", provision="almenboligloven:§59", version="LBK nr. 1171 af 11/11/2024",
                authority="builtin_note", kind="notat")
SAME_NOTE = _hit("builtin-y@1:0", "builtin-y", act="almenboligloven", version="LBK nr. 207 af 25/01/2026",
                 authority="builtin_note", kind="notat")
OLD_LAW = _hit("lov-old@1:0", "lov-1171", act="almenboligloven", version="LBK nr. 1171 af 11/11/2024",
               authority="statute_superseded", kind="lov")
OTHER_ACT = _hit("builtin-z@1:0", "builtin-z", act="driftsbekendtgoerelsen", version="BEK nr. 70 af 26/01/2018",
                 authority="builtin_note", kind="notat")


@pytest.mark.parametrize(("cited", "hits", "expected"), [
    ([OLD_NOTE], [OFFICIAL, OLD_NOTE], ["[1] er en indbygget note", "LBK nr. 1171 af 11/11/2024",
                                        "LBK nr. 207 af 25/01/2026", "går forud"]),
    ([OLD_LAW], [OFFICIAL, OLD_LAW], ["tidligere version", "den gældende er LBK nr. 207 af 25/01/2026"]),
    ([SAME_NOTE], [OFFICIAL, SAME_NOTE], []),  # the note describes the current version
    ([OLD_NOTE], [OLD_NOTE], []),  # no official text retrieved: nothing to compare with
    ([OTHER_ACT], [OFFICIAL, OTHER_ACT], []),  # another act's official text says nothing about this one
    ([OFFICIAL], [OFFICIAL, OLD_NOTE], []),  # the official text itself is cited
])
def test_version_notes(cited: list[Hit], hits: list[Hit], expected: list[str]) -> None:
    notes = version_notes([_cite(i + 1, h) for i, h in enumerate(cited)], hits)
    if not expected:
        assert notes == []
    else:
        assert len(notes) == 1 and all(part in notes[0] for part in expected), notes


def test_an_answer_from_an_older_note_says_the_official_text_goes_first(tmp_path: Path) -> None:
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embedding_backend="fake", builtin=False))
    import_law(kb, STATUTES / "almenboligloven-uddrag-lbk-207-2026.txt")
    note = tmp_path / "note-59.md"
    note.write_text(NOTE, encoding="utf-8")
    assert ingest_file(kb, note, id_prefix="builtin", builtin=True).status == "added"
    answer = answer_question("Skal et skærmlys-tillæg aftales skriftligt efter § 59, stk. 2?", searcher=kb,
                             settings=kb.settings)
    assert not answer.abstained, answer.reason
    cited_note = [c for c in answer.citations if c.source_id.startswith("builtin-")]
    assert cited_note, answer.text
    assert any("indbygget note" in n and "LBK nr. 207 af 25/01/2026" in n and "LBK nr. 1171" in n
               for n in answer.notes), answer.notes
