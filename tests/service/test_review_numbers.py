"""Danish number parsing and formatting."""

from __future__ import annotations

import pytest

from service.review.numbers import (
    apply_scale,
    find_quantities,
    format_number,
    format_quantity,
    header_scale,
    parse_number,
)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("1.234,5", 1234.5, ""),
    ("1.234", 1234.0, ""),
    ("12.345.678", 12_345_678.0, ""),
    ("0,9", 0.9, ""),
    ("-1.234", -1234.0, ""),
    ("−1.234", -1234.0, ""),  # the typographic minus sign
    ("– 42", -42.0, ""),
    ("(1.234)", -1234.0, ""),  # accounting style
    ("(236)", -236.0, ""),  # a cell on its own
    ("+3,5 %", 3.5, "%"),
    ("14,8 %", 14.8, "%"),
    ("14,8%", 14.8, "%"),
    ("12 pct.", 12.0, "%"),
    ("6,5 ‰", 6.5, "‰"),
    ("6,5 promille", 6.5, "‰"),
    ("2,3 procentpoint", 2.3, "pp"),
    ("236 t.kr.", 236_000.0, "kr"),
    ("236 tkr.", 236_000.0, "kr"),
    ("236 t. kr.", 236_000.0, "kr"),
    ("19,9 mio. kr.", 19_900_000.0, "kr"),
    ("19,9 mio.kr.", 19_900_000.0, "kr"),
    ("19,9 mio.", 19_900_000.0, "kr"),
    ("1,2 mia. kr.", 1_200_000_000.0, "kr"),
    ("4.420 kr.", 4420.0, "kr"),
    ("4.420 kroner", 4420.0, "kr"),
    ("968 kr./m²", 968.0, "kr/m2"),
    ("968 kr/m2", 968.0, "kr/m2"),
    ("968 kr. pr. m²", 968.0, "kr/m2"),
    ("968 kr. pr. m² pr. år", 968.0, "kr/m2"),
    ("44.300 kr. pr. bolig", 44_300.0, "kr/bolig"),
    ("4.420 kr. pr. lejemålsenhed", 4420.0, "kr/lejemålsenhed"),
    ("4.420 kr. pr. lme", 4420.0, "kr/lejemålsenhed"),
    ("12 boliger", 12.0, "antal"),
    ("84 m²", 84.0, "m2"),
    ("1\u00a0234 kr.", 1234.0, "kr"),
    ("912*", 912.0, ""),  # footnote marker
    ("912¹", 912.0, ""),
    ("14,8 %²", 14.8, "%"),
])
def test_parse_number(text: str, value: float, unit: str) -> None:
    q = parse_number(text)
    assert q is not None, text
    assert q.value == pytest.approx(value) and q.unit == unit


@pytest.mark.parametrize("text", ["31.12.2025", "§ 59, stk. 2", "afd. 3", "3.2", "kr./m2", "CO2", "", "ingen tal", "3-værelses"])
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_ranges_are_marked_and_years_recognised() -> None:
    qs = find_quantities("mellem 95 % og 103 %, 10-12 % og 4–6 boliger; 5,4 kr./m² (2021)")
    ranges = [q.value for q in qs if q.in_range]
    assert ranges == [95, 103, 10, 12, 4, 6]
    single = [q for q in qs if not q.in_range]
    assert [(q.value, q.unit) for q in single] == [(5.4, "kr/m2"), (2021, "")]
    assert single[1].is_year_like and not single[1].in_range
    assert find_quantities("(2019)")[0].value == 2019  # a year in brackets is not negative


def test_quantities_keep_their_spans_and_text() -> None:
    text = "Restancer 228 t.kr. 236 t.kr."
    qs = find_quantities(text)
    assert [q.text for q in qs] == ["228 t.kr.", "236 t.kr."]
    assert [text[q.start:q.end].strip() for q in qs] == ["228 t.kr.", "236 t.kr."]
    row = find_quantities("Afd. 3 Fjordparken Familieboliger 1969 148 968 7 14,8 16,9 %")
    assert [q.value for q in row] == [1969, 148, 968, 7, 14.8, 16.9]  # 'Afd. 3' is a reference, not a value
    assert row[0].is_year_like and not row[2].is_year_like


def test_header_scale_applies_to_bare_numbers() -> None:
    assert header_scale("Restancer (t.kr.)") == "t" and header_scale("Beløb i 1.000 kr.") == "t"
    assert header_scale("mio. kr.") == "mio" and header_scale("Husleje kr./m²") is None
    assert apply_scale(parse_number("312"), "t").value == 312_000  # type: ignore[arg-type]
    assert apply_scale(parse_number("312 kr."), "t").value == 312  # type: ignore[arg-type]  # own unit wins


def test_formatting_is_danish() -> None:
    assert format_number(1234.5) == "1.234,5" and format_number(-1234) == "-1.234" and format_number(0.25) == "0,25"
    assert format_quantity(19_900_000, "kr") == "19,9 mio. kr."
    assert format_quantity(236_000, "kr") == "236.000 kr."
    assert format_quantity(14.8, "%") == "14,8 %" and format_quantity(3.0, "kr/m2", 1) == "3,0 kr./m²"
    assert format_quantity(44_300, "kr/bolig") == "44.300 kr. pr. bolig"
    assert format_quantity(0, "bool") == "nej" and format_quantity(None, "kr") == "–"
