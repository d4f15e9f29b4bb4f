"""Danish number parsing: '1.234,5', '-1.234', '(1.234)', '−5', 't.kr.', 'mio. kr.', '%', '‰', 'kr./m²'.

Values come back in base units: amounts in kroner (t.kr. and mio. kr. are scaled), percentages as
percent (12,5 % -> 12.5), per mille as per mille. Units are the names the sample manifest uses:
'kr', 'kr/m2', 'kr/bolig', 'kr/lejemålsenhed', '%', '‰', plus 'pp' (procentpoint), 'm2', 'antal',
and '' for a bare number. Ranges ('10-12 %') are marked, footnote markers ('912*', '912¹') skipped.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

RANGE_DASHES = "-−–‒﹣－"  # a minus, or a dash between two numbers: '10-12'
MINUS_SIGNS = RANGE_DASHES + "÷"  # ÷ is the Danish accountant's minus ('÷ 236') and never a range
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
# thousands separators: a full stop, a non-breaking, a narrow non-breaking or a thin space ("1 234 567")
_SEP = ".\u00a0\u202f\u2009"
# A raw numeric token: digits with dots/commas/non-breaking spaces inside. It is validated as a
# whole afterwards, so '31.12.2025' and '3.2' are rejected instead of read as two numbers.
_NUMBER_RE = re.compile(
    r"(?P<open>\(\s*)?"
    r"(?P<sign>[" + MINUS_SIGNS + r"+]\s?)?"
    r"(?P<num>\d+(?:[.,\u00a0\u202f\u2009]\d+)*)"
)
_VALID_RE = re.compile(r"^(?:\d{1,3}(?:[" + _SEP + r"]\d{3})+|\d+)(?:,\d+)?$")
_FOOTNOTE_RE = re.compile(r"(?:\*+|[" + _SUPERSCRIPTS + r"]+)(?![\wæøå])")
_PCT_RE = re.compile(
    r"\s?(?P<pct>procentpoint|pct\.?[\s-]?point|%[\s-]?point|%|pct\.?|procent|‰|promille)(?![\wæøå])?",
    re.IGNORECASE,
)
_SCALE_RE = re.compile(
    r"\s?(?P<scale>"
    r"t\.\s?kr\.?|tkr\.?|tusind(?:e)?\s+kr(?:oner|\.)?|1\.000\s+kr\.?"
    r"|mio\.?\s?kr\.?|million(?:er)?\s+kr(?:oner|\.)?|mill\.\s?kr\.?|mio\.?"
    r"|mia\.?\s?kr\.?|milliard(?:er)?\s+kr(?:oner|\.)?|mia\.?"
    r"|kr\.?|kroner|dkk"
    r")(?![a-zæøå])",
    re.IGNORECASE,
)
_PER_RE = re.compile(
    r"\s?(?:/|pr\.?|per)\s?(?P<per>"
    r"m²|m2|kvm\.?|kvadratmeter"
    r"|lejemålsenhed(?:er)?|lejemaalsenhed(?:er)?|lme\.?|lejemål"
    r"|bolig(?:er)?|lejlighed(?:er)?|enhed)(?![\wæøå])",
    re.IGNORECASE,
)
_AREA_RE = re.compile(r"\s?(?:m²|m2|kvm\.?)(?![\wæøå])", re.IGNORECASE)
_COUNT_RE = re.compile(r"\s?(?:stk\.|boliger|bolig|lejemål|lejligheder|afdelinger|udlejninger)(?![\wæøå])",
                       re.IGNORECASE)
# Numbers right after these words are references (§ 59, stk. 2, afd. 3, side 4), not quantities.
_REF_BEFORE_RE = re.compile(
    r"(?:§§?|\bstk\.|\bnr\.|\bafd\.|\bafdeling|\bafdelingsnr\.?|\bkapitel|\bkap\.|\bpkt\.|\bside|\bs\.|\bbilag"
    r"|\baftale|\bpunkt|\bhver|\buge|\blbk\.?(?: nr\.)?|\bbek\.?(?: nr\.)?|\blov nr\.)\s*$",
    re.IGNORECASE,
)

# 'mellem 10 og 12', 'fra 10 til 12' open a range - but not 'steget fra 9,6 til 14,8', which is a change.
_RANGE_OPEN = (r"(?:\bmellem|(?<!steget )(?<!steg )(?<!faldet )(?<!faldt )(?<!øget )(?<!gået )(?<!ændret )"
               r"(?<!hævet )(?<!sænket )(?<!reduceret )(?<!forøget )(?<!vokset )\bfra)")
SCALES = {"t": 1_000.0, "mio": 1_000_000.0, "mia": 1_000_000_000.0, "kr": 1.0}
PER_UNITS = {"m2": "kr/m2", "bolig": "kr/bolig", "lejemaalsenhed": "kr/lejemålsenhed"}
MONEY_UNITS = frozenset({"kr", "kr/m2", "kr/bolig", "kr/lejemålsenhed"})


@dataclass(frozen=True)
class Quantity:
    """A number found in text with its unit and where it was."""

    value: float
    unit: str  # 'kr', 'kr/m2', 'kr/bolig', 'kr/lejemålsenhed', '%', '‰', 'pp', 'm2', 'antal' or ''
    text: str  # the matched text, e.g. '19,9 mio. kr.'
    start: int = 0
    end: int = 0
    in_range: bool = False  # part of a range like '10-12 %' or 'mellem 95 og 103 %'
    bare_int: bool = False  # an integer without separators, sign or unit (could be a year)
    decimals: int = 0

    @property
    def is_year_like(self) -> bool:
        """A bare integer that reads as a year (1900-2100)."""
        return self.bare_int and 1900 <= self.value <= 2100


def parse_plain(raw: str) -> float | None:
    """The value of a Danish number without unit ('1.234,5' -> 1234.5); None if it is not one."""
    raw = raw.strip()
    if not _VALID_RE.match(raw):
        return None
    for sep in _SEP:
        raw = raw.replace(sep, "")
    return float(raw.replace(",", "."))


def _scale_key(scale: str) -> str:
    s = scale.lower().replace(" ", "")
    if s.startswith(("t.", "tkr", "tusind", "1.000")):
        return "t"
    if s.startswith(("mio", "million", "mill")):
        return "mio"
    if s.startswith(("mia", "milliard")):
        return "mia"
    return "kr"


def _per_key(per: str) -> str:
    p = per.lower()
    if p.startswith(("m", "kvm", "kvadrat")):
        return "m2"
    if p.startswith(("lejem", "lme", "enhed")):
        return "lejemaalsenhed" if not p.startswith("lejemål") or "enhed" in p or p == "lejemål" else "lejemaalsenhed"
    return "bolig"


def read_unit(text: str, pos: int) -> tuple[str, float, int]:
    """Unit, multiplier and end position of a unit written at text[pos:] right after a number."""
    m = _FOOTNOTE_RE.match(text, pos)
    if m:
        pos = m.end()
    m = _PCT_RE.match(text, pos)
    if m:
        sign = m.group("pct").lower()
        if "point" in sign:
            return "pp", 1.0, m.end()
        return ("‰" if sign in ("‰", "promille") else "%"), 1.0, m.end()
    m = _SCALE_RE.match(text, pos)
    if m:
        key = _scale_key(m.group("scale"))
        end = m.end()
        if key != "kr" and not re.search(r"kr|dkk", m.group("scale"), re.IGNORECASE):
            cur = re.match(r"\s?(?:kr\.?|kroner|dkk)(?![a-zæøå])", text[end:], re.IGNORECASE)
            if cur:
                end += cur.end()
        unit = "kr"
        per = _PER_RE.match(text, end)
        if per:
            unit, end = PER_UNITS[_per_key(per.group("per"))], per.end()
        return unit, SCALES[key], end
    m = _AREA_RE.match(text, pos)
    if m:
        return "m2", 1.0, m.end()
    m = _COUNT_RE.match(text, pos)
    if m:
        return "antal", 1.0, m.end()
    return "", 1.0, pos


_MONTH_AFTER_RE = re.compile(r"\.\s?(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|"
                             r"december)\b", re.IGNORECASE)


# 'pr. 31/12', 'den 1/2', 'pr. 31/12-24': a day and a month written with a slash, perhaps with the year after a dash
_DAY_MONTH_RE = re.compile(r"(?:[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])(?:[-./](?:(?:19|20)\d\d|\d\d))?(?![\d,]\d|\d)")
# 'boligerne på 2. sal', '3. kvartal', '1. og 2. sal': a number with a full stop before a word in lower case is an
# ordinal (a sentence ending in a number goes on with a capital); units after the number are not words here
_ORDINAL_RE = re.compile(r"\d{1,2}\.\s(?!(?:pct|procent|kr|mio|mia|t\.|tkr|promille|m²|m2)\b)(?=[a-zæøå])")


def _not_an_amount(text: str, m: re.Match[str], prev: str, dash_after_digit: bool) -> bool:
    """True for numbers that are part of something else: 'm2', '§59', a clock time, a date, '3-værelses', a reference."""
    if prev and (prev.isalpha() or prev in "§/_" or (prev.isdigit() and not dash_after_digit)):
        return True  # 'm2', 'CO2', '§59', 'kr./m2'
    num_end = m.end("num")
    if re.match(r"[.,:]\d", text[num_end:num_end + 2]) or _MONTH_AFTER_RE.match(text[num_end:num_end + 14]):
        return True  # '14.30' clock time remnants, '1. juni' dates
    if _ORDINAL_RE.match(text, m.start("num")):
        return True  # 'på 2. sal', '3. kvartal': an ordinal
    if re.match(r"-[a-zæøå]", text[num_end:num_end + 2], re.IGNORECASE):
        return True  # '3-værelses', '4-rums'
    return bool(_REF_BEFORE_RE.search(text[max(0, m.start() - 18):m.start()]))


def _range_after(text: str, before: str, end: int, *, cell: bool = False) -> bool:
    """True when the number opens or closes a range ('10-12', 'mellem 10 og 12 %'); in a table row a number
    followed by a space and a signed number ('16.900 -212') is two cells."""
    if re.match(r"\s?[" + RANGE_DASHES + r"]\s?\d", text[end:]) and not (cell and re.match(r"\s[-−–]\d", text[end:])):
        return True
    if re.search(_RANGE_OPEN + r"\s+$", before.lower()) and re.match(r"\s?(?:og|til)\s+\d", text[end:]):
        return True
    return bool(re.search(r"\d[\s%]*(?:og|til)\s+$", before) and re.search(
        _RANGE_OPEN + r"\s+[\d.,]+\s?%?\s*(?:og|til)\s+$", before.lower()))


def _parentheses(text: str, m: re.Match[str], unit: str, mult: float, *, cell: bool, end: int
                 ) -> tuple[bool, bool, int, int, str, float]:
    """(negative, paren, start, end, unit, multiplier) for a number opened by '(': '(236)' in a cell, '(1,2 mio. kr.)'
    or '(0,21) mio. kr.' (the unit after the bracket) is a negative amount; '(2019)' or '(12 boliger)' is a year or
    a note in brackets."""
    raw, sign = m.group("num"), (m.group("sign") or "").strip()
    plain_start = m.start("sign") if sign else m.start("num")
    close = re.match(r"\s?\)", text[end:])
    if not close:
        return False, False, plain_start, end, unit, mult
    end += close.end()
    if unit == "":  # '(0,21) mio. kr.': the unit after the bracket
        after_unit, after_mult, after_end = read_unit(text, end)
        if after_unit in MONEY_UNITS:
            unit, mult, end = after_unit, after_mult, after_end
    year_like = unit == "" and re.fullmatch(r"(?:19|20)\d\d", raw) is not None
    strict = cell or any(c in raw for c in ".,") or unit in MONEY_UNITS
    if strict and not year_like and unit not in ("%", "‰", "antal", "m2", "pp"):
        return True, True, m.start(), end, unit, mult
    end = end - 1 if text[end - 1] == ")" else end
    return False, False, plain_start, len(text[:end].rstrip()), unit, mult


def find_quantities(text: str, *, cell: bool = False) -> list[Quantity]:
    """Every number in a text with its unit, in order; dates, § and afdeling numbers and 'm2' are skipped.

    cell=True reads accounting parentheses strictly: '(236)' alone in a table cell is -236.
    """
    out: list[Quantity] = []
    pos = 0
    while True:
        m = _NUMBER_RE.search(text, pos)
        if not m:
            break
        pos = m.end()
        raw, num_start, num_end = m.group("num"), m.start("num"), m.end("num")
        before = text[:m.start()]
        prev = before[-1:] if before else ""
        dash_after_digit = bool(m.group("sign")) and prev.isdigit()
        date = _DAY_MONTH_RE.match(text, m.start("num"))
        if date:  # 'pr. 31/12', 'den 1/2 2027', 'pr. 31/12-24': a date, with the year written after it
            pos = max(pos, date.end())
            continue
        if _not_an_amount(text, m, prev, dash_after_digit):
            continue
        value = parse_plain(raw)
        if value is None:
            continue  # '31.12.2025', '3.2', '1.2.3'
        sign = (m.group("sign") or "").strip()
        negative = bool(sign) and sign in MINUS_SIGNS
        start = m.start("sign") if sign else num_start
        in_range = False
        # a table row '16.900 -212': a space before the sign and none after it is a minus, not a range
        row_minus = cell and re.search(r"\s$", text[:m.start("sign")]) is not None and m.group("sign") == sign
        if negative and sign != "÷" and not row_minus and (dash_after_digit
                                                            or re.search(r"\d\s?$", text[:m.start("sign")])):
            negative, in_range, start = False, True, num_start  # '10-12': a range, not a minus
            if out:
                out[-1] = replace(out[-1], in_range=True)
        # '412-' in a table cell: the accountant's trailing minus (the dash is followed by a gap, not by a number)
        # (a line 'Årets resultat 412-' of a table whose cells the text layer lost: the minus ends the line)
        trailing = not sign and (
            (cell and re.match(r"[" + MINUS_SIGNS + r"](?=\s|\||$)(?!\s*(?:og|eller|til)\b)", text[num_end:]) is not None)
            or re.match(r"[-−]\s*$", text[num_end:]) is not None)
        if trailing:
            negative, num_end = True, num_end + 1
        unit, mult, end = read_unit(text, num_end)
        in_range = in_range or (not trailing and _range_after(text, before, end, cell=cell))
        paren = False
        if m.group("open"):
            is_negative, paren, start, end, unit, mult = _parentheses(text, m, unit, mult, cell=cell, end=end)
            negative = negative or is_negative
        decimals = len(raw.split(",")[1]) if "," in raw else 0
        val = value * mult * (-1 if negative else 1)
        bare = unit == "" and not any(c in raw for c in "., \u00a0\u202f\u2009") and not sign and not paren
        out.append(Quantity(value=round(val, 6), unit=unit, text=text[start:end].strip(), start=start, end=end,
                            in_range=in_range, bare_int=bare, decimals=decimals))
        pos = max(pos, end)
    return out


def parse_number(text: str) -> Quantity | None:
    """Parse a cell or short text that holds one number ('1.234,5', '(1.234)', '19,9 mio. kr.', '14,8 %')."""
    found = find_quantities(text.strip(), cell=True)
    return found[0] if found else None


def header_scale(text: str) -> str | None:
    """The scale a table header announces: 't' for '(t.kr.)' or '1.000 kr.', 'mio', 'mia', else None."""
    low = text.lower()
    if re.search(r"\bt\.\s?kr|\btkr\b|1\.000\s*kr|tusind\s*kr", low):
        return "t"
    if re.search(r"\bmio\.?\s?kr|\bmillioner\s*kr", low):
        return "mio"
    if re.search(r"\bmia\.?\s?kr|\bmilliarder\s*kr", low):
        return "mia"
    return None


def apply_scale(q: Quantity, scale: str | None) -> Quantity:
    """Apply a header scale to a bare number ('1.234' under '(t.kr.)' -> 1.234.000 kr)."""
    if not scale or q.unit != "":
        return q
    return replace(q, value=round(q.value * SCALES[scale], 6), unit="kr", bare_int=False)


def format_number(value: float, decimals: int | None = None) -> str:
    """Danish formatting: 1234.5 -> '1.234,5' (decimals chosen from the value when not given)."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else (1 if abs(round(value, 1) - value) < 1e-9 else 2)
    text = f"{abs(value):,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return ("-" if value < 0 and text.strip("0,.") else "") + text


