"""Who a referat or an agreement is between, and which party a sentence makes act.

The parties of a document are read from its title, headings and party lines: the housing
organisation(s) by name (service.domain.organisations), abbreviations given in brackets ('Solby
Almennyttige Boligselskab (SAB)', 'Solby Kommune (SK)'), the municipality ('X Kommune'), and the
organisations an agreement enumerates ('mellem X Kommune og følgende boligorganisationer: A, B og C').

A party in a sentence is a noun phrase that names one: the municipality's side ('kommunen',
'forvaltningen', 'visitationen', 'Center for Bolig', 'X Kommune', its abbreviation), the organisation's
side ('boligforeningen', 'selskabet', 'bo.org.', 'BO', the organisation's name, short name or
abbreviation) or both ('parterne', 'kommunen og boligforeningen').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.text import fold
from service.domain.organisations import (
    FORM_WORDS,
    find_organisation_names,
    most_named_organisation,
    organisation_beside_municipality,
    organisation_by_cue,
    organisation_core,
    organisation_from_domains,
    same_organisation,
)

KOMMUNE = "kommune"
ORGANISATION = "organisation"
BEGGE = "begge"
_MUNICIPAL = (r"kommunen|forvaltningen|[a-zæøå]+forvaltningen|visitationen|byrådet|kommunalbestyrelsen|[a-zæøå]*udvalget"
              r"|borgmesteren|boligsekretariatet|sekretariatet|jobcent(?:e|re)t|boliganvisningen|kb"
              r"|center\s+for\s+[a-zæøå]+(?:,?\s+[a-zæøå]+)?(?:\s+og\s+[a-zæøå]+)?|team\s+[a-zæøå]+"
              r"|[a-zæøå-]+\s+kommune(?:,\s*[a-zæøå]+(?:\s+og\s+[a-zæøå]+)?)?")
_ORGANISATION = (r"boligforeningen|boligselskabet|boligorganisationen|boligorganisationerne|organisationen"
                 r"|organisationerne|selskabet|foreningen|andelsboligforeningen|organisationsbestyrelsen|bestyrelsen"
                 r"|afdelingsbestyrelsen|administrationen|forretningsføreren|forretningsførelsen|direktionen"
                 r"|direktøren|driftschefen|ejendomskontoret|bo\.\s?org\.?|bo|adm\.?")
_BOTH = r"parterne|begge\s+parter|alle\s+parter"
_ENUMERATION_RE = re.compile(
    r"(?:følgende|de\s+\w+)?\s*(?:almene\s+)?(?:bolig)?organisationer\s*:\s*(?P<list>[^.]*)", re.IGNORECASE)
# 'For Boligforeningen A: navn' (a signature) and 'Til stede for Boligselskabet B: navn, formand' (attendance)
_SIGNATURE_RE = re.compile(r"(?:^|[.\n]\s*)(?:(?:Til\s+stede|Deltagere|Fremmødt[e]?|Deltog)\s+for|For)"
                           r"\s+(?P<name>[A-ZÆØÅ][^:.\n]{2,60}?)\s*:")
_MUNICIPALITY_RE = re.compile(r"\b(?P<name>[A-ZÆØÅ][\wæøå-]+)\s+Kommune\b")
# 'Solby Boligselskab (SBS)', 'Boligforeningen af 1938 (BF38)': an abbreviation (capitals, maybe digits) after a name
_ABBR = r"[A-ZÆØÅ][A-ZÆØÅ0-9]{1,5}"
_ABBR_AFTER_RE = re.compile(r"(?P<name>[A-ZÆØÅ][\wæøå-]+(?:\s+(?:[A-ZÆØÅ][\wæøå-]+|af\s+(?:19|20)\d\d)){0,3})\s*"
                            r"\((?P<abbr>" + _ABBR + r")\)")
_HOUSING_NOUNS = frozenset({"bolig", "boliger", "boligerne", "hjem", "huse", "husene"})
_NOT_MUNICIPALITY = frozenset({"den", "til", "med", "af", "i", "og", "for", "fra", "hver", "samme", "hele"})


@dataclass
class Parties:
    """The parties of one document: its housing organisation(s), the municipality, their abbreviations."""

    organisation: str | None = None
    organisations: list[str] = field(default_factory=list)  # every housing organisation (joint agreements)
    municipality: str | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # folded short name or abbreviation -> role
    writer: str | None = None  # the side that signs a mail or letter: 'vi' is that side, 'I' the other
    expansions: dict[str, str] = field(default_factory=dict)  # abbreviation -> the full name it stands for
    roles: dict[str, str] = field(default_factory=dict)  # folded role noun of an attendance line -> its side
    people: dict[str, str] = field(default_factory=dict)  # folded first name of an attendance line -> its side

    def expand(self, phrase: str) -> str:
        """A party phrase with its abbreviations written out ('KK og BSÅ' -> 'Solby Kommune og Boligselskabet Å')."""
        return re.sub(r"\b" + _ABBR + r"\b", lambda m: self.expansions.get(m.group(0), m.group(0)), phrase)

    def role_of_name(self, word: str) -> str | None:
        """The role of a name or abbreviation the document uses ('VAB' -> 'organisation')."""
        return self.aliases.get(fold(word).strip(" .,"))

    def named_in(self, text: str) -> list[str]:
        """The document's organisations that a text names (by name, short name or abbreviation)."""
        low = f" {fold(text)} "
        abbreviated = {full for abbr, full in self.expansions.items() if re.search(rf"\b{re.escape(abbr)}\b", text)}
        out = []
        for name in self.organisations:
            core = organisation_core(name)
            # 'Fjordhuse' for 'Fjordhuse Almene Boliger': a word of the core that is not a housing noun
            words = [w for w in core.split() if w not in _HOUSING_NOUNS and len(w) >= 4 and w.isalpha()] \
                if len(core.split()) > 1 else []
            if any(c and re.search(rf"(?<![a-z0-9]){re.escape(c)}(?![a-z0-9])", low) for c in (core, *words)) \
                    or fold(name) in low or name in abbreviated:  # 'BSF og LUB sender ...': by their abbreviations
                out.append(name)
        return out


