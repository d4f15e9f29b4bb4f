"""What sentences and questions signal: unconfirmed information, references back, verbs,
the kind of answer asked for, sub-questions, definitions, and the terms to match.

Used by the extractive generator to score sentences; plain functions over text.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from knowledge.legal import LegalRef, find_legal_refs
from knowledge.text import STOPWORDS, fold, tokenize
from service.answering.evidence import SourceEvidence, parse_ref_list, term_set

PARTIAL_MATCH = 0.7  # weight of a compound/inflection match (see match_terms)

# Statements that the sought information is not confirmed or not available.
_UNCONFIRMED_RES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(?:kunne|kan|har|blev) ikke (?:\w+ ){0,3}?(?:bekræft\w*|verificer\w*|find\w*|fundet|læs\w*|oplys\w*|fastslå\w*|dokumenter\w*)",
        r"\bikke (?:\w+ ){0,2}?(?:bekræftet|verificeret|fundet|oplyst|kendt|afklaret|kontrolleret|tjekket|læst)\b",
        r"\bkan ikke bruges som kilde\b",
        r"\bingen (?:\w+ ){0,2}?(?:fundet|kendt|oplyst)\b",
        r"\bfremgår ikke\b",
        r"\[IV\]",
        r"\bikke[- ]verificeret\b",
        r"\buvis(?:t|ed)\b",
    )
]
# Common finite verbs and auxiliaries; used only to tell list fragments from sentences.
_VERBS = frozenset(
    """er var være været bliver blev blive skal skulle kan kunne vil ville må måtte har havde
    gælder gjaldt fører førte sørger sikrer indeholder indeholdt består bestod viser viste
    udgør angiver fremgår følger betyder omfatter kræver krævede giver gav får fik træder trådte
    bygger handler ligger lå hedder hed vedtages vedtaget indførte indført ændrede ændret
    anvises anviser udlejes afholdes holdes holder oprettes indsendes indberettes offentliggøres
    beslutter aftaler betaler bærer dækker""".split()
)
_TIME_RE = re.compile(
    r"\b(?:1[89]\d\d|20\d\d|januar|februar|marts|april|maj|juni|juli|august|september|oktober|"
    r"november|december|senest|inden|frist\w*|dato\w*|tidspunkt\w*|måned\w*|uge\w*|dag\w*|årlig\w*|hvert år|løbende|når)\b",
    re.IGNORECASE,
)
_META_RE = re.compile(
    r"^(?:denne|dette|nærværende|følgende)\s+(?:vejledning|afsnit|notat|kapitel|dokument|side|tekst|oversigt|fil|gennemgang)\w*\b",
    re.IGNORECASE,
)
_PARTS_RE = re.compile(
    r"[,;]?\s+og\s+(?=(?:hvad|hvem|hvor|hvordan|hvornår|hvilke|hvilken|hvilket|hvorfor|blev|er|var|kan|skal|har|gælder)\b)",
    re.IGNORECASE,
)
_DEFINITION_RE = re.compile(
    r"^\s*hvad\s+(?:er|var|betyder|menes\s+med|forstås\s+ved)\s+(?:en|et|de|den|det)?\s*([\wæøå-]+)", re.IGNORECASE
)
_DEFINES_RE = re.compile(r"\b(?:er|var|består|betyder|betegner|omfatter|indeholder|dækker)\b", re.IGNORECASE)
_LEGAL_NUMBERS_RE = re.compile(
    r"§§?\s*\d+(?:\s?[a-zæøå](?![\wæøå]))?(?:\s*(?:-|–|,|og|til)\s*(?:§\s*)?\d+(?:\s?[a-zæøå](?![\wæøå]))?)*"
    r"|\b(?:stk|nr|pkt|kap|kapitel)\.?\s*\d+(?:\s*(?:-|–|og)\s*\d+)?",
    re.IGNORECASE,
)
_BILL_RE = re.compile(r"\bL\s?(\d{1,3})\b")
_NUMBER_TOKEN_RE = re.compile(r"(?<![\d/.,])\d+(?:,\d+)?(?![\d/])")
_BUT_RE = re.compile(r"[,;]?\s+men\s+", re.IGNORECASE)
_CONNECTIVE_RE = re.compile(r"\b(?:derfor|dermed|således|heraf|herved|hermed|derudover|desuden)\b", re.IGNORECASE)
_CROSSREF_RE = re.compile(r"^se\s+(?:også|afsnit\w*|vejledning\w*|kapitel|bilag|nedenfor|ovenfor)\b", re.IGNORECASE)
_ANAPHOR_RE = re.compile(r"^(?:det|dette|disse|den|denne|de|dem|her\w*|samme|endvidere|desuden|også)\b", re.IGNORECASE)
_DATE_OR_YEAR_RE = re.compile(
    r"\b\d{1,2}\.\s*(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december)"
    r"(?:\s+\d{4})?|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|(?<![\d,.])(?:19|20)\d\d(?!\d|[,.]\d)", re.IGNORECASE)
_QUANTITY_WORDS_RE = re.compile(r"\b(?:halvdel\w*|fjerdedel\w*|tredjedel\w*|hver \w+|ingen|alle)\b", re.IGNORECASE)
_QUANTITY_RE = re.compile(r"\d|\b(?:halvdel\w*|fjerdedel\w*|tredjedel\w*|hver \w+|alle|ingen)\b", re.IGNORECASE)


def is_unconfirmed(sentence: str) -> bool:
    """True if a sentence concludes that information could not be confirmed, found or read.

    Only the last clause counts when the sentence turns on "men": "X er ikke bekræftet, men
    Y gælder" affirms Y; "Y gælder, men X er ikke bekræftet" leaves X unconfirmed. Clauses joined by a
    semicolon are statements of their own: "Y gælder; en detalje af Y er ikke bekræftet" affirms Y and
    only hedges the detail (is_hedged), so it is unconfirmed only when each of its clauses is.
    """
    conclusion = _BUT_RE.split(sentence)[-1]
    clauses = [c for c in conclusion.split(";") if c.strip()] or [conclusion]
    return all(any(r.search(c) for r in _UNCONFIRMED_RES) for c in clauses)


def refers_back(sentence: str) -> bool:
    """True if a sentence leans on the one before it ('Det gælder også ...', '... kan derfor ...')."""
    return bool(_ANAPHOR_RE.match(sentence) or _CONNECTIVE_RE.search(" ".join(sentence.split()[:10])))


def has_verb(sentence: str) -> bool:
    words = tokenize(sentence)
    return any(w in _VERBS or (len(w) > 5 and w.endswith("es")) for w in words)


def question_kind(question: str) -> str:
    low = question.lower()
    if re.search(r"\bhvornår\b|\bfrist\w*\b|\bdeadline\b", low):
        return "time"
    if re.search(r"\bhvor (?:mange|meget|stor\w*|høj\w*)\b|\bantal\b", low):
        return "quantity"
    return ""


def match_terms(q_terms: set[str], terms: set[str]) -> dict[str, float]:
    """Question terms found in a sentence: 1.0 exact, ``PARTIAL_MATCH`` for compound/inflection overlap.

    Danish compounds and inflections often defeat the stemmer ('effektiviseringsloven' vs
    'effektivisering', 'ændret' vs 'ændringen'): a stem of 5+ letters that begins or ends
    the other word counts as a partial match, and so does a typing slip (``typo_of``).
    """
    out: dict[str, float] = {}
    for q in q_terms:
        if q in terms:
            out[q] = 1.0
            continue
        for t in terms:
            short, long_ = (q, t) if len(q) <= len(t) else (t, q)
            compound = len(short) >= 5 and (long_.startswith(short) or long_.endswith(short))
            inflection = len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 3
            if compound or inflection or typo_of(q, t):  # 'boligomrde' is a typing slip of 'boligområde'
                out[q] = PARTIAL_MATCH
                break
    return out


TYPO_MIN_LENGTH = 6
TYPO_RATIO = 0.88


def typo_of(a: str, b: str) -> bool:
    """True if one word is a typing slip of the other: both of 6+ letters, the same first three, at most two
    letters apart in length and alike (difflib ratio >= 0.88: 'styringsraport' ~ 'styringsrapport', 'formnd' ~
    'formand', 'dispositonsfond' ~ 'dispositionsfond')."""
    if a == b or min(len(a), len(b)) < TYPO_MIN_LENGTH or a[:3] != b[:3] or abs(len(a) - len(b)) > 2:
        return False
    return SequenceMatcher(None, a, b).ratio() >= TYPO_RATIO


def head_matches(q_terms: set[str], terms: set[str]) -> set[str]:
    """The question terms a text holds as written, inflected, or as the head of a compound.

    Stricter than ``match_terms``: a Danish compound is about its last part, so 'landsdispositionsfonden' is a
    'dispositionsfond', while 'kommunalvalg' is no 'kommunal' thing (a shared first part says little)."""
    out: set[str] = set()
    for q in q_terms:
        if q in terms:
            out.add(q)
            continue
        for t in terms:
            short, long_ = (q, t) if len(q) <= len(t) else (t, q)
            head = len(short) >= 5 and long_.endswith(short)
            inflection = len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 3
            if head or inflection or typo_of(q, t):
                out.add(q)
                break
    return out


def number_terms(text: str) -> set[str]:
    """Numbers written outside legal references ('2021', '1,5') and bill numbers ('L 23' -> 'L23')."""
    plain = _LEGAL_NUMBERS_RE.sub(" ", text)
    out = {f"L{m.group(1)}" for m in _BILL_RE.finditer(plain)}
    plain = _BILL_RE.sub(" ", plain)
    out |= {m.group(0) for m in _NUMBER_TOKEN_RE.finditer(plain)}
    return out


def ref_key(para: str, stk: int | None) -> str:
    """Pseudo-term for a provision: '§59:2' (§ 59, stk. 2) or '§164'."""
    return f"§{para.replace(' ', '')}" + (f":{stk}" if stk is not None else "")


def legal_terms_for_query(refs: list[LegalRef]) -> set[str]:
    """Pseudo-terms for the provisions a question names ('§59:2', '§164'), and for a nr. it names
    ('§112:5#2': see ``names_item``)."""
    out = {ref_key(r.paragraph, r.stk) for r in refs if r.paragraph}
    out |= {f"{ref_key(r.paragraph, r.stk)}#{r.nr}" for r in refs if r.paragraph and r.stk is not None and r.nr}
    return out


def names_item(sentence: str, nr: int) -> bool:
    """True if a sentence gives item ``nr`` of a list ('(2) en forklaring ...', 'nr. 2', '2) ...')."""
    return bool(re.search(rf"(?:\(\s*{nr}\s*\)|(?<![\d.,])\b{nr}\)|\bnr\.?\s*{nr}\b)", sentence, re.IGNORECASE))


def legal_terms_for_sentence(sentence: str, source: SourceEvidence, query_refs: list[LegalRef],
                             position: int | None = None) -> set[str]:
    """The query's provision pseudo-terms that a sentence carries.

    A sentence carries § X (stk. Y) when it states it, or when its chunk is that provision and the sentence
    names no other one. When the question names a stk., the sentence must belong to that stk.: stated with it,
    or standing under 'Stk. Y.' in the paragraph's text (SourceEvidence.sentence_stks); a sentence of another
    stk. of the same § carries nothing (a question about § 59, stk. 2 is not answered by stk. 1)."""
    out: set[str] = set()
    if not query_refs:
        return out
    chunk = source.hit.chunk
    act = str(chunk.metadata.get("act") or "") or (chunk.legal_id.split(":", 1)[0] if chunk.legal_id else None)
    own = [o for o in find_legal_refs(sentence, default_act=act) if o.paragraph] if "§" in sentence else []
    # The chunk is a provision by its legal id; by its legal_refs only when they name that one § alone (a chunk
    # mentioning many provisions, like a timeline, is not each of them).
    mentioned = parse_ref_list(chunk.metadata.get("legal_refs"))
    ids = [r.canonical_id for r in parse_ref_list(chunk.legal_id)]
    if len({(r.act, r.paragraph) for r in mentioned}) == 1:
        ids += [r.canonical_id for r in mentioned]
    stk_here = source.sentence_stks[position] if position is not None and position < len(source.sentence_stks) else None
    for ref in query_refs:
        if not ref.paragraph:
            continue
        same_para = [o for o in own if o.paragraph == ref.paragraph and not (ref.act and o.act and o.act != ref.act)]
        if ref.stk is not None and same_para and own[0].paragraph != ref.paragraph:
            continue  # 'Efter § 169 gælder § 164, stk. 2-3 ikke ...': about the provision it names first
        if any(ref.stk is None or o.stk == ref.stk for o in same_para):
            out.add(ref_key(ref.paragraph, ref.stk))
            continue
        if same_para or (own and not same_para):
            continue  # names another stk. of the §, or another provision altogether
        if ref.stk is not None and stk_here is not None:
            whole = LegalRef(ref.act, ref.paragraph)
            if stk_here == ref.stk and any(cid and ref.act and whole.covers(cid) for cid in ids):
                out.add(ref_key(ref.paragraph, ref.stk))
            continue
        if any(cid and ref.act and ref.covers(cid) for cid in ids):
            out.add(ref_key(ref.paragraph, ref.stk))
    return out


_STK_SPAN_RE = re.compile(r"\bstk\.?\s*(\d+)(?:\s*(?:-|–|til|og)\s*(\d+))?", re.IGNORECASE)


def stk_only_in_span(sentence: str, stk: int) -> bool:
    """True if a sentence names stk. ``stk`` only inside a span or pair ('§ 112, stk. 3-6', 'stk. 1 og 2'),
    never on its own: it speaks of several stykker at once, and a sentence that names the stk. alone speaks
    of it more closely."""
    alone = spanned = False
    for m in _STK_SPAN_RE.finditer(sentence):
        first, last = int(m.group(1)), int(m.group(2)) if m.group(2) else None
        if last is None:
            alone = alone or first == stk
        elif first <= stk <= last or stk in (first, last):
            spanned = True
    return spanned and not alone


def question_parts(question: str) -> list[str]:
    """The sub-questions of a question that asks two things ('Hvad er X, og hvad indeholder den?')."""
    parts = [p.strip() for p in _PARTS_RE.split(question) if p.strip()]
    return parts if len(parts) > 1 and all(term_set(p) for p in parts) else [question]


# 'X?? hvad er det for noget' and 'hvad er det der X for noget': the term asked about stands before the
# question or between 'det (der/her)' and 'for noget/nogle'.
_TERM_FIRST_RE = re.compile(r"^\s*([\wæøå-]+)\s*[?!.:,–-]*\s+hvad\s+(?:er|betyder)\s+det\b", re.IGNORECASE)
_TERM_INSIDE_RE = re.compile(
    r"\bhvad\s+er\s+det\s+(?:der|her|dér)?\s*(?:en|et)?\s*([\wæøå-]+)\s+for\s+(?:noget|nogle|en|et)\b", re.IGNORECASE
)


def definition_subject(question: str) -> set[str]:
    """The term a definition question asks about ('Hvad er en helhedsplan?', 'helhedsplan - hvad er det?')."""
    for pattern in (_DEFINITION_RE, _TERM_INSIDE_RE, _TERM_FIRST_RE):
        m = pattern.match(question) if pattern is _DEFINITION_RE else pattern.search(question)
        terms = term_set(m.group(1)) if m and m.group(1).lower() not in ("det", "der", "her") else set()
        if terms:
            return terms
    return asked_thing(drop_asides(question))


# What a question asks *about* once its frame is taken away. A what-is question says what it asks for with
# closed-class words: an interrogative, a copula or verb of meaning ('er', 'betyder', 'dækker over', 'forstås
# ved'), a word naming a term ('begrebet', 'definition', 'forklaring'), pronouns, articles and particles. What
# is left, when it is one run of words not broken by any such word, is the thing asked about, in whatever
# order the question is typed ('begrebet X - hvad dækker det over?', 'X??', 'forklar kort hvad en X er').
_WHAT_FRAME = frozenset("""
    hvad hvadfor er var betyder betyde betod daekker daekke over menes ment forstaas forstaa ved defineres
    definer definere definition definitionen def begreb begrebet begreber term termen udtryk udtrykket ord ordet
    forklar forklare forklaring forklaringen beskriv beskrive beskrivelse kort kortfattet helt simpelt enkelt
    ganske lidt om for noget nogle det der her dem den de en et man jeg du vi mig dig os kan kunne vil ville
    gerne godt lige egentlig egentligt mon bare overhovedet altsaa saa nu please tak hej ok
