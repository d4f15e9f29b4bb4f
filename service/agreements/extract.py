"""Rule-based extraction of agreements (aftaler) from document text: referater, aftaler, notater.

Recognised forms:

* numbered agreements: 'Aftale 3. Kommunen ...' (also several run together in one PDF paragraph),
  with optional 'Ansvarlig: ...' and 'Frist: ...' fields;
* numbered or bulleted lists ('1. ...', '2) ...', '- ...') in a section headed 'Aftaler';
* 'Aftale: ...' lines;
* sentences like 'Det blev aftalt, at ...', 'Parterne aftalte, at ...', 'Det aftales, at ...'.

Each agreement gets a type (see AGREEMENT_TYPES), a deadline (ISO date when unambiguous, else as
written and marked uncertain), the responsible party and afdeling when named, and its page/section.
Input is a LoadedDocument or the chunks of an ingested document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from knowledge.sentences import sentence_end
from knowledge.text import fold
from knowledge.types import Chunk, LoadedDocument
from service.agreements.dating import document_date
from service.agreements.units import TextUnit, units_from_chunks, units_from_document
from service.domain.afdelinger import find_afdelinger
from service.domain.dates import Deadline, parse_deadline
from service.domain.status import AFTALT, status_from_field

AGREEMENT_TYPES: dict[str, str] = {
    "kommunal_anvisning": "Kommunal anvisning (almenboligloven § 59, stk. 1)",
    "aftalt_anvisning": "Aftalt anvisning (almenboligloven § 59, stk. 2)",
    "aeldreboliger": "Ældreboliger",
    "handicapboliger": "Handicapboliger",
    "ungdomsboliger": "Ungdomsboliger",
    "fleksibel_udlejning": "Fleksibel udlejning",
    "kombineret_udlejning": "Kombineret udlejning",
    "helhedsplan": "Helhedsplan og renovering",
    "dialogmoede": "Dialogmøde",
    "tilsyn_opfoelgning": "Tilsyn og opfølgning",
    "andet": "Andet",
}
# (type, pattern on folded text); the first that matches wins.
_TYPE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("aftalt_anvisning", re.compile(r"§\s*59,?\s*stk\.?\s*2|aftalt anvisning|udvidet (?:kommunal )?anvisning|"
                                    r"supplerende anvisning")),
    ("kommunal_anvisning", re.compile(r"§\s*59,?\s*stk\.?\s*1|§\s*59\b(?!,?\s*stk)")),
    ("fleksibel_udlejning", re.compile(r"§\s*60,?\s*stk\.?\s*1|§\s*60\b(?!\s*[ab]\b)|fleksib\w* udlejning")),
    ("kombineret_udlejning", re.compile(r"§\s*51\s*b|kombiner\w* udlejning")),
    ("aeldreboliger", re.compile(r"aeldrebolig|plejebolig|aeldre og sundhed|visitation")),
    ("handicapboliger", re.compile(r"handicapbolig|bofaellesskab|botilbud")),
    ("ungdomsboliger", re.compile(r"ungdomsbolig|kollegie")),
    ("kommunal_anvisning", re.compile(r"kommunal\w* anvisning|anvis\w*\b.*familiebolig|boligsocial anvisning")),
    ("helhedsplan", re.compile(r"helhedsplan|renoveringsstoette|landsbyggefond|boligsocial indsats|"
                               r"udviklingsplan")),
    ("dialogmoede", re.compile(r"^(?:naeste )?dialogmoede|holdes? (?:et )?(?:nyt |ekstra )?dialogmoede|"
                               r"faellesmoede")),
    ("tilsyn_opfoelgning", re.compile(r"handleplan|redegoer|tilsyn|effektivitet|afdelingsbestyrelse|"
                                      r"afdelingsmoede|dispositionsfond|orienterer|ledige boliger|restance|"
                                      r"styringsrapport|henlaeggelse|vedligeholdelsesplan|regnskab")),
)
_MARKER_RE = re.compile(r"(?:(?<=^)|(?<=[\s.]))Aftale\s+(?:nr\.\s*)?(\d{1,2})\s*[.:)]\s+")
_FIELD_RE = re.compile(r"\b(Ansvarlig|Ansvar|Frist|Tidsfrist|Deadline|Status)\s*:\s*", re.IGNORECASE)
_LABEL_RE = re.compile(r"^\s*Aftale\s*:\s*(?P<text>.+)", re.IGNORECASE | re.DOTALL)
_AGREED_RE = re.compile(
    r"(?:Det\s+blev\s+aftalt|Parterne\s+aftalte|Det\s+aftales|Det\s+er\s+aftalt|Parterne\s+blev\s+enige\s+om"
    r"|Kommunen\s+og\s+[^.,]{3,60}?\s+aftalte|Det\s+blev\s+besluttet|Parterne\s+aftaler"
    r"|aftalte\s+parterne|Der\s+var\s+enighed\s+om|Der\s+blev\s+opnået\s+enighed\s+om|Man\s+blev\s+enige\s+om)"
    r"(?:\s+(?:desuden|også|endvidere|herudover|videre))?\s*,?\s*at\s+",
    re.IGNORECASE,
)
_LIST_ITEM_RE = re.compile(r"^\s*(?:(?P<num>\d{1,2})[.)]|[-•*–])\s+(?P<text>.+)", re.DOTALL)
_AFTALER_HEADING_RE = re.compile(r"^(?:\d+[.)]?\s*)?(?:nye\s+|indgåede\s+|konkrete\s+)?aftaler\b|aftalte\s+punkter",
                                 re.IGNORECASE)
_TRAILING_HEADING_RE = re.compile(r"(?:^|[.!?]\s+)(?:Nye\s+)?Aftaler\s*$")
_INTRO_RE = re.compile(r"følgende aftaler|indgik (?:følgende )?aftale|aftalte følgende", re.IGNORECASE)
_PARTY_RE = re.compile(
    r"^(?P<party>(?:(?:[A-ZÆØÅ][\wæøåÆØÅ-]*\s+){0,3}Kommune(?:,\s*[A-ZÆØÅ][\wæøå -]+?)?"
    r"|Kommunen|Parterne|Organisationsbestyrelsen|Boligorganisationen|Organisationen|Administrationen"
    r"|(?:Boligselskabet|Boligforeningen|Boligorganisationen)\s+[A-ZÆØÅ][\wæøå]+(?:\s+[A-ZÆØÅ][\wæøå]+)?"
    r"|[A-ZÆØÅ][\wæøå]+\s+Almene\s+Boliger)"
    r"(?:\s+og\s+(?:(?:[A-ZÆØÅ][\wæøåÆØÅ-]*\s+){0,3}Kommune|Kommunen|(?:Boligselskabet|Boligforeningen)\s+"
    r"[A-ZÆØÅ][\wæøå]+|[A-ZÆØÅ][\wæøå]+\s+Almene\s+Boliger|organisationen))?)\s"
)
_DEPARTMENT_RE = re.compile(
    r"Kommune,\s*(?P<dept>[A-ZÆØÅ][\wæøå]+(?:[- ](?:og|[A-ZÆØÅ][\wæøå]+))*(?:\s+[A-ZÆØÅa-zæøå][\wæøå]+)?)"
    r"|(?P<dept2>\b[A-ZÆØÅ][\wæøå]+forvaltning(?:en)?\b|\b[A-ZÆØÅ][\wæøå-]+(?:\s+og\s+[A-ZÆØÅ][\wæøå]+)?udvalget\b)"
)



@dataclass
class Agreement:
    """One agreement found in a document, with what a register and a citation need."""

    text: str
    type: str
    number: int | None = None
    deadline: str | None = None  # ISO date when unambiguous
    deadline_text: str = ""
    deadline_uncertain: bool = False
    ongoing: bool = False
    responsible: str | None = None
    department: str | None = None
    afdeling: str | None = None
    afdeling_nr: int | None = None
    organisation: str | None = None
    agreed_date: str | None = None  # ISO date of the meeting or signature when the document says
    status: str = AFTALT  # one of service.domain.status.REGISTER_STATUSES
    page: int | None = None
    section: str = ""
    source_id: str = ""
    source_title: str = ""
    form: str = ""  # how it was written: 'nummereret', 'liste', 'aftale:', 'det blev aftalt'
    chunk_id: str = ""  # the stored chunk it was read from (when extracted from chunks)

    @property
    def type_label(self) -> str:
        return AGREEMENT_TYPES.get(self.type, self.type)

    @property
    def citation(self) -> str:
        """'Referat af dialogmøde ..., aftale 2, s. 3'."""
        parts = [self.source_title or self.source_id]
        if self.number is not None:
            parts.append(f"aftale {self.number}")
        elif self.section:
            parts.append(f"afsnit '{self.section}'")
        if self.page:
            parts.append(f"s. {self.page}")
        return ", ".join(p for p in parts if p)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["type_label"] = self.type_label
        data["citation"] = self.citation
        return data


@dataclass
class _Found:
    text: str
    number: int | None
    form: str
    unit: TextUnit
    fields: dict[str, str] = field(default_factory=dict)


def classify_agreement(text: str) -> str:
    """The agreement type of a text (one of AGREEMENT_TYPES)."""
    low = fold(text).replace("§§", "§")
    low = re.sub(r"\s+", " ", low)
    for name, pattern in _TYPE_RULES:
        if pattern.search(low):
            return name
    return "andet"


def _split_fields(text: str) -> tuple[str, dict[str, str]]:
    """'... Ansvarlig: X. Frist: senest 1. juni 2026.' -> (text before, {'ansvarlig': 'X', 'frist': '...'})."""
    fields: dict[str, str] = {}
    m = _FIELD_RE.search(text)
    if not m:
        return text.strip(), fields
    body = text[:m.start()].strip()
    parts = list(_FIELD_RE.finditer(text))
    for i, fm in enumerate(parts):
        end = parts[i + 1].start() if i + 1 < len(parts) else len(text)
        key = fold(fm.group(1)).replace("tidsfrist", "frist").replace("deadline", "frist")
        key = "ansvarlig" if key.startswith("ansvar") else key
        fields[key] = text[fm.end():end].strip().rstrip(".").strip()
    return body, fields


def _find(units: list[TextUnit]) -> list[_Found]:
    found: list[_Found] = []
    in_section = False
    pending: _Found | None = None
    for unit in units:
        text = unit.text
        if unit.is_heading:
            in_section = bool(_AFTALER_HEADING_RE.search(text.strip()))
            pending = None
            continue
        markers = list(_MARKER_RE.finditer(text))
        if markers:
            if pending is not None and markers[0].start() > 0:
                _, fields = _split_fields(text[:markers[0].start()])
                pending.fields.update(fields)
            for i, m in enumerate(markers):
                end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
                body, fields = _split_fields(text[m.end():end])
                pending = _Found(body, int(m.group(1)), "nummereret", unit, fields)
                found.append(pending)
            continue
        if pending is not None and _FIELD_RE.match(text.strip()):
            _, fields = _split_fields(text)
            pending.fields.update(fields)
            continue
        label = _LABEL_RE.match(text)
        if label:
            body, fields = _split_fields(label.group("text"))
            pending = _Found(body, None, "aftale:", unit, fields)
            found.append(pending)
            continue
        if in_section and not _INTRO_RE.search(text):
            for line in text.split("\n"):
                item = _LIST_ITEM_RE.match(line)
                if item:
                    body, fields = _split_fields(item.group("text"))
                    num = int(item.group("num")) if item.group("num") else None
                    pending = _Found(body, num, "liste", unit, fields)
                    found.append(pending)
        for m in _AGREED_RE.finditer(text):
            end = sentence_end(text, m.end())
            body, fields = _split_fields(text[m.end():end])
            if len(body) > 10:
                pending = _Found(body[0].upper() + body[1:], None, "det blev aftalt", unit, fields)
                found.append(pending)
        if _TRAILING_HEADING_RE.search(text) or _AFTALER_HEADING_RE.match(text.strip()) and len(text) < 40:
            in_section = True  # a heading the PDF loader merged into the paragraph before it
    return found


def _responsible(text: str, fields: dict[str, str]) -> str | None:
    if fields.get("ansvarlig"):
        return fields["ansvarlig"]
    m = _PARTY_RE.match(text)
    return m.group("party").strip().rstrip(",") if m else None


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


def extract_agreements_from_units(units: list[TextUnit], *, organisation: str | None = None, source_id: str = "",
                                  source_title: str = "") -> list[Agreement]:
    """Agreements in text units (see the module docstring for the forms recognised)."""
    agreed = document_date(units, records_meeting=True)
    out: list[Agreement] = []
    for f in _find(units):
        text = re.sub(r"\s+", " ", f.text).strip()
        if not text:
            continue
        deadline: Deadline | None = None
        if f.fields.get("frist"):
            deadline = parse_deadline(f.fields["frist"]) or Deadline(f.fields["frist"], None, uncertain=True)
        if deadline is None:
            deadline = parse_deadline(text)
        # the afdeling an agreement is about is named in its first sentence
        mentions = find_afdelinger(text[:sentence_end(text)])
        afd = mentions[0] if mentions else None
        responsible = _responsible(text, f.fields)
        out.append(Agreement(
            text=text, type=classify_agreement(text), number=f.number,
            deadline=deadline.iso if deadline else None, deadline_text=deadline.text if deadline else "",
            deadline_uncertain=bool(deadline and deadline.uncertain), ongoing=bool(deadline and deadline.ongoing),
            responsible=responsible, department=_department(responsible, text),
            afdeling=(f"Afd. {afd.nr} {afd.name}".strip() if afd and afd.nr is not None else None),
            afdeling_nr=afd.nr if afd else None, organisation=organisation, agreed_date=agreed,
            status=status_from_field(f.fields.get("status", "")), page=f.unit.page, section=f.unit.section, source_id=source_id,
            source_title=source_title, form=f.form, chunk_id=f.unit.chunk_id,
        ))
    return _dedupe(out)


def _dedupe(items: list[Agreement]) -> list[Agreement]:
    """Chunk overlap repeats text: keep one agreement per number (or per text), the longest."""
    kept: dict[tuple[Any, ...], Agreement] = {}
    order: list[tuple[Any, ...]] = []
    for a in items:
        key: tuple[Any, ...] = ("n", a.number) if a.number is not None else ("t", fold(a.text)[:80])
        if key not in kept:
            kept[key] = a
            order.append(key)
        elif len(a.text) > len(kept[key].text):
            kept[key] = a
    return [kept[k] for k in order]


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