def _enumerated(text: str) -> list[str]:
    """'følgende boligorganisationer: A, B og C.' -> [A, B, C]."""
    m = _ENUMERATION_RE.search(text)
    if not m:
        return []
    parts = re.split(r",\s*|\s+og\s+", m.group("list"))
    return [p.strip() for p in parts if p.strip() and p.strip()[0].isupper() and len(p.split()) <= 5]


def _listed_below(text: str) -> list[str]:
    """The names of a list ('- Boligforeningen A', '1. Boligfællesskabet B') right under an enumeration's colon."""
    items = [re.sub(r"^\s*(?:[-•*–]|\d{1,2}[.)])\s+", "", ln).strip(" .,;") for ln in text.split("\n")]
    return [i for i in items if i and i[0].isupper() and len(i.split()) <= 6 and not re.search(r"\bKommune\b", i)]


# 'Aftalen er indgået mellem X Kommune og Boligforeningen A og Boligselskabet B.': the parties of the agreement
_BETWEEN_RE = re.compile(r"\b(?:indgået|indgås|aftale)\s+mellem\s+(?P<list>[^.]{5,400})", re.IGNORECASE)


def _between(text: str) -> list[str]:
    """The organisations an agreement says it is made between (named with their legal form; not the municipality)."""
    m = _BETWEEN_RE.search(text)
    return [n.name for n in find_organisation_names(m.group("list"))] if m else []


def _signatories(text: str) -> list[str]:
    """'For Boligforeningen A: navn, formand. For B: ...' -> the organisations that sign (not the municipality)."""
    names = [m.group("name").strip() for m in _SIGNATURE_RE.finditer(text)]
    if _ATTENDANCE_RE.match(text):  # 'Til stede var fra A: navne; fra B Kommune: navne': each side after 'fra'
        names += [m.group("name").strip() for m in _SIDE_RE.finditer(text)]
    return list(dict.fromkeys(n for n in names if not re.search(r"\bKommune\b", n)))


