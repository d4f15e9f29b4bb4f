"""The register follows the documents (ingest, replace, remove), merges duplicates, and handles bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.pipeline import ingest_file, remove_source
from knowledge.kb import KnowledgeBase
from service.agreements import register as register_module
from service.agreements.register import AgreementRegister, get_register
from tests.service.agreements_helpers import write_pdf, write_referat_docx

ORG = "Boligforeningen Åparken"
# A referat that writes its agreements in running text under the agenda items, never as a numbered list:
# (paragraph(s) of the section, the words that identify each agreement in it, its type).
RUNNING_TEXT: list[tuple[str, list[str], list[tuple[str, str]]]] = [
    ("Punkt 1. Nøgletal", [
        "Kommunen gennemgik nøgletallene fra styringsrapporten. Henlæggelserne er steget i alle afdelinger, og "
        "der var ingen bemærkninger til regnskabet."], []),
    ("Punkt 2. Udlejning og anvisning", [
        "Ledigheden i afd. 2 Engen er steget til 3,1 %. Det blev aftalt, at Boligforeningen Åparken senest "
        "1. marts 2026 sender en plan for nedbringelse af ledigheden i afd. 2 Engen til kommunen. Parterne aftalte "
        "desuden, at kommunen fortsat anviser hver fjerde ledige familiebolig efter almenboligloven § 59, stk. 1.",
        "Kommunen og Boligforeningen Åparken aftalte, at afd. 3 Søhuse friholdes for kommunal anvisning i 2026."],
        [("plan for nedbringelse af ledigheden", ""), ("anviser hver fjerde ledige", "kommunal_anvisning"),
         ("Søhuse friholdes", "kommunal_anvisning")]),
    ("Punkt 3. Ældreboliger", [
        "Social- og Sundhedsforvaltningen orienterede om ventelisten. Det aftales, at Åparken og Social- og "
        "Sundhedsforvaltningen inden udgangen af januar 2026 holder et møde om visitationen til ældreboligerne "
        "i afd. 5 Lærkehaven."], [("visitationen til ældreboligerne", "aeldreboliger")]),
    ("Punkt 4. Helhedsplan", [
        "Parterne blev enige om, at Boligforeningen Åparken i løbet af foråret 2026 undersøger muligheden for en "
        "helhedsplan for afd. 1 Bakkehuse med støtte fra Landsbyggefonden."], [("helhedsplan for afd. 1", "helhedsplan")]),
    ("Punkt 5. Ungdomsboliger", [
        "Det blev besluttet, at kommunen får anvisningsret til to ungdomsboliger om året i afd. 4 Kollegiehuset."],
        [("to ungdomsboliger", "ungdomsboliger")]),
    ("Punkt 6. Fleksibel udlejning", [
        "Organisationen ønskede fleksibel udlejning i afd. 2 Engen. Kommunen var positiv, og det er aftalt, at et "
        "udkast til en aftale om fleksibel udlejning efter § 60, stk. 1 sendes til kommunen senest 15.02.2026."],
        [("udkast til en aftale om fleksibel", "fleksibel_udlejning")]),
    ("Punkt 7. Beboerdemokrati", [
        "Afd. 4 Kollegiehuset har ingen afdelingsbestyrelse. Boligforeningen Åparken forpligtede sig til at "
        "indkalde til et afdelingsmøde i afdelingen inden 1. april 2026."], [("indkalde til et afdelingsmøde", "")]),
    ("Punkt 8. Handicapboliger", [
        "Endelig aftalte parterne, at kommunen og organisationen inden 30. juni 2026 gennemgår udlejningen af "
        "handicapboligerne i bofællesskabet i afd. 6 Toften."], [("handicapboligerne", "handicapboliger")]),
    ("Punkt 9. Kombineret udlejning", [
        "Der var enighed om, at den kombinerede udlejning i afd. 2 Engen fortsætter uændret i 2026."],
        [("kombinerede udlejning", "kombineret_udlejning")]),
    ("Punkt 10. Næste møde", [
        "Næste dialogmøde holdes i oktober 2026, og det blev aftalt, at organisationen sender sine forslag til "
        "dagsordenen senest fire uger før mødet."], [("forslag til dagsordenen", "")]),
]


def _referat(path: Path, items: list[str], *, date: str = "4. november 2025") -> Path:
    """A small numbered referat (Word) with the given agreements."""
    body = [f"Aftale {i}. {text}" for i, text in enumerate(items, 1)]
    return write_referat_docx(path, f"Referat af dialogmøde {date}", [("Aftaler", body)],
                              intro=f"Mødedato: {date}")


def test_running_text_referat_recall(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = write_referat_docx(tmp_path / "referat-aaparken-2025.docx",
                              "Referat af dialogmøde 12. november 2025 med Boligforeningen Åparken",
                              [(h, paragraphs) for h, paragraphs, _ in RUNNING_TEXT],
                              intro="Mødedato: 12. november 2025. Deltagere: Boligforeningen Åparken og kommunen.")
    assert ingest_file(fake_kb, path, kind="referat", org=ORG, year=2025).status == "added"
    entries = get_register(fake_kb).entries()
    planted = [item for _, _, items in RUNNING_TEXT for item in items]
    found = {words: next((e for e in entries if words in e.text), None) for words, _ in planted}
    recall = sum(e is not None for e in found.values()) / len(planted)
    assert recall >= 0.8, {w: e is not None for w, e in found.items()}
    typed = [(found[w], t) for w, t in planted if t and found[w] is not None]
    assert sum(e.type == t for e, t in typed) / len(typed) >= 0.8  # type: ignore[union-attr]
    assert len(entries) == len(planted)  # nothing that is not an agreement (e.g. 'ønskede', 'orienterede')
    assert all(e.organisation == ORG and e.agreed_date == "2025-11-12" for e in entries)
    plan = found["plan for nedbringelse af ledigheden"]
    assert plan is not None and plan.deadline == "2026-03-01" and plan.afdeling == "Afd. 2 Engen"
    assert found["udkast til en aftale om fleksibel"].deadline == "2026-02-15"  # type: ignore[union-attr]


def test_the_register_follows_ingest_replace_and_remove(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    register = get_register(fake_kb)
    assert register.entries() == []
    assert "ikke indlæst" in register.empty_reason()
    path = _referat(tmp_path / "referat.docx", [
        "Kommunen anviser fortsat hver 4. ledige familiebolig efter § 59, stk. 1.",
        "Organisationen sender en handleplan for afd. 2 Engen senest 1. marts 2026."])
    sid = ingest_file(fake_kb, path, kind="referat", org=ORG, year=2025).source_id
    first = register.entries()
    assert [e.number for e in first] == [1, 2] and first[0].type == "kommunal_anvisning"
    assert register.snapshot().generation == fake_kb.store.generation()

    _referat(path, [  # the referat is corrected: a third agreement, the second one reworded
        "Kommunen anviser fortsat hver 4. ledige familiebolig efter § 59, stk. 1.",
        "Organisationen sender en handleplan for afd. 2 Engen senest 1. april 2026.",
        "Der udarbejdes en helhedsplan for afd. 1 Søhuse med støtte fra Landsbyggefonden inden udgangen af 2026."])
    assert ingest_file(fake_kb, path, kind="referat", org=ORG, year=2025).status == "updated"
    second = register.entries()
    assert [e.number for e in second] == [1, 2, 3]
    assert second[1].deadline == "2026-04-01" and second[2].type == "helhedsplan"
    assert second[0].id == first[0].id  # an unchanged agreement keeps its id

    assert remove_source(fake_kb, sid)
    assert register.entries() == []
    assert "ikke indlæst" in register.empty_reason()


def test_only_new_or_replaced_documents_are_read_again(fake_kb: KnowledgeBase, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    a = _referat(tmp_path / "a.docx", ["Kommunen anviser fortsat hver 4. ledige familiebolig."])
    ingest_file(fake_kb, a, kind="referat", org=ORG, year=2025)
    get_register(fake_kb).entries()
    read: list[str] = []
    original = register_module.extract_document
    monkeypatch.setattr(register_module, "extract_document",
                        lambda record, chunks: read.append(record.source_id) or original(record, chunks))
    b = _referat(tmp_path / "b.docx", ["Fleksibel udlejning i afd. 3 videreføres."], date="5. november 2025")
    sid_b = ingest_file(fake_kb, b, kind="referat", org="Boligselskabet Bakken", year=2025).source_id
    assert len(get_register(fake_kb).entries()) == 2
    assert read == [sid_b]
    # a new process with the same data directory loads the file and reads nothing
    assert len(AgreementRegister(fake_kb).entries()) == 2 and read == [sid_b]


def test_the_same_agreement_in_two_documents_is_one_entry_with_both_sources(fake_kb: KnowledgeBase,
                                                                            tmp_path: Path) -> None:
    items = ["Kommunen anviser fortsat hver 4. ledige familiebolig efter § 59, stk. 1.",
             "Organisationen sender en handleplan for afd. 2 Engen senest 1. marts 2026."]
    docx = _referat(tmp_path / "referat.docx", items)
    pdf = write_pdf(tmp_path / "referat-scannet-udgave.pdf",
                    ["Referat af dialogmøde 4. november 2025", "Mødedato: 4. november 2025", "Aftaler"]
                    + [f"Aftale {i}. {t}" for i, t in enumerate(items, 1)])
    for path in (docx, pdf):
        assert ingest_file(fake_kb, path, kind="referat", org=ORG, year=2025).status == "added"
    entries = get_register(fake_kb).entries()
    assert len(entries) == 2
    for e in entries:
        assert len(e.sources) == 2 and len({s.source_id for s in e.sources}) == 2
        assert all(s.chunk_id and s.label == f"aftale {e.number}" for s in e.sources)


def test_a_document_without_agreements_gives_an_empty_register_with_a_reason(fake_kb: KnowledgeBase,
                                                                             tmp_path: Path) -> None:
    path = write_referat_docx(tmp_path / "referat-uden-aftaler.docx", "Referat af dialogmøde 3. marts 2025", [
        ("Punkt 1. Regnskab", ["Regnskabet blev gennemgået uden bemærkninger."]),
        ("Punkt 2. Eventuelt", ["Intet."])])
    assert ingest_file(fake_kb, path, kind="referat", org=ORG, year=2025).status == "added"
    register = get_register(fake_kb)
    assert register.entries() == []
    assert "Der blev ikke fundet aftaler i det indlæste dokument" in register.empty_reason()


def test_ambiguous_dates_are_shown_as_written_and_marked_uncertain(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = _referat(tmp_path / "referat.docx", [
        "Organisationen undersøger mulighederne for en helhedsplan i løbet af foråret 2026.",
        "Kommunen sender en status inden næste dialogmøde."])
    ingest_file(fake_kb, path, kind="referat", org=ORG, year=2025)
    spring, meeting = get_register(fake_kb).entries()
    assert (spring.deadline, spring.deadline_uncertain) == (None, True)
    assert spring.deadline_display == "i løbet af foråret 2026 (usikker dato)"
    assert meeting.deadline is None and meeting.deadline_uncertain and "næste dialogmøde" in meeting.deadline_display
    assert not spring.is_overdue(dt.date(2026, 12, 31)) and spring.is_overdue(dt.date(2027, 1, 2))
    assert not meeting.is_overdue(dt.date(2030, 1, 1))  # no year to judge by


def test_a_later_referat_can_report_progress(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    old = _referat(tmp_path / "referat-2025.docx", [
        "Organisationen sender en handleplan for afd. 2 Engen senest 1. marts 2026.",
        "Kommunen evaluerer visitationen til ældreboligerne senest 1. april 2026."])
    new = write_referat_docx(tmp_path / "referat-2026.docx", "Referat af dialogmøde 2. november 2026", [
        ("Punkt 1. Opfølgning på sidste års aftaler", [
            "Handleplanen for afd. 2 Engen blev sendt til kommunen i februar 2026 og er dermed opfyldt.",
            "Evalueringen af visitationen til ældreboligerne er ikke gennemført; den er udskudt til 2027."])],
        intro="Mødedato: 2. november 2026")
    ingest_file(fake_kb, old, kind="referat", org=ORG, year=2025)
    ingest_file(fake_kb, new, kind="referat", org=ORG, year=2026)
    plan, visitation = get_register(fake_kb).entries(today=dt.date(2026, 11, 3))
    assert plan.status == "opfyldt" and not plan.is_overdue(dt.date(2026, 11, 3))
    assert visitation.status == "ikke_opfyldt" and visitation.is_overdue(dt.date(2026, 11, 3))
    assert plan.status_sources[0].title == "Referat af dialogmøde 2. november 2026"
