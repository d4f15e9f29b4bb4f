"""Rule-based extraction of agreements (aftaler) from the text of referater, aftaler and notater.

Where agreements stand (service.agreements.sections) and how they are worded (service.agreements.decisions):

* numbered agreements: 'Aftale 3. Kommunen ...' (also several run together in one PDF paragraph), with
  optional 'Ansvarlig: ...' and 'Frist: ...' fields;
* decision fields: 'Beslutning: ...', 'Aftalt: ...', 'Aftale: ...', 'Konklusion: ...'; 'Beslutning:
  Indstillingen godkendt' takes the 'Indstilling: ...' before it;
* list items in an agreement section ('Beslutninger', 'Opfølgningspunkter', ...) or after 'Følgende blev
  aftalt:' ('1)', '2.', '-', Word's own numbering);
* agreement tables (service.agreements.tables), as Word/HTML cells or as a PDF's run-together lines;
* sentences anywhere: decision markers ('Det blev aftalt, at ...', 'Parterne var enige om, at ...'),
  undertakings and commitments with a deadline or period ('Boligforeningen vil inden 1. marts 2027 sende ...').

Each agreement gets a type (service.agreements.agreement), a deadline or a period (service.domain.deadlines,
never both), the responsible party, the afdeling when named, and its page and section.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from knowledge.sentences import sentence_end, split_sentences
from knowledge.text import fold
from knowledge.types import Chunk, LoadedDocument
from service.agreements.agreement import AGREEMENT_TYPES, Agreement, classify_agreement
from service.agreements.dating import document_date
from service.agreements.decisions import (
    Decision,
    commitment,
    decision_in,
    guarded,
    read_sentence,
)
from service.agreements.parties import (
    Parties,
    first_party,
    normalise_party,
    party_at,
    read_parties,
)
from service.agreements.sections import (
    AGREEMENTS,
    OTHER,
    PARTIES,
    PURPOSE,
    STATUS,
    is_intro,
    looks_like_heading,
    party_line,
    section_kind,
)
from service.agreements.tables import (
    Row,
    is_row_start,
    plain_header,
    rows_from_cells,
    rows_from_lines,
)
from service.agreements.units import TextUnit, units_from_chunks, units_from_document
from service.domain.afdelinger import find_afdelinger
from service.domain.deadlines import Deadline, read_when
from service.domain.status import status_from_field

__all__ = ["AGREEMENT_TYPES", "Agreement", "classify_agreement", "extract_agreements",
           "extract_agreements_from_chunks", "extract_agreements_from_units"]

_MARKER_RE = re.compile(r"(?:(?<=^)|(?<=[\s.]))Aftale\s+(?:nr\.\s*)?(\d{1,2})\s*[.:)]\s+")
_FIELD_RE = re.compile(r"\b(Ansvarlig|Ansvar|Frist|Tidsfrist|Deadline|Status)\s*:\s*", re.IGNORECASE)
_PAREN_FIELDS_RE = re.compile(r"\s*\((?P<inner>[^()]*\b(?:ansvar|ansvarlig|frist|tidsfrist|deadline)\s*:[^()]*)\)",
                              re.IGNORECASE)
_LABELS = r"Beslutning(?:er)?|Aftalt|Aftale|Aftaler|Konklusion(?:er)?|Vedtaget|Besluttet"
_LABEL_RE = re.compile(r"^\s*(?:[-•*–]\s+)?(?P<label>" + _LABELS + r")\s*:\s*(?P<text>.+)", re.IGNORECASE | re.DOTALL)
# a field label inside a paragraph, after a sentence ('... blev drøftet. Aftalt: Kommunen sender ...')
_INLINE_LABEL_RE = re.compile(r"(?<=[.!?])\s+(?P<label>" + _LABELS + r")\s*:\s*", re.IGNORECASE)
# a field label the PDF reader left at the end of the paragraph before its content ('... 2027. Beslutning:')
_TRAILING_LABEL_RE = re.compile(r"(?:^|(?<=[.!?,]))\s*(?P<label>" + _LABELS + r"|Indstilling(?:en)?)\s*:\s*$",
                                re.IGNORECASE)
_INLINE_ITEM_RE = re.compile(r"(?:^|(?<=[\s,;.]))(?P<num>\d{1,2})[.)]\s+(?=\S)")
_BARE_LABEL_RE = re.compile(r"^\s*(?P<label>" + _LABELS + r"|Indstilling(?:en)?|Forvaltningens\s+indstilling)\s*:?\s*$",
                            re.IGNORECASE)
_PROPOSAL_RE = re.compile(r"^\s*(?:(?:Indstilling(?:en)?|Forvaltningens\s+indstilling)\s*:\s*|Det\s+indstilles\s*,?\s*"
                          r"|(?:[A-ZÆØÅ][\wæøå]+\s+){1,3}indstiller\s*,?\s*)(?:at\s+)?(?P<text>.+)",
                          re.IGNORECASE | re.DOTALL)
_APPROVED_RE = re.compile(r"^\s*(?:(?:indstilling(?:en|erne)?|forslaget)\s+(?:blev\s+|er\s+)?)?(?:godkendt|tiltrådt"
                          r"|vedtaget|fulgt|som\s+indstillet)\b", re.IGNORECASE)
_LIST_ITEM_RE = re.compile(r"^\s*(?:(?P<num>\d{1,2})[.)]|[-•*–])\s+(?P<text>.+)", re.DOTALL)
_TRAILING_HEADING_RE = re.compile(r"(?:^|[.!?]\s+)(?:Nye\s+)?Aftaler\s*$")
_EMPTY_DECISION_RE = re.compile(r"^(?:godkendt|intet|ingen|ingen\s+bemærkninger|taget\s+til\s+efterretning)\W*$",
                                re.IGNORECASE)
_DEPARTMENT_RE = re.compile(
    r"Kommune,\s*(?P<dept>[A-ZÆØÅ][\wæøå]+(?:[- ](?:og|[A-ZÆØÅ][\wæøå]+))*(?:\s+[A-ZÆØÅa-zæøå][\wæøå]+)?)"
    r"|(?P<dept2>\b[A-ZÆØÅ][\wæøå]+forvaltning(?:en)?\b|\b[A-ZÆØÅ][\wæøå-]+(?:\s+og\s+[A-ZÆØÅ][\wæøå]+)?udvalget\b)"
)


@dataclass
class _Found:
    text: str
    number: int | None
    form: str
    unit: TextUnit
    fields: dict[str, str] = field(default_factory=dict)
    party: str | None = None  # the acting party as written
    topic: str = ""  # a table's topic cell


def _split_fields(text: str) -> tuple[str, dict[str, str]]:
    """'... Ansvarlig: X. Frist: senest 1. juni 2026.' or '... (ansvar: X, frist: Y)' -> (text before, fields)."""
    fields: dict[str, str] = {}
    paren = _PAREN_FIELDS_RE.search(text)
    if paren:
        for part in re.split(r"[,;]\s*(?=[\wæøå]+\s*:)", paren.group("inner")):
            key, _, value = part.partition(":")
            fields[_field_key(key)] = value.strip(" .")
        text = (text[:paren.start()] + text[paren.end():]).strip()
    m = _FIELD_RE.search(text)
    if not m:
        return text.strip(), fields
    body = text[:m.start()].strip()
    parts = list(_FIELD_RE.finditer(text))
    for i, fm in enumerate(parts):
        end = parts[i + 1].start() if i + 1 < len(parts) else len(text)
        fields[_field_key(fm.group(1))] = text[fm.end():end].strip().rstrip(".").strip()
    return body, fields


def _split_inline_items(line: str) -> list[str]:
    """'1. kommunen anviser ..., 2. FBS udarbejder ...' (a list a PDF reader ran together) -> one line per item."""
    marks = [m for m in _INLINE_ITEM_RE.finditer(line)]
    if not marks or marks[0].start() > 0 or marks[0].group("num") != "1":
        return [line]
    starts, expected = [], 1
    for m in marks:
        if int(m.group("num")) == expected:
            starts.append(m.start())
            expected += 1
    if len(starts) < 2:
        return [line]
    return [line[a:b].strip() for a, b in zip(starts, [*starts[1:], len(line)])]


def _field_key(key: str) -> str:
    key = fold(key).strip().replace("tidsfrist", "frist").replace("deadline", "frist")
    return "ansvarlig" if key.startswith("ansvar") else key


def _group(sentences: list[str], parties: Parties) -> list[str]:
    """Sentences of one field or cell, grouped into agreements: a sentence with its own acting party starts one."""
    groups: list[str] = []
    for sentence in sentences:
        starts = decision_in(sentence, parties) is not None or commitment(sentence, parties) is not None
        if groups and not starts:
            groups[-1] = f"{groups[-1]} {sentence}"
        else:
            groups.append(sentence)
    return groups


class _Walk:
    """One pass over a document's units, keeping track of the section, an intro and an open table."""

    def __init__(self, parties: Parties) -> None:
        self.parties = parties
        self.found: list[_Found] = []
        self.kind = OTHER
        self.intro = False
        self.pending: _Found | None = None
        self.proposal: list[str] | None = None  # the points of an 'Indstilling' until a decision approves them
        self.table: list[str] | None = None  # lines of a PDF agreement table being collected
        self.label = ""  # a field label on a line of its own ('Beslutning:'); the next paragraph is its content
        self.table_unit: TextUnit | None = None

    def add(self, text: str, number: int | None, form: str, unit: TextUnit, fields: dict[str, str] | None = None,
            party: str | None = None, topic: str = "") -> None:
        self.pending = _Found(text, number, form, unit, dict(fields or {}), party, topic)
        self.found.append(self.pending)

    def run(self, units: list[TextUnit]) -> list[_Found]:
        for unit in units:
            if self.table is not None and self._collect(unit):
                continue
            if not unit.is_heading and plain_header(unit.text.split("\n")[0]) is not None:
                lines = unit.text.split("\n")[1:]
                self.table, self.table_unit = [ln for ln in lines if ln.strip()], unit
                continue
            if unit.is_heading or looks_like_heading(unit.text):
                self._heading(unit.text)
                continue
            self._unit(unit)
        self._close_table()
        return self.found

    # -- sections and tables ---------------------------------------------------------------------
    def _heading(self, text: str) -> None:
        self.kind, self.intro, self.pending, self.proposal, self.label = section_kind(text), False, None, None, ""

    def _collect(self, unit: TextUnit) -> bool:
        """Feed a unit to an open PDF table; False when the unit ends it (and is read as usual)."""
        if unit.is_heading:
            if is_row_start(unit.text):
                return True  # a wrapped row the PDF reader took for a heading; its text follows as a paragraph
            self._close_table()
            return False
        lines = [ln for ln in unit.text.split("\n") if ln.strip()]
        if re.match(r"(?i)\s*(?:næste\s+(?:dialog)?møde|referent|mødet\s+slut)", lines[0] if lines else ""):
            self._close_table()
            return False
        self.table = (self.table or []) + lines
        return True

    def _close_table(self) -> None:
        if self.table is not None and self.table_unit is not None and self.kind != STATUS:
            for row in rows_from_lines(self.table):
                self._row(row, self.table_unit)
        self.table, self.table_unit = None, None

    def _row(self, row: Row, unit: TextUnit) -> None:
        groups = _group(split_sentences(row.text), self.parties) or [row.text]
        for i, text in enumerate(groups):
            if guarded(text):
                continue
            fields = {k: v for k, v in (("ansvarlig", row.responsible), ("frist", row.when)) if v}
            self.add(text, row.number if i == 0 else None, "tabel", unit, fields, topic=row.topic)

    # -- one paragraph, list or table --------------------------------------------------------------
    def _unit(self, unit: TextUnit) -> None:
        text = unit.text
        lines = text.split("\n")
        if "|" in lines[0] and len(lines) >= 2:
            if self.kind != STATUS:
                for row in rows_from_cells(text):
                    self._row(row, unit)
            return  # a table of participants or of last year's agreements holds no new agreements
        if self.kind in (PARTIES, PURPOSE):
            return
        markers = list(_MARKER_RE.finditer(text))
        if markers:
            self._numbered(text, markers, unit)
            return
        if self.pending is not None and _FIELD_RE.match(text.strip()):
            self.pending.fields.update(_split_fields(text)[1])
            return
        for line in (item for raw in lines for item in _split_inline_items(raw)):
            trailing = _TRAILING_LABEL_RE.search(line)
            if trailing and trailing.start() > 0:
                self._line(line[:trailing.start()], unit)
                self.label = trailing.group("label")
                continue
            self._line(line, unit)
        if _TRAILING_HEADING_RE.search(text) or is_intro(text):
            self.intro = True  # a heading or an intro the PDF reader merged into the paragraph before it

    def _numbered(self, text: str, markers: list[re.Match[str]], unit: TextUnit) -> None:
        if self.pending is not None and markers[0].start() > 0:
            self.pending.fields.update(_split_fields(text[:markers[0].start()])[1])
        for i, m in enumerate(markers):
            end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
            body, fields = _split_fields(text[m.end():end])
            self.add(body, int(m.group(1)), "nummereret", unit, fields)

    def _line(self, line: str, unit: TextUnit) -> None:
        if not line.strip() or party_line(line):
            return
        bare = _BARE_LABEL_RE.match(line)
        if bare:
            self.label = bare.group("label")
            return
        if self.label:
            line, self.label = f"{self.label}: {line}", ""
        inline = _INLINE_LABEL_RE.search(line)
        if inline:  # the prose before the label is read as usual, the rest is the field
            self._line(line[:inline.start()], unit)
            line = line[inline.start():].strip()
        label = _LABEL_RE.match(line)
        if label:
            self._decision_field(label.group("label"), label.group("text"), unit)
            return
        proposal = _PROPOSAL_RE.match(line)
        if proposal:
            self._propose(proposal.group("text"))
            return
        item = _LIST_ITEM_RE.match(line)
        if item and self.proposal is not None:  # the points of a proposal ('- at kommunen anviser ...')
            self.proposal.append(item.group("text").strip())
            return
        listed = self.kind == AGREEMENTS or self.intro
        if item and listed:
            body, fields = _split_fields(item.group("text"))
            number = int(item.group("num")) if item.group("num") else None
            for i, text in enumerate(_group(split_sentences(body), self.parties) or [body]):
                if len(text) >= 12 and not guarded(text) and not party_line(text):
                    found = party_at(text, 0, self.parties)
                    self.add(text, number if i == 0 else None, "liste", unit, fields, found.text if found else None)
            return
        for sentence in split_sentences(line):
            if party_line(sentence) or is_intro(sentence):
                continue
            decision = read_sentence(sentence, self.parties, in_agreements=listed)
            if decision is not None:
                self._decision(decision, unit)

    def _decision_field(self, label: str, content: str, unit: TextUnit) -> None:
        content = content.strip()
        points = [content]
        if _APPROVED_RE.match(content) and self.proposal:
            points, self.proposal = self.proposal, None  # 'Beslutning: Indstillingen godkendt' decides the proposal
        form = f"{label.lower()}:" if label.lower() in ("aftale", "aftalt") else "beslutning"
        for point in points:
            self._decided(point, form, unit)

    def _propose(self, text: str) -> None:
        """'Indstilling: Forvaltningen indstiller, at kommunen ...' -> the proposal's first point (if any)."""
        text = re.sub(r"^(?:[A-ZÆØÅ][\wæøå]+\s+){1,3}indstiller\s*,?\s*(?:at\s*)?:?\s*", "", text.strip())
        text = re.sub(r"^at\s+", "", text)
        self.proposal = [text] if len(text) >= 12 else []

    def _decided(self, content: str, form: str, unit: TextUnit) -> None:
        content = content.strip()
        if _EMPTY_DECISION_RE.match(content) or len(content) < 12:
            return
        body, fields = _split_fields(content)
        sentences = [re.sub(r"^(?:at|,\s*at)\s+", "", x).strip() for x in split_sentences(body)]
        sentences = [x[:1].upper() + x[1:] for x in sentences if x.strip(" :")]
        for i, text in enumerate(_group(sentences, self.parties)):
            decision = read_sentence(text, self.parties, in_agreements=True)
            if decision is None and i == 0 and not guarded(text):
                decision = Decision(text, form)  # the field itself says it is decided
            if decision is not None:
                party = decision.party.text if decision.party else None
                self.add(decision.text, None, form, unit, fields, party)

    def _decision(self, decision: Decision, unit: TextUnit) -> None:
        body, fields = _split_fields(decision.text)
        if len(body) > 10:
            self.add(body, None, decision.form, unit, fields, decision.party.text if decision.party else None)


