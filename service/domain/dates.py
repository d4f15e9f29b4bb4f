"""Danish dates: reading an exact date ('1. juni 2026', '31.03.2026', '1/3-2027', '1.3.27', '2026-06-30')
and writing one the Danish way ('29. november 2026').

Deadlines ('senest 1. marts 2027', 'primo 2027') and periods ('frem til 31.12.2027', 'i perioden
2026-2029') are read in service.domain.deadlines, on top of these dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
    "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
MONTH_NAMES = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
               "november", "december")
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
_LEAD = r"(?:inden|senest|før|forud for|til|pr\.|per|fra|den|d\.|frist)?"
_DAY_MONTH_YEAR = re.compile(
    r"(?P<lead>" + _LEAD + r")\s*(?:den\s+)?(?P<day>\d{1,2})\.\s*(?P<month>" + MONTH_PATTERN
    + r")\.?\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
# '31.03.2026', '1/3-2027', '31-12-2027'; a two-digit year only with dots or '/d-yy' ('1.3.27', '1/3-27').
_NUMERIC = re.compile(r"(?P<lead>" + _LEAD + r")\s*(?:den\s+)?(?<![\d.,/-])(?P<day>\d{1,2})[./-](?P<month>\d{1,2})[./-]"
                      r"(?P<year>\d{4}|\d{2})(?!\d|[.,]\d)", re.IGNORECASE)
# 'd. 20/10 2026': day/month with a slash and the four-digit year after a space
_SLASH_SPACE = re.compile(r"(?P<lead>" + _LEAD + r")\s*(?:den\s+)?(?<![\d.,/-])(?P<day>\d{1,2})/(?P<month>\d{1,2})[ \t]+"
                          r"(?P<year>(?:19|20)\d\d)(?![\d.,/-]\d)", re.IGNORECASE)
_ISO = re.compile(r"(?P<lead>" + _LEAD + r")\s*(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b", re.IGNORECASE)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year(raw: str) -> int:
    """'2027' -> 2027, '27' -> 2027 (two-digit years in governance documents are this century)."""
    return int(raw) if len(raw) == 4 else 2000 + int(raw)


def find_dates(text: str) -> list[tuple[int, int, dt.date, str]]:
    """Exact dates in a text as (start, end, date, lead word) in order."""
    found: list[tuple[int, int, dt.date, str]] = []
    for pat in (_DAY_MONTH_YEAR, _NUMERIC, _SLASH_SPACE, _ISO):
        for m in pat.finditer(text):
            month = m.group("month")
            month_no = MONTHS.get(month.lower().rstrip(".")) if not month.isdigit() else int(month)
            if month_no is None:
                continue
            if len(m.group("year")) == 2 and not 20 <= int(m.group("year")) < 50:
                continue  # '4.1.12' is a section number, not 4 January 2012
            d = _date(_year(m.group("year")), month_no, int(m.group("day")))
            if d is None:
                continue
            if any(s <= m.start() < e or s < m.end() <= e for s, e, _, _ in found):
                continue
            found.append((m.start(), m.end(), d, (m.group("lead") or "").lower()))
    found.sort()
    return found


def parse_danish_date(text: str) -> dt.date | None:
    """The first exact date in a text ('tirsdag den 23. september 2025' -> 2025-09-23)."""
    dates = find_dates(text)
    return dates[0][2] if dates else None


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def format_danish_time(timestamp: float) -> str:
    """A moment in the server's local time as a caseworker writes it: '3. maj 2025 kl. 14.02'."""
    t = dt.datetime.fromtimestamp(timestamp)
    return f"{t.day}. {MONTH_NAMES[t.month - 1]} {t.year} kl. {t.hour:02d}.{t.minute:02d}"


def format_danish_date(day: dt.date) -> str:
    """'29. november 2026'."""
    return f"{day.day}. {MONTH_NAMES[day.month - 1]} {day.year}"


def deadline_year(text: str) -> int | None:
    """The year a vague deadline names ('i løbet af 2026' -> 2026), else None."""
    m = re.search(r"\b(?:19|20)\d\d\b", text)
    return int(m.group(0)) if m else None
