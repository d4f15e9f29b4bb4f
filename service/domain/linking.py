"""Tying a status statement to the agreement it is about: by the agreement's number, else by shared words.

Both the register (a later referat: 'Aftale 3 er i gang: ...') and the review (this year's report on
last year's agreements) ask the same question of a statement, and answer it here:

* by number: the statement names 'aftale N' (``mentions_agreement``); a statement that names other
  agreements' numbers only is about those (``agreement_numbers``);
* by words: the share of the agreement's content words that the statement repeats (``link_score``).
  Enough is at least three shared words and a third of the agreement's words, or two and half of them.
  Dates, month names, generic words of the field ('kommunen', 'aftale', 'afdeling') and the names of
  municipalities ('X Kommune') tie nothing; when the agreement names an afdeling by number, the
  statement must name the same one.
"""

from __future__ import annotations

import re
from collections.abc import Set
from functools import lru_cache

from knowledge.text import content_terms, fold
from service.domain.afdelinger import names_afdeling
from service.domain.dates import MONTHS

MIN_SHARED = 3
MIN_SHARE = 0.35
# Two shared words suffice when they are half of the agreement's words.
MIN_SHARED_SHORT = 2
MIN_SHARE_SHORT = 0.5
# Words too general to tie a statement to an agreement.
GENERIC_WORDS = frozenset(fold(w) for w in (
    "kommun", "kommunen", "boligorganisation", "organisation", "organisationen", "aftal", "aftale", "bolig",
    "boliger", "afd", "afdeling", "send", "sender", "senest", "inden", "løbende", "år", "kvartal", "herunder",
    "mere", "hvert", "fortsat", "været", "blandt", "andet", "sammen", "mulighed", "muligheden",
))
_MUNICIPALITY_NAME_RE = re.compile(r"\b([A-ZÆØÅ][\wæøå-]+)\s+[Kk]ommune\b")
_NUMBER_RE = re.compile(r"\baftale\s+(?:nr\.\s*)?(\d{1,2})\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _month_terms() -> frozenset[str]:
    return frozenset(content_terms(" ".join(MONTHS)))


def _municipality_terms(text: str) -> set[str]:
    return set(content_terms(" ".join(_MUNICIPALITY_NAME_RE.findall(text))))


def linking_terms(text: str, drop: Set[str] = frozenset()) -> set[str]:
    """The content words of a text that can tie it to another (see the module docstring)."""
    terms = {t for t in content_terms(text)
             if t.isalpha() and len(t) > 2 and t not in GENERIC_WORDS and t not in _month_terms()}
    return terms - _municipality_terms(text) - set(drop)


def link_score(agreement_text: str, statement_text: str, *, afdeling_nr: int | None = None,
               drop: Set[str] = frozenset()) -> float | None:
    """The share of the agreement's words the statement repeats, or None when that is not enough to tie them.

    ``drop``: words that must not count (the review drops the names of the report's afdelinger, which
    it matches separately)."""
    if afdeling_nr is not None and not names_afdeling(statement_text, afdeling_nr):
        return None
    own = linking_terms(agreement_text, drop)
    if not own:
        return None
    shared = own & linking_terms(statement_text, drop)
    score = len(shared) / len(own)
    enough = (len(shared) >= MIN_SHARED and score >= MIN_SHARE) or (
        len(shared) >= MIN_SHARED_SHORT and score >= MIN_SHARE_SHORT)
    return score if enough else None


def word_similarity(a: str, b: str) -> float:
    """Jaccard similarity of two texts' linking words (0 when either has none): how alike two wordings are."""
    ta, tb = linking_terms(a), linking_terms(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def agreement_numbers(text: str) -> set[int]:
    """The agreement numbers a text names ('aftale 2', 'aftale nr. 3')."""
    return {int(n) for n in _NUMBER_RE.findall(text)}


def mentions_agreement(text: str, number: int) -> bool:
    """True when a text names agreement ``number`` ('Aftale 2 er opfyldt', but not 'aftale 2,5 mio.')."""
    pattern = r"\baftale\s+(?:nr\.\s*)?" + str(number) + r"(?![\d,.]\d)\b"
    return re.search(pattern, text, re.IGNORECASE) is not None


def names_other_agreement(text: str, number: int | None) -> bool:
    """True when a text names agreement numbers and ``number`` is not among them."""
    numbers = agreement_numbers(text)
    return bool(numbers) and number not in numbers
