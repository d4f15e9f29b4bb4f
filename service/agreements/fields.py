"""The fields and clauses of one decision in a referat: who and when written next to it ('Ansvarlig: ...',
'Frist: ...', 'Periode: ...', '(ansvar: X, frist: Y)'), several decisions in one sentence or field, and a sentence
after a decision that only says when it is due.
"""

from __future__ import annotations

import re

from knowledge.text import fold
from service.agreements.decisions import commitment, decision_in, guarded, has_time, wished
from service.agreements.parties import Parties, party_at

# who and when, as fields next to a decision; a period or a follow-up date is a 'when' too ('Periode: 2027-2029',
# 'Opfølgning: 15.02.2027'), but such a field may also hold words only ('Opfølgning: kommunen rykker')
FIELD_RE = re.compile(r"\b(Ansvarlig|Ansvar|Frist|Tidsfrist|Deadline|Status|Periode|Gyldighedsperiode|Gyldighed"
                       r"|Opfølgning|Evaluering|Tidsplan|Hvornår|Gælder|Gyldig|Varighed|Løbetid)\s*:\s*", re.IGNORECASE)
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
                          "hvornaar", "gaelder", "gyldig", "varighed", "loebetid"})


def _field_key(key: str) -> str:
    key = fold(key).strip().replace("tidsfrist", "frist").replace("deadline", "frist")
    if key in _WHEN_FIELDS:
        return "hvornaar"  # read for a date or period only (service.agreements.extract)
    return "ansvarlig" if key.startswith("ansvar") else key



# a sentence that refers back to the thing just decided ('Den ...', 'Planen ...', 'Dette ...')
_BACK_REFERENCE_RE = re.compile(r"^\W*(?:den|det|denne|dette|de|disse|[A-ZÆØÅ][a-zæøå]+(?:en|et|erne))\s", re.IGNORECASE)


def semicolon_parts(sentence: str, parties: Parties) -> list[str]:
    """'A udlejer ...; kommunen anviser ...': two decisions when the clause after the semicolon has a party of its
    own; 'A og kommunen indgår en aftale ...; A sender et udkast ...' is one (the second is a step of the first), and
    so is a passive first clause with the parties who carry it out after the semicolon."""
    parts = re.split(r"(?<=;)\s+", sentence)
    out = parts[:1]
    for part in parts[1:]:
        before, after = party_at(out[-1], 0, parties), commitment(part, parties)
        # 'Tolv boliger ommærkes pr. 1. juli 2027; selskabet og kommunen søger ...': a first clause with no party of
        # its own (a passive) is what was decided, and the parties after the semicolon are who carry it out
        passive = before is None and commitment(out[-1].lstrip(" -•*–"), parties) is None
        if after is None or passive or (before is not None and fold(after.text) in fold(before.text)):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


# ', og <party> <verb> ...': a second main clause with a subject of its own ('SPÆ sender ..., og SPÆ udarbejder ...')
_AND_CLAUSE_RE = re.compile(r",\s+og\s+(?=\S)")
# 'i samme periode', 'i den samme periode': the period of the clause before
SAME_PERIOD_RE = re.compile(r"\b(?:i|for|inden\s+for)\s+(?:den\s+)?samme\s+periode\b", re.IGNORECASE)


def and_clauses(sentence: str, parties: Parties, *, decided: bool = False) -> list[str]:
    """'A udlejer ..., og kommunen anviser ...' -> two clauses: a clause after ', og' that opens with a party acting
    (its own subject and a finite verb) is a decision of its own; 'og betaler ...' (no subject) and 'og ordningen
    evalueres ...' (no party) stay with the clause before, and so does a clause that names what the one before
    did ('Kommunen anviser ..., og kommunen hæfter for lejetab i de anviste boliger': a term of the same agreement).
    ``decided``: the whole text is a decision (a 'Besluttet:' field, a table cell), so a first clause with no party
    of its own ('Udlejningen fortsætter, og A orienterer ...') keeps the rest: together they are the decision."""
    cut = next((m for m in _AND_CLAUSE_RE.finditer(sentence)
                if len(sentence[:m.start()]) >= 20 and _has_object(sentence[m.end():], parties)
                and decision_in(sentence[m.end():], parties) is None), None)
    if cut is None:
        return [sentence]
    first, rest = sentence[:cut.start()].rstrip(" ,"), sentence[cut.end():].strip()
    acting = commitment(first.lstrip(" -•*–"), parties) or decision_in(first, parties)
    if (decided and acting is None) or _names_the_deed(first, rest, parties):
        return [sentence]
    return [first + ".", rest[:1].upper() + rest[1:], *and_clauses(rest, parties, decided=decided)[1:]]


