"""A styringsrapport as lines (headings, paragraphs, table rows) and the passages of the organisation's own words.

A PDF's text layer often loses the heading marks of short lines ('Afd. 3 Vesterbo', 'Vedligeholdelse');
``section_line`` recognises them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import fold
from knowledge.types import LoadedDocument
from service.review.labels import find_labels
from service.review.model import Passage

_WISHES_RE = re.compile(r"oensk", re.IGNORECASE)
_COMMENTS_RE = re.compile(r"bemaerkning|kommentar|vurdering|organisationens egne", re.IGNORECASE)
# 'Bilag 1. Afdelingernes nøgletal 2025': an appendix starts a part of its own, even when its title lost its heading mark
_APPENDIX_RE = re.compile(r"^(?:Bilag|Appendiks)\s+\d{1,2}\s*[.:]?\s+[A-ZÆØÅ][^.!?]{2,70}$")
# a footnote mark after a figure ('17,9⁴', '3,4 %¹'): not part of the number
_FOOTNOTE_MARK_RE = re.compile(r"(?<=[\d%])[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_WISH_WORDS_RE = re.compile(r"ønsk|aftale|foreslå|gerne|drøfte|anmoder|beder", re.IGNORECASE)


@dataclass
class ReportLine:
    """One line of a report: a heading, a paragraph, or one row of a table, with its page and section."""

    text: str
    page: int | None
    kind: str  # heading, paragraph, table
    section: str


def iter_lines(doc: LoadedDocument) -> list[ReportLine]:
    """The document as lines: table rows one by one, paragraphs whole, headings marked."""
    lines: list[ReportLine] = []
    section = ""
    for block in doc.blocks:
        text = block.text.strip()
        if not text:
            continue
        if block.kind == "heading":
            section = re.sub(r"\s+", " ", text)
            lines.append(ReportLine(section, block.page, "heading", section))
            continue
        kind = "table" if block.kind == "table" else "paragraph"
        if kind == "paragraph":
            text = numbers_in_words(text)
            last = lines[-1] if lines else None
            if last is not None and _continues(last, block.page, text):
                fragment = re.search(r"(?:^|(?<=[.!?])\s+)([A-ZÆØÅ][^.!?]*)$", last.text)
                if block.page != last.page and fragment and not re.search(r"\d", fragment.group(1)):
                    # 'De opsparede henlæggelser' | page break | 'er i gennemsnit 47.200 kr.': the sentence is read
                    # on the page that prints its figures
                    last.text = last.text[:fragment.start()].strip()
                    if not last.text:
                        lines.pop()
                    text = fragment.group(1) + " " + text
                else:  # '... en kraftig stigning fra 6,1 kr. i' | '2024.': read where it began
                    head, _, text = text.partition("\n")
                    last.text = last.text + " " + re.sub(r"\s+", " ", head.strip())
                    if not text.strip():
                        continue
        for part in text.split("\n"):
            part = re.sub(r"[ \t]+" if kind == "table" else r"\s+", " ", _FOOTNOTE_MARK_RE.sub("", part).strip())
            if _APPENDIX_RE.match(part):
                section = part
                lines.append(ReportLine(section, block.page, "heading", section))
            elif part:
                lines.append(ReportLine(part, block.page, kind, section))
    return _split_trailing_heads(lines)


def _split_trailing_heads(lines: list[ReportLine]) -> list[ReportLine]:
    """Each paragraph whose last words are a heading the text layer joined to it, as two lines (after the
    sentences broken over blocks are joined, so a sentence going on in the next block is never cut)."""
    out: list[ReportLine] = []
    for line in lines:
        body, head = _trailing_head(line.text) if line.kind == "paragraph" else (line.text, "")
        out.append(ReportLine(body, line.page, line.kind, line.section) if head else line)
        if head:
            out.append(ReportLine(head, line.page, line.kind, line.section))
    return out


# 'Afd. 3 Vesterbo', 'Afdeling 12 - Lyngen': an afdeling's heading (a number and at most a few capitalised words)
_AFDELING_HEAD_RE = re.compile(r"(?:Afd\.|Afdeling)\s*\d{1,4}\.?(?:\s*[-–:]?\s*[A-ZÆØÅ][\wæøå'-]*){1,4}")


def _trailing_head(text: str) -> tuple[str, str]:
    """(paragraph, heading): a PDF's text layer may join the heading of the next part to the end of a paragraph
    ('... 4.390 kr. pr. lejemålsenhed. Afd. 1 Karlsvognen' where the heading starts the next column). A last
    'sentence' that is only an afdeling's number and name is that heading, not part of the paragraph."""
    m = re.search(r"(?<=[.!?])\s+(" + _AFDELING_HEAD_RE.pattern + r")$", text)
    if m is None:  # '... med familieboliger. Husleje' over '1.012 kr./m²': the label of a key figure below
        m = re.search(r"(?<=[.!?])\s+([A-ZÆØÅ][\wæøå]*(?:\s+[\wæøå.²]+){0,3})$", text)
        if m is not None and len([x for x in find_labels(m.group(1)) if not x.is_column]) != 1:
            m = None
    if m is None or not text[:m.start()].strip():
        return text, ""
    return text[:m.start()].rstrip(), m.group(1)