# an attendance line, whatever its verb: 'Til stede var fra A: ...', 'Deltagere fra A: ...', 'Fremmødt fra A: ...'
_ATTENDANCE_RE = re.compile(r"\s*(?:Til\s+stede|Deltagere|Mødedeltagere|Fremmødt[e]?|Deltog|Tilstede)\b", re.IGNORECASE)
# one side of an attendance line: 'fra Boligselskabet A:' (a capitalised name, then a colon)
_SIDE_RE = re.compile(r"(?:^|[\s;,])(?:for|fra)\s+(?P<name>[A-ZÆØÅ][^:;.\n]{2,60}?)\s*:")


def _abbreviates(abbr: str, name: str) -> bool:
    """True when an abbreviation's letters stand in the name in order, the first one a word's initial ('BSF' for
    'Boligselskabet Fyrrely', 'BF38' for 'Boligforeningen af 1938'); a person's initials after a party ('Kvisten
    (PL)') do not."""
    low, rest = fold(name), fold(abbr)
    if not any(w.startswith(rest[:1]) for w in low.split()):
        return False
    pos = 0
    for ch in rest:
        pos = low.find(ch, pos) + 1
        if pos == 0:
            return False
    return True


# 'Forkortelser: SPÆ = Boligselskabet Spætten, KOM = Storkeby Kommune': an abbreviation defined with '='
_ABBR_DEFINED_RE = re.compile(r"(?<![\wæøåÆØÅ])(?P<abbr>" + _ABBR + r")\s*=\s*(?P<name>[A-ZÆØÅ][\wæøå-]+"
                              r"(?:\s+(?:[A-ZÆØÅ][\wæøå-]+|af\s+(?:19|20)\d\d)){0,3})")


def _add_aliases(parties: Parties, text: str) -> None:
    for m in (*_ABBR_AFTER_RE.finditer(text), *_ABBR_DEFINED_RE.finditer(text)):
        name, abbr = m.group("name"), m.group("abbr")
        if not _abbreviates(abbr, name):
            continue
        if re.search(r"\bKommune\b", name):
            parties.aliases.setdefault(fold(abbr), KOMMUNE)
            found = re.search(r"[A-ZÆØÅ][\wæøå-]+\s+Kommune\b", name)
            parties.expansions.setdefault(abbr, found.group(0) if found else name)
        elif find_organisation_names(name) or any(same_organisation(name, o) for o in parties.organisations):
            parties.aliases.setdefault(fold(abbr), ORGANISATION)
            names = find_organisation_names(name)
            parties.expansions.setdefault(abbr, names[-1].name if names else name)


_TABLE_PARTY_HEADER_RE = re.compile(r"^\s*(?:bolig)?organisation(?:er|en)?\b|^\s*part(?:er|en)?\b", re.IGNORECASE)


def _table_parties(text: str) -> list[str]:
    """The organisations in a party table: the cells of its 'Boligorganisation' / 'Part' column."""
    rows = [[c.strip() for c in line.split("|")] for line in text.split("\n") if "|" in line]
    if len(rows) < 3:
        return []
    column = next((i for i, cell in enumerate(rows[0]) if _TABLE_PARTY_HEADER_RE.match(cell)), None)
    if column is None:
        return []
    return [r[column] for r in rows[1:] if len(r) > column and r[column] and not re.search(r"\bKommune\b", r[column])
            and len(r[column].split()) <= 6]


# a party written with its abbreviation ('Solby Boligforening (SBF)'): the name is what comes before
_ABBR_TAIL_RE = re.compile(r"\s*\(" + _ABBR + r"\)\s*$")


def _forms(name: str) -> set[str]:
    """The company-form words of a name, definite or not ('Boligforeningen' and 'Boligforening' alike)."""
    return {re.sub(r"(?:en|et)$", "", w) for w in re.findall(r"[a-z]+", fold(name)) if w in FORM_WORDS}


def _other_form(a: str, b: str) -> bool:
    """Two names on one party list with the same place name but different forms ('X Boligforening' and
    'X Andelsboligforening') are two parties."""
    fa, fb = _forms(a), _forms(b)
    return bool(fa and fb and fa != fb)


def _write_out_abbreviations(parties: Parties) -> None:
    """A party listed by its abbreviation only ('For SBF: navn') is named by the full name the text gives it."""
    def full(name: str) -> str:
        expanded = parties.expansions.get(name.strip())
        return expanded if expanded and not re.search(r"\bKommune\b", expanded) else name
    parties.organisations = list(dict.fromkeys(full(n) for n in parties.organisations))
    if parties.organisation:
        parties.organisation = full(parties.organisation)


