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
from typing import Any

from knowledge.sentences import sentence_end
from knowledge.text import fold
from knowledge.types import Chunk, LoadedDocument
from service.agreements.agreement import AGREEMENT_TYPES, Agreement, classify_agreement
from service.agreements.dating import document_date, next_meeting
from service.agreements.parties import Parties, first_party, normalise_party, party_at, read_parties
from service.agreements.units import TextUnit, units_from_chunks, units_from_document
from service.agreements.walk import Found, read_units
from service.domain.afdelinger import find_afdelinger
from service.domain.deadlines import Deadline, Period, read_when
from service.domain.status import status_from_field

__all__ = ["AGREEMENT_TYPES", "Agreement", "classify_agreement", "extract_agreements",
           "extract_agreements_from_chunks", "extract_agreements_from_units"]

_DEPARTMENT_RE = re.compile(
    r"Kommune,\s*(?P<dept>[A-ZÆØÅ][\wæøå]+(?:[- ](?:og|[A-ZÆØÅ][\wæøå]+))*(?:\s+[A-ZÆØÅa-zæøå][\wæøå]+)?)"
    r"|(?P<dept2>\b[A-ZÆØÅ][\wæøå]+forvaltning(?:en)?\b|\b[A-ZÆØÅ][\wæøå-]+(?:\s+og\s+[A-ZÆØÅ][\wæøå]+)?udvalget\b)"
)


def _responsible(found: Found, parties: Parties) -> str | None:
    """Who must act: an 'Ansvarlig' field or column, else the acting party, else the first party named."""
    if found.fields.get("ansvarlig"):
        return parties.expand(found.fields["ansvarlig"])  # 'ARB' in a table cell: the name the document gives it
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


def _when(found: Found, text: str, meeting: dt.date | None) -> tuple[Deadline | None, Any]:
    """(deadline, period): a 'Frist' field or column first, then the agreement's own words."""
    field_text = found.fields.get("frist", "")
    if field_text:
        when = read_when(field_text, meeting=meeting)
        if when.deadline is None and when.period is None:
            when = read_when(text, meeting=meeting)
            if when.deadline is None and when.period is None:
                return Deadline(field_text, None, uncertain=True), None
        return when.deadline, when.period
    when_field = found.fields.get("hvornaar", "")  # 'Periode: ...', 'Opfølgning: ...': when it holds a date
    if when_field:
        when = read_when(when_field, meeting=meeting)
        if when.deadline is not None or when.period is not None:
            return when.deadline, when.period
    first = read_when(text[:sentence_end(text)], meeting=meeting)  # the agreement's own sentence first
    if first.deadline is not None or first.period is not None:
        return first.deadline, first.period
    when = read_when(text, meeting=meeting)
    if when.deadline is not None and when.deadline.uncertain and when.deadline.iso is None \
            and re.search(r"møde", when.deadline.text, re.IGNORECASE):
        return None, None  # 'tager det op igen på næste møde' in a later sentence: not this agreement's deadline
    return when.deadline, when.period


# arrangements that run over time (lettings, assignment): 'udlejer i 2027' is the year it runs, not a deadline
_ARRANGEMENTS = frozenset({"fleksibel_udlejning", "kombineret_udlejning", "kommunal_anvisning", "aftalt_anvisning"})
_IN_YEAR_RE = re.compile(r"(?:[a-zæøå]+\s+)?i\s+(?P<year>(?:19|20)\d\d)", re.IGNORECASE)
_BY_NEXT_MEETING_RE = re.compile(r"\bnæste\s+(?:[\wæøå]*)møde\b", re.IGNORECASE)


def _placed(deadline: Deadline | None, period: Period | None, kind: str, upcoming: tuple[str, dt.date] | None
            ) -> tuple[Deadline | None, Period | None]:
    """A vague time placed: 'i 2027' for an arrangement is the year it runs (a period); 'inden næste møde' is the
    next meeting the document dates ('Næste dialogmøde holdes i september 2027')."""
    if deadline is None or deadline.iso is not None:
        return deadline, period
    in_year = _IN_YEAR_RE.fullmatch(deadline.text.strip())
    if in_year and kind in _ARRANGEMENTS:
        year = in_year.group("year")
        return None, Period(deadline.text, f"{year}-01-01", f"{year}-12-31")
    if upcoming is not None and _BY_NEXT_MEETING_RE.search(deadline.text):
        return Deadline(f"{deadline.text} ({upcoming[0]})", upcoming[1].isoformat(), uncertain=True), None
    return deadline, period


