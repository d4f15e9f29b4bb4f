"""The same index through a real Chroma server (HttpClient) gives the same top hits as the embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.builtin import builtin_files
from ingest.pipeline import run_ingest
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase

FILES = [f for f in builtin_files() if f.stem in (
    "styringsdialogen", "bestemmelse-almenboligloven-59", "bestemmelse-almenboligloven-164", "noegletal", "udlejningsredskaber")]
QUERIES = [
    "Hvornår skal der holdes dialogmøde?",
    "hvad siger § 59, stk. 2?",
    "almenboligloven § 164, stk. 3",
    "opsparede henlæggelser pr. bolig",
    "fleksibel udlejning i forebyggelsesområder",
]


@pytest.mark.slow
def test_server_and_embedded_store_agree(tmp_path: Path, chroma_server: str) -> None:
    embedded = KnowledgeBase(Settings(home=tmp_path / "embedded", embedding_backend="fake"))
    served = KnowledgeBase(Settings(home=tmp_path / "client", embedding_backend="fake", chroma_url=chroma_server))
    for kb in (embedded, served):
        report = run_ingest(kb, FILES, id_prefix="builtin")
        assert report.count("added") == len(FILES)
    assert served.store.count() == embedded.store.count() > 40
    for q in QUERIES:
        a = [h.chunk.id for h in embedded.search(q, k=5).hits]
        b = [h.chunk.id for h in served.search(q, k=5).hits]
        assert a[:3] == b[:3], q
    # A second client of the same server sees removals at once.
    other = KnowledgeBase(Settings(home=tmp_path / "client2", embedding_backend="fake", chroma_url=chroma_server))
    sid = served.store.list_sources()[0].source_id
    assert served.store.remove_source(sid)
    assert all(h.chunk.source_id != sid for h in other.search("styringsdialog tilsyn", k=20).hits)
    assert other.store.get_source(sid) is None
