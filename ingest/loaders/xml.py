"""XML loader: the structured statute text behind retsinformation's ELI addresses (LexDania), else plain XML text.

A LexDania document (``<Dokument><Meta>...</Meta><DokumentIndhold>...``) is written out line by
line in the layout the legal-structure parser reads ("Kapitel 3", its title, "§ 12 a. ...",
"Stk. 2. ...", "1) ...", the amending acts' "... indeholder følgende ikrafttrædelsesbestemmelse:"
and, last, "Officielle noter"), so one parser serves every layout. The act's type, number, date
and title come from ``<Meta>`` (DocumentType "LBK H", Number, DiesSigni, DocumentTitle) and are
passed on as metadata. DOCTYPE and entity declarations are refused, so no entity expansion runs.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ingest.errors import LoadError
from knowledge.types import Block, LoadedDocument

_DECLARATION_RE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Elements whose text is written as its own line (headings and the title of a part, chapter, group).
_HEADED = frozenset({"Bog", "Afsnit", "Kapitel", "ParagrafGruppe"})
_UNITS = frozenset({"Stk", "Indentatio"})


def load_xml(path: Path, data: bytes) -> LoadedDocument:
    """Load an XML file: a statute in retsinformation's structured layout, else its text element by element."""
    if _DECLARATION_RE.search(data[:65536]):
        raise LoadError(
            f"XML-filen '{path.name}' indeholder en DOCTYPE- eller ENTITY-erklæring og indlæses ikke af "
            "sikkerhedshensyn. Hent lovteksten fra retsinformation.dk igen (XML, PDF eller HTML)."
        )
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise LoadError(
            f"XML-filen '{path.name}' kunne ikke læses ({exc}). Kontrollér at filen er hel, eller hent den igen."
        ) from exc
    _strip_namespaces(root)
    if root.tag == "Dokument" and root.find("Meta") is not None:
        return _lexdania(root, path)
    blocks = [Block(t, "paragraph") for t in _plain_texts(root) if t]
    if not blocks:
        raise LoadError(f"Ingen tekst fundet i XML-filen '{path.name}'. Kontrollér at det er den rigtige fil.")
    return LoadedDocument(path=str(path), title=path.stem, blocks=blocks, fmt="xml")


def _plain_texts(root: ET.Element) -> list[str]:
    """The text of every outermost element holding text of its own (its inline children included)."""
    out: list[str] = []
    stack = [root]
    while stack:
        el = stack.pop()
        if (el.text or "").strip() or any((c.tail or "").strip() for c in el):
            out.append(_text(el))
        else:
            stack.extend(reversed(list(el)))
    return out