def _responsible(found: _Found, parties: Parties) -> str | None:
    """Who must act: an 'Ansvarlig' field or column, else the acting party, else the first party named."""
    if found.fields.get("ansvarlig"):
        return found.fields["ansvarlig"]
    phrase = found.party
    if not phrase:
        mention = party_at(found.text, 0, parties) or first_party(found.text, parties)
        phrase = mention.text if mention is not None else None
    return normalise_party(phrase, parties)


def _department(*texts: str | None) -> str | None:
    for text in texts:
        if not text:
            continue
        m = _DEPARTMENT_RE.search(text)
        if m:
            dept = (m.group("dept") or m.group("dept2") or "").strip(" ,.")
            dept = re.split(r",\s*og\s+|\s+og\s+(?=[A-ZÆØÅ][\wæøå]+\s+(?:Almene|Boligforening|Boligselskab))|,", dept)[0]
            return dept.strip() or None
    return None


def _when(found: _Found, text: str, meeting: dt.date | None) -> tuple[Deadline | None, Any]:
    """(deadline, period): a 'Frist' field or column first, then the agreement's own words."""
    field_text = found.fields.get("frist", "")
    if field_text:
        when = read_when(field_text, meeting=meeting)
        if when.deadline is None and when.period is None:
            when = read_when(text, meeting=meeting)
            if when.deadline is None and when.period is None:
                return Deadline(field_text, None, uncertain=True), None
        return when.deadline, when.period
    when = read_when(text, meeting=meeting)
    return when.deadline, when.period


