"""Agreement tables in referater: 'Nr. | Emne | Aftale | Ansvarlig | Tidsfrist' and their PDF text layer.

A table lists agreements when its header names a column for the agreement itself (Aftale, Beslutning,
Konklusion, Handling, Opfølgningspunkt, Indsats, Tiltag) and one for who or when (Ansvarlig, Hvem,
Tovholder / Frist, Tidsfrist, Hvornår, Periode). A table that looks back ('Aftale 2025 | Status') is
a status table, not new agreements.

Word and HTML tables keep their cells ('a | b | c'). A PDF's text layer loses them: a row is a run of
lines from its number ('3 BSÅ udarbejder ...') to the next number, its cells wrapped over several lines
and run together ('... genopbygges. BSÅ, forretningsfører Primo 2027'). There the agreement is the text
up to its last full stop, and the short tail after it holds who and when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import fold
from service.domain.deadlines import ONGOING_RE, When, read_when

NUMBER, TOPIC, TEXT, RESPONSIBLE, WHEN, STATUS = "nr", "emne", "aftale", "ansvarlig", "frist", "status"
_ROLE_WORDS: tuple[tuple[str, str], ...] = (
    (STATUS, r"status(?:\s+\w+\.?\s*\d{4})?|bemærkning(?:er)?|kommentar(?:er)?|resultat|fremdrift|state|progress"),
    (NUMBER, r"nr\.?|#|pkt\.?|punkt|løbenr\.?"),
    (TOPIC, r"emne|tema|område|overskrift|afdeling"),
    (TEXT, (r"aftale(?:r|n|punkt|punkter)?(?:\s+\d{4})?|aftalt|beslutning(?:er)?|konklusion(?:er)?|handling(?:er)?"
           r"|opfølgningspunkt(?:er)?|opfølgning|indsats(?:er)?|tiltag|beskrivelse|indhold|aktivitet(?:er)?|opgave(?:r)?"
           r"|action(?:\s*items?|\s*points?)?|task")),  # the English words of corporate minutes
    (RESPONSIBLE, r"ansvarlig(?:e)?|ansvar|hvem|tovholder|udføres\s+af|part(?:er)?|aktør(?:er)?|ejer|udfører|owner"
                  r"|responsible"),
    (WHEN, (r"frist|tidsfrist|tidsramme|tidshorisont|tidspunkt|hvornår|deadline|tidsplan|periode|varighed|dato|senest"
           r"|gælder\s+til|tid|gyldighed"
           r"|termin|due(?:\s+date)?|when")),
)
# column names run together, also joined by 'og', '/' or '&' ('Emne Aftaler Ansvar og frist')
# a plural in brackets ('Part(er)', 'Ansvarlig(e)') belongs to its column name
_PLURAL = r"(?:\((?:e|er|r|n|ne)\))?"
_PLAIN_HEADER_RE = re.compile(
    r"(?:^|\s)(?P<header>(?:(?:" + "|".join(w for _, w in _ROLE_WORDS) + r")" + _PLURAL
    + r"(?:\s+og\s+|\s*[/&]\s*|\s+|$)){3,7})$", re.IGNORECASE)
_LETTER_RE = re.compile(r"(?:^|(?<=\s))(?P<letter>[a-h])\)\s+")
# a row's number, maybe under its appendix's or section's ('2.1 Lyngbo indsender ...' is row 1)
_ROW_START_RE = re.compile(r"^\s*(?:\d{1,2}\.(?=\d))?(?P<num>\d{1,2})[.)]?\s+(?P<rest>\S.*)$")
_CLOSERS_RE = re.compile(r"^(?:næste\s+(?:dialog)?møde|referent|mødet\s+(?:sluttede|hævet)|underskrift|eventuelt"
                         r"|bilag\s+(?:\d{1,2}|[A-H])\b)",
                         re.IGNORECASE)
MAX_PLAIN_LINES = 80


@dataclass
class Row:
    """One row of an agreement table: its number, topic, agreement text, responsible party and when."""

    text: str
    number: int | None = None
    topic: str = ""
    responsible: str = ""
    when: str = ""
    loose: bool = False  # a topic and what it concluded only: each sentence must itself state an agreement
    status: str = ""  # an action table's status cell ('Ny', 'Lukket', 'In progress')


# An action table's status cell: a row made at this meeting ('Ny', 'New', 'Aftalt') or one that tracks earlier
# work ('Lukket', 'Åben', 'Done', 'In progress', 'I gang') or was put off ('Parkeret', 'Udsat', 'On hold').
_NEW_STATUS_RE = re.compile(r"^\s*(?:ny(?:t|e)?|new|added|aftalt(?:\s+nu)?|oprettet|ny\s+aftale)\b", re.IGNORECASE)
_CLOSED_STATUS_RE = re.compile(
    r"^\s*(?:lukket|afsluttet|afklaret|færdig|gennemført|løst|opfyldt|udsat|parkeret|stillet\s+i\s+bero|i\s+bero"
    r"|henlagt|annulleret|droppet|done|closed|completed|finished|parked|on\s+hold|postponed|cancelled|canceled)\b",
    re.IGNORECASE)
# open work: last year's when the table marks this meeting's rows as new, else possibly a new row still open
_OPEN_STATUS_RE = re.compile(r"^\s*(?:åben|åbent|i\s+gang|igangværende|igang|forsinket|kører|open|ongoing"
                             r"|in\s+progress|delayed|pending|afventer)\b", re.IGNORECASE)


def row_status(cell: str) -> str | None:
    """'new' for a status cell that marks a row made at this meeting, 'closed' for one done or put off, 'open' for
    work under way, else None."""
    if _NEW_STATUS_RE.match(cell):
        return "new"
    if _CLOSED_STATUS_RE.match(cell):
        return "closed"
    if _OPEN_STATUS_RE.match(cell):
        return "open"
    return None


def this_meetings_rows(rows: list[Row]) -> list[Row]:
    """The rows of an action table that are this meeting's: when some rows are marked new, only those; else every
    row that is not done or put off."""
    marks = [row_status(r.status) for r in rows]
    if "new" in marks:
        return [r for r, m in zip(rows, marks) if m == "new"]
    return [r for r, m in zip(rows, marks) if m != "closed"]


# a column that says what was concluded or decided (not what was described or done)
_DECIDED_HEADER_RE = re.compile(r"(?i)konklusion|beslutning|besluttet|aftalt|aftale(?:r|n)?\b")


def role_of(cell: str) -> str | None:
    """The role of a header cell ('Tidsfrist' -> 'frist', 'Hvad er aftalt' -> 'aftale'), else None."""
    low = cell.strip().lower()
    if len(low.split()) > 5:
        return None  # a sentence, not a column name
    for role, words in _ROLE_WORDS:
        if re.search(r"(?<![\wæøå])(?:" + words + r")(?![\wæøå])", low):
            return role
    return None


def header_roles(cells: list[str]) -> list[str | None] | None:
    """Column roles of a header row when it is the header of an agreement table, else None."""
    roles = [role_of(c) for c in cells]
    decided = TOPIC in roles and any(role_of(c) == TEXT and _DECIDED_HEADER_RE.search(c) for c in cells)
    if TEXT not in roles or not ({RESPONSIBLE, WHEN} & set(roles) or decided):
        return None  # ('Emne | Konklusion': what each topic concluded, read sentence by sentence)
    if any(role_of(c) == TEXT and re.search(r"\d{4}", c) for c in cells) or (STATUS in roles and WHEN not in roles):
        return None  # 'Aftale 2025 | Status': last year's agreements followed up
    return roles


def rows_from_cells(text: str) -> list[Row]:
    """The agreement rows of a Word/HTML table ('a | b | c' per line), or [] when it is no agreement table."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 2:
        return []
    roles = header_roles([c.strip() for c in lines[0].split("|")])
    if roles is None:
        return []
    out = []
    for line in lines[1:]:
        cells = [c.strip() for c in line.split("|")]
        if len(cells) != len(roles) or [role_of(c) for c in cells] == roles:
            continue  # a merged or repeated header row
        row = Row(text="", loose=RESPONSIBLE not in roles and WHEN not in roles)
        for role, cell in zip(roles, cells):
            if role == NUMBER and re.fullmatch(r"\d{1,3}\.?", cell):
                row.number = int(cell.rstrip("."))
            elif role == TOPIC:
                row.topic = cell
            elif role == TEXT:
                row.text = f"{row.text} {cell}".strip()
            elif role == RESPONSIBLE:
                row.responsible = cell
            elif role == WHEN:
                row.when = cell
            elif role == STATUS:
                row.status = cell
        if len(row.text) >= 10:
            out.append(row)
    return this_meetings_rows(out)


