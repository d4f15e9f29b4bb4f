"""Where a Danish statute's units begin: "§ 12 a.", "§§ 7-8.", "Stk. 2.", "1)", "a)", "Kapitel 5 a", "Afsnit II".

One home for these line rules: the text loaders use them to keep a unit's first line apart from
the paragraph before it, the legal-structure parser to build §/stk./nr. units. Consolidated texts
(lovbekendtgørelser) add what original acts lack: placeholders for repealed or omitted units
("(Ophævet)", "Stk. 2-5. (Udelades)"), the amending acts' ikrafttrædelse sections at the end
("Lov nr. 310 af 14. marts 2025 ... indeholder følgende ikrafttrædelsesbestemmelse:") and notes.
"""

from __future__ import annotations

import re

_NUM = r"(\d+)(?:\s?([a-zæøå])(?![\wæøå]))?"  # '12', '12 a', '12a'
# "§ 12 a. Text" or a centred heading "§ 4" alone on its line (amending acts' sections).
PARA_RE = re.compile(r"^§\s*" + _NUM + r"(?:\.(?:\s+(.*))?|\s*)$")
# "§§ 7-8. (Ophævet)", "§§ 96 k-o. (Ophævet)", "§§ 145-146 a. (Ophævet)"
PARA_RANGE_RE = re.compile(
    r"^§§\s*" + _NUM + r"\s*[-–]\s*(\d+)?\s?([a-zæøå])?\.(?:\s+(.*))?$"
)
# "Stk. 2. Text", "Stk. 2-5. (Udelades)"
STK_RE = re.compile(r"^Stk\.\s*(\d+)(?:\s*[-–]\s*(\d+))?\.(?:\s+(.*))?$")
CHAPTER_RE = re.compile(r"^(?i:kapitel)\s+(\d+(?:\s?[a-h](?![\wæøå]))?)\.?(?:\s+(.*))?$")
# "Afsnit II", "Afsnit 2. Tilsyn" (a part above the chapters); case-sensitive: "afsnit" is a common word.
PART_RE = re.compile(r"^Afsnit\s+([IVXLC]+|\d+)\.?(?:\s+([A-ZÆØÅ].*))?$")
ITEM_RE = re.compile(r"^(?:Nr\.\s*)?(\d+)\)\s+(.*)$|^Nr\.\s*(\d+)\.?\s+(.*)$")
LITRA_RE = re.compile(r"^([a-zæøå])\)\s+(.*)$")
# A unit that holds only a placeholder: "(Ophævet)", "(Udelades)", "(Udgået)".
PLACEHOLDER_RE = re.compile(r"^\((Ophævet|Udelades|Udgået)\)\.?$", re.IGNORECASE)
# "Lov nr. 310 af 14. marts 2025 (...) indeholder følgende ikrafttrædelses- og overgangsbestemmelser:"
AMENDMENT_INTRO_RE = re.compile(r"\bindeholder\s+følgende\s+(?:ikrafttrædelses|overgangs)", re.IGNORECASE)
NOTES_HEADING_RE = re.compile(r"^(?:Officielle noter|Noter|Fodnoter)\s*:?$", re.IGNORECASE)
# A footnote reference glued to the word before it: "m.v.1)", "ministeren2)".
FOOTNOTE_REF_RE = re.compile(r"(?<=[A-Za-zÆØÅæøå.])\d{1,2}\)(?=[\s,.;:]|$)")

# Inline markers in text copied from a web page ("... 5 pct. Stk. 3. Et garantibevis ..."):
# a stk. after a sentence end, an item or litra after a space.
INLINE_STK_RE = re.compile(r"(?<=[.:;!?)])\s+(Stk\.\s*(\d+)(?:\s*[-–]\s*(\d+))?\.(?=\s|$))")
INLINE_ITEM_RE = re.compile(r"(?<=\s)(\d{1,2})\)\s(?=\S)")
INLINE_LITRA_RE = re.compile(r"(?<=\s)([a-zæøå])\)\s(?=\S)")


def is_legal_heading_line(line: str) -> bool:
    """True for a line that opens a legal unit or heading ("§ 4", "§§ 7-8.", "Stk. 2-5.", "Afsnit II")."""
    text = line.strip()
    return bool(PARA_RE.match(text) or PARA_RANGE_RE.match(text) or STK_RE.match(text)
                or CHAPTER_RE.match(text) or PART_RE.match(text))


def strip_footnote_refs(text: str) -> str:
    """'Bekendtgørelse af lov om prøveboliger m.v.1)' -> '... m.v.' (titles carry note markers)."""
    return FOOTNOTE_REF_RE.sub("", text).strip()