""".split())
# Interrogatives that ask something other than what a thing is (where, when, who, why, how, which, how much).
_OTHER_QUESTION_RE = re.compile(r"\bhv(?:or\w*|em\w*|ilk\w*|ordan|ornaar)\b")
_WHAT_CUE = frozenset("hvad betyder betyde daekker daekke menes forstaas defineres definition definitionen def "
                      "begreb begrebet forklar forklare forklaring".split())
_FOLDED_STOPWORDS = frozenset(fold(w) for w in STOPWORDS)
_TOKEN_RE = re.compile(r"[\wæøåÆØÅ§-]+|[^\w\s]")
MAX_SUBJECT_WORDS = 3


def asked_thing(question: str) -> set[str]:
    """The terms of the thing a what-is question asks about, read as what is left of it without its frame
    (``_WHAT_FRAME``): one run of at most three words, no figure, no § and no other interrogative; empty when
    the question asks something else or about several things. Only the sentences that ask (end in '?') are
    read when there are any: 'Hvad er X? Er ny i tilsynet' asks about X."""
    sentences = [s for s in re.split(r"(?<=[?!.])\s+", question.strip()) if s.strip()]
    # What follows the question is an aside ('Hvad er X? Er ny her'); what comes before it sets it up ('Min kollega
    # siger, at X. Passer det?'), so then the whole is read.
    first = next((i for i, s in enumerate(sentences) if s.rstrip().endswith("?")), 0)
    asking = sentences[: first + 1] if first == 0 else sentences
    low = fold(" ".join(asking))
    if _OTHER_QUESTION_RE.search(low) or re.search(r"[\d§]", low):
        return set()
    runs: list[list[str]] = [[]]
    cue = framed = relative = False
    before: list[str] = []  # the frame words before the current run
    for token in _TOKEN_RE.findall(low):
        word = token.strip("-")
        if not word or not word[0].isalnum() or word in _WHAT_FRAME or word in _FOLDED_STOPWORDS:
            cue = cue or word in _WHAT_CUE
            framed = framed or bool(word) and word[0].isalnum()
            if runs[-1]:
                runs.append([])
            if word and word[0].isalnum():
                before.append(word)
            continue
        # After a relative 'der'/'som' comes a verb ('hvad er det, der gælder?'), not the thing asked about; after
        # 'det for en' a kind of something said before ('hvad er det for en regel?').
        relative = relative or not runs[-1] and (before[-1:] in (["der"], ["som"]) or before[-2:-1] == ["for"])
        runs[-1].append(word)
    runs = [r for r in runs if r]
    if len(runs) != 1 or len(runs[0]) > MAX_SUBJECT_WORDS or relative:
        return set()
    # Without a word that asks what it means, only a bare noun phrase with a question mark asks about it
    # ('tomgangsleje??'); 'passer det?' asks whether something said before holds, 'X er vigtig.' states.
    if not cue and (framed or not asking[0].rstrip().endswith("?")):
        return set()
    return term_set(" ".join(runs[0]))


def opens_with(sentence: str, subject: set[str]) -> bool:
    """True if the subject stands among a sentence's first three words ('Inklusionsboliger skal ...')."""
    return bool(subject) and bool(match_terms(subject, term_set(" ".join(sentence.split()[:3]))))


