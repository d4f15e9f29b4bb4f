"""Agreements in an agreement document (kind 'aftale'): its numbered clauses, period, parties and signature.

A clause is a numbered section ('4. Kommunal anvisning', '§ 4. Fleksibel udlejning') with substance;
sections about the parties, purpose, background, scope, duration and signatures describe the agreement
and are not agreements themselves. A clause with sub-points ('4.1', '4.2', bullets) gives one agreement
per point. Every point gets the document's period ('Aftaleperiode: 1. april 2026 - 31. marts 2029',
'Aftalen gælder for perioden ...') as its duration, the signature date as the date agreed, the
municipality's department when a signatory names it ('afdelingsleder, Borgerservice og Bolig'), and
the organisations it binds: every party of a joint agreement, or those the point names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.sentences import split_sentences
from knowledge.text import fold
from service.agreements.agreement import Agreement, classify_agreement
from service.agreements.dating import document_date
from service.agreements.decisions import acting_party, intends
from service.agreements.model import FoundAgreement
from service.agreements.parties import Parties, normalise_party
from service.agreements.units import TextUnit
from service.domain.afdelinger import find_afdelinger
from service.domain.dates import find_dates
from service.domain.deadlines import find_period, parse_deadline
from service.domain.status import AFTALT

# 'Punkt', 'Pkt.', 'Afsnit' and 'Artikel' number a clause as '§' does ('Pkt. 3. Kommunal anvisning')
_CLAUSE_WORD = r"(?:§|(?:Pkt|Punkt|Afsnit|Artikel|Art)\.?)"
_CLAUSE_HEADING_RE = re.compile(r"^\s*(?:" + _CLAUSE_WORD + r"\s*)?(?P<num>\d{1,2})\.?\s+(?P<title>[A-ZÆØÅ].{1,80})$")
# A clause heading the PDF reader left as a paragraph: '§ 4. Fleksibel udlejning' (short, no full stop).
_LOOSE_HEADING_RE = re.compile(r"^\s*" + _CLAUSE_WORD + r"\s*(?P<num>\d{1,2})\.?\s+(?P<title>[A-ZÆØÅ][^.]{1,60})$")
# a clause whose number and title run into its text in one paragraph, as a web page or a mail prints it:
# '§ 2. Fleksibel udlejning. Selskabet udlejer ...', 'Pkt. 4 - Opfølgning: Parterne mødes ...', '§ 3. Kommunen anviser ...'
_RUN_IN_RE = re.compile(r"^\s*" + _CLAUSE_WORD + r"\s*(?P<num>\d{1,2})\s*[.:)]?\s+(?:[-–]\s+)?"
                        r"(?:(?P<title>[A-ZÆØÅ][^.:;!?\n]{1,60}?)\s*(?:[.:]|\s[-–])\s+)?(?P<body>[A-ZÆØÅ].{15,})$", re.DOTALL)
_SUBPOINT_RE = re.compile(r"^\s*(?P<num>\d{1,2}\.\d{1,2})\.?\s+(?P<text>[A-ZÆØÅ].*)$", re.DOTALL)
# a clause's stykker, as statutes and contracts number them: 'Stk. 2. Kommunen betaler ...', '(2) Kommunen betaler ...'
_STK_RE = re.compile(r"^\s*(?:Stk\.?\s*(?P<stk>\d{1,2})\.?|\((?P<par>\d{1,2})\))\s+(?P<text>[A-ZÆØÅ].*)$", re.DOTALL)
_BULLET_RE = re.compile(r"^\s*[-•*–]\s+(?P<text>[A-ZÆØÅ].*)$")
_DESCRIPTIVE_RE = re.compile(
    r"parter\b|parterne\b|baggrund|formaal|omraade|omfang|varighed|opsigelse|ophoer|ikrafttraed|underskrift|"
    r"definition|indledning|bilag|indhold|kontaktpersoner|tvister|aendring|aftaleperiode|periode\b"
)
_SIGNATORY_DEPT_RE = re.compile(
    r"\b(?:afdelingsleder|afdelingschef|direktør|centerchef|kontorchef|chef|leder|teamleder|fagchef)\s*,\s*"
    r"(?P<dept>(?:Center\s+for\s+)?[A-ZÆØÅ][\wæøå-]+(?:\s+og\s+[A-ZÆØÅ][\wæøå-]+)?)"
)
_DEPT_IN_TEXT_RE = re.compile(r"\b(?:Center\s+for\s+[A-ZÆØÅ][\wæøå]+(?:\s+og\s+[A-ZÆØÅ][\wæøå]+)?|"
                              r"[A-ZÆØÅ][\wæøå]+forvaltning(?:en)?)\b")
_AGREEMENT_SUBJECT_RE = re.compile(r"\baftal(?:en|erne)\b|aftaleperiode|\bgælder\b|\bløber\b", re.IGNORECASE)
_MAX_TEXT = 600
# Who acts when a clause says it in the passive ('udlejes', 'anvises'): the municipality allocates homes
# (almenboligloven § 59), the organisation lets them (§§ 51 b, 60); both meet and evaluate.
_DEFAULT_ACTOR = {"kommunal_anvisning": "Kommunen", "aftalt_anvisning": "Kommunen",
                  "fleksibel_udlejning": "Boligorganisationen", "kombineret_udlejning": "Boligorganisationen",
                  "ungdomsboliger": "Boligorganisationen", "dialogmoede": "Parterne"}


@dataclass
class AgreementFrame:
    """What an agreement document says about itself: parties, period, signature date, department."""

    organisation: str | None = None
    organisations: list[str] = field(default_factory=list)
    valid_from: str | None = None
    valid_to: str | None = None
    duration_text: str = ""
    signed: str | None = None
    department: str | None = None


def read_frame(units: list[TextUnit], parties: Parties) -> AgreementFrame:
    """Parties, period, signature date and the municipality's department of an agreement document.

    The period is the first one stated about the agreement itself ('Aftaleperiode: 1. april 2026 - 31. marts
    2029', 'Aftalen gælder for perioden 2026-2029')."""
    frame = AgreementFrame(organisation=parties.organisation, organisations=list(parties.organisations))
    for unit in units:
        if frame.valid_to is None and _AGREEMENT_SUBJECT_RE.search(unit.text):
            period = find_period(unit.text)
            if period is not None:
                frame.valid_from, frame.valid_to = period.start, period.end
                dates = find_dates(period.text)
                frame.duration_text = (period.text[dates[0][0]:dates[-1][1]].strip() if len(dates) >= 2
                                       else period.text)
                frame.duration_text = re.sub(r"^(?:fra|den)\s+", "", frame.duration_text)
        if frame.department is None:
            m = _SIGNATORY_DEPT_RE.search(unit.text)
            if m:
                frame.department = m.group("dept").strip()
    frame.signed = document_date(units)
    return frame


def _clause_type(title: str, text: str) -> str:
    kind = classify_agreement(title)
    if kind == "andet":
        kind = classify_agreement(text)
    if kind == "andet" and re.search(r"\banvis", fold(text)):
        kind = "kommunal_anvisning"  # e.g. 'Økonomi': the municipality pays rent for the homes it allocates
    return kind


def _first_sentence(text: str) -> str:
    sentences = split_sentences(text)
    return sentences[0] if sentences else text


def _sections(units: list[TextUnit], parties: Parties) -> list[tuple[int, str, list[TextUnit]]]:
    """(number, title, body units) of every numbered section; other headings get number -1."""
    sections: list[tuple[int, str, list[TextUnit]]] = []
    for unit in units:
        head = _CLAUSE_HEADING_RE.match(unit.text) if unit.is_heading else _LOOSE_HEADING_RE.match(unit.text)
        if head:
            number, title = int(head.group("num")), head.group("title").strip()
            if not (sections and sections[-1][0] == number and sections[-1][1] == title):
                sections.append((number, title, []))
            continue
        run_in = None if unit.is_heading else _run_in(unit.text, parties)
        if run_in is not None:
            number, title, body = run_in
            sections.append((number, title, [TextUnit(body, unit.page, unit.section, False, unit.chunk_id)]))
            continue
        if unit.is_heading:
            sections.append((-1, unit.text, []))
        elif (sections and unit.text.strip() != sections[-1][1] and not _CLAUSE_HEADING_RE.match(unit.text.strip())
              and (not sections[-1][2] or unit.text != sections[-1][2][-1].text)):
            sections[-1][2].append(unit)
    return sections


def _run_in(text: str, parties: Parties) -> tuple[int, str, str] | None:
    """(number, title, text) of a clause run into one paragraph; a title has at most six words and no verb of its
    own ('§ 3. Kommunen anviser ...' has none: the sentence is the clause)."""
    m = _RUN_IN_RE.match(text)
    if m is None:
        return None
    title, body = (m.group("title") or "").strip(), m.group("body").strip()
    if title and (len(title.split()) > 6 or acting_party(title, parties) is not None):
        title, body = "", text[m.start("title"):].strip()
    return int(m.group("num")), title, body


# a verb in the passive ('anvises', 'udlejes'): a stykke that says what is done, even without who does it
_PASSIVE_RE = re.compile(r"\b(?!(?:deres|vores|jeres|hendes|andres|alles|næstes)\b)[a-zæøå]{3,}es\b")


def _points(number: int, body: list[TextUnit], parties: Parties) -> list[tuple[str, str, TextUnit]]:
    """(label, text, unit) of a clause's points: its sub-points ('4.1 ...') or bullets when it has them, else
    the whole clause. Lower-case list items ('1) er i beskæftigelse,') are criteria inside one point."""
    points: list[tuple[str, str, TextUnit]] = []
    for unit in body:
        stk = _STK_RE.match(unit.text)
        if stk is not None and "\n" not in unit.text.strip():
            n, text = stk.group("stk") or stk.group("par"), stk.group("text").strip()
            if points and acting_party(text, parties) is None and not _PASSIVE_RE.search(text):
                label, before, first = points[-1]  # 'Stk. 2. De fleksible kriterier fremgår af bilag 2.': more of
                points[-1] = (label, f"{before} {text}", first)  # the stykke before, nobody acts in it
            else:
                points.append((f"{number}.{n}", text, unit))
            continue
        for line in unit.text.split("\n"):
            sub = _SUBPOINT_RE.match(line) or _BULLET_RE.match(line)
            if sub is not None and len(sub.group("text").split()) >= 5:
                label = sub.group("num") if "num" in sub.groupdict() and sub.groupdict().get("num") else ""
                points.append((label or f"{number}.{len(points) + 1}", sub.group("text"), unit))
            elif points and line.strip() and not re.fullmatch(r"[\s_]+", line):
                label, text, first = points[-1]
                points[-1] = (label, f"{text} {line.strip()}", first)
    if points:
        return points
    text = " ".join(u.text for u in body if not re.fullmatch(r"[\s_]+", u.text))
    return [(str(number), text, body[0])] if body else []


def extract_clauses(units: list[TextUnit], *, parties: Parties, source_id: str, source_title: str
                    ) -> list[FoundAgreement]:
    """The substantive numbered clauses of an agreement document as agreements (empty if it has none).

    A clause with sub-points ('4.1', '4.2' or bullets) gives one agreement per point. Every point binds
    all the document's organisations, unless it names some of them; every point runs for the document's period."""
    frame = read_frame(units, parties)
    out: list[FoundAgreement] = []
    seen: set[int] = set()
    for number, title, body in _sections(units, parties):
        if number < 0 or number in seen or not body or _DESCRIPTIVE_RE.search(fold(title)):
            continue
        seen.add(number)
        for label, raw, unit in _points(number, body, parties):
            text = re.sub(r"\s+", " ", raw).strip()
            if len(text) < 20 or (intends(text) and parse_deadline(text) is None):
                continue  # a point that states an intention ('Parterne vil arbejde for, at ...') binds no one
            if len(text) > _MAX_TEXT:
                text = text[:_MAX_TEXT].rsplit(" ", 1)[0] + " …"
            out.append(_point_agreement(number, title, label, text, unit, frame, parties, source_id, source_title))
    return out


def _point_agreement(number: int, title: str, label: str, text: str, unit: TextUnit, frame: AgreementFrame,
                     parties: Parties, source_id: str, source_title: str) -> FoundAgreement:
    deadline = parse_deadline(text)
    if deadline and deadline.ongoing and "aftaleperiode" in deadline.text.lower():
        deadline = None  # 'i aftaleperioden': the period itself is the duration
    mentions = [m for m in find_afdelinger(_first_sentence(text)) if m.nr is not None]
    dept = _DEPT_IN_TEXT_RE.search(text)
    named = parties.named_in(text) if len(frame.organisations) > 1 else []
    kind = _clause_type(title, text) if label == str(number) else _clause_type(text, title)
    actor = acting_party(text, parties)
    responsible = normalise_party(actor.text, parties) if actor else _DEFAULT_ACTOR.get(kind)
    organisations = named or frame.organisations
    whole = label == str(number)
    agreement = Agreement(
        text=text, type=kind, number=number,
        deadline=deadline.iso if deadline else None, deadline_text=deadline.text if deadline else "",
        deadline_uncertain=bool(deadline and deadline.uncertain),
        ongoing=bool(deadline is None or deadline.ongoing),
        responsible=responsible, department=dept.group(0) if dept else frame.department,
        afdeling=", ".join(f"Afd. {m.nr} {m.name}".strip() for m in mentions) or None,
        afdeling_nr=mentions[0].nr if mentions else None,
        organisation=organisations[0] if len(organisations) == 1 else frame.organisation,
        organisations=list(organisations), agreed_date=frame.signed, status=AFTALT, page=unit.page,
        section=f"{number}. {title}", source_id=source_id, source_title=source_title, form="klausul",
        chunk_id=unit.chunk_id,
    )
    return FoundAgreement(agreement, category="aftale", label=f"pkt. {number if whole else label} {title}",
                          valid_from=frame.valid_from, valid_to=frame.valid_to, duration_text=frame.duration_text)
