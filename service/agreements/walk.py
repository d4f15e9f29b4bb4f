"""Reading a document's units in order, the way a caseworker reads minutes: which part of the referat a
paragraph is in (service.agreements.sections), its fields ('Beslutning:', 'Ansvarlig:', 'Indstilling:'),
its lists, its tables (service.agreements.tables) and its sentences (service.agreements.decisions).

``read_units`` gives the agreements as found (text, number, how it was written, its fields and acting
party); service.agreements.extract turns them into Agreement records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.sentences import split_sentences
from knowledge.text import fold
from service.agreements.decisions import (
    COMMITMENT,
    PASSIVE,
    Decision,
    announces_decisions,
    guarded,
    intends,
    read_sentence,
)
from service.agreements.decisions import refused as is_refusal
from service.agreements.fields import (
    ASSIGNED_RE,
    FIELD_RE,
    SAME_PERIOD_RE,
    and_clauses,
    assignment_fields,
    group_sentences,
    narrative_clauses,
    says_when,
    semicolon_parts,
    split_fields,
)
from service.agreements.parties import Parties, party_at
from service.agreements.sections import (
    AGREEMENTS,
    OTHER,
    PARTIES,
    PURPOSE,
    STATUS,
    SUMMARY,
    is_intro,
    is_recap,
    looks_like_heading,
    party_line,
    section_kind,
)
from service.agreements.tables import (
    TOPIC,
    Row,
    is_row_start,
    plain_header,
    row_status,
    rows_from_cells,
    rows_from_lines,
)
from service.agreements.units import TextUnit
from service.domain.deadlines import read_when

_MARKER_RE = re.compile(r"(?:(?<=^)|(?<=[\s.]))Aftale\s+(?:nr\.\s*)?(\d{1,2})\s*[.:)]\s+")
# field labels that say what follows was decided ('Action:' and 'To do:' in English-influenced minutes)
# a board's protocol numbers its decisions after its items ('Beslutning 7.3:', 'Beslutning ad pkt. 4:')
_LABELS = r"Beslutning(?:er)?(?:\s+(?:ad\s+)?(?:pkt\.\s*|punkt\s+|sag\s+)?\d{1,3}(?:\.\d{1,2}){0,2})?|Aftalt|Aftale|Aftaler|Konklusion(?:er)?|Vedtaget|Besluttet|Action(?:\s+item)?|To\s*do"
_LABEL_RE = re.compile(r"^\s*(?:[-•*–]\s+)?(?P<label>" + _LABELS + r")\s*:\s*(?P<text>.+)", re.IGNORECASE | re.DOTALL)
# a field label inside a paragraph, after a sentence ('... blev drøftet. Aftalt: Kommunen sender ...')
_INLINE_LABEL_RE = re.compile(r"(?<=[.!?])\s+(?P<label>" + _LABELS + r")\s*:\s*", re.IGNORECASE)
# a field label the PDF reader left at the end of the paragraph before its content ('... 2027. Beslutning:')
_TRAILING_LABEL_RE = re.compile(r"(?:^|(?<=[.!?,]))\s*(?:(?P<label>" + _LABELS + r"|Indstilling(?:en)?)\s*:"
                                r"|(?<=[.!?])\s*(?P<bare>Beslutning|Indstilling))\s*$", re.IGNORECASE)
_INLINE_ITEM_RE = re.compile(r"(?:^|(?<=[\s,;.]))(?P<num>\d{1,2})[.)]\s+(?=\S)")
_BARE_LABEL_RE = re.compile(r"^\s*(?P<label>" + _LABELS + r"|Indstilling(?:en)?|Forvaltningens\s+indstilling)\s*:?\s*$",
                            re.IGNORECASE)
# nested lists as the loaders write them: a first-level number, an indented item, an indented lettered point
_NUMBERED_TOP_RE = re.compile(r"^\d{1,2}[.)]\s+\S")
_NESTED_RE = re.compile(r"^\s{2,}(?:\d{1,2}[.)]|[a-z]\)|[-•*–])\s")
_SUBPOINT_RE = re.compile(r"^\s{2,}(?:[a-z]\)|\d{1,2}[.)])\s")
# a field label alone on its line ('Sagsfremstilling:', 'Bemærkninger fra mødet:')
# a PDF's two-column conclusion table loses its cells: its header is a line of two column names
_CONCLUSION_HEADER_RE = re.compile(r"^\s*(?:Emne|Tema|Område|Punkt)\s+(?:Konklusion(?:er)?|Beslutning(?:er)?|Aftale(?:r)?)\s*$")
_OTHER_LABEL_RE = re.compile(r"^\s*[A-ZÆØÅ][\wæøå]+(?:\s+[\wæøå]+){0,2}\s*:\s*$")
_PROPOSAL_RE = re.compile(r"^\s*(?:(?:Indstilling(?:en)?|Forvaltningens\s+indstilling)\s*:\s*|Det\s+indstilles\s*,?\s*"
                          r"|(?:[A-ZÆØÅ][\wæøå]+\s+){1,3}indstill(?:er|ede)\s*,?\s*)(?:at\s+)?(?P<text>.+)",
                          re.IGNORECASE | re.DOTALL)
_APPROVED_RE = re.compile(r"^\s*(?:(?:indstilling(?:en|erne)?|forslaget)\s+(?:blev\s+|er\s+)?)?(?:godkendt|tiltrådt"
                          r"|vedtaget|fulgt|som\s+indstillet)\b", re.IGNORECASE)
# a numbered section's heading ('3. Aftalepunkter', '§ 3 Aftaler') and a point under it ('3.1 Kommunal anvisning')
_TOP_HEADING_RE = re.compile(r"^\s*(?:§\s*)?(?P<num>\d{1,2})\.?\s+[A-ZÆØÅ]")
_SUB_HEADING_RE = re.compile(r"^\s*(?P<parent>\d{1,2})\.\d{1,2}\.?\s+[A-ZÆØÅ]")
_QUOTE_RE = re.compile(r"^\s*(?:>\s*)+")
_LIST_ITEM_RE = re.compile(r"^\s*(?:(?P<num>\d{1,2})[.)]|[a-h]\)|[-•*–])\s+(?P<text>.+)", re.DOTALL)
# lettered points run into the line before them ('4. Følgende blev besluttet a) Kommunen anviser ...')
_LETTER_ITEMS_RE = re.compile(r"(?<=\s)(?=[a-h]\)\s+[A-ZÆØÅ])")
# a lead-in announcing a run-on list after its colon ('Mødet endte med følgende: A; B; og C.')
# or a summary's label run into it ('Kort opsummering: A; B.')
_ANNOUNCED_RE = re.compile(r"^\s*(?P<intro>[^:;]{3,80}?\bfølgende|(?:kort\s+|samlet\s+)?(?:opsamling|sammenfatning|opsummering"
                           r"|resumé))\s*:\s*(?P<rest>\S.*)$", re.IGNORECASE | re.DOTALL)
# the points of such a list: separated by semicolons, the last maybe after 'og'/'samt'
_POINT_SEP_RE = re.compile(r"\s*;\s+(?:(?:og|samt|endelig)\s+)?", re.IGNORECASE)
_TRAILING_HEADING_RE = re.compile(r"(?:^|[.!?]\s+)(?:Nye\s+)?Aftaler\s*$")
_EMPTY_DECISION_RE = re.compile(r"^(?:godkendt|intet|ingen|ingen\s+bemærkninger|ingen\s+ændring(?:er)?|uændret"
                                r"|ingen\s+(?:ny\s+)?(?:beslutning|aftale)|taget\s+til\s+efterretning)\W*$"
                                r"|^(?:dagsorden(?:en)?|referat(?:et)?|protokol(?:len)?|forretningsorden(?:en)?)\s+(?:blev\s+|er\s+)?"
                                r"(?:godkendt|underskrevet)(?:\s+og\s+(?:godkendt|underskrevet))?(?:\s*\([^()]*\))?\W*$",
                                re.IGNORECASE)  # the meeting's own business

# 'Indstillingens pkt. 1 blev tiltrådt', 'Punkt 1 og 3 i indstillingen godkendt': some points of a proposal
# a decision field that turns the proposal down or puts it off
_NOT_DECIDED_RE = re.compile(r"^\s*(?:(?:indstillingen|forslaget)\s+(?:blev\s+|er\s+)?)?(?:ikke\s+(?:godkendt|tiltrådt|vedtaget"
                             r"|fulgt)|afvist|afslået|forkastet|udsat|udskudt|trukket\s+tilbage)\b", re.IGNORECASE)
_POINTS_APPROVED_RE = re.compile(
    r"^\s*(?:indstillingens\s+|forslagets\s+)?(?:pkt\.?|punkt(?:erne)?)\s*(?P<nums>\d{1,2}(?:\s*(?:,|og)\s*\d{1,2})*)"
    r"(?:\s+i\s+indstillingen)?\s+(?:blev\s+|er\s+)?(?:godkendt|tiltrådt|vedtaget)\b", re.IGNORECASE)
# the outcome of a vote ('Vedtaget med 5 stemmer mod 2 (A og B stemte imod).', 'Enstemmigt vedtaget.', 'Godkendt
# med 6 stemmer for og 1 imod'), with the dissent in brackets after it
_VOTE_RE = re.compile(r"^\s*(?:(?:enstemmigt|énstemmigt)\s+)?(?:vedtaget|godkendt|tiltrådt|besluttet)"
                      r"(?:\s+(?:enstemmigt|uden\s+stemmer\s+imod))?"
                      r"(?:\s+med\s+\d{1,3}\s+stemmer?(?:\s+for)?\s*(?:mod|og|,)\s*\d{1,3}(?:\s+(?:imod|stemmer?\s+imod))?"
                      r"(?:\s*(?:,|og)\s*\d{1,3}\s+(?:blank(?:e)?|hverken\s+for\s+eller\s+imod|undlod[\wæøå ]*))?)?"
                      r"(?:\s*\([^()]*\))?\s*[.;,]?\s*", re.IGNORECASE)
_ADDITION_RE = re.compile(r"^\s*(?:,\s*)?med\s+(?:den\s+|følgende\s+)?(?P<what>tilføjelse|ændring|bemærkning)(?:er)?\s*,?\s*"
                          r"(?:at\s+)?"
                          r"(?P<text>.+)", re.IGNORECASE | re.DOTALL)


def form_of(label: str) -> str:
    return f"{label.lower()}:" if label.lower() in ("aftale", "aftalt") else "beslutning"


def _approved_points(proposal: list[str], approved: re.Match[str], content: str) -> list[str]:
    """The points of a proposal a decision approves: all of them, or those it numbers ('pkt. 1')."""
    nums = approved.groupdict().get("nums")
    if not nums:
        return list(proposal)
    wanted = {int(n) for n in re.findall(r"\d{1,2}", nums)}
    return [p for i, p in enumerate(proposal, start=1) if i in wanted]


@dataclass
class Found:
    text: str
    number: int | None
    form: str
    unit: TextUnit
    fields: dict[str, str] = field(default_factory=dict)
    party: str | None = None  # the acting party as written
    topic: str = ""  # a table's topic cell


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


_BULLET_MARK_RE = re.compile(r"(?:^|\s)[·▪◦‣■●○►]\s+")
# an arrow before a point marks what was decided or must be done ('-> Selskabet sender ...', '→ Aftale: ...')
_ARROW_RE = re.compile(r"^\s*(?:[-–]+>|→|⇒|=>|➔)\s*")


def _split_marks(line: str) -> list[str]:
    """A line with other bullet marks ('· a · b', as a PDF gives a list) -> one '- ' item per mark; an arrowed
    point ('-> Selskabet sender ...') becomes a decision field ('Aftalt: Selskabet sender ...')."""
    parts = [p.strip() for p in _BULLET_MARK_RE.split(line)] if _BULLET_MARK_RE.search(line) else [line]
    if len(parts) == 1 and re.search(r"(?<=\s)a\)\s+[A-ZÆØÅ]", line):
        return [p.strip() for p in _LETTER_ITEMS_RE.split(line) if p.strip()]
    out = []
    for i, part in enumerate(parts):
        if not part:
            continue
        arrow = _ARROW_RE.match(part)
        if arrow:
            rest = part[arrow.end():]
            out.append(rest if _LABEL_RE.match(rest) else f"Aftalt: {rest}")
        else:
            out.append(f"- {part}" if len(parts) > 1 and (i > 0 or not line.strip().startswith(part)) else part)
    return out


# a row of a PDF conclusion table: a one-word topic, maybe numbered ('8. Samarbejde'), run into its sentence
_TOPIC_ROW_RE = re.compile(r"(?:\d{1,2}\.\s+)?(?P<topic>[A-ZÆØÅ][\wæøå-]+)\s+(?=[A-ZÆØÅ])")


def _topic_split(row: Row) -> Row:
    """A PDF row whose first cell is a one-word topic run into the agreement ('Anvisning Kommunen anviser ...')."""
    m = _TOPIC_ROW_RE.match(row.text)
    if row.topic or m is None:
        return row
    return Row(text=row.text[m.end():], number=row.number, topic=m.group("topic"), responsible=row.responsible,
               when=row.when, loose=row.loose)


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", fold(text)) if len(w) >= 4 or w.isdigit()}


def _restates(decision: str, point: str) -> bool:
    """True when a decision says most of what a proposal's point said (the approved point, restated)."""
    want, got = _content_words(point), _content_words(decision)
    return bool(want) and len(want & got) >= 0.6 * len(want)