def _millions(value: float) -> str:
    """An amount of a million kroner or more, never rounded: in millions with the fewest decimals (at least one)
    that give the amount to the krone ('1.920 t.kr.' -> '1,92 mio. kr.', '3.450 t.kr.' -> '3,45 mio. kr.'), else in
    whole kroner ('1.234.567 kr.')."""
    for decimals in (1, 2, 3):
        if abs(round(value / 1_000_000, decimals) * 1_000_000 - value) < 0.5:
            return f"{format_number(value / 1_000_000, decimals)} mio. kr."
    return f"{format_number(round(value), 0)} kr."


def format_quantity(value: float | None, unit: str, decimals: int | None = None) -> str:
    """A value with its unit in Danish: 19900000 kr -> '19,9 mio. kr.', 14.8 % -> '14,8 %'.

    decimals fixes the number of decimals of per-unit values (as printed: '3,0 kr./m²').
    """
    if value is None:
        return "–"
    if unit == "kr":
        if abs(value) >= 1_000_000:
            return _millions(value)
        return f"{format_number(round(value), 0)} kr."
    if unit == "kr/m2":
        return f"{format_number(value, decimals)} kr./m²"
    if unit == "kr/bolig":
        return f"{format_number(round(value), 0)} kr. pr. bolig"
    if unit == "kr/lejemålsenhed":
        return f"{format_number(round(value), 0)} kr. pr. lejemålsenhed"
    if unit in ("%", "‰"):
        return f"{format_number(value, decimals)} {unit}"
    if unit == "pp":
        return f"{format_number(value)} procentpoint"
    if unit == "bool":
        return "ja" if value else "nej"
    if unit == "m2":
        return f"{format_number(value)} m²"
    return format_number(value)


