"""Store, lexical index and hybrid search on hand-made chunks (real Chroma on disk, fake embeddings)."""

from __future__ import annotations

import time

import pytest

from knowledge.config import Settings
from knowledge.errors import EmbeddingMismatchError, QueryError
from knowledge.kb import KnowledgeBase
from knowledge.retriever import RetrievalOptions
from knowledge.search_types import parse_date
from knowledge.search_types import SearchFilters
from knowledge.store import SourceRecord
from knowledge.types import Chunk


def law_chunk(sid: str, h: str, i: int, para: str, stk: int, text: str, **meta: object) -> Chunk:
    pid = para.replace(" ", "")
    lid = f"almenboligloven:§{pid}:stk{stk}"
    md = {"title": "Lov om almene boliger", "kind": "lov", "legal_id": lid,
          "legal_label": f"almenboligloven § {para}, stk. {stk}", "legal_refs": f"almenboligloven:§{pid} {lid}",
          "heading": f"Kapitel 13 > § {para}", "ordinal": i, **meta}
    return Chunk(id=f"{sid}@{h[:10]}:{i:04d}", source_id=sid, text=text, metadata=md)


def guide_chunk(sid: str, h: str, i: int, heading: str, text: str, **meta: object) -> Chunk:
    md = {"title": "Styringsdialogen", "kind": "vejledning", "heading": heading, "ordinal": i, **meta}
    return Chunk(id=f"{sid}@{h[:10]}:{i:04d}", source_id=sid, text=text, metadata=md)


def put(kb: KnowledgeBase, sid: str, h: str, chunks: list[Chunk], kind: str = "lov", **rec: object) -> None:
    vectors = kb.embeddings.embed_documents([c.text for c in chunks])
    record = SourceRecord(source_id=sid, title=chunks[0].title, kind=kind, doc_hash=h, chunk_count=len(chunks),
                          ingested_at=time.time(), **rec)  # type: ignore[arg-type]
    kb.store.put_document(record, chunks, vectors)


@pytest.fixture
def kb(fake_kb: KnowledgeBase) -> KnowledgeBase:
    h = "a" * 64
    put(fake_kb, "lab", h, [
        law_chunk("lab", h, 0, "164", 1, "Kommunalbestyrelsen fører tilsyn med de almene boligorganisationer."),
        law_chunk("lab", h, 1, "164", 2, "Kommunalbestyrelsen og boligorganisationen fører styringsdialog, og der holdes et årligt dialogmøde."),
        law_chunk("lab", h, 2, "59", 1, "Kommunalbestyrelsen kan råde over indtil hver fjerde ledige almene familiebolig til boligsociale opgaver."),
        law_chunk("lab", h, 3, "59", 2, "Kommunalbestyrelsen og boligorganisationen kan aftale anvisning af et større eller mindre antal boliger."),
        law_chunk("lab", h, 4, "54 a", 1, "Særlige regler om plejeboliger.", valid_from="2020-01-01", valid_to="2021-12-31"),
    ])
    g = "b" * 64
    put(fake_kb, "guide", g, [
        guide_chunk("guide", g, 0, "Styringsdialogen > Hvornår", "Der holdes mindst ét dialogmøde om året med hver boligorganisation."),
        guide_chunk("guide", g, 1, "Nøgletal > Tomgang", "Lejeledighed og tab ved lejeledighed er centrale nøgletal.", org="Fjordbo", year=2026),
        guide_chunk("guide", g, 2, "Nøgletal > Henlæggelser", "Opsparede henlæggelser pr. bolig var i gennemsnit 44.300 kr. i 2019."),
    ], kind="vejledning")
    return fake_kb


def test_named_provision_is_hit_one(kb: KnowledgeBase) -> None:
    for query, expected in [
        ("hvad siger § 59, stk. 2?", "almenboligloven:§59:stk2"),
        ("almenboligloven § 164 stk. 2", "almenboligloven:§164:stk2"),
        ("LAB § 164, stk. 1", "almenboligloven:§164:stk1"),
        ("lov om almene boliger § 54 a", "almenboligloven:§54a:stk1"),
    ]:
        res = kb.search(query, k=3)
        assert res.hits[0].chunk.legal_id == expected, (query, [h.chunk.legal_id for h in res.hits])
        assert res.hits[0].legal_match and res.relevant


def test_hits_explain_themselves(kb: KnowledgeBase) -> None:
    res = kb.search("årligt dialogmøde styringsdialog", k=3)
    top = res.hits[0].explain()
    assert top["dense_rank"] is not None and top["lexical_rank"] is not None
    assert set(top) >= {"fused", "dense_score", "lexical_score", "legal_match", "label"}
    assert res.timings["total"] >= res.timings["lexical"] > 0


def test_diacritics_and_spelling_variants_meet(kb: KnowledgeBase) -> None:
    a = kb.search("opsparede henlaeggelser", k=1).hits[0].chunk.id
    b = kb.search("opsparede henlæggelser", k=1).hits[0].chunk.id
    assert a == b and a.startswith("guide@")


