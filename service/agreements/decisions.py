"""Whether a sentence of a referat records an agreement, read from Danish sentence structure.

Minutes word an agreement in three ways, whoever wrote them:

1. **A decision marker** with its content in an 'at'-clause: 'Det blev aftalt/besluttet, at ...',
   'Parterne var enige om, at ...', 'Der var enighed om, at ...', 'Efter drøftelsen blev det aftalt,
   at ...', '<part> aftalte/besluttede/godkender, at ...'. The agreement is the content.
2. **An undertaking**: '<part> forpligtede sig til at ...', '<part> påtog sig at ...', '<part>
   tilsagde at ...'. The agreement is the whole sentence; the party is the one who undertakes.
3. **A commitment**: a party as subject with a modal ('vil', 'skal') or an action verb in the present
   tense ('sender', 'udarbejder', 'indkalder', 'mødes'), Danish main-clause order (subject - verb, or a
   fronted time phrase - verb - subject). Outside an agreement section it needs a deadline, a period or
   a recurring time ('senest 1. marts 2027', 'frem til 31.12.2027', 'hvert kvartal') to count. A
   sentence in the passive with a deadline or period counts too ('Planen sendes til kommunen senest ...').

Guards keep what is not an agreement out: a status of an old agreement ('er opfyldt', 'er modtaget'),
a wish ('ønsker', 'vil gerne', 'foreslår'), a refusal ('kunne ikke imødekomme'), a postponement
('er udskudt'), a discussion ('blev drøftet'), a note taken ('taget til efterretning'), a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.agreements.parties import Parties, PartyMention, first_party, party_at
from service.domain.dates import MONTHS
from service.domain.deadlines import ONGOING_RE, read_when

MARKER = "det blev aftalt"
UNDERTAKING = "forpligtelse"
COMMITMENT = "tilsagn"
PASSIVE = "passiv"

_AGREE_WORDS = r"(?:aftalt|besluttet|vedtaget|konkluderet|enighed|enige)"
_DECISION_RES = (
    re.compile(r"\b(?:det|der)\s+(?:blev|er|var|bliver)\s+(?:[a-zæøå]+\s+){0,3}?(?:opnået\s+)?" + _AGREE_WORDS
               + r"\b", re.IGNORECASE),
    re.compile(r"\b(?:blev|er|var)\s+(?:det|der|man|parterne|vi|de)\s+(?:[a-zæøå]+\s+){0,2}?" + _AGREE_WORDS + r"\b",
               re.IGNORECASE),
    re.compile(r"\bdet\s+(?:aftales|aftaltes|besluttes|besluttedes|vedtages|vedtoges)\b", re.IGNORECASE),
    # 'aftallte': a doubled consonant is a common slip of the keyboard, and the verb is the same
    re.compile(r"\b(?:vi|man|parterne)\s+(?:(?:[a-zæøå]+\s+)?aftal+te|aftaler|besluttede|vedtog|blev\s+enige|enedes"
               r"|har\s+(?:[a-zæøå]+\s+)?(?:aftalt|besluttet))\b",
               re.IGNORECASE),
    # the reciprocal 'enes' ('Man enedes om, at ...', 'Parterne enedes om at holde ...') and its fronted form
    re.compile(r"\benedes\s+(?:man|parterne|vi|de)\b", re.IGNORECASE),
    # the perfect with a fronted adverbial: 'På mødet har vi aftalt, at ...'
    re.compile(r"\bhar\s+(?:vi|man|parterne|de)\s+(?:[a-zæøå]+\s+)?(?:aftalt|besluttet|vedtaget)\b", re.IGNORECASE),
    # any subject agreeing about something: 'Bestyrelsen og kommunen enedes om, at ...', '... blev enige om at ...'
    re.compile(r"\b(?:enedes|(?:blev|var|er)\s+(?:[a-zæøå]+\s+){0,2}?enige)(?=\s+om\b)", re.IGNORECASE),
    re.compile(r"\b(?:man|parterne|begge\s+parter|vi|de)\s+(?:blev|var|er)\s+(?:[a-zæøå]+\s+){0,2}?enige\b",
               re.IGNORECASE),
    # a fronted adverbial puts the verb before its subject: 'Endelig aftalte parterne, at ...'
    re.compile(r"\b(?:aftalte|aftaler|besluttede|beslutter|vedtog|vedtager)\s+(?:parterne|man|begge\s+parter|vi)\b",
               re.IGNORECASE),
    # what a discussion ended in: 'Det endte med, at ...', 'Resultatet blev, at ...', 'Konklusionen var, at ...'
    re.compile(r"\b(?:det|mødet|drøftelsen|snakken|diskussionen)\s+endte\s+(?:[a-zæøå]+\s+)?med\b"
               r"|\b(?:resultatet|konklusionen|udfaldet)\s+(?:blev|var)\b", re.IGNORECASE),
)
_AGREE_VERBS = (r"(?:aftalte|aftaler|besluttede|beslutter|vedtog|vedtager|godkendte|godkender|blev\s+enige|er\s+enige"
                r"|har\s+(?:aftalt|besluttet|vedtaget))")
_UNDERTAKE_VERBS = (r"(?:forpligtede\s+sig\s+til|forpligter\s+sig\s+til|påtog\s+sig|påtager\s+sig|tilsagde|tilsiger"
                    r"|tager\s+sig\s+af\s+at|tog\s+sig\s+af\s+at"
                    r"|lovede|lover|har\s+(?:(?:også|desuden|endvidere|selv)\s+)?(?:påtaget\s+sig|lovet|forpligtet\s+sig\s+til"
                    r"|givet\s+tilsagn\s+om))")
_THAT_RE = re.compile(r"\s*(?:,\s*)?(?:(?:desuden|også|endvidere|herudover|videre|derfor|sammen|i\s+fællesskab)\s*)?"
                      r"(?:,\s*)?(?:om\s*,?\s*)?(?:,\s*)?at\s+", re.IGNORECASE)
_ABOUT_RE = re.compile(r"\s+om\s+", re.IGNORECASE)
_MODALS = frozenset({"vil", "skal"})
# Present-tense verbs that report, judge, wish or describe - not an action a party commits to.
_NOT_ACTION = frozenset(["er", "har", "bliver", "ønsker", "mener", "synes", "finder", "forventer", "vurderer", "overvejer", "foreslår", "oplyser", "ser", "står", "ligger", "mangler", "trænger", "fungerer", "virker", "hedder", "kender", "tror", "håber", "beder", "anmoder", "opfordrer", "bemærker", "understreger", "påpeger", "konstaterer", "noterer", "drøfter", "gennemgår", "redegør", "fortæller", "forklarer", "spørger", "savner", "oplever", "betragter", "anerkender", "deler", "udtrykker", "tilkendegiver", "glæder", "takker", "beklager", "kan", "kunne", "bør", "burde", "må", "siger", "henviser", "afventer", "modtager"])
_ADVERBS = frozenset(["fortsat", "løbende", "sammen", "også", "desuden", "derudover", "selv", "straks", "nu", "fremover", "igen", "ligeledes", "endvidere", "herefter", "derefter", "hermed", "derfor", "ikke", "snarest", "gerne"])
_REFUSAL_RE = re.compile(r"\b(?:kunne|kan|vil)\s+ikke\s+(?:\w+\s+)?imødekomme|\bafvis(?:te|er|es|t)\b|\bafslog\b"
                         r"|\bafslår\b|\bsagde\s+nej\b|\bikke\s+enige\b|\bikke\s+(?:blev|var)\s+enighed"
                         r"|\b(?:er|blev)\s+ikke\s+(?:blevet\s+)?(?:aftalt|besluttet|vedtaget|indgået|truffet)\b"
                         # a motion voted down: 'Forslaget ... blev forkastet med 2 stemmer for og 5 imod', 'nedstemt'
                         r"|\b(?:er|blev)\s+(?:[a-zæøå]+\s+)?(?:forkastet|nedstemt|stemt\s+ned)\b|\bforkastede\b",
                         re.IGNORECASE)
_WISH_RE = re.compile(r"\bønsk(?:er|ede)\b|\bvil\s+gerne\b|\bser\s+gerne\b|\bforeslå(?:r|ede)\b|\bhåber\b"
                      r"|\bopfordr(?:er|ede)\b|\banmod(?:er|ede)\b", re.IGNORECASE)
# an intention, not an undertaking: 'Parterne vil arbejde for, at ...', 'Det er hensigten, at ...', 'Kommunen
# tilstræber ...', 'Parterne har en fælles ambition om ...' ('efter hensigten' - as intended - is no intention)
_INTENTION_RE = re.compile(
    r"\bdet\s+er\s+(?:\w+\s+){0,2}?hensigt(?:en)?\b|\bhensigten\s+er\b|\bhar\s+(?:\w+\s+)?til\s+hensigt\b"
    r"|\b(?:hensigts|intentions)erklæring|\btilstræbe[rs]?\b|\bbestræbe[rs]?\s+sig\b"
    r"|\b(?:vil|skal)\s+(?:[a-zæøå]+\s+){0,3}?arbejde\s+for\b|\barbejder\s+(?:[a-zæøå]+\s+){0,3}?for\s*,?\s*at\b"
    r"|\b(?:har|er)\s+(?:en\s+)?(?:fælles\s+)?(?:ambition|målsætning|intention)\b|\b(?:ambitionen|målsætningen)\s+er\b",
    re.IGNORECASE)
_STATUS_RE = re.compile(
    r"\b(?:er|blev|var)\s+(?:nu\s+|ligeledes\s+|også\s+|allerede\s+)?(?:opfyldt|gennemført|modtaget|afsluttet|lukket"
    r"|indfriet|overholdt|sendt|fremsendt|leveret|afholdt|udarbejdet)\b|\bpunktet\s+er\s+lukket\b"
    r"|\b(?:ikke|endnu\s+ikke)\s+(?:er\s+)?(?:opfyldt|gennemført|færdig)", re.IGNORECASE)
_POSTPONED_RE = re.compile(r"\b(?:er|blev)\s+(?:\w+\s+)?(?:udskudt|udsat|henlagt|stillet\s+i\s+bero)\b|\budsættes\b"
                           r"|\budskydes\b|\bhenlægges\b"
                           r"|\bpå\s+et\s+senere\s+møde\b", re.IGNORECASE)
_DISCUSSION_RE = re.compile(r"\b(?:blev|er)\s+(?:\w+\s+)?(?:drøftet|diskuteret|debatteret|vendt)\b|\bdrøftede\b"
                            r"|\bdiskuterede\b", re.IGNORECASE)
# 'Handleplanen sendes til kommunen senest ...', 'Der udarbejdes en plan inden ...': the passive in -es early on
_PASSIVE_RE = re.compile(r"^\W*(?:[\wæøåÆØÅ.,-]+\s+){0,5}?(?P<verb>[a-zæøå]{3,}es)\b")
_NOT_PASSIVE = frozenset(["deres", "hendes", "vores", "jeres", "des", "næstes", "forventes", "anses", "menes", "synes", "findes", "skønnes", "kendes", "ses", "vurderes", "ønskes"])
# a line that only points to where the matter is decided ('Status på udlejningen: se Beslutning 7.3.', '... - jf. pkt. 4')
_POINTER_RE = re.compile(r"[:–-]\s*(?:se|jf\.?|henvis(?:ning)?\s+til)\s+(?:beslutning|pkt\.?|punkt|sag|bilag|afsnit|§)"
                         r"\s*[\d.]*\d[a-z]?\s*\.?\s*$", re.IGNORECASE)
_NOTED_RE = re.compile(r"til\s+efterretning|\btog\s+orientering", re.IGNORECASE)
# 'Næste dialogmøde afholdes i september 2027': a date in the calendar, not something a party must do
# the meeting's own business: approving the agenda or signing the minutes
_PROCEDURAL_RE = re.compile(r"^\W*(?:dagsorden(?:en)?|referat(?:et)?|protokol(?:len)?)\s+(?:blev\s+|er\s+)?(?:godkend|underskrive)",
                            re.IGNORECASE)
_NEXT_MEETING_RE = re.compile(r"^\W*(?:(?:det|den)\s+)?(?:næste|kommende)\s+(?:\w+\s+)?[\wæøå]*møde", re.IGNORECASE)


@dataclass(frozen=True)
class Decision:
    """A sentence read as an agreement: the agreement's text, how it was written, and the acting party."""

    text: str
    form: str
    party: PartyMention | None = None


