"""Figures a report states in sentences rather than under a label, read from Danish sentence structure.

* counts: 'Selskabet har 282 boliger', 'afdelingen med 120 familieboliger', 'Skovbo (72 boliger)',
  'stod 6 boliger tomme', '5 boliger har stået ledige', 'har 4 afdelinger';
* what the dispositionsfond covered: 'Dispositionsfonden har i 2025 dækket 0,38 mio. kr. af lejetabet';
* the organisation's own target for savings: 'har som mål, at opsparingen skal være mindst 45.000 kr. pr. bolig';
* last year's value of a figure just read: '... mod 4,9 kr. sidste år', '(2024: 16,90 mio. kr.)',
  '(248.000 kr. i 2024)', '(året før: 3)', 'steg fra 4.180 kr. til ...';
* a stated change: 'Fraflytningen steg med 1,9 procentpoint', 'faldt med 12 %' (last year's value follows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from service.review.numbers import Quantity, find_quantities

_NUMBER = r"(?P<n>\d{1,3}(?:\.\d{3})+|\d{1,6})"
_HOMES = r"(?:almene\s+)?(?:familie|ungdoms|ældre|pleje|senior|handicap)?(?:boliger|lejligheder)"
_VACANT = r"(?:tomme|ledige|uudlejede|ikke\s+udlejede)"
# a point in time between a verb and its count ('ved udgangen af 2025', 'pr. 31.12.2025', 'i 2025')
_AT_DATE = (r"(?:(?:ved\s+(?:udgangen|slutningen)\s+af|ultimo|i|pr\.?)\s+(?:\d{1,2}\.\s?\d{1,2}\.\s?)?(?:19|20)\d\d,?\s+"
            r"|pr\.?\s+\d{1,2}\.\s?\d{1,2}\.\s+)?")
COUNT_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # '4 af de 36 boliger stod tomme': the part is the count
    ("ledige_boliger", re.compile(r"(?<![\d.,])" + _NUMBER + r"\s+af\s+(?:de|vores|afdelingens)\s+\d[\d.]*\s+" + _HOMES
                                  + r"\s+(?:har\s+)?(?:stået\s+|stod\s+|var\s+|er\s+|står\s+)?" + _VACANT + r"\b",
                                  re.IGNORECASE)),
    ("ledige_boliger", re.compile(r"(?<![\d.,])(?<!af de )(?<!af vores )" + _NUMBER + r"\s+(?:\w+\s+)?" + _HOMES
                                  + r"\s+(?:har\s+)?(?:stået\s+|stod\s+|var\s+|er\s+|står\s+)?" + _VACANT + r"\b",
                                  re.IGNORECASE)),
    ("ledige_boliger", re.compile(r"\b(?:stod|står|var|er|blev)\s+(?:der\s+)?" + _NUMBER + r"\s+" + _HOMES + r"\s+"
                                  + _VACANT + r"\b", re.IGNORECASE)),
    # 'har 96 boliger', 'med sine 148 familieboliger' (a possessive between the verb and the count)
    ("antal_boliger", re.compile(r"(?:\b(?:har|med|omfatter|rummer|ejer|driver|administrerer|består\s+af|i\s+alt)|\()\s*"
                                 r"(?:sine\s+|sin\s+|deres\s+|vores\s+)?(?:i\s+alt\s+|tilsammen\s+)?"
                                 + _NUMBER + r"\s+" + _HOMES + r"\b(?!\s+(?:\w+\s+)?" + _VACANT + r")",
                                 re.IGNORECASE)),
    # 'Ungdomsboligerne, 56 i alt, er ...': the count set off after its subject
    ("antal_boliger", re.compile(r"\b(?:familie|ungdoms|ældre|pleje|senior|handicap)?(?:boligerne|lejlighederne)\s*,\s*"
                                 r"(?:i\s+alt\s+)?" + _NUMBER + r"(?:\s+i\s+alt)?\s*,", re.IGNORECASE)),
    # '64 boliger, hvoraf 5 stod tomme': the vacant part of a count just given
    ("ledige_boliger", re.compile(r"\b(?:hvoraf|heraf)\s+" + _NUMBER + r"\s+(?:\w+\s+)?(?:har\s+)?(?:stået|stod|står|var|er)\s+"
                                  + _VACANT + r"\b", re.IGNORECASE)),
    # 'De 40 ældreboliger på Solhøj er ...': a count with the definite article opening a sentence
    ("antal_boliger", re.compile(r"^\s*(?:De|Alle|Alle\s+de)\s+" + _NUMBER + r"\s+" + _HOMES + r"\b(?!\s+(?:\w+\s+)?"
                                 + _VACANT + r")")),
    # 'Afd. 4 Engtoften - 212 familieboliger', 'Kærhuset: 40 ældreboliger': a caption naming a part and its homes
    ("antal_boliger", re.compile(r"^(?![^!?]*[.!?]\s+[A-ZÆØÅ])[^!?]{2,60}?(?:\s[-–]|[:,])\s*" + _NUMBER + r"\s+" + _HOMES + r"\s*$", re.IGNORECASE)),
    # '338 boliger i 4 afdelinger': the afdelinger the homes are spread over
    ("antal_afdelinger", re.compile(r"(?<!ledige )(?<!tomme )(?<=\d\s)" + _HOMES + r"\s+(?:fordelt\s+)?(?:i|på)\s+"
                                    + _NUMBER + r"\s+(?:bolig)?afdelinger\b", re.IGNORECASE)),
    # 'kommunen anviste 17': lettings by municipal referral as the municipality's act
    ("udlejning_kommunal_anvisning", re.compile(r"\bkommunen\s+(?:har\s+)?(?:anviste|anvist|anviser)\s+(?:i\s+alt\s+)?"
                                                + _NUMBER + r"\b(?!\s*(?:%|pct|procent|kr))", re.IGNORECASE)),
    # 'havde ved udgangen af 2025 5 afdelinger', 'har pr. 31.12.2025 7 afdelinger': a date between the verb and the count
    ("antal_afdelinger", re.compile(r"\b(?:har|havde|med|omfatter|omfattede|ejer|ejede|driver|drev|administrerer"
                                    r"|består\s+af|bestod\s+af|fordelt\s+på|i\s+alt)\s+" + _AT_DATE
                                    + _NUMBER
                                    + r"\s+(?:bolig)?afdelinger\b", re.IGNORECASE)),
)
_COVERED_RE = re.compile(r"(?:dispositionsfond\w*|\bfonden)\s+(?:har\s+|har\s+også\s+)?(?:\w+\s+){0,4}?dæk(?:ket|ker|kede)\b"
                         r"|dæk(?:ket|kes|kede)\s+(?:\w+\s+){0,3}?(?:af|fra)\s+dispositionsfond", re.IGNORECASE)
# 'at beløbet ikke må komme under 4.000 kr. pr. lejemålsenhed': the board's floor for the disposable part
_FLOOR_RE = re.compile(r"\bikke\s+(?:må|skal|bør)\s+(?:komme|falde|gå|være)\s+(?:ned\s+)?under\s+(?=\d)", re.IGNORECASE)
_TARGET_RE = re.compile(r"\b(?:mål|målet|målsætning\w*|måltal\w*|minimum|mindst|nedre\s+grænse|ønsket\s+niveau)\b",
                        re.IGNORECASE)
_SAVINGS_RE = re.compile(r"opspar|henlæg", re.IGNORECASE)
# words that make a value approximate ('knap 10 procent', 'godt 860 kr.', 'ca. 3,4 mio. kr.'): the value is still the value
_ABOUT = r"(?:(?:kun|knap|godt|ca\.|cirka|omkring|næsten|lidt\s+over|lidt\s+under|små|over|under)\s+)?"
_PREVIOUS_AFTER_RES = (
    # '... mod 4,9 kr. sidste år', 'mod 2 året før', 'mod 66 i 2024'
    # 'mod et underskud på 0,40 mio. kr. året før': last year's result named by its kind (a deficit is negative)
    re.compile(r"^\s*(?:[^\d,;()]{0,25}?)\b(?:mod|imod|mens\s+det\s+var|sammenlignet\s+med)\s+"
               r"(?P<kind>(?:et\s+)?(?:(?:lille|mindre|stort|større)\s+)?(?:overskud|underskud)\s+på\s+)?" + _ABOUT +
               r"(?P<q>[-−(]?\d[\d.,]*\)?)[^,;()]{0,25}?\b(?:året\s+før|sidste\s+år|i\s+fjor|(?:i|for)\s+(?:19|20)\d\d"
               r"|det\s+foregående\s+år|forrige\s+år|(?:ved\s+)?(?:udgangen|slutningen)\s+af\s+(?:19|20)\d\d)",
               re.IGNORECASE),
    # ', en kraftig stigning fra 6,1 kr. i 2024', ', kun lidt over sidste års 4.390 kr.'
    re.compile(r"^\s*(?:[^\d;()]{0,40}?)\b(?:(?:stigning|fald|op|ned|steget|faldet)\s+fra\s+(?P<q>[-−(]?\d[\d.,]*\)?)"
               r"[^,;()]{0,20}?\b(?:i\s+(?:19|20)\d\d|året\s+før|sidste\s+år)"
               r"|(?:sidste|forrige)\s+års\s+(?P<q2>[-−(]?\d[\d.,]*\)?))", re.IGNORECASE),
    # 'stod 3 boliger tomme, mens der året før var 0 ledige': the year named first, then the verb and the value
    re.compile(r"^\s*(?:[^\d;()]{0,30}?)\bmens\s+(?:der\s+|det\s+|den\s+|de\s+)?(?:året\s+før|sidste\s+år|i\s+fjor|i\s+(?:19|20)\d\d)\s+"
               r"(?:var|stod|blev|lå|udgjorde)\s+(?:der\s+)?(?:kun\s+)?(?P<q>[-−(]?\d[\d.,]*\)?)", re.IGNORECASE),
    # '1.020 kr. pr. m², og i 2024 var den 990 kr.', '4 ledige ved årets udgang; året før var der 1': a clause of its
    # own that names last year first, then the verb and a pronoun or 'der' for the figure, then its value
    re.compile(r"^\s*(?:[^\d;()]{0,30}?)(?:[,;]\s*(?:(?:og|men)\s+)?|\s+(?:og|men)\s+)(?:i\s+(?:19|20)\d\d|året\s+før"
               r"|sidste\s+år|i\s+fjor|(?:i\s+)?(?:det\s+)?(?:foregående|forrige)\s+år)\s*,?\s+(?:var|stod|lå|udgjorde|havde)"
               r"\s+(?:(?:den|det|de|der|tallet|beløbet|niveauet|satsen)\s+)?(?:(?:kun|på)\s+)?" + _ABOUT
               # the value ends its clause ('... var der 3 fraflytninger' counts something else)
               + r"(?P<q>[-−(]?\d[\d.,]*\)?)(?=(?:\s*(?:kr\.?|%|pct\.?|procent|mio\.?|t\.\s?kr\.?|tkr\.?|pr\.|m²|m2"
               r"|bolig(?:er)?|lejemålsenhed(?:er)?|ledige|tomme))*\s*(?:[.,;)]|$))", re.IGNORECASE),
    # ', næsten en fordobling fra 7,5 kr.': a change named by a noun in apposition, from last year's value
    re.compile(r"^\s*,\s*(?:\w+\s+){0,2}?(?:en|et)\s+(?:\w+\s+)?(?:stigning|fald|fordobling|halvering|forøgelse|reduktion)"
               r"\s+fra\s+(?P<q>[-−(]?\d[\d.,]*\)?)", re.IGNORECASE),
    # '(2024: 16,90 mio. kr.)', '(året før: 3)', '(sidste år 4.720 kr.)'; also after the year of the figure
    # '12.400 t.kr. (primo: 12.950 t.kr.)', '(ultimo 2024: 3,1)': the balance at the start of the year is last year's
    re.compile(r"^\s*(?:i\s+(?:19|20)\d\d\s*)?(?:[^\d,;()]{0,25}?)\(\s*(?:(?:(?:ultimo|udgangen\s+af)\s+)?(?:19|20)\d\d"
               r"|året\s+før|sidste\s+år|i\s+fjor|primo(?:\s+(?:19|20)\d\d)?)\s*:?\s*"
               r"(?P<q>[-−]?\d[\d.,]*)", re.IGNORECASE),
    # '(248.000 kr. i 2024)', '(2 året før)', '5,4 kr. i 2025 (3,1 kr. i 2024)'
    re.compile(r"^\s*(?:i\s+(?:19|20)\d\d\s*)?(?:[^\d,;()]{0,25}?)\(\s*(?P<q>[-−]?\d[\d.,]*)[^()]{0,20}?\b(?:i\s+(?:19|20)\d\d|året\s+før"
               r"|sidste\s+år)\s*\)", re.IGNORECASE),
)
# 'faldt til 96.000 kr. fra 118.000 kr.': after a verb of change and 'til', 'fra' gives the value before the change
_CHANGED_TO_RE = re.compile(r"\b(?:steg|steget|stiger|vokset|voksede|øget|øgedes|faldt|faldet|falder|reduceret|mindsket"
                            r"|gået\s+(?:op|ned)|gik\s+(?:op|ned))\s+(?:\w+\s+){0,2}?til\s+\S", re.IGNORECASE)
_FROM_AFTER_RE = re.compile(r"^\s*fra\s+(?P<q>[-−(]?\d[\d.,]*\)?)")
# 'et lille overskud på 84.000 kr.', 'et underskud på 1,2 mio. kr.': the year's result stated in a sentence
_RESULT_RE = re.compile(r"(?<!akkumuleret )(?<!akkumulerede )(?<!overført )(?<!opsamlet )\b(?P<kind>overskud|underskud)"
                        r"\s+(?:på\s+|i\s+alt\s+)?(?=[-−(]?\d)", re.IGNORECASE)
_COMPARED_WITH_RE = re.compile(r"\b(?:mod|end|fra|sammenlignet\s+med)\s+(?:et\s+|året\s+før(?:s)?\s+)?"
                               r"(?:(?:lille|mindre|stort|større)\s+)?$", re.IGNORECASE)
_CHANGE_RE = re.compile(r"\b(?P<verb>steg|steget|stiger|øget|øgedes|voksede|vokset|faldt|faldet|falder|reduceret"
                        r"|mindsket|gik\s+(?:op|ned))\s+(?:\w+\s+){0,2}?med\s+(?P<q>\(?[-−÷]?\s?\d[\d.,]*\)?\s*(?:procentpoint|pct\.?"
                        r"[\s-]?point|%[\s-]?point|%|pct\.?|procent|kr\.?|mio\.?\s*kr\.?)?)", re.IGNORECASE)
_FALLING = ("faldt", "faldet", "falder", "reduceret", "mindsket", "gik ned")


@dataclass(frozen=True)
class SentenceFigure:
    """A figure read from a sentence by one of the rules above, with the span of its value."""

    figure_type: str
    value: float
    unit: str
    text: str
    start: int
    end: int


# 'til Nordby Kommune · 7 afdelinger, 1.166 boliger, 1.214 lejemålsenheder': a line of counts under a title, its
# parts set off by '·' or '|', each part only counts ('N afdelinger, N boliger og N ...')
_COUNT_ITEM = r"\d{1,3}(?:\.\d{3})+\s+[a-zæøå]+|\d{1,6}\s+[a-zæøå]+"
_COUNT_PART_RE = re.compile(r"^\s*(?:" + _COUNT_ITEM + r")(?:\s*,\s*(?:" + _COUNT_ITEM + r"))*(?:\s+og\s+(?:" + _COUNT_ITEM
                            + r"))?\s*$")
_COUNTED_WORDS = {"afdelinger": "antal_afdelinger", "boligafdelinger": "antal_afdelinger", "boliger": "antal_boliger"}


# 'omfatter 6 afdelinger, 334 boliger og 341 lejemål i alt': a verb of having, then a list of counts
_VERB_COUNT_LIST_RE = re.compile(r"\b(?:har|omfatter|ejer|rummer|består\s+af|med)\s+(?P<list>(?:" + _COUNT_ITEM + r")"
                                 r"(?:\s*,\s*(?:" + _COUNT_ITEM + r"))*\s+og\s+(?:" + _COUNT_ITEM + r"))", re.IGNORECASE)


def _verb_count_list(sentence: str) -> list[SentenceFigure]:
    out: list[SentenceFigure] = []
    for lm in _VERB_COUNT_LIST_RE.finditer(sentence):
        items = list(re.finditer(r"(?P<n>\d{1,3}(?:\.\d{3})+|\d{1,6})\s+(?P<w>[a-zæøå]+)", lm.group("list")))
        words = {m.group("w") for m in items}
        for m in items:
            name = _COUNTED_WORDS.get(m.group("w"))
            if name is None and m.group("w") == "lejemål" and "boliger" in words:
                name = "antal_lejemaalsenheder"  # counted besides the homes: every unit let, also erhverv
            if name:
                start = lm.start("list") + m.start("n")
                out.append(SentenceFigure(name, float(m.group("n").replace(".", "")), "antal", m.group("n"), start,
                                          start + len(m.group("n"))))
    return out


def _count_list(sentence: str) -> list[SentenceFigure]:
    out: list[SentenceFigure] = _verb_count_list(sentence)
    pos = 0
    for part in re.split(r"([·•|])", sentence):
        if part not in ("·", "•", "|") and _COUNT_PART_RE.match(part) and re.search(r"[·•|]", sentence):
            for m in re.finditer(r"(?P<n>\d{1,3}(?:\.\d{3})+|\d{1,6})\s+(?P<w>[a-zæøå]+)", part):
                name = _COUNTED_WORDS.get(m.group("w"))
                if name:
                    out.append(SentenceFigure(name, float(m.group("n").replace(".", "")), "antal", m.group("n"),
                                              pos + m.start("n"), pos + m.end("n")))
        pos += len(part)
    return out


def counts(sentence: str) -> list[SentenceFigure]:
    """Counts of homes, vacant homes and afdelinger stated in a sentence."""
    out: list[SentenceFigure] = _count_list(sentence)
    taken: list[tuple[int, int]] = [(f.start, f.end) for f in out]
    for name, pattern in COUNT_RULES:
        for m in pattern.finditer(sentence):
            if any(a <= m.start("n") < b for a, b in taken):
                continue
            taken.append((m.start("n"), m.end("n")))
            out.append(SentenceFigure(name, float(m.group("n").replace(".", "")), "antal", m.group("n"),
                                      m.start("n"), m.end("n")))
    return out


def _money_after(sentence: str, pos: int) -> Quantity | None:
    for q in find_quantities(sentence):
        if q.start >= pos and q.unit == "kr" and not q.in_range:
            return q
    return None


def covered_by_dispositionsfond(sentence: str) -> SentenceFigure | None:
    """'Dispositionsfonden har dækket 0,38 mio. kr. af lejetabet' -> the amount the fund covered."""
    m = _COVERED_RE.search(sentence)
    if not m:
        return None
    # 'fonden har dækket ...' names the dispositionsfond when the sentence or clause before has named it
    fund = m.group(0).lower().startswith("dispositionsfond") or (
        m.group(0).lower().startswith("fonden") and "dispositionsfond" in sentence[:m.start()].lower())
    q = _money_after(sentence, m.end()) if fund else None
    if q is None:  # '0,52 mio. kr. blev dækket af dispositionsfonden'
        before = [q for q in find_quantities(sentence[:m.start()]) if q.unit == "kr"]
        q = before[-1] if before else None
    if q is None:
        return None
    return SentenceFigure("daekket_af_dispositionsfond", q.value, "kr", q.text, q.start, q.end)


def savings_target(sentence: str) -> SentenceFigure | None:
    """'mål, at opsparingen skal være mindst 45.000 kr. pr. bolig' -> the organisation's own target."""
    target = _TARGET_RE.search(sentence)
    if not target or not _SAVINGS_RE.search(sentence):
        return None
    quantities = find_quantities(sentence)
    per_home = bool(re.search(r"pr\.?\s*bolig", sentence[:target.start()], re.IGNORECASE))
    for q in quantities:
        if q.start > target.start() and q.unit in ("kr/bolig", "kr") and q.value >= 1000:
            # 'Opsparingen pr. bolig er 38.400 kr., og målet er 45.000 kr.': the unit was given with the figure
            if q.unit == "kr" and not per_home and not re.match(r"\s*pr\.?\s*bolig", sentence[q.end:], re.IGNORECASE):
                continue
            return SentenceFigure("opsparing_maal_pr_bolig", q.value, "kr/bolig", q.text, q.start, q.end)
    return None


