"""HTML loader (selectolax/lexbor): main text as heading, paragraph and table blocks."""

from __future__ import annotations

import re
from pathlib import Path

from ingest import budget
from ingest.errors import LoadError
from ingest.loaders.text import decode_text
from ingest.tables import Grid, labelled_text, split_header
from knowledge.types import Block, LoadedDocument

DROP_TAGS = (
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template",
    "svg", "iframe", "button", "select", "textarea", "object", "canvas", "head",
)
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
    "pre", "figure", "figcaption", "address", "hr", "center", "details", "summary", "caption",
    "body", "html", "tr", "td", "th", "tbody", "thead", "fieldset",
})
HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
# Word's HTML (and the 'vis som HTML' export of document systems) writes a heading as a paragraph with the
# style's name as its class: 'MsoTitle', 'MsoHeading2', 'Heading1', Danish 'Overskrift1'.
# (A bare 'Titel' is not one: Retsinformation's statute pages use it for the version line above the title.)
_HEADING_CLASS_RE = re.compile(r"^(?:MsoTitle|(?:Mso)?(?:Heading|Overskrift)(?P<level>[1-6]))$", re.IGNORECASE)
_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset=[\"']?([a-zA-Z0-9_-]+)", re.IGNORECASE)
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                        "track", "wbr", "param", "keygen"})
# Start tags at which an HTML parser looks through its stack of open elements ("has a p in button scope"):
# each costs time in proportion to how deep the page is nested, so nesting them deeply is quadratic.
_SCOPE_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p", "section", "summary",
    "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form", "table", "xmp", "li", "dd", "dt",
})
_LIST_ITEM_TAGS = frozenset({"li", "dd", "dt"})  # these walk the stack twice: about twice the cost
# Start tags that end an open element of the same name (an unclosed <p> or <li> does not nest).
_SELF_ENDING = frozenset({"p", "li", "dd", "dt", "tr", "td", "th", "option"})
# Measured with lexbor: 20,000 nested <div> (a cost of 2e8) parse in ~0.6 s, 40,000 (8e8) in ~2.3 s; 20,000
# nested <ul><li> (2e9) in ~3.3 s, 40,000 in 30 s. Real pages stay orders of magnitude below this.
MAX_NESTING_COST = 5e8


def load_html(path: Path, data: bytes) -> LoadedDocument:
    """Load an HTML page: drops navigation/scripts, keeps headings, paragraphs, list items and tables."""
    from selectolax.lexbor import LexborHTMLParser

    text, warnings = _decode_html(data, path.name)
    check_nesting(text, path.name)
    try:
        tree = LexborHTMLParser(text)
    except Exception as exc:
        raise LoadError(f"HTML-filen '{path.name}' kunne ikke tolkes. Gem siden igen og prøv en gang til.") from exc
    title = _first_text(tree, "title") or _first_text(tree, "h1")
    for tag in DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    root = tree.body or tree.root
    blocks = _blocks(root) if root is not None else []
    if not blocks:
        raise LoadError(
            f"Ingen tekst fundet i HTML-filen '{path.name}'. Kontrollér at det er den rigtige side "
            "(sider, der bygges af JavaScript, skal gemmes som færdig side eller PDF)."
        )
    if not title:
        title = next((b.text for b in blocks if b.kind == "heading"), path.stem)
    return LoadedDocument(path=str(path), title=title, blocks=blocks, fmt="html", warnings=warnings)


def nesting_cost(text: str) -> float:
    """An estimate of the parser's work on the nesting of ``text`` (see MAX_NESTING_COST): the sum, over the
    start tags that make a parser search its open elements, of how many elements are open at that point.

    Counted without building a tree (a tag counter, linear time): an end tag closes only a tag of its name
    that is open, so stray end tags cannot hide depth, and a stray end tag searches the whole stack."""
    depth = 0
    cost = 0.0
    open_counts: dict[str, int] = {}
    for match in _TAG_RE.finditer(text):
        closing, tag, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if tag in _VOID_TAGS or self_closing:
            continue
        if closing:
            if open_counts.get(tag, 0) > 0:
                open_counts[tag] -= 1
                depth -= 1
            else:
                cost += depth
            continue
        if tag in _SELF_ENDING and open_counts.get(tag, 0) > 0:
            open_counts[tag] -= 1
            depth -= 1
        if tag in _SCOPE_TAGS:
            cost += depth * (2 if tag in _LIST_ITEM_TAGS else 1)
        open_counts[tag] = open_counts.get(tag, 0) + 1
        depth += 1
    return cost


def check_nesting(text: str, name: str) -> None:
    """Refuse a page nested so deeply that parsing it would take minutes (a C parser cannot be interrupted)."""
    if nesting_cost(text) > MAX_NESTING_COST:
        raise budget.refuse(name, "er indlejret så dybt (tusindvis af elementer inden i hinanden), at den ikke kan "
                                  "læses på rimelig tid, og er afvist. Gem siden som PDF eller ren tekst og prøv igen.")


def _decode_html(data: bytes, name: str) -> tuple[str, list[str]]:
    m = _META_CHARSET_RE.search(data[:4096])
    if m and m.group(1).lower() not in (b"utf-8", b"utf8"):
        try:
            return data.decode(m.group(1).decode("ascii")), []
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, name)


