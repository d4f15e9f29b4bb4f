"""When a document is dated: the one rule for referater, aftaler, notater and styringsrapporter.

Danish governance documents carry their date in a few places, whatever the municipality:

* a meeting: 'Mødedato: tirsdag den 23. september 2025', 'Dato: 3. november 2026', 'Dato for mødet ...',
  a template's field table ('Dato og tid | 14. oktober 2026, kl. 14.00'),
  'dialogmødet den 7. oktober', 'Referat fra mødet tirsdag d. 10.11.2026';
* an approval or signature: 'godkendt af organisationsbestyrelsen den 16. juni 2026', and the signature
  line '<sted>, den 16. marts 2026' (any place name: a capitalised word, a comma, 'den' and a date);
* a dated header: a short line near the top that holds a date.

A document that records a meeting (a referat) is dated by its meeting; any other document by its
approval or signature; failing both, by the other kind; failing all, by a dated header.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from service.agreements.units import TextUnit
from service.domain.dates import MONTH_PATTERN, MONTHS, month_end, parse_danish_date

_APPROVED_RE = re.compile(r"(?:godkendt|vedtaget|underskrevet)\b[^.\n]{0,80}?\bden\s+\d{1,2}\.", re.IGNORECASE)
_PLACE_DATE_RE = re.compile(r"\b[A-ZÆØÅ][a-zæøå]+,\s+den\s+\d{1,2}\.")
_MEETING_DATE_RE = re.compile(r"mødedato|dato for mødet|mødet\s+(?:blev\s+|er\s+)?(?:af)?holdt|mødet\s+fandt\s+sted"
                              r"|\b(?:holdt|havde|afholdt)\s+(?:\w+\s+)?(?:dialog)?møde\b"
                              r"|dialogmøde(?:t)?\s+(?:den\s+|d\.\s*)?\d"
                              r"|(?:^|\n)\s*(?:møde)?dato(?:\s+og\s+(?:tid|sted|tidspunkt))?\s*[:|]|referat\s+(?:fra|af)\s+(?:\w+\s+)?[\wæøå]*møde", re.IGNORECASE)
_MEETING_WINDOW = 40  # units: a meeting date stands in the head of a referat
_HEADER_WINDOW = 5  # units: a dated header stands at the very top
_HEADER_MAX_CHARS = 90


def signature_date(units: list[TextUnit]) -> str | None:
    """ISO date of an approval or signature ('godkendt ... den 16. juni 2026', '<sted>, den 16. marts 2026')."""
    for pattern in (_APPROVED_RE, _PLACE_DATE_RE):
        for unit in units:
            m = pattern.search(unit.text)
            if m:
                d = parse_danish_date(unit.text[m.start():])
                if d:
                    return d.isoformat()
    return None


def meeting_date(units: list[TextUnit], year: int | None = None) -> str | None:
    """ISO date of the meeting a document records ('Mødedato: tirsdag den 23. september 2025'); ``year`` (from the
    title) completes a date written without one ('Referat fra mødet onsdag d. 7/10', 'mødet den 7. okt')."""
    for unit in units[:_MEETING_WINDOW]:
        m = _MEETING_DATE_RE.search(unit.text)
        if m:
            d = parse_danish_date(unit.text[m.start():]) or parse_danish_date(unit.text)
            if d:
                return d.isoformat()
            short = _DAY_MONTH_RE.search(unit.text, m.start()) if year else None
            if short and year and (found := _day_month(short, year)):
                return found
    for unit in units[:_HEADER_WINDOW]:  # 'A og B Kommune, onsdag den 30. september 2026, Rådhuset': a weekday dates
        m = _WEEKDAY_DATE_RE.search(unit.text)  # the meeting the head of a referat names
        if m and (d := parse_danish_date(unit.text[m.start():])):
            return d.isoformat()
    return None


_WEEKDAYS = r"(?:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)"
_WEEKDAY_DATE_RE = re.compile(r"\b" + _WEEKDAYS + r"\s+(?:den\s+|d\.\s*)?\d{1,2}[./]", re.IGNORECASE)
# 'Næste dialogmøde holdes i september 2027', 'Næste møde: efterår 2027': when the document says the next meeting is
_NEXT_MEETING_AT_RE = re.compile(r"\bnæste\s+(?:ordinære\s+)?(?:[\wæøå]+)?møde\b[^.\n]{0,40}?\b(?:i|den|d\.|:)\s*"
                                 r"(?P<when>(?:" + MONTH_PATTERN + r")\s+(?:19|20)\d\d|\d{1,2}\.\s*(?:" + MONTH_PATTERN
                                 + r")\s+(?:19|20)\d\d)", re.IGNORECASE)


def next_meeting(units: list[TextUnit]) -> tuple[str, dt.date] | None:
    """(words, last day) of the next meeting a document dates ('Næste dialogmøde holdes i september 2027' ->
    30 September 2027), else None: what 'inden næste møde' in the same document means."""
    for unit in units:
        m = _NEXT_MEETING_AT_RE.search(unit.text)
        if m is None:
            continue
        when = m.group("when")
        day = parse_danish_date(when)
        if day is not None:
            return when, day
        mo = re.match(r"(?P<m>[a-zæøå]+)\.?\s+(?P<y>\d{4})", when, re.IGNORECASE)
        month = MONTHS.get(mo.group("m").lower()) if mo else None
        if mo and month:
            return when, month_end(int(mo.group("y")), month)
    return None


# a day and a month without the year: 'd. 7/10', 'den 7. oktober', '7 okt'
_DAY_MONTH_RE = re.compile(r"\b(?:den\s+|d\.\s*)?(?P<d>\d{1,2})(?:/(?P<m>\d{1,2})|\.?\s*(?P<mn>" + MONTH_PATTERN
                           + r")\b\.?)(?!\s*[-/.]?\s*\d)", re.IGNORECASE)
_TITLE_YEAR_RE = re.compile(r"(?<![\d.,/-])(?:19|20)\d\d(?![\d.,/-]\d)")


def _day_month(m: re.Match[str], year: int) -> str | None:
    month = int(m.group("m")) if m.group("m") else MONTHS.get(m.group("mn").lower().rstrip("."), 0)
    try:
        return dt.date(year, month, int(m.group("d"))).isoformat()
    except ValueError:
        return None


def title_year(title: str) -> int | None:
    """The one year a title names ('... referat styringsdialogmøde 2026'), else None (none, or several)."""
    years = set(_TITLE_YEAR_RE.findall(title or ""))
    return int(years.pop()) if len(years) == 1 else None


def header_date(units: list[TextUnit]) -> str | None:
    """ISO date of a short dated line at the top of a document."""
    for unit in units[:_HEADER_WINDOW]:
        d = parse_danish_date(unit.text) if len(unit.text) < _HEADER_MAX_CHARS else None
        if d:
            return d.isoformat()
    return None


def document_date(units: list[TextUnit], *, records_meeting: bool = False, title: str = "") -> str | None:
    """ISO date of a document (see the module docstring); ``records_meeting`` for a referat's agreements;
    ``title`` gives the year of a meeting date written without one."""
    year = title_year(title)

    def meeting(found: list[TextUnit]) -> str | None:
        return meeting_date(found, year)

    rules: tuple[Callable[[list[TextUnit]], str | None], ...] = (
        (meeting, signature_date, header_date) if records_meeting else (signature_date, meeting, header_date))
    for rule in rules:
        found = rule(units)
        if found:
            return found
    return None
