"""When an agreement is due or how long it runs: a deadline, a period, or neither.

Danish minutes write the two apart, and a period must never make an agreement overdue:

* a **deadline** is a moment the party must act by: 'senest 1. marts 2027', 'inden 15.12.2026',
  'inden udgangen af 2. kvartal 2027', 'inden årets udgang' (the meeting's year); an exact date in a
  short field ('Tidsfrist: 31.03.2027') too. Vague ones keep their words and are marked uncertain:
  'primo 2027', 'i februar 2027', 'Q2 2027', '3. kvt. 2027', 'inden sommerferien 2027', 'uge 6';
* a **period** is how long an arrangement runs: 'frem til 31.12.2027', 'gælder til 30. juni 2028',
  'til og med 2028', 'i perioden 2026-2029', 'varighed 2027-2028', 'gælder fra 1. april 2026 til
  31. marts 2029', 'gælder i fire år fra 1. januar 2026' (from and to; a year stands for its first or last day);
* 'løbende', 'hvert kvartal', 'hvert halve år' are **ongoing**: neither.

``read_when`` gives both readings of a text; a period wins over a deadline in the same text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from service.domain.dates import MONTH_PATTERN, MONTHS, find_dates, month_end

_ORDINAL = r"(?:(?P<q>[1-4])\.|første|andet|anden|tredje|fjerde)"
_QUARTER_WORDS = {"første": 1, "andet": 2, "anden": 2, "tredje": 3, "fjerde": 4}
_QUARTER = r"(?:" + _ORDINAL + r"\s*(?:kvartal|kvt\.?)|Q(?P<qq>[1-4]))"
_END_OF = re.compile(
    r"(?:inden|senest|ved|før|til|med)\s+(?:den\s+)?(?:udgangen|slutningen)\s+af\s+"
    r"(?:(?P<month>" + MONTH_PATTERN + r")\s+(?P<my>\d{4})|" + _QUARTER + r"\s+(?P<qy>\d{4})|(?P<year>\d{4})"
    r"|(?P<this>året|indeværende\s+år))",
    re.IGNORECASE,
)
_YEAR_END = re.compile(r"(?:inden|senest\s+ved|ved|før)\s+(?:årets\s+udgang|årsskiftet|nytår)", re.IGNORECASE)
_DEADLINE_LEADS = ("inden", "senest", "før", "forud for", "frist", "til")
# 'forud for budgetmødet den 1. marts 2027', 'inden bestyrelsesmødet d. 3/2 2027': the dated event is the deadline
_BEFORE_EVENT = re.compile(r"\b(?:inden|før|forud\s+for|senest\s+(?:til|ved|på))\s+(?:det\s+)?(?:[\wæøå-]+\s+)?"
                           r"[\wæøå-]*(?:møde|mødet|frist|fristen)\s*$", re.IGNORECASE)
_NEXT_MEETING = re.compile(r"(?:inden|til|før|senest (?:ved|på))\s+(?:det\s+)?næste\s+(?:dialog)?møde", re.IGNORECASE)
_SEASONS = (r"foråret|efteråret|sommeren|vinteren|sommerferien|efterårsferien|vinterferien|påsken|påske|julen|jul"
            r"|(?:første|andet)\s+halvår|[12]\.\s*halvår|[12]H|H[12]")  # '1H 2027', 'H2 2027': English minutes
_VAGUE = re.compile(
    r"(?:\b(?P<pre>i\s+løbet\s+af|senest\s+i|inden|primo|medio|ultimo|omkring|efter|i)\s+)?"
    r"(?:(?P<season>" + _SEASONS + r")\s+|(?P<quarter>" + _QUARTER + r")\s+|(?P<month>" + MONTH_PATTERN
    + r")\.?\s+)?(?P<year>(?:19|20)\d\d)\b(?![.,/-]\d)",
    re.IGNORECASE,
)
_FIRM_PREFIXES = frozenset({"i løbet af", "senest i", "inden", "primo", "medio", "ultimo", "omkring", "i"})
_BEFORE_CHRISTMAS = re.compile(r"\b(?:inden|før|senest\s+(?:til|ved|før))\s+jul(?:en)?(?:\s+(?P<year>(?:19|20)\d\d))?\b",
                               re.IGNORECASE)
_WEEK = re.compile(r"\b(?:i\s+|inden\s+|senest\s+i\s+)?(?:uge\s+|w(?:eek)?\s?(?=\d))(?P<week>\d{1,2})"
                   r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b",
                   re.IGNORECASE)
ONGOING_RE = re.compile(
    r"\b(?:løbende|fortsat|årligt|årlig|hvert\s+år|hvert\s+kvartal|kvartalsvis|hvert\s+halve\s+år|halvårligt"
    r"|hver\s+måned|månedligt|hver\s+uge|hver\s+(?:anden|andet|tredje|fjerde|sjette)\s+(?:uge|måned|år)|to\s+gange\s+om\s+året|i\s+aftaleperioden|fremover|fremadrettet"
    r"|fra\s+nu\s+af|ongoing|on-going)\b",
    re.IGNORECASE,
)
_PERIOD_TO = re.compile(
    r"\b(?:frem\s+til|indtil|til\s+og\s+med|t\.o\.m\.|længst\s+til|(?:gælder|gælde|gyldig|løber|varer|kører|forlænges|forlænget"
    r"|videreføres|fortsætter)\s+(?:\w+\s+){0,2}?(?:frem\s+)?til(?:\s+og\s+med)?)\s+",
    re.IGNORECASE,
)
_PERIOD_SPAN = re.compile(
    r"\b(?:(?:i|for)\s+)?(?:perioden|(?:kalender|regnskabs|budget)?årene|aftaleperioden|varighed(?:en)?|løbetid(?:en)?|gyldighedsperiode(?:n)?"
    r"|aftaleperiode)\s*(?:er\s+|:\s*)?(?:fra\s+)?"
    r"|\b(?:gælder|gældende|løber|gyldig|kører|træder\s+i\s+kraft)\s+(?:\w+\s+){0,2}?(?:fra|den|pr\.)\s+"
    r"|\btræder\s+i\s+kraft\s+"
    # 'fra 1. oktober 2026 til 30. september 2027': two full dates (not two years: 'steg fra 2025 til 2026')
    r"|\bfra\s+(?:og\s+med\s+)?(?=(?:den\s+)?\d{1,2}(?:\.\s*[a-zæøå]|[./-]\d))",
    re.IGNORECASE,
)
# two dates joined by a dash, the first without its year ('1. januar - 31. december 2027'): a period of that year
_DATE_SPAN = re.compile(r"\b(?P<d1>\d{1,2})\.\s*(?P<m1>" + MONTH_PATTERN + r")\s*(?P<y1>(?:19|20)\d\d)?\s*[-–—]\s*"
                        r"(?P<d2>\d{1,2})\.\s*(?P<m2>" + MONTH_PATTERN + r")\s+(?P<y2>(?:19|20)\d\d)\b", re.IGNORECASE)
# a deadline written as day and month ('senest 15/1', 'inden 1. marts'), maybe with the year after a space
_DAY_MONTH_DEADLINE = re.compile(
    r"\b(?:senest|inden|før|frist|til\s+(?=den\s|d\.))\s*(?:den\s+|d\.\s*)?(?P<day>\d{1,2})(?:\.\s*(?P<mname>" + MONTH_PATTERN
    + r")\b|/(?P<mnum>\d{1,2}))(?:\s+(?P<year>(?:19|20)\d\d))?(?![\d/.-]\d)", re.IGNORECASE)
_EOY = re.compile(r"\b(?:EOY|end\s+of\s+year)\s*(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
_NUMBER_WORDS = {"et": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8, "ni": 9,
                 "ti": 10}
_YEARS = r"(?P<n>\d{1,2}|et|ét|to|tre|fire|fem|seks|syv|otte|ni|ti|halvandet|halvandent)\s+år"
_PERIOD_YEARS = re.compile(
    r"\b(?:gælder|løber|varer|har\s+virkning|gyldig)\s+(?:i\s+)?" + _YEARS + r"\s+(?:regnet\s+)?fra\s+(?:den\s+)?"
    r"(?P<start>\d{1,2}\.\s*\w+\.?\s+\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})",
    re.IGNORECASE)
# '- ', 'til og med', 'og løber (i fire år,) til': the words between a period's start and its end
_YEAR_SPAN_FIELD = re.compile(r"^\s*(?P<a>(?:19|20)\d\d)\s*[-–]\s*(?P<b>(?:19|20)\d\d)\s*\.?\s*$")
_OPEN_ENDED = re.compile(r"\b(?P<fra>fra(?:\s+og\s+med)?\s+)[^;\n]{4,40}?\s*,?\s*og\s+indtil\s+videre\b",
                         re.IGNORECASE)
_CAPPED = re.compile(r"\s*,?\s*(?:dog|men|og)\s+(?:længst|senest|højst|maksimalt)\s+(?:frem\s+)?til(?:\s+og\s+med)?\s+",
                     re.IGNORECASE)
_SPAN_SEP = re.compile(r"\s*,?\s*(?:[-–—]|til\s+og\s+med|til|(?:og\s+)?(?:indtil|til\s+og\s+med)|(?:og\s+)?(?:(?:gælder|løber|varer)\s+"
                       r"(?:i\s+[\wæøå]+\s+(?:år|måneder)\s*,?\s*)?)?(?:frem\s+)?til(?:\s+og\s+med)?)\s*",
                       re.IGNORECASE)


@dataclass(frozen=True)
class Deadline:
    """A deadline as written, its ISO date when unambiguous, and whether it is uncertain or ongoing."""

    text: str
    iso: str | None = None
    uncertain: bool = False
    ongoing: bool = False


@dataclass(frozen=True)
class Period:
    """How long an arrangement runs: ISO dates (start may be unknown) and the words."""

    text: str
    start: str | None
    end: str | None  # None: open-ended ('fra 1. januar 2027 og indtil videre')
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class When:
    """Both readings of a text: its deadline and its period (at most one is set)."""

    deadline: Deadline | None = None
    period: Period | None = None


def _quarter(m: re.Match[str]) -> int:
    raw = m.group("q") or m.group("qq")
    if raw:
        return int(raw)
    word = re.match(r"[a-zæøå]+", m.group(0).lower().split("udgangen af ")[-1].strip())
    return _QUARTER_WORDS.get(word.group(0) if word else "", 4)


def _point(text: str, pos: int, *, end: bool) -> tuple[dt.date, int] | None:
    """A time point written at text[pos:]: a date, 'udgangen af 2027', '2. kvartal 2027', 'juni 2028', '2028'."""
    m = re.match(r"\s*(?:den\s+|d\.\s*)?", text[pos:])
    pos += m.end() if m else 0
    rest = text[pos:pos + 40]
    dates = find_dates(rest)
    if dates and not rest[:dates[0][0]].strip():
        return dates[0][2], pos + dates[0][1]
    m2 = re.match(r"(?:udgangen|slutningen)\s+af\s+", rest, re.IGNORECASE)
    if m2:
        pos, rest, end = pos + m2.end(), rest[m2.end():], True
    q = re.match(_QUARTER + r"\s+(?P<y>\d{4})", rest, re.IGNORECASE)
    if q:
        year, quarter = int(q.group("y")), _quarter(q)
        day = month_end(year, quarter * 3) if end else dt.date(year, quarter * 3 - 2, 1)
        return day, pos + q.end()
    mo = re.match(r"(?P<m>" + MONTH_PATTERN + r")\.?\s+(?P<y>\d{4})", rest, re.IGNORECASE)
    if mo:
        year, month = int(mo.group("y")), MONTHS[mo.group("m").lower()]
        return (month_end(year, month) if end else dt.date(year, month, 1)), pos + mo.end()
    y = re.match(r"(?P<y>(?:19|20)\d\d)(?!\d|[.,/]\d)", rest)
    if y:
        year = int(y.group("y"))
        return (dt.date(year, 12, 31) if end else dt.date(year, 1, 1)), pos + y.end()
    return None


def find_period(text: str, meeting: dt.date | None = None) -> Period | None:
    """The period a text states ('frem til 31.12.2027', 'i perioden 2026-2029'), else None; ``meeting`` places
    a start without its year ('i to år fra 1. november', 'fra nytår og året ud') after the meeting."""
    years = _whole_years(text)
    if years is not None:
        return years
    relative = _relative_period(text, meeting)
    if relative is not None:
        return relative
    for m in _PERIOD_SPAN.finditer(text):
        start = _point(text, m.end(), end=False)
        if start is None:
            continue
        sep = _SPAN_SEP.match(text, start[1])
        stop = _point(text, sep.end(), end=True) if sep else None
        if stop is not None and stop[0] >= start[0]:
            return Period(text[m.start():stop[1]].strip(), start[0].isoformat(), stop[0].isoformat(),
                          (m.start(), stop[1]))
    dated = _date_span(text)
    if dated is not None:
        return dated
    field = _YEAR_SPAN_FIELD.match(text)
    if field and int(field.group("a")) <= int(field.group("b")):  # a 'Periode' cell holding '2027-2029'
        return Period(text.strip(), f"{field.group('a')}-01-01", f"{field.group('b')}-12-31", field.span())
    open_ended = _OPEN_ENDED.search(text)
    if open_ended:  # 'fra 1. januar 2027 og indtil videre': it starts then and runs until someone ends it
        start = _point(text, open_ended.end("fra"), end=False)
        if start is not None and re.match(r"\s*,?\s*og\s+indtil\s+videre\b", text[start[1]:], re.IGNORECASE):
            cap = _CAPPED.match(text, open_ended.end())  # '..., dog længst til 31. december 2028': it ends then at the latest
            stop = _point(text, cap.end(), end=True) if cap else None
            if stop is not None and stop[0] >= start[0]:
                return Period(text[open_ended.start():stop[1]].strip(), start[0].isoformat(), stop[0].isoformat(),
                              (open_ended.start(), stop[1]))
            return Period(open_ended.group(0).strip(), start[0].isoformat(), None, open_ended.span())
    span = _PERIOD_YEARS.search(text)
    if span:  # 'gælder i fire år fra 1. januar 2026', 'løber fra 1. april 2026 og i tre år'
        start = _point(text, span.start("start"), end=False)
        last = _last_day(start[0], span.group("n")) if start is not None else None
        if start is not None and last is not None:
            return Period(span.group(0).strip(), start[0].isoformat(), last.isoformat(), span.span())
    for m in _PERIOD_TO.finditer(text):
        stop = _point(text, m.end(), end=True)
        if stop is not None:
            return Period(text[m.start():stop[1]].strip(), None, stop[0].isoformat(), (m.start(), stop[1]))
    return None


def _whole_years(text: str) -> Period | None:
    """'for årene 2027 og 2028', 'i 2027 og 2028' (a run of years), 'hele 2027' (one whole year)."""
    listed = _YEARS_AND.search(text)
    if listed and 0 < int(listed.group("b")) - int(listed.group("a")) <= 10:
        return Period(listed.group(0).strip(), f"{listed.group('a')}-01-01", f"{listed.group('b')}-12-31",
                      listed.span())
    whole = _WHOLE_YEAR.search(text)
    if whole:
        return Period(whole.group(0).strip(), f"{whole.group('y')}-01-01", f"{whole.group('y')}-12-31", whole.span())
    return None


# 'for årene 2027 og 2028', 'i kalenderårene 2027 og 2028': two years joined by 'og' after a word for years
_YEARS_AND = re.compile(r"\b(?:i|for)\s+(?:(?:kalender|regnskabs)?årene\s+)?(?P<a>(?:19|20)\d\d)\s+og\s+"
                        r"(?P<b>(?:19|20)\d\d)\b", re.IGNORECASE)
# 'hele 2027', 'i hele 2027', 'hele året 2027': that whole year
_WHOLE_YEAR = re.compile(r"\b(?:i\s+)?(?:hele\s+(?:året\s+|kalenderåret\s+)?|kalenderåret\s+)(?P<y>(?:19|20)\d\d)\b",
                         re.IGNORECASE)
_START = (r"(?P<start>nytår(?:et)?|(?:den\s+|d\.\s*)?\d{1,2}\.\s*(?:" + MONTH_PATTERN + r")\b\.?(?:\s+(?:19|20)\d\d)?"
          r"|(?:den\s+|d\.\s*)?\d{1,2}\.\d{1,2}\.(?:19|20)?\d\d"
          r"|(?:den\s+|d\.\s*)?\d{1,2}/\d{1,2}(?:[-/](?:19|20)?\d\d)?)")
# 'i to år fra 1. november' (a number of years from a start), 'fra nytår og året ud' (to the end of that year)
_YEARS_FROM = re.compile(r"\bi\s+" + _YEARS + r"\s+(?:regnet\s+)?fra\s+" + _START, re.IGNORECASE)
# 'fra 1. januar 2027 og tre år frem': a start and a number of years after it
_FROM_YEARS_ON = re.compile(r"\bfra\s+" + _START + r"\s+og\s+(?:i\s+)?(?:de\s+(?:næste|kommende)\s+)?" + _YEARS
                            + r"(?:\s+(?:frem|fremover|herefter|derefter))?", re.IGNORECASE)
_REST_OF_YEAR = re.compile(r"\bfra\s+" + _START + r"\s+og\s+(?:resten\s+af\s+)?året(?:\s+ud)?\b", re.IGNORECASE)


def _start_day(raw: str, meeting: dt.date | None) -> dt.date | None:
    """The day a period starts: 'nytår' (the next 1 January), '1. november' (the next after the meeting), a date."""
    raw = re.sub(r"^(?:den\s+|d\.\s*)", "", raw.strip(), flags=re.IGNORECASE)
    dates = find_dates(raw)
    if dates:
        return dates[0][2]
    if meeting is None:
        return None
    if raw.lower().startswith("nytår"):
        return dt.date(meeting.year + 1, 1, 1)
    m = re.match(r"(?P<d>\d{1,2})(?:\.\s*(?P<mn>[a-zæøå]+)|/(?P<m>\d{1,2}))", raw, re.IGNORECASE)
    if m is None:
        return None
    month = int(m.group("m")) if m.group("m") else MONTHS.get((m.group("mn") or "").lower().rstrip("."))
    try:
        day = dt.date(meeting.year, month or 0, int(m.group("d")))
    except ValueError:
        return None
    return day if day > meeting else day.replace(year=meeting.year + 1)


def _last_day(start: dt.date, number: str) -> dt.date | None:
    """The last day of a run of years from ``start`` ('to' years, '3' years, 'halvandet' year = 18 months)."""
    n = number.lower()
    months = 18 if n.startswith("halvande") else 12 * (int(n) if n.isdigit() else _NUMBER_WORDS.get(n, 0))
    if not months:
        return None
    year, month = divmod(start.month - 1 + months, 12)
    try:
        first_after = start.replace(year=start.year + year, month=month + 1)
    except ValueError:  # 29 February, 31st of a shorter month
        first_after = dt.date(start.year + year, month + 1, 28)
    return first_after - dt.timedelta(days=1)


def _relative_period(text: str, meeting: dt.date | None) -> Period | None:
    """'i to år fra 1. november', 'fra nytår og året ud': a period counted from a start (see find_period)."""
    m = _YEARS_FROM.search(text) or _FROM_YEARS_ON.search(text)
    if m:
        start = _start_day(m.group("start"), meeting)
        last = _last_day(start, m.group("n")) if start is not None else None
        if start is not None and last is not None:
            return Period(m.group(0).strip(), start.isoformat(), last.isoformat(), m.span())
    m = _REST_OF_YEAR.search(text)
    if m:
        start = _start_day(m.group("start"), meeting)
        if start is not None:
            return Period(m.group(0).strip(), start.isoformat(), f"{start.year}-12-31", m.span())
    return None


def _date_span(text: str) -> Period | None:
    """'1. januar - 31. december 2027' (the first year may be left out): a period, also without 'i perioden'."""
    m = _DATE_SPAN.search(text)
    if m is None:
        return _numeric_span(text)
    try:
        stop = dt.date(int(m.group("y2")), MONTHS[m.group("m2").lower().rstrip(".")], int(m.group("d2")))
        start = dt.date(int(m.group("y1") or m.group("y2")), MONTHS[m.group("m1").lower().rstrip(".")],
                        int(m.group("d1")))
    except (ValueError, KeyError):
        return None
    if start > stop:
        return None
    lead = re.search(r"(?:\b(?:i|for)\s+)?(?:perioden|tidsrummet)\s*(?:fra\s+)?$", text[:m.start()], re.IGNORECASE)
    begin = lead.start() if lead else m.start()
    return Period(text[begin:m.end()].strip(), start.isoformat(), stop.isoformat(), (begin, m.end()))


_TIGHT_SPAN = re.compile(r"(?<![\d.])(?P<a>\d{1,2}\.\d{1,2}\.(?:19|20)\d\d)[-–—](?P<b>\d{1,2}\.\d{1,2}\.(?:19|20)\d\d)(?![\d.]\d)")


_SHORT_FIRST_SPAN = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.?\s*[-–—]\s*"
                               r"(?P<b>\d{1,2}\.\d{1,2}\.(?:19|20)\d\d)(?![\d.]\d)")


def _short_first_span(text: str) -> Period | None:
    """'1.2.-31.7.2027': the first date takes the second one's year."""
    m = _SHORT_FIRST_SPAN.search(text)
    stop = find_dates(m.group("b")) if m else []
    if m is None or not stop:
        return None
    try:
        start = dt.date(stop[0][2].year, int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    return Period(m.group(0), start.isoformat(), stop[0][2].isoformat(), m.span()) if start <= stop[0][2] else None


def _numeric_span(text: str) -> Period | None:
    """'1.1.2027 - 31.12.2029' (also without spaces): two full dates joined by a dash (as a cell writes a period);
    the first may leave its year to the second ('1.2.-31.7.2027')."""
    short = _short_first_span(text)
    if short is not None:
        return short
    tight = _TIGHT_SPAN.search(text)
    if tight:
        a, b = find_dates(tight.group("a")), find_dates(tight.group("b"))
        if a and b and a[0][2] <= b[0][2]:
            return Period(tight.group(0), a[0][2].isoformat(), b[0][2].isoformat(), tight.span())
    dates = find_dates(text)
    for (_, end1, first, _), (start2, end2, last, _) in zip(dates, dates[1:]):
        if re.fullmatch(r"\s*[-–—]\s*", text[end1:start2]) and first <= last:
            begin = next(d[0] for d in dates if d[2] == first)
            return Period(text[begin:end2].strip(), first.isoformat(), last.isoformat(), (begin, end2))
    return None


def _end_of(m: re.Match[str], year: int | None) -> Deadline:
    """'udgangen af juni 2027', 'udgangen af 2. kvartal 2027', 'udgangen af 2027', 'årets udgang'."""
    if m.group("month"):
        day = month_end(int(m.group("my")), MONTHS[m.group("month").lower()])
    elif m.group("qy"):
        day = month_end(int(m.group("qy")), _quarter(m) * 3)
    elif m.group("year"):
        day = dt.date(int(m.group("year")), 12, 31)
    elif year is not None:
        day = dt.date(year, 12, 31)
    else:
        return Deadline(m.group(0), None, uncertain=True)
    return Deadline(m.group(0), day.isoformat())


def _day_and_month(text: str, meeting: dt.date | None) -> Deadline | None:
    """'senest 15/1', 'inden 1. marts' (no year: the first such day after the meeting) and 'senest d. 1/4 2027'."""
    eoy = _EOY.search(text)
    if eoy:  # 'EOY 2026': the end of the year, as corporate minutes write it
        return Deadline(eoy.group(0), f"{eoy.group('year')}-12-31")
    m = _DAY_MONTH_DEADLINE.search(text)
    if m is None or (m.group(0).lower().startswith("til") and re.search(r"\bfra\b", text[max(0, m.start() - 30):m.start()],
                                                                     re.IGNORECASE)):
        return None  # 'fra d. 1/2 til d. 1/5': the end of a span, not a deadline
    month = int(m.group("mnum")) if m.group("mnum") else MONTHS[m.group("mname").lower().rstrip(".")]
    day = int(m.group("day"))
    try:
        if m.group("year"):
            date = dt.date(int(m.group("year")), month, day)
        elif meeting is not None:
            date = dt.date(meeting.year, month, day)
            if date <= meeting:
                date = dt.date(meeting.year + 1, month, day)
        else:  # the year follows from the meeting, when the caller knows it
            return Deadline(m.group(0).strip(" ."), None, uncertain=True)
    except ValueError:
        return None
    return Deadline(m.group(0).strip(" ."), date.isoformat())


def _before_christmas(m: re.Match[str], meeting: dt.date | None) -> Deadline | None:
    """'inden jul' (Christmas Eve is a fixed day): 23 December of the year written, else the next after the meeting."""
    if m.group("year"):
        year = int(m.group("year"))
    elif meeting is not None:
        year = meeting.year if meeting < dt.date(meeting.year, 12, 23) else meeting.year + 1
    else:  # the year follows from the meeting, when the caller knows it
        return Deadline(m.group(0).strip(), None, uncertain=True)
    return Deadline(m.group(0).strip(), f"{year}-12-23")


def _week(m: re.Match[str], year: int | None, meeting: dt.date | None) -> Deadline | None:
    """'uge 6' after a meeting in October 2026 is week 6 of 2027."""
    week = int(m.group("week"))
    if not 1 <= week <= 53:
        return None
    week_year = int(m.group("year")) if m.group("year") else year
    if not m.group("year") and meeting is not None:
        week_year = meeting.year + (week < meeting.isocalendar()[1])
    if week_year is None:  # the year follows from the meeting, when the caller knows it
        return Deadline(m.group(0).strip(), None, uncertain=True)
    text = m.group(0).strip()
    return Deadline(text if m.group("year") else f"{text} {week_year}", None, uncertain=True)


def parse_deadline(text: str, *, year: int | None = None, meeting: dt.date | None = None) -> Deadline | None:
    """The deadline stated in a text (see the module docstring); ``year`` or ``meeting`` place 'inden
    årets udgang' and 'uge 6' in time. Words that state a period are not read as a deadline."""
    year = year or (meeting.year if meeting else None)
    period = find_period(text, meeting)
    if period is not None:
        a, b = period.span
        text = text[:a] + " " * (b - a) + text[b:]
    m = _END_OF.search(text)
    if m:
        return _end_of(m, year)
    m = _END_OF_MONTH.search(text)
    if m and meeting is not None:  # 'inden udgangen af januar': the first such month end after the meeting
        month = MONTHS[m.group("month").lower().rstrip(".")]
        day = month_end(meeting.year, month)
        day = day if day > meeting else month_end(meeting.year + 1, month)
        return Deadline(m.group(0).strip(), day.isoformat())
    m = _YEAR_END.search(text)
    if m:
        return Deadline(m.group(0), f"{year}-12-31") if year else Deadline(m.group(0), None, uncertain=True)
    dates = find_dates(text)
    leading = [d for d in dates if d[3] in _DEADLINE_LEADS or _BEFORE_EVENT.search(text[max(0, d[0] - 50):d[0]])]
    if leading:
        start, end, d, _ = leading[-1] if len(leading) > 1 and _is_field(text) else leading[0]
        return Deadline(text[start:end].strip(), d.isoformat())
    found = _day_and_month(text, meeting)
    if found is not None:
        return found
    m = _NEXT_MEETING.search(text)
    if m:
        return Deadline(m.group(0), None, uncertain=True)
    m = _BEFORE_CHRISTMAS.search(text)
    if m and (found := _before_christmas(m, meeting)):
        return found
    m = _WEEK.search(text)
    if m and (found := _week(m, year, meeting)):
        return found
    for m in _VAGUE.finditer(text):
        if _is_vague_deadline(m, text):
            return Deadline(m.group(0).strip(), None, uncertain=True)
    m = _VAGUE_NO_YEAR.search(text)
    if m and meeting is not None and (found := _next_vague(m, meeting)):
        return found
    if m and meeting is None and not re.fullmatch(r"i", m.group("pre").lower()):
        # 'inden sommerferien', 'ultimo marts': a time the meeting places, as 'inden jul' (the caller knows it)
        return Deadline(m.group(0).strip(), None, uncertain=True)
    if len(dates) == 1 and _is_field(text) and dates[0][3] not in ("fra", "pr.", "per") \
            and not re.search(r"kraft\s*$|\bfra\b.*\btil\s+(?:den\s+|d\.\s*)?$", text[:dates[0][0]]):
        # a start date is no deadline, nor the end of a span ('fra d. 1/2 til d. 1/5 2027')
        start, end, d, _ = dates[0]
        return Deadline(text[start:end].strip(), d.isoformat())
    return _first_time(text) or _ongoing(text)


def _first_time(text: str) -> Deadline | None:
    """'halvårligt, første gang pr. 30. september 2027': a recurring duty's first time is its deadline."""
    first = _FIRST_TIME.search(text)
    dates = find_dates(text[first.end():first.end() + 40]) if first is not None else []
    if first is None or not dates or text[first.end():first.end() + dates[0][0]].strip(" ,"):
        return None
    return Deadline(text[first.start():first.end() + dates[0][1]].strip(), dates[0][2].isoformat())


def _ongoing(text: str) -> Deadline | None:
    m = ONGOING_RE.search(text)
    return Deadline(m.group(0), None, ongoing=True) if m else None


_FIRST_TIME = re.compile(r"\bførste\s+gang\s+(?:senest\s+)?(?:pr\.|per|den|d\.|inden|til)?\s*", re.IGNORECASE)


# a month or season without its year ('inden udgangen af januar', 'i april', 'inden sommerferien'): read only
# when the meeting is known, as the first one after it
_END_OF_MONTH = re.compile(r"(?:inden|senest|ved|før|til)\s+(?:den\s+)?(?:udgangen|slutningen)\s+af\s+(?P<month>"
                           + MONTH_PATTERN + r")\b(?!\.?\s*(?:19|20)\d\d)", re.IGNORECASE)
_SEASON_MONTH = {"foråret": 4, "påsken": 4, "påske": 4, "sommeren": 7, "sommerferien": 7, "efteråret": 10,
                 "efterårsferien": 10, "vinterferien": 2}
_VAGUE_NO_YEAR = re.compile(
    r"\b(?P<pre>i\s+løbet\s+af|senest\s+i|inden|før|primo|medio|ultimo|i)\s+(?:(?P<season>"
    + "|".join(_SEASON_MONTH) + r")|(?P<month>" + MONTH_PATTERN + r"))\b(?!\.?\s*(?:19|20)?\d\d)", re.IGNORECASE)


def _next_vague(m: re.Match[str], meeting: dt.date) -> Deadline | None:
    """'i april' at a meeting in October 2026 -> 'i april 2027' (uncertain: a month or a season, not a day)."""
    word = (m.group("season") or m.group("month")).lower().rstrip(".")
    month = _SEASON_MONTH.get(word) or MONTHS.get(word)
    if month is None:
        return None
    year = meeting.year if month > meeting.month else meeting.year + 1
    return Deadline(f"{m.group(0).strip()} {year}", None, uncertain=True)


def read_when(text: str, *, year: int | None = None, meeting: dt.date | None = None) -> When:
    """The deadline or the period of a text (a period wins: it never also becomes a deadline)."""
    period = find_period(text, meeting)
    if period is not None:
        return When(None, period)
    return When(parse_deadline(text, year=year, meeting=meeting), None)


def _is_vague_deadline(m: re.Match[str], text: str) -> bool:
    """'primo 2027', 'i februar 2027', '3. kvt. 2027', 'inden sommerferien 2027' - not a bare 'fra 2024'."""
    prefix = re.sub(r"\s+", " ", (m.group("pre") or "").lower())
    if m.group("season") or m.group("quarter") or prefix in _FIRM_PREFIXES:
        return True
    return _is_field(text) and m.group(0).strip() == text.strip(" .:")


def _is_field(text: str) -> bool:
    """A short text: a table cell or a 'Frist:' field, where a bare date is the deadline."""
    return len(text) < 60