# -- thousands written with a plain space ('48 200', '1 234 567') ---------------------------------------------------
# A plain space is also what separates two cells of a table whose text layer lost its cell marks ('96 1 034' is 96
# homes and a rent of 1.034). Whether a space joins digit groups is therefore decided by the document's convention
# and, in a row, by the number of values its columns expect.
# a joined group is written with the Danish full stop, which every reader of numbers knows (a space of any kind is
# collapsed where sentences are split)
GROUP_SPACE = "."
# a gap that may separate thousands: a digit before, a group of exactly three digits after
_GAP_RE = re.compile(r"(?<=\d) (?=\d{3}(?![\d]|[.,]\d{3}))")
# a whole number written with spaces: a head of one to three digits, then groups of three, perhaps decimals
_SPACED_RUN_RE = re.compile(r"(?<![\w.,])\d{1,3}(?: \d{3})+(?:,\d+)?(?![\d]|[.,]\d)")
# the convention: a head of one or two digits ('48 200', '1 088') cannot be two cells of three-digit numbers
_SPACED_STRICT_RE = re.compile(r"(?<![\w.,])\d{1,2}(?: \d{3})+(?:,\d+)?(?![\d]|[.,]\d)")
_DOTTED_RE = re.compile(r"(?<![\w.,])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d]|\.\d)")
_MAX_GROUPINGS = 4096