def _agreement(found: _Found, parties: Parties, meeting: str | None, source_id: str, source_title: str
               ) -> Agreement | None:
    text = re.sub(r"\s+", " ", found.text).strip()
    if not text:
        return None
    deadline, period = _when(found, text, dt.date.fromisoformat(meeting) if meeting else None)
    mentions = find_afdelinger(text[:sentence_end(text)])  # the afdeling an agreement is about: its first sentence
    afd = mentions[0] if mentions else None
    responsible = _responsible(found, parties)
    kind = classify_agreement(text)
    if kind == "andet" and found.topic:
        kind = classify_agreement(found.topic)
    return Agreement(
        text=text, type=kind, number=found.number,
        deadline=deadline.iso if deadline else None, deadline_text=deadline.text if deadline else "",
        deadline_uncertain=bool(deadline and deadline.uncertain), ongoing=bool(deadline and deadline.ongoing),
        valid_from=period.start if period else None, valid_to=period.end if period else None,
        duration_text=period.text if period else "",
        responsible=responsible, department=_department(responsible, text),
        afdeling=(f"Afd. {afd.nr} {afd.name}".strip() if afd and afd.nr is not None else None),
        afdeling_nr=afd.nr if afd else None, organisation=parties.organisation,
        organisations=list(parties.organisations), agreed_date=meeting,
        status=status_from_field(found.fields.get("status", "")), page=found.unit.page, section=found.unit.section,
        source_id=source_id, source_title=source_title, form=found.form, chunk_id=found.unit.chunk_id,
    )