def plain_header(line: str) -> list[str | None] | None:
    """Column roles of a PDF table header line ('Nr. Beslutning Hvem Hvornår'), else None."""
    m = _PLAIN_HEADER_RE.search(line.strip())
    if not m:
        return None
    words = re.findall(r"(?:" + "|".join(w for _, w in _ROLE_WORDS) + r")(?=" + _PLURAL + r"(?:\s|$))",
                       m.group("header"), re.IGNORECASE)
    return header_roles(words)


def strip_repeated_header(line: str) -> str:
    """A running page header glued to a repeated header row ('Nordby Kommune · ... Nr. Beslutning Hvem')."""
    m = _PLAIN_HEADER_RE.search(line.strip())
    return "" if m else line


def rows_from_lines(lines: list[str], roles: list[str | None] | None = None) -> list[Row]:
    """The rows of a PDF agreement table from the lines after its header (numbered 1, 2, 3, ...); a table whose
    last column is a status ('Handling Ansvarlig Deadline Status') by the status that ends each row."""
    if roles and roles[-1] == STATUS and WHEN in roles:
        by_status = _rows_by_their_status(lines)
        if by_status:
            return by_status
    rows: list[tuple[int, list[str]]] = []
    for raw in lines[:MAX_PLAIN_LINES]:
        line = strip_repeated_header(raw).strip()
        if not line:
            continue
        m = _ROW_START_RE.match(line)
        expected = rows[-1][0] + 1 if rows else 1
        if m and int(m.group("num")) == expected:
            rows.append((expected, [m.group("rest")]))
        elif _CLOSERS_RE.match(line):
            break
        elif rows:
            rows[-1][1].append(line)
    lettered = _rows_by_letters(lines)
    if len(lettered) >= 2:
        return lettered  # '1. januar' in a lettered table is a date, not row 1
    if not rows:
        return _rows_by_their_last_cell(lines)
    return [split_row(" ".join(parts), number) for number, parts in rows]


