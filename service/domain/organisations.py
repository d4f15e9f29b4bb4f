"""Housing organisations by name: whether two names are one organisation, and finding names in a text.

Danish housing organisations are named after a few patterns, whatever the town:

* a legal-form word first: 'Boligselskabet Solsikken', 'Andelsboligforeningen Mosevang',
  'Ungdomsboligselskabet Nord', 'Den almene boligorganisation Engen';
* a legal-form word last: 'Solby Almennyttige Boligselskab', 'Egevang Boligforening', 'Nordby Almene Boliger';
* an abbreviation in brackets right after the name: 'Solby Almennyttige Boligselskab (SAB)'.

The name is the form word plus the capitalised words next to it; it ends at a lower-case word, a
bracket, a separator or a word that names a document or a municipality ('Referat', 'Kommune').
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from knowledge.text import fold

# Words that name the legal form, not the organisation (folded).
FORM_WORDS = frozenset({
    "boligselskabet", "boligforeningen", "boligorganisationen", "andelsboligforeningen", "andelsboligselskabet",
    "ungdomsboligselskabet", "ungdomsboligforeningen", "almennyttige", "almennyttigt", "almennyttig", "almene",
    "boligselskab", "boligforening", "andelsboligforening", "boligorganisation", "den", "a", "s", "aps", "smba",
    "amba", "selvejende", "institution",
})
_CAP = r"[A-ZÆØÅ][\wÆØÅæøå'&-]*"
_PREFIX_FORMS = (r"Boligselskabet|Boligforeningen|Boligorganisationen|Andelsboligforeningen|Andelsboligselskabet"
                 r"|Ungdomsboligselskabet|Ungdomsboligforeningen|Seniorboligselskabet|Almennyttigt\s+Boligselskab"
                 r"|Almennyttig\s+Boligforening|Arbejdernes\s+Andelsboligforening|Den\s+almene\s+boligorganisation"
                 r"|Den\s+selvejende\s+(?:almene\s+)?institution")
_SUFFIX_FORMS = (r"Almennyttige\s+Boligselskab|Almennyttigt\s+Boligselskab|Almene\s+Boligselskab|Boligselskab"
                 r"|Boligforening|Andelsboligforening|Almene\s+Boliger|Boligorganisation")
# a name's words stand on one line: a line break ends it ('Boligselskabet X' / 'Dokumentnr.: ...')
_SP = r"[ \t\u00a0]+"
_PREFIX_RE = re.compile(r"\b(?P<form>" + _PREFIX_FORMS + r")\s+(?P<name>(?:af\s+\d{4}|" + _CAP + r")(?:" + _SP + r"(?:af\s+\d{4}|" + _CAP
                        + r")){0,3})(?![\wæøå]*\.?:)")
_SUFFIX_RE = re.compile(r"(?<![\wæøå-])(?P<name>" + _CAP + r"(?:" + _SP + _CAP + r"){0,2})\s+(?P<form>" + _SUFFIX_FORMS
                        + r")(?![\wæøå])")
_PLACE_BEFORE_ABBR_RE = re.compile(r"[ \t\u00a0]+(?P<place>[A-ZÆØÅ][\wæøå-]+)(?=\s*\([A-ZÆØÅ][A-ZÆØÅ0-9.&]{1,6}\))")
_ABBREVIATION_RE = re.compile(r"^\s*\((?P<abbr>[A-ZÆØÅ][A-ZÆØÅ.&]{1,6})\)")
# Capitalised words that end a name: what documents, meetings and municipalities are called.
_NAME_STOPS = frozenset(fold(w) for w in (
    "Referat", "Dialogmøde", "Dialogmødet", "Styringsdialog", "Styringsdialogmøde", "Styringsrapport", "Kommune",
    "Organisationsnummer", "Adresse", "Administrator", "Tilsynskommune", "CVR", "Styringsår", "Regnskabsår",
    "Antal", "Formand", "Direktør", "Dokumentationspakke", "Fiktivt", "Side", "Afd", "Afdeling", "Møde", "Mødet",
    "Dato", "Aftale", "Aftaler", "Beretning", "Årsberetning", "Til", "Og", "Fra", "Med", "For", "I", "Den", "Det",
    "Deltagere", "Nøgletal", "Status", "Notat", "Regnskabsåret", "Styringsåret", "Regnskab", "Indsendt", "Rapport",
    "Bestyrelsens", "Organisationsbestyrelsens", "Beslutningsprotokol", "Protokol", "Dagsorden", "Mødereferat",
    "Beslutninger", "Opfølgning", "Udkast", "Endelig",
    # the field labels of a meeting's header block ('Mødeforum ... Mødedato Torsdag den 24. september')
    "Mødedato", "Mødested", "Mødeforum", "Mødetidspunkt", "Tidspunkt", "Sted", "Referent", "Sagsnr", "Journalnr",
    "Dokumentnr", "Sagstitel", "Emne", "Sendt",
    # a mail's subject prefixes ('SV: Referat', 'RE: Opsamling', 'VS:', 'Fwd:')
    "Re", "Sv", "Vs", "Fw", "Fwd", "Aw",
))
# Words that start a sentence or a heading and so cannot begin a name before a suffix form word.
_NOT_NAME_START = frozenset(fold(w) for w in ("Den", "Det", "De", "Et", "En", "Hver", "Alle", "Vores", "Jeres", "Og",
                                              "Til", "Fra", "Med", "For", "Af", "I", "På", "Om", "Sammen"))


@dataclass(frozen=True)
class OrganisationName:
    """An organisation named in a text: the name as written, where, and an abbreviation given with it."""

    name: str
    start: int
    end: int
    abbreviation: str | None = None


def organisation_core(name: str) -> str:
    """The distinctive words of a name: 'Boligselskabet Solsikken' -> 'solsikken'."""
    words = re.findall(r"[a-z0-9]+", fold(name))
    core = [w for w in words if w not in FORM_WORDS]
    return " ".join(core)


def same_organisation(a: str | None, b: str | None) -> bool:
    """True when two names denote the same organisation: the same distinctive words, or one name's words
    followed by more ('Solsikken' = 'Boligselskabet Solsikken af 1942'), never a shared town name alone."""
    if not a or not b:
        return False
    ca, cb = organisation_core(a), organisation_core(b)
    if not ca or not cb:
        return fold(a).strip() == fold(b).strip()
    short, long = sorted((ca, cb), key=len)
    return short == long or long.startswith(short + " ")


def same_or_both_unnamed(a: str | None, b: str | None) -> bool:
    """True when both names are missing or they denote the same organisation."""
    return (not a and not b) or same_organisation(a, b)


def _trim(words: list[str]) -> list[str]:
    kept: list[str] = []
    for w in words:
        if fold(w.strip(".,;:")) in _NAME_STOPS and kept:
            break
        if kept and re.search(r"[a-zæøå](?:ens|ets)$", w.strip(".,;:")):
            break  # 'Formandens', 'Bestyrelsens': a definite noun in the genitive begins a heading, not a name
        kept.append(w)
    return kept


def find_organisation_names(text: str) -> list[OrganisationName]:
    """Organisation names in a text, in reading order (see the module docstring)."""
    found: list[OrganisationName] = []
    for m in _PREFIX_RE.finditer(text):
        words = _trim(m.group("name").split())
        if not words or fold(words[0]) in _NAME_STOPS:
            continue
        name = f"{m.group('form')} {' '.join(words)}"
        found.append(OrganisationName(re.sub(r"\s+", " ", name).strip(" .,;:-–"), m.start(), m.start() + len(name)))
    for m in _SUFFIX_RE.finditer(text):
        words = m.group("name").split()
        while words and (fold(words[0]) in _NAME_STOPS or fold(words[0]) in _NOT_NAME_START):
            words = words[1:]
        if not words or any(f.start <= m.start("form") < f.end for f in found):
            continue
        name = f"{' '.join(words)} {m.group('form')}"
        start, end = m.end() - len(name), m.end()
        place = _PLACE_BEFORE_ABBR_RE.match(text, end)
        if place and fold(place.group("place")) not in _NAME_STOPS:
            # 'Arbejdernes Boligforening Fuglsang (ABF)': a place after the form word, the abbreviation ends the name
            name, end = f"{name} {place.group('place')}", place.end("place")
        found.append(OrganisationName(re.sub(r"\s+", " ", name), start, end))
    out = []
    for f in sorted(found, key=lambda f: f.start):
        abbr = _ABBREVIATION_RE.match(text[f.end:f.end + 12])
        out.append(OrganisationName(f.name, f.start, f.end, abbr.group("abbr") if abbr else None))
    return out


def most_named_organisation(texts: list[str]) -> str | None:
    """The organisation named first in the first text that names one, else the most named in all of them.

    ``texts`` go from the most telling (a title, the first heading) to the least (the whole text)."""
    for text in texts[:-1]:
        names = find_organisation_names(text)
        if names:
            return names[0].name
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for name in find_organisation_names(texts[-1] if texts else ""):
        key = organisation_core(name.name) or fold(name.name)
        counts[key] += 1
        if key not in first or len(name.name) > len(first[key]):
            first[key] = name.name
    return first[counts.most_common(1)[0][0]] if counts else None


_CAPS = r"[A-ZÆØÅ][\wæøå'&-]+(?:[ \t]+[A-ZÆØÅ][\wæøå'&-]+){0,3}"
# Where a document names the other party even when its name has no legal-form word ('Nordbo Vest'):
_NAME_CUES = (
    re.compile(r"\bmellem\s+(?:[A-ZÆØÅ][\wæøå-]+\s+)?Kommune(?:,\s*[^,]{3,40},)?\s+og\s+(?P<name>" + _CAPS + ")"),
    re.compile(r"(?i:dialogmøde\w*|styringsdialog\w*|referat)\s+(?:\d{4}\s+)?(?i:med|for)\s+(?P<name>" + _CAPS + ")"),
    re.compile(r"(?P<name>" + _CAPS + r")\s*\((?P<abbr>[A-ZÆØÅ]{2,6})\)"),
    re.compile(r"(?i:dialogmøde\w*|styringsdialog\w*|referat)\s*(?:\d{4})?\s*[-–:]\s*(?P<name>" + _CAPS + ")"),
    re.compile(r"^\s*(?P<name>" + _CAPS + r")\s*[-–:]\s*(?i:referat|dialogmøde|styringsdialog)"),
)
def organisation_by_cue(texts: list[str]) -> str | None:
    """An organisation named by its place in a sentence ('dialogmøde med X', 'mellem Y Kommune og X', 'X (XA)')."""
    for text in texts:
        for cue in _NAME_CUES:
            for m in cue.finditer(text):
                words = _trim_cue(m.group("name").split())
                if words and not re.search(r"\bKommune\b", m.group("name")):
                    return " ".join(words)
    return None


def _trim_cue(words: list[str]) -> list[str]:
    kept: list[str] = []
    for w in words:
        if fold(w) in _NAME_STOPS:
            break
        kept.append(w.strip(".,;:"))
    return kept


# ---- the organisation a document names only by its own identity: mail domains, signatures, a 'A / B Kommune' head

# an address ('rh@solvang.dk') or a web address ('www.solvang.dk', 'solvang.dk'): the domain's first label
_DOMAIN_RE = re.compile(r"(?:[\w.+-]+@|(?<![\w@.-])(?:www\.)?)(?P<label>[a-z0-9æøå][a-z0-9æøå-]{1,40})\.(?:dk|com|org|net|eu|nu)\b",
                        re.IGNORECASE)
# mail providers and hosts that name nobody
_NO_PARTY_DOMAINS = frozenset({"gmail", "hotmail", "outlook", "live", "yahoo", "icloud", "mail", "post", "privat",
                               "email", "online", "webmail", "borger", "sikkermail"})
_MUNICIPALITY_NAME_RE = re.compile(r"\b(?P<name>[A-ZÆØÅ][\wæøå-]+)\s+Kommune\b")
_DOMAIN_FORM_WORDS = frozenset({"bolig", "boliger", "boligselskab", "boligselskabet", "boligforening",
                                "boligforeningen", "almene", "almen", "abf", "af", "bo", "as"})


def _loose(text: str) -> str:
    """A spelling key for names in domains, where Danish letters are written plainly or as digraphs ('Mølle' ~ 'molle',
    'moelle'; 'Åby' ~ 'aby', 'aaby')."""
    key = fold(text)
    for a, b in (("aa", "a"), ("oe", "o"), ("ae", "a")):
        key = key.replace(a, b)
    return re.sub(r"[^a-z0-9]", "", key)


def _municipal_domain(label: str, municipalities: set[str]) -> bool:
    key = _loose(label)
    return "kommune" in key or key.endswith("kom") or key in municipalities or any(
        m and (key.startswith(m) or m.startswith(key)) and min(len(key), len(m)) >= 4 for m in municipalities)


def organisation_from_domains(texts: list[str]) -> str | None:
    """The housing organisation of a mail thread or letter that names it only in its addresses and signatures
    ('rh@solvang.dk', 'Direktør, Solvang · Storegade 1'): the domain that is not the municipality's, written as the
    text writes it (a name whose spelling key is the domain's), else the domain itself."""
    body = "\n".join(texts)
    municipalities = {_loose(m.group("name")) for m in _MUNICIPALITY_NAME_RE.finditer(body)}
    counts: Counter[str] = Counter()
    for m in _DOMAIN_RE.finditer(body):
        label = m.group("label").lower()
        if label not in _NO_PARTY_DOMAINS and not _municipal_domain(label, municipalities):
            counts[label] += 1
    if not counts:
        return None
    label = counts.most_common(1)[0][0]
    # 'nordlys-bolig.dk', 'boligselskabet-lyngen.dk': the name without the words every organisation's domain may hold
    core = "".join(p for p in label.split("-") if p not in _DOMAIN_FORM_WORDS) or label
    keys = {_loose(label), _loose(core)}
    for found in find_organisation_names(body):
        if _loose(organisation_core(found.name)) in keys:
            return found.name
    for m in re.finditer(r"(?<![\w@.])[A-ZÆØÅ][\wæøå-]{2,}(?:[ \t]+[A-ZÆØÅ][\wæøå-]+)?", body):
        words = m.group(0).split()
        for n in (len(words), 1):
            if _loose("".join(words[:n])) in keys:
                return " ".join(words[:n])
    return core.capitalize() if len(_loose(core)) >= 4 else None


# a head naming the two sides of a meeting: 'Styringsdialog A / B Kommune', 'B Kommune / A', 'A - B Kommune'
_HEAD_SIDES_RE = (
    re.compile(r"(?P<name>" + _CAPS + r")\s*(?:/|&|\+|–|-|og)\s*[A-ZÆØÅ][\wæøå-]+\s+Kommune\b"),
    re.compile(r"\b[A-ZÆØÅ][\wæøå-]+\s+Kommune\s*(?:/|&|\+|–|-|og)\s*(?P<name>" + _CAPS + ")"),
)


def organisation_beside_municipality(texts: list[str]) -> str | None:
    """The other side of a head that names a meeting's two parties ('Handleplan - møde KLV / Solby Kommune')."""
    for text in texts:
        for line in text.split("\n"):
            for cue in _HEAD_SIDES_RE:
                for m in cue.finditer(line):
                    words = _trim_cue(m.group("name").split())
                    while words and fold(words[0]) in _NAME_STOPS:
                        words = words[1:]
                    if words and not any(fold(w) in _NAME_STOPS for w in words):
                        return " ".join(words)
    return None