# 'Den langsigtede plan for afd. 2 omfatter nye altaner og tag for i alt 31,20 mio. kr.': the works a plan holds
_PLAN_RE = re.compile(r"\b(?:vedligeholdelsesplan\w*|langtidsplan\w*|langsigtede\s+(?:vedligeholdelses)?plan\w*"
                      r"|plan(?:en)?\s+for\s+afd)", re.IGNORECASE)
# '... for i alt 31,20 mio. kr.', 'rummer arbejder for 14,6 mio. kr.': the plan's total, or the works it holds
_PLAN_TOTAL_RE = re.compile(r"\b(?:for|på|til)\s+i\s+alt\s+(?:ca\.\s*)?(?=\d)|\banslået\s+til\s+(?=\d)"
                            r"|\b(?:arbejder|udgifter|investeringer|projekter)\s+for\s+(?:i\s+alt\s+)?(?:ca\.\s*)?(?=\d)",
                            re.IGNORECASE)


def planned_works(sentence: str) -> SentenceFigure | None:
    """'Vedligeholdelsesplanen ... for i alt 31,20 mio. kr.' -> the planned works (an amount of at least 100.000 kr.)."""
    plan = _PLAN_RE.search(sentence)
    total = _PLAN_TOTAL_RE.search(sentence, plan.end()) if plan else None
    q = _money_after(sentence, total.end()) if total else None
    if q is None or total is None or q.start != total.end() or q.value < 100_000:
        return None
    return SentenceFigure("planlagte_arbejder", q.value, "kr", q.text, q.start, q.end)


