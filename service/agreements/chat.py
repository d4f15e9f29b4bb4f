"""Agreement questions in the chat, answered from the register with checked citations.

Routing: a question that names an organisation the register knows, with a word of agreeing or undertaking
('aftale(r)', 'aftalt', 'lovet', 'forpligtet', 'besluttet', 'indgået', 'enige'), is about our agreements with
it, whatever else it asks, unless it cites a §. Without a known organisation, the question must ask for our agreements ('Hvilke aftaler har vi
...', 'aftaler med ...', 'overskredne aftaler') without asking about rules ('kan', 'skal', 'regler', '§'). The answer quotes the agreements and the later status statements
sentence by sentence with [n] markers pointing at the chunks they were read from, and goes through
the same citation check as every other answer. What the register derives (an overdue deadline) is
said in the answer's notes, not as a cited claim.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.sentences import split_sentences
from knowledge.text import content_terms, fold
from knowledge.types import Hit
from service.agreements.model import RegisterEntry, SourceRef
from service.agreements.register import AgreementRegister, scoped_register
from service.answering.checker import CitationChecker
from service.answering.models import Answer
from service.answering.question import is_task_request
from service.domain.wording import count

MAX_ENTRIES = 10
# Words of agreeing and undertaking: 'aftale(r)', 'aftalt', 'aftalte', 'lovet', 'forpligtet', 'tilsagn', 'besluttet'.
_AGREEMENT_WORD_RE = re.compile(r"\baftal\w*|\blov(?:et|ede)\b|\bforpligt\w*|\btilsag\w*|\bbeslut\w*|\bindg(?:å|aa)\w*"
                                r"|\bindgik\b|\benig(?:e|hed)?\b", re.IGNORECASE)
# Words of tasks and deadlines ('Hvilke frister har X?', 'Hvornår skal X sende ...?', 'action items'): a question about
# our agreements when it names an organisation the register knows and does not ask about the law
# Also what a meeting with it came to ('Hvad kom der ud af mødet med X?', 'konklusionen fra dialogmødet', 'hvad står
# der i referatet'; not the meeting alone: 'hvilken dato holder vi dialogmøde med X' asks the calendar), what is still owed ('udestående', 'levere', 'følge op på'), consent ('Hvad gik X med til?', 'sagt
# ja til') and what it must do ('Hvad skal X sende?'): the register holds exactly that, read from the minutes.
_TASK_WORD_RE = re.compile(r"\bfrist\w*|\bdeadline\w*|\bopgave\w*|\bhandlingspunkt\w*|\baction\s*(?:items?|points?)"
                           r"|\btovholder\w*|\bhvornår\s+skal\b|\bifølge\s+(?:referatet|dialogmødet|mødet)"
                           r"|\bkonklu\w*|\budestående\w*|\bopfølgning\w*|\bfølge[rs]?\s+op\b|\blevere\w*"
                           r"|\b(?:sagt|sagde|siger)\s+(?:\w+\s+){0,2}?ja\b|\b(?:gik|går|gået)\s+(?:\w+\s+){0,2}?med\s+til\b"
                           r"|\bhvad\s+skal\b|\b(?:kom|kommer)\s+(?:der\s+)?(?:\w+\s+)?ud\s+af\b"
                           r"|\breferat(?:et|erne)?\b|\bprotokol(?:len)?\b",
                           re.IGNORECASE)
_LAW_RE = re.compile(r"\bregl\w*|\blov(?:en|givning\w*)?\b|\bbekendtgørelse\w*|§|\bkræv\w*|\bfor\s+at\b", re.IGNORECASE)
_INTENT_RE = re.compile(
    r"hvilke\s+aftaler|vores\s+aftaler|aftaler(?:ne)?\s+(?:har|havde)\s+vi|har\s+vi\s+(?:\w+\s+){0,2}aftaler|"
    r"indgåede\s+aftaler|aftaleoversigt|(?:oversigt|overblik)\s+over\s+(?:\w+\s+)?aftaler|overskred|"
    r"status\s+på\s+(?:\w+\s+)?aftale|aftaler(?:ne)?\s+med\b|aftaler\s+fra\s+(?:dialogmødet|referatet|mødet)|"
    r"\baftale\s+(?:nr\.\s*)?\d{1,2}\b",
    re.IGNORECASE,
)
# Whether something was agreed, in the past ('Blev der aftalt ... i Kastanjegården?', 'Har vi aftalt ... med X'):
# a fact of a meeting when the question names a place or party of its own (a proper name inside the sentence);
# without one it may be history ('I juni 2016 blev der aftalt en effektivisering'), and the law says what can be
# agreed ('kan der aftales').
_AGREED_RE = re.compile(
    r"\b(?:blev|er|var|har|havde)\s+(?:der|vi|man|i)\s+(?:\w+\s+){0,2}aftalt\b|\baftalte\s+(?:vi|man|i|de)\b",
    re.IGNORECASE,
)
_PROPER_NAME_RE = re.compile(r"(?<=\s)[A-ZÆØÅ][a-zæøå]{2,}")


def _asks_what_was_agreed(question: str) -> bool:
    """A past 'was it agreed' question naming a place or party of its own (see _AGREED_RE)."""
    return bool(_AGREED_RE.search(question)) and bool(_PROPER_NAME_RE.search(question.strip()))
_RULES_RE = re.compile(r"\b(?:kan|skal|må|kræver|krav|regler|reglerne|lovlig\w*|hvordan|hvorfor|hvad\s+er|"
                       r"hvad\s+betyder|hvad\s+siger)\b|§", re.IGNORECASE)
_ORG_IN_QUESTION_RE = re.compile(r"\b(?:Boligselskabet|Boligforeningen|Boligorganisationen|Andelsboligforeningen)"
                                 r"\s+[A-ZÆØÅ][\wæøå-]+(?:\s+[A-ZÆØÅ][\wæøå-]+)?")
_GENERIC_NAME_WORDS = {"boligselskabet", "boligforeningen", "boligorganisationen", "andelsboligforeningen",
                       "almene", "almen", "boliger", "bolig", "af", "i", "og", "den", "det", "a", "s", "kommune"}
# (question cue, types, text cue, Danish word): an entry matches when its type is listed or its text has the cue.
_TYPE_CUES: tuple[tuple[str, frozenset[str], str, str], ...] = (
    (r"kommunal\w* anvisning|boligsocial\w* anvisning|§\s*59,?\s*stk\.?\s*1\b", frozenset({"kommunal_anvisning"}),
     r"kommunal\w* anvisning", "kommunal anvisning"),
    (r"aftalt\w* anvisning|supplerende anvisning|§\s*59,?\s*stk\.?\s*2\b", frozenset({"aftalt_anvisning"}),
     r"§\s*59,?\s*stk\.?\s*2", "aftalt anvisning"),
    (r"\banvis", frozenset({"kommunal_anvisning", "aftalt_anvisning"}), r"\banvis", "anvisning"),
    (r"aeldrebolig|plejebolig", frozenset({"aeldreboliger"}), r"aeldrebolig|plejebolig", "ældreboliger"),
    (r"handicapbolig|bofaellesskab", frozenset({"handicapboliger"}), r"handicapbolig|bofaellesskab",
     "handicapboliger"),
    (r"ungdomsbolig", frozenset({"ungdomsboliger"}), r"ungdomsbolig", "ungdomsboliger"),
    (r"fleksib\w* udlejning", frozenset({"fleksibel_udlejning"}), r"fleksib\w* udlejning", "fleksibel udlejning"),
    (r"kombiner\w* udlejning", frozenset({"kombineret_udlejning"}), r"kombiner\w* udlejning",
     "kombineret udlejning"),
    (r"helhedsplan|renovering", frozenset({"helhedsplan"}), r"helhedsplan|renovering", "helhedsplaner"),
    (r"tilsyn|handleplan", frozenset({"tilsyn_opfoelgning"}), r"tilsyn|handleplan", "tilsyn og opfølgning"),
)
_STATUS_CUES: tuple[tuple[str, str], ...] = (
    (r"overskred|over fristen|forsink", "overskredet"),
    (r"ikke (?:er )?(?:blevet )?(?:opfyldt|gennemfoert|naaet)", "ikke_opfyldt"),
    (r"\bi gang\b|igangvaerende", "i_gang"),
    (r"\bopfyldt|gennemfoert", "opfyldt"),
)
NO_ANSWER = "Det kan jeg ikke finde i aftaleoversigten."
_LISTING_RE = re.compile(r"\b(?:hvilke|hvilken|vis|list\w*|oversigt|overblik|alle)\b")


@dataclass
class AgreementQuestion:
    """What an agreement question asks for: organisations, types, status, wishes."""

    organisations: list[str] = field(default_factory=list)
    unknown_organisation: str | None = None
    type_cues: list[tuple[frozenset[str], str]] = field(default_factory=list)
    type_words: list[str] = field(default_factory=list)
    status: str | None = None
    number: int | None = None
    wishes: bool = False

    def accepts(self, entry: RegisterEntry, today: dt.date) -> bool:
        """True when an entry answers the question."""
        if self.organisations and not any(entry.names_organisation(o) for o in self.organisations):
            return False
        if (entry.category == "oenske") != self.wishes:
            return False
        if self.number is not None and entry.number != self.number:
            return False
        if self.type_cues and not any(entry.type in types or re.search(cue, fold(entry.text))
                                      for types, cue in self.type_cues):
            return False
        if self.status == "overskredet":
            return entry.is_overdue(today)
        return self.status is None or entry.status == self.status


def mentions_agreements(question: str) -> bool:
    """Cheap first test: does the question use a word of agreeing, undertaking or tasks and deadlines at all?"""
    return bool(_AGREEMENT_WORD_RE.search(question) or _TASK_WORD_RE.search(question))


def _distinctive_words(name: str, others: list[str], municipalities: set[str]) -> list[str]:
    other_words = {w for o in others if o != name for w in re.findall(r"[a-z0-9]+", fold(o))}
    return [w for w in re.findall(r"[a-z0-9]+", fold(name))
            if len(w) >= 4 and w not in _GENERIC_NAME_WORDS and w not in municipalities and w not in other_words]


def _named_organisations(question: str, organisations: list[str], municipalities: set[str]) -> list[str]:
    q = fold(question)
    found = []
    for name in organisations:
        if fold(name) in q or any(re.search(rf"\b{re.escape(w)}s?\b", q)
                                  for w in _distinctive_words(name, organisations, municipalities)):
            found.append(name)
    return found


# A meeting's document named as where to look ('i referatet', 'protokollen'), and the words that frame such a
# question without giving it a topic of its own.
_DOCUMENT_WORD_RE = re.compile(r"\breferat(?:et|erne|er)?\b|\bprotokol(?:len|ler)?\b", re.IGNORECASE)
_DOCUMENT_FRAME = frozenset(content_terms(
    "hvad står der om det i referatet referat protokollen fra dialogmødet mødet møde med hos ifølge nævnt skrevet "
    "sidste seneste årets kommunen vi os"))


def _asks_a_document_about_a_topic(question: str, named: list[str], municipalities: set[str]) -> bool:
    """True for a question whose only cue of the register is the document it names, and which has a topic of its
    own ('Har kommunen betalt tomgangsleje hos X? Hvad står der om det i referatet?'): it asks what the document
    says about that topic, which answering finds in the document; the register holds only what was agreed."""
    if _AGREEMENT_WORD_RE.search(question) or not _DOCUMENT_WORD_RE.search(question):
        return False
    if _TASK_WORD_RE.search(_DOCUMENT_WORD_RE.sub(" ", question)):
        return False  # also asks for deadlines, conclusions or what is owed: the register's own matter
    names = {w for name in named for w in content_terms(name)} | {w for m in municipalities for w in content_terms(m)}
    topic = set(content_terms(question)) - _DOCUMENT_FRAME - names
    return len(topic) >= 2


def parse_agreement_question(question: str, organisations: list[str], municipalities: set[str]
                             ) -> AgreementQuestion | None:
    """The question's wishes, or None when it is not a question about our agreements."""
    if not mentions_agreements(question) or is_task_request(question):
        return None  # a request to do something ('ring til X og aftal et møde') gets answering's short no
    named = _named_organisations(question, organisations, municipalities)
    if _asks_a_document_about_a_topic(question, named, municipalities):
        return None
    if not _AGREEMENT_WORD_RE.search(question) and (not named or _LAW_RE.search(question)):
        return None  # a task word alone: only about a named organisation, and not about the law
    intent = bool(_INTENT_RE.search(question)) or _asks_what_was_agreed(question)
    rules = bool(_RULES_RE.search(question))
    # An organisation the register knows, named with a word of agreeing, is a question about our agreements
    # with it however it is worded ('hvad gaar aftalen med X ud paa', 'hvad har X lovet'); only a question
    # citing a § stays one about the rules.
    if not ((named and "§" not in question) or (intent and not rules)):
        return None
    parsed = AgreementQuestion(organisations=named)
    if not named:
        m = _ORG_IN_QUESTION_RE.search(question)
        parsed.unknown_organisation = m.group(0) if m else None
    q = fold(question)
    q_types = re.sub(r"aftaler? fra (?:dialogmoedet|referatet|moedet)", " ", q)
    specific_anvisning = False
    for cue, types, text_cue, word in _TYPE_CUES:
        if not re.search(cue, q_types) or (word == "anvisning" and specific_anvisning):
            continue
        specific_anvisning = specific_anvisning or "anvisning" in word
        parsed.type_cues.append((types, text_cue))
        parsed.type_words.append(word)
    if _LISTING_RE.search(q):  # 'Hvilke aftaler er opfyldt?' filters; 'Er aftale 3 opfyldt?' shows the status
        for cue, status in _STATUS_CUES:
            if re.search(cue, q):
                parsed.status = status
                break
    number = re.search(r"\baftale\s+(?:nr\.\s*)?(\d{1,2})\b", q)
    parsed.number = int(number.group(1)) if number else None
    parsed.wishes = bool(re.search(r"oensk", q))
    return parsed