def is_lexdania(data: bytes) -> bool:
    """True when bytes look like a retsinformation XML statute, whatever the file is called."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"<?xml", b"<Dokument")) and b"<Dokument" in head and b"<Meta" in data[:65536]


def _strip_namespaces(root: ET.Element) -> None:
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _text(el: ET.Element) -> str:
    return _clean(" ".join(el.itertext()))


def _meta(meta: ET.Element, tag: str) -> str:
    found = meta.find(tag)
    return _text(found) if found is not None else ""


def _lexdania(root: ET.Element, path: Path) -> LoadedDocument:
    meta = root.find("Meta")
    assert meta is not None
    title = _meta(meta, "DocumentTitle")
    act_type = _meta(meta, "DocumentType").split("#")[0].split(" ")[0].upper()  # 'LBK H#LOKDOK03' -> 'LBK'
    number, date = _meta(meta, "Number"), _meta(meta, "DiesSigni")[:10]
    metadata = {k: v for k, v in {
        "title": title, "act_type": act_type if act_type in ("LBK", "BEK", "LOV") else "", "act_number": number,
        "act_date": date if re.match(r"^\d{4}-\d{2}-\d{2}$", date) else "", "status": _meta(meta, "Status"),
        "start_date": _meta(meta, "StartDate")[:10], "accession": _meta(meta, "AccessionNumber"),
    }.items() if v}
    writer = _Writer()
    titel = next((el for el in root.iter("TitelGruppe")), None)
    if titel is not None:
        writer.title(titel)  # its note marker stays glued to the title, the note goes to the notes
    else:
        writer.line(title, "heading", 1)
    if metadata.get("act_type") and number and metadata.get("act_date"):
        y, m, d = metadata["act_date"].split("-")
        written = {"LBK": "LBK", "BEK": "BEK", "LOV": "Lov"}[metadata["act_type"]]
        writer.line(f"{written} nr. {number} af {d}/{m}/{y}")
    for child in root:
        if child.tag != "Meta":
            writer.element(child)
    writer.notes_section()
    if not writer.blocks:
        raise LoadError(f"XML-filen '{path.name}' indeholder ingen lovtekst (kun metadata). Hent teksten som PDF eller HTML.")
    return LoadedDocument(path=str(path), title=title or path.stem, blocks=writer.blocks, fmt="xml", metadata=metadata)


class _Writer:
    """Writes LexDania elements as the lines the parser reads; notes are collected and written last."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.notes: list[tuple[str, str]] = []
        self.current: list[str] = []

    def line(self, text: str, kind: str = "paragraph", level: int = 0) -> None:
        text = text.strip() if kind == "table" else _clean(text)
        if text:
            self.blocks.append(Block(text, kind, level))  # type: ignore[arg-type]

    def flush(self, kind: str = "paragraph", level: int = 0) -> None:
        self.line(" ".join(self.current), kind, level)
        self.current = []

    def title(self, el: ET.Element) -> None:
        self.flush()
        self._inline(el)
        self.flush("heading", 1)

    def element(self, el: ET.Element) -> None:
        """A container: headed parts and chapters, §§, or anything else (Indledning, Ikraft, signatures)."""
        if el.tag in _HEADED:
            self.flush()
            for child in el:
                if child.tag in ("Explicatus", "Rubrica"):
                    self.line(_text(child), "heading", 2 if el.tag == "ParagrafGruppe" else 1)
                else:
                    self.element(child)
        elif el.tag == "Paragraf":
            self._paragraph(el)
        elif el.tag == "TitelGruppe":
            return  # written first, by title()
        elif el.tag in ("Exitus", "Linea", "Char") or el.tag in _UNITS or el.tag in ("Nota", "Table", "table"):
            self._inline(el)
            self.flush()
        else:
            self.flush()
            if (el.text or "").strip():
                self.current.append(el.text or "")
            for child in el:
                self.element(child)
                if (child.tail or "").strip():
                    self.current.append(child.tail or "")
            self.flush()

    def _paragraph(self, el: ET.Element) -> None:
        """'§ 12 a.' with the first stk. on the same line; every later stk. on a line of its own."""
        self.flush()
        head = _explicatus(el)
        self.current = [head] if head else []
        if head and not head.endswith("."):
            self.flush()  # an amending act's '§ 4' is printed on a line of its own
        first = True
        for child in el:
            if child.tag == "Stk":
                self._stk(child, first)
                first = False
            elif child.tag != "Explicatus":
                self._inline(child)
        self.flush()

    def _stk(self, el: ET.Element, first: bool) -> None:
        label = _explicatus(el)
        label = "" if re.match(r"^Stk\.\s*1\.?$", label) else label  # the first stk. is unnumbered in print
        if not first or label:
            self.flush()
        if label:
            self.current.append(label)
        self._children(el)
        self.flush()

    def _item(self, el: ET.Element) -> None:
        """An item '1)' or litra 'a)' starts its own line."""
        self.flush()
        label = _explicatus(el)
        if label:
            self.current.append(label)
        self._children(el)
        self.flush()

    def _children(self, el: ET.Element) -> None:
        for child in el:
            if child.tag != "Explicatus":
                self._inline(child)
                if (child.tail or "").strip():
                    self.current.append(child.tail or "")

    def _inline(self, el: ET.Element) -> None:
        """Running text; items, notes and tables inside it are handled on their own."""
        if el.tag in _UNITS:
            self._stk(el, False) if el.tag == "Stk" else self._item(el)
        elif el.tag == "Nota":
            self._nota(el)
        elif el.tag in ("Table", "table"):
            self.flush()
            rows = [" | ".join(t for t in (_text(c) for c in tr) if t) for tr in el.iter() if tr.tag in ("Tr", "tr")]
            self.line("\n".join(r for r in rows if r), "table")
        else:
            if (el.text or "").strip():
                self.current.append(el.text or "")
            self._children(el)

    def _nota(self, el: ET.Element) -> None:
        marker = _explicatus(el) or f"{len(self.notes) + 1})"
        body = _clean(" ".join(_text(c) for c in el if c.tag != "Explicatus"))
        if self.current:
            self.current[-1] = self.current[-1].rstrip() + marker  # glued to the word, as printed
        self.notes.append((marker, body))

    def notes_section(self) -> None:
        self.flush()
        if self.notes:
            self.line("Officielle noter", "heading", 1)
            for marker, body in self.notes:
                self.line(f"{marker} {body}")


def _explicatus(el: ET.Element) -> str:
    return next((_text(c) for c in el if c.tag == "Explicatus"), "")