# a party list's lead: 'Parter:', 'Aftalens parter er:', 'indgået mellem disse organisationer:'
_PARTY_LIST_LEAD_RE = re.compile(r"(?:\bparter(?:ne)?|organisationer)(?:\s+er)?\s*:\s*$", re.IGNORECASE)
_LIST_ITEM_RE = re.compile(r"^\s*(?:[-•*–]|\d{1,2}[.)])\s+(?P<item>\S.*)$")
# a signature block's party on a line of its own ('For Boligforeningen A' over the signature line)
_SIGNATURE_LINE_RE = re.compile(r"^[ \t]*For[ \t]+(?P<name>[A-ZÆØÅ][^:.,;\n]{2,60}?)[ \t]*$", re.MULTILINE)


def _party_items(texts: list[str]) -> list[str]:
    """The names of a party list under its lead ('- Boligforeningen A, Søvej 3, 7100 By'): each item's words
    before its address, over as many units as the list runs."""
    lines = [ln for text in texts for ln in text.split("\n")]
    names: list[str] = []
    kind = None  # a list keeps its marker: a numbered heading after bullets ('2. Generelt') ends it
    for ln in lines:
        m = _LIST_ITEM_RE.match(ln)
        marker = None if not m else "number" if ln.strip()[:1].isdigit() else "bullet"
        if not m or (kind is not None and marker != kind):
            if names:
                break
            continue
        kind = marker
        name = m.group("item").split(",")[0].strip(" .;")
        if name[:1].isupper() and len(name.split()) <= 6 and not re.search(r"\bKommune\b", name):
            names.append(name)
    return names


def _listed_parties(texts: list[str]) -> list[str]:
    """The organisations a document lists as its parties (enumerations, signatures, attendance, party tables)."""
    listed: list[str] = []
    for i, text in enumerate(texts):
        names = _enumerated(text) + _signatories(text) + _table_parties(text) + _between(text)
        names += [m.group("name").strip() for m in _SIGNATURE_LINE_RE.finditer(text)
                  if not re.search(r"\bKommune\b", m.group("name")) and len(m.group("name").split()) <= 5]
        if not names and _ENUMERATION_RE.search(text) and text.rstrip().endswith(":") and i + 1 < len(texts):
            names = _listed_below(texts[i + 1])  # 'følgende boligorganisationer:' and a list under it
        if not names and _PARTY_LIST_LEAD_RE.search(text.rstrip().split("\n")[-1]):
            names = _party_items(texts[i + 1:i + 12])
        for name in (_ABBR_TAIL_RE.sub("", n).strip() for n in names):
            if not any(same_organisation(name, n) and not _other_form(name, n) for n in listed):
                listed.append(name)
    return listed


def read_parties(title: str, texts: list[str], organisation: str | None = None) -> Parties:
    """The parties of a document from its title and text units (a given organisation wins)."""
    head = " \n".join(texts[:12])
    body = " \n".join(texts)
    listed = _listed_parties(texts)
    parties = Parties()
    org = organisation or most_named_organisation([title, head, body]) or organisation_by_cue([title, head])
    if not org and len(listed) == 1 and find_organisation_names(f"{listed[0]} "):
        org = listed[0]  # the one side that signed or attended ('Til stede for Boligselskabet X: ...')
    if not org and not listed:  # named only by its identity: the head's other side, its mail domain and signature
        org = organisation_beside_municipality([title, *texts[:3]]) or organisation_from_domains(texts)
    if len(listed) >= 2:
        parties.organisations = listed
        parties.organisation = organisation or listed[0]
    elif org:
        parties.organisation, parties.organisations = org, [org]
    counts: dict[str, int] = {}
    for m in _MUNICIPALITY_RE.finditer(f"{title}\n{body}"):
        if m.group("name").lower() not in _NOT_MUNICIPALITY:
            counts[m.group("name")] = counts.get(m.group("name"), 0) + 1
    if counts:
        parties.municipality = f"{max(counts, key=lambda k: counts[k])} Kommune"
    for name in parties.organisations:
        core = organisation_core(name)
        if core:
            parties.aliases.setdefault(core, ORGANISATION)
            parties.aliases.setdefault(core.split()[0], ORGANISATION) if len(core.split()[0]) >= 4 else None
            last = core.split()[-1]  # 'Tyttebær' for 'Boligby Tyttebær': a name without a form word has two words
            if len(core.split()) == 2 and len(last) >= 4 and last.isalpha():
                parties.aliases.setdefault(last, ORGANISATION)
    for found in find_organisation_names(body):
        if found.abbreviation and any(same_organisation(found.name, o) for o in parties.organisations):
            parties.aliases.setdefault(fold(found.abbreviation), ORGANISATION)
    _add_aliases(parties, f"{title}\n{body}")
    _write_out_abbreviations(parties)
    parties.writer = _writer(texts, parties.organisation)
    _attendance_roles(parties, texts[:12])
    if parties.municipality:
        parties.aliases.setdefault(fold(parties.municipality.split()[0]), KOMMUNE)
    return parties