class _Walk:
    """One pass over a document's units, keeping track of the section, an intro and an open table."""

    def __init__(self, parties: Parties) -> None:
        self.parties = parties
        self.found: list[Found] = []
        self.kind = OTHER
        self.intro = False
        self.pending: Found | None = None
        self.proposal: list[str] | None = None  # the points of an 'Indstilling' until a decision approves them
        self.table: list[str] | None = None  # lines of a PDF agreement table being collected
        self.label = ""  # a field label on a line of its own ('Beslutning:'); the next paragraph is its content
        self.table_unit: TextUnit | None = None
        self.table_topic = False  # the open PDF table's first column is a topic ('Emne')
        self.table_roles: list[str | None] | None = None  # the open PDF table's column roles
        self.section_number: str | None = None  # the number of the open numbered section ('3' of '3. Aftaler')
        self.point = False  # the line being read is a numbered sub-point of a list
        self.siblings: list[Found] = []  # the agreements one decision field stated
        self.conclusions = False  # reading the rows of a PDF 'Emne Konklusion' table

    def add(self, text: str, number: int | None, form: str, unit: TextUnit, fields: dict[str, str] | None = None,
            party: str | None = None, topic: str = "") -> None:
        self.pending = Found(text, number, form, unit, dict(fields or {}), party, topic)
        before = self.found[-1].text if self.found else ""
        if SAME_PERIOD_RE.search(text) and read_when(text).period is None and read_when(before).period is not None:
            self.pending.fields.setdefault("hvornaar", before)  # '... i samme periode': the period of the one before
        self.found.append(self.pending)

    def run(self, units: list[TextUnit]) -> list[Found]:
        for unit in units:
            if self.table is not None and self._collect(unit):
                continue
            if not unit.is_heading and plain_header(unit.text.split("\n")[0]) is not None:
                lines = unit.text.split("\n")[1:]
                self.table, self.table_unit = [ln for ln in lines if ln.strip()], unit
                self.table_roles = plain_header(unit.text.split("\n")[0])
                self.table_topic = (self.table_roles or [None])[0] == TOPIC
                continue
            bare = None if unit.is_heading else _BARE_LABEL_RE.match(unit.text)
            if bare and "\n" not in unit.text.strip() and re.match(r"(?i)beslutning|indstilling|forvaltningens",
                                                                   bare.group("label")):
                # 'Beslutning' alone as a paragraph: the field label of a template, its content follows
                self.label = bare.group("label")
                continue
            if bare is None and not unit.is_heading and _OTHER_LABEL_RE.match(unit.text) \
                    and section_kind(unit.text) == SUMMARY:
                self._heading(unit.text)  # 'Opsamling:' on a line of its own: a closing summary follows
                continue
            if bare is None and not unit.is_heading and _OTHER_LABEL_RE.match(unit.text) and not is_intro(unit.text):
                # another field of a template ('Sagsfremstilling:', 'Drøftelse:'): what follows is not decided
                self.label = ""
                continue
            if not unit.is_heading and _CONCLUSION_HEADER_RE.match(unit.text):
                self.conclusions = True  # 'Emne Konklusion' as a PDF gives a two-column table: its rows follow
                continue
            if unit.is_heading or looks_like_heading(unit.text):
                self._heading(unit.text)
                continue
            if self.conclusions and _TOPIC_ROW_RE.match(unit.text):
                self._row(_topic_split(Row(text=unit.text, loose=True)), unit)
                continue
            self.conclusions = False
            self._unit(unit)
        self._close_table()
        return self.found

    # -- sections and tables ---------------------------------------------------------------------
    def _heading(self, text: str) -> None:
        kind = section_kind(text)
        sub = _SUB_HEADING_RE.match(text)
        if kind == OTHER and sub and self.kind == AGREEMENTS and sub.group("parent") == self.section_number:
            kind = AGREEMENTS  # '3.1 Kommunal anvisning' under '3. Aftalepunkter': a point of the agreements
        else:
            top = _TOP_HEADING_RE.match(text)
            self.section_number = top.group("num") if top else None
        self.kind, self.intro, self.pending, self.proposal, self.label = kind, False, None, None, ""
        self.conclusions = False

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
            for row in rows_from_lines(self.table, roles=self.table_roles):
                self._row(_topic_split(row) if self.table_topic else row, self.table_unit)
        self.table, self.table_unit = None, None

    def _row(self, row: Row, unit: TextUnit) -> None:
        # two agreements in one cell, joined by a semicolon ('Kommunen anviser ...; ABF melder ...')
        clauses = [a for s in split_sentences(row.text) for c in re.split(r"(?<=;)\s+(?=[A-ZÆØÅ])", s)
                   for a in and_clauses(c, self.parties, decided=True)]
        groups = group_sentences(clauses, self.parties) or [row.text]
        # 'Kommunen / ABF' for two agreements in the cell: each its own party, in order
        who = [w.strip() for w in row.responsible.split("/")] if row.responsible else []
        if row.loose:  # 'Emne | Konklusion': a conclusion holds notes and wishes too, only its decisions count
            for clause in clauses:
                decision = read_sentence(clause, self.parties, in_agreements=True)
                if decision is not None:  # the whole cell tells what the topic is
                    self.add(decision.text, None, "tabel", unit, party=decision.party.text if decision.party else None,
                             topic=f"{row.topic}: {row.text}")
            return
        marked_new = row_status(row.status) == "new"
        for i, text in enumerate(groups):
            # a row the table marks as agreed may end in the question it is to answer ('... - skal der ommærkes?')
            if guarded(text.rstrip(" ?") + "." if marked_new else text):
                continue
            responsible = who[i] if len(groups) > 1 and len(who) == len(groups) else row.responsible
            fields = {k: v for k, v in (("ansvarlig", responsible), ("frist", row.when)) if v}
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
        bare_field = re.sub(r"^\s*[-•*–]\s+", "", text)  # '- Periode: ...' as a bullet under '- Besluttet: ...'
        if self.pending is not None and FIELD_RE.match(bare_field.strip()):
            self._more_fields(split_fields(bare_field)[1])
            return
        for n, raw in enumerate(lines):
            raw = _QUOTE_RE.sub("", raw)  # a quoted mail ('> 1. Vi sender ...') repeats its text
            if _NUMBERED_TOP_RE.match(raw) and n + 1 < len(lines) and _NESTED_RE.match(lines[n + 1]) \
                    and looks_like_heading(raw):
                self._heading(raw)  # '2. Økonomi' with points under it: an agenda item of a numbered list
                continue
            # a numbered sub-point under an agenda item ('  a) Kommunen ...'): what the item concluded
            self.point = bool(_SUBPOINT_RE.match(raw))
            for line in (item for part in _split_marks(raw) for item in _split_inline_items(part)):
                trailing = _TRAILING_LABEL_RE.search(line)
                if trailing and trailing.start() > 0:
                    self._line(line[:trailing.start()], unit)
                    self.label = trailing.group("label") or trailing.group("bare")
                    continue
                self._line(line, unit)
            self.point = False
        if _TRAILING_HEADING_RE.search(text) or is_intro(text) or (is_recap(text) and not _LIST_ITEM_RE.match(text)) \
                or (re.search(r"\bfølgende\s*:$", text.rstrip(), re.IGNORECASE) is not None
                    and announces_decisions(text.rstrip()[:-1].split(".")[-1])):
            self.intro = True  # a heading or an intro the PDF reader merged into the paragraph before it

    def _more_fields(self, fields: dict[str, str]) -> None:
        """Fields under a decision ('Periode: ...', 'Ansvar: A/B') belong to every agreement its field stated,
        'A/B' one party each, in order."""
        targets = self.siblings if self.pending in self.siblings else [self.pending] if self.pending else []
        who = [w.strip() for w in fields.get("ansvarlig", "").split("/")]
        # 'Opfølgning: hvert kvartal / handleplan uge 10': one time each, in order (a date's '1/2' has no spaces)
        when = {k: [w.strip() for w in re.split(r"\s+/\s+", v)] for k, v in fields.items() if k in ("frist", "hvornaar")}
        for i, found in enumerate(targets):
            found.fields.update(fields)
            if len(targets) > 1 and len(who) == len(targets):
                found.fields["ansvarlig"] = who[i]
            for key, parts in when.items():
                if len(targets) > 1 and len(parts) == len(targets):
                    found.fields[key] = parts[i]

    def _numbered(self, text: str, markers: list[re.Match[str]], unit: TextUnit) -> None:
        if self.pending is not None and markers[0].start() > 0:
            self.pending.fields.update(split_fields(text[:markers[0].start()])[1])
        for i, m in enumerate(markers):
            end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
            body, fields = split_fields(text[m.end():end])
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
        if self._summarised(line, unit):
            return
        proposal = _PROPOSAL_RE.match(line)
        if proposal:
            self._propose(proposal.group("text"))
            return
        item = _LIST_ITEM_RE.match(line)
        if item and self.proposal is not None:  # the points of a proposal ('- at kommunen anviser ...')
            self.proposal.append(item.group("text").strip())
            return
        listed = self.kind == AGREEMENTS or self.intro or self.point
        if item and listed:
            if is_intro(item.group("text")) or looks_like_heading(line):
                return  # '4. Følgende blev besluttet': the heading repeated, not a point
            body, fields = split_fields(item.group("text"))
            number = int(item.group("num")) if item.group("num") else None
            for i, text in enumerate(group_sentences(split_sentences(body), self.parties) or [body]):
                if len(text) >= 12 and not guarded(text) and not party_line(text) and not intends(text):
                    found = party_at(text, 0, self.parties)
                    self.add(text, number if i == 0 else None, "liste", unit, fields, found.text if found else None)
            return
        if item and re.match(r"\s*(?:\d{1,2}[.)]|[a-h]\))", line):
            line = item.group("text")  # a numbered or lettered point outside an agreement list: its sentence alone
        assigned = ASSIGNED_RE.search(line)
        if assigned and assigned.start() > 0:  # '... og melder tilbage. Ansvarlig: Kommunen, deadline 1. marts 2027.'
            *before, last = split_sentences(line[:assigned.start()]) or [""]
            self._sentences(before, unit, listed)
            if last.strip() and not guarded(last) and (found := party_at(last.lstrip(" -•*–"), 0, self.parties)):
                fields = assignment_fields(line[assigned.start():])
                self.add(last.strip(), None, COMMITMENT, unit, fields, found.text)
            return
        self._sentences(split_sentences(line), unit, listed or self.kind == SUMMARY)

    def _summarised(self, line: str, unit: TextUnit) -> bool:
        """Read a run-on list after a lead-in ('Mødet endte med følgende: A; B; og C') or a point of a closing
        summary; True when the line was one."""
        announced = _ANNOUNCED_RE.match(line)
        if announced and (self.kind in (AGREEMENTS, SUMMARY) or announces_decisions(announced.group("intro"))
                          or section_kind(announced.group("intro")) == SUMMARY):
            points = [p.strip() for p in _POINT_SEP_RE.split(announced.group("rest").strip()) if p.strip(" .")]
            self._sentences([p[:1].upper() + p[1:] for p in points], unit, True)
            return True
        item = _LIST_ITEM_RE.match(line)
        if item and self.kind == SUMMARY and not self.intro and self.proposal is None:
            # a point of a closing summary may recap a wish or a discussion: only what it says a party does counts
            self._sentences(split_sentences(item.group("text")), unit, True)
            return True
        return False

    def _sentences(self, sentences: list[str], unit: TextUnit, listed: bool) -> None:
        previous: Found | None = None  # the agreement the sentence before stated
        for whole in sentences:
            if party_line(whole) or is_intro(whole):
                previous = None
                continue
            agreed = False  # 'A udlejer ..., og kommunen anviser ...': a clause of an agreed sentence is agreed too
            for clause, same_kind in narrative_clauses(whole, self.parties):
                agreed = agreed and same_kind
                for sentence in and_clauses(clause, self.parties):
                    count = len(self.found)
                    previous = self._sentence(sentence, unit, listed or agreed, previous)
                    agreed = len(self.found) > count

    def _sentence(self, sentence: str, unit: TextUnit, listed: bool, previous: Found | None) -> Found | None:
        """Read one sentence (or main clause); returns the agreement it states or adds to, if any."""
        decision = read_sentence(sentence, self.parties, in_agreements=listed)
        if previous is not None and (decision.form == PASSIVE if decision is not None else says_when(sentence, self.parties)):
            # 'Man enedes om, at ... udlejes ... Udlejningen evalueres på mødet i 2027.', 'Den skal være kommunen
            # i hænde senest ...': right after a decision, a passive or a pronoun with a date says more about it
            previous.text = f"{previous.text} {sentence.strip()}"
            return previous
        count = len(self.found)
        if decision is not None:
            self._decision(decision, unit)
        return self.found[-1] if len(self.found) > count else None

    def _decision_field(self, label: str, content: str, unit: TextUnit) -> None:
        content = content.strip()
        if _NOT_DECIDED_RE.match(content):  # 'Beslutning: Ikke godkendt. ...', 'Udsat, til ...': nothing agreed
            self.proposal = None
            return
        points = [content]
        vote = _VOTE_RE.match(content)
        rest = content[vote.end():].strip() if vote else ""
        if vote and (not self.proposal or (rest and re.search(r"(?i)stemme|enstemmig", vote.group(0)))):
            # 'Vedtaget med 5 stemmer mod 2 (...). Aftalen om, at ...': the outcome of a vote; what was voted through
            # is what the field says after it (restating the proposal, if there was one)
            if not rest:
                return
            content, points, self.proposal = rest, [rest], None
        approved = _APPROVED_RE.match(content) or _POINTS_APPROVED_RE.match(content)
        if approved and self.proposal:
            points = _approved_points(self.proposal, approved, content)  # 'Beslutning: Tiltrådt.' decides the proposal
            self.proposal = None
            rest = content[approved.end():]
            addition = _ADDITION_RE.match(rest)
            change = addition.group("text").strip() if addition else ""
            if addition and addition.group("what") == "ændring" and party_at(change, 0, self.parties) is not None:
                # 'Godkendt med den ændring, at kommunen ... anviser ...': the decision restates the point as
                # changed, in a clause of its own (and may go on with more); the proposal as written is not it
                points = []
                self._decided(change[:1].upper() + change[1:], form_of(label), unit)
            elif addition and points:  # 'Tiltrådt med den tilføjelse, at ...': the addition is part of the decision
                points[-1] = f"{points[-1]} {change}"
            elif rest.strip(" .") and not addition:
                restated = self._decided_rest(rest, form_of(label), unit)
                # 'Indstillingen godkendt. FBN udarbejder handlingsplanen ...': a point the decision restates is it
                points = [p for p in points if not any(_restates(r, p) for r in restated)]
        for point in points:
            self._decided(point, form_of(label), unit)

    def _decided_rest(self, rest: str, form: str, unit: TextUnit) -> list[str]:
        """The sentences after an approval ('Indstillingens pkt. 1 blev tiltrådt. Parterne mødes ...'): read as
        usual; returns the decisions they state."""
        sentences = split_sentences(re.sub(r"^[\s.]+", "", rest))
        stated = []
        for sentence in sentences:
            decision = read_sentence(sentence, self.parties, in_agreements=True)
            if decision is not None:
                self._decision(decision, unit)
                stated.append(decision.text)
        return stated

    def _propose(self, text: str) -> None:
        """'Indstilling: Forvaltningen indstiller, at kommunen ...' -> the proposal's first point (if any)."""
        text = re.sub(r"^(?:[A-ZÆØÅ][\wæøå]+\s+){1,3}indstill(?:er|ede)\s*,?\s*(?:at\s*)?:?\s*", "", text.strip())
        text = re.sub(r"^at\s+", "", text)
        self.proposal = [text] if len(text) >= 12 else []

    def _decided(self, content: str, form: str, unit: TextUnit) -> None:
        content = content.strip()
        if _EMPTY_DECISION_RE.match(content) or len(content) < 12:
            return
        body, fields = split_fields(content)
        # two decisions in one field, joined by a semicolon ('A sender ...; kommunen anviser ...')
        parts = [a for x in split_sentences(body) for c in semicolon_parts(x, self.parties)
                 for a in and_clauses(c, self.parties, decided=True)]
        sentences = [re.sub(r"^(?:at|,\s*at)\s+", "", x).strip() for x in parts]
        sentences = [x[:1].upper() + x[1:] for x in sentences if x.strip(" :")]
        # a refusal first ('Kommunen kan ikke imødekomme ønsket ...') does not take the decision after it along
        if sentences and _EMPTY_DECISION_RE.match(sentences[0]):
            # 'Besluttet: Intet. Vi drøftede, at ...': nothing was decided; what follows is read as any prose
            self._sentences(sentences[1:], unit, False)
            return
        refused = 0  # (what was noted or postponed first keeps the sentences after it: they are no decision)
        while refused < len(sentences) - 1 and is_refusal(sentences[refused]):
            refused += 1
        groups = group_sentences(sentences[refused:], self.parties)
        who = [w.strip() for w in fields.get("ansvarlig", "").split("/")]
        count = len(self.found)
        for i, text in enumerate(groups):
            decision = read_sentence(text.rstrip(" ;") + ("." if text.rstrip().endswith(";") else ""), self.parties,
                                     in_agreements=True)
            if decision is None and i == 0 and not guarded(text):
                decision = Decision(text, form)  # the field itself says it is decided
            if decision is not None:
                party = decision.party.text if decision.party else None
                own = dict(fields)
                if len(groups) > 1 and len(who) == len(groups):  # 'Ansvar: SPÆ/KOM': each decision its own party
                    own["ansvarlig"] = who[i]
                self.add(decision.text, None, form, unit, own, party)
        self.siblings = self.found[count:]

    def _decision(self, decision: Decision, unit: TextUnit) -> None:
        body, fields = split_fields(decision.text)
        if len(body) > 10:
            self.add(body, None, decision.form, unit, fields, decision.party.text if decision.party else None)




def read_units(units: list[TextUnit], parties: Parties) -> list[Found]:
    """The agreements of a document's units, in reading order, as found."""
    return _Walk(parties).run(units)
