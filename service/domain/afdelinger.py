"""Afdelinger named in a text: 'Afd. 3 Fjordparken', 'Afdeling 3 - Fjordparken', 'Fjordparken (afd. 3)'.

Reports, referater and agreements name an afdeling by its number, its name or both; the review
collects a report's afdelinger in an ``AfdelingRegistry``, the register tags agreements with theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import fold

_NAME_WORD = r"[A-ZÆØÅ][A-Za-zÆØÅæøåéü'-]*"
_AFD_RE = re.compile(
    r"\b(?i:afd\.?|afdeling|afdelingsnr\.?)\s*(?i:nr\.?\s*)?(?P<nr>\d{1,4})(?![\d,.]\d)\b"
    r"(?:\s*[-–:,]?\s*(?P<name>" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){0,3}))?",
)
_NAME_FIRST_RE = re.compile(
    r"(?P<name>" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){0,3})\s*\(\s*(?i:afd\.?|afdeling)\s*(?i:nr\.?\s*)?(?P<nr>\d{1,4})\s*\)",
)
# Capitalised words that end a name: boligtypes, table words, sentence words.
_STOP_WORDS = {fold(w) for w in (
    "Familieboliger", "Familiebolig", "Ungdomsboliger", "Ældreboliger", "Plejeboliger", "Seniorboliger",
    "Handicapboliger", "Blandet", "Ja", "Nej", "I", "Der", "Det", "Den", "Husleje", "Huslejen", "Ledige",
    "Tab", "Fraflytning", "Fraflytningsprocent", "Effektivitetstal", "Effektivitetstallet", "Vedligeholdelse",
    "Årlige", "Opsparede", "Afdelingsbestyrelse", "Antal", "Opført", "Boligtype", "Er", "Har", "Var", "Og",
    "Nye", "Nyt", "Ny", "Udskiftning", "Renovering", "Maling", "Tilgængelighed", "Energirenovering",
)}

_BOLIGTYPE_WORD_RE = re.compile(r"^(?:familie|ungdoms|aeldre|pleje|senior|handicap|almene)bolig")


@dataclass
class AfdelingInfo:
    """An afdeling named in the report."""

    nr: int | None
    name: str
    boligtype: str | None = None

    @property
    def label(self) -> str:
        return f"Afd. {self.nr} {self.name}".strip() if self.nr is not None else self.name


@dataclass(frozen=True)
class AfdelingMention:
    """An afdeling named in a text, with its span."""

    nr: int | None
    name: str
    start: int
    end: int


def _clean_name(name: str | None) -> str:
    if not name:
        return ""
    words = name.split()
    kept: list[str] = []
    for w in words:
        if fold(w.strip(",.;:")) in _STOP_WORDS or _BOLIGTYPE_WORD_RE.match(fold(w)):
            break
        kept.append(w.strip(",.;:"))
    return " ".join(kept)


def find_afdelinger(text: str, known: dict[int, str] | None = None) -> list[AfdelingMention]:
    """Afdeling mentions in reading order; known names (nr -> name) are also found without 'afd.'."""
    found: list[AfdelingMention] = []
    taken: list[tuple[int, int]] = []
    for m in _NAME_FIRST_RE.finditer(text):
        name = _clean_name(m.group("name"))
        found.append(AfdelingMention(int(m.group("nr")), name, m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in _AFD_RE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        name = _clean_name(m.group("name"))
        end = m.start("name") + len(name) if name else m.end("nr")
        found.append(AfdelingMention(int(m.group("nr")), name, m.start(), end))
        taken.append((m.start(), end))
    if known:
        for nr, name in known.items():
            if not name:
                continue
            for m in re.finditer(r"(?<![\wæøå])" + re.escape(name) + r"(?![\wæøå])", text):
                if any(a <= m.start() < b for a, b in taken):
                    continue
                found.append(AfdelingMention(nr, name, m.start(), m.end()))
                taken.append((m.start(), m.end()))
    found.sort(key=lambda a: a.start)
    return found


def names_afdeling(text: str, nr: int) -> bool:
    """True when a text names afdeling number ``nr`` ('afd. 3', 'afdeling 3')."""
    return re.search(r"\bafd(?:eling|\.)?\s*" + str(nr) + r"\b", text, re.IGNORECASE) is not None


def afdeling_at_start(text: str, known: dict[int, str] | None = None) -> AfdelingMention | None:
    """The afdeling a table row starts with ('Afd. 1 Skovbrynet 889 ...'), else None."""
    stripped = text.lstrip(" |")
    offset = len(text) - len(stripped)
    for m in find_afdelinger(stripped[:80], known):
        if m.start == 0:
            return AfdelingMention(m.nr, m.name, m.start + offset, m.end + offset)
        break
    if known:  # '1 Skovbrynet | 889' or '1. Skovbrynet'
        m2 = re.match(r"(\d{1,4})\.?\s+(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){0,3})", stripped)
        if m2 and int(m2.group(1)) in known and fold(known[int(m2.group(1))]) in fold(m2.group(2)):
            name = known[int(m2.group(1))]
            end = stripped.find(name) + len(name)
            return AfdelingMention(int(m2.group(1)), name, offset, end + offset)
    return None


class AfdelingRegistry:
    """The afdelinger of a report, collected from every explicit mention (number + name)."""

    def __init__(self) -> None:
        self.by_nr: dict[int, AfdelingInfo] = {}

    def add(self, mention: AfdelingMention, boligtype: str | None = None) -> AfdelingInfo | None:
        """Register a mention (a longer name or a boligtype completes what is known)."""
        if mention.nr is None:
            return None
        info = self.by_nr.get(mention.nr)
        if info is None:
            info = AfdelingInfo(mention.nr, mention.name, boligtype)
            self.by_nr[mention.nr] = info
        else:
            if mention.name and (not info.name or len(mention.name) > len(info.name)) and _is_extension(info.name, mention.name):
                info.name = mention.name
            if boligtype and not info.boligtype:
                info.boligtype = boligtype
        return info

    def names(self) -> dict[int, str]:
        """Known names by afdeling number."""
        return {nr: a.name for nr, a in self.by_nr.items() if a.name}

    def label(self, nr: int | None, fallback: str = "") -> str | None:
        """'Afd. 3 Fjordparken' for a number."""
        if nr is None:
            return fallback or None
        info = self.by_nr.get(nr)
        return info.label if info else f"Afd. {nr}"

    def all(self) -> list[AfdelingInfo]:
        """Every afdeling, by number."""
        return [self.by_nr[k] for k in sorted(self.by_nr)]


def _is_extension(old: str, new: str) -> bool:
    return not old or new.startswith(old)