# An item of a statute's definitions provision ('I denne lov forstås ved: 1) Prøvebolig: En almen ...'), at the
# start of a sentence or right after the provision's lead-in: the numbered label before the colon is the term
# the item defines.
_DEFINITION_ITEM_RE = re.compile(r"(?:^\s*(?:[-•]\s*)?|:\s*)\d{1,2}\)\s*([^:)]{1,60}):\s*\S")


def defines(sentence: str, subject: set[str]) -> bool:
    """True if a sentence opens with the subject and defines it ('Styringsrapporten er ...'), or is the
    item of a definitions provision that names the subject ('2) Prøvelejer: En boligsøgende, ...')."""
    if _DEFINITION_ITEM_RE.search(sentence):
        return defining_item(sentence, subject)
    return opens_with(sentence, subject) and bool(_DEFINES_RE.search(sentence))


def defining_item(sentence: str, subject: set[str]) -> bool:
    """True if a sentence is (or leads into) the item of a definitions provision that names the subject: the
    act's own definition, which beats any other sentence that says what the term is."""
    item = _DEFINITION_ITEM_RE.search(sentence)
    if item is None or not subject:
        return False
    return bool(match_terms(subject, term_set(item.group(1))))


def is_hedged(sentence: str) -> bool:
    """True if a sentence says somewhere that something is not confirmed (see is_unconfirmed)."""
    return any(r.search(sentence) for r in _UNCONFIRMED_RES)


