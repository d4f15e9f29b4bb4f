"""The parts of a referat: where agreements are listed, where old agreements are followed up, who attended.

A heading (a Word heading, a bold paragraph, a short numbered line 'Pkt. 4 Udlejning', 'Ad 3.
Afdelingerne') sets the kind of what follows until the next heading:

* ``AGREEMENTS``: 'Aftaler', 'Nye aftaler', 'Beslutninger', 'Konklusion(er)', 'Konklusioner og opfølgning',
  'Opfølgningspunkter', 'Aftaleoversigt', 'Aftalte punkter', 'Handlingsplan', 'Næste skridt';
* ``STATUS``: a look back - 'Opfølgning på aftaler fra 2025', 'Status på sidste års aftaler',
  'Opfølgning fra dialogmødet 2025' (a year, 'sidste', 'tidligere' or 'fra' + the past);
* ``PARTIES``: 'Deltagere', 'Til stede', 'Afbud', 'Parter', 'Underskrifter';
* ``PURPOSE``: 'Formål', 'Baggrund' - what an agreement is for, not what it binds anyone to;
* ``SUMMARY``: a closing summary - 'Opsamling', 'Sammenfatning', 'Kort opsummering', 'Resumé': what it states
  a party does is agreed, but it may recap wishes and discussions too, so its points are read as sentences;
* ``OTHER``: anything else (an agenda item: agreements there are read from their sentences).

An introduction ending in a colon ('Følgende blev aftalt:', 'Parterne aftalte følgende:') makes the
list after it agreements, also inside an ordinary agenda item.
"""

from __future__ import annotations

import re

from knowledge.text import fold

AGREEMENTS = "aftaler"
STATUS = "status"
PARTIES = "parter"
PURPOSE = "formaal"
SUMMARY = "opsamling"
OTHER = "andet"

_AGREEMENT_HEADING_RE = re.compile(
    r"\b(?:(?:nye|indgaaede|konkrete|aftalte|trufne)\s+)?(?:aftaler|aftalt|aftalte\s+punkter|aftalepunkt(?:er)?|aftaleoversigt"
    r"|oversigt\s+over\s+aftaler|beslutning(?:er|sprotokol)?|konklusion(?:er)?|opfoelgningspunkter|handlingsplan"
    r"|(?:blev|er)\s+(?:besluttet|vedtaget)"
    r"|handlingspunkter|naeste\s+skridt|to\s*do|action\s*(?:points?|items?))\b")
_LOOK_BACK_RE = re.compile(
    r"(?:opfoelgning|status)\s+(?:paa|fra|af)\b|\bsidste\s+aars\b|\btidligere\b|\bfra\s+(?:sidste|forrige|(?:dialog)?moedet\s+(?:i\s+)?(?:19|20)\d\d)"
    r"|aftaler\s+(?:fra|indgaaet\s+i)\s+(?:19|20)\d\d|^(?:ad\s+\d+\.?\s*|\d+\.?\s*)?(?:opfoelgning|status)$")
_PARTIES_RE = re.compile(r"^(?:\d+\.?\s*)?(?:deltagere|til\s+stede|fremmoedte|afbud|parter|parterne|underskrift"
                         r"|underskrifter|kontaktpersoner)\b")
# a closing summary of the meeting, maybe qualified ('Kort opsummering', 'Samlet resumé', '5. Opsamling')
_SUMMARY_RE = re.compile(r"^(?:(?:pkt\.|punkt|ad)\s*)?(?:\d+\.?\s*)?(?:(?:kort|kortfattet|samlet|afsluttende|endelig)\s+)?"
                         r"(?:opsamling|sammenfatning|opsummering|resume|sammendrag)\b")
