"""The agreement register on the sample documents: planted agreements, clauses, statuses, overdue, filters."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ingest.pipeline import SAMPLES_DIR
from ingest.samples.manifest import load_manifest
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from service.agreements.model import RegisterEntry
from service.agreements.register import AgreementFilters, AgreementRegister, get_register
from tests.service.agreements_helpers import sample_source_id, samples_home

MANIFEST = load_manifest(SAMPLES_DIR / "manifest.json")


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return KnowledgeBase(Settings(home=samples_home(tmp_path_factory), embedding_backend="fake"))


@pytest.fixture(scope="module")
def entries(kb: KnowledgeBase) -> list[RegisterEntry]:
    return get_register(kb).entries(today=dt.date(2026, 5, 1))


def _by_source(entries: list[RegisterEntry], source_id: str) -> dict[int | None, RegisterEntry]:
    return {e.number: e for e in entries if e.sources[0].source_id == source_id}


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_planted_agreement_in_the_referater_is_in_the_register(kb: KnowledgeBase,
                                                                      entries: list[RegisterEntry]) -> None:
    referater = MANIFEST.files_of("referat")
    planted = [(entry, p) for entry in referater for p in entry.agreements]
    assert len(planted) == 13
    found = 0
    for entry, p in planted:
        sid = sample_source_id(entry.path)
        e = _by_source(entries, sid).get(p.number)
        assert e is not None, (entry.path, p.number)
        found += 1
        assert (e.type, e.organisation, e.afdeling) == (p.type, p.organisation, p.afdeling), (entry.path, p.number)
        assert (e.deadline, e.deadline_text) == (p.deadline, p.deadline_text), (entry.path, p.number)
        assert e.text.startswith(p.text[:60]) and e.agreed_date == entry.date and e.category == "aftale"
        source = e.sources[0]
        assert source.title.startswith("Referat af dialogmøde") and source.page == p.page and source.label == f"aftale {p.number}"
        chunk = kb.get_chunk(source.chunk_id)  # the citation points at the chunk holding the agreement's text
        assert chunk is not None and _words(p.text[:50]) in _words(chunk.text)
    assert found / len(planted) == 1.0


def test_the_agreement_document_gives_one_entry_per_substantive_clause(kb: KnowledgeBase,
                                                                       entries: list[RegisterEntry]) -> None:
    aftale = MANIFEST.files_of("aftale")[0]
    clauses = {int(c.number): c for c in aftale.clauses}
    got = _by_source(entries, sample_source_id(aftale.path))
    assert sorted(got) == [4, 5, 6, 7]  # parties, background, scope and duration describe the agreement
    expected_types = {4: "kommunal_anvisning", 5: "fleksibel_udlejning", 6: "kommunal_anvisning",
                      7: "tilsyn_opfoelgning"}
    for number, e in got.items():
        assert e.type == expected_types[number]
        assert e.text.startswith(_words(clauses[number].text)[:60])
        assert e.organisation == "Boligselskabet Fjordbo" and e.department == "Borgerservice og Bolig"
        assert (e.valid_from, e.valid_to, e.agreed_date) == ("2026-04-01", "2029-03-31", aftale.date)
        assert "1. april 2026" in e.deadline_display and "31. marts 2029" in e.deadline_display
        assert e.sources[0].page == clauses[number].page and e.sources[0].label.startswith(f"pkt. {number} ")
        assert not e.is_overdue(dt.date(2030, 1, 1))  # a period is not a deadline
    assert got[4].afdeling == "Afd. 1 Skovbrynet, Afd. 2 Havnegade" and got[5].afdeling == "Afd. 3 Fjordparken"
    assert got[7].ongoing and got[7].deadline_text == "hvert kvartal"


def test_later_styringsrapporter_set_the_status_with_their_source(entries: list[RegisterEntry]) -> None:
    checked = 0
    for report in MANIFEST.files_of("styringsrapport"):
        if not report.status_statements or report.fmt == "docx" and report.path.replace(".docx", ".pdf") in {
                f.path for f in MANIFEST.files}:
            continue  # ingest_samples keeps the PDF version (with pages) when a report exists as PDF and Word
        for s in report.status_statements:
            e = _by_source(entries, sample_source_id(s.referat))[s.agreement_number]
            if s.status == "ikke_naevnt":
                assert e.status == "aftalt" and not e.status_sources, (report.path, s.agreement_number)
            else:
                assert e.status == s.status and e.status_text == s.text, (report.path, s.agreement_number)
                ref = e.status_sources[-1]
                assert ref.source_id == sample_source_id(report.path) and ref.role == "status"
                assert ref.page == s.page and ref.quote == s.text
            checked += 1
    assert checked == 13


def test_last_years_report_does_not_touch_the_newer_agreements(entries: list[RegisterEntry]) -> None:
    # The 2025 report (approved June 2025) follows up on the 2024 meeting, not the referat of September 2025.
    old = sample_source_id("styringsrapport-2025-fjordbo.pdf")
    assert all(ref.source_id != old for e in entries for ref in e.status_sources)


def test_overdue_is_relative_to_the_injected_date(kb: KnowledgeBase) -> None:
    register = get_register(kb)

    def overdue(day: dt.date) -> set[tuple[str, int]]:
        late = register.entries(AgreementFilters(status="overskredet"), today=day)
        return {(e.organisation.split()[-1], e.number) for e in late}  # type: ignore[union-attr]

    assert overdue(dt.date(2026, 1, 15)) == set()
    # met agreements are never overdue (Lindegården 3, Fjordbo 2); 'i gang' and 'ikke opfyldt' are
    assert overdue(dt.date(2026, 5, 1)) == {("Fjordbo", 3), ("Lindegården", 1), ("Lindegården", 5)}
    assert overdue(dt.date(2026, 6, 2)) == {("Fjordbo", 3), ("Lindegården", 1), ("Lindegården", 2), ("Lindegården", 5)}
    assert ("Boliger", 3) in overdue(dt.date(2026, 11, 1))  # Egeskov Almene Boliger: senest 31. oktober 2026


def test_filters(kb: KnowledgeBase) -> None:
    register = get_register(kb)
    day = dt.date(2026, 5, 1)
    fjordbo = register.entries(AgreementFilters(org="Fjordbo"), today=day)
    assert fjordbo and all(e.organisation == "Boligselskabet Fjordbo" for e in fjordbo)
    aeldre = register.entries(AgreementFilters(type="Ældreboliger", status="aftalt"), today=day)
    assert aeldre == []  # both agreements about ældreboliger are met
    aeldre = register.entries(AgreementFilters(type="aeldreboliger"), today=day)
    assert {(e.organisation, e.number) for e in aeldre} == {("Boligforeningen Lindegården", 3),
                                                            ("Egeskov Almene Boliger", 2)}
    anvisning = register.entries(AgreementFilters(type="anvisning"), today=day)
    assert {e.type for e in anvisning} == {"kommunal_anvisning", "aftalt_anvisning"}
    in_progress = register.entries(AgreementFilters(status="i gang"), today=day)
    assert sorted((e.organisation, e.number) for e in in_progress) == [
        ("Boligforeningen Lindegården", 1), ("Boligselskabet Fjordbo", 3), ("Egeskov Almene Boliger", 3)]
    wishes = register.entries(AgreementFilters(org="Fjordbo", status="ønske"), today=day)
    assert len(wishes) == 4 and all(e.category == "oenske" and e.status == "ukendt" for e in wishes)
    assert not any("godkendt" in e.text for e in wishes)  # the approval line after the last wish is not a wish
    with pytest.raises(ValueError, match="Ukendt aftaletype"):
        register.entries(AgreementFilters(type="kaffeaftaler"))
    with pytest.raises(ValueError, match="Ukendt status"):
        register.entries(AgreementFilters(status="halvfærdig"))
    assert "org=Xyz" in register.empty_reason(AgreementFilters(org="Xyz"))


def test_the_register_is_kept_outside_chroma_tagged_with_the_generation(kb: KnowledgeBase) -> None:
    register = get_register(kb)
    before = kb.store.generation()
    register.entries()
    assert kb.store.generation() == before  # reading the register never writes to the store
    assert register.path.parent == kb.settings.home / "agreements" and register.path.is_file()
    fresh = AgreementRegister(kb)  # another process: loads the file instead of reading the documents again
    snapshot = fresh._load()
    assert snapshot is not None and snapshot.generation == kb.store.generation()
    assert [e.id for e in snapshot.entries] == [e.id for e in register.snapshot().entries]


def test_nothing_in_the_register_for_the_laws(entries: list[RegisterEntry]) -> None:
    law = sample_source_id("lov-om-proeveboliger.pdf")
    assert all(s.source_id != law for e in entries for s in e.sources)


def test_entry_ids_are_unique(entries: list[RegisterEntry]) -> None:
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[0-9a-f]{12}(?:-\d+)?", i) for i in ids)


def test_the_review_follows_up_on_the_register_entries(kb: KnowledgeBase) -> None:
    from service.review.followup import agreements_from_register

    agreements, title, source_id = agreements_from_register(kb, "Boligselskabet Fjordbo", 2026)
    assert source_id == sample_source_id("referat-dialogmoede-2025-fjordbo.pdf") and title and "23. september" in title
    register_ids = {e.text for e in get_register(kb).entries() if e.sources[0].source_id == source_id}
    assert [a.number for a in agreements] == [1, 2, 3, 4] and {a.text for a in agreements} == register_ids
    assert agreements[1].deadline == "2026-02-01" and agreements[1].page == 2
    assert agreements_from_register(kb, "Boligselskabet Fjordbo", 2025) == ([], None, None)  # no referat before 2025