_ADDITIVE_RE = re.compile(r"\b(?:også|ligeledes|tillige)\b", re.IGNORECASE)


def is_additive(sentence: str) -> bool:
    """True if a sentence adds to a case stated elsewhere ('Kommunen har også ...' in its first four words)."""
    return bool(_ADDITIVE_RE.search(" ".join(sentence.split()[:4])))


def is_anaphoric(sentence: str) -> bool:
    """True if a sentence opens with a word pointing back ('Det', 'Disse', 'Endvidere')."""
    return bool(_ANAPHOR_RE.match(sentence))


def is_crossref(sentence: str) -> bool:
    """True for cross-references ('Se også afsnittet om ...')."""
    return bool(_CROSSREF_RE.match(sentence))


def is_meta(sentence: str) -> bool:
    """True for sentences about the document itself ('Denne vejledning beskriver ...')."""
    return bool(_META_RE.match(sentence))


# 'hvor stor', 'hvor høj', 'hvor tit': the adjective asks for a measure; it is no word the answer shares
# ('Hvor stor er dispositionsfonden?' is not answered by a sentence about 'store familieboliger'). 'Hvor mange'
# stays a term: the scores of how-many questions (figure before the best sentence) are calibrated with it.
_MEASURE_FRAME_RE = re.compile(
    r"\b(hvor)\s+(?:stor[et]?|h(?:ø|oe)j[te]?|lang[te]?|ofte|tit|gammel|gamle|længe|laenge)\b",
    re.IGNORECASE,
)


