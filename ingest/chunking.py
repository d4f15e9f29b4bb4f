"""Chunking: legislation one stk. per chunk, other documents along headings, tables and pages.

Every chunk's metadata is flat (str, int, float, bool) because Chroma stores only scalars.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ingest import budget
from ingest.legal_chunks import legal_pieces
from ingest.legal_structure import parse_legal_text
from ingest.splitting import SEPARATORS, document_text, pack_blocks, paragraph_pages, split_table, split_text
from knowledge.legal import LegalRef, act_for_alias, find_legal_refs, parse_canonical_id, refs_in_text
from knowledge.types import DOCUMENT_TEXT_KEY, PART_PAGES_KEY, Block, Chunk, LoadedDocument, normalise_kind

__all__ = ["SEPARATORS", "chunk_document", "flat_value", "flatten_metadata", "section_pieces", "split_table",
           "split_text"]

LEGAL_KINDS = frozenset({"lov", "bekendtgoerelse"})
NON_LEGAL_KINDS = frozenset({"vejledning", "notat", "styringsrapport", "referat", "aftale"})
# Keys a chunk sets itself; front matter and base metadata never override them.
CHUNK_KEYS = frozenset({
    "source_id", "ordinal", "legal_id", "legal_label", "legal_refs", "heading", "context",
    "page_start", "page_end", "act", "paragraph", "paragraph_end", "stk", "stk_end", "placeholder", "chapter",
    "part", "parts", "afsnit", "amending_act", DOCUMENT_TEXT_KEY, PART_PAGES_KEY,
})
# What loaders pass on for the parser, not for the chunks: the PDF's running header/footer lines.
_LOADER_HINTS = frozenset({"running_lines"})
_KIND_FROM_TITLE = (
    (r"styringsrapport", "styringsrapport"), (r"referat|dialogmøde", "referat"), (r"\baftale", "aftale"),
    (r"vejledning", "vejledning"), (r"\bnotat", "notat"),
)

def chunk_document(
    doc: LoadedDocument, *, source_id: str, base_metadata: dict, chunk_size: int, chunk_overlap: int
) -> list[Chunk]:
    """Split a loaded document into chunks with flat, citation-ready metadata."""
    size = max(int(chunk_size), 200)
    overlap = max(0, min(int(chunk_overlap), size // 2))
    base = flatten_metadata(base_metadata)
    front = _front_matter_metadata(doc.metadata)
    base_kind = str(base.get("kind") or "")
    budget.check_headings(sum(1 for b in doc.blocks if b.kind == "heading"))
    legal = parse_legal_text(doc) if base_kind not in NON_LEGAL_KINDS else None
    detected: dict[str, Any] = {"title": doc.title, "kind": _detect_kind(doc.title)}
    if legal is not None:
        detected.update(kind=legal.kind, title=legal.title or doc.title, act=legal.act)
        detected.update({k: v for k, v in {
            "version": legal.version, "valid_from": legal.valid_from, "act_type": legal.act_type,
            "act_number": legal.act_number, "act_date": legal.act_date}.items() if v})
        pieces = legal_pieces(legal, size, overlap)
        budget.check_chunks(len(pieces))
    else:
        pieces = section_pieces(doc, size, overlap)
        if not pieces and doc.text.strip():  # headings only: keep them rather than lose the document
            pieces = [(t, {}) for t in split_text(doc.text, size, overlap)]
        budget.check_chunks(len(pieces))
        note_refs = _NoteRefs.from_front_matter(doc.metadata)
        for text, meta in pieces:
            heading = str(meta.get("heading") or "")
            meta.update(note_refs.metadata_for(heading, text) if note_refs is not None else text_refs(heading, text))
    common = {**detected, **{k: v for k, v in front.items() if k not in CHUNK_KEYS}}
    common.update({k: v for k, v in base.items() if k not in CHUNK_KEYS})
    if legal is not None and legal.title and base.get("title") in (None, "", doc.title):
        common["title"] = legal.title  # the act's title replaces the file's ("Kapitel 1", "lbk-2026-207")
    chunks: list[Chunk] = []
    for ordinal, (text, meta) in enumerate(pieces):
        metadata = flatten_metadata({**common, **meta, "source_id": source_id, "ordinal": ordinal})
        chunks.append(Chunk(id=f"{source_id}:{ordinal:04d}", source_id=source_id, text=text, metadata=metadata))
    return chunks


# ---------------------------------------------------------------- metadata helpers


def flat_value(value: Any) -> str | int | float | bool | None:
    """A metadata value as a Chroma scalar: lists become 'a, b', dicts JSON, dates ISO; None stays None."""
    if value is None:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        items = [v for v in value if v is not None]
        if not items:
            return None
        if all(isinstance(v, str | int | float | bool | date) for v in items):
            return ", ".join(v.isoformat() if isinstance(v, date) else str(v) for v in items)
        return json.dumps(items, ensure_ascii=False, default=str)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str) if value else None
    return str(value)


def flatten_metadata(metadata: dict[str, Any] | None) -> dict[str, str | int | float | bool]:
    """Flatten every value with flat_value and drop the missing ones."""
    out: dict[str, str | int | float | bool] = {}
    for key, value in (metadata or {}).items():
        flat = flat_value(value)
        if flat is not None:
            out[str(key)] = flat
    return out


def _front_matter_metadata(front: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (front or {}).items():
        if key == "legal_refs" or key in _LOADER_HINTS:
            continue
        if key == "sources":
            out[key] = json.dumps(value, ensure_ascii=False, default=str) if value else None
        elif key == "kind":
            try:
                out[key] = normalise_kind(str(value))
            except ValueError:
                continue
        else:
            out[key] = value
    return flatten_metadata(out)


def _detect_kind(title: str) -> str:
    low = (title or "").lower()
    for pattern, kind in _KIND_FROM_TITLE:
        if re.search(pattern, low):
            return kind
    return "andet"


# ---------------------------------------------------------------- text splitting


# ---------------------------------------------------------------- legislation


# ---------------------------------------------------------------- other documents


@dataclass
class _Section:
    path: list[str]
    blocks: list[Block] = field(default_factory=list)


def _sections(doc: LoadedDocument) -> list[_Section]:
    stack: list[tuple[int, str]] = []
    sections = [_Section([])]
    for number, block in enumerate(doc.blocks):
        if number % 1024 == 0:
            budget.check()
        if not block.text.strip():
            continue
        if block.kind == "heading":
            level = max(block.level, 1)
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, block.text.strip()))
            sections.append(_Section([t for _, t in stack], [block]))
        else:
            sections[-1].blocks.append(block)
    return [s for s in sections if any(b.kind != "heading" for b in s.blocks)]


def section_pieces(doc: LoadedDocument, size: int, overlap: int) -> list[tuple[str, dict[str, Any]]]:
    """Chunks along headings; big sections packed block by block, oversized blocks split."""
    out: list[tuple[str, dict[str, Any]]] = []
    for section in _sections(doc):
        budget.check_chunks(len(out))  # stop early: a file with 200,000 headings would make as many chunks
        budget.check()
        heading = " > ".join(section.path)
        for parts in pack_blocks(section.blocks, size, overlap):
            pages = [p.page for p in parts if p.page is not None]
            meta: dict[str, Any] = {"heading": heading or None, "context": heading or None}
            if pages:
                meta.update(page_start=min(pages), page_end=max(pages))
                if min(pages) != max(pages):  # the page of each paragraph (Chunk.document_paragraphs)
                    meta[PART_PAGES_KEY] = ",".join(str(p or min(pages)) for p in paragraph_pages(parts))
            own = document_text(parts)
            if own is not None:
                meta[DOCUMENT_TEXT_KEY] = own  # tables as printed: what the review re-reads (Chunk.document_text)
            out.append(("\n\n".join(p.text for p in parts), meta))
    return out


# ---------------------------------------------------------------- guidance notes with legal_refs


class _NoteRefs:
    """The legal_refs of a guidance note's front matter, matched against each chunk's heading and text."""

    def __init__(self, refs: list[LegalRef], provision: LegalRef | None, act: str | None) -> None:
        self.refs = refs
        self.provision = provision
        self.act = act

    @classmethod
    def from_front_matter(cls, front: dict[str, Any]) -> "_NoteRefs | None":
        raw = (front or {}).get("legal_refs")
        if not raw:
            return None
        provision = _parse_refs(front.get("provision"), None)
        act = provision[0].act if provision else None
        items = raw if isinstance(raw, list | tuple) else re.split(r"[\s;]+(?=[a-zæøå]+:§)|\n", str(raw))
        refs: list[LegalRef] = []
        for item in items:
            refs.extend(_parse_refs(item, act))
        act = act or next((r.act for r in refs if r.act), None)
        refs = [r if r.act else r.with_act(act) for r in refs] if act else refs
        return cls(list(dict.fromkeys(refs)), provision[0] if provision else None, act) if refs else None

    def _matches(self, ref: LegalRef) -> bool:
        rid = ref.canonical_id
        return any(f.covers(rid) or ref.covers(f.canonical_id) for f in self.refs)

    def metadata_for(self, heading: str, text: str) -> dict[str, Any]:
        """legal_id/legal_label/legal_refs for a chunk that names one of the note's references."""
        found: list[LegalRef] = []
        last = heading.split(" > ")[-1] if heading else ""
        m = re.match(r"^Stk\.?\s*(\d+)\b", last)
        if m and self.provision is not None and self.provision.paragraph:
            found.append(LegalRef(self.provision.act, self.provision.paragraph, int(m.group(1))))
        for source in (last, text):
            for ref in find_legal_refs(source, default_act=self.act):
                if ref.paragraph and ref.act and self._matches(ref):
                    found.append(ref)
        found = list(dict.fromkeys(found))
        if not found:
            return {}
        return {
            "legal_id": found[0].canonical_id,
            "legal_label": found[0].label,
            "legal_refs": " ".join(r.canonical_id for r in found),
        }


def text_refs(heading: str, text: str) -> dict[str, Any]:
    """legal_refs of a chunk of the municipality's own documents (a referat, a report, an agreement): every
    provision its text names ('aftale efter § 59, stk. 2'), with the act resolved as for a question
    (knowledge.legal.refs_in_text), so a search by § finds the documents that apply it. No legal_id or
    legal_label: the chunk mentions the provision, it is not its text."""
    last = heading.split(" > ")[-1] if heading else ""
    refs = [r for r in refs_in_text(f"{last}\n{text}") if r.paragraph or r.chapter]
    return {"legal_refs": " ".join(dict.fromkeys(r.canonical_id for r in refs))} if refs else {}


def _parse_refs(value: Any, default_act: str | None) -> list[LegalRef]:
    if not value:
        return []
    text = str(value).strip()
    try:
        return [parse_canonical_id(text)]
    except ValueError:
        pass
    act = act_for_alias(text) or default_act
    return [r for r in find_legal_refs(text, default_act=act) if r.paragraph or r.chapter]