def _rows_by_letters(lines: list[str]) -> list[Row]:
    """Rows whose cells hold lettered points ('a) ABH udarbejder ... b) Kommunen anviser ...') and a last cell
    with who and when for each letter ('a) ABH, 31. marts 2027 b) Kommunen, frem til 31.12.2027'): a PDF runs
    the cells together, so each agreement point is paired with the next who-and-when point of the same letter."""
    kept: list[str] = []
    for raw in lines[:MAX_PLAIN_LINES]:
        line = strip_repeated_header(raw).strip()
        if _CLOSERS_RE.match(line):
            break
        kept.append(line)
    text = re.sub(r"\s+", " ", " ".join(kept))
    marks = list(_LETTER_RE.finditer(text))
    if len(marks) < 2:
        return []
    rows: list[Row] = []
    open_points: dict[str, Row] = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        segment = text[m.end():end].strip()
        if _is_who_and_when(segment):
            row = open_points.pop(m.group("letter"), None)
            if row is not None:
                row.responsible, row.when = _who_and_when(segment) if segment.strip("-– ") else ("", "")
            continue
        row = Row(text=segment)
        rows.append(row)
        open_points[m.group("letter")] = row
    return [r for r in rows if len(r.text) >= 12]


# a status cell as the PDF text layer leaves it at the end of a row: the word, maybe a note after a dash or in
# brackets on the same line ('Done - kører', 'In progress (delayed by tender)', '- - Parked')
_STATUS_WORD = (r"ny|nyt|new|aftalt|lukket|afsluttet|færdig|gennemført|opfyldt|åben|i\s+gang|igangværende|forsinket"
                r"|udsat|parkeret|done|closed|completed|open|ongoing|in\s+progress|delayed|parked|on\s+hold|postponed")