def announces_decisions(text: str) -> bool:
    """True when a lead-in says that what follows was decided ('Mødet endte med følgende', 'Vi blev enige om
    følgende', 'Det blev besluttet'): a decision marker, not negated."""
    for pattern in _DECISION_RES:
        m = pattern.search(text)
        if m and not re.search(r"\bikke\b", text[:m.end()], re.IGNORECASE):
            return True
    return False


def refused(text: str) -> bool:
    """True when a text turns a request down ('Kommunen kan ikke imødekomme ønsket ...')."""
    return bool(_REFUSAL_RE.search(text))


def wished(text: str) -> bool:
    """True when a text states a wish or a proposal ('X ønskede, at ...', 'Kommunen foreslog ...')."""
    return bool(_WISH_RE.search(text))


def guarded(text: str, *, commitment: bool = False) -> bool:
    """True when a text is not an agreement: an old agreement's status, a postponement, a refusal, a note
    taken, a question; for a plain commitment also a wish or a discussion."""
    if text.rstrip().endswith("?") or _NOTED_RE.search(text) or _REFUSAL_RE.search(text):
        return True
    if _NEXT_MEETING_RE.search(text) or _PROCEDURAL_RE.search(text) or _POINTER_RE.search(text):
        return True
    if _STATUS_RE.search(text) or _POSTPONED_RE.search(text):
        return True
    return commitment and bool(_WISH_RE.search(text) or _DISCUSSION_RE.search(text) or intends(text))


