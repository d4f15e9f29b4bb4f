"""Danish deadlines and dates: 'inden 1. juni 2026', 'senest 31.03.2026', 'løbende', 'i løbet af 2026'.

Reading a date, reading a deadline, and writing a date the Danish way ('29. november 2026').
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
    "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
MONTH_NAMES = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
               "november", "december")
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_LEAD = r"(?:inden|senest|før|forud for|til|pr\.|per|fra|den|d\.|frist)?"
_DAY_MONTH_YEAR = re.compile(
    r"(?P<lead>" + _LEAD + r")\s*(?:den\s+)?(?P<day>\d{1,2})\.\s*(?P<month>" + _MONTH_NAMES + r")\.?\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"(?P<lead>" + _LEAD + r")\s*(?P<day>\d{1,2})[./-](?P<month>\d{1,2})[./-](?P<year>\d{4})\b",
                      re.IGNORECASE)
_ISO = re.compile(r"(?P<lead>" + _LEAD + r")\s*(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b", re.IGNORECASE)
_END_OF_MONTH = re.compile(r"(?:inden|senest|ved)\s+udgangen\s+af\s+(?P<month>" + _MONTH_NAMES + r")\s+(?P<year>\d{4})",
                           re.IGNORECASE)
_END_OF_YEAR = re.compile(r"(?:inden|senest|ved)\s+(?:udgangen|slutningen)\s+af\s+(?P<year>\d{4})", re.IGNORECASE)
_VAGUE = re.compile(
    r"(?:i\s+løbet\s+af|i|inden|senest\s+i|medio|primo|ultimo|i\s+første\s+halvår|i\s+andet\s+halvår)\s+"
    r"(?:(?:foråret|efteråret|sommeren|vinteren|(?:1\.|2\.|3\.|4\.|første|andet|tredje|fjerde)\s+kvartal)\s+)?"
    r"(?:" + _MONTH_NAMES + r"\s+)?(?P<year>\d{4})",
    re.IGNORECASE,
)
_ONGOING = re.compile(r"\b(?:løbende|fortsat|årligt|hvert år|hvert kvartal|kvartalsvis|i aftaleperioden)\b",
                      re.IGNORECASE)
_NEXT_MEETING = re.compile(r"(?:inden|til|før|senest (?:ved|på))\s+(?:det\s+)?næste\s+dialogmøde", re.IGNORECASE)


@dataclass(frozen=True)
class Deadline:
    """A deadline as written, its ISO date when unambiguous, and whether it is uncertain or ongoing."""

    text: str
    iso: str | None = None
    uncertain: bool = False
    ongoing: bool = False


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, int, dt.date, str]]:
    """Exact dates in a text as (start, end, date, lead word) in order."""
    found: list[tuple[int, int, dt.date, str]] = []
    for pat in (_DAY_MONTH_YEAR, _NUMERIC, _ISO):
        for m in pat.finditer(text):
            month = m.group("month")
            month_no = MONTHS.get(month.lower().rstrip("."), None) if not month.isdigit() else int(month)
            if month_no is None:
                continue
            d = _date(int(m.group("year")), month_no, int(m.group("day")))
            if d is None:
                continue
            if any(s <= m.start() < e for s, e, _, _ in found):
                continue
            found.append((m.start(), m.end(), d, (m.group("lead") or "").lower()))
    found.sort()
    return found


def parse_deadline(text: str) -> Deadline | None:
    """The deadline stated in a text: an exact date after 'inden'/'senest'/'frist', 'løbende', or a vague period."""
    m = _END_OF_MONTH.search(text)
    if m:
        year, month = int(m.group("year")), MONTHS[m.group("month").lower()]
        last = calendar.monthrange(year, month)[1]
        return Deadline(m.group(0), dt.date(year, month, last).isoformat())
    dates = find_dates(text)
    leading = [d for d in dates if d[3] in ("inden", "senest", "før", "forud for", "frist", "til")]
    if leading:
        start, end, d, _ = leading[-1] if len(leading) > 1 and _is_field(text) else leading[0]
        return Deadline(text[start:end].strip(), d.isoformat())
    m = _END_OF_YEAR.search(text)
    if m:
        return Deadline(m.group(0), f"{m.group('year')}-12-31")
    m = _NEXT_MEETING.search(text)
    if m:
        return Deadline(m.group(0), None, uncertain=True)
    m = _VAGUE.search(text)
    if m and re.search(r"løbet|foråret|efteråret|sommeren|vinteren|kvartal|medio|primo|ultimo|halvår|\bi\s+\d{4}",
                       m.group(0), re.IGNORECASE):
        return Deadline(m.group(0).strip(), None, uncertain=True)
    if len(dates) == 1 and _is_field(text):
        start, end, d, _ = dates[0]
        return Deadline(text[start:end].strip(), d.isoformat())
    m = _ONGOING.search(text)
    if m:
        return Deadline(m.group(0), None, ongoing=True)
    return None


def _is_field(text: str) -> bool:
    return len(text) < 60


def parse_danish_date(text: str) -> dt.date | None:
    """The first exact date in a text ('tirsdag den 23. september 2025' -> 2025-09-23)."""
    dates = find_dates(text)
    return dates[0][2] if dates else None


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
