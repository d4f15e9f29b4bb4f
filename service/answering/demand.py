"""What a question demands of the sentences that answer it, and whether a composed answer meets that.

The composer quotes the sentences closest to a question, and close is not the same as answering: a question
about an organisation's number of staff is close to every sentence of that organisation's report, one about
next year's theme is close to any sentence naming next year. Before an extractive answer is shown, the gate in
``answer.py`` checks what the question's wording demands, read deterministically from the structure of
Danish questions (never from particular phrases):

* **the thing asked about** (the focus): the noun phrase after 'hvor mange/meget/stor ...', after
  'hvad/hvem er/var/bliver [den/det] ...', after 'hvad koster' or in 'hvad skal ... være'; with the noun
  after 'for' when there is one ('formand for afdelingsbestyrelsen'). A sentence of the answer must name it
  (a compound or inflection counts; so does the heading the sentence stands under: a table row under
  'Udlejning og husleje' is about husleje). A measure word ('aldersgrænsen', 'sagsbehandlingstiden',
  'beløbet', 'fristen') is no thing: it asks for a figure, and its 'for'-phrase is the focus;
* **a figure** ('hvor mange/meget/stor', a measure word): that sentence gives a figure;
* **a price** ('hvad koster'): that sentence gives an amount of money;
* **a period** (a year or a month: 'i 2030', 'fra 1. januar 2029', '1. december 2026', 'okt 2024'): that
  sentence, or the document it comes from, lies in it;
* **a comparison** ('hvilken kommune har flest ...'): a sentence makes it (a superlative);
* **a limit** ('den laveste husleje en bolig må have'): a sentence states one.

``core_question`` also reads off the polite frame around a question ('Kan du fortælle mig, hvor ...') and
the filler particles ('egentlig', 'mon'): words that are no content of the question and, counted as terms,
made a well-answered question look unlike its sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from knowledge.glossary import load_glossary
from knowledge.text import content_terms, fold
from service.answering.constraints import PeriodConstraint, period_constraints, year_spans
from service.answering.evidence import term_set
from service.answering.signals import (
    FILLER_WORDS,
    has_verb,
    head_matches,
    mentions_date,
    mentions_figure,
    states_bound,
    typo_of,
)

# -- the core of a question ----------------------------------------------------------------------------------
# A polite frame around the real question: a request to tell or explain ('kan du fortælle mig, ...', 'vil du
# forklare ...'), or a statement of need ('jeg skal bruge en forklaring på ...'). Task requests never get here.
_FRAME_RE = re.compile(
    r"^\s*(?:(?:kan|kunne|vil|ville|gider) (?:du|i) (?:(?:lige|venligst|evt\.?|godt|please|vaere (?:soed|venlig)) )*"
    r"(?:at )?(?:hjaelpe (?:mig|os) (?:med )?(?:at )?)?"
    r"(?:fortaelle|forklare|sige|oplyse|beskrive|forstaa|svare paa|redegoere for|afklare|opsummere)(?: (?:mig|os))?"
    r"(?: (?:om|paa|lidt om))?"
    r"|^\s*jeg (?:skal bruge|mangler|vil gerne have|vil gerne ha|har brug for|soeger) (?:lige )?"
    r"(?:en forklaring|et overblik|et svar|svar|hjaelp|en afklaring|viden)(?: (?:paa|over|om|til|af))?)"
    r"[\s,:-]*"
)
# Discourse particles that carry no content ('hvad er en styringsrapport egentlig?'): signals.FILLER_WORDS.
_FILLERS = FILLER_WORDS
_WORD_RE = re.compile(r"\S+")


def core_question(question: str) -> str:
    """The question without a polite frame of telling or explaining and without filler particles (the
    words of the question otherwise as written)."""
    words = [m.group(0) for m in _WORD_RE.finditer(question)]
    folded = fold(question)
    m = _FRAME_RE.match(folded)
    if m and m.end() < len(folded):
        skip = len(folded[:m.end()].split())
        rest = words[skip:]
        if rest:
            words = rest
    # A dropped particle leaves its punctuation: 'egentlig?' ends the question, which later readings rely on.
    kept: list[str] = []
    for w in words:
        if re.sub(r"[^\w]", "", fold(w)) not in _FILLERS:
            kept.append(w)
        elif (mark := re.sub(r"\w", "", w)) and kept:
            kept[-1] += mark
    core = " ".join(kept).strip()
    return core if core else question


# Verbs that hold a question together without saying what it is about ('hvor kommer pengene fra', 'hvad sker
# der'), and the modal verbs, a closed class of Danish grammar ('hvem må bo der', 'bør vi'); as terms they only
# dilute what a question shares with its sources.
_LIGHT_VERBS = """
    kommer kom komme går gik gå får fik få gør gjorde gøre sker skete ske hedder hed findes fandtes står stod
    ligger lå bliver blev blive havde have været være
    må måtte bør burde skulle skullet kunne kunnet ville villet tør turde