def floor_per_unit(sentence: str) -> SentenceFigure | None:
    """'ikke må komme under 4.000 kr. pr. lejemålsenhed' -> the board's minimum per lejemålsenhed."""
    m = _FLOOR_RE.search(sentence)
    found = [q for q in find_quantities(sentence[m.end():])] if m else []
    if m is None or not found or found[0].start != 0 or found[0].unit != "kr/lejemålsenhed":
        return None
    q = found[0]
    return SentenceFigure("dispositionsfond_minimum_pr_lejemaal", q.value, q.unit, q.text, m.end(), m.end() + q.end)


# 'negativ med', 'minus', 'et (lille) underskud på': words that make the value after them negative
_NEGATIVE_WORDS_RE = re.compile(r"\b(?:negativ\w*\s+(?:med|på)|minus|underskud(?:det)?\s+(?:på|af|var|er|blev))\s*"
                                r"(?:ca\.\s*|godt\s+|knap\s+)?$", re.IGNORECASE)


def signed(sentence: str, q: Quantity) -> Quantity:
    """'Arbejdskapitalen er negativ med 0,3 mio. kr.': a value made negative by the words before it."""
    if q.value > 0 and _NEGATIVE_WORDS_RE.search(sentence[max(0, q.start - 30):q.start]):
        return replace(q, value=-q.value)
    return q