_PARTY_WORD = r"(?:" + _BOTH + "|" + _MUNICIPAL + "|" + _ORGANISATION + r")"


def _party_role(phrase: str, parties: Parties) -> str | None:
    """The role of one party phrase ('kommunen', 'VAB', 'Boligforeningen Engly'), else None."""
    if re.fullmatch(_BOTH, phrase.lower().strip(" ,.")):
        return BEGGE
    if parties.role_of_name(phrase):
        return parties.role_of_name(phrase)
    if find_organisation_names(phrase) or any(same_organisation(phrase, o) for o in parties.organisations):
        return ORGANISATION
    if re.fullmatch(r"(?:" + _MUNICIPAL + r")", phrase.strip(" ,.").lower()):
        return KOMMUNE
    if re.fullmatch(r"(?:" + _ORGANISATION + r")", phrase.strip(" ,.").lower()):
        return ORGANISATION
    return None


_NAME_PHRASE = r"[A-ZÆØÅ][\wÆØÅæøå.'-]*(?:\s+[A-ZÆØÅ][\wÆØÅæøå.'-]*){0,3}"
_ONE_PARTY_RE = re.compile(r"(?:(?i:" + _PARTY_WORD + r")|" + _NAME_PHRASE + r")(?=[\s,.;:)]|$)")


@dataclass(frozen=True)
class PartyMention:
    """A party phrase in a sentence: as written, its role, and where it ends."""

    text: str
    role: str
    end: int


_GREETING_RE = re.compile(r"\b(?:venlig\s+hilsen|mvh|med\s+venlig\s+hilsen|de\s+bedste\s+hilsner)\b", re.IGNORECASE)
# 'Vi kigger på ...', 'I sender ...': a pronoun as the subject of a present-tense verb or a modal
_PRONOUN_RE = re.compile(r"(?:Vi|vi|I)(?=\s+(?!(?:oktober|november|december|september)\b)(?:[a-zæøå]+r|vil|skal|må|kan)\b)")


def _writer(texts: list[str], organisation: str | None = None) -> str | None:
    """The side that wrote a mail or letter: what its signature after the greeting names (else None); the
    organisation also by the name the document knows it by ('Ole, Hvedeager' when its mail domain named it)."""
    core = organisation_core(organisation) if organisation else ""
    for i in range(len(texts) - 1, max(-1, len(texts) - 12), -1):
        if _GREETING_RE.search(texts[i]):
            signature = " ".join(texts[i:i + 6])
            if re.search(r"\b[A-ZÆØÅ][\wæøå-]+\s+Kommune\b", signature):
                return KOMMUNE
            if find_organisation_names(signature) or (
                    core and re.search(rf"(?<![a-z0-9]){re.escape(core)}(?![a-z0-9])", fold(signature))):
                return ORGANISATION
            return None
    return None


