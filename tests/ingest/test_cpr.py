"""CPR redaction: valid dates only, both forms, never inside longer numbers."""

from __future__ import annotations

import pytest

from ingest.cpr import redact_cpr


@pytest.mark.parametrize(
    "text, expected, count",
    [
        ("Lejer: Jens Hansen, CPR 010190-1234.", "Lejer: Jens Hansen, CPR [CPR].", 1),
        ("cpr.nr. 2912851234 og 311299-0001", "cpr.nr. [CPR] og [CPR]", 2),
        ("Født 29. februar: 290200-4321", "Født 29. februar: [CPR]", 1),
        ("(150575-1122)", "([CPR])", 1),
    ],
)
def test_cpr_numbers_are_redacted(text: str, expected: str, count: int) -> None:
    assert redact_cpr(text) == (expected, count)


@pytest.mark.parametrize(
    "text",
    [
        "320190-1234",  # day 32
        "011390-1234",  # month 13
        "000190-1234",  # day 0
        "310490-1234",  # 31 April
        "300290-1234",  # 30 February
        "Ring på 12 34 56 78, +4520129012 eller 2012 9012",  # phone numbers
        "Sagsnr. 12010190-1234",  # inside a longer number
        "Konto 010190-12345",  # followed by more digits
        "Beløb 1.010190-1234 kr.",  # part of a formatted number
        "Løbenummer 0101901234567",  # 13 digits
        "EAN 5790000101901234",
    ],
)
def test_non_cpr_numbers_are_left_alone(text: str) -> None:
    assert redact_cpr(text) == (text, 0)


def test_count_and_surrounding_text_are_kept() -> None:
    text = "Beboerne 010203-4455 og 050607-8899 har klaget; sag 2024-117 er åben."
    redacted, count = redact_cpr(text)
    assert count == 2
    assert redacted == "Beboerne [CPR] og [CPR] har klaget; sag 2024-117 er åben."