def test_filters_kind_org_year_and_date(kb: KnowledgeBase) -> None:
    assert all(h.chunk.metadata["kind"] == "vejledning" for h in kb.search("dialogmøde", filters=SearchFilters(kind="vejledning"), k=5).hits)
    res = kb.search("nøgletal", filters=SearchFilters(org="fjordbo", year=2026), k=5)
    assert [h.chunk.metadata.get("org") for h in res.hits] == ["Fjordbo"]
    assert "org" in res.hits[0].filters_matched
    gone = kb.search("plejeboliger", filters=SearchFilters(on_date=parse_date("2023-05-01")), k=10)
    assert all(h.chunk.legal_id != "almenboligloven:§54a:stk1" for h in gone.hits)
    kept = kb.search("plejeboliger", filters=SearchFilters(on_date=parse_date("2021-05-01")), k=10)
    assert any(h.chunk.legal_id == "almenboligloven:§54a:stk1" for h in kept.hits)
    none = kb.search("dialogmøde", filters=SearchFilters(org="findes ikke"), k=5)
    assert none.hits == [] and not none.relevant and "filtre" in none.reason


def test_bad_queries_give_clear_errors_or_reasons(kb: KnowledgeBase) -> None:
    with pytest.raises(QueryError, match="tom"):
        kb.search("   ")
    res = kb.search("?!... ,,, ---")
    assert res.hits == [] and not res.relevant and "søgeord" in res.reason
    long = kb.search("dialogmøde " * 1500)  # ~16,000 characters
    assert long.hits
    with pytest.raises(QueryError, match="dato"):
        parse_date("31-02-2024x")


def test_replace_never_mixes_versions_and_remove_hides_everything(kb: KnowledgeBase) -> None:
    h2 = "c" * 64
    put(kb, "guide", h2, [guide_chunk("guide", h2, 0, "Ny", "Helt ny tekst om fællesmøder med alle boligorganisationer.")], kind="vejledning")
    ids = {c.id for c in kb.store.iter_active_chunks() if c.source_id == "guide"}
    assert ids == {f"guide@{h2[:10]}:0000"}
    assert kb.store.raw_count() == 6  # old version deleted
    assert all(not h.chunk.id.startswith("guide@bbbb") for h in kb.search("henlæggelser dialogmøde", k=10).hits)
    assert kb.store.remove_source("guide") and not kb.store.remove_source("guide")
    assert all(h.chunk.source_id != "guide" for h in kb.search("fællesmøder", k=10).hits)
    assert kb.lexical.legal_lookup("almenboligloven:§164")


def test_interrupted_write_is_invisible_and_garbage_collected(kb: KnowledgeBase) -> None:
    # Simulate a crash after chunks were written but before the source record switched.
    h = "d" * 64
    orphan = law_chunk("lab", h, 0, "164", 1, "Halvt skrevet version der aldrig blev aktiv.")
    orphan.metadata.update(doc_hash=h, source_id="lab")
    kb.store._chunks.upsert(ids=[orphan.id], embeddings=kb.embeddings.embed_documents([orphan.text]),
                            documents=[orphan.text], metadatas=[orphan.metadata])
    assert all("Halvt" not in h.chunk.text for h in kb.search("halvt skrevet version", k=10).hits)
    assert kb.store.collect_garbage() == 1
    assert kb.store.raw_count() == 8


def test_lexical_index_follows_generation_and_persists(kb: KnowledgeBase, settings: Settings) -> None:
    kb.search("tilsyn")
    gen = kb.lexical.generation
    other = KnowledgeBase(settings)  # a second worker on the same data dir
    other.search("tilsyn")
    assert other.lexical.generation == gen and other.lexical.chunk_count == 8
    kb.store.remove_source("guide")
    other.search("tilsyn")
    assert other.lexical.generation != gen and other.lexical.chunk_count == 5


def test_embedding_model_mismatch_is_refused(kb: KnowledgeBase, settings: Settings) -> None:
    from knowledge.embeddings import FakeEmbeddings

    class Other(FakeEmbeddings):
        model_id = "other/model"

    with pytest.raises(EmbeddingMismatchError, match="Byg vidensbasen igen"):
        _ = KnowledgeBase(settings, embeddings=Other()).store


def test_variants_switch_parts_off(kb: KnowledgeBase) -> None:
    lex_only = kb.with_options(RetrievalOptions(dense=False, legal=False))
    res = lex_only.search("årligt dialogmøde", k=3)
    assert res.hits and all(h.dense_rank is None for h in res.hits)
    no_legal = kb.with_options(RetrievalOptions(legal=False))
    assert not any(h.legal_match for h in no_legal.search("§ 59, stk. 2", k=5).hits)


def test_synonym_expansion_from_glossary(kb: KnowledgeBase) -> None:
    from knowledge.glossary import GlossaryEntry, SynonymExpander

    lexical = kb.with_options(RetrievalOptions(dense=False))
    lexical.__dict__["expander"] = SynonymExpander((GlossaryEntry("lejeledighed", ("tomgang", "ledige boliger"), ""),))
    res = lexical.search("hvor stor er lejeledigheden", k=3)
    assert res.expanded_terms == ["tomgang", "ledige boliger"]
    assert res.hits[0].chunk.heading == "Nøgletal > Tomgang"
    plain = kb.with_options(RetrievalOptions(dense=False, synonyms=False)).search("hvor meget tomgang", k=3)
    assert plain.expanded_terms == []


def test_langchain_retriever_returns_documents(kb: KnowledgeBase) -> None:
    docs = kb.as_retriever(k=2).invoke("§ 164, stk. 2")
    assert len(docs) == 2 and docs[0].metadata["legal_id"] == "almenboligloven:§164:stk2"
    assert docs[0].metadata["citation_label"].startswith("almenboligloven § 164, stk. 2")