_STATUS_END_RE = re.compile(r"(?<![\wæøå])(?P<status>" + _STATUS_WORD + r")(?P<note>[ \t]*(?:[-–(][^\n]*)?)(?=\s|$)",
                            re.IGNORECASE)


def _rows_by_their_status(lines: list[str]) -> list[Row]:
    """Rows of a PDF action table that ends with a status column: each row ends at a status word right after its
    when-cell ('BFT (drift) w10 2027 New'); before the when-cell stands who, before that the action. Lettered
    actions in one row ('a) ... b) ...' with 'a) X b) Y' as who) are one row each, sharing the when-cell."""
    text = "\n".join(ln.strip() for ln in lines[:MAX_PLAIN_LINES])
    closer = next((m.start() for m in re.finditer(r"(?m)^.*$", text) if _CLOSERS_RE.match(m.group(0))
                   or re.match(r"(?i)(?:legend|forklaring|signaturforklaring)\b", m.group(0))), len(text))
    text = text[:closer]
    rows: list[Row] = []
    start = 0
    for m in _STATUS_END_RE.finditer(text):
        if m.start() < start:
            continue
        segment = text[start:m.start()].rstrip()
        when_text = _when_suffix(segment)
        if when_text is None:
            continue  # a status word inside the action ('a new plan'), not the row's last cell
        rows += _status_row(segment[:len(segment) - len(when_text)].rstrip(), when_text, m.group("status"))
        start = m.end()
    return [r for r in this_meetings_rows(rows) if len(r.text) >= 12]


def _when_suffix(segment: str) -> str | None:
    """The when-cell that ends a row's text, on its last line ('BFT (drift) w10 2027' -> 'w10 2027'), or '-'."""
    line = segment.split("\n")[-1]
    if re.search(r"(?:^|\s)[-–]$", line):
        return line[-1]
    when = _tail_when(line)
    found = when.period.text if when.period is not None else when.deadline.text if when.deadline is not None else ""
    if not found:
        ongoing = list(ONGOING_RE.finditer(line))
        found = ongoing[-1].group(0) if ongoing else ""
    at = line.rfind(found) if found else -1
    if at < 0 or line[at + len(found):].strip():
        return None  # no time, or a time inside the action rather than its own cell
    return line[at:]