def _clean(text: str) -> str:
    return re.sub(r"[ \t\r\f\v\u00a0\u200b]+", " ", text).strip()


def _first_text(tree, tag: str) -> str:  # type: ignore[no-untyped-def]
    node = tree.css_first(tag)
    return _clean(node.text(deep=True, separator=" ")) if node is not None else ""


def _table_text(table) -> str:  # type: ignore[no-untyped-def]
    rows = []
    for tr in table.css("tr"):
        cells = [_clean(c.text(deep=True, separator=" ")) for c in tr.iter() if c.tag in ("td", "th")]
        cells = [c for c in cells if c]
        if cells:
            rows.append(" | ".join(cells))
    return "\n".join(rows)


def _span(cell, name: str) -> int:  # type: ignore[no-untyped-def]
    try:
        return max(1, min(int((cell.attributes.get(name) or "1").strip() or 1), 100))
    except ValueError:
        return 1


def table_grid(table) -> Grid:  # type: ignore[no-untyped-def]
    """The table as a grid, colspan and rowspan spread out: a header cell names every column it spans, a body
    cell spanning columns is said once; a cell spanning rows is repeated in each. Header rows are those in
    <thead> or made of <th> only (one <th> leading a row of <td> names the row); else the leading rows
    without figures."""
    rows: list[list[str]] = []
    heads: list[bool] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still to fill) from a rowspan
    caption_node = table.css_first("caption")
    for tr in table.css("tr"):
        cells = [c for c in tr.iter() if c.tag in ("td", "th")]
        in_head = tr.parent is not None and tr.parent.tag == "thead"
        is_head = in_head or (bool(cells) and all(c.tag == "th" for c in cells) and len(cells) > 1)
        row: list[str] = []
        col = 0

        def fill_pending(row: list[str]) -> None:
            nonlocal col
            while col in pending:
                text, left = pending[col]
                row.append(text)
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (text, left - 1)
                col += 1

        for cell in cells:
            fill_pending(row)
            text = _clean(cell.text(deep=True, separator=" "))
            span, down = _span(cell, "colspan"), _span(cell, "rowspan")
            for k in range(span):
                value = text if is_head or k == 0 else ""
                row.append(value)
                if down > 1:
                    pending[col] = (value, down - 1)
                col += 1
        fill_pending(row)
        if any(row):
            rows.append(row)
            heads.append(is_head)
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    caption = _clean(caption_node.text(deep=True, separator=" ")) if caption_node is not None else ""
    marked = next((i for i, h in enumerate(heads) if not h), len(heads))
    if 0 < marked < len(rows):
        return Grid(rows[:marked], rows[marked:], caption=caption)
    header, body = split_header(rows)
    return Grid(header, body, caption=caption)


def _blocks(root) -> list[Block]:  # type: ignore[no-untyped-def]
    """Walk the tree without recursion (documents can nest thousands of levels deep)."""
    blocks: list[Block] = []
    buffer: list[str] = []
    list_counters: dict[int, int] = {}

    def flush() -> None:
        lines = [_clean(ln) for ln in "".join(buffer).split("\n")]
        text = "\n".join(ln for ln in lines if ln)
        if text:
            blocks.append(Block(text, "paragraph"))
        buffer.clear()

    stack: list[tuple[object, bool]] = [(root, False)]
    steps = headings = 0
    while stack:
        steps += 1
        if steps % 1024 == 0:
            budget.check()
        node, leaving = stack.pop()
        tag = node.tag  # type: ignore[attr-defined]
        if leaving:
            flush()
            continue
        if tag == "-text":
            # Newlines in the source are plain whitespace; only <br> breaks a line.
            buffer.append(re.sub(r"\s+", " ", node.text_content or ""))  # type: ignore[attr-defined]
            continue
        if tag.startswith("-") and tag != "-document":
            continue
        if tag == "br":
            buffer.append("\n")
            continue
        level = HEADING_TAGS.get(tag) or _style_heading_level(node, tag)
        if level:
            flush()
            text = _clean(node.text(deep=True, separator=" "))  # type: ignore[attr-defined]
            if text:
                blocks.append(Block(text, "heading", level))
                headings += 1
                budget.check_headings(headings)
            continue
        if tag == "table":
            flush()
            text = _table_text(node)
            if text:
                blocks.append(Block(text, "table", labelled=labelled_text(table_grid(node))))
            continue
        if tag in BLOCK_TAGS:
            flush()
            if tag == "li":
                buffer.append(_list_marker(node, list_counters))
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))  # type: ignore[attr-defined]
    flush()
    return blocks


def _style_heading_level(node, tag: str) -> int:  # type: ignore[no-untyped-def]
    """The heading level of a paragraph whose class is a Word heading style (0 for any other element)."""
    if tag != "p":
        return 0
    for name in (node.attributes.get("class") or "").split():
        m = _HEADING_CLASS_RE.match(name)
        if m:
            return int(m.group("level") or 1)
    return 0


def _list_marker(li, counters: dict[int, int]) -> str:  # type: ignore[no-untyped-def]
    parent = li.parent
    if parent is None or parent.tag != "ol":
        return "- "
    key = parent.mem_id
    counters[key] = counters.get(key, 0) + 1
    n = counters[key]
    if (parent.attributes.get("type") or "") in ("a", "A") and n <= 26:
        return f"{chr(ord('a') + n - 1)}) "
    return f"{n}) "