""".split()


@lru_cache(maxsize=1)
def light_terms() -> frozenset[str]:
    """The stems of the light verbs (see ``_LIGHT_VERBS``)."""
    return frozenset(content_terms(" ".join(_LIGHT_VERBS)) + content_terms(fold(" ".join(_LIGHT_VERBS))))


# The word that makes 'hvor' ask for a degree ('hvor stor', 'hvor lang tid'): it asks, it is not asked about.
# Only adjectives that sources use as plain words ('12 store familieboliger'); 'mange', 'meget', 'ofte' are left as
# they are, and so are 'høj' and 'lav', whose comparatives in a source ('28 pct. højere') do speak to the question.
_DEGREE_RE = re.compile(r"\bhvor\s+(stor[te]?|lang[te]?(?:\s+tid)?|gammel|gamle|dyr[te]?|bred[te]?)\b")


def degree_terms(question: str) -> set[str]:
    """The terms of the degree word after 'hvor' ('stor' in 'hvor stor er dispositionsfonden'): no content of
    the question, though a sentence that happens to say 'store familieboliger' would match it."""
    return {t for m in _DEGREE_RE.finditer(fold(question)) for t in term_set(m.group(1))}


# -- what a question demands ----------------------------------------------------------------------------------
_DETERMINERS = frozenset("den det de en et ens sin sit sine hans hendes deres jeres vores min mit mine din dit dine".split())
_AUX = frozenset("""er var bliver blev vaere vaeret har havde fik faar kommer kom gaar skal skulle kan kunne maa maatte
    vil ville boer staar ligger gaelder""".split())
_PRONOUNS = frozenset("der man vi jeg du i han hun dem os de".split())
# Words that end a noun phrase: prepositions, conjunctions, verbs of the question.
_BREAK = frozenset("""i paa til fra for af om med hos ved efter over under mellem uden ifoelge inden mod blandt
    og eller men at som hvis naar hvor hvad hvem hvilke hvilken hvilket da end
    typisk normalt generelt gennemsnitligt cirka ca omkring ofte altid aldrig nu stadig fortsat allerede mindst
    hoejst praecis samlet""".split()) | _AUX | _PRONOUNS  # and sentence adverbs ('... i ungdomsboliger typisk')
_ORG_GENERIC = frozenset("""boligselskab boligselskabet boligforening boligforeningen almene almen boliger bolig
    boligorganisation boligorganisationen selskab selskabet forening foreningen af og i kommune kommunen afdeling
    afd""".split())
# Nouns that name no thing of their own: the question is about the rest of its words.
_GENERIC_HEADS = frozenset("""regel regler reglen reglerne krav kravet kravene forskel forskellen formaal formaalet
    betydning betydningen mening meningen indhold indholdet status ting tingene mulighed muligheden muligheder
    mulighederne forhold forholdet forholdene svar svaret proces processen procedure proceduren ordning ordningen
    problem problemet situation situationen sag sagen noget nogen nogle hvad kommune kommunen kommuner kommunerne
    del delen dele delene""".split())
# Measure words: they ask for a figure, a date or a duration ('aldersgrænsen', 'sagsbehandlingstiden', 'fristen').
# A compound ending in one counts ('tidsfristen', 'aldersgrænsen'); 'tal' only alone ('effektivitetstal' is a concept).
_MEASURE_RE = re.compile(
    r"^(?:\w*(?:graense|tid|frist|beloeb|pris|sats|takst|rente|stoerrelse|niveau|antal|andel|procent|maengde|dato)"
    r"(?:en|et|n|t|r|er|erne|ne|s)?|tal(?:let|lene)?|sum(?:men)?)$")
_COUNT_RE = re.compile(r"\bhvor (?:mange|meget|stor[te]?|hoej[te]?|lav[te]?|gammel|gamle|dyr[te]?)\b")
_DURATION_ASKED_RE = re.compile(r"\bhvor (?:lang(?:t|e)? tid|laenge)\b(?:.*?\btil at ([a-z]{4,}))?")
# 'hvornår blev X stiftet?': the participle that ends the question names the event whose date is asked.
_WHEN_DONE_RE = re.compile(r"^hvornaar (?:blev|bliver|er) .+? ([a-z]{4,}(?:et|t))\W*$")
_IDENTITY_RE = re.compile(r"^(?:hvad|hvem) (?:er|var|bliver|blev)\b")
_PRICE_RE = re.compile(
    r"\b(?:hvad|hvor meget) (?:koster|kostede|kommer \w+ til at koste|tjener|tjente)\b"
    r"|\bhvad (?:fik|faar|modtog|modtager|betalte|betaler) .{0,40}?\bi (?=(?:\w*tilskud|\w*stoette|loen|vederlag|"
    r"honorar|\w*bidrag|renter|husleje|leje)\b)")
_SHALL_BE_RE = re.compile(r"^hvad (?:skal|vil|kan) (.+?) (?:vaere|blive|koste|udgoere)\b")
_SUPERLATIVE_RE = re.compile(
    r"\b(?:flest|faerrest|mest|stoerst\w*|hoejest\w*|lavest\w*|laengst\w*|kortest\w*|bedst\w*|daarligst\w*|"
    r"dyrest\w*|billigst\w*|mindste)\b")
_WHICH_RE = re.compile(r"\b(?:hvilk\w+|hvem|hvor)\b")
_MODAL_RE = re.compile(r"\b(?:maa|skal|kan|tilladt|lov til|krav)\b")
_MONEY_RE = re.compile(r"\d[\d.,]*\s*(?:kr\b|kroner|mio\b|mia\b|t\.\s?kr|tkr)|\bkr\.\s*\d", re.IGNORECASE)
# A date that opens or closes a period ('fra 1. januar 2029', 'inden den 1. juli 2027'), right before the month.
_DATE_PERIOD_RE = re.compile(r"\b(fra|efter|siden|foer|inden)\s+(?:den\s+)?\d{1,2}\.?\s*$")
_BARE_YEAR_RE = re.compile(r"(\b(?:frem til|frem mod|indtil|til og med|op til|senest i|senest)\s+)?(?<![\d.,/-])((?:19|20)\d\d)(?![\d/-])")
_DATE_OPS = {"fra": ">=", "siden": ">=", "efter": ">", "foer": "<", "inden": "<"}
_MONTHS = ("januar februar marts april maj juni juli august september oktober november december").split()
_MONTH_YEAR_RE = re.compile(
    r"\b(jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)[a-z]*\.?\s+((?:19|20)\d\d)\b")


@dataclass(frozen=True)
class Demand:
    """What a question's wording asks of the sentence that answers it (see the module docstring)."""

    focus: tuple[str, ...] = ()  # words that name the thing asked about (each is required)
    figure: str = ""  # 'count' (a number), 'measure' or 'value' (a number, a date or a duration), '' for none
    money: bool = False  # a price
    periods: tuple[PeriodConstraint, ...] = ()
    months: tuple[tuple[int, int], ...] = ()  # (month 1-12, year)
    comparison: bool = False  # a superlative across several things
    compared: str = ""  # what is compared ('husleje' in 'hvilken afdeling har den højeste husleje')
    limit: bool = False  # the least or most the rules allow

    @property
    def empty(self) -> bool:
        return not (self.focus or self.figure or self.money or self.periods or self.months or self.comparison
                    or self.limit)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:-[a-z]+)*", text)