def _agreement(found: Found, parties: Parties, meeting: str | None, source_id: str, source_title: str,
               upcoming: tuple[str, dt.date] | None = None) -> Agreement | None:
    text = re.sub(r"\s+", " ", found.text).strip()
    if not text:
        return None
    deadline, period = _when(found, text, dt.date.fromisoformat(meeting) if meeting else None)
    mentions = find_afdelinger(text[:sentence_end(text)])  # the afdeling an agreement is about: its first sentence
    afd = mentions[0] if mentions else None
    responsible = _responsible(found, parties)
    kind = classify_agreement(text[:sentence_end(text)])  # what the agreement's own sentence is about
    if kind == "andet":
        kind = classify_agreement(text)
    if kind == "andet" and found.topic:
        kind = classify_agreement(found.topic)
    deadline, period = _placed(deadline, period, kind, upcoming)
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
    meeting = document_date(units, records_meeting=True, title=source_title)
    upcoming = next_meeting(units)
    if upcoming is not None and meeting and upcoming[1].isoformat() <= meeting:
        upcoming = None  # a next meeting dated before this one is no next meeting
    out = [a for f in read_units(units, parties)
           if (a := _agreement(f, parties, meeting, source_id, source_title, upcoming)) is not None]
    out = _dedupe(out)
    moves = _apply_corrections(units, out, dt.date.fromisoformat(meeting) if meeting else None)
    return [a for a in out if not any(move in fold(a.text) for move in moves)]  # a moved deadline is no agreement


# A later word moving an agreement's deadline (a reply in a mail thread, an addendum): 'vi flytter fristen for
# budgettet om X til 1. maj 2027', 'fristen for planen rykkes til ...', 'ny frist for udkastet: ...'
_WHAT = r"(?P<what>[^.;:]{3,120}?)"
_NEW_WHEN = r"\s+(?P<when>til\s+[^;]{3,40})"  # dates hold full stops ('til 1. marts 2027')
_CORRECTION_RES = (
    re.compile(r"\b(?:retter|ændrer|flytter|rykker|udskyder|forlænger|justerer)\s+(?:vi\s+|I\s+|hermed\s+)?"
               r"(?:fristen|deadlinen|tidsfristen|datoen)\s+(?:for|på)\s+" + _WHAT + _NEW_WHEN, re.IGNORECASE),
    re.compile(r"\b(?:fristen|deadlinen|tidsfristen)\s+(?:for|på)\s+" + _WHAT + r"\s+(?:ændres|rykkes|flyttes|rettes"
               r"|udskydes|forlænges|er\s+(?:hermed\s+)?(?:rettet|ændret|rykket|flyttet))" + _NEW_WHEN, re.IGNORECASE),
    re.compile(r"\b(?:ny|ændret|rettet)\s+(?:frist|deadline)\s+(?:for|på)\s+" + _WHAT + r"\s*(?::|er|bliver)\s+"
               r"(?P<when>[^;]{3,40})", re.IGNORECASE),
)
_NOT_CONTENT = frozenset({"fristen", "for", "til", "den", "det", "der", "som", "med", "efter", "inden", "senest", "vores",
                          "jeres", "deres", "kommunen", "foreningen", "selskabet", "organisationen", "afdelingen"})


def _content(text: str) -> set[str]:
    return {w[:6] for w in re.findall(r"[a-z0-9]{4,}", fold(text)) if w not in _NOT_CONTENT}


def _apply_corrections(units: list[TextUnit], agreements: list[Agreement], meeting: dt.date | None) -> list[str]:
    """A deadline moved later in the document (a newer mail answering the summary) replaces the agreement's own:
    the agreement whose words the correction names ('budgettet for Vesthaven' - 'et budget ... for afd. 2
    Vesthaven') gets the new date. Returns the corrections' words (folded), which state no agreement of their own."""
    moves: list[str] = []
    for unit in units:
        for pattern in _CORRECTION_RES:
            for m in pattern.finditer(unit.text):
                moves.append(fold(m.group(0))[:60])
                when = read_when(m.group("when"), meeting=meeting)
                if when.deadline is None and not m.group("when").lower().startswith("til"):
                    when = read_when(f"senest {m.group('when')}", meeting=meeting)  # 'ny frist for X: 1.3.2027'

                if when.deadline is None or when.deadline.iso is None:
                    continue
                named = _content(m.group("what"))
                scored = sorted(((len(named & _content(a.text)), i) for i, a in enumerate(agreements)
                                 if a.valid_to is None and fold(m.group(0)) not in fold(a.text)), reverse=True)
                best = [agreements[i] for score, i in scored if scored and score == scored[0][0] > 0]
                if not best or len({fold(a.text) for a in best}) > 1:
                    continue  # names no agreement, or two different ones alike (a quoted repeat is the same one)
                for target in best:
                    target.deadline, target.deadline_text = when.deadline.iso, when.deadline.text
                    target.deadline_uncertain, target.ongoing = when.deadline.uncertain, False
    return moves


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
