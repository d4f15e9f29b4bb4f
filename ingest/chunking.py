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

from ingest.legal_structure import LegalDocument, LegalProvision, LegalUnit, parse_legal_text
from knowledge.legal import LegalRef, act_for_alias, find_legal_refs, parse_canonical_id
from knowledge.types import Block, Chunk, LoadedDocument, normalise_kind

TINY_STK_CHARS = 200  # a stk. shorter than this is merged with its siblings of the same §
LEGAL_KINDS = frozenset({"lov", "bekendtgoerelse"})
NON_LEGAL_KINDS = frozenset({"vejledning", "notat", "styringsrapport", "referat", "aftale"})
# Keys a chunk sets itself; front matter and base metadata never override them.
CHUNK_KEYS = frozenset({
    "source_id", "ordinal", "legal_id", "legal_label", "legal_refs", "heading", "context",
    "page_start", "page_end", "act", "paragraph", "stk", "chapter", "part", "parts",
})
_ABBREVIATIONS = ("jf", "stk", "nr", "pkt", "ca", "kr", "evt", "kap", "dvs", "mv", "inkl", "ekskl", "vedr", "iht", "pct")
# Sentence ends in Danish: not after "jf.", "stk.", "nr." ..., and only before a capital letter.
_SENTENCE_SEP = (
    "".join(rf"(?<!\b{a}\.)" for a in _ABBREVIATIONS)
    + r"(?<!\bbl\.a\.)(?<!\bf\.eks\.)(?<!\bm\.v\.)(?<=[.!?])\s+(?=[A-ZÆØÅ\"(])"
)
SEPARATORS = [r"\n\s*\n", r"\n", _SENTENCE_SEP, r"(?<=[;:])\s+", r"(?<=,)\s+", r"\s+", ""]
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
    legal = parse_legal_text(doc) if base_kind not in NON_LEGAL_KINDS else None
    detected: dict[str, Any] = {"title": doc.title, "kind": _detect_kind(doc.title)}
    if legal is not None:
        detected.update(kind=legal.kind, title=legal.title or doc.title, act=legal.act)
        if legal.version:
            detected["version"] = legal.version
        if legal.valid_from:
            detected["valid_from"] = legal.valid_from
        pieces = legal_pieces(legal, size, overlap) + _trailing_pieces(legal, size, overlap)
    else:
        pieces = section_pieces(doc, size, overlap)
        if not pieces and doc.text.strip():  # headings only: keep them rather than lose the document
            pieces = [(t, {}) for t in split_text(doc.text, size, overlap)]
        note_refs = _NoteRefs.from_front_matter(doc.metadata)
        if note_refs is not None:
            for text, meta in pieces:
                meta.update(note_refs.metadata_for(str(meta.get("heading", "")), text))
    common = {**detected, **{k: v for k, v in front.items() if k not in CHUNK_KEYS}}
    common.update({k: v for k, v in base.items() if k not in CHUNK_KEYS})
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
        if key == "legal_refs":
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