def result_stated(sentence: str) -> SentenceFigure | None:
    """'viser et overskud på 84.000 kr.' -> the year's result (negative for 'underskud')."""
    # 'et resultat på ÷0,18 mio. kr. mod et overskud på 0,35 mio. kr. året før': a result after 'mod' is the one
    # compared with (last year's), not this year's
    m = next((m for m in _RESULT_RE.finditer(sentence) if not _COMPARED_WITH_RE.search(sentence[:m.start()])), None)
    if not m:
        return None
    q = _money_after(sentence, m.end())
    if q is None or q.start - m.end() > 3:
        return None
    value = -abs(q.value) if m.group("kind").lower() == "underskud" else q.value
    return SentenceFigure("aarets_resultat", value, "kr", q.text, q.start, q.end)


def previous_after(sentence: str, end: int) -> Quantity | None:
    """Last year's value written right after a figure's value (see the module docstring), else None."""
    rest = sentence[end:end + 90]
    patterns: tuple[re.Pattern[str], ...] = _PREVIOUS_AFTER_RES
    if _CHANGED_TO_RE.search(sentence[max(0, end - 80):end]):
        patterns = (_FROM_AFTER_RE, *patterns)
    for pattern in patterns:
        m = pattern.match(rest)
        if m:
            group = "q" if m.groupdict().get("q") is not None else "q2"
            found = find_quantities(rest[m.start(group):], cell=True)
            if found and not found[0].is_year_like:
                q = found[0]
                deficit = "underskud" in (m.groupdict().get("kind") or "").lower() and q.value > 0
                return Quantity(-q.value if deficit else q.value, q.unit, q.text, end + m.start(group) + q.start,
                                end + m.start(group) + q.end, decimals=q.decimals)
    return None