_PURPOSE_RE = re.compile(r"^(?:§\s*)?(?:\d+\.?\s*)?(?:formaal|baggrund|indledning)\b")
_INTRO_RE = re.compile(
    r"(?:følgende\s+(?:blev|er)\s+(?:aftalt|besluttet|vedtaget)|(?:blev|er)\s+(?:der\s+)?(?:aftalt|besluttet)\s+følgende"
    r"|(?:aftalte|besluttede|vedtog)\s+(?:parterne\s+)?følgende|følgende\s+aftaler|indgik\s+(?:følgende\s+)?aftale"
    r"|(?:aftalt|besluttet|konklusion(?:er)?|aftaler|beslutninger)\s*:)\s*:?\s*$",
    re.IGNORECASE)
_AGENDA_ITEM_RE = re.compile(r"^(?:Pkt\.|Punkt|Dagsordenspunkt|Dagsordenspkt\.)\s*\d{1,2}\s*:\s*(?=[A-ZÆØÅ])")
_HEADING_LIKE_RE = re.compile(r"^(?:(?:Pkt\.|Punkt|Ad|Dagsordenspunkt|Dagsordenspkt\.)\s*\d{1,2}[.:]?\s+|§\s*\d{1,2}\.?\s+|\d{1,2}\.\s+)?"
                              r"[A-ZÆØÅ]")


def section_kind(heading: str) -> str:
    """The kind of a section from its heading (see the module docstring)."""
    low = fold(re.sub(r"\s+", " ", heading)).strip(" :.")
    if _PARTIES_RE.search(low):
        return PARTIES
    if _PURPOSE_RE.search(low):
        return PURPOSE
    if _AGREEMENT_HEADING_RE.search(low) and not _LOOK_BACK_RE.search(low):
        return AGREEMENTS
    if _LOOK_BACK_RE.search(low):
        return STATUS
    if _SUMMARY_RE.search(low):
        return SUMMARY
    return OTHER


def looks_like_heading(text: str) -> bool:
    """A paragraph that is really a heading (a bold line in Word, a short numbered line in a PDF)."""
    text = text.strip()
    if not text or "\n" in text or len(text) > 80 or "|" in text or text.endswith((".", ",", ";", ":")):
        return False
    agenda = _AGENDA_ITEM_RE.match(text)  # 'Dagsordenspunkt 2: Udlejning': the colon follows the item's number
    if re.match(r"^(?:\d{1,2}\)|[-•*–])\s", text) or re.search(r":\s*\S", text[agenda.end() if agenda else 0:]):
        return False
    if re.search(r"\s(?:at|og|i|til|om|for|der|som|af|med|på|en|et|den|det)$|\sat\s", text, re.IGNORECASE):
        return False  # a sentence broken off ('Forvaltningen indstiller, at'), not a heading
    return bool(_HEADING_LIKE_RE.match(text)) and len(text.split()) <= 10


# 'Her er en kort opsamling af det, vi aftalte': a paragraph that says the list after it is what was agreed
_RECAP_RE = re.compile(r"\b(?:det|hvad)\s*,?\s*(?:vi|parterne|I|man)\s+(?:aftalte|besluttede|blev\s+enige\s+om)\b",
                       re.IGNORECASE)


def is_intro(text: str) -> bool:
    """A line that introduces a list of agreements ('Følgende blev aftalt:'), possibly ending a paragraph."""
    return bool(_INTRO_RE.search(text.strip()))


def is_recap(text: str) -> bool:
    """A paragraph that announces what was agreed ('en opsamling af det, vi aftalte'): the list after it."""
    return bool(_RECAP_RE.search(text))


def party_line(text: str) -> bool:
    """A line that lists who attended or who signs ('Deltagere: ...', 'Til stede var ...', 'For X: navn')."""
    low = fold(text.strip().lstrip("-•* "))
    return bool(re.match(r"(?:deltagere|til\s+stede|fremmoedte|afbud|referent|moedeleder|ordstyrer|for\s+[a-z]"
                         r"[^:]{2,60}:\s*[a-z]+\s+[a-z]+,)", low))