# where a long narrative sentence joins clauses that each have their own subject: a semicolon, a lead's colon, or a
# comma and a conjunction ('..., mens kommunen ...', '..., ligesom foreningen ...', '..., hvorimod ...'); 'ligesom'
# and 'samt' say the next clause is of the same kind (agreed when the one before is), the others contrast with it
_NARRATIVE_JOIN_RE = re.compile(r"\s*;\s+|,\s+(?P<conj>mens|ligesom|hvorimod|men|samt|og\s+derudover)\s+"
                                r"|(?P<colon>:)\s+(?=[A-ZÆØÅ])", re.IGNORECASE)
_SAME_KIND = frozenset({"ligesom", "samt", "og derudover"})
_CONTRAST = frozenset({"mens", "hvorimod", "men"})


def narrative_clauses(sentence: str, parties: Parties) -> list[tuple[str, bool]]:
    """A long sentence of running prose cut into its clauses, each (clause, like the one before): a semicolon always
    cuts; a conjunction cuts where a party acting or a decision marker opens the next clause ('..., ligesom
    kommunen og foreningen ved årsskiftet skal ...'), so 'mens' or 'men' before a mere phrase stays; a
    subordinate clause that explains ('idet kommunen anviser ...') stays with its main clause."""
    out: list[tuple[str, bool]] = []
    start, same = 0, False
    for m in _NARRATIVE_JOIN_RE.finditer(sentence):
        rest = sentence[m.end():]
        conj = re.sub(r"\s+", " ", (m.group("conj") or m.group("colon") or "").lower())
        if len(sentence[start:m.start()].split()) < 4 or len(rest.split()) < 4:
            continue
        if conj == ":" and commitment(rest, parties) is None:
            continue  # 'Status: Kommunen ...' is a field; 'ét punkt er glemt: Kommunen anviser ...' a lead and its clause
        if conj and party_at(rest, 0, parties) is None and decision_in(rest, parties) is None \
                and not (conj in _CONTRAST and guarded(rest, commitment=True)):  # '..., mens X's ønske blev afvist'
            continue  # 'men ikke før ...': a phrase, not a clause with a subject of its own
        if wished(sentence[start:m.start()]) and decision_in(rest, parties) is None:
            continue  # 'X ønskede ...; kommunen vender tilbage ...': the answer to a wish is no agreement of its own
        out.append((sentence[start:m.start()].strip(), same))
        start, same = m.end(), conj in _SAME_KIND
    out.append((sentence[start:].strip(), same))
    return [(c[:1].upper() + c[1:], s) for c, s in out if c]


def _has_object(clause: str, parties: Parties) -> bool:
    """True when a clause opens with a party acting on something of its own ('kommunen anviser hver fjerde bolig');
    'og kommunen indkalder.' leans on the clause before for what it does (an ellipsis) and is no clause of its own."""
    party = commitment(clause, parties)
    return party is not None and len(re.findall(r"[\wæøå]+", clause[party.end:])) >= 3


def _names_the_deed(first: str, rest: str, parties: Parties) -> bool:
    """True when the second clause names what the first one's verb did, by its participle ('anviser ...' -> 'de
    anviste boliger') or a pronoun ('dem', 'disse'): it states a term of the first agreement, not a new one."""
    party = commitment(first.lstrip(" -•*–"), parties)
    verb = re.match(r"\s*(?:[a-zæøå]+\s+)?([a-zæøå]{4,}?)e?r\b", first.lstrip(" -•*–")[party.end:]) if party else None
    if verb and re.search(rf"\b{re.escape(verb.group(1))}(?:te|t|ede|ed)\b", rest, re.IGNORECASE):
        return True
    return bool(re.search(r"\b(?:dem|disse|heraf|hertil|herfor)\b", rest, re.IGNORECASE))


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
