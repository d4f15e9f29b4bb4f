"""Redaction of Danish CPR numbers (ddmmyy-xxxx or ddmmyyxxxx with a valid day and month)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.types import LoadedDocument

REPLACEMENT = "[CPR]"
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # the year is ambiguous: allow 29 February
_CPR_RE = re.compile(
    r"(?<![\d+])(?<!\d[-.,/])"  # not the tail of a longer number, a decimal or a +45 phone number
    r"(?P<dd>\d{2})(?P<mm>\d{2})(?P<yy>\d{2})-?(?P<seq>\d{4})"
    r"(?!\d)(?![-.,/]\d)"  # not the head of a longer number
)


def _valid_date(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]


def redact_cpr(text: str) -> tuple[str, int]:
    """Replace CPR numbers in text with '[CPR]'; returns the new text and how many were replaced."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        if not _valid_date(int(match.group("dd")), int(match.group("mm"))):
            return match.group(0)
        count += 1
        return REPLACEMENT

    return _CPR_RE.sub(replace, text), count


def redact_document(doc: "LoadedDocument", fallback_title: str = "") -> int:
    """Redact CPR numbers in every block and the title of a loaded document, in place; returns the count."""
    total = 0
    for block in doc.blocks:
        block.text, n = redact_cpr(block.text)
        total += n
    doc.title, n = redact_cpr(doc.title or fallback_title)
    return total + n
