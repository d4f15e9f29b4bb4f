"""What a question asks, read deterministically before anything is retrieved or composed.

``analyse_question`` returns a ``QuestionAnalysis``:

* ``kind`` - one of ``KINDS``, decided by the first rule that fires, in this order:

  ``task``          a request to do something almen cannot do (send, write, call, book, make an agenda),
                    written as an imperative ('Send ...', 'Lav ...') or a request ('kan du sende ...');
  ``out_of_scope``  a neighbouring field the knowledge base does not cover (scope.foreign_domains) and
                    nothing that anchors the question in the almene sector;
  ``list``          asks what a provision or a document enumerates ('hvilke ...', 'hvad skal ... indeholde');
  ``reference``     names a § (down to stk. and nr.) and asks what it says;
  ``definition``    'hvad er/betyder/menes med X', 'X - definition', or any question that is one noun phrase
                    and the words of asking what it is, in any order ('begrebet X - hvad dækker det over?',
                    'X??'; ``signals.asked_thing``);
  ``number``        asks for a number, an amount, a share, a date or a deadline;
  ``procedure``     asks how something is done or what to do;
  ``rule``          anything else: what the rules say.

* ``refs`` - the provisions named, read with ``knowledge.legal.refs_in_text`` (colloquial spellings such as
  'paragraf 59, 2. stk.' and 'driftsbek' included), each with stk. and nr. when written;
* ``year`` - a year the question names (1990-2099), else None;
* ``organisation`` - the name of an organisation among ``known_orgs`` that the question mentions (the
  caller passes the organisations of the retrieved documents: no name is written in code);
* ``parts`` - the sub-questions of a question that asks two things.

Letters are folded (æ -> ae, ...) before the rules run, so 'hvornaar' reads as 'hvornår'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.legal import LegalRef, refs_in_text
from knowledge.text import STOPWORDS, fold
from service.answering.scope import anchored, foreign_domains
from service.answering.signals import asked_thing, drop_asides, question_parts

_FOLDED_STOPWORDS = frozenset(fold(w) for w in STOPWORDS)
KINDS = ("task", "out_of_scope", "list", "reference", "definition", "number", "procedure", "rule")

# Office work almen cannot do. Imperatives open the question; infinitives follow a request ('kan du').
_TASK_IMPERATIVES = (
    "send|ring|lav|skriv|book|bestil|opret|laeg|mail|udfyld|print|indkald|planlaeg|arranger|videresend|"
    "upload|opdater|underskriv|journaliser|paamind|mind|tilmeld|afmeld|aflys|flyt|slet|ret|gem|del|husk|"
    "oversaet|godkend|ryk|kontakt|indsend|fremsend|udarbejd|sammensaet|formuler|korrektur\\w*"
)
_TASK_INFINITIVES = (
    "sende|ringe|lave|skrive|booke|bestille|oprette|laegge|maile|udfylde|printe|indkalde|planlaegge|"
    "arrangere|videresende|uploade|opdatere|underskrive|journalisere|paaminde|minde|tilmelde|afmelde|"
    "aflyse|flytte|slette|rette|gemme|dele|huske|formulere|forfatte|udarbejde|sammensaette"
)
_TASK_IMPERATIVE_RE = re.compile(rf"^\s*(?:(?:og|saa|lige|venligst|gider du)\s+)?(?:{_TASK_IMPERATIVES})\b(?!\s*[?,]?\s*$)")
# Two request rules on purpose: this one lists office verbs and so may also read 'kan I ...' and 'må jeg bede
# ...' (where 'i' is as often the preposition: 'kan i henhold til ...'); _REQUEST_FRAME_RE below reads any verb,
# and only after 'du' and frames that cannot be a preposition.
_TASK_REQUEST_RE = re.compile(
    rf"\b(?:kan|kunne|vil|ville|gider|maa jeg bede) (?:du|i)\s+(?:(?:lige|venligst|evt\.?|hurtigt|ogsaa)\s+)*"
    rf"(?:{_TASK_INFINITIVES})\b"
)
# A request addressed to almen ('kan du ...', 'vær sød at ...', 'hjælp mig med at ...') asks it to do something;
# what decides is the verb that follows. Only verbs of telling and explaining ask for an answer, so the rule
# lists those (a small closed set) and treats every other verb under a request frame as a task.
_REQUEST_FRAME_RE = re.compile(
    r"(?:\b(?:kan|kunne|vil|ville|gider) du|^\s*(?:venligst\s+|please\s+|lige\s+)*vaer (?:soed|venlig)|"
    r"\bjeg vil gerne (?:have|ha) dig til|\bjeg (?:vil )?bede(?:r)? dig(?: om)?|^\s*hjaelp mig(?: lige)?(?: med)?)"
    r"(?:\s+(?:lige|venligst|evt\.?|hurtigt|ogsaa|please|godt|vaere (?:soed|venlig)|hjaelpe mig(?: med)?|at|mig|os))*"
    r"\s+([a-z]+)"
)
_ANSWER_VERBS = frozenset("""
    forklare forklar fortaelle fortael sige sig beskrive beskriv oplyse oplys redegoere redegoer uddybe uddyb
    svare svar besvare besvar afklare afklar finde find slaa se definere definer naevne naevn opsummere
    opsummer sammenfatte sammenfat resumere resumer give giv vise vis hjaelpe forstaa henvise henvis
    bekraefte bekraeft tjekke tjek undersoege undersoeg praecisere praeciser anbefale anbefal vurdere vurder
    mene sammenligne sammenlign opridse oprids gennemgaa angive angiv