# a role before a person's name on an attendance line ('v/ boligkonsulent Mette Blom', 'forretningsfører Claus M.')
# or after it in brackets ('Finn (ejendomsmester)')
_ROLE_BEFORE_NAME_RE = re.compile(r"(?<![\wæøå])(?P<role>[a-zæøå]{4,})\s*,?\s+(?:fru\s+|hr\.\s+)?[A-ZÆØÅ][a-zæøå]+")
_ROLE_AFTER_NAME_RE = re.compile(r"[A-ZÆØÅ][a-zæøå]+(?:\s+[A-ZÆØÅ][a-zæøå]+)?\s*\((?P<role>[a-zæøå]{4,})\)")
_NOT_ROLE = frozenset({"samt", "også", "deltog", "mødte", "stede", "desuden", "endvidere", "blev", "ledet", "deltagere",
                       "repræsentanter", "repræsentant", "undertegnede", "undertegnet", "kommune", "kommunen", "fremmødt", "fremmødte"})


# a person's name (its first word is the first name): capitalised words before a bracket, a comma, 'og' or the end
_PERSON_NAME_RE = re.compile(r"(?<![\wæøåÆØÅ./-])[A-ZÆØÅ][a-zæøå]{1,}(?:[ \t]+[A-ZÆØÅ][a-zæøå]+)*"
                             r"(?=\s*\(|\s*[,;.]|\s+og\b|\s+\+|\s*$)")
_NOT_PERSON = frozenset(fold(w) for w in ("Deltagere", "Til", "Fra", "For", "Til stede", "Mødedeltagere", "Fremmødt",
                                           "Fremmødte", "Deltog", "Kommune", "Kommunen", "Boligafd", "Referent",
                                           "Afbud", "Desuden", "Endvidere", "Samt", "Og", "Den", "Det", "Vi"))


def _after_party_name(words: str, parties: Parties) -> str:
    """The words after a party's name that run into a person's ('Nordhavn Kommune Pia Krag' -> 'Pia Krag')."""
    m = re.search(r"\bKommunen?\b", words)
    if m:
        return words[m.end():].strip()
    for known in parties.organisations:  # a name the document gives its party ('Boligforeningen A Ole Berg')
        at = words.find(known)
        if at >= 0:
            return words[at + len(known):].strip()
    names = find_organisation_names(words)
    if names:
        core = organisation_core(names[0].name).split()
        rest = words[names[0].start:].split()[1 + len(core):] if core else []
        return " ".join(rest)
    return words


def _definite(noun: str) -> str:
    """'konsulent' -> 'konsulenten', 'teamleder' -> 'teamlederen', 'referent' -> 'referenten', 'sekretære' -> '...n'."""
    return noun + ("n" if noun.endswith("e") else "en")


def _side_of(head: str, parties: Parties) -> str | None:
    """Which side one part of an attendance line names: the municipality, the organisation, or 'os' (the writer)."""
    if re.search(r"\bkommunen?\b|forvaltning", head, re.IGNORECASE):
        return KOMMUNE
    if re.search(r"\bfra\s+(?:os|vores\s+side)\b", head, re.IGNORECASE):
        return "os"
    if find_organisation_names(head) or parties.named_in(head) or re.search(
            r"\b(?:" + _ORGANISATION + r")\b", head, re.IGNORECASE):
        return ORGANISATION
    return None


def _attendance_roles(parties: Parties, texts: list[str]) -> None:
    """The roles an attendance line gives each side ('Deltagere: A v/ forretningsfører X; B Kommune v/
    boligkonsulent Y') become parties: 'Forretningsføreren' acts for A, 'Boligkonsulenten' for the municipality.
    A side written 'fra os' is the writer's, the other side of the line's ('fra os ..., fra kommunen ...')."""
    for text in texts:
        if not _ATTENDANCE_RE.match(text):
            continue
        sides = []
        for part in re.split(r";|(?<=[.])\s+(?=[A-ZÆØÅ])", text):
            head = re.split(r"\bv/|:|\s[A-ZÆØÅ][a-zæøå]+\s+\(", part, maxsplit=1)[0] if ":" not in part[:20] else part[:60]
            sides.append((_side_of(head[:70], parties), part))
        named = {side for side, _ in sides if side in (KOMMUNE, ORGANISATION)}
        if any(side == "os" for side, _ in sides) and len(named) == 1:
            writer = ORGANISATION if named == {KOMMUNE} else KOMMUNE
            parties.writer = parties.writer or writer
            sides = [(writer if side == "os" else side, part) for side, part in sides]
        seen: dict[str, str | None] = {}
        people: dict[str, str | None] = {}
        for side, part in sides:
            if side not in (KOMMUNE, ORGANISATION):
                continue
            for seq in _PERSON_NAME_RE.finditer(part):  # the people of each side act for it ('Finn laver ...')
                words = _after_party_name(seq.group(0), parties).split()  # 'for Boligforeningen A Ole Berg'
                key = fold(words[0]) if words else ""
                if not words or any(fold(w) in FORM_WORDS or w in ("Kommune", "Kommunen") for w in words) \
                        or key in _NOT_PERSON or key in parties.aliases or parties.named_in(" ".join(words)):
                    continue
                people[key] = side if people.get(key, side) == side else None
            for m in (*_ROLE_BEFORE_NAME_RE.finditer(part), *_ROLE_AFTER_NAME_RE.finditer(part)):
                role = m.group("role").lower()
                if role in _NOT_ROLE or re.fullmatch(_PARTY_WORD, role, re.IGNORECASE):
                    continue
                key = fold(_definite(role))
                seen[key] = side if seen.get(key, side) == side else None  # a role on both sides names neither
        for key, side in seen.items():
            if side is not None and key not in parties.aliases:
                parties.aliases[key] = parties.roles[key] = side
        parties.people = {key: side for key, side in people.items() if side is not None}
        return