def split_text(text: str, size: int, overlap: int) -> list[str]:
    """Split text into pieces of at most ``size`` characters: paragraphs, lines, Danish sentences, words."""
    if len(text) <= size:
        return [text]
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=max(0, min(overlap, size // 2)),
        separators=SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",
    )
    return [p for p in splitter.split_text(text) if p.strip()]


def split_table(text: str, size: int, overlap: int) -> list[str]:
    """Split a table between rows, repeating the header row on every part."""
    rows = text.split("\n")
    header = rows[0] if len(rows) > 2 else ""
    parts: list[str] = []
    current: list[str] = []
    for row in rows:
        pieces = split_text(row, size, overlap) if len(row) > size else [row]
        for piece in pieces:
            if current and len("\n".join(current)) + 1 + len(piece) > size:
                parts.append("\n".join(current))
                current = [header] if header and len(header) + 1 + len(piece) <= size // 2 else []
            current.append(piece)
    if current and current != [header]:
        parts.append("\n".join(current))
    return parts


# ---------------------------------------------------------------- legislation


def _group_units(units: list[LegalUnit], size: int) -> list[list[LegalUnit]]:
    """Merge tiny stk. with their neighbours of the same § as long as the result stays small."""
    groups: list[list[LegalUnit]] = []
    for unit in units:
        if groups:
            group = groups[-1]
            length = sum(len(u.text) + 10 for u in group)
            if (len(unit.text) < TINY_STK_CHARS or length < TINY_STK_CHARS) and length + len(unit.text) <= size - 100:
                group.append(unit)
                continue
        groups.append([unit])
    return groups


def legal_pieces(legal: LegalDocument, size: int, overlap: int) -> list[tuple[str, dict[str, Any]]]:
    """One piece per stk. (tiny siblings merged, long ones split), each starting with its label line."""
    pieces: list[tuple[str, dict[str, Any]]] = []
    for provision in legal.provisions:
        groups = _group_units(provision.units, size)
        for group in groups:
            pieces.extend(_legal_group_pieces(provision, group, whole=len(groups) == 1, size=size, overlap=overlap))
    return pieces


def _legal_group_pieces(
    provision: LegalProvision, group: list[LegalUnit], *, whole: bool, size: int, overlap: int
) -> list[tuple[str, dict[str, Any]]]:
    first, last = group[0], group[-1]
    if whole:
        label = provision.ref.label
    elif len(group) == 1:
        label = first.ref.label
    else:
        label = f"{first.ref.label}-{last.stk}"
    label_line = label[:1].upper() + label[1:]
    ids = [provision.ref.canonical_id] if first.stk == 1 else []
    for unit in group:
        ids.append(unit.ref.canonical_id)
        ids.extend(r.canonical_id for r in unit.item_refs())
    body = "\n".join(
        f"Stk. {u.stk}. {u.text}" if len(group) > 1 and u.stk > 1 else u.text for u in group
    )
    path = [provision.chapter.label] if provision.chapter else []
    if provision.section:
        path.append(provision.section)
    path.append(f"§ {provision.paragraph}")
    meta: dict[str, Any] = {
        "act": provision.act,
        "paragraph": provision.paragraph,
        "stk": first.stk,
        # A § with a single stk. is cited without "stk. 1" (almenboligloven § 5 b): its id is the §'s id.
        "legal_id": provision.ref.canonical_id if len(provision.units) == 1 else first.ref.canonical_id,
        "legal_label": label,
        "legal_refs": " ".join(dict.fromkeys(ids)),
        "heading": " > ".join(path),
        "context": " > ".join(path),
        "chapter": provision.chapter.number if provision.chapter else None,
        "page_start": min((u.page_start for u in group if u.page_start is not None), default=None),
        "page_end": max((u.page_end for u in group if u.page_end is not None), default=None),
    }
    room = max(size - len(label_line) - 1, 200)
    parts = split_text(body, room, overlap) if len(body) > room else [body]
    out = []
    for number, part in enumerate(parts, start=1):
        part_meta = dict(meta)
        if len(parts) > 1:
            part_meta.update(part=number, parts=len(parts))
        out.append((f"{label_line}\n{part}", part_meta))
    return out


def _trailing_pieces(legal: LegalDocument, size: int, overlap: int) -> list[tuple[str, dict[str, Any]]]:
    """Signature, notes and appendices after the last §, chunked as plain text under their first line."""
    if not legal.trailing:
        return []
    first = legal.trailing[0][0]
    heading = first if len(first) <= 80 else ""
    blocks = [Block(text, "paragraph", 0, page) for text, page in legal.trailing]
    out = []
    for parts in _pack(blocks, size, overlap):
        pages = [p for _, p in parts if p is not None]
        meta: dict[str, Any] = {"heading": heading or None, "context": heading or None}
        if pages:
            meta.update(page_start=min(pages), page_end=max(pages))
        out.append(("\n".join(t for t, _ in parts), meta))
    return out


# ---------------------------------------------------------------- other documents


@dataclass
class _Section:
    path: list[str]
    blocks: list[Block] = field(default_factory=list)


def _sections(doc: LoadedDocument) -> list[_Section]:
    stack: list[tuple[int, str]] = []
    sections = [_Section([])]
    for block in doc.blocks:
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
        heading = " > ".join(section.path)
        for parts in _pack(section.blocks, size, overlap):
            pages = [p for _, p in parts if p is not None]
            meta: dict[str, Any] = {"heading": heading or None, "context": heading or None}
            if pages:
                meta.update(page_start=min(pages), page_end=max(pages))
            out.append(("\n\n".join(t for t, _ in parts), meta))
    return out


def _pack(blocks: list[Block], size: int, overlap: int) -> list[list[tuple[str, int | None]]]:
    pieces: list[tuple[str, int | None]] = []
    for block in blocks:
        text = block.text.strip()
        if len(text) <= size:
            pieces.append((text, block.page))
        elif block.kind == "table":
            pieces.extend((t, block.page) for t in split_table(text, size, overlap))
        else:
            pieces.extend((t, block.page) for t in split_text(text, size, overlap))
    chunks: list[list[tuple[str, int | None]]] = []
    current: list[tuple[str, int | None]] = []
    length = 0
    for text, page in pieces:
        new_page = bool(current) and page is not None and current[-1][1] is not None and page != current[-1][1]
        if current and (length + 2 + len(text) > size or (new_page and length >= size // 2)):
            chunks.append(current)
            carry = current[-1]
            # Overlap: a short last block of the previous chunk is repeated for context.
            keep = len(current) > 1 and len(carry[0]) <= overlap and len(carry[0]) + 2 + len(text) <= size
            current = [carry] if keep else []
            length = len(carry[0]) if keep else 0
        length += len(text) + (2 if current else 0)
        current.append((text, page))
    if current:
        chunks.append(current)
    return chunks


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