def _status_row(body: str, when: str, status: str) -> list[Row]:
    """One row's action(s) and who: who is the last line's words before the when-cell ('BFT (drift)'), or the
    party words at the end of a one-line row; lettered actions pair with lettered who."""
    body = body.strip()
    marks = list(_LETTER_RE.finditer(body))
    letters = [m.group("letter") for m in marks]
    if len(marks) >= 4 and letters[: len(letters) // 2] == letters[len(letters) // 2:]:
        half = len(marks) // 2
        actions = [body[marks[i].end():marks[i + 1].start()].strip() for i in range(half)]
        whos = [body[marks[half + i].end():(marks[half + i + 1].start() if half + i + 1 < len(marks) else len(body))]
                .strip() for i in range(half)]
        return [Row(text=re.sub(r"\s+", " ", a), responsible=w, when=when.strip(" -–"), status=status)
                for a, w in zip(actions, whos)]
    lines = body.split("\n")
    if len(lines) > 1:
        action, who = " ".join(lines[:-1]), lines[-1]
    else:
        m = re.search(r"(?:\s+(?:[A-ZÆØÅ][\wÆØÅæøå.]*|\([^)]{1,30}\)|[+&/]|og))+$", body)
        action, who = (body[:m.start()], m.group(0)) if m else (body, "")
    return [Row(text=re.sub(r"\s+", " ", action).strip(" -–"), responsible=who.strip(), when=when.strip(" -–"),
                status=status)]


def _is_who_and_when(segment: str) -> bool:
    """'ABH, 31. marts 2027', 'Kommunen, løbende', '-': a short cell naming a party and a time, not an agreement."""
    if not segment.strip("-– "):
        return True
    words = segment.split()
    # the time may be a condition ('Selsk., når afgørelsen foreligger') rather than a date
    condition = re.match(r"[A-ZÆØÅ][\wæøåÆØÅ.]*\s*,\s*(?:når|så\s+snart|hvis|efter\s+at)\b", segment)
    return len(words) <= 9 and bool(re.match(r"[A-ZÆØÅ][\wæøåÆØÅ.]*\s*,", segment)) and (
        _when_in(segment) or len(words) <= 3 or condition is not None)


def _rows_by_their_last_cell(lines: list[str]) -> list[Row]:
    """Rows of a table without numbers: a row ends with the line whose end is its 'Frist' cell (a date, a
    period, 'Løbende') - the usual last column of an agreement table."""
    rows: list[Row] = []
    current: list[str] = []
    for raw in lines[:MAX_PLAIN_LINES]:
        line = strip_repeated_header(raw).strip()
        if not line:
            continue
        if _CLOSERS_RE.match(line):
            break
        current.append(line)
        tail = " ".join(" ".join(current).split()[-5:])  # a when-cell wrapped over two lines ('Varighed' / '2027-2028')
        if _when_in(tail) and len(" ".join(current)) > 20:
            row = split_row(" ".join(current))
            if row.when:
                rows.append(row)
            current = []
    return rows


def split_row(text: str, number: int | None = None) -> Row:
    """Split a PDF row's run-together cells: the agreement up to its last full stop, then who and when."""
    text = re.sub(r"\s+", " ", text).strip()
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s+\S)", text)]
    for end in reversed(ends):
        tail = text[end:].strip()
        if len(tail.split()) <= 9 and (_when_in(tail) or _party_like(tail)):
            who, when = _who_and_when(tail)
            return Row(text=text[:end].strip(), number=number, responsible=who, when=when)
    return Row(text=text, number=number)


def _when_in(text: str) -> bool:
    when = _tail_when(text)
    return when.period is not None or when.deadline is not None or bool(ONGOING_RE.search(text))


def _tail_when(text: str) -> When:
    """The when of a run-together who-and-when cell; the when-cell alone when the party's name before it hides
    it ('Tornebo 2027-2028' reads as a title, '2027-2028' as a period)."""
    when = read_when(text)
    if when.period is None and when.deadline is None:
        words = text.split()
        for k in range(max(1, len(words) - 4), len(words)):
            alone = read_when(" ".join(words[k:]))
            if alone.period is not None or alone.deadline is not None:
                return alone
    return when


def _party_like(text: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-ZÆØÅ][\wæøåÆØÅ.]*,?\s*(?:og\s+)?)+", text))


def _who_and_when(tail: str) -> tuple[str, str]:
    """'BSÅ, forretningsfører Primo 2027' -> ('BSÅ, forretningsfører', 'Primo 2027')."""
    when = _tail_when(tail)
    if when.period is not None:
        start = tail.find(when.period.text)
    elif when.deadline is not None:
        start = tail.find(when.deadline.text)
    else:
        m = ONGOING_RE.search(tail)
        start = m.start() if m else -1
    if start < 0:
        return tail, ""
    # 'KK Gælder til 30.06.2028': the when-cell may begin with a capitalised word the reading left out
    head = tail[:start].rstrip()
    lead = re.search(r"\b(?:Gælder|Frem|Senest|Inden|Fra|Til|Løber|I)\s*$", head)
    if lead:
        start, head = lead.start(), head[:lead.start()].rstrip()
    return head.strip(" ,"), tail[start:].strip()


def is_row_start(text: str) -> bool:
    """A line that begins a numbered table row."""
    return bool(_ROW_START_RE.match(text))


def topic_words(row: Row) -> str:
    """Text to classify a row by: its topic cell and its agreement (folded)."""
    return fold(f"{row.topic} {row.text}")
