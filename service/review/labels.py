"""The key-figure types of a styringsrapport and the labels (synonyms) they are printed under.

Labels are matched on a folded, letters-only form of the text, so case, Danish letters written as
digraphs, hyphenation and line breaks inside table cells ('Fraflytnin' / 'g %') do not matter.
Compounds match by prefix ('fraflytning' finds 'fraflytningsprocent'). When two labels overlap,
the longer one wins ('tab ved lejeledighed' beats 'ledighed').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from knowledge.text import fold


@dataclass(frozen=True)
class FigureType:
    """One kind of key figure: its manifest name, Danish label, unit, synonyms and plausible range."""

    name: str
    label: str  # Danish, for tables and notes
    unit: str  # canonical unit of the value
    synonyms: tuple[str, ...]
    level: str = "afdeling"  # 'afdeling', 'org' or 'both'
    low: float = float("-inf")  # plausible range (outside: not this figure)
    high: float = float("inf")
    excludes: tuple[str, ...] = ()  # folded fragments that veto a match when they sit in the label
    accepts: tuple[str, ...] = ()  # other value units accepted as the canonical unit ('kr' for 'kr/m2')
    counts_before: bool = False  # '7 ledige boliger': the number may stand before the label
    where: str = ""  # where a styringsrapport normally states it (for 'mangler data')


@dataclass(frozen=True)
class ColumnType:
    """A table column that is not a key figure but must be recognised to align the others."""

    name: str
    synonyms: tuple[str, ...]
    numeric: bool  # holds a number per row (opført 1972, andel 12 %) or text (boligtype)


_KR = ("kr", "")
FIGURE_TYPES: tuple[FigureType, ...] = (
    FigureType("antal_afdelinger", "Antal afdelinger", "antal",
               ("antal afdelinger", "afdelinger i alt", "antal boligafdelinger"), "org", 1, 1000),
    FigureType("antal_lejemaalsenheder", "Antal lejemålsenheder", "antal",
               ("lejemålsenheder", "antal lejemålsenheder", "antal lme"), "org", 1, 200_000, counts_before=True),
    FigureType("antal_boliger", "Antal boliger", "antal",
               ("antal boliger", "boliger i alt", "antal lejligheder", "boligantal", "antal lejemål",
                "antal boligenheder"), "both", 1, 100_000, excludes=("ledig", "enhed")),
    FigureType("dispositionsfond", "Dispositionsfond", "kr",
               ("dispositionsfond", "dispositionsfondens saldo", "dispositionsfondens størrelse"), "org",
               -1e10, 1e10, excludes=("disponib", "minimum", "mindste", "heraf"), accepts=("",)),
    FigureType("dispositionsfond_disponibel", "Dispositionsfond, disponibel del", "kr",
               ("disponibel del", "disponible del", "disponibel dispositionsfond", "disponible dispositionsfond",
                "dispositionsfondens disponible", "heraf disponibel", "disponibel andel", "disponibel saldo",
                "disponible midler", "disponibel", "disponible",
                # the free part: what is not bound ('heraf fri', 'fri del', 'frie midler', 'ubunden del')
                "heraf fri", "fri del", "frie del", "frie midler", "fri dispositionsfond", "frie dispositionsfond",
                "fri andel", "ubunden del", "ubundne del", "ubundne midler"),
               "org", -1e10, 1e10, excludes=("minimum", "mindste"), accepts=("",)),
    FigureType("dispositionsfond_disponibel_pr_lejemaal", "Disponibel dispositionsfond pr. lejemålsenhed",
               "kr/lejemålsenhed",
               ("disponibel del pr lejemålsenhed", "disponible del pr lejemålsenhed", "disponibel pr lejemålsenhed",
                "disponibel del pr lme", "disponibel pr lme", "disponible midler pr lejemålsenhed",
                "disponibel dispositionsfond pr lejemålsenhed"),
               "org", -1e6, 1e6, excludes=("minimum", "mindste"), accepts=("kr", "")),
    FigureType("dispositionsfond_minimum_pr_lejemaal", "Bestyrelsens minimum pr. lejemålsenhed", "kr/lejemålsenhed",
               ("bestyrelsens minimum", "eget minimum", "minimum pr lejemålsenhed", "minimum pr lme", "minimumsbeløb",
                "mindstebeløb", "fastsat minimum", "måltal for disponibel", "minimum for disponibel", "minimum",
                "nedre grænse", "mindstegrænse"),
               "org", 0, 1e6, accepts=("kr", "")),
    FigureType("arbejdskapital", "Arbejdskapital", "kr", ("arbejdskapital",), "org", -1e10, 1e10, accepts=("",)),
    FigureType("administrationsbidrag_pr_lejemaal", "Administrationsbidrag pr. lejemålsenhed", "kr/lejemålsenhed",
               ("administrationsbidrag", "administrationsudgift", "adm bidrag", "administrationsomkostning",
                "administrationsgebyr", "bidrag til administration", "udgifter til administration"),
               "org", 500, 20_000, accepts=("kr", "")),
    FigureType("restancer", "Restancer", "kr",
               ("restancer", "lejerestancer", "huslejerestancer", "tilgodehavender hos lejere",
                "tilgodehavender hos nuværende og fraflyttede lejere", "restance"),
               "org", 0, 1e9, excludes=("afdrag",), accepts=("",)),
    FigureType("udlejning_venteliste", "Udlejninger fra venteliste", "antal",
               ("venteliste", "ventelisten", "almindelig udlejning", "udlejet fra venteliste",
                "intern og ekstern venteliste"), "both", 0, 100_000, counts_before=True),
    FigureType("udlejning_fleksibel", "Udlejninger ved fleksibel udlejning", "antal",
               ("fleksibel udlejning", "fleksibelt udlejet", "fleksible kriterier", "udlejet fleksibelt"),
               "both", 0, 100_000, counts_before=True),
    FigureType("udlejning_kombineret", "Udlejninger ved kombineret udlejning", "antal",
               ("kombineret udlejning", "kombineret udlejet"), "both", 0, 100_000, counts_before=True),
    FigureType("udlejning_kommunal_anvisning", "Udlejninger ved kommunal anvisning", "antal",
               ("kommunal anvisning", "kommunalt anviste", "boligsocial anvisning", "anvist af kommunen",
                "kommunens anvisning", "anvisning fra kommunen", "kommunale anvisninger"),
               "both", 0, 100_000, counts_before=True),
    FigureType("husleje_pr_m2", "Husleje pr. m²", "kr/m2",
               ("husleje", "huslejen", "leje pr m²", "gennemsnitlig leje", "årlig leje", "boligafgift",
                "lejeniveau", "huslejeniveau", "lejen pr m²", "gns leje", "lejen", "leje"),
               "both", 200, 4000, excludes=("stigning", "forhøjelse", "forhoejelse", "ændring", "aendring", "tab",
                                           "restance", "indtægt", "indtaegt", "udvikling"),
               accepts=("kr", "")),
    FigureType("ledige_boliger", "Ledige boliger", "antal",
               ("ledige boliger", "ledige lejemål", "ledige lejligheder", "tomme boliger", "antal ledige",
                "boliger ledige", "ledige familieboliger", "ledige ældreboliger", "ledige ungdomsboliger", "ledige",
                "ledig bolig", "tom bolig", "boliger tomme", "ledigt lejemål", "tomme lejemål", "tomme lejligheder"),
               "both", 0, 10_000, accepts=("",), counts_before=True),
    FigureType("lejeledighed", "Lejeledighed", "%",
               ("lejeledighed", "ledighedsprocent", "ledighed"), "both", 0, 100,
               excludes=("tab",), accepts=("‰",)),
    FigureType("tab_ved_lejeledighed_pr_m2", "Tab ved lejeledighed pr. m²", "kr/m2",
               ("tab ved lejeledighed", "lejeledighedstab", "tab ved ledighed", "tab pga lejeledighed",
                "tab som følge af lejeledighed", "tab på grund af lejeledighed", "tomgangstab", "tab ved tomgang",
                "huslejetab", "lejetab", "tab på lejeledighed",
                # a loss counted per m² is the rent lost on empty homes ('Tab kr./m²', 'Tab pr. m²')
                "tab kr m²", "tab pr m²", "tab i kr pr m²"),
               "both", 0, 1000, accepts=("kr", "")),
    FigureType("fraflytningsprocent", "Fraflytningsprocent", "%",
               ("fraflytningsprocent", "fraflytningsfrekvens", "fraflytningsandel", "flytteprocent",
                "fraflytninger", "fraflytning", "andel fraflytninger",
                # moving out, in other words: 'udflytning', 'flyttefrekvens', turnover of tenants
                "udflytning", "flyttefrekvens", "lejerudskiftning", "beboerudskiftning"),
               "both", 0, 100, excludes=("tab ved", "istandsæt", "istandsaet", "restance"), accepts=("",)),
    FigureType("aarlige_henlaeggelser_pr_bolig", "Årlige henlæggelser pr. bolig", "kr/bolig",
               ("årlige henlæggelser", "årlig henlæggelse", "henlæggelser pr år", "årets henlæggelser",
                "henlagt i året", "henlæggelse i året", "løbende henlæggelser", "aarlige henlaeggelser", "henlagt",
                "henlægger", "henlægges",
                "henlæggelser i året"),
               "both", 100, 200_000, excludes=("opspar", "akkumul", "samlede", "ialt"), accepts=("kr", "")),
    FigureType("opsparede_henlaeggelser_pr_bolig", "Opsparede henlæggelser pr. bolig", "kr/bolig",
               ("opsparede henlæggelser", "opsparet henlæggelse", "akkumulerede henlæggelser",
                "henlæggelsessaldo", "samlede henlæggelser", "opsparing til vedligeholdelse",
                "opsparede midler", "hensatte henlæggelser", "opsparede henlaeggelser", "opsparet", "opsparing",
                "samlet opsparing",
                # what is set aside and not yet spent: a balance ('saldo', 'beholdning') of henlæggelser
                "henlæggelser saldo", "saldo henlæggelser", "henlagte midler", "henlæggelsesbeholdning",
                "hensatte midler", "opsparede vedligehold", "opsparet vedligehold"),
               "both", 0, 2_000_000, excludes=("årlig", "aarlig"), accepts=("kr", "")),
    FigureType("vedligeholdelse_pr_m2", "Vedligeholdelsesudgifter pr. m²", "kr/m2",
               ("vedligeholdelsesudgifter", "vedligeholdelse", "udgifter til vedligeholdelse", "vedligehold",
                "vedligeholdsudgifter", "planlagt og periodisk vedligeholdelse"),
               "both", 0, 3000,
               excludes=("plan", "stand", "henlæg", "henlaeg", "opspar", "tilstand", "arbejd", "niveauet"),
               accepts=("kr", "")),
    FigureType("effektivitetstal", "Effektivitetstal", "%",
               ("effektivitetstal", "effektivitetstallet", "effektivitet", "driftseffektivitet",
                "effektivitetsprocent"), "both", 10, 300,
               # a target ('mål for', 'målet', 'effektivitetsmål'), not 'målt til' (measured)
               excludes=("effektivisering", "maalfor", "maalet", "maaltal", "maalsaet", "tsmaal", "maalsat", "maalom"),
               accepts=("",)),
    FigureType("planlagte_arbejder", "Planlagte arbejder", "kr",
               ("planlagte arbejder", "planlagte vedligeholdelsesarbejder", "arbejder for i alt", "kommende arbejder",
                "budgetterede arbejder", "arbejder i vedligeholdelsesplanen", "udgifter i vedligeholdelsesplanen"),
               "both", 0, 1e10, accepts=("",)),
    FigureType("tab_ved_lejeledighed_kr", "Tab ved lejeledighed i alt", "kr",
               ("tab ved lejeledighed i alt", "lejetab i alt", "samlet lejetab", "samlet tab ved lejeledighed"),
               "both", 1000, 1e10, accepts=("",)),
    FigureType("daekket_af_dispositionsfond", "Dækket af dispositionsfonden", "kr",
               ("dækket af dispositionsfonden", "dækning fra dispositionsfonden"), "both", 0, 1e10, accepts=("",)),
    FigureType("opsparing_maal_pr_bolig", "Organisationens mål for opsparing pr. bolig", "kr/bolig",
               ("mål for opsparing", "opsparingsmål", "målsætning for opsparing"), "org", 1000, 2_000_000,
               accepts=("kr", "")),
    FigureType("aarets_resultat", "Årets resultat", "kr",
               ("årets resultat", "årsresultat", "driftsresultat", "resultat før overførsel", "resultat"), "both",
               -1e10, 1e10, excludes=("evaluer", "resultatet af"), accepts=("",)),
    FigureType("afdelingsbestyrelse", "Afdelingsbestyrelse", "bool",
               ("afdelingsbestyrelse", "afdelingsbestyrelser", "afd bestyrelse", "beboerbestyrelse"), "afdeling",
               0, 1),
)
_AFDELING_TABLE = "i tabellen over afdelingernes nøgletal"
_ECONOMY = "i organisationens økonomi (regnskabets nøgletal)"
WHERE: dict[str, str] = {
    "antal_boliger": "under stamdata eller i afdelingstabellen (antal boliger)",
    "ledige_boliger": f"{_AFDELING_TABLE} (ledige boliger pr. 31.12.)",
    "lejeledighed": f"{_AFDELING_TABLE} (ledige boliger)",
    "tab_ved_lejeledighed_pr_m2": f"{_AFDELING_TABLE} (tab ved lejeledighed kr. pr. m²)",
    "fraflytningsprocent": f"{_AFDELING_TABLE} (fraflytningsprocent)",
    "husleje_pr_m2": f"{_AFDELING_TABLE} (husleje kr. pr. m² pr. år)",
    "aarlige_henlaeggelser_pr_bolig": "i afsnittet om vedligeholdelse og henlæggelser (henlagt i året pr. bolig)",
    "opsparede_henlaeggelser_pr_bolig": "i afsnittet om vedligeholdelse og henlæggelser (opsparede henlæggelser "
                                        "pr. bolig)",
    "vedligeholdelse_pr_m2": "i afsnittet om vedligeholdelse (udgifter kr. pr. m²)",
    "effektivitetstal": f"{_AFDELING_TABLE} eller i afsnittet om effektivitet (Landsbyggefondens effektivitetstal)",
    "afdelingsbestyrelse": "i afsnittet om beboerdemokrati",
    "dispositionsfond": _ECONOMY, "dispositionsfond_disponibel": _ECONOMY, "arbejdskapital": _ECONOMY,
    "restancer": _ECONOMY,
    "dispositionsfond_disponibel_pr_lejemaal": f"{_ECONOMY} (disponibel del pr. lejemålsenhed)",
    "dispositionsfond_minimum_pr_lejemaal": "ved dispositionsfonden (bestyrelsens minimum pr. lejemålsenhed)",
    "administrationsbidrag_pr_lejemaal": f"{_ECONOMY} (administrationsbidrag pr. lejemålsenhed)",
}
FIGURE_TYPES = tuple(FigureType(**{**f.__dict__, "where": WHERE.get(f.name, f.where)}) for f in FIGURE_TYPES)
FIGURE_BY_NAME: dict[str, FigureType] = {f.name: f for f in FIGURE_TYPES}

COLUMN_TYPES: tuple[ColumnType, ...] = (
    ColumnType("afdeling", ("afdeling", "afdelingsnavn", "afd nr", "afdelingsnummer", "afd"), False),
    ColumnType("boligtype", ("boligtype", "boligform", "type"), False),
    ColumnType("opfoert", ("opført", "opførelsesår", "opfoert", "byggeår", "ibrugtaget", "ibrugtagningsår"), True),
    ColumnType("andel", ("andel", "pct af", "procent af", "fordeling"), True),
    ColumnType("areal", ("areal", "boligareal", "etageareal"), True),
    ColumnType("aendring", ("ændring", "aendring", "udvikling", "difference"), True),
    ColumnType("udgift", ("anslået udgift", "udgift", "budget", "beløb", "belob"), True),
)

BOLIGTYPES: dict[str, str] = {
    "familiebolig": "familieboliger", "ungdomsbolig": "ungdomsboliger", "ældrebolig": "ældreboliger",
    "aeldrebolig": "ældreboliger", "plejebolig": "plejeboliger", "seniorbolig": "seniorboliger",
    "handicapbolig": "handicapboliger", "kollegie": "ungdomsboliger", "almene ældreboliger": "ældreboliger",
}


def squash(text: str) -> str:
    """Folded text with every non-letter removed except % and ‰ ('Fraflytnin\\ng %' -> 'fraflytning%')."""
    return re.sub(r"[^a-z%‰]", "", fold(text))


def squash_map(text: str) -> tuple[str, list[int]]:
    """The squashed text plus, for each of its characters, the index in the original text."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text.lower()):
        f = _FOLD_CHAR.get(ch, ch)
        for c in f:
            if ("a" <= c <= "z") or c in "%‰":
                out.append(c)
                index.append(i)
    return "".join(out), index