""".split())
# Kinds of document a caseworker may ask to have written or made; asked for, they are a task.
_ARTEFACTS = (
    r"udkast|mail|e-?mail|brev|svarbrev|skabelon|dagsorden|referat|praesentation|powerpoint|slides?|tabel|"
    r"regneark|excel[\w-]*|oversaettelse|indkaldelse|invitation|notat|indstilling|hoeringssvar|afgoerelse|"
    r"kalenderinvitation|moedeindkaldelse|nyhedsbrev|opslag|pressemeddelelse|liste|oversigt i excel"
)
_ARTEFACT_REQUEST_RE = re.compile(
    r"\b(?:jeg (?:skal bruge|skal have|har brug for|mangler|vil gerne have|vil gerne ha|oensker)|giv mig|"
    r"lav|skriv|kan du lave|kan du give mig)\s+(?:lige\s+|hurtigt\s+|gerne\s+)*(?:et|en|nogle|to|tre|et par)?\s*"
    rf"(?:[a-z]+[- ])?(?:{_ARTEFACTS})\b"
)
# The user's own material: asked to work on it (summarise the attached accounts), almen is asked to do a task.
_OWN_MATERIAL_RE = re.compile(r"\bvedhaeft\w*|\bbilag(?:et|ene)?\b|\b(?:min|mit|mine|vores) (?:\w+ )?(?:fil|sag|afgoerelse|mail|dokument|udkast|tekst|notat)\w*")
# An instruction written as a statement: no question mark and no question word, an opening word that can be a
# verb's imperative (no closed-class word, none of the endings of a Danish noun, adjective or infinitive), an
# object right after it (an article, a pronoun, a possessive or a noun in its definite form: 'Bogfør beløbet
# ...', 'registrér vores ...') and something of the asker's or done for the asker ('i vores system', 'min
# kalender', 'for mig'). A noun phrase typed as a search ('frist for vores styringsrapport') has a preposition
# after its first word, not an object. Structure, not a list of verbs.
_OPENING_RE = re.compile(r"^\s*(?:(?:og|saa|lige|venligst|please)\s+)*([a-z]{3,})\s+([a-z0-9.]+)")
_NOT_IMPERATIVE_END_RE = re.compile(r"(?:e|en|erne|ene|ing|ion|hed|else|ning|sk|ig|lig|s)$")
_OBJECT_WORDS = frozenset("""den det de dem en et vores vor min mit mine dine din dit hans hendes deres disse denne dette
    alle alt begge hele""".split())
_DEFINITE_RE = re.compile(r"[a-z]{3,}(?:en|et|erne|ene|ningen|elsen)$")
_FOR_THE_ASKER_RE = re.compile(r"\bfor (?:mig|os)\b|\b(?:vores|vor|min|mit|mine)\s+[a-z]")


def _instruction(question: str, low: str) -> bool:
    """True for a statement that tells almen to do something to the asker's things (see _OPENING_RE)."""
    if "?" in question or _QUESTION_WORD_RE.search(low):
        return False
    m = _OPENING_RE.match(low)
    if not m:
        return False
    verb, after = m.group(1), m.group(2)
    if verb in _FOLDED_STOPWORDS or verb in _ANSWER_VERBS or _NOT_IMPERATIVE_END_RE.search(verb):
        return False
    if after not in _OBJECT_WORDS and not _DEFINITE_RE.fullmatch(after):
        return False
    return bool(_FOR_THE_ASKER_RE.search(low))


