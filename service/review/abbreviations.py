"""A report's own legend of abbreviations ('Forkortelser: Bol. = antal boliger. Husl. = husleje pr. m².').

Wide tables abbreviate their headers so far that a word may stand for several figures ('Tomg.' for
vacant homes, not the rent lost on them; 'Bol.' for the number of homes, not the type). When the
report explains its abbreviations with '=' (or ':' after 'Forkortelser'), the header is read with
the explanations written in, so the columns are named by the report's own words.
"""

from __future__ import annotations

import re

from service.review.labels import find_labels

# an abbreviation being defined: one or two short words, at least one ending in (or holding) a full stop,
# or a short word in capitals ('Bol. =', 'Ops. henl. =', 'Eff.tal =', 'LME =')
_ABBR = r"(?:[A-ZÆØÅ][\wæøå]{0,9}\.(?:[\wæøå]{1,9}\.?)?(?:\s[\wæøå]{1,9}\.)?|[A-ZÆØÅ]{2,6}|[A-ZÆØÅ][\wæøå]{1,9})"
_DEFINITION_RE = re.compile(r"(?:^|(?<=[\s:(]))(?P<abbr>" + _ABBR + r")\s*=\s*")
_MAX_EXPANSION = 60


def read_legend(texts: list[str]) -> dict[str, str]:
    """Abbreviation -> its explanation, from every legend in a report's lines (several definitions per line)."""
    legend: dict[str, str] = _quoted(texts)
    joined = " ".join(t for t in texts if "=" in t)
    marks = list(_DEFINITION_RE.finditer(joined))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(joined)
        meaning = joined[m.end():end]
        if i + 1 == len(marks):  # the last one ends at the first full stop before a new sentence
            stop = re.search(r"\.\s+(?:[¹²³⁴⁵⁶⁷⁸⁹⁰*]+\s*)?[A-ZÆØÅ]", meaning)  # also before a footnote ('. ¹ Heraf')
            meaning = meaning[:stop.start()] if stop else meaning
        meaning = meaning.strip(" .;,")
        abbr = m.group("abbr").strip()
        if meaning and len(meaning) <= _MAX_EXPANSION and abbr.lower() != meaning.lower() and "=" not in meaning:
            legend.setdefault(abbr, _from_first_figure(meaning))
    return legend


# '"Tomme" er ledige boliger pr. 31. december': a header word explained in quotes in a sentence under the table
_QUOTED_RE = re.compile(r"[\"“„»](?P<abbr>[^\"“”„«»]{1,24})[\"”«]\s+(?:er|betyder|angiver|står\s+for|viser)\s+"
                        r"(?P<meaning>[^.;]{3,80}?)(?=\s*(?:[.;]\s|[.;]?$))")


def _quoted(texts: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for text in texts:
        for m in _QUOTED_RE.finditer(text):
            meaning = re.sub(r"^(?:de|den|det|antal)\s+(?=\w)", "", m.group("meaning").strip())
            out.setdefault(m.group("abbr").strip(), _from_first_figure(meaning))
    return out


def _from_first_figure(meaning: str) -> str:
    """'udgifter til planlagt vedligeholdelse' -> 'vedligeholdelse': the explanation from the key figure it names,
    so words before it are not read as a column of their own."""
    figures = [m for m in find_labels(meaning, columns=True, squashed_words=True) if not m.is_column]
    return meaning[figures[0].start:] if figures else meaning


def expand(text: str, legend: dict[str, str]) -> str:
    """A header with the report's abbreviations written out (case-sensitive, whole tokens, longest first)."""
    if not legend:
        return text
    keys = sorted(legend, key=len, reverse=True)
    pattern = re.compile(r"(?<![\wæøå/.])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\wæøå])")
    return pattern.sub(lambda m: legend[m.group(0)], text)