# Spoken particles that colour a question without naming anything a source could say ('hvad er en
# styringsrapport egentlig?', 'kan vi mon ...', 'hvad gælder nu lige'): no source term answers them.
# The one list of them (folded spelling); demand.core_question drops the same words.
# 'lige' (equal) and 'vist' (shown) are left out: in a source they are content words.
FILLER_WORDS = frozenset("egentlig egentligt mon bare overhovedet monstro nogenlunde altsaa".split())
_PARTICLE_RE = re.compile(r"\b(?:egentlig[t]?|mon|bare|overhovedet|monstro|nogenlunde|altså|altsaa)\b",
                          re.IGNORECASE)


# Words that point at the asker rather than at the matter ('bedt mig om', 'til vores møde'): possessive and
# object pronouns the general stop list keeps.
_PRONOUN_RE = re.compile(r"\b(?:mig|dig|jer|min|mit|mine|din|dit|dine|vores|jeres|selv)\b", re.IGNORECASE)
# English function words in a mixed question ('whats the deal med ...', 'vil gerne være on top of it'): a Danish
# source never shares them. Lower case only, so an acronym such as 'IT' stays a word.
_ENGLISH_FUNCTION_RE = re.compile(
    r"\b(?:the|an|of|on|in|it|is|are|was|what|whats|how|who|why|when|where|which|to|with|about|this|that|my|"
    r"me|you|your|we|our|us|do|does|did|any|some|and|or|but|if|just|please|pls|thanks|anyone|there)\b")