# ', hvilket er 0,08 mio. kr. mere end året før': the change from last year, stated after the value
_DELTA_AFTER_RE = re.compile(r"^(?:\s+(?:ultimo|primo|ved\s+udgangen\s+af|i|pr\.)\s+(?:19|20)\d\d)?[\s,]*(?:hvilket|som|det)\s+(?:er|var)\s+(?P<q>\d[\d.,]*\s*(?:mio\.?\s*kr\.?|kr\.?|procentpoint"
                             r"|%|pct\.?|procent)?)\s+(?P<dir>mere|mindre|højere|lavere|flere|færre)\s+end\s+"
                             r"(?:året\s+før|sidste\s+år|i\s+fjor|(?:i\s+)?(?:19|20)\d\d)", re.IGNORECASE)


# '13,8 pct. (+2,4 pct.-point)', '4.880 kr. (+3,1 %)': a signed change in parentheses right after the value
_PAREN_CHANGE_RE = re.compile(r"^\s*\(\s*(?P<sign>[+−-])\s?(?P<n>\d[\d.,]*)\s*(?P<unit>pct\.?[\s-]*point|procentpoint|%[\s-]*point"
                              r"|pp\b|%|pct\.?|procent|kr\.?)?\s*(?:i\s+forhold\s+til\s+(?:2\d{3}|sidste\s+år|året\s+før))?\)",
                              re.IGNORECASE)