# a person's first name (or first and last name) and 'fra', before the party they come from
_PERSON_FROM_RE = re.compile(r"[A-ZÆØÅ][a-zæøå]+(?:\s+[A-ZÆØÅ][a-zæøå]+)?\s+fra\s+(?=\S)")


# a person with the party in brackets: 'Karin (kommunen) tager sig af ...', 'Lise (BSF) sender ...'
_PERSON_BRACKET_RE = re.compile(r"[A-ZÆØÅ][a-zæøå]+(?:\s+[A-ZÆØÅ][a-zæøå]+)?\s*\((?=[^()]{2,40}\))")
# the genitive of a party before a person ('Kommunens repræsentant', 'selskabets kontaktperson Jens')
_GENITIVE_PERSON_RE = re.compile(r"(?P<party>(?i:kommunen|forvaltningen|selskabet|foreningen|boligforeningen"
                                 r"|boligselskabet|organisationen|boligorganisationen))s\s+(?i:repræsentant(?:er)?"
                                 r"|kontaktperson|medarbejder(?:e)?|sagsbehandler|konsulent|administration|direktør"
                                 r"|formand|forretningsfører)\b(?:\s+[A-ZÆØÅ][a-zæøå]+){0,2}")


def _one_party(text: str, pos: int, parties: Parties) -> tuple[str, str] | None:
    """(phrase, role) of the single party written at text[pos:], else None."""
    pronoun = _PRONOUN_RE.match(text, pos) if parties.writer else None
    if pronoun and parties.writer:
        other = ORGANISATION if parties.writer == KOMMUNE else KOMMUNE
        return pronoun.group(0), parties.writer if pronoun.group(0).lower() == "vi" else other
    names = find_organisation_names(text[pos:pos + 90])
    if names and names[0].start == 0:
        return names[0].name, ORGANISATION
    genitive = _GENITIVE_PERSON_RE.match(text, pos)
    if genitive:  # 'Kommunens repræsentant', 'selskabets kontaktperson': a person acting for the party
        role = _party_role(genitive.group("party"), parties)
        if role is not None:
            return genitive.group(0), role
    known = re.match(r"[a-zæøå]{4,}(?=[\s,.;:)]|$)", text[pos:])
    if known and fold(known.group(0)) in parties.roles:  # a role the attendance line gave a side ('driftslederen')
        return known.group(0), parties.roles[fold(known.group(0))]
    m = _ONE_PARTY_RE.match(text, pos)
    if not m:
        return None
    phrase = m.group(0)
    role = _party_role(phrase, parties)
    person = (_PERSON_FROM_RE.match(text, pos) or _PERSON_BRACKET_RE.match(text, pos)) if role is None else None
    if person is not None:  # 'Bente fra kommunen', 'Per fra driften i Y': a person speaks for the party named
        side = _one_party(text, person.end(), parties)
        if side is not None:
            closing = ")" if text[person.end() + len(side[0]):].startswith(")") else ""
            return text[pos:person.end()] + side[0] + closing, side[1]
    words = phrase.split()
    if role is None and fold(words[0]) in parties.people and re.match(r"\s+(?:\(|[a-zæøå])", text[pos + len(words[0]):]):
        return words[0], parties.people[fold(words[0])]  # 'Finn laver ...': a person of one side's attendance line
    while role is None and len(words) > 1:  # a capitalised phrase may run into a verb ('VAB fremsender')
        words = words[:-1]
        role = _party_role(" ".join(words), parties)
    return (" ".join(words), role) if role else None