# A preamble that ends in a colon before the question itself ('Min chef har bedt mig om en kort forklaring: hvad
# betyder ...?'): the question is what follows the colon.
_PREAMBLE_RE = re.compile(
    r"^[^:?]{8,}:\s*(?=(?:hvad|hvem|hvor|hvordan|hvornår|hvornaar|hvilke[nt]?|hvorfor|kan|skal|må|maa|er|gælder|"
    r"gaelder|har|findes)\b)", re.IGNORECASE)


# A remark in parentheses after the question's last question mark is about the asker, not the question: '... ??
# (ny i afd., undskyld stavningen)'. A parenthesis inside the question ('(i procent af ...)?') stays.
_SIGN_OFF_RE = re.compile(r"(?<=\?)\s*\([^()?]*\)[\s.!]*$")


def drop_asides(question: str) -> str:
    """The question without the words around what it asks: spoken particles (``FILLER_WORDS``), pronouns that
    point at the asker, English function words and a preamble before a colon. The scope check and the
    composer both read a question's terms from this."""
    text = _SIGN_OFF_RE.sub("", question.strip())
    preamble = _PREAMBLE_RE.match(text)
    if preamble and not re.search(r"[\d§]|(?<=\s)[A-ZÆØÅ]", preamble.group(0)):  # no provision, figure or name
        text = text[preamble.end():]
    return _PARTICLE_RE.sub(" ", _ENGLISH_FUNCTION_RE.sub(" ", _PRONOUN_RE.sub(" ", text)))