def _indefinite(words: list[str], start: int) -> bool:
    """True if the noun phrase from ``start`` opens with 'en' or 'et': a kind of thing ('hvad er en
    fraflytningsprocent'), asked to be defined, not a value asked for."""
    i = start
    while i < len(words) and words[i] in _AUX:
        i += 1
    return i < len(words) and words[i] in ("en", "et")


def _phrase(words: list[str], start: int) -> tuple[list[str], int]:
    """The noun phrase from ``start`` (determiners and a measure word skipped): its content words and where
    it ends."""
    i = start
    while i < len(words) and (words[i] in _DETERMINERS or words[i] in _PRONOUNS or words[i] in _AUX):
        i += 1
    phrase: list[str] = []
    while i < len(words) and words[i] not in _BREAK and words[i] not in _DETERMINERS and len(phrase) < 4:
        phrase.append(words[i])
        i += 1
    return phrase, i


def _head(phrase: list[str]) -> str:
    """The head of a Danish noun phrase: its last word that is no number ('afd. 1 lindehaven' -> 'lindehaven')."""
    for w in reversed(phrase):
        if not w.isdigit() and w not in ("afd", "nr", "stk", "pr", "m2") and term_set(w):
            return w
    return ""


def _complement(words: list[str], end: int) -> str:
    """The head of a 'for'-phrase right after a noun phrase ('formand for afdelingsbestyrelsen'); not a year."""
    if end < len(words) and words[end] == "for" and end + 1 < len(words) and words[end + 1] != "at":
        phrase, _ = _phrase(words, end + 1)
        head = _head(phrase)
        if head and not re.fullmatch(r"(?:19|20)\d\d", head):
            return head
    return ""


