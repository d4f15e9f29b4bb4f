"""CPR redaction: every way a CPR number is written is found; phone numbers, amounts, dates and other
numbers are left alone; the number is replaced in the original text and nothing else changes.

POSITIVES and NEGATIVES are shared with the end-to-end test (tests/reliability/test_data_protection.py),
which sends them through upload, ingest, questions, search, the logs and the audit database.
"""

from __future__ import annotations

import pytest

from ingest.cpr import find_cpr, redact_cpr

# (text, expected after redaction). Each number is different, so a leak names its form.
POSITIVES: list[tuple[str, str]] = [
    ("Lejer: Jens Hansen, CPR 010189-2234.", "Lejer: Jens Hansen, CPR [CPR]."),
    ("cpr.nr. 2912851234", "cpr.nr. [CPR]"),
    ("Født 29. februar: 290200-4321", "Født 29. februar: [CPR]"),
    ("(150575-1122)", "([CPR])"),
    ("Lejer 020191 2345 bor i afd. 7", "Lejer [CPR] bor i afd. 7"),  # space
    ("CPR 030292\u20133456 (en dash)", "CPR [CPR] (en dash)"),
    ("CPR 040393\u20144567 (em dash)", "CPR [CPR] (em dash)"),
    ("CPR 050494\u20105678 (U+2010)", "CPR [CPR] (U+2010)"),
    ("CPR 060595\u20116789 (U+2011)", "CPR [CPR] (U+2011)"),
    ("CPR 070696\u22127890 (minus)", "CPR [CPR] (minus)"),
    ("CPR 080797\u20128901 (figure dash)", "CPR [CPR] (figure dash)"),
    ("CPR 090898\ufe639012 (small hyphen)", "CPR [CPR] (small hyphen)"),
    ("CPR 100999\uff0d0123 (fullwidth hyphen)", "CPR [CPR] (fullwidth hyphen)"),
    ("cpr-nr. 11.10.80-1357", "cpr-nr. [CPR]"),  # dotted birth date
    ("født 12.11.81 2468, bor i afd. 3", "født [CPR], bor i afd. 3"),
    ("personnummer 13-12-82-3579", "personnummer [CPR]"),
    ("personnummer 14/01/83-4680", "personnummer [CPR]"),
    ("Lejeren har CPR 150284-\n5791 og klager.", "Lejeren har CPR [CPR] og klager."),  # broken across a line
    ("Lejeren har CPR 160385\n6802 og klager.", "Lejeren har CPR [CPR] og klager."),
    ("CPR 170486-\r\n7913.", "CPR [CPR]."),
    ("CPR 180587\u00a08024 (NBSP)", "CPR [CPR] (NBSP)"),
    ("CPR 190688\u202f9135 (narrow NBSP)", "CPR [CPR] (narrow NBSP)"),
    ("CPR 200789\u20070246 (figure space)", "CPR [CPR] (figure space)"),
    ("CPR 210890\u20091357 (thin space)", "CPR [CPR] (thin space)"),
    ("CPR 2209\u200b91-2468 (zero-width space)", "CPR [CPR] (zero-width space)"),
    ("CPR 230192\u200b-\u200b3579.", "CPR [CPR]."),
    ("CPR 240293\u20604680 (word joiner)", "CPR [CPR] (word joiner)"),
    ("CPR 250394\u00ad5791 (soft hyphen)", "CPR [CPR] (soft hyphen)"),
    ("CPR 26\ufeff0495-6802 (BOM)", "CPR [CPR] (BOM)"),
    ("CPR 270596/7913 (slash)", "CPR [CPR] (slash)"),
    ("CPR 280697 - 8024.", "CPR [CPR]."),
    ("CPR 290798 \u2013 9135.", "CPR [CPR]."),
    ("CPR \uff13\uff10\uff10\uff18\uff19\uff19\uff0d\uff10\uff12\uff14\uff16 (fullwidth)", "CPR [CPR] (fullwidth)"),
    ("CPR \u0660\u0661\u0660\u0669\u0668\u0660-\u0661\u0663\u0665\u0667 (Arabic-Indic digits)",
     "CPR [CPR] (Arabic-Indic digits)"),
    ("Hvad gør jeg med 020290 5678 og 031091\u20138765?", "Hvad gør jeg med [CPR] og [CPR]?"),
    ("CPR 041192\u30002345 (ideographic space)", "CPR [CPR] (ideographic space)"),
    ("CPR 051293\t3456 (tab)", "CPR [CPR] (tab)"),
    ("| Lejer A | 060194 4567 | 7 |", "| Lejer A | [CPR] | 7 |"),
    ("personnummer 311299 0001.", "personnummer [CPR]."),
    ("(070295 5678)", "([CPR])"),
    ('"080396\u20136789"', '"[CPR]"'),
    ("CPR:090497 7890", "CPR:[CPR]"),
    ("CPR 10059\u200d88901 (zero-width joiner)", "CPR [CPR] (zero-width joiner)"),
    ("CPR 110699\u20289012 (line separator)", "CPR [CPR] (line separator)"),
    ("CPR 120700 -\t0123.", "CPR [CPR]."),
    ("cpr-nr. 13.08.01\u20131234", "cpr-nr. [CPR]"),
    ("CPR 14090\u030122345 (combining accent)", "CPR [CPR] (combining accent)"),
    ("Ansøger150802-3456har skrevet", "Ansøger[CPR]har skrevet"),
]