def without_measure_frame(question: str) -> str:
    """The question without the adjective of a 'hvor stor/mange/...' frame (see ``_MEASURE_FRAME_RE``) and
    without its asides (``drop_asides``): the words left are what a source must speak of."""
    return drop_asides(_MEASURE_FRAME_RE.sub(r"\1", question))


def mentions_time(sentence: str) -> bool:
    """True if a sentence names a year, month, deadline or frequency."""
    return bool(_TIME_RE.search(sentence))


# A number that names a thing rather than counting it: 'afd. 3', 'punkt 4', 'aftale 5', 'bilag 1', 'konto 129'.
_DESIGNATOR_RE = re.compile(r"\b(?:afd|afdeling|punkt|pkt|aftale|bilag|side|s|konto)\.?\s*\d+\b", re.IGNORECASE)


def mentions_figure(sentence: str) -> bool:
    """True if a sentence gives an amount, a count or a share: a number that is not just a year, a date, a
    provision, a bill ('L 23') or a designator ('afd. 3'), or a word such as 'halvdelen', 'hver fjerde', 'ingen'."""
    plain = _DATE_OR_YEAR_RE.sub(" ", _DESIGNATOR_RE.sub(" ", _LEGAL_NUMBERS_RE.sub(" ", _BILL_RE.sub(" ", sentence))))
    return bool(re.search(r"\d", plain) or _QUANTITY_WORDS_RE.search(plain))


def mentions_date(sentence: str) -> bool:
    """True if a sentence names a date or a year ('1. juli', '16/3/2026', '2027')."""
    return bool(_DATE_OR_YEAR_RE.search(_LEGAL_NUMBERS_RE.sub(" ", sentence)))


def mentions_quantity(sentence: str) -> bool:
    """True if a sentence gives a number or a share (the numbers of a '§ 54, stk. 2' are no quantity)."""
    return bool(_QUANTITY_RE.search(_DESIGNATOR_RE.sub(" ", _LEGAL_NUMBERS_RE.sub(" ", sentence))))


# A bound asked for ('hvor meget skal ... mindst', 'hvad er loftet') and a bound stated ('højst 25 pct.', 'indtil
# hver fjerde', 'må ikke overstige'). A figure that is no bound (an average, a year's result) does not answer
# a question about the least or most the rules allow.
_ASKS_BOUND_RE = re.compile(r"\b(?:mindst|hoejst|maksim\w*|minim\w*|max|loft\w*|oevre|nedre|graense\w*)\b")
_STATES_BOUND_RE = re.compile(
    r"\b(?:mindst|højst|maksim\w*|minim\w*|op til|indtil|op mod|loft\w*|grænse\w*|senest|tidligst|"
    r"ikke (?:\w+ )?(?:overstige|overskride|under|over|mere end|mindre end|færre end|flere end)|"
    r"mere end|mindre end|under|over|fra og med|til og med)\b", re.IGNORECASE)


def asks_bound(question: str) -> bool:
    """True if a question asks for the least or most the rules allow ('skal mindst', 'højst', 'loftet')."""
    return bool(_ASKS_BOUND_RE.search(fold(question)))  # folded: 'hoejst' is 'højst'


def states_bound(sentence: str) -> bool:
    """True if a sentence states a lower or upper limit ('højst', 'indtil', 'må ikke overstige', 'senest')."""
    return bool(_STATES_BOUND_RE.search(sentence))