def _municipalities(kb: KnowledgeBase) -> set[str]:
    words: set[str] = set()
    for record in kb.store.list_sources():
        words.update(re.findall(r"[a-z0-9]+", fold(record.municipality or "")))
    return words - {"kommune"}


class _Sources:
    """Numbers the chunks an answer cites (one source per chunk) and builds the hits for the checker."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.numbers: dict[str, int] = {}
        self.hits: list[Hit] = []

    def number(self, ref: SourceRef) -> int | None:
        if not ref.chunk_id:
            return None
        if ref.chunk_id not in self.numbers:
            chunk = self.kb.get_chunk(ref.chunk_id)
            if chunk is None:
                return None
            self.hits.append(Hit(chunk=chunk, score=1.0, relevance=1.0))
            self.numbers[ref.chunk_id] = len(self.hits)
        return self.numbers[ref.chunk_id]


def _cited(lead: str, text: str, n: int) -> str:
    sentences = split_sentences(text) or [text]
    first = f"{lead}: {sentences[0]}" if lead else sentences[0]
    return " ".join(f"{s.rstrip()} [{n}]" for s in [first, *sentences[1:]])


def _lead(ref: SourceRef) -> str:
    label = ref.label[:1].upper() + ref.label[1:] if ref.label else "Aftale"
    return f"{label} fra {ref.title}"


def compose(entries: list[RegisterEntry], sources: _Sources) -> str:
    """The draft answer: per organisation a lead-in, per agreement its text and latest status, all cited."""
    lines: list[str] = []
    current_org: str | None = ""
    for entry in entries:
        if entry.organisation != current_org:
            current_org = entry.organisation
            if lines:
                lines.append("")
            word = "Ønsker fra" if entry.category == "oenske" else "Aftaler med"
            lines.append(f"{word} {entry.organisation or 'ukendt organisation'}:")
        ref = entry.sources[0]
        n = sources.number(ref)
        if n is None:
            continue
        lines.append("- " + _cited(_lead(ref), entry.text, n))
        status_ref = next((s for s in reversed(entry.status_sources) if s.quote == entry.status_text[:400]), None)
        if status_ref is not None:
            m = sources.number(status_ref)
            if m is not None:
                lines.append("  - " + _cited(f"Status ifølge {status_ref.title}", entry.status_text, m))
    return "\n".join(lines)


def _notes(entries: list[RegisterEntry], total: int, register: AgreementRegister, today: dt.date) -> list[str]:
    documents = count(register.document_count(), "dokument", "dokumenter")
    notes = [f"Svaret bygger på aftaleoversigten ({documents}); hele oversigten ses med 'almen aftaler' eller under "
             "fanen Aftaler."]
    if total > len(entries):
        notes.append(f"Viser {len(entries)} af {count(total, 'aftale', 'aftaler')}; brug filtrene i aftaleoversigten for "
                     "at se resten.")
    for e in entries:
        if e.is_overdue(today):
            which = f"Aftale {e.number}" if e.number is not None else "En aftale"
            notes.append(f"{which} med {e.organisation or 'organisationen'} har en overskredet frist "
                         f"({e.deadline_text}), og ingen senere kilde siger, at den er opfyldt.")
    return notes


def _abstain(question: str, reason: str, generator: str, started: float) -> Answer:
    return Answer(question=question, text=f"{NO_ANSWER}\n\n{reason}", grounded=False, abstained=True,
                  reason=reason, generator=generator, resolved_question=question,
                  timings={"register": time.perf_counter() - started, "total": time.perf_counter() - started})


# Words that frame a question about our agreements without naming what it is about.
_AGREEMENT_FRAME = _DOCUMENT_FRAME | frozenset(content_terms(
    "hvilke aftaler aftale aftalte aftalt vores blev har havde status er opfyldt år"))


def _shared(topic: set[str], terms: set[str]) -> int:
    """How many topic words the terms hold, a word counting by its first six letters too ('orientering' ~
    'orienterer'), as inflection and derivation change only the ending."""
    prefixes = {t[:6] for t in terms if len(t) >= 6}
    return sum(1 for w in topic if w in terms or (len(w) >= 6 and w[:6] in prefixes))


def by_topic(question: str, entries: list[RegisterEntry], organisations: list[str]) -> list[RegisterEntry]:
    """The entries with those sharing most of the question's topic words first ('Hvad aftalte vi med X om
    løbende orientering om de tomme boliger?' leads with the agreement about informing on empty homes); the
    register's own order among equals, and unchanged when the question names no topic."""
    names = {w for name in organisations for w in content_terms(name)}
    topic = set(content_terms(question)) - _AGREEMENT_FRAME - names
    if not topic:
        return entries
    scores = [_shared(topic, set(content_terms(f"{e.text} {e.status_text}"))) for e in entries]
    order = sorted(range(len(entries)), key=lambda i: -scores[i])
    return [entries[i] for i in order]


