"""Danish text normalisation for lexical matching: tokens, diacritic folding, stemming."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TOKEN_RE = re.compile(r"§|[0-9]+(?:[.,][0-9]+)*|[a-zæøåäöüé]+", re.IGNORECASE)
# Danish letters written without diacritics (henlaeggelser) are folded to the same form
# as the real letters, so both spellings meet in the index.
_FOLD = [("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("ä", "ae"), ("ö", "oe"), ("ü", "u"), ("é", "e")]

STOPWORDS = frozenset(
    """og i at er det en den til på af for med som de har ikke der kan om et skal
    eller efter ved fra men også så sig hvis hvad hvem hvor hvordan hvornår hvilke hvilken
    hvilket være været blev bliver vil nu kun jf dette disse denne dem deres sin sine sit
    man vi du jeg hun han os jo mv m.v her når end mere meget nogle noget alle enhver
    hver anden andre samt bl.a fx f.eks dvs""".split()
)


def _fold_all(words: frozenset[str]) -> frozenset[str]:
    out = set()
    for w in words:
        for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
            w = w.replace(a, b)
        out.add(w)
    return frozenset(out - words)


_FOLDED_STOPWORDS = _fold_all(STOPWORDS)


def fold(text: str) -> str:
    """Lower-case and fold Danish letters to ASCII digraphs (æ->ae, ø->oe, å->aa)."""
    text = unicodedata.normalize("NFC", text.lower())
    for a, b in _FOLD:
        text = text.replace(a, b)
    return text


def tokenize(text: str) -> list[str]:
    """Lower-cased word, number and § tokens in reading order."""
    return [t.lower() for t in _TOKEN_RE.findall(text)]


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("danish")


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Danish Snowball stem of one token, folded so that 'henlæggelser' == 'henlaeggelser'."""
    low = token.lower()
    if not low.isalpha():
        return low
    # Stem the real-letter form: unfold digraphs first so both spellings stem alike.
    real = low.replace("ae", "æ").replace("oe", "ø").replace("aa", "å") if not re.search("[æøå]", low) else low
    return fold(_stemmer().stemWord(real))


def content_terms(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Stemmed, folded terms of a text (stop words removed unless asked), for BM25 and overlap checks. A stop
    word typed without æ/ø/å ('hvornaar', 'maa', 'naar') is a stop word too."""
    out = []
    for tok in tokenize(text):
        if not keep_stopwords and (tok in STOPWORDS or tok in _FOLDED_STOPWORDS):
            continue
        out.append(stem(tok))
    return out


_HTML_START_RE = re.compile(r"<(?=[A-Za-z/!?])")


def without_raw_html(markdown: str) -> str:
    """Markdown in which no text can act as HTML: every '<' that would open a tag, a comment or a processing
    instruction becomes '&lt;' (shown as '<' by any renderer). Notes and reports quote documents, and a
    document can hold '<script>' or '<img onerror=...>' that a Markdown viewer would otherwise pass through."""
    return _HTML_START_RE.sub("&lt;", markdown)