_NOUN_CHANGE_RE = re.compile(r"\.?\s*,\s*(?:en|et)\s+(?P<dir>stigning|forøgelse|øgning|fald|nedgang|reduktion)\s+på\s+"
                             r"(?P<q>\d[\d.,]*\s*(?:procentpoint|pct\.?[\s-]?point|%[\s-]?point|%|pct\.?|procent"
                             r"|kr\.?|mio\.?\s*kr\.?)?)", re.IGNORECASE)


def change_after(sentence: str, end: int) -> tuple[float, str] | None:
    """(signed change, unit) stated right after a value: 'hvilket er 0,08 mio. kr. mere end året før', '(+2,4
    pct.-point)'."""
    p = _PAREN_CHANGE_RE.match(sentence[end:end + 60])
    if p is not None:
        found = find_quantities(p.group("n"), cell=True)
        unit = (p.group("unit") or "").lower()
        kind = "pp" if "point" in unit or unit == "pp" else "%" if unit.startswith(("%", "pct", "procent")) else (
            "kr" if unit.startswith("kr") else "")
        if found:
            return (-1.0 if p.group("sign") in "−-" else 1.0) * found[0].value, kind
    n = _NOUN_CHANGE_RE.match(sentence[end:end + 60])
    found = find_quantities(n.group("q")) if n else []
    if n is not None and found:  # '17,3 pct., en stigning på 4,7 procentpoint': the change as a noun after it
        sign = -1.0 if n.group("dir").lower() in ("fald", "nedgang", "reduktion") else 1.0
        return sign * found[0].value, found[0].unit or ""
    m = _DELTA_AFTER_RE.match(sentence[end:end + 90])
    found = find_quantities(m.group("q")) if m else []
    if m is None or not found:
        return None
    sign = -1.0 if m.group("dir").lower() in ("mindre", "lavere", "færre") else 1.0
    unit = "pp" if "procentpoint" in m.group("q").lower() else found[0].unit
    return sign * found[0].value, unit


def stated_change(sentence: str, start: int) -> tuple[float, str] | None:
    """(signed change, unit) stated after a label: 'steg med 1,9 procentpoint' -> (1.9, 'pp')."""
    m = _CHANGE_RE.search(sentence, start)
    if not m or m.start() - start > 60:
        return None
    found = find_quantities(m.group("q"))
    if not found:
        return None
    q = found[0]
    sign = -1.0 if m.group("verb").lower() in _FALLING else 1.0
    # 'faldt med (1,25) mio. kr.', 'faldt med ÷0,3 mio. kr.': the verb gives the direction, a minus only repeats it
    return sign * abs(q.value), q.unit or ""
