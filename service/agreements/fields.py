"""The fields and clauses of one decision in a referat: who and when written next to it ('Ansvarlig: ...',
'Frist: ...', 'Periode: ...', '(ansvar: X, frist: Y)'), several decisions in one sentence or field, and a sentence
after a decision that only says when it is due.
"""

from __future__ import annotations

import re

from knowledge.text import fold
from service.agreements.decisions import commitment, decision_in, guarded, has_time
from service.agreements.parties import Parties, party_at

# who and when, as fields next to a decision; a period or a follow-up date is a 'when' too ('Periode: 2027-2029',
# 'Opfølgning: 15.02.2027'), but such a field may also hold words only ('Opfølgning: kommunen rykker')
FIELD_RE = re.compile(r"\b(Ansvarlig|Ansvar|Frist|Tidsfrist|Deadline|Status|Periode|Gyldighedsperiode|Gyldighed"
                       r"|Opfølgning|Evaluering|Tidsplan|Hvornår)\s*:\s*", re.IGNORECASE)
_PAREN_FIELDS_RE = re.compile(r"\s*\((?P<inner>[^()]*\b(?:ansvar|ansvarlig|frist|tidsfrist|deadline)\s*:[^()]*)\)",
                              re.IGNORECASE)

def split_fields(text: str) -> tuple[str, dict[str, str]]:
    """'... Ansvarlig: X. Frist: senest 1. juni 2026.' or '... (ansvar: X, frist: Y)' -> (text before, fields)."""
    fields: dict[str, str] = {}
    paren = _PAREN_FIELDS_RE.search(text)
    if paren:
        for part in re.split(r"[,;]\s*(?=[\wæøå]+\s*:)", paren.group("inner")):
            key, _, value = part.partition(":")
            fields[_field_key(key)] = value.strip(" .")
        text = (text[:paren.start()] + text[paren.end():]).strip()
    m = FIELD_RE.search(text)
    if not m:
        return text.strip(), fields
    body = text[:m.start()].strip().rstrip(" –-,;").strip()  # '... for Q3 – ansvarlig: X': the dash goes too
    parts = list(FIELD_RE.finditer(text))
    for i, fm in enumerate(parts):
        end = parts[i + 1].start() if i + 1 < len(parts) else len(text)
        fields[_field_key(fm.group(1))] = text[fm.end():end].strip().rstrip(".,;–- ").strip()
    return body, fields



# a sentence followed by who must act ('Ansvarlig: Kommunen (JL), deadline 1. marts 2027'): an assigned action
ASSIGNED_RE = re.compile(r"(?<=[.!?])\s+(?:Ansvarlig|Ansvar|Owner)\s*:\s*\S", re.IGNORECASE)


def assignment_fields(text: str) -> dict[str, str]:
    """'Ansvarlig: Kommunen (JL), deadline 1. marts 2027.' -> {'ansvarlig': 'Kommunen (JL)', 'frist': '1. marts 2027'}."""
    _, fields = split_fields(text.strip())
    who = fields.get("ansvarlig", "")
    when = re.search(r",?\s*(?:deadline|frist|senest)\s*:?\s*(?P<when>.+)$", who, re.IGNORECASE)
    if when:
        fields["ansvarlig"], fields["frist"] = who[:when.start()].strip(" ,"), when.group("when").strip(" .")
    return fields


_WHEN_FIELDS = frozenset({"periode", "gyldighedsperiode", "gyldighed", "opfoelgning", "evaluering", "tidsplan",
                          "hvornaar"})


def _field_key(key: str) -> str:
    key = fold(key).strip().replace("tidsfrist", "frist").replace("deadline", "frist")
    if key in _WHEN_FIELDS:
        return "hvornaar"  # read for a date or period only (service.agreements.extract)
    return "ansvarlig" if key.startswith("ansvar") else key



# a sentence that refers back to the thing just decided ('Den ...', 'Planen ...', 'Dette ...')
_BACK_REFERENCE_RE = re.compile(r"^\W*(?:den|det|denne|dette|de|disse|[A-ZÆØÅ][a-zæøå]+(?:en|et|erne))\s", re.IGNORECASE)


def semicolon_parts(sentence: str, parties: Parties) -> list[str]:
    """'A udlejer ...; kommunen anviser ...': two decisions when the clause after the semicolon has a party of its
    own; 'A og kommunen indgår en aftale ...; A sender et udkast ...' is one (the second is a step of the first)."""
    parts = re.split(r"(?<=;)\s+", sentence)
    out = parts[:1]
    for part in parts[1:]:
        before, after = party_at(out[-1], 0, parties), commitment(part, parties)
        if after is None or (before is not None and fold(after.text) in fold(before.text)):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def says_when(sentence: str, parties: Parties) -> bool:
    """True for a sentence that only adds when the decision before it is due ('Den skal være kommunen i hænde
    senest 1. marts 2027.'): it refers back, states a time and is no status, wish or refusal."""
    return (bool(_BACK_REFERENCE_RE.match(sentence)) and party_at(sentence.lstrip(" -•*–"), 0, parties) is None
            and has_time(sentence) and not guarded(sentence, commitment=True))


def group_sentences(sentences: list[str], parties: Parties) -> list[str]:
    """Sentences of one field or cell, grouped into agreements: a sentence with its own acting party starts one."""
    groups: list[str] = []
    for sentence in sentences:
        starts = decision_in(sentence, parties) is not None or commitment(sentence, parties) is not None
        if groups and not starts:
            groups[-1] = f"{groups[-1]} {sentence}"
        else:
            groups.append(sentence)
    return groups