NEGATIVES: list[str] = [
    "Ring på +45 12 34 56 78 i åbningstiden",
    "tlf. 12 34 56 78",
    "+4512345678",
    "+45 20129012",
    "mobil 2012 9012",
    "Tlf. (+45) 33 12 34 56",
    "Tlf. +45 7012 3456 / 2012 9012",
    "Telefon 70 10 19 01",
    "Tlf.\u00a0+45\u00a012\u00a034\u00a056\u00a078",
    "tlf. 12\u200b34 56 78",
    "Beløb: 1.234.567 kr.",
    "123.456,78 kr.",
    "kr. 1.010.190,00",
    "i alt 101.019.012 kr.",
    "Beløbet 123 456 789 kr.",
    "Beløbet 1\u00a0234\u00a0567 kr.",
    "Beløb 1.010190-1234 kr.",
    "\uff11\uff12\uff13\uff0e\uff14\uff15\uff16 kr.",
    "Dato 01.01.2024",
    "01-01-2024",
    "den 01.01.2024 kl. 12.30",
    "2024-01-01",
    "ref. 2012-12-31",
    "Periode 01.01.2024-31.12.2024",
    "Periode 010124-311224",
    "01-01-24 12:00",
    "Mødet 01.01.24, punkt 1234",
    "Reg.nr. 1234 kontonr. 0012345678",
    "Konto 1234-5678901234",
    "Reg. 3409 konto 3409123456",
    "IBAN DK50 0040 0440 1162 43",
    "Konto 010190-12345",
    "Løbenummer 0101901234567",
    "EAN 5790000101901234",
    "Sagsnr. 12010190-1234",
    "Journalnr. 2024-123456",
    "CVR 12345678",
    "Årene 1990-1995",
    "i 2019/2020 og 2020\u20132021",
    "årene 1990 - 2000",
    "fra 1990\u22122000",
    "§ 115, stk. 2",
    "§§ 10-12",
    "jf. § 101 og § 190",
    "lov nr. 1010 af 19.06.2020",
    "LBK nr 1203 af 03/08/2020",
    "320190-1234",  # day 32
    "011390-1234",  # month 13
    "000190-1234",  # day 0
    "310490-1234",  # 31 April
    "300290-1234",  # 30 February
    "320190 1234",
    "01.13.90-1234",
    "Postnr. 2100 København Ø, tlf. 3312 3456",
    "Afd. 12, lejemål 34, 56 m², husleje 7.890 kr.",
    "12:30-13:45",
    "ISBN 978-87-7000-123-4",
    "0101-1234",
]


def test_the_tables_are_large_enough() -> None:
    assert len(POSITIVES) >= 40 and len(NEGATIVES) >= 40


@pytest.mark.parametrize("text, expected", POSITIVES)
def test_cpr_numbers_in_every_form_are_redacted(text: str, expected: str) -> None:
    assert redact_cpr(text) == (expected, expected.count("[CPR]"))


@pytest.mark.parametrize("text", NEGATIVES)
def test_non_cpr_numbers_are_left_alone(text: str) -> None:
    assert redact_cpr(text) == (text, 0)


def test_count_and_surrounding_text_are_kept() -> None:
    text = "Beboerne 010203-4455 og 050607-8899 har klaget; sag 2024-117 er åben."
    redacted, count = redact_cpr(text)
    assert count == 2
    assert redacted == "Beboerne [CPR] og [CPR] har klaget; sag 2024-117 er åben."


def test_offsets_point_into_the_original_text() -> None:
    text = "Æble\u00a0\u200b 010190\u2013\n1234 – ø"
    [(start, end)] = find_cpr(text)
    assert text[start:end] == "010190\u2013\n1234"
    assert text[:start] == "Æble\u00a0\u200b " and text[end:] == " – ø"


@pytest.mark.parametrize("url, kept", [
    ("/api/search?q=klage+0101901234", "/api/search?q=klage+[CPR]"),
    ("/api/search?q=klage%20010190%2D1234&k=3", "/api/search?q=klage%20[CPR]&k=3"),
    ("/api/search?q=020290%E2%80%935678", "/api/search?q=[CPR]"),
    ("/api/search?q=020290%C2%A05678", "/api/search?q=[CPR]"),
    ("/api/search?q=020290%E2%80%8B5678", "/api/search?q=[CPR]"),
    ("/api/search?q=02.02.90+5678", "/api/search?q=[CPR]"),
    ("/api/search?q=%30%32%30%32%39%30%35%36%37%38", "/api/search?q=[CPR]"),
    ("/api/search?q=%2B4512345678", "/api/search?q=%2B4512345678"),  # an encoded '+': a phone number
    ("/api/search?q=1.234.567%20kr", "/api/search?q=1.234.567%20kr"),
])
def test_url_encoded_cpr_numbers_are_redacted(url: str, kept: str) -> None:
    assert redact_cpr(url, url=True)[0] == kept



def test_a_number_the_loader_cut_into_two_blocks_is_redacted_in_both(tmp_path) -> None:
    """A .txt line ending in '150284-' passes for a heading, so the number's halves land in two blocks."""
    from ingest.cpr import redact_document
    from ingest.loaders import load_file

    path = tmp_path / "klage.txt"
    path.write_text("Klage over støj\n\nLejeren har CPR 150284-\n5791 og klager.\n\nCPR 160385\n6802\n\n"
                    "Afdeling 7 har 120 boliger.\n", encoding="utf-8")
    doc = load_file(path, max_bytes=1_000_000)
    assert redact_document(doc) == 2
    text = "\n".join(b.text for b in doc.blocks)
    assert "5791" not in text and "150284" not in text and "160385" not in text and "6802" not in text
    assert "[CPR]" in text and "og klager." in text and "Afdeling 7 har 120 boliger." in text
    assert all(b.text.strip() for b in doc.blocks)