_FOLD_CHAR = {"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "u", "é": "e"}


@dataclass(frozen=True)
class LabelMatch:
    """A label found in a text: the figure or column type, and where (indices into the original text)."""

    name: str
    start: int
    end: int
    is_column: bool = False
    synonym: str = ""


@dataclass
class _Pattern:
    name: str
    synonym: str
    squashed: str
    is_column: bool
    excludes: tuple[str, ...] = field(default_factory=tuple)
    words: tuple[str, ...] = ()  # folded words of the synonym


@lru_cache(maxsize=1)
def _patterns() -> tuple[_Pattern, ...]:
    pats: list[_Pattern] = []
    for ft in FIGURE_TYPES:
        for syn in ft.synonyms:
            pats.append(_Pattern(ft.name, syn, squash(syn), False, tuple(squash(e) for e in ft.excludes),
                                 tuple(fold(w) for w in _WORD_RE.findall(syn))))
    for ct in COLUMN_TYPES:
        for syn in ct.synonyms:
            pats.append(_Pattern(ct.name, syn, squash(syn), True, (), tuple(fold(w) for w in _WORD_RE.findall(syn))))
    # longest first, so that 'tab ved lejeledighed' claims its span before 'ledighed'
    pats.sort(key=lambda p: -len(p.squashed))
    return tuple(pats)


def _word_start_ok(text: str, pos: int) -> bool:
    """A label must start at a word start (or inside a compound only for long labels)."""
    return pos == 0 or not text[pos - 1].isalpha()


_WORD_RE = re.compile(r"[A-Za-zÆØÅæøåÄÖÜäöüé]+")


def _words(text: str) -> list[tuple[str, int, int]]:
    """Folded words of a text with their character spans."""
    return [(fold(m.group(0)), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def _token_match(words: list[tuple[str, int, int]], i: int, syn: list[str], exact: bool = False) -> bool:
    """True when the synonym's words start at word i: each a prefix of the text word (inflection, compounds).

    Short synonym words (< 3 letters: 'pr', 'i', 'af') must match exactly.
    """
    if i + len(syn) > len(words):
        return False
    for k, part in enumerate(syn):
        word = words[i + k][0]
        if len(part) < 3 or exact:
            if word != part:
                return False
        elif not word.startswith(part):
            return False
    return True


class _LabelCollector:
    """Collects non-overlapping label matches in one text (first come, first served)."""

    def __init__(self, text: str, squashed_words: bool) -> None:
        self.text = text
        self.squashed_words = squashed_words
        self.taken = [False] * len(text)
        self.found: list[LabelMatch] = []

    def accept(self, pat: _Pattern, o_start: int, o_end: int) -> bool:
        """Take the match when its span is free, not vetoed, and (for short labels) a whole word."""
        text = self.text
        if any(self.taken[o_start:o_end]):
            return False
        word_end = o_end
        while word_end < len(text) and text[word_end].isalpha():
            word_end += 1
        if pat.excludes and _excluded(text, o_start, word_end, pat.excludes, pat.squashed,
                                      context=0 if self.squashed_words else 2):
            return False
        if word_end > o_end and len(pat.squashed) < 5:
            return False  # a short label must be a whole word
        for k in range(o_start, word_end):
            self.taken[k] = True
        self.found.append(LabelMatch(pat.name, o_start, word_end, pat.is_column, pat.synonym))
        return True


def _match_squashed(collector: _LabelCollector, columns: bool) -> None:
    """Headers: words broken over lines ('Fraflytnin g %') first, longest labels first."""
    text = collector.text
    sq, index = squash_map(text)
    for pat in _patterns():
        if (pat.is_column and not columns) or len(pat.squashed) < 6:
            continue
        start = 0
        while (i := sq.find(pat.squashed, start)) >= 0:
            start = i + 1
            o_start, o_end = index[i], index[i + len(pat.squashed) - 1] + 1
            if _word_start_ok(text, o_start):
                collector.accept(pat, o_start, o_end)


def _match_abbreviated(collector: _LabelCollector, columns: bool) -> None:
    """Headers: abbreviated words ('Husl. kr/m²', 'Tab v. lejeled.', 'Eff.tal', 'Afd.best.')."""
    for pat, o_start, o_end in _abbreviated(collector.text):
        if pat.is_column and not columns:
            continue
        collector.accept(pat, o_start, o_end)


def _match_words(collector: _LabelCollector, columns: bool) -> None:
    """Labels word by word, each word a prefix of the text's word."""
    words = _words(collector.text)
    by_start: dict[str, list[int]] = {}
    for i, (word, _, _) in enumerate(words):
        by_start.setdefault(word[:2], []).append(i)
    for pat in _patterns():
        if (pat.is_column and not columns) or len(pat.squashed) < 3 or not pat.words:
            continue
        syn = list(pat.words)
        exact = pat.is_column or len(pat.squashed) < 5  # short labels ('leje') only as whole words
        for i in by_start.get(syn[0][:2], ()):
            if _token_match(words, i, syn, exact=exact):
                collector.accept(pat, words[i][1], words[i + len(syn) - 1][2])


def find_labels(text: str, *, columns: bool = False, squashed_words: bool = False) -> list[LabelMatch]:
    """Non-overlapping figure labels (and column labels when columns=True) in reading order.

    Words match by prefix ('gennemsnitlig leje' finds 'gennemsnitlige leje', 'fraflytning' finds
    'fraflytningsprocenten'). squashed_words=True also matches across words broken by line breaks in
    table headers ('Fraflytnin g %') and abbreviated header words ('Tab v. lejeled.').
    """
    collector = _LabelCollector(text, squashed_words)
    if squashed_words:
        _match_squashed(collector, columns)
        _match_abbreviated(collector, columns)
    _match_words(collector, columns)
    found = collector.found
    found.sort(key=lambda m: m.start)
    return found


_ABBR_TOKEN_RE = re.compile(r"[A-Za-zÆØÅæøåÄÖÜäöüé]+(?:\.[A-Za-zÆØÅæøåÄÖÜäöüé]+)*\.?")


def _abbreviated(text: str) -> list[tuple[_Pattern, int, int]]:
    """Labels written with abbreviated words in a table header: a word ending in '.' stands for any word it
    begins ('Husl.' for 'husleje', 'v.' for 'ved'), 'Eff.tal' for a word that begins 'eff' and goes on with
    'tal'. At least one word of the match must be abbreviated; the longest synonym wins."""
    tokens = [(m.group(0), m.start(), m.end()) for m in _ABBR_TOKEN_RE.finditer(text)]
    if not any("." in t for t, _, _ in tokens):
        return []
    out: list[tuple[_Pattern, int, int, int]] = []
    for pat in _patterns():
        n = len(pat.words)
        for i in range(len(tokens) - n + 1):
            window = tokens[i:i + n]
            if window[0][1] > 0 and text[window[0][1] - 1] == "/":
                continue  # 'kr/bol.': the denominator of a unit, not a column of its own
            if any("." in t for t, _, _ in window) and all(_abbr_fits(t, w) for (t, _, _), w in zip(window, pat.words)):
                implied = sum(len(w) for w in pat.words) - sum(len(re.sub(r"[^a-z]", "", fold(t))) for t, _, _ in window)
                out.append((pat, window[0][1], window[-1][2], implied))
    # the widest match first, then the one that leaves least to the reader ('Afd.' is 'afd', not 'afdelingsbestyrelse')
    out.sort(key=lambda x: (-(x[2] - x[1]), x[3]))
    return [(pat, a, b) for pat, a, b, _ in out]


def _abbr_fits(token: str, word: str) -> bool:
    """True when a (possibly abbreviated) header word stands for a synonym's word."""
    parts = [fold(p) for p in token.rstrip(".").split(".")]
    if len(parts) == 1 and not token.endswith("."):
        return parts[0] == word or (len(word) >= 3 and parts[0].startswith(word))
    first, rest = parts[0], parts[1:]
    if not first or not word.startswith(first) or (len(first) < 2 and len(word) > 3):
        return False
    tail = word[len(first):]
    for part in rest:  # 'eff.tal': the next part follows somewhere later in the same word
        at = tail.find(part)
        if at < 0:
            return False
        tail = tail[at + len(part):]
    return True


def _excluded(text: str, start: int, end: int, excludes: tuple[str, ...], own: str, *, context: int = 2) -> bool:
    """True when a veto fragment sits in the label word itself or in the `context` words around it."""
    left = text[:start].split()[-context:] if context else []
    right = text[end:].split()[:context] if context else []
    word = text[start:end]
    window = squash(" ".join(left + [word] + right))
    return any(e and e not in own and e in window for e in excludes)


def boligtype_in(text: str) -> str | None:
    """The boligtype named in a text ('Familieboliger' -> 'familieboliger'), else None."""
    low = fold(text)
    for key, value in BOLIGTYPES.items():
        if fold(key) in low:
            return value
    return None


def plausible(ft: FigureType, value: float) -> bool:
    """True when a value lies in the plausible range of its figure type."""
    return ft.low <= value <= ft.high
