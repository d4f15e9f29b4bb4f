"""Rule-based agreement extraction (service.agreements) on the sample referater and on text written here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.loaders import load_file
from ingest.pipeline import SAMPLES_DIR, ingest_file
from ingest.samples.manifest import load_manifest
from knowledge.kb import KnowledgeBase
from service.agreements.extract import (
    classify_agreement,
    extract_agreements,
    extract_agreements_from_chunks,
    extract_agreements_from_units,
)
from service.agreements.units import TextUnit
from service.domain.deadlines import parse_deadline
from service.domain.status import classify_status, is_overdue


def test_every_planted_agreement_is_found_with_type_deadline_party_and_source() -> None:
    manifest = load_manifest(SAMPLES_DIR / "manifest.json")
    referater = manifest.files_of("referat")
    assert len(referater) == 3
    for entry in referater:
        found = extract_agreements(load_file(SAMPLES_DIR / entry.path, max_bytes=50_000_000),
                                   organisation=entry.organisation)
        by_number = {a.number: a for a in found}
        assert sorted(by_number) == sorted(p.number for p in entry.agreements), entry.path
        for planted in entry.agreements:
            a = by_number[planted.number]
            assert a.type == planted.type, (entry.path, planted.number, a.type)
            assert a.deadline == planted.deadline and a.deadline_text == planted.deadline_text
            assert a.ongoing == (planted.deadline_text == "løbende")
            assert a.responsible == planted.responsible
            assert a.afdeling == planted.afdeling
            assert a.page == planted.page
            assert a.organisation == entry.organisation and a.form == "nummereret"
            assert a.text.startswith(planted.text[:60])
            assert a.agreed_date == entry.date
            assert a.source_title and f"aftale {a.number}" in a.citation


def test_agreements_in_running_text_and_lists() -> None:
    units = [
        TextUnit("Referat af dialogmøde 4. november 2025", None, "", True),
        TextUnit("Mødedato: 4. november 2025", 1, ""),
        TextUnit("Punkt 3. Udlejning", 1, "Punkt 3. Udlejning", True),
        TextUnit("Parterne drøftede ledigheden. Det blev aftalt, at Boligforeningen Åparken senest 1. marts 2026 "
                 "sender en plan for udlejningen i afd. 2 Engen. Parterne aftalte desuden, at kommunen i løbet "
                 "af 2026 evaluerer den kommunale anvisning af familieboliger.", 2, "Punkt 3. Udlejning"),
        TextUnit("Aftale: Kommunen anviser fortsat til ungdomsboligerne i afd. 4 Kollegiet, løbende.", 2, "Punkt 3"),
        TextUnit("Nye aftaler", 3, "Nye aftaler", True),
        TextUnit("1. Boligforeningen Åparken ansøger Landsbyggefonden om støtte til en helhedsplan for afd. 1 "
                 "Søhuse inden udgangen af 2026.\n2. Kombineret udlejning i afd. 2 Engen videreføres "
                 "(almenboligloven § 51 b).", 3, "Nye aftaler"),
    ]
    found = extract_agreements_from_units(units, organisation="Boligforeningen Åparken", source_title="Referat")
    assert [a.form for a in found] == ["det blev aftalt", "det blev aftalt", "aftale:", "liste", "liste"]
    first, second, third, fourth, fifth = found
    assert first.deadline == "2026-03-01" and first.afdeling == "Afd. 2 Engen"
    assert first.responsible == "Boligforeningen Åparken" and first.page == 2
    assert second.type == "kommunal_anvisning" and second.deadline is None and second.deadline_uncertain
    assert second.deadline_text == "i løbet af 2026"
    assert third.type == "ungdomsboliger" and third.ongoing and third.responsible == "Kommunen"
    assert fourth.type == "helhedsplan" and fourth.deadline == "2026-12-31" and fourth.number == 1
    assert fifth.type == "kombineret_udlejning" and fifth.afdeling_nr == 2
    assert all(a.agreed_date == "2025-11-04" for a in found)


@pytest.mark.parametrize(("text", "iso", "uncertain", "ongoing"), [
    ("inden 1. juni 2026", "2026-06-01", False, False),
    ("senest 31. marts 2026", "2026-03-31", False, False),
    ("senest den 31.03.2026", "2026-03-31", False, False),
    ("frist 2026-06-30", "2026-06-30", False, False),
    ("inden udgangen af februar 2028", "2028-02-29", False, False),
    ("inden udgangen af 2026", "2026-12-31", False, False),
    ("løbende", None, False, True),
    ("i løbet af 2026", None, True, False),
    ("i foråret 2027", None, True, False),
    ("inden næste dialogmøde", None, True, False),
])
def test_deadlines(text: str, iso: str | None, uncertain: bool, ongoing: bool) -> None:
    deadline = parse_deadline(text)
    assert deadline is not None
    assert (deadline.iso, deadline.uncertain, deadline.ongoing) == (iso, uncertain, ongoing)


@pytest.mark.parametrize(("text", "kind"), [
    ("Kommunen anviser hver 4. ledige familiebolig efter almenboliglovens § 59, stk. 1.", "kommunal_anvisning"),
    ("Organisationen stiller efter § 59, stk. 2 boliger til rådighed for unge.", "aftalt_anvisning"),
    ("Fleksibel udlejning i afd. 3 videreføres.", "fleksibel_udlejning"),
    ("Kombineret udlejning efter § 51 b i afd. 2.", "kombineret_udlejning"),
    ("Visitationen til ældreboligerne evalueres.", "aeldreboliger"),
    ("Kommunen anviser til handicapboliger i bofællesskabet.", "handicapboliger"),
    ("Der udarbejdes en helhedsplan med støtte fra Landsbyggefonden.", "helhedsplan"),
    ("Næste dialogmøde holdes i oktober.", "dialogmoede"),
    ("Bestyrelsen sender en handleplan for den røde afdeling.", "tilsyn_opfoelgning"),
    ("Parterne mødes til kaffe.", "andet"),
])
def test_classification(text: str, kind: str) -> None:
    assert classify_agreement(text) == kind


def test_status_words_and_overdue() -> None:
    assert classify_status("Aftale 5 er ikke opfyldt: der blev holdt et møde, men ...") == "ikke_opfyldt"
    assert classify_status("Aftale 3 er i gang: handleplanen er endnu ikke vedtaget.") == "i_gang"
    assert classify_status("Aftale 1 om kommunal anvisning er opfyldt: kommunen anviste 12 boliger.") == "opfyldt"
    assert classify_status("Vi har talt om aftalen.") == "omtalt"
    found = extract_agreements_from_units([TextUnit("Aftale 1. Kommunen gør X senest 1. februar 2026.", 1)])
    a = found[0]

    def overdue(day: dt.date) -> bool:
        return is_overdue(a.deadline, a.deadline_text, uncertain=a.deadline_uncertain, met=False, today=day)

    assert overdue(dt.date(2026, 3, 1)) and not overdue(dt.date(2026, 1, 1))


def test_agreements_from_stored_chunks_match_the_file(fake_kb: KnowledgeBase) -> None:
    path = SAMPLES_DIR / "referat-dialogmoede-2025-lindegaarden.pdf"
    result = ingest_file(fake_kb, path, kind="referat", org="Boligforeningen Lindegården", year=2025)
    assert result.status == "added", result.message
    from_chunks = extract_agreements_from_chunks(fake_kb.store.chunks_of_source(result.source_id))
    from_file = extract_agreements(load_file(path, max_bytes=50_000_000))
    assert [(a.number, a.type, a.deadline, a.afdeling) for a in from_chunks] == \
        [(a.number, a.type, a.deadline, a.afdeling) for a in from_file]
    assert all(a.organisation == "Boligforeningen Lindegården" and a.source_id == result.source_id for a in from_chunks)


def test_a_document_without_agreements_gives_an_empty_list(tmp_path: Path) -> None:
    units = [TextUnit("Notat om husleje", None, "", True), TextUnit("Huslejen steg med 2 %.", 1, "")]
    assert extract_agreements_from_units(units) == []