# A predicate, not a thing: 'hvem er ansvarlig/omfattet', 'hvad er tilladt/gældende' ask who or what is so.
_PREDICATE_RE = re.compile(r"(?:lig|ligt|lige|ig|igt|ige|isk|iske|ende|bar|bart|bare)$|^(?:tilladt|omfattet|"
                           r"berettiget|forpligtet|paalagt|paakraevet|kompetent|korrekt|rigtigt|forkert|muligt|"
                           r"noedvendigt|gratis|relevant|tilstraekkeligt|godkendt|undtaget|fritaget)$")


def _focus(words: list[str], start: int) -> tuple[tuple[str, ...], bool]:
    """The focus words of the noun phrase from ``start`` and whether its head is a measure word."""
    phrase, end = _phrase(words, start)
    if len(phrase) == 1 and _PREDICATE_RE.search(phrase[0]):  # alone: a predicate; before a noun: its adjective
        return (), False
    head = _head(phrase)
    measure = bool(head) and bool(_MEASURE_RE.match(head)) and not _indefinite(words, start)
    if not head or head in _GENERIC_HEADS or measure:
        if measure or head in ("del", "dele", "delen", "andel", "antal"):
            # 'hvor stor en del af de ledige familieboliger', 'hvad er aldersgrænsen for plejeboliger'
            nxt = end + 1 if end < len(words) and words[end] in ("af", "for", "paa", "i") else end
            inner, _ = _phrase(words, nxt) if nxt != end else ([], end)
            inner_head = _head(inner)
            return ((inner_head,) if inner_head and inner_head not in _GENERIC_HEADS else ()), measure
        return (), measure
    out = [head]
    complement = _complement(words, end)
    if complement and complement not in _GENERIC_HEADS:
        out.append(complement)
    return tuple(out), measure