_ABBREVIATION_END_RE = re.compile(r"(?:\b(?:kr|t\.kr|mio|mia|pr|ca|jf|inkl|ekskl|bl\.a|m\.v|mv)\.)$", re.IGNORECASE)


def _continues(last: ReportLine, page: int | None, text: str) -> bool:
    """A sentence of running text that the PDF broke into two paragraphs: the first ends mid-sentence (no full
    stop, or only an abbreviation's: '4.210 kr.') and the second starts in lower case ('pr. lejemålsenhed ...') -
    on the same page, or over a page break, where it may also start with a number ('2024.')."""
    if last.kind != "paragraph" or page is None or last.page is None:
        return False
    end = last.text.rstrip()
    open_end = not end.endswith((".", "!", "?", ":", ";")) or bool(_ABBREVIATION_END_RE.search(end))
    if page == last.page:  # a short line is a label or a heading, not a sentence the layout broke
        return (len(end) > 60 and open_end and bool(re.match(r"[a-zæøå]{2,}\.?\s", text))
                and not re.match(r"[a-zæøå]\)", text))
    return page == last.page + 1 and open_end and bool(re.match(r"[a-zæøå0-9]", text)) and len(end.split()) >= 3


_NUMBER_WORDS = {"én": "1", "ét": "1", "to": "2", "tre": "3", "fire": "4", "fem": "5", "seks": "6", "syv": "7",
                 "otte": "8", "ni": "9", "ti": "10", "elleve": "11", "tolv": "12", "tretten": "13", "fjorten": "14",
                 "femten": "15", "seksten": "16", "sytten": "17", "atten": "18", "nitten": "19"}
_TENS = {"tyve": 20, "tredive": 30, "fyrre": 40, "halvtreds": 50, "tres": 60, "halvfjerds": 70, "firs": 80,
         "halvfems": 90}
_UNITS = {"en": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8, "ni": 9}
# the tens and the compounds Danish writes as one word, units first ('fyrre', 'toogtyve' = 22)
_NUMBER_WORDS.update({word: str(value) for word, value in _TENS.items()})
_NUMBER_WORDS.update({f"{unit}og{ten}": str(u + t) for unit, u in _UNITS.items() for ten, t in _TENS.items()})
_WORDS_ALT = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))  # the longest first: 'tretten' before 'tre'
# a number written as a word right before what it counts ('fire afdelinger', 'én ledig bolig', 'fire af de 36
# boliger'); 'en'/'et' are left alone, they are also the article
_NUMBER_WORD_RE = re.compile(r"(?<![\wæøå])(?P<word>" + _WORDS_ALT + r")(?=\s+(?:af\s+(?:de|vores)\s+(?:\d+|"
                             + _WORDS_ALT + r")\s+|[a-zæøå]+\s+)?(?:bolig|afdeling|lejemål|lejlighed))"
                             r"|(?<=\bmod\s)(?P<then>" + _WORDS_ALT + r")(?=\s+(?:året\s+før|sidste\s+år|i\s+fjor))",
                             re.IGNORECASE)
# 'mens der året før var ingen ledige', 'mod ingen sidste år': none last year is a count of 0 to compare with
_NONE_BEFORE_RE = re.compile(r"(?P<pre>\b(?:året\s+før|sidste\s+år|i\s+fjor|mod)\s+(?:var\s+|havde\s+)?(?:der\s+)?)ingen"
                             r"(?=\s+(?:ledige|tomme|uudlejede)\b)", re.IGNORECASE)


