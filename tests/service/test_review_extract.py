"""Key-figure extraction on small hand-written documents: prose, broken headers, year columns, identity."""

from __future__ import annotations

import pytest

from knowledge.types import Block, LoadedDocument
from service.domain.organisations import same_organisation
from service.review.errors import NotAReportError
from service.review.extract import extract_report


def doc(*blocks: Block, title: str = "Styringsrapport 2026 – Boligselskabet Kastanjen", fmt: str = "pdf") -> LoadedDocument:
    return LoadedDocument(path="x", title=title, blocks=list(blocks), fmt=fmt, page_count=3)


def test_running_text_figures() -> None:
    result = extract_report(doc(
        Block("Husleje pr. m² udgjorde 912 kr. i 2025, mod et landsgennemsnit på 899 kr.", page=2),
        Block("I afd. 4 Birkely var der 5 ledige boliger, og tabet ved lejeledighed steg fra 3,1 til 4,4 kr. pr. m².",
              page=3),
        Block("Afdelinger under 70 % betegnes som røde.", page=3),
    ))
    husleje = result.get("husleje_pr_m2")
    assert husleje is not None and (husleje.value, husleje.unit, husleje.page) == (912, "kr/m2", 2)
    assert "912 kr." in husleje.source and husleje.text == "912 kr."
    assert result.get("ledige_boliger", 4).value == 5  # type: ignore[union-attr]
    assert result.get("tab_ved_lejeledighed_pr_m2", 4).value == 4.4  # type: ignore[union-attr]  # 'fra X til Y'
    assert not result.of_type("effektivitetstal")  # a threshold is not a figure
    assert result.afdelinger[0].label == "Afd. 4 Birkely"


def test_table_header_broken_over_lines_and_inside_words() -> None:
    result = extract_report(doc(
        Block("Afdeling Boligtype Husleje kr. pr.", page=1), Block("m²", page=1), Block("Fraflytnin", page=1),
        Block("g %", page=1), Block("Afdelingsbestyr", page=1), Block("else", page=1),
        Block("Afd. 1 Ahornvej Familieboliger 1.012 9,8 % Nej\nAfd. 2 Bøgevej Ungdomsboliger 1.130 38,0 % Ja",
              "table", page=1),
    ))
    assert result.get("husleje_pr_m2", 1).value == 1012  # type: ignore[union-attr]
    assert result.get("fraflytningsprocent", 2).value == 38.0  # type: ignore[union-attr]
    assert result.get("afdelingsbestyrelse", 1).value == 0.0  # type: ignore[union-attr]
    assert result.afdeling_info(2).boligtype == "ungdomsboliger"  # type: ignore[union-attr]


def test_year_columns_are_read_by_year_and_accounting_negatives() -> None:
    result = extract_report(doc(
        Block("Regnskabsår: 2025", page=1),
        Block("Nøgletal 2025 2024 2023", page=2),
        Block("Arbejdskapital (t.kr.) (1.234) 210 180\nRestancer 0,4 mio. kr. 0,3 mio. kr. 0,2 mio. kr.", "table", page=2),
    ))
    assert result.get("arbejdskapital").value == -1_234_000  # type: ignore[union-attr]
    assert result.get("restancer").value == 400_000  # type: ignore[union-attr]
    previous = {(f.figure_type, f.year): f.value for f in result.previous_in_report}
    assert previous[("arbejdskapital", 2024)] == 210_000 and previous[("restancer", 2023)] == 200_000


def test_identity_from_title_fields_and_text() -> None:
    result = extract_report(doc(
        Block("Boligorganisation: Boligselskabet Kastanjen Organisationsnummer 1234", page=1),
        Block("Tilsynskommune: Vestby Kommune", page=1),
        Block("Regnskabsåret 2025 omfatter ...", page=1),
        Block("Husleje 900 kr./m²", page=2),
        title="Dokumentationspakke",
    ))
    ident = result.identity
    assert (ident.organisation, ident.styringsaar, ident.regnskabsaar, ident.municipality) == \
        ("Boligselskabet Kastanjen", 2026, 2025, "Vestby Kommune")


def test_no_figures_is_an_error_saying_what_was_found() -> None:
    with pytest.raises(NotAReportError) as info:
        extract_report(doc(Block("Referat af bestyrelsesmøde. Intet at bemærke.", page=1), title="Bestyrelsesreferat"))
    assert "Fandt ingen nøgletal – er det en styringsrapport?" in info.value.message
    assert "titel 'Bestyrelsesreferat'" in info.value.message and "3 sider" in info.value.message


def test_same_organisation() -> None:
    assert same_organisation("Boligselskabet Fjordbo", "fjordbo")
    assert same_organisation("Egeskov Almene Boliger", "EGESKOV ALMENE BOLIGER")
    assert not same_organisation("Boligselskabet Fjordbo", "Boligforeningen Lindegården")
    assert not same_organisation(None, "Fjordbo")


@pytest.mark.parametrize("sentence, years", [
    ("Tallene bygger på årsregnskabet for 2025 og budgettet for 2026.", (2026, 2025)),
    ("Beretningen tager udgangspunkt i regnskabet for regnskabsåret 2024.", (2025, 2024)),
    ("Regnskabsår: 2025", (2026, 2025)),
])
def test_the_accounting_year_named_in_running_text_dates_the_report(sentence: str, years: tuple[int, int]) -> None:
    from service.review.identity import find_years

    found = find_years(doc(Block("Årsberetning og nøgletal", page=1), Block(sentence, page=1),
                           title="Hjortebo - beretning"))
    assert found == years


def test_year_rows_use_the_accounting_year_from_running_text() -> None:
    # A table with a row per year: the accounting year read from the text makes 2025 this year's figure and 2024
    # last year's, and the oldest row is no figure of this year.
    result = extract_report(doc(
        Block("Hjortebo - beretning", page=1, kind="heading"),
        Block("Tallene bygger på årsregnskabet for 2025.", page=1),
        Block("Afd. 2 Skovbrynet", page=2, kind="heading"),
        Block("År | Husleje kr./m² | Flytteprocent", page=2, kind="table"),
        Block("2023 | 801 | 8,1", page=2, kind="table"),
        Block("2024 | 822 | 9,4", page=2, kind="table"),
        Block("2025 | 840 | 11,2", page=2, kind="table"),
        title="Hjortebo - beretning", fmt="docx"))
    rents = [f for f in result.figures if f.figure_type == "husleje_pr_m2"]
    current = [f for f in rents if f.year is None]
    assert [f.value for f in current] == [840]