def read_demand(question: str) -> Demand:
    """What ``question`` demands of the sentence that answers it (see the module docstring)."""
    low = fold(core_question(question))
    words = _words(low)
    focus: tuple[str, ...] = ()
    figure = ""
    money = False
    count = _COUNT_RE.search(low)
    price = _PRICE_RE.search(low)
    shall = _SHALL_BE_RE.match(low)
    when = _WHEN_DONE_RE.match(low)
    duration = _DURATION_ASKED_RE.search(low)
    if duration:  # 'hvor lang tid har kommunen til at behandle ...': the time of that action
        figure = "measure"
        focus = (duration.group(1),) if duration.group(1) else ()
    elif count:
        focus, _ = _focus(words, len(_words(low[:count.end()])))
        figure = "count"
    elif price:
        after = _words(low[price.end():])
        # 'hvad koster det at leje ...' asks a price; 'hvad koster det kommunen, når ...' asks who bears a cost.
        money = not (len(after) > 1 and after[0] == "det" and after[1] != "at")
        if after and after[0] not in ("det", "at"):
            focus, _ = _focus(after, 0)
    elif when:  # 'hvornår blev X stiftet': the date of that event
        focus, figure = (when.group(1),), "measure"
    elif shall:  # 'hvad skal lejen være': a value
        focus, _ = _focus(_words(shall.group(1)), 0)
        figure = "value"
    elif _IDENTITY_RE.match(low):
        focus, measure = _focus(words, 2)
        figure = "measure" if measure else ""
    sup = _SUPERLATIVE_RE.search(low)
    superlative = sup is not None
    compared = _head(_phrase(_words(low[sup.end():]), 0)[0]) if sup else ""
    modal = bool(_MODAL_RE.search(low))
    periods = list(period_constraints(question))
    months: list[tuple[int, int]] = []
    for mm in _MONTH_YEAR_RE.finditer(low):
        since = _DATE_PERIOD_RE.search(low[:mm.start()])
        if since:  # 'fra 1. januar 2029': a period from that year on, not that month
            periods.append(PeriodConstraint(_DATE_OPS[since.group(1)], int(mm.group(2)), int(mm.group(2))))
        else:
            months.append((next(i for i, m in enumerate(_MONTHS) if m.startswith(mm.group(1))) + 1, int(mm.group(2))))
    named_years = {c.year for c in periods} | {y for _, y in months}
    for m in _BARE_YEAR_RE.finditer(re.sub(r"§+\s*\d+\w*", " ", fold(question))):
        year = int(m.group(2))
        if year not in named_years:  # 'frem til 2026' reaches up to that year; a bare year is that year
            periods.append(PeriodConstraint("<", year + 1, year + 1) if m.group(1) else PeriodConstraint("=", year, year))
    return Demand(
        focus=focus, figure=figure, money=money, periods=tuple(dict.fromkeys(periods)), months=tuple(months),
        comparison=superlative and not modal and bool(_WHICH_RE.search(low)), compared=compared,
        limit=superlative and modal,
    )


@dataclass
class Quoted:
    """A sentence the answer would quote, with what the source says about where it stands."""

    text: str
    heading: str = ""  # the chunk's heading path
    years: tuple[int, ...] = ()  # the year of the document it comes from, when known
    chunk_text: str = ""  # the text of the chunk it stands in
    org: str = ""  # the organisation whose document it is (a sentence of its report is about it)

    @property
    def table_years(self) -> list[tuple[int, int]]:
        """The years a table row stands under: a row of figures without a verb ('Restancer 441 t.kr. 587 t.kr.')
        is read with its table's header ('Nøgletal Regnskab 2024 Regnskab 2025'), which names the years."""
        if has_verb(self.text) or len(re.findall(r"\d+(?:[.,]\d+)*", self.text)) < 2:
            return []
        return year_spans(self.chunk_text)


