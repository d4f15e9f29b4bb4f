"""Core types shared by ingest, retrieval, answering and evaluation.

LoadedDocument -> (ingest) -> Chunk -> (store) -> Hit -> (answering) -> Citation / Answer
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from knowledge.errors import UnknownKindError

DocumentKind = Literal[
    "lov", "bekendtgoerelse", "vejledning", "notat", "styringsrapport", "referat", "aftale", "andet"
]
DOCUMENT_KINDS: tuple[str, ...] = (
    "lov", "bekendtgoerelse", "vejledning", "notat", "styringsrapport", "referat", "aftale", "andet"
)
KIND_ALIASES = {"bekendtgørelse": "bekendtgoerelse", "bek": "bekendtgoerelse"}


def normalise_kind(kind: str) -> str:
    """Map a user-given kind ('bekendtgørelse') to its stored form; UnknownKindError (a ValueError) if unknown."""
    k = KIND_ALIASES.get(kind.strip().lower(), kind.strip().lower())
    if k not in DOCUMENT_KINDS:
        raise UnknownKindError(
            f"Ukendt dokumenttype '{kind}'. Gyldige typer: {', '.join(DOCUMENT_KINDS)}."
        )
    return k


def content_hash(data: bytes | str) -> str:
    """Stable sha256 hex digest of bytes or text."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@dataclass
class Block:
    """A piece of a loaded document in reading order.

    kind: 'heading' (with level 1..6), 'paragraph' or 'table' (rows joined by newlines,
    cells by ' | ').  page is 1-based for paged formats (PDF), else None.
    labelled: for a table whose columns the loader could name, its body rows as lines that carry the column
    names ('Afd. 1: Tomgang: 83 %.', see ingest/tables.py), rows apart by blank lines; what chunks store
    instead of ``text``. ``text`` stays the table as the text layer has it (the review reads that).
    """

    text: str
    kind: Literal["heading", "paragraph", "table"] = "paragraph"
    level: int = 0
    page: int | None = None
    labelled: str = ""


@dataclass
class LoadedDocument:
    """What a loader returns: the document's blocks plus metadata found in the file."""

    path: str
    title: str
    blocks: list[Block]
    fmt: str  # pdf, html, docx, md, txt
    metadata: dict[str, Any] = field(default_factory=dict)  # e.g. Markdown front matter
    warnings: list[str] = field(default_factory=list)  # Danish, shown to the user
    page_count: int | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.text.strip())


# Chunk metadata: the chunk's text as the document has it, stored when it differs from the chunk's text (a table
# whose rows the chunk says with their column names, see Block.labelled).
DOCUMENT_TEXT_KEY = "document_text"
# Chunk metadata of a chunk over more than one page: the page of each paragraph of its document text, '3,3,4'.
PART_PAGES_KEY = "part_pages"
_PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[str]:
    """A text's paragraphs (apart by blank lines), stripped, empty ones left out."""
    return [p.strip() for p in _PARAGRAPH_BREAK_RE.split(text) if p.strip()]


@dataclass
class Chunk:
    """One indexed unit of text with everything a citation needs.

    metadata keys (all optional, flat scalars so Chroma can store them):
      source_id, title, kind, heading (heading path joined with ' > '), legal_id
      (canonical, e.g. 'almenboligloven:§164:stk2'), legal_label ('almenboligloven § 164,
      stk. 2'), act, paragraph ('164', '54 a'), stk, page_start, page_end, ordinal, org,
      municipality, year, valid_from, valid_to (ISO dates), url, source_url, sources,
      topics, confidence, context (heading text prepended for embedding), doc_hash, generation,
      authority (knowledge.authority: statute_current ... sample), and for a statute its version
      ('LBK nr. 207 af 25/01/2026'), act_type, act_number, act_date; document_text (see ``document_text``), part_pages.
    """

    id: str
    source_id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.metadata.get("title", ""))

    @property
    def legal_label(self) -> str:
        return str(self.metadata.get("legal_label", "") or "")

    @property
    def legal_id(self) -> str:
        return str(self.metadata.get("legal_id", "") or "")

    @property
    def heading(self) -> str:
        return str(self.metadata.get("heading", "") or "")

    @property
    def document_text(self) -> str:
        """The chunk's text as the document has it: a table's rows as printed, with the header lines the stored
        text leaves out; what rebuilding a document from its chunks reads (last year's report, the agreement
        register). ``text`` is what is searched, quoted and cited."""
        own = self.metadata.get(DOCUMENT_TEXT_KEY)
        return self.text if own is None else str(own)

    def document_paragraphs(self) -> list[tuple[str, int | None]]:
        """The paragraphs of ``document_text`` with their page: each its own when the chunk goes over a page
        (``part_pages``), else the chunk's first page."""
        parts = paragraphs(self.document_text)
        start = self.metadata.get("page_start")
        pages: list[int | None] = [int(start) if start else None] * len(parts)
        given = str(self.metadata.get(PART_PAGES_KEY) or "").split(",")
        if len(given) == len(parts) and all(g.isdigit() for g in given):
            pages = [int(g) for g in given]
        return list(zip(parts, pages))

    def citation_label(self) -> str:
        """Human label for citing this chunk: legal label, section heading and page span.

        An official statute text names its version: 'almenboligloven § 59, stk. 2 (LBK nr. 207 af 25/01/2026)'
        (several versions of an act can be stored; the answer says which one it quotes)."""
        parts: list[str] = []
        title = self.title
        if self.legal_label:
            kind = self.metadata.get("kind")
            version = str(self.metadata.get("version") or "")
            official = self.metadata.get("authority") in ("statute_current", "statute_superseded")
            parts.append(f"{self.legal_label} ({version})" if official and version else self.legal_label)
            if kind not in ("lov", "bekendtgoerelse") and title:
                parts.insert(0, title)
        else:
            if title:
                parts.append(title)
            if self.heading:
                last = self.heading.split(" > ")[-1]
                if last and last != title:
                    parts.append(f"afsnit '{last}'")
        ps, pe = self.metadata.get("page_start"), self.metadata.get("page_end")
        if ps:
            parts.append(f"s. {ps}" if not pe or pe == ps else f"s. {ps}-{pe}")
        return ", ".join(parts) if parts else self.source_id


@dataclass
class Hit:
    """A retrieved chunk with the evidence for why it was retrieved."""

    chunk: Chunk
    score: float  # fused score used for ranking
    dense_rank: int | None = None
    dense_score: float | None = None
    lexical_rank: int | None = None
    lexical_score: float | None = None
    legal_match: bool = False
    filters_matched: list[str] = field(default_factory=list)
    relevance: float = 0.0  # 0..1, comparable across queries; used to abstain
    context: str = ""  # neighbour/heading context for display

    def explain(self) -> dict[str, Any]:
        return {
            "chunk_id": self.chunk.id,
            "label": self.chunk.citation_label(),
            "fused": round(self.score, 5),
            "relevance": round(self.relevance, 4),
            "dense_rank": self.dense_rank,
            "dense_score": None if self.dense_score is None else round(self.dense_score, 4),
            "lexical_rank": self.lexical_rank,
            "lexical_score": None if self.lexical_score is None else round(self.lexical_score, 4),
            "legal_match": self.legal_match,
            "filters_matched": self.filters_matched,
        }


@dataclass
class Citation:
    """A numbered source in an answer, pointing at one retrieved chunk."""

    n: int
    chunk_id: str
    source_id: str
    title: str
    kind: str
    label: str
    legal_label: str = ""
    heading: str = ""
    page_start: int | None = None
    page_end: int | None = None
    quote: str = ""
    url: str = ""
    verified: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