def extract_agreements_from_units(units: list[TextUnit], *, organisation: str | None = None, source_id: str = "",
                                  source_title: str = "", parties: Parties | None = None) -> list[Agreement]:
    """Agreements in text units (see the module docstring for the forms recognised)."""
    if parties is None:
        parties = read_parties(source_title, [u.text for u in units], organisation)
    meeting = document_date(units, records_meeting=True)
    out = [a for f in _Walk(parties).run(units)
           if (a := _agreement(f, parties, meeting, source_id, source_title)) is not None]
    return _dedupe(out)


def _dedupe(items: list[Agreement]) -> list[Agreement]:
    """Chunk overlap repeats text: keep one agreement per number (or per text), the longest."""
    kept: dict[tuple[Any, ...], Agreement] = {}
    order: list[tuple[Any, ...]] = []
    for a in items:
        key: tuple[Any, ...] = ("n", a.number, a.form) if a.number is not None else ("t", fold(a.text)[:80])
        if key not in kept:
            kept[key] = a
            order.append(key)
        elif len(a.text) > len(kept[key].text):
            kept[key] = a
    texts = [fold(kept[k].text) for k in order]
    # a shorter mention contained in a longer one (a sentence repeated inside its decision field) goes
    return [kept[k] for i, k in enumerate(order)
            if not any(j != i and texts[i] != texts[j] and texts[i] in texts[j] for j in range(len(texts)))]


def extract_agreements(doc: LoadedDocument, *, organisation: str | None = None, source_id: str = "",
                       source_title: str = "") -> list[Agreement]:
    """Agreements in a loaded document."""
    return extract_agreements_from_units(units_from_document(doc), organisation=organisation, source_id=source_id,
                                         source_title=source_title or doc.title)


def extract_agreements_from_chunks(chunks: Iterable[Chunk], *, organisation: str | None = None) -> list[Agreement]:
    """Agreements in the stored chunks of one ingested document."""
    chunks = list(chunks)
    if not chunks:
        return []
    first = chunks[0]
    org = organisation or (str(first.metadata.get("org")) if first.metadata.get("org") else None)
    return extract_agreements_from_units(units_from_chunks(chunks), organisation=org, source_id=first.source_id,
                                         source_title=first.title)