# 'faldet fra fem til to boliger': both ends of a change written in words
_FROM_TO_WORDS_RE = re.compile(r"\b(?P<pre>fra\s+)(?P<a>" + _WORDS_ALT + r"|ingen)(?P<mid>\s+til\s+)"
                               r"(?=(?:" + _WORDS_ALT + r"|\d)\b)", re.IGNORECASE)


# 'en halv million kroner', 'halvanden million kr.': a fraction of a million written in words before its unit
_MILLION_WORDS = {"en halv": "0,5", "et halvt": "0,5", "en kvart": "0,25", "halvanden": "1,5", "en": "1", "én": "1"}
_MILLION_WORDS_RE = re.compile(r"(?<![\wæøå])(?P<words>en\s+halv|et\s+halvt|en\s+kvart|halvanden|en|én)\s+"
                               r"(?P<unit>million(?:er)?\s+kr(?:oner|\.)?)", re.IGNORECASE)


def numbers_in_words(text: str) -> str:
    """'Der var én ledig bolig' -> 'Der var 1 ledig bolig', 'ingen ledige' -> '0 ledige' (see _NUMBER_WORD_RE)."""
    text = _MILLION_WORDS_RE.sub(lambda m: _MILLION_WORDS[re.sub(r"\s+", " ", m.group("words").lower())] + " "
                                 + m.group("unit"), text)
    text = _NONE_BEFORE_RE.sub(lambda m: m.group("pre") + "0", text)
    text = _FROM_TO_WORDS_RE.sub(lambda m: m.group("pre") + _NUMBER_WORDS.get(m.group("a").lower(), "0") + m.group("mid"),
                                 text)
    return _NUMBER_WORD_RE.sub(lambda m: _NUMBER_WORDS[(m.group("word") or m.group("then")).lower()], text)


def is_footnote(text: str) -> bool:
    """A footnote under a table ('² Heraf 4 boliger, der ...'): it explains a figure, it states none of its own."""
    return bool(re.match(r"^\s*[¹²³⁴⁵⁶⁷⁸⁹⁰*]+\s*\S", text))


def section_line(text: str) -> bool:
    """A short paragraph line that is really a heading: no full stop, no figure, a capitalised start."""
    text = text.strip()
    if not text or len(text) > 60 or text.endswith((".", ",", ";", ":")) or "|" in text or ":" in text:
        return False
    if re.search(r"\d", text):
        return False
    if re.search(r"\s(?:i|og|at|til|med|af|for|er|som|på|om|en|et|der)$", text) or "(" in text:
        return False  # a line of a paragraph the text layer broke, not a heading
    return text[:1].isupper() and len(text.split()) <= 6


# '2 Tjørnevang Rød', 'Afd. 3 Engly | gul': a short row of a table about the afdelinger (a PDF may lose its cells)
_ROW_OF_AFDELING_RE = re.compile(r"^\s*(?:afd(?:\.|eling)?\s*)?\d{1,4}\.?\s+[A-ZÆØÅ][\wæøå-]+(?:\s+[\wæøå-]+){1,3}\s*$",
                                 re.IGNORECASE)


def passages(lines: list[ReportLine]) -> tuple[list[Passage], list[Passage], list[Passage]]:
    """(comments, wishes, every paragraph): the organisation's own words, for the follow-up and the note."""
    comments: list[Passage] = []
    wishes: list[Passage] = []
    everything: list[Passage] = []
    for line in lines:
        # a short line is a label or a page number; a short table row ('Lindely | Rød') states something
        row = _ROW_OF_AFDELING_RE.match(line.text) is not None  # a text layer may even take it for a heading
        if (line.kind == "heading" and not row) or (
                len(line.text) < 25 and not (line.kind == "table" and "|" in line.text) and not row):
            continue
        passage = Passage(line.text, line.page, line.section)
        everything.append(passage)
        section = fold(line.section)
        if _WISHES_RE.search(section):
            if _WISH_WORDS_RE.search(line.text):
                wishes.append(passage)
        elif _COMMENTS_RE.search(section):
            comments.append(passage)
    if not wishes:
        wishes = [p for p in everything if re.search(r"\bønsker\b", p.text, re.IGNORECASE)
                  and re.search(r"aftale|kommunen", p.text, re.IGNORECASE)]
    return comments, wishes, everything