def party_at(text: str, pos: int, parties: Parties) -> PartyMention | None:
    """The party phrase (one party, or two joined by 'og') that starts at text[pos:], else None."""
    phrases: list[tuple[str, str, int]] = []
    i = pos
    while len(phrases) < 2:
        found = _one_party(text, i, parties)
        if found is None:
            break
        phrase, role = found
        phrases.append((phrase, role, i + len(phrase)))
        joined = re.match(r"\s+og\s+", text[i + len(phrase):])
        if not joined:
            break
        i = i + len(phrase) + joined.end()
    if not phrases:
        return None
    roles = {r for _, r, _ in phrases}
    role = BEGGE if len(roles) > 1 or BEGGE in roles else roles.pop()
    end = phrases[-1][2]
    return PartyMention(text[pos:end], role, end)


_ANY_PARTY_RE = re.compile(r"(?<![\wæøå])(?:(?i:" + _PARTY_WORD + r")|[A-ZÆØÅ][\wÆØÅæøå.'-]*)(?=[\s,.;:)]|$)")


def first_party(text: str, parties: Parties) -> PartyMention | None:
    """The first party named anywhere in a text ('Aftalen om, at kommunen betaler ...' -> 'kommunen')."""
    for m in _ANY_PARTY_RE.finditer(text):
        found = party_at(text, m.start(), parties)
        if found is not None:
            return found
    return None


_GENERIC_ORGANISATION = frozenset({"selskabet", "foreningen", "bo", "bo.org.", "bo.org", "bo. org.", "organisationen",
                                   "boligorganisationen", "boligforeningen", "boligselskabet", "andelsboligforeningen"})


def normalise_party(phrase: str | None, parties: Parties) -> str | None:
    """'selskabet', 'BO' in a referat of one organisation -> that organisation; abbreviations written out."""
    if phrase and phrase.lower().strip(" ,") in _GENERIC_ORGANISATION and len(parties.organisations) == 1:
        return parties.organisation
    if phrase and parties.writer and re.fullmatch(r"vi|i", phrase.strip(), re.IGNORECASE):  # 'Vi', 'I' in a mail
        side = parties.writer if phrase.strip().lower() == "vi" else (ORGANISATION if parties.writer == KOMMUNE
                                                                       else KOMMUNE)
        return (parties.municipality or "Kommunen") if side == KOMMUNE else (parties.organisation or "Organisationen")
    person = _person_side(phrase, parties) if phrase else None
    if phrase and person:  # 'Finn' -> 'Finn (Andelsboligforeningen X)'
        kommune, organisation = parties.municipality or "kommunen", parties.organisation or "organisationen"
        name = kommune if person == KOMMUNE else organisation if person == ORGANISATION else f"{kommune} og {organisation}"
        return f"{phrase} ({name})"
    return parties.expand(phrase) if phrase else phrase


def _person_side(phrase: str, parties: Parties) -> str | None:
    """The side of a phrase that is one person or role of an attendance line ('Finn', 'Boligkonsulenten'), else None;
    two joined by 'og' of different sides are both ('Boligkonsulenten og driftslederen')."""
    sides = []
    for part in re.split(r"\s+og\s+", phrase.strip(" ,.")):
        words = part.split()
        key = fold(words[0]) if len(words) == 1 else ""
        side = parties.people.get(key) or parties.roles.get(key) or (_party_role(part, parties) if key else None)
        if side is None:
            return None
        sides.append(side)
    if not any(fold(w) in parties.people or fold(w) in parties.roles for w in re.findall(r"[\wæøå]+", phrase)):
        return None  # no person or role of the attendance line in it: the phrase is written out as usual
    return sides[0] if len(set(sides)) == 1 else BEGGE