def intends(text: str) -> bool:
    """True when a text states an intention or ambition rather than something a party will do."""
    return bool(_INTENTION_RE.search(text))


def _capitalised(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


# Verbs that report a meeting ('Kommunen gennemgår status') but commit a party when a deadline follows
# ('Kommunen gennemgår ventelisten ... inden udgangen af februar 2027').
_TIMED_ACTIONS = frozenset(["gennemgår", "drøfter", "redegør", "vurderer", "afklarer", "overvejer"])


def _is_action(word: str, *, timed: bool = False) -> bool:
    w = word.lower().strip(",.;:")
    if w in _MODALS or (timed and w in _TIMED_ACTIONS):
        return True
    if w in _NOT_ACTION or len(w) < 3 or not w.isalpha():
        return False
    # the present tense ends in -r ('sender', 'indgår', 'gør'); a few verbs are deponent ('mødes')
    return w.endswith("r") or w in {"mødes", "enes"}


def _verb_after(text: str, pos: int, *, timed: bool = False) -> tuple[str, int] | None:
    """The finite verb right after a subject (up to two adverbs between): (verb, end) or None."""
    words = list(re.finditer(r"[\wæøåÆØÅ]+", text[pos:pos + 80]))
    timed_verb = _verb_after_time(text, pos, words)
    if timed_verb is not None:
        return timed_verb
    for i, w in enumerate(words[:3]):
        word = w.group(0).lower()
        if word in _ADVERBS and i < 2:
            continue
        if text[pos:pos + w.start()].strip(" ,") and i == 0 and "," in text[pos:pos + w.start()]:
            return None  # 'Kommunen, som ...': an apposition, not the main verb
        return (word, pos + w.end()) if _is_action(word, timed=timed) else None
    return None


# a time adverbial between a subject and its verb, as a subordinate clause puts it ('at foreningen i 2027 og 2028
# udlejer ...', 'kommunen ved årsskiftet skal ...'): a preposition and the time it names
_TIME_LEAD = frozenset({"i", "ved", "inden", "senest", "fra", "før", "efter", "frem", "pr", "per", "allerede", "hvert",
                        "hver", "primo", "medio", "ultimo", "omkring", "snarest"})


def _verb_after_time(text: str, pos: int, words: list[re.Match[str]]) -> tuple[str, int] | None:
    if not words or words[0].group(0).lower() not in _TIME_LEAD or "," in text[pos:pos + words[0].start()]:
        return None
    for j in range(1, min(len(words), 8)):
        word = words[j].group(0).lower()
        if word.isdigit() or word.rstrip(".") in MONTHS:
            continue  # the time itself ('inden 1. december 2026')
        if word in _MODALS or _is_action(word, timed=True):
            span = text[pos + words[0].start():pos + words[j].start()]
            if "," in span:
                return None
            when = read_when(span)
            if when.period is not None or when.deadline is not None or ONGOING_RE.search(span) \
                    or re.search(r"\b(?:19|20)\d\d\b", span):  # 'i kalenderåret 2027'

                return word, pos + words[j].end()
            return None
    return None


# infinitives of thinking and wishing: after 'vil'/'skal' they commit a party to nothing it can be held to
_CONSIDER_INFINITIVES = frozenset({"overveje", "ønske", "mene", "tro", "håbe", "forvente", "tænke", "gerne", "synes",
                                   "finde", "se", "tage"})


def _considers(after_modal: str) -> bool:
    """True when the infinitive after a modal ('vil samtidig overveje', 'skal nok se') is one of thinking or wishing."""
    for word in re.findall(r"[a-zæøå]+", after_modal.lower())[:3]:
        if word in _ADVERBS or word in {"samtidig", "nok", "måske", "eventuelt", "muligvis"}:
            continue
        if word in ("se", "tage"):
            return bool(re.match(r"\W*(?:[a-zæøå]+\s+){0,2}?(?:se\s+(?:nærmere\s+)?på|tage\s+stilling)\b",
                                 after_modal.lower()))
        return word in _CONSIDER_INFINITIVES
    return False


def commitment(sentence: str, parties: Parties) -> PartyMention | None:
    """The party a sentence makes act ('Boligforeningen vil inden ... sende', 'BO sender senest ...'), else None."""
    start = len(sentence) - len(sentence.lstrip(" -•*–"))
    party = party_at(sentence, start, parties)
    if party is not None:
        verb = _verb_after(sentence, party.end, timed=_has_deadline_or_period(sentence))
        if verb is not None and verb[0] in _MODALS and _considers(sentence[verb[1]:verb[1] + 40]):
            return None  # 'Kommunen vil samtidig overveje, om ...': a modal with a verb of thinking commits to nothing
        if verb is not None and (verb[0] not in _MODALS or _verb_after(sentence, verb[1]) is not None
                                 or re.search(r"\b[a-zæøå]+e\b", sentence[verb[1]:verb[1] + 60])):
            return party
        return None
    # Fronted time or place ('Inden 1. marts 2027 sender boligforeningen ...'): verb second, then the party.
    if not sentence.strip()[:1].isupper():
        return None
    for w in list(re.finditer(r"[\wæøåÆØÅ]+", sentence[:90]))[1:9]:
        if _is_action(w.group(0)) and w.group(0).lower() not in _MODALS and w.group(0).lower() not in MONTHS:
            after = re.match(r"\s+", sentence[w.end():])
            found = party_at(sentence, w.end() + (after.end() if after else 0), parties)
            if found is not None:
                return found
    return None


def acting_party(sentence: str, parties: Parties) -> PartyMention | None:
    """The party a sentence makes act: its subject, or the party right after a finite verb anywhere
    ('I afd. 2 anviser kommunen ikke ...'), else None."""
    found = commitment(sentence, parties)
    if found is not None:
        return found
    for w in re.finditer(r"[\wæøåÆØÅ]+", sentence):
        if _is_action(w.group(0)) and w.group(0).lower() not in _MODALS:
            after = re.match(r"\s+", sentence[w.end():])
            party = party_at(sentence, w.end() + (after.end() if after else 0), parties)
            if party is not None:
                return party
    return None


def has_time(text: str) -> bool:
    """A deadline, a period or a recurring time (not a bare 'fortsat'): what makes a plain commitment an agreement."""
    when = read_when(text)
    if when.period is not None or (when.deadline is not None and not when.deadline.ongoing):
        return True
    # a bare 'fortsat' (still) is no time, but 'fortsat løbende' is
    return any(m.group(0).lower() != "fortsat" for m in ONGOING_RE.finditer(text))


def decision_in(sentence: str, parties: Parties) -> Decision | None:
    """A decision marker or an undertaking in a sentence (forms 1 and 2 of the module docstring)."""
    for pattern in _DECISION_RES:
        m = pattern.search(sentence)
        if m and not re.search(r"\bikke\b", m.group(0), re.IGNORECASE):
            content = _content_after(sentence, m.end())
            if content:
                return Decision(content, MARKER, party_at(content, 0, parties))
    start = len(sentence) - len(sentence.lstrip(" -•*–"))
    consent = _consent(sentence, start, parties)
    if consent is not None:
        return consent
    party = party_at(sentence, start, parties)
    if party is None:
        # a reflexive undertaking needs no party first: 'Kommunens repræsentant X påtog sig at ...', 'Desuden
        # påtager selskabet sig at ...'; who undertakes is the party the sentence names first
        m = _REFLEXIVE_RE.search(sentence)
        if m and not re.search(r"\bikke\b", sentence[:m.end()], re.IGNORECASE):
            return Decision(_capitalised(sentence[start:]), UNDERTAKING, first_party(sentence, parties))
        return None
    rest = sentence[party.end:]
    m = re.match(r"\s*(?:(?:" + "|".join(_ADVERBS) + r")\s+)?" + _UNDERTAKE_VERBS + r"\b", rest, re.IGNORECASE)
    if m and not re.match(r"\s+(?:sig\s+)?ikke\b", rest[m.end():], re.IGNORECASE):  # 'påtog sig ikke at ...'
        return Decision(_capitalised(sentence[start:]), UNDERTAKING, party)
    if m:
        return None  # an undertaking refused
    m = re.match(r"\s*(?:(?:" + "|".join(_ADVERBS) + r")\s+)?" + _AGREE_VERBS + r"\b", rest, re.IGNORECASE)
    if m:
        content = _content_after(rest, m.end())
        if content:
            return Decision(content, MARKER, party_at(content, 0, parties) or party)
    return None


# Saying yes to what the other side asked is agreeing: 'Vi sagde ja til, at ...', 'Kommunen gik med til at ...',
# 'Selskabet accepterede, at ...'; and an undertaking with its subject after the verb (a fronted adverbial: 'Til
# gengæld lovede Karin at ...', 'Derefter lovede kommunen at ...').
_CONSENT_RE = re.compile(r"\b(?:(?:sagde|siger|har\s+sagt)\s+(?:[\wæøå]+\s+){0,3}?ja\s+til"
                         r"|(?:gik|går|gået)\s+(?:[\wæøå]+\s+){0,2}?med\s+til"
                         r"|accepterede|accepterer|har\s+accepteret)\s*,?\s*(?=at\s)", re.IGNORECASE)
_INVERTED_PROMISE_RE = re.compile(r"^\W*[A-ZÆØÅ][\wæøå]*(?:\s+[a-zæøå]+){0,3}\s+(?:lovede|lover|tilsagde|tilsiger)\s+"
                                  r"(?P<who>[A-ZÆØÅ][\wæøå]+(?:\s+\([^)]{2,40}\))?|[a-zæøå]+(?:en|et|erne))\s+"
                                  r"(?:(?:også|desuden|endvidere|samtidig)\s+)?(?=at\s)")


def _consent(sentence: str, start: int, parties: Parties) -> Decision | None:
    """Consent ('X sagde ja til, at ...') or an inverted undertaking ('Til gengæld lovede X at ...'): the 'at'-clause
    with its own subject is the agreement; an infinitive ('at betale ...') keeps the whole sentence and its party."""
    m = _CONSENT_RE.search(sentence) or _INVERTED_PROMISE_RE.search(sentence)
    if m is None or re.search(r"\bikke\b", sentence[:m.end()], re.IGNORECASE):
        return None
    content = _content_after(sentence, m.end())
    if not content:
        return None
    own = party_at(content, 0, parties)
    written = sentence[len(sentence) - len(content):]  # as written: a capital is a name ('at Karin tager ...')
    if own is not None or (written[:1].isupper() and re.match(r"\S+\s+(?:\([^)]*\)\s+)?[a-zæøå]+r\b", written)):
        return Decision(content, MARKER, own)
    return Decision(_capitalised(sentence[start:]), UNDERTAKING, first_party(sentence, parties))


_REFLEXIVE_RE = re.compile(r"\b(?:påtog|påtager|forpligtede|forpligter|(?:har|havde)\s+(?:[a-zæøå]+\s+)?(?:påtaget|"
                           r"forpligtet))\s+(?:[a-zæøå]+\s+){0,2}?sig\s+(?:(?:på\s+(?:sin|deres)\s+side|[a-zæøå]+)\s*,?\s+){0,2}?(?:at|til)\b",
                           re.IGNORECASE)


def _content_after(text: str, pos: int) -> str:
    """The 'at'-clause (or 'om'-phrase) after a decision marker, capitalised; '' when there is none."""
    m = _THAT_RE.match(text, pos)
    if m:
        return _capitalised(text[m.end():])
    m = _ABOUT_RE.match(text, pos)
    if m and len(text) - m.end() > 15 and not _ANNOUNCED_RE.fullmatch(text[m.end():].strip()):
        return _capitalised(text[m.end():])
    return ""


# 'blev man enige om en udvidet ordning.': a bare noun phrase announces what the next sentence agrees
_ANNOUNCED_RE = re.compile(r"(?:en|et|den|det|de|nogle|flere|følgende)\s+[\wæøå-]+(?:\s+[\wæøå-]+){0,2}\s*[.:]?",
                           re.IGNORECASE)


def read_sentence(sentence: str, parties: Parties, *, in_agreements: bool) -> Decision | None:
    """The agreement a sentence records, or None (see the module docstring).

    ``in_agreements``: the sentence stands where agreements are listed (an agreement section, a decision
    field, after 'Følgende blev aftalt:'), so a plain commitment needs no time to count."""
    decision = decision_in(sentence, parties)
    if decision is not None:
        return None if guarded(decision.text) else decision
    party = commitment(sentence, parties)
    if guarded(sentence, commitment=True):
        return None
    if party is None:
        passive = _PASSIVE_RE.match(sentence)
        if passive and passive.group("verb").lower() not in _NOT_PASSIVE and _has_deadline_or_period(sentence):
            return Decision(_capitalised(sentence.lstrip(" -•*–")), PASSIVE, None)
        return None
    if in_agreements or has_time(sentence):
        return Decision(_capitalised(sentence.lstrip(" -•*–")), COMMITMENT, party)
    return None


def _has_deadline_or_period(text: str) -> bool:
    when = read_when(text)
    return when.period is not None or (when.deadline is not None and not when.deadline.ongoing)
