"""Who a styringsrapport is from and which year it covers: organisation, styringsår, regnskabsår, kommune."""

from __future__ import annotations

import re
from collections import Counter

from knowledge.types import LoadedDocument
from service.domain.organisations import most_named_organisation, organisation_by_cue
from service.review.model import Identity

_ORG_WORD = r"[A-ZÆØÅ][\wÆØÅæøå&'.-]*"
_ORG_NAME = _ORG_WORD + r"(?:\s+(?:af\s+\d{4}|" + _ORG_WORD + r")){0,4}"
_ORG_LABEL_RE = re.compile(
    r"(?:^|\n|\|\s*)(?:Boligorganisation(?:ens navn)?|Organisation(?:ens navn)?|Boligselskab|Navn)\s*[:|]?\s+"
    r"(?P<name>" + _ORG_NAME + r")"
)
# Words that end a name when table rows were merged into one line by the PDF loader.
_NAME_STOPS = ("Organisationsnummer", "Adresse", "Administrator", "Tilsynskommune", "CVR", "Styringsår",
               "Regnskabsår", "Antal", "Formand", "Direktør", "Kommune", "Dokumentationspakke", "Styringsrapport",
               "Fiktivt", "Side")
_YEAR_RE = r"((?:19|20)\d\d)"
_STYRINGSAAR_RES = (
    re.compile(r"styringsrapport(?:en)?\s*(?:for\s*)?(?:styringsåret\s*)?[-–:]?\s*" + _YEAR_RE, re.IGNORECASE),
    re.compile(r"styrings[åa]+r(?:et)?\s*[:|]?\s*" + _YEAR_RE, re.IGNORECASE),
    re.compile(r"dokumentationspakke(?:n)?\s*(?:for\s*)?" + _YEAR_RE, re.IGNORECASE),
)
# 'Regnskabsår: 2025', and in running text 'bygger på regnskabet for 2025', 'årsregnskabet for 2025'
_REGNSKABSAAR_RE = re.compile(r"regnskabs[åa]+r(?:et)?\s*[:|]?\s*" + _YEAR_RE
                              + r"|\b(?:års)?regnskab(?:et)?\s+for\s+(?:(?:regnskabs)?året\s+)?" + _YEAR_RE, re.IGNORECASE)
_MUNICIPALITY_LABEL_RE = re.compile(r"(?:tilsynskommune|kommune)\s*[:|]\s*(?P<name>[A-ZÆØÅ][\wæøå-]+(?:\s+Kommune)?)")
_MUNICIPALITY_RE = re.compile(r"\b(?P<name>[A-ZÆØÅ][\wæøå-]+)\s+Kommune\b")
_NOT_MUNICIPALITY = {"den", "til", "med", "af", "i", "og", "for", "fra", "hver", "samme"}


def _trim_name(name: str) -> str:
    words = name.split()
    kept: list[str] = []
    for w in words:
        if any(w.startswith(stop) for stop in _NAME_STOPS) and kept:
            break
        kept.append(w)
    return " ".join(kept).strip(" .,;:-–")


def find_organisation(doc: LoadedDocument) -> str | None:
    """The organisation's name: a labelled field ('Boligorganisation: X'), else the name in the title, the
    first blocks or the most named in the report (service.domain.organisations), else one named by its place
    ('Styringsrapport 2026 – X', 'X (XA)')."""
    head = "\n".join(b.text for b in doc.blocks[:12])
    m = _ORG_LABEL_RE.search("\n".join(b.text for b in doc.blocks[:80]))
    if m:
        name = _trim_name(m.group("name"))
        if len(name) > 3:
            return name
    full = "\n".join(b.text for b in doc.blocks)
    return most_named_organisation([doc.title, head, full]) or organisation_by_cue([doc.title, head])


def find_years(doc: LoadedDocument) -> tuple[int | None, int | None]:
    """(styringsår, regnskabsår); either may be derived from the other (styringsår = regnskabsår + 1)."""
    head = "\n".join([doc.title] + [b.text for b in doc.blocks[:60]])
    styr: int | None = None
    for pat in _STYRINGSAAR_RES:
        m = pat.search(head)
        if m:
            styr = int(m.group(1))
            break
    m = _REGNSKABSAAR_RE.search(head)
    regn = int(m.group(1) or m.group(2)) if m else None
    if styr is None and regn is not None:
        styr = regn + 1
    if regn is None and styr is not None:
        regn = styr - 1
    return styr, regn


def find_municipality(doc: LoadedDocument) -> str | None:
    """The tilsynskommune: a labelled field, else the most frequent 'X Kommune'."""
    text = "\n".join(b.text for b in doc.blocks)
    m = _MUNICIPALITY_LABEL_RE.search(text)
    if m:
        name = m.group("name")
        return name if name.endswith("Kommune") else f"{name} Kommune"
    counts = Counter(m2.group("name") for m2 in _MUNICIPALITY_RE.finditer(text)
                     if m2.group("name").lower() not in _NOT_MUNICIPALITY)
    if counts:
        return f"{counts.most_common(1)[0][0]} Kommune"
    return None


def find_identity(doc: LoadedDocument) -> Identity:
    """Organisation, years and municipality of a loaded report (fields None when not found)."""
    styr, regn = find_years(doc)
    return Identity(
        organisation=find_organisation(doc), styringsaar=styr, regnskabsaar=regn,
        municipality=find_municipality(doc), title=doc.title, pages=doc.page_count, fmt=doc.fmt,
    )
