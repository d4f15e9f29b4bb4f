"""Turning lines of plain text (PDF pages, .txt files) into paragraph, table and heading blocks."""

from __future__ import annotations

import re

from ingest.legal_markers import is_legal_heading_line
from knowledge.types import Block

# Lines that always start a new block besides the legal headings ("§ 12 a.", "§ 4", "§§ 7-8.",
# "Stk. 2-5.", "Kapitel 3", "Afsnit II"): items "1)", "a)", "Nr. 1", bullets.
_STRUCTURAL_RE = re.compile(r"^(?:(?:Nr\.\s*)?\d+\)\s|[a-zæøå]\)\s|Nr\.\s*\d+\.?\s|[-•*▪–]\s)")
_CHAPTER_HEADING_RE = re.compile(r"^(?:(?i:kapitel)\s+\d+(?:\s?[a-h])?|Afsnit\s+[IVXLC]+)\.?$")
_NUMBERED_HEADING_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([A-ZÆØÅ][^\n]*)$")
# "Punkt 3. Udlejning" in minutes, "Bilag 2. Nøgletal"
_NAMED_HEADING_RE = re.compile(r"^(?:Punkt|Pkt\.|Bilag|Afsnit)\s+\d{1,2}[.:]?\s+[A-ZÆØÅ]")
TOC_RUN = 3  # this many headings in a row with nothing between them are a list (contents, agenda)
# a figure in a row: '1.234', '-5', '(842)', '12,5%', and '412-' (an accountant's trailing minus)
_NUMBER_TOKEN_RE = re.compile(r"(?<![\w])[-+(]?\d[\d.,]*(?:%|[-−])?\)?(?![\w])")
_TERMINAL = (".", ":", ";", ",", "!", "?")
# Units printed next to figures in tables; they do not count as words when judging a row.
_UNITS = frozenset({"kr.", "kr", "t.kr.", "tkr.", "mio.", "mia.", "%", "pct.", "pr.", "m²", "m2", "‰", "-", "–"})
_CONTINUES_WORDS = frozenset({"og", "eller", "samt", "til", "som", "end"})
# Small words that join the parts of a Danish sentence; a table row seldom holds two of them, a wrapped line of a
# sentence with figures ('udgang 3,42 mio. kr. mod 3,55 mio. kr. sidste år, og arbejdskapitalen var ...') does.
_SENTENCE_WORDS = frozenset({"og", "mod", "var", "er", "blev", "fra", "til", "men", "mens", "som", "at", "der", "har",
                             "faldt", "steg", "udgjorde", "sidste"})


def is_structural_start(line: str) -> bool:
    """True if the line opens a legal unit, an item or a bullet and so never continues a paragraph."""
    text = line.strip()
    return is_legal_heading_line(text) or bool(_STRUCTURAL_RE.match(text))


def heading_level(line: str) -> int:
    """Heading level (1-4) of a short heading-like line ('Kapitel 2', '1. Indledning', 'ØKONOMI'), else 0."""
    text = line.strip()
    if not text or len(text) > 80 or text.endswith(_TERMINAL):
        return 0
    if _CHAPTER_HEADING_RE.match(text):
        return 1
    if _NAMED_HEADING_RE.match(text) and len(text.split()) <= 12:
        return 1
    m = _NUMBERED_HEADING_RE.match(text)
    if m and len(m.group(2).split()) <= 10 and not _NUMBER_TOKEN_RE.search(m.group(2)):
        return min(m.group(1).count(".") + 1, 4) if not m.group(1).endswith(".") else 1
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters) and len(text.split()) <= 8:
        return 1
    return 0


def is_table_line(line: str) -> bool:
    """True for a line that looks like a table row: column gaps, tabs, pipes or mostly figures."""
    text = line.strip()
    if not text:
        return False
    if "\t" in text or " | " in text or len(re.findall(r"\S {2,}\S", text)) >= 2:
        return True
    if re.search(r"§|\b(?:stk|jf|nr|pkt)\.", text, re.IGNORECASE) or len(text) > 120:
        return False
    tokens = [t for t in text.split() if t.lower() not in _UNITS]
    if not tokens or (tokens[-1].endswith(_TERMINAL) and text.split()[-1].lower() not in _UNITS):
        return False
    if sum(1 for t in tokens if t.strip(",.;:") in _SENTENCE_WORDS) >= 2:
        return False  # a line of running text with figures in it
    numbers = [t for t in tokens if _NUMBER_TOKEN_RE.fullmatch(t)]
    return len(numbers) >= 2 and len(numbers) / len(tokens) >= 0.3