@lru_cache(maxsize=256)
def _variants(word: str) -> tuple[frozenset[str], ...]:
    """The word's own terms and, when the glossary lists it, the terms of each of its synonyms ('tomgang' ~
    'ledige boliger' ~ 'tab ved lejeledighed')."""
    own = frozenset(term_set(word))
    out = [own]
    for entry in load_glossary():
        forms = [frozenset(term_set(v)) for v in entry.variants if not re.search(r"\d", v)]  # not 'konto 129'
        if any(len(f) == 1 and head_matches(set(own), set(f)) for f in forms):
            out += [f for f in forms if f and f not in out and not _same_head(own, f)]
    return tuple(out)


def _same_head(own: frozenset[str], form: frozenset[str]) -> bool:
    """True for a glossary variant that is the word's own head or a sibling with another first part
    ('bestyrelse', 'organisationsbestyrelse' for 'afdelingsbestyrelse'): a broader or another thing."""
    return len(form) == 1 and any(a != b and a[-6:] == b[-6:] for a in own for b in form)


def _names(q_word: str, sentence: Quoted) -> bool:
    """True if the sentence (or the heading it stands under) names the word, a synonym, a compound or an
    inflection of it."""
    terms = term_set(sentence.text) | term_set(sentence.heading) | term_set(sentence.org)
    if any(v and all(w in _held(w, terms) for w in v) for v in _variants(q_word)):
        return True
    # The chunk names the thing and the sentence refers to it by the head of its name ('Styrelsen udmelder et
    # tilsynstema ... Temaet for 2025 var ...').
    own = term_set(q_word)
    chunk = term_set(sentence.chunk_text)
    return bool(own) and all(any(w.endswith(t) and len(t) >= 4 for t in terms) and _held(w, chunk) for w in own)


# Suffixes that make a noun of a verb ('indberet' -> 'indberetning', 'godkend' -> 'godkendelse').
_DERIVATIONS = frozenset("ning ningen ninger else elsen elser ing ingen".split())


def _held(word: str, terms: set[str]) -> set[str]:
    """{word} if the terms hold it: as written, inflected, or inside a compound ('lej' in 'huslej'); not when
    the word is the more specific compound ('afdelingsbestyrelse' is not any 'bestyrelse')."""
    for t in terms:
        if t == word or (t.startswith(word) and len(t) - len(word) <= 3 and len(word) >= 4):
            return {word}
        if len(t) > len(word) and (len(word) >= 5 or len(word) == 3) and (t.endswith(word) or t.startswith(word)):
            return {word}
        if len(word) > len(t) and word.startswith(t) and len(t) >= 4 and (
                len(word) - len(t) <= 3 or word[len(t):] in _DERIVATIONS):
            return {word}  # the question inflects or derives the source's word ('huslejen', 'indberetning')
        if typo_of(word, t):
            return {word}  # a typing slip ('dispositonsfonden')
    return set()


def _in_period(demand: Demand, sentence: Quoted) -> bool:
    spans = year_spans(sentence.text) + [(y, y) for y in sentence.years] + sentence.table_years
    if not all(c.met_by(spans) for c in demand.periods):
        return False
    low = fold(sentence.text)
    for month, year in demand.months:
        name = _MONTHS[month - 1]
        if not re.search(rf"\b{name[:3]}\w*\.?\s+(?:\d+\.?\s+)?{year}\b|\b\d{{1,2}}[./-]{month}[./-]{year}\b", low):
            return False
    return True


