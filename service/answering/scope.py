"""Is a question within what the knowledge base is about (the governance of almene boliger)?

Three signals, none tied to particular questions:

* foreign-domain cues: the question is about a neighbouring field the knowledge base does
  not cover (private rental under lejeloven, andelsboliger, ejerboliger, commercial
  leases, the weather, ...) and does not also name the almene sector itself;
* vocabulary coverage: the share of the question's content terms that the domain
  vocabulary or the retrieved chunks contain. Below ``MIN_VOCABULARY_COVERAGE`` while the
  retriever's best relevance is also weak, the question is about something else; when not one of
  its words (nor a compound or inflection of one) is known, it is about something else outright;
* names: a question about a named organisation, place or person (a capitalised word inside the
  sentence, or the word after 'boligforeningen'/'boligselskabet') that no retrieved source mentions
  asks for facts the knowledge base does not hold (``unknown_names``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from knowledge.legal import acts_mentioned, find_legal_refs
from knowledge.retriever import RetrievalOptions
from knowledge.search_types import SearchResult
from knowledge.sentences import split_sentences
from knowledge.text import STOPWORDS, content_terms, fold
from service.answering.demand import light_terms
from service.answering.evidence import term_set
from service.answering.signals import asked_thing, drop_asides, head_matches, match_terms

MIN_VOCABULARY_COVERAGE = 0.34
WEAK_RELEVANCE = 0.5

# Fields next to ours that the knowledge base does not cover.
_FOREIGN_RES: list[tuple[str, re.Pattern[str]]] = [
    ("andelsboliger", re.compile(r"\bandels(?:bolig|boligforening|haveforening|lejlighed|forening)\w*", re.I)),
    ("ejerboliger", re.compile(r"\bejer(?:bolig|lejlighed|forening|boligforening)\w*", re.I)),
    ("privat udlejning", re.compile(r"\bprivat\w*\s+(?:\w+\s+)?(?:udlej\w*|lejemål\w*|lejer\w*|verter?|boligudlej\w*)", re.I)),
    ("lejeloven (privat leje)", re.compile(r"(?<![\wæøå])lejelov(?:en|ens)?\b", re.I)),
    ("erhvervslejemål", re.compile(r"\berhvervs(?:lej\w*|lokal\w*)", re.I)),
    ("vejret", re.compile(r"\bvejr(?:et|udsigt\w*|varsel\w*)?\b", re.I)),
    ("sommerhuse", re.compile(r"\bsommerhus\w*", re.I)),
    ("skat og fradrag", re.compile(
        r"\b(?:personskat\w*|selvangivelse\w*|årsopgørelse\w*|\w*fradrag\w*|forskudsopgørelse\w*|"
        r"ejendoms(?:værdi)?skat\w*|grundskyld\w*|skattefri\w*)\b", re.I)),
    ("skat", re.compile(r"\b\w*skat(?:ten|ter|terne)?\b|\b\w*skatte(?!pligt)\w+", re.I)),
    ("personaleforhold", re.compile(
        r"\b(?:løn(?:nen|ninger|ningen|trin|seddel\w*|forhandling\w*|ramme\w*|tillæg\w*)?|overenskomst\w*|ferie\w*|barsel\w*|"
        r"sygemeld\w*|sygedag\w*|flekstid\w*|afspadser\w*|kørselsgodtgørelse\w*|tjenestekørsel\w*|"
        r"kantine\w*|frokost\w*|personalegode\w*|medarbejdersamtale\w*|MUS)\b", re.I)),
    ("it og kontorudstyr", re.compile(
        r"\b(?:password\w*|adgangskode\w*|outlook|office ?365|printer\w*|computer\w*|pc(?:'?en)?|wifi|"
        r"tastatur\w*|teams-møde\w*)\b", re.I)),
    ("byggesager", re.compile(r"\bbyggetilladelse\w*|\bbyggesag\w*|\bbygningsreglement\w*", re.I)),
]
# Words that put a question squarely in the almene sector, whatever else it names.
_ANCHOR_RE = re.compile(
    r"\balmen\w*|\bboligorganisation\w*|\bstyringsdialog\w*|\bstyringsrapport\w*|\blandsbyggefond\w*|"
    r"\bboligsocial\w*|\bbeboerdemokrat\w*|\bafdelingsbestyrelse\w*|\bdriftsbekendtgørelse\w*",
    re.I,
)
_DOMAIN_WORDS = """
almen almene almenbolig boligorganisation boligorganisationer afdeling afdelinger kommune kommunen
kommunalbestyrelse tilsyn tilsynet styringsdialog dialogmøde styringsrapport dokumentationspakke
landsbyggefonden landsbyggefond almenstyringsdialog anvisning anvisningsret udlejning udlejer lejer
lejere leje husleje huslejen lejetab tomgang fraflytning venteliste boligsøgende familieboliger
ældreboliger ungdomsboliger bolig boliger beboer beboere beboerdemokrati bestyrelse organisationsbestyrelse
repræsentantskab vedtægter henlæggelser vedligeholdelse vedligeholdelsesplan budget regnskab revision
nøgletal effektivitet effektivisering egenkontrol styring styringsreform målsætning aftale aftaler
renovering renoveringsstøtte nybyggeri byggeri dispositionsfond arbejdskapital trækningsret helhedsplan
udviklingsplan omdannelsesområde parallelsamfund ghettoområde genhusning byfornyelse nedrivning
fleksibel kombineret boligsocial administrationsorganisation administration drift driften
paragraf lov loven bekendtgørelse vejledning ministeriet styrelsen boligministeriet
""".split()


TYPO_PREFIX = 6  # a word sharing its first six letters with a known one may be a typo of it ('styringsraport')


def _typo_shared(terms: set[str], known: set[str]) -> bool:
    prefixes = {k[:TYPO_PREFIX] for k in known if len(k) >= TYPO_PREFIX}
    return any(len(t) >= TYPO_PREFIX and t[:TYPO_PREFIX] in prefixes for t in terms)


@dataclass
class ScopeVerdict:
    """Whether a question is within the knowledge base's domain, and why not."""

    in_scope: bool
    reason: str = ""  # Danish
    foreign: list[str] = field(default_factory=list)
    vocabulary_coverage: float = 1.0


