"""One agreement as read from a document, its types, and how its type is read from its words.

The types follow the agreements a municipality makes with housing organisations under almenboligloven
(kommunal and aftalt anvisning § 59, fleksibel § 60 and kombineret § 51 b udlejning, ældre-, handicap- og
ungdomsboliger, helhedsplaner) plus meetings and follow-up; the first rule that fits a text wins.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from knowledge.sentences import sentence_end
from knowledge.text import fold
from service.domain.status import AFTALT

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
# the tenants' and members' own meetings (tenant democracy), not meetings between the parties
_RESIDENTS_MEETING = r"afdelings|beboer|informations|general|repraesentantskabs|medlems"
# (type, pattern on folded text); the first that matches wins.
_TYPE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # what the subject does decides before what it is about: reporting ('indberetter hvert kvartal antallet af
    # anviste', 'sender en opgørelse over tomme handicapboliger') is follow-up, evaluating an agreement is a meeting
    ("tilsyn_opfoelgning", re.compile(r"^\W*(?:[\w.]+\s+){1,4}?(?:indberetter|rapporterer|afrapporterer|opgoer)\b"
                                      r"|^\W*(?:[\w.]+\s+){1,4}?(?:gennemgaar|foelger\s+op\s+paa)\s+(?:\w+\s+){0,3}?"
                                      r"(?:resultat|udvikling|tal|erfaring)"
                                      r"|^\W*(?:[\w.]+\s+){1,4}?(?:ind|frem)?sender\s+(?:[^,]{1,30},[^,]{1,60},\s+)?(?:\S+\s+){0,6}?(?:opgoerelse|langtidsplan|analyse|finansierings\w+|oversigt|redegoerelse"
                                      r"|statusrapport|referat|regnskab|budget|dokumentation|liste"
                                      # sending the other side a plan ('sender kommunen en plan for, hvordan ...')
                                      r"|(?!helhedsplan|renover)\w*plan\b)"
                                      # producing a plan for the other side ('laver en udlejningsplan'), not a
                                      # helhedsplan or a renovation, which have their own type
                                      r"|^\W*(?:[\w.]+\s+){1,4}?(?:udarbejder|laver)\s+(?:\S+\s+){0,3}?"
                                      r"(?!helhedsplan|renover)\w*plan\b")),
    ("dialogmoede", re.compile(r"^\W*(?:[\w.]+\s+){1,4}?evaluerer\s+(?:\w+\s+)?(?:aftalen|aftalerne|ordningen)\b"
                               r"|^\W*(?:[\w.]+\s+){1,4}?(?:indkalder|inviterer)\s+til\s+(?:\w+\s+){0,3}?"
                               r"(?!" + _RESIDENTS_MEETING + r")\w*moede\b")),
    ("aftalt_anvisning", re.compile(r"§\s*59,?\s*stk\.?\s*2|aftalt anvisning|udvidet (?:kommunal )?anvisning|"
                                    r"supplerende anvisning|ud over (?:den )?(?:almindelige|kommunale) anvisning")),
    ("kommunal_anvisning", re.compile(r"§\s*59,?\s*stk\.?\s*1|§\s*59\b(?!,?\s*stk)")),
    ("fleksibel_udlejning", re.compile(r"§\s*60,?\s*stk\.?\s*1|§\s*60\b(?!\s*[ab]\b)|fleksib\w* udlejning|"
                                       r"fleksible? kriterier|\bfortrin\b")),
    ("kombineret_udlejning", re.compile(r"§\s*51\s*b|kombiner\w* udlejning")),
    ("aeldreboliger", re.compile(r"aeldrebolig|plejebolig|aeldre og sundhed")),
    ("handicapboliger", re.compile(r"handicapbolig|bofaellesskab|botilbud|koerestol|handicappede|\w*handicap\b")),
    # young people in education are who youth homes are let to (rooms to students and pupils)
    ("ungdomsboliger", re.compile(r"ungdomsbolig|kollegie|(?:vaerelser|boliger)\b.*\b(?:studerende|elever|uddannelsessoegende)\b")),
    ("aeldreboliger", re.compile(r"visitation")),  # the process word, when no type of home is named
    ("kommunal_anvisning", re.compile(r"kommunal\w* anvisning|anvis\w*\b.*familiebolig|boligsocial anvisning")),
    # a prækvalifikation is the first application to Landsbyggefonden for a helhedsplan
    ("helhedsplan", re.compile(r"helhedsplan|renoveringsstoette|landsbyggefond|praekvalifikation|boligsocial indsats|"
                               r"udviklingsplan|renover")),
    ("kommunal_anvisning", re.compile(r"\banvis")),
    ("dialogmoede", re.compile(r"^(?:naeste )?dialogmoede|^(?:[\w-]+ ){0,2}(?!" + _RESIDENTS_MEETING + r")[\w-]*moede\b(?! ?(?:referat|protokol))|holdes? (?:et )?(?:nyt |ekstra )?dialogmoede|"
                               r"faellesmoede|opfoelgningsmoede|\bmoedes\b.*\b(?:gange?|hvert|hver|forum|kvartal\w*|halvaar\w*|aarligt|maanedligt)\b|\bholder? (?:\w+ ){0,2}moeder?\b|indkald\w* (?:\w+ ){0,3}til (?:et |en )?(?:\w+ )?(?:dialog|opfoelgnings|faelles|status)?moede\b")),
    ("tilsyn_opfoelgning", re.compile(r"hand(?:le|lings)plan|redegoer|tilsyn|effektivitet|afdelingsbestyrelse|"
                                      r"afdelingsmoede|dispositionsfond|orienter(?:er|e)\b|ledige boliger|restance|"
                                      r"styringsrapport|styringsdialog|henlaeggelse|vedligeholdelsesplan|regnskab|driftsudgift|"
                                      r"\bstatus\b|opgoerelse|indberet|afdelingsskema|finansieringsplan|underskud|arbejdskapital"
                                      r"|prognose|forecast|likviditet|budget|revisor|revision")),
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
    valid_from: str | None = None  # a period the agreement runs ('frem til 31.12.2027', 'i perioden 2026-2029')
    valid_to: str | None = None
    duration_text: str = ""
    responsible: str | None = None
    department: str | None = None
    afdeling: str | None = None
    afdeling_nr: int | None = None
    organisation: str | None = None
    organisations: list[str] = field(default_factory=list)  # every party organisation (joint agreements)
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


# a relative clause (', der også omfatter ungdomsboligerne'): it qualifies a noun, the main clause says what is agreed
_RELATIVE_CLAUSE_RE = re.compile(r",\s*(?:der|som|hvor)\s+.*?(?=[,;]|\.\s+[A-ZÆØÅ]|\.?\s*$)", re.DOTALL)


def classify_agreement(text: str) -> str:
    """The agreement type of a text (one of AGREEMENT_TYPES): its main clause first, then the whole text."""
    low = fold(text).replace("§§", "§")
    low = re.sub(r"\s+", " ", low)
    first = text[:sentence_end(text)]
    main = re.sub(r"\s+", " ", fold(_RELATIVE_CLAUSE_RE.sub("", first)).replace("§§", "§"))
    for candidate in ([main, low] if main != low else [low]):
        for name, pattern in _TYPE_RULES:
            if pattern.search(candidate):
                return name
    return "andet"