# An indirect question right after the verb of a request ('kan du ridse op, hvad ...', 'gider du tjekke efter,
# om ...'): whatever the verb, its object is something to tell, so the request asks for an answer.
_HV = r"hv(?:ad|em|or|ordan|ornaar|ilk\w*|orfor)"
_INDIRECT_QUESTION_RE = re.compile(rf"(?:\s+[a-z]+)?\s*,?\s*{_HV}\b|(?:\s+[a-z]+){{0,3}}\s*,\s*(?:{_HV}|om)\b")
_QUESTION_WORD_RE = re.compile(r"\bhv(?:ad|em|or|ordan|ornaar|ilk\w*|orfor|ad betyder)\b")
_LIST_RE = re.compile(
    r"\bhvilke\b|\bhvad skal\b.*\b(?:indeholde|omfatte)\b|\bhvad (?:opregner|indeholder|omfatter)\b|"
    r"\bhvem kan ikke\b|\bhvilke (?:krav|betingelser|kriterier|grunde)\b|\bnaevn\b|\bliste over\b"
)
_DEFINITION_RE = re.compile(
    r"^\s*hvad\s+(?:er|var|betyder|menes(?:\s+der)?\s+med|forstaas\s+ved)\b|\bdefinition\w*\b|"
    r"\bhvad er det for (?:noget|nogle|en|et)\b|\bhvad betyder\b|\bhvad menes\b"
)
_NUMBER_RE = re.compile(
    r"\bhvor (?:mange|meget|stor\w*|hoej\w*|lav\w*|lang\w*|ofte|gammel)\b|\bhvornaar\b|\bfrist\w*\b|"
    r"\bdeadline\b|\bantal\w*\b|\bprocent\w*\b|\bbeloeb\w*\b|\bgraense\w*\b|\baldersgraense\w*\b|\bsenest\b"
)
_PROCEDURE_RE = re.compile(
    r"\bhvordan\b|\bhvad (?:goer|gor|skal|kan) (?:vi|jeg|man|kommunen)\b|\bfremgangsmaade\b|\bprocedure\b|"
    r"\bhvad er proceduren\b|\bhvilke skridt\b"
)
_YEAR_RE = re.compile(r"(?<!\d)(19[9]\d|20\d\d)(?!\d)")
# Words of an organisation's name that say nothing about which one it is.
_GENERIC_NAME_WORDS = frozenset(fold(w) for w in """
    boligselskab boligselskabet boligforening boligforeningen almene almen boliger bolig boligorganisation
    boligorganisationen andelsboligforening selskab selskabet forening foreningen af og i the kommune kommunen
    afdeling afd""".split())