@lru_cache(maxsize=1)
def _domain_stems() -> frozenset[str]:
    return frozenset(content_terms(" ".join(_DOMAIN_WORDS)))


def _folded(rx: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern for text typed without æ, ø, å (both the pattern and the text are folded)."""
    return re.compile(fold(rx.pattern), rx.flags)


_FOREIGN_FOLDED = [(name, _folded(rx)) for name, rx in _FOREIGN_RES]
_ANCHOR_FOLDED = _folded(_ANCHOR_RE)


def foreign_domains(question: str) -> list[str]:
    """Names of the neighbouring fields a question is about (empty when none); 'ae/oe/aa' spellings count."""
    low = fold(question)
    return [name for (name, rx), (_, folded) in zip(_FOREIGN_RES, _FOREIGN_FOLDED, strict=True)
            if rx.search(question) or folded.search(low)]


def anchored(question: str) -> bool:
    """True if the question names the almene sector itself (an anchor word or one of its acts)."""
    return bool(_ANCHOR_RE.search(question) or _ANCHOR_FOLDED.search(fold(question)) or acts_mentioned(question))


def assess_scope(question: str, result: SearchResult | None = None, *, hit_terms: set[str] | None = None) -> ScopeVerdict:
    """Judge whether ``question`` is in scope, using the retrieved hits (or their terms) when given."""
    is_anchored = anchored(question)
    foreign = foreign_domains(question)
    if foreign and not is_anchored:
        return ScopeVerdict(
            False,
            reason=(
                f"Spørgsmålet handler om {', '.join(foreign)}, som ligger uden for vidensbasen. "
                "Vidensbasen dækker styringen af almene boliger: styringsdialog, tilsyn, anvisning og udlejning."
            ),
            foreign=foreign,
        )
    terms = term_set(drop_asides(question)) - light_terms()
    if not terms or is_anchored:
        return ScopeVerdict(True)
    known = set(_domain_stems())
    best_relevance = 0.0
    if hit_terms is not None:
        known |= hit_terms
    if result is not None:
        if hit_terms is None:
            for hit in result.hits:
                known |= term_set(f"{hit.chunk.title} {hit.chunk.heading} {hit.chunk.text}")
        best_relevance = max((h.relevance for h in result.hits), default=0.0)
    # A compound or an inflection of a known word is known ('landsdispositionsfonden' ~ 'dispositionsfond').
    coverage = len(head_matches(terms, known)) / len(terms)
    # Not one of the question's words, nor a compound or inflection of one, occurs in the domain vocabulary or
    # in what was retrieved: the question is about something else, however close the vectors came (a shared
    # year or a common word is enough for dense retrieval to return something).
    nothing_shared = (not terms & known and not any(match_terms(terms, known)) and not _typo_shared(terms, known)
                      and not any(r.paragraph for r in find_legal_refs(question)))  # a § is the domain's own
    if nothing_shared or (coverage < MIN_VOCABULARY_COVERAGE and best_relevance < WEAK_RELEVANCE):
        return ScopeVerdict(
            False,
            reason=(
                "Spørgsmålet ser ud til at handle om noget andet end vidensbasen, "
                "som dækker styringen af almene boliger: styringsdialog, tilsyn, anvisning og udlejning."
            ),
            vocabulary_coverage=coverage,
        )
    return ScopeVerdict(True, vocabulary_coverage=coverage)


# A capitalised word that is not the first of its sentence; acronyms (BL, KL) and words with digits are left out.
_NAME_RE = re.compile(r"\b([A-ZÆØÅ][a-zæøåéü]{2,}(?:-[A-ZÆØÅ]?[a-zæøå]+)*)")
# An organisation named in lower case: the word after the noun that introduces its name.
# Capitalised words that name no organisation or person: generic nouns of an organisation's name, months and
# weekdays (typed with a capital by some), and the country.
_ORG_WORDS = frozenset(fold(w) for w in """
    boligforeningen boligselskabet boligorganisationen kommune kommunen afdeling afdelingen januar februar marts april
    maj juni juli august september oktober november december mandag tirsdag onsdag torsdag fredag lørdag søndag
    danmark dansk danske""".split())
_LOWER_NAME_RE = re.compile(r"\b(?:boligforening|boligselskab|andelsboligforening)(?:en|et)\s+([a-zæøå]{3,})\b")


# The name of a municipality ('Odense Kommune', 'Holbæk kommunes'): the rules are the same in every municipality,
# so a caseworker naming their own is no sign that the question is about something the sources do not know.
_MUNICIPALITY_AFTER_RE = re.compile(r"^[\s-]*kommune(?:n|ns|s)?\b", re.IGNORECASE)
# A question about what the rules allow or require ('Må X ...?', 'Hvad skal X indsende?', 'Kan kommunen kræve ...'):
# the general rule answers it whoever X is. Asked for X's own facts ('Hvor mange ... har X?'), it does not.
_NORMATIVE_FOLDED = _folded(re.compile(
    r"\b(?:må|skal|kan|kunne|bør|behøver|kræve|have lov|pligt|lov til|tilladt|krav)\b"))


def asks_what_the_rules_say(question: str) -> bool:
    """True for a question about what is allowed or required (a modal verb or duty word): an unknown name in it
    does not make the rules inapplicable (``unknown_names`` is then no reason to decline)."""
    return bool(_NORMATIVE_FOLDED.search(fold(question)))


def _names(question: str) -> list[str]:
    """Candidate proper names in a question (see ``unknown_names``); a municipality's name is left out."""
    out: list[str] = []
    for m in _NAME_RE.finditer(question):
        before = question[:m.start()].rstrip()
        if not before or before[-1] in ".?!:;-–\"'(":
            continue  # the first word of a sentence is capitalised anyway
        if _MUNICIPALITY_AFTER_RE.match(question[m.end():]):
            continue
        out.append(m.group(1))
    out += [m.group(1) for m in _LOWER_NAME_RE.finditer(question) if m.group(1) not in STOPWORDS]
    return out


def unknown_names(question: str, texts: list[str]) -> list[str]:
    """The names in ``question`` that none of ``texts`` (the retrieved sources) mentions.

    A name counts as mentioned when its folded form, a possessive 's' dropped, occurs in a source; a word of the
    domain vocabulary ('Landsbyggefonden', 'Kommunen') is no name. Nothing is listed when there is no source."""
    if not texts:
        return []
    haystack = fold(" ".join(texts))
    domain = _domain_stems()
    out: list[str] = []
    for name in _names(question):
        key = _name_key(name)
        if key in haystack or set(content_terms(name)) & domain or name.lower() in STOPWORDS or key in _ORG_WORDS:
            continue
        if name not in out:
            out.append(name)
    return out


def _name_key(name: str) -> str:
    key = fold(name)
    return key[:-1] if key.endswith("s") and len(key) > 4 else key


def full_name(question: str, name: str) -> str:
    """The run of capitalised words a name stands in ('Birgitte Holm' for 'Holm'): a person's or an
    organisation's whole name, which a source must mention as a whole."""
    word = r"[A-ZÆØÅ][\wæøåéü-]+"
    m = re.search(rf"(?:{word}\s+)*{re.escape(name)}(?:\s+{word})*", question)
    if m is None:
        return name
    words = m.group(0).split()
    while len(words) > 1 and words[0] != name and (words[0].lower() in STOPWORDS or fold(words[0]).startswith("hv")):
        words = words[1:]  # 'Har', 'Hvad': the first word of a sentence, capitalised as such
    return " ".join(words)


def mentions_name(name: str, texts: list[str]) -> bool:
    """True if one of ``texts`` mentions the name (folded, a possessive 's' dropped), as ``unknown_names`` reads it."""
    return _name_key(name) in fold(" ".join(texts))


def asking_sentences(question: str) -> str:
    """The sentences of a question that ask (end with a question mark), when it also has sentences that do not:
    the statements around a question set it up ('Jeg skal forklare det for et nyt byrådsmedlem', 'Er ny i
    teamet'), and their words are not what the sources must hold. The question itself when every sentence
    asks, or none does, or the asking sentences hold no content word."""
    sentences = split_sentences(question)
    asking = [s for s in sentences if s.rstrip().endswith("?")]
    if not asking or len(asking) == len(sentences):
        return question
    joined = " ".join(asking)
    # 'Vi har 5 % tomgang. Hvad gør vi?': the asking sentence holds no content; the statement carries it.
    return joined if term_set(drop_asides(joined)) - light_terms() else question


# At most this many sentences are read one by one; a longer text is a pasted mail, read as a whole.
MAX_TOPIC_SENTENCES = 4


def topic_sentences(question: str) -> list[str]:
    """The sentences of a question of two to ``MAX_TOPIC_SENTENCES`` sentences that hold at least two content
    words, each read on its own by the scope and relevance checks (empty for a one-sentence question)."""
    sentences = split_sentences(question)
    if not 2 <= len(sentences) <= MAX_TOPIC_SENTENCES:
        return []
    return [s for s in sentences if len(term_set(drop_asides(s)) - light_terms()) >= 2]


def core_relevance(question: str, source_terms: list[set[str]]) -> float:
    """0..1: the best share of the question's content terms (light verbs left out) that one source holds, a
    compound or an inflection counting ('landsdispositionsfonden' ~ 'landsdispositionsfond').

    A second opinion on the retriever's relevance, which counts exact terms only and counts 'kommer' in 'hvor
    kommer pengene fra' as much as the thing asked about."""
    terms = term_set(drop_asides(question)) - light_terms()
    if not terms:
        return 0.0
    return max((len(head_matches(terms, st)) / len(terms) for st in source_terms), default=0.0)


def relevant_after_all(question: str, source_terms: list[set[str]], best_relevance: float,
                       configured_floor: float = 0.0) -> bool:
    """True if the retriever's built-in relevance floor (``RetrievalOptions.min_relevance``) failed the hits but
    a source holds enough of the question's content terms once compounds count and light verbs do not.

    Only the built-in floor gets this second opinion: hits that passed it and failed a stricter floor (a
    configured ``min_relevance``, another searcher's own) stay not relevant."""
    floor = RetrievalOptions().min_relevance
    if best_relevance >= floor:
        return False
    if holds_asked_thing(question, source_terms):
        return True
    return core_relevance(question, source_terms) >= max(floor, configured_floor)


def holds_asked_thing(question: str, source_terms: list[set[str]]) -> bool:
    """True if the question asks what one thing is (``signals.asked_thing``: its other words are the frame of
    asking, or an aside after the question) and a source holds every word of that thing, a compound or an
    inflection counting. The frame's words ('begrebet', 'dækker over', 'er ny i tilsynet') then say nothing of
    whether the source is on topic."""
    thing = asked_thing(drop_asides(question))
    return bool(thing) and any(len(head_matches(thing, st)) == len(thing) for st in source_terms)
