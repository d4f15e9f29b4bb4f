"""Agreement forms of the fifth round (issue 16, causes seen on the fourth batch): an organisation named only by
its document's own identity (mail addresses and signatures, a head naming the meeting's two sides), action tables
with a status column, agreements in an appendix (bilag) of an agreement document, several agreements in one long
paragraph, and mail threads. Every example is written here, in words and layouts of its own."""

from __future__ import annotations

from service.agreements.extract import extract_agreements_from_units
from service.agreements.parties import read_parties
from service.agreements.units import TextUnit
from service.domain.organisations import organisation_beside_municipality, organisation_from_domains


def _units(*items: tuple[str, bool] | str) -> list[TextUnit]:
    return [TextUnit(i, 1, "", False) if isinstance(i, str) else TextUnit(i[0], 1, "", i[1]) for i in items]


def _agreements(*items: tuple[str, bool] | str, title: str = "Referat"):  # type: ignore[no-untyped-def]
    return extract_agreements_from_units(_units(*items), source_title=title)


# -- (a) the organisation named only by the document's identity -------------------------------------------

def test_mail_domain_and_signature_name_the_organisation() -> None:
    thread = ["Fra: Lise Krog <lk@engsoelyst.dk>", "Sendt: 2. december 2026 09:10",
              "Til: sagsbehandler@vesterdal.dk", "Emne: SV: Opsamling",
              "Hej Lise\nTak, vi er enige.\nMed venlig hilsen\nKarl Bo, Vesterdal Kommune",
              "Fra: Lise Krog <lk@engsoelyst.dk>",
              "1. Vi sender en plan for afd. 3 senest 1. marts 2027.",
              "Mvh Lise Krog\nForretningsfører, Engsølyst · Bakkevej 2 · www.engsoelyst.dk"]
    assert organisation_from_domains(thread) == "Engsølyst"
    parties = read_parties("SV: Opsamling", thread)
    assert parties.organisation == "Engsølyst"


def test_domain_written_without_danish_letters_finds_the_formal_name() -> None:
    texts = ["From: drift@braendeaa.dk", "To: post@oksby.dk",
             "Boligforeningen Brændeå takker for mødet.", "Venlig hilsen\nOksby Kommune, Boligteamet"]
    assert organisation_from_domains(texts) == "Boligforeningen Brændeå"


def test_only_municipal_or_private_domains_give_no_organisation() -> None:
    assert organisation_from_domains(["Fra: a@randlev.dk", "Til: b@gmail.com", "Randlev Kommune, Teknik"]) is None
    assert organisation_from_domains(["Fra: a@randlevkommune.dk", "Ingen andre adresser her."]) is None


def test_head_naming_the_two_sides_names_the_organisation() -> None:
    assert organisation_beside_municipality(["Opfølgning - møde KLV / Tårnby Kommune"]) == "KLV"
    assert organisation_beside_municipality(["Nordmark Kommune & Solhaven: handlingsplan 2027"]) == "Solhaven"
    assert organisation_beside_municipality(["Nordmark Kommune - Referat"]) is None