# a unit right after a number: '1 088 boliger', '25 000 kr.' are one number (two cells would not share one unit)
_UNIT_AFTER_RE = re.compile(r"\s?(?:kr\b|kroner|t\.\s?kr|tkr|mio|mia|boliger|lejemål|lejligheder|m²|m2|%|pct|procent)",
                            re.IGNORECASE)


def spaces_group_thousands(texts: list[str]) -> bool:
    """True when a document writes thousands with a plain space ('48 200 kr.') rather than a full stop
    ('48.200 kr.'): the numbers whose space can only be a separator outnumber those written with a full stop. A
    space is surely a separator inside one cell of a marked row ('| 14 820 |') and in a number with its unit after
    it ('1 088 boliger'); a row of a PDF table ('84 955 3 12,2') may be two cells and proves nothing."""
    spaced = 0
    for text in texts:
        if "|" in text:
            spaced += sum(len(_SPACED_RUN_RE.findall(cell)) for cell in text.split("|"))
        else:
            spaced += sum(1 for m in _SPACED_STRICT_RE.finditer(text) if _UNIT_AFTER_RE.match(text, m.end()))
    dotted = sum(len(_DOTTED_RE.findall(t)) for t in texts)
    return spaced > dotted


def join_groups(text: str) -> str:
    """Every number written with plain spaces between its digit groups joined ('i alt 1 088 boliger'): for a cell
    of a table, or running text of a document that writes thousands that way."""
    return _SPACED_RUN_RE.sub(lambda m: m.group(0).replace(" ", GROUP_SPACE), text)


