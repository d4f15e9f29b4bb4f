"""Repairing the text layer of a scanned letter: the slips text recognition makes, undone where a lexicon says so.

A scanned page's text layer has hard line breaks, words hyphenated at the line end ('organisa-' / 'tionen') and
misread letters: 'rn' for 'm' ('kornrnunen'), the digit 0 for the letter O ('0rganisationen'), the digit 1 for the
letter l ('a1le'), a capital I for l ('udIejning') and, inside figures and dates, the letters l/I/O for the digits 1/0 ('3l. august', '2O27').

Every repair is checked against a lexicon: the built-in corpus vocabulary (``knowledge/corpus``) plus the words the
document itself spells correctly elsewhere, compared by their Danish stem. A word is changed only when it is
unknown as written and the repaired form is known; a hyphen at a line end is removed only when the joined word is
known ('bolig- og erhvervslejemål' keeps its hyphen). Letters read as digits are only repaired inside a token that is
mostly digits (a figure, a day, a year), never in a word.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from pathlib import Path

from knowledge.text import stem
from knowledge.types import LoadedDocument

_CORPUS = Path(__file__).resolve().parent.parent / "knowledge" / "corpus"
# words every Danish letter uses that a small corpus may lack: the calendar
_CALENDAR = ("januar februar marts april maj juni juli august september oktober november december mandag tirsdag "
             "onsdag torsdag fredag lørdag søndag").split()
_WORD_RE = re.compile(r"[0-9A-Za-zÆØÅæøåÉéÜü]+")
_LETTERS = "A-Za-zÆØÅæøåÉéÜü"
# a line-end hyphen between two parts of a word ('organisa-\ntionen', or the break already turned into a space)
_HYPHEN_RE = re.compile(rf"(?<![{_LETTERS}-])([{_LETTERS}]{{2,}})-[ \t]*\n[ \t]*([a-zæøåéü]{{2,}})(?![{_LETTERS}])")
_MAX_RN = 4  # 'rn' pairs tried per word (2**4 forms at most)
_NUMBER_LETTERS = {"l": "1", "I": "1", "O": "0", "o": "0"}


@lru_cache(maxsize=1)
def corpus_vocabulary() -> frozenset[str]:
    """Lower-cased words of the built-in corpus and the calendar: the reference lexicon."""
    words: set[str] = set(_CALENDAR)
    if _CORPUS.is_dir():
        for path in sorted(_CORPUS.glob("*.md")):
            words.update(w.lower() for w in _WORD_RE.findall(path.read_text(encoding="utf-8")) if w.isalpha())
    return frozenset(words)


@lru_cache(maxsize=1)
def _corpus_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in corpus_vocabulary())


class Lexicon:
    """The reference lexicon plus a document's own words (those it spells without a suspicious slip)."""

    def __init__(self, document_words: set[str] | None = None) -> None:
        own = {w.lower() for w in document_words or set() if w.isalpha() and not _suspicious(w)}
        self.words = corpus_vocabulary() | own
        self.stems = _corpus_stems() | {stem(w) for w in own}

    def knows(self, word: str) -> bool:
        low = word.lower()
        return low in self.words or (len(low) >= 4 and stem(low) in self.stems)

    def reference_knows(self, word: str) -> bool:
        """Known to the built-in lexicon (a document's own misreadings cannot vouch for themselves)."""
        low = word.lower()
        return low in corpus_vocabulary() or (len(low) >= 4 and stem(low) in _corpus_stems())


def _suspicious(word: str) -> bool:
    return ("rn" in word.lower() or (any(c.isdigit() for c in word) and any(c.isalpha() for c in word))
            or _capital_i_for_l(word))


def _capital_i_for_l(word: str) -> bool:
    """A capital I among lower-case letters ('udIejning', 'Iedige'): the letter l misread."""
    return "I" in word[1:] and word[1:].replace("I", "").islower() or (word[:1] == "I" and word[1:].islower()
                                                                        and len(word) > 2)


def _cased(word: str, at_sentence_start: bool) -> str:
    return word[:1].upper() + word[1:] if at_sentence_start else word


def repair_word(word: str, lexicon: Lexicon, *, sentence_start: bool = False) -> str:
    """One token repaired, or as it was (see the module docstring)."""
    if not _suspicious(word) or lexicon.reference_knows(word):
        return word
    digits = sum(c.isdigit() for c in word)
    letters = [c for c in word if c.isalpha()]
    if digits >= len(letters) and all(c in _NUMBER_LETTERS for c in letters) and len(word) >= 2:
        return "".join(_NUMBER_LETTERS.get(c, c) for c in word)  # '3l' -> '31', '2O27' -> '2027'
    if any(c.isdigit() and c not in "01" for c in word):
        return word  # another digit in a word ('B52', '3a') is no slip of 0/1
    for candidate in _candidates(word):
        if candidate != word and lexicon.knows(candidate):
            if word[:1] in ("0", "I"):  # the misread letter opened the word: its case is the place's
                return _cased(candidate, sentence_start or word[1:2].isupper())
            return candidate
    return word


def _candidates(word: str) -> list[str]:
    """Forms of a word with its 0/1 read as o/l and any of its 'rn' pairs read as 'm'."""
    base = re.sub(r"0", "o", word) if "0" in word else word
    base = re.sub(r"(?<=[" + _LETTERS + r"])1|1(?=[" + _LETTERS + r"])", "l", base)
    if _capital_i_for_l(base):
        base = base[:1].replace("I", "l") + base[1:].replace("I", "l")
    if any(c.isdigit() for c in base):
        return []
    spots = [m.start() for m in re.finditer("rn", base)][:_MAX_RN]
    out = [base]
    for n in range(1, len(spots) + 1):
        for chosen in itertools.combinations(spots, n):
            form = base
            for shift, at in enumerate(chosen):
                form = form[:at - shift] + "m" + form[at - shift + 2:]
            out.append(form)
    return sorted(out, key=lambda f: (-(len(base) - len(f)), f)) if len(out) > 1 else out


def _dehyphenate(text: str, lexicon: Lexicon) -> str:
    def join(m: re.Match[str]) -> str:
        joined = m.group(1) + m.group(2)
        return joined if lexicon.knows(joined) else m.group(0)

    return _HYPHEN_RE.sub(join, text)


def repair_text(text: str, lexicon: Lexicon) -> str:
    """A text with its line-end hyphens joined and its misread words repaired, where the lexicon knows the result."""
    text = _dehyphenate(text, lexicon)

    def fix(m: re.Match[str]) -> str:
        before = text[:m.start()].rstrip(" \t")
        start = not before or before[-1] in "!?:\n" or (before[-1] == "." and not before[-2:-1].isdigit())
        return repair_word(m.group(0), lexicon, sentence_start=start)

    return _WORD_RE.sub(fix, text)


def repair_document(doc: LoadedDocument) -> int:
    """Repair a loaded document's blocks in place; returns how many blocks changed."""
    words = {w for b in doc.blocks for w in _WORD_RE.findall(b.text)}
    if not any(_suspicious(w) for w in words) and not any("-\n" in b.text for b in doc.blocks):
        return 0
    lexicon = Lexicon(words)
    changed = 0
    for block in doc.blocks:
        new = repair_text(block.text, lexicon)
        if new != block.text:
            block.text = new
            changed += 1
    return changed