def answer_from_register(question: str, kb: KnowledgeBase, *, settings: Settings, generator: str = "extractive",
                         today: dt.date | None = None, sources: frozenset[str] | None = None) -> Answer | None:
    """An answer from the agreement register, or None when the question is not about our agreements.

    ``sources``: only agreements from these documents (the caller's scope); None = all."""
    if not mentions_agreements(question):
        return None
    started = time.perf_counter()
    today = today or dt.date.today()
    register = scoped_register(kb, sources)
    parsed = parse_agreement_question(question, register.organisations(), _municipalities(kb))
    if parsed is None:
        return None
    if parsed.unknown_organisation:
        return _abstain(question, f"Aftaleoversigten har ingen aftaler med {parsed.unknown_organisation}.",
                        generator, started)
    matching = [e for e in register.entries(today=today) if parsed.accepts(e, today)]
    if not matching:
        about = f" om {', '.join(parsed.type_words)}" if parsed.type_words else ""
        with_org = f" med {', '.join(parsed.organisations)}" if parsed.organisations else ""
        reason = (f"Aftaleoversigten indeholder ingen aftaler{with_org}{about}, der passer på spørgsmålet."
                  if register.entries(today=today) else register.empty_reason())
        return _abstain(question, reason, generator, started)
    shown = by_topic(question, matching, parsed.organisations)[:MAX_ENTRIES]
    cited = _Sources(kb)
    draft = compose(shown, cited)
    t_check = time.perf_counter()
    check = CitationChecker(cited.hits, threshold=settings.answer_support_threshold,
                            mode=settings.answer_unsupported).check(draft)
    if check.abstain:
        return None
    finished = time.perf_counter()
    return Answer(
        question=question, text=check.text, citations=check.citations, grounded=True, abstained=False,
        hits=cited.hits, generator=generator, notes=_notes(shown, len(matching), register, today) + check.notes,
        resolved_question=question, verdicts=list(check.verdicts),
        timings={"register": t_check - started, "check": finished - t_check, "total": finished - started},
    )