_DURATION_RE = re.compile(
    r"\b(?:\d+|en|et|to|tre|fire|fem|seks|otte|ti|tolv)\s+(?:dage?|uger?|måneder?|år|timer?|kvartal\w*)\b|"
    r"\b(?:senest|inden|hvert år|årlig\w*|månedlig\w*|kvartalsvis|hver(?:t)? \w+ år)\b", re.IGNORECASE)


def _gives(kind: str, text: str) -> bool:
    """True if a sentence gives what a figure question asks: a number for a count; a number, a date or a
    duration for a measure or a value."""
    if mentions_figure(text):
        return True
    return kind != "count" and bool(_DURATION_RE.search(text) or mentions_date(text))


def _lists_figures_of(word: str, sentence: Quoted) -> bool:
    """True for a table row of figures about ``word`` (by its text or heading): the reader can compare them."""
    rowlike = not has_verb(sentence.text) and len(re.findall(r"\d+(?:[.,]\d+)*", sentence.text)) >= 3
    return bool(word) and rowlike and _names(word, sentence)


def _spelled(word: str, question: str) -> str:
    """The word as the question writes it ('målsætning' for the folded 'maalsaetning')."""
    return next((w for w in re.findall(r"[\wæøåÆØÅ-]+", question) if fold(w) == word), word)


def _of_organisation(organisation: str, sentence: Quoted) -> bool:
    """True if the sentence comes from the organisation's own document or names it (its distinctive words)."""
    if fold(sentence.org) == fold(organisation):
        return True
    own = {w for w in _words(fold(organisation)) if w not in _ORG_GENERIC and len(w) >= 3}
    return bool(own) and not sentence.org and own <= set(_words(fold(sentence.text)))


def unmet_demand(question: str, quoted: list[Quoted], *, organisation: str = "") -> str:
    """A Danish reason when no sentence the answer quotes meets what ``question`` demands, else ''.

    ``organisation``: the organisation the question asks about (the caller decides when that binds: a
    question about what the rules allow it is answered by the rules); then a quoted sentence must be its."""
    demand = read_demand(question)
    if not quoted:
        return ""
    if organisation and not any(_of_organisation(organisation, q) for q in quoted):
        return f"Kilderne om {organisation} siger ikke noget om det, spørgsmålet spørger efter."
    if demand.empty:
        return ""
    if demand.comparison and not any(_SUPERLATIVE_RE.search(fold(q.text)) or _lists_figures_of(demand.compared, q)
                                     for q in quoted):
        return "Kilderne sammenligner ikke på den måde, spørgsmålet spørger om."
    if demand.limit and not any(states_bound(q.text) for q in quoted):
        return "Kilderne nævner ingen mindste- eller højestegrænse for det, spørgsmålet spørger efter."
    about = [q for q in quoted if all(_names(w, q) for w in demand.focus)] if demand.focus else list(quoted)
    if not about:
        return (f"Kilderne siger ikke noget om {' '.join(_spelled(w, question) for w in demand.focus)}, "
                "som spørgsmålet spørger efter.")
    if demand.money:
        about = [q for q in about if _MONEY_RE.search(q.text)]
        if not about:
            return "Kilderne nævner ikke det beløb, spørgsmålet spørger efter."
    if demand.figure:
        about = [q for q in about if _gives(demand.figure, q.text)]
        if not about:
            return "Kilderne nævner ikke det tal, spørgsmålet spørger efter."
    # The period binds the sentence that names the thing or gives the figure; a question that asks for neither
    # binds its period to some sentence of the answer only when it names a month ('pr. 1. januar 2027').
    if demand.focus or demand.money or demand.figure:
        asked = demand.periods or demand.months
        in_period = any(_in_period(demand, q) for q in about)
    else:
        asked, in_period = demand.months, any(_in_period(replace(demand, periods=()), q) for q in about)
    if asked and not in_period:
        return "Kilderne siger ikke noget om det for den periode, spørgsmålet handler om."
    return ""


__all__ = ["Demand", "Quoted", "core_question", "degree_terms", "light_terms", "read_demand", "unmet_demand"]