def join_cells(text: str) -> str:
    """Numbers written with spaces joined inside each cell of a row whose cells are marked ('Dispositionsfond | 14 820
    | 15 105'): a space inside a cell never separates two values."""
    return "|".join(join_groups(cell) for cell in text.split("|"))


def best_grouping(text: str, count: int, score: Callable[[list[Quantity]], float | None]) -> str | None:
    """The row text with the spaces that separate thousands joined, chosen so the row holds `count` values (one per
    column) and they fit their columns best (score; None for a reading that does not fit at all). None when no
    reading gives `count` values, or the row has no gap that could be a separator."""
    gaps = [m.start() for m in _GAP_RE.finditer(text)]
    plain = [q for q in find_quantities(text, cell=True) if not q.in_range]
    joins = len(plain) - count
    if not gaps or joins <= 0 or joins > len(gaps) or math.comb(len(gaps), joins) > _MAX_GROUPINGS:
        return None
    best: tuple[float, int, str] | None = None
    for chosen in itertools.combinations(gaps, joins):
        chars = list(text)
        for pos in chosen:
            chars[pos] = GROUP_SPACE
        candidate = "".join(chars)
        values = [q for q in find_quantities(candidate, cell=True) if not q.in_range]
        if len(values) != count:
            continue
        fit = score(values)
        if fit is None:
            continue
        # on a tie, the reading whose joined heads are short: '48 200' is one number more surely than '480 200'
        heads = -sum(1 for pos in chosen if re.search(r"(?<![\d.])\d{3}$", candidate[:pos]))
        if best is None or (fit, heads) > best[:2]:
            best = (fit, heads, candidate)
    return best[2] if best else None