def table_row(line: str) -> str:
    """Normalise a table-like line: column gaps and tabs become ' | '."""
    cells = [c.strip() for c in re.split(r"\t+| {2,}| \| ", line.strip()) if c.strip()]
    return " | ".join(cells)


def join_wrapped(previous: str, line: str) -> str:
    """Join a soft-wrapped continuation line to the text before it, undoing hyphenation."""
    if not previous:
        return line
    m = re.search(r"([a-zæøå])-$", previous)
    if m and line[:1].islower():
        first = line.split(" ", 1)[0].strip(",.;:")
        if first not in _CONTINUES_WORDS:
            return previous[:-1] + line
    return previous + " " + line


def lines_to_blocks(lines: list[str], page: int | None = None, *, detect_headings: bool = True) -> list[Block]:
    """Group lines into blocks: soft-wrapped lines are joined, table-like runs keep their rows.

    An empty line always ends a block. A line shorter than ~70% of the text width ends a
    paragraph (the last line of a wrapped paragraph is short). Lines longer than 120 characters
    are taken as unwrapped paragraphs and never joined.
    """
    stripped = [re.sub(r"[ \u00a0]+$", "", ln.replace("\u00a0", " ")) for ln in lines]
    lengths = sorted(len(s.strip()) for s in stripped if s.strip())
    # The text width: the second-longest line (tables and headings make percentiles too low).
    typical = (lengths[-2] if len(lengths) >= 5 else lengths[-1]) if lengths else 0
    wrapped = 40 <= typical <= 120  # hard-wrapped text; narrower text is taken line by line
    flags = [is_table_line(s) and not is_structural_start(s) for s in stripped]
    # A table needs at least two table-like rows in a row; a lone figure-rich line is prose.
    in_table = [
        f and ((i > 0 and flags[i - 1]) or (i + 1 < len(flags) and flags[i + 1])) for i, f in enumerate(flags)
    ]
    blocks: list[Block] = []
    para = ""
    table: list[str] = []
    prev_short = True

    def flush_para() -> None:
        nonlocal para
        if para.strip():
            blocks.append(Block(para.strip(), "paragraph", 0, page))
        para = ""

    def flush_table() -> None:
        nonlocal table
        if table:
            blocks.append(Block("\n".join(table_row(r) for r in table), "table", 0, page))
        table = []

    for raw, tabular in zip(stripped, in_table):
        line = raw.strip()
        if not line:
            flush_para()
            flush_table()
            prev_short = True
            continue
        if tabular:
            flush_para()
            table.append(raw)
            prev_short = True
            continue
        flush_table()
        line = re.sub(r"\s+", " ", line)
        level = heading_level(line) if detect_headings else 0
        if level and (prev_short or not para or para.endswith((".", ":", "!", "?"))) and (not wrapped or len(line) < 0.7 * typical or _CHAPTER_HEADING_RE.match(line)):
            flush_para()
            blocks.append(Block(line, "heading", level, page))
            prev_short = True
            continue
        if not para or prev_short or not wrapped or is_structural_start(line):
            flush_para()
            para = line
        else:
            para = join_wrapped(para, line)
        prev_short = len(line) < 0.7 * typical
    flush_para()
    flush_table()
    return _lists_from_heading_runs(blocks)


def _heading_style(block: Block) -> str:
    if block.kind != "heading" or _CHAPTER_HEADING_RE.match(block.text):
        return ""
    if _NUMBERED_HEADING_RE.match(block.text):
        return f"numbered{block.level}"  # '1. Indledning' > '1.1 Baggrund' > '1.1.1 Formål' is not a list
    return "named" if _NAMED_HEADING_RE.match(block.text) else "caps"


def _lists_from_heading_runs(blocks: list[Block]) -> list[Block]:
    """Turn runs of headings with no text between them (a table of contents, an agenda) into a list."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        j = i
        style = _heading_style(blocks[i])
        while j < len(blocks) and style and _heading_style(blocks[j]) == style:
            j += 1
        if j - i >= TOC_RUN:
            out.append(Block("\n".join(b.text for b in blocks[i:j]), "paragraph", 0, blocks[i].page))
            i = j
        else:
            out.append(blocks[i])
            i += 1
    return out
