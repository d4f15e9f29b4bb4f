"""Afdelinger a report names without numbers ('ejer tre afdelinger: familieboligerne i Nordlunden,
ungdomsboligerne i Sydparken og ældreboligerne i Åhuset').

A small organisation (a selvejende institution, a boligforening with a few afdelinger) may write its report
as prose and never print an afdelingsnummer. The afdelinger are then named in the sentence that counts them:
the proper names after 'afdelinger' (capitalised words inside the sentence), as many as the sentence says.
Failing that, each afdeling has a section of its own: a heading that is a name, whose text begins with
'Afdelingen', with the name or with the homes of a boligtype ('Ungdomsboligerne, 56 i alt, ...'). They are
numbered in the order the report gives them - the only order it has - so that figures, checks and the
note can keep them apart; a report that numbers any afdeling is left alone.
"""

from __future__ import annotations

import re

from knowledge.sentences import split_sentences
from knowledge.text import fold
from service.domain.afdelinger import AfdelingMention
from service.review.labels import boligtype_in, find_labels
from service.review.report_lines import ReportLine, section_line

_COUNTED_RE = re.compile(r"\b(?P<n>\d{1,2})\s+(?:bolig)?afdelinger\b|\bafdelingerne\b", re.IGNORECASE)
_NAME_RE = re.compile(r"(?<![\wæøåÆØÅ])[A-ZÆØÅ][a-zæøåé'-]+(?:\s+[A-ZÆØÅ][a-zæøåé'-]+){0,3}")
# Capitalised words that are not afdeling names when they open a listed item.
_NOT_NAMES = frozenset(fold(w) for w in ("Kommune", "Kommunen", "Landsbyggefonden", "Afdeling", "Afdelingen", "Der",
                                         "Den", "Det", "De", "I", "Og"))


def listed_afdelinger(paragraphs: list[str], organisation: str | None) -> list[tuple[AfdelingMention, str | None]]:
    """(afdeling numbered in listed order, its boligtype) from the first sentence that counts and names them."""
    org_words = {fold(w) for w in re.findall(r"[\wæøå]+", organisation or "", re.IGNORECASE)}
    for text in paragraphs:
        for sentence in split_sentences(text):
            m = _COUNTED_RE.search(sentence)
            if m is None:
                continue
            names = _names_after(sentence, m.end(), org_words)
            wanted = int(m.group("n")) if m.group("n") else None
            if len(names) < 2 or (wanted is not None and len(names) != wanted):
                continue
            out: list[tuple[AfdelingMention, str | None]] = []
            previous_end = m.end()
            for nr, (start, end, name) in enumerate(names, start=1):
                btype = boligtype_in(sentence[previous_end:start])
                out.append((AfdelingMention(nr, name, start, end), btype))
                previous_end = end
            return out
    return []


def _names_after(sentence: str, pos: int, org_words: set[str]) -> list[tuple[int, int, str]]:
    names: list[tuple[int, int, str]] = []
    for m in _NAME_RE.finditer(sentence, pos):
        words = m.group(0).split()
        if fold(words[0]) in _NOT_NAMES or all(fold(w) in org_words for w in words):
            continue
        names.append((m.start(), m.end(), m.group(0)))
    seen = {fold(n) for _, _, n in names}
    return names if len(seen) == len(names) else []


_SECTION_START_RE = re.compile(r"^\s*(?:Afdelingen\b|(?:Familie|Ungdoms|Ældre|Pleje|Senior|Handicap)boligerne\b)")
_HEADING_NAME_RE = re.compile(r"^[A-ZÆØÅ][a-zæøåé'-]+(?:\s+[A-ZÆØÅ][a-zæøåé'-]+){0,3}$")


def headed_afdelinger(lines: list[ReportLine]) -> list[tuple[AfdelingMention, str | None]]:
    """(afdeling numbered in the report's order, its boligtype) from sections headed by an afdeling's name."""
    out: list[tuple[AfdelingMention, str | None]] = []
    for line, nxt in zip(lines, lines[1:]):
        text = line.text.strip()
        heading = line.kind == "heading" or (line.kind == "paragraph" and section_line(text))
        if not heading or not _HEADING_NAME_RE.match(text) or find_labels(text) or nxt.kind != "paragraph":
            continue
        first = split_sentences(nxt.text)[:1]
        sentence = first[0] if first else ""
        if re.search(r"\bafdelinger\b", sentence, re.IGNORECASE):
            continue  # the organisation's own section ('X ejer tre afdelinger ...')
        if _SECTION_START_RE.match(sentence) or re.match(re.escape(text) + r"\b", sentence):
            out.append((AfdelingMention(len(out) + 1, text, 0, len(text)), boligtype_in(sentence)))
    return out if len(out) >= 2 else []