# An example from one place's practice: a named municipality or organisation as the subject, and a past year
# ('Nordby Kommune henførte i 2015 aftalen til § 59, stk. 2', 'Boligselskabet X havde i 2009-2013 ...').
# Guidance quotes such cases to illustrate a rule; they should not answer a question about the rule itself.
_PRACTICE_SUBJECT_RE = re.compile(
    r"^((?:[A-ZÆØÅ][\wæøå-]+\s){1,3})(?:Kommune|Boligselskab\w*|Boligforening\w*|Boligorganisation\w*)\b"
    r"|^(?:Boligselskab\w*|Boligforening\w*|Boligorganisation\w*)\s+((?:[A-ZÆØÅ][\wæøå-]+\s?){1,3})"
    r"|^(?:I\s+)?(?:[Ss]agen|[Ee]n sag|[Ee]t eksempel|[Ee]ksemplet)\s+fra\s+((?:[A-ZÆØÅ][\wæøå-]+\s?){1,3})"
    r"|^((?:Et\s+)?(?:konkret\s+)?[Ee]ksempel)\b")
_PAST_YEAR_RE = re.compile(r"\b(?:i|fra|frem til|indtil|siden)\s+(?:19|20)\d\d\b", re.IGNORECASE)


# A sentence that says where rules stand rather than what they say: 'Kommunens hjemler står i almenboliglovens
# kapitel 13: ...', 'Driftsbekendtgørelsens § 119 opregner de tolv slags dispositioner ...', 'Kapitel 21 indeholder
# reglerne om tilsyn'. It answers 'hvor står reglerne om ...', not a question about what the rules require.
_POINTER_RE = re.compile(
    r"\b(?:står|findes|fremgår)\s+(?:i|af)\s+(?:\w+\s){0,2}(?:kapitel|kap\.|§)"
    r"|^(?=(?:\S+\s+){0,3}(?:kapitel|kap\.|§))(?:\S+\s+){0,12}?"
    r"(?:opregner|indeholder\s+(?:reglerne|bestemmelserne)|handler\s+om|regulerer)\b",
    re.IGNORECASE,
)
_ASKS_WHERE_RE = re.compile(
    r"\bhvor\s+(?:står|staar|findes|er)\s+(?:reglerne|regler|bestemmelse\w*|det)\b|\bhvor\s+i\s+(?:loven|bekendtgørelsen)"
    r"|\bhvilk\w+\s+(?:paragraf\w*|bestemmelse\w*|§|kapitl\w*|kapitel)\b",
    re.IGNORECASE,
)


# What is usual rather than what the rules say: 'Årsberetningen omtaler typisk ...', 'Flere kommuner nævner ...'.
_USUAL_RE = re.compile(
    r"\b(?:typisk|typiske|oftest|normalt|som regel|i praksis|sædvanligvis|(?:flere|mange|nogle|de fleste) kommuner)\b",
    re.IGNORECASE,
)


def describes_practice(text: str) -> bool:
    """True if a text speaks of what is usual ('typisk', 'som regel', 'flere kommuner ...')."""
    return bool(_USUAL_RE.search(text))


def points_to_rules(sentence: str) -> bool:
    """True if a sentence says where rules stand (a chapter or § 'opregner', 'står i kapitel ...')."""
    return bool(_POINTER_RE.search(sentence))


def asks_where(question: str) -> bool:
    """True if a question asks where a rule stands ('Hvor står reglerne om ...', 'hvilken paragraf ...')."""
    return bool(_ASKS_WHERE_RE.search(question))


# A named place that reports or chooses ('X Kommune beskriver, at ...', '... har valgt at ...'): its own account or
# practice, not the rule, even when no year is given.
_REPORTING_VERB_RE = re.compile(
    r"^\s*(?:beskriver|skriver|oplyser|anbefaler|fremhæver|nævner|forklarer|har\s+valgt|vælger|valgte|praktiserer)\b")


def practice_example(sentence: str) -> str:
    """The name whose practice the sentence reports ('' when it states no such example)."""
    m = _PRACTICE_SUBJECT_RE.match(sentence.strip())
    if m is None or not (_PAST_YEAR_RE.search(sentence) or _REPORTING_VERB_RE.match(sentence.strip()[m.end():])):
        return ""
    return next((g for g in m.groups() if g), "").strip()