@dataclass(frozen=True)
class QuestionAnalysis:
    """The deterministic reading of a question (see the module docstring)."""

    text: str
    kind: str
    refs: list[LegalRef] = field(default_factory=list)
    year: int | None = None
    organisation: str = ""
    parts: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    @property
    def stk_refs(self) -> list[LegalRef]:
        """The named provisions that go down to a stk."""
        return [r for r in self.refs if r.paragraph and r.stk is not None]

    @property
    def declines(self) -> bool:
        """True for the kinds almen answers with a short no instead of sources."""
        return self.kind in ("task", "out_of_scope")


def is_task_request(question: str) -> bool:
    """True if the question asks almen to do something (send, write, call, book, make ...) rather than to answer.

    An opening imperative counts only when no question word follows ('lav husleje - hvad betyder det?' is a
    question); a request ('kan du sende ...') counts anywhere. Under a request frame ('kan du', 'vær sød at',
    'hjælp mig med at', 'jeg vil gerne have dig til at') every verb but one of telling or explaining is a task,
    and so is asking for a document to be made ('jeg skal bruge et udkast til ...') or working on the user's
    own material ('det vedhæftede', 'min sag')."""
    low = fold(question)
    if _TASK_REQUEST_RE.search(low) or _ARTEFACT_REQUEST_RE.search(low):
        return True
    frame = _REQUEST_FRAME_RE.search(low)
    if frame and (_OWN_MATERIAL_RE.search(low) or (frame.group(1) not in _ANSWER_VERBS
                                                     and not _INDIRECT_QUESTION_RE.match(low, frame.end()))):
        return True
    opening = re.match(r"\s*([a-z]+)", low)
    if opening and opening.group(1) in _ANSWER_VERBS and _OWN_MATERIAL_RE.search(low):
        return True  # 'opsummér det vedhæftede ...': work on the user's own material
    if _instruction(question, low):
        return True
    return bool(_TASK_IMPERATIVE_RE.search(low)) and not _QUESTION_WORD_RE.search(low)


def question_organisation(question: str, known_orgs: list[str] | tuple[str, ...] = ()) -> str:
    """The one of ``known_orgs`` whose distinctive name words all appear in the question, the most specific
    (most such words) when several do; '' if none."""
    words = set(re.findall(r"[a-z0-9]+", fold(question)))
    best, best_n = "", 0
    for org in known_orgs:
        own = {w for w in re.findall(r"[a-z0-9]+", fold(org)) if w not in _GENERIC_NAME_WORDS and len(w) >= 3}
        if own and own <= words and len(own) > best_n:
            best, best_n = org, len(own)
    return best


def _kind(question: str, low: str, refs: list[LegalRef], foreign: list[str]) -> str:
    if is_task_request(question):
        return "task"
    if foreign and not anchored(question):
        return "out_of_scope"
    if _LIST_RE.search(low):
        return "list"
    if any(r.paragraph for r in refs) and not _NUMBER_RE.search(low):
        return "reference"
    if _DEFINITION_RE.search(low) or asked_thing(drop_asides(question)):
        return "definition"
    if _NUMBER_RE.search(low):
        return "number"
    if _PROCEDURE_RE.search(low):
        return "procedure"
    return "rule"


def analyse_question(question: str, *, known_orgs: list[str] | tuple[str, ...] = (),
                     default_act: str | None = None) -> QuestionAnalysis:
    """Read ``question`` (see the module docstring); ``known_orgs`` are names the question may mention."""
    low = fold(question)
    refs = refs_in_text(question, default_act)
    foreign = foreign_domains(question)
    year_match = _YEAR_RE.search(low)
    return QuestionAnalysis(
        text=question,
        kind=_kind(question, low, refs, foreign),
        refs=refs,
        year=int(year_match.group(1)) if year_match else None,
        organisation=question_organisation(question, known_orgs),
        parts=question_parts(question),
        foreign=foreign,
    )


__all__ = ["KINDS", "QuestionAnalysis", "analyse_question", "is_task_request", "question_organisation"]
