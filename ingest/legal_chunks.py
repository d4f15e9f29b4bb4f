"""Chunks of legislation: one per stk., the unit a question names ("§ 164, stk. 2"), led by its § heading.

Every chunk starts with its citation label ("Almenboligloven § 164, stk. 2"); the heading path
(Afsnit > Kapitel > mellemrubrik > §) goes into its metadata and so into the embedded text. A stk.
too long for one chunk is split between its numbered items, and every part repeats the stk.'s
lead-in ("... skal indeholde:", its last sentence when the whole is long) and, before a litra, the
item it belongs to, so a list is never cut off from what it lists. Placeholders
("§§ 7-8. (Ophævet)", "Stk. 2-5. (Udelades)") are units of their own. The amending acts'
ikrafttrædelse sections and the official notes are chunks of their own without the act's legal
ids: their §§ are not the act's §§.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.legal_markers import ITEM_RE, LITRA_RE
from ingest.legal_structure import LegalDocument, LegalProvision, LegalUnit
from ingest.splitting import pack_blocks, split_text
from knowledge.legal import LegalRef, act_display, find_legal_refs
from knowledge.types import Block

Piece = tuple[str, dict[str, Any]]
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")


def legal_pieces(legal: LegalDocument, size: int, overlap: int) -> list[Piece]:
    """Title block, one piece per stk. (long ones split), amending acts' sections, notes, then trailing text."""
    pieces = _header_pieces(legal, size, overlap)
    for provision in legal.provisions:
        for unit in provision.units:
            pieces.extend(_unit_pieces(provision, unit, single=len(provision.units) == 1, size=size, overlap=overlap))
    return pieces + _amendment_pieces(legal, size, overlap) + _note_pieces(legal, size, overlap) + \
        trailing_pieces(legal, size, overlap)


def provision_refs(provision: LegalProvision) -> list[LegalRef]:
    """The § and, for '§§ 7-8', every § the range names."""
    if not provision.paragraph_end:
        return [provision.ref]
    refs = find_legal_refs(f"§§ {provision.paragraph}-{provision.paragraph_end}", default_act=provision.act)
    return list(dict.fromkeys([provision.ref] + [r for r in refs if r.paragraph and r.stk is None]))


def _unit_pieces(provision: LegalProvision, unit: LegalUnit, *, single: bool, size: int, overlap: int) -> list[Piece]:
    name = act_display(provision.act)
    # A § with a single stk. is cited without "stk. 1" (almenboligloven § 5 b): its id is the §'s id.
    label = f"{name} {provision.heading}" if single else f"{name} § {provision.paragraph}, {unit.stk_label}"
    ids = [r.canonical_id for r in provision_refs(provision)] if unit.stk == 1 else []
    ids += [LegalRef(unit.act, unit.paragraph, stk).canonical_id for stk in range(unit.stk, unit.last_stk + 1)]
    ids += [r.canonical_id for r in unit.item_refs()]
    path = [p for p in (provision.chapter.part if provision.chapter else "",
                        provision.chapter.label if provision.chapter else "", provision.section) if p]
    path.append(provision.heading)
    meta: dict[str, Any] = {
        "act": provision.act,
        "paragraph": provision.paragraph,
        "paragraph_end": provision.paragraph_end or None,
        "stk": unit.stk,
        "stk_end": unit.stk_end,
        "placeholder": unit.placeholder or None,
        "legal_id": provision.ref.canonical_id if single else unit.ref.canonical_id,
        "legal_label": label,
        "legal_refs": " ".join(dict.fromkeys(ids)),
        "heading": " > ".join(path),
        "context": " > ".join(path),
        "chapter": provision.chapter.number if provision.chapter else None,
        "afsnit": provision.chapter.part if provision.chapter and provision.chapter.part else None,
        "page_start": unit.page_start,
        "page_end": unit.page_end,
    }
    label_line = label[:1].upper() + label[1:]
    body = unit.text if unit.stk == 1 else f"{unit.stk_label.capitalize()}. {unit.text}"  # as printed: "Stk. 2. ..."
    parts = split_unit(body, max(size - len(label_line) - 1, 200), overlap)
    out = []
    for number, part in enumerate(parts, start=1):
        part_meta = dict(meta)
        if len(parts) > 1:
            part_meta.update(part=number, parts=len(parts))
        out.append((f"{label_line}\n{part}", part_meta))
    return out


def split_unit(text: str, room: int, overlap: int) -> list[str]:
    """Split a stk. at its items; each part repeats the lead-in (or its last sentence) and a litra's item."""
    if len(text) <= room:
        return [text]
    lines = text.split("\n")
    first_item = next((i for i, ln in enumerate(lines) if ITEM_RE.match(ln) or LITRA_RE.match(ln)), None)
    if first_item is None:
        return split_text(text, room, overlap)
    lead = "\n".join(lines[:first_item])
    # The lead-in, or its last sentence ("... Drøftelsen skal omfatte:") when the whole is long.
    repeat = lead if len(lead) <= room // 3 else "… " + _SENTENCE_END_RE.split(lead)[-1]
    repeat = repeat if len(repeat) <= room // 3 else ""
    parts: list[str] = []
    current, parent, opening = lead, "", repeat
    for line in lines[first_item:]:
        if ITEM_RE.match(line):
            parent = line if len(line) <= room // 4 else ""  # '2) kriterierne for anvisning, herunder'
        pieces = split_text(line, room - len(repeat) - 1, overlap) if len(line) > room - len(repeat) - 1 else [line]
        for piece in pieces:
            if current and len(current) + 1 + len(piece) > room:
                parts.append(current)
                # A part that starts at a litra 'b)' also repeats the item the litra belongs to.
                with_parent = LITRA_RE.match(piece) and parent and len(repeat) + len(parent) + len(piece) + 2 <= room
                current = opening = "\n".join(x for x in (repeat, parent if with_parent else "") if x)
            current = f"{current}\n{piece}" if current else piece
    if current and current != opening:
        parts.append(current)
    return parts


def _header_pieces(legal: LegalDocument, size: int, overlap: int) -> list[Piece]:
    """Title, version and preamble ('Herved bekendtgøres ...'): which version this text is."""
    if not legal.preamble:
        return []
    text = "\n".join(x for x in [legal.title, legal.version, *legal.preamble] if x)
    meta = {"heading": "Indledning", "context": f"{legal.title} > Indledning"}
    return [(part, dict(meta)) for part in split_text(text, size, overlap)]


def _amendment_pieces(legal: LegalDocument, size: int, overlap: int) -> list[Piece]:
    """One piece per amending act: its intro line and its ikrafttrædelse §§ with every stk."""
    out: list[Piece] = []
    for amendment in legal.amendments:
        lines = [amendment.intro]
        for provision in amendment.provisions:
            lines.append(provision.heading)
            lines += [u.text if u.stk == 1 else f"{u.stk_label.capitalize()}. {u.text}" for u in provision.units]
        heads = ", ".join(p.heading for p in amendment.provisions)
        heading = f"Ikrafttrædelsesbestemmelser > {amendment.label}" + (f", {heads}" if heads else "")
        meta = {"heading": heading, "context": heading, "amending_act": amendment.label}
        out += [(part, dict(meta)) for part in split_text("\n".join(lines), size, overlap)]
    return out


def _note_pieces(legal: LegalDocument, size: int, overlap: int) -> list[Piece]:
    if not legal.notes:
        return []
    blocks = [Block(f"{n.nr}) {n.text}", "paragraph", 0, n.page) for n in legal.notes]
    return [("\n".join(p.text for p in parts), {"heading": "Officielle noter", "context": "Officielle noter"})
            for parts in pack_blocks(blocks, size, overlap)]


def trailing_pieces(legal: LegalDocument, size: int, overlap: int) -> list[Piece]:
    """Signature and appendices after the last §, chunked as plain text under their first line."""
    if not legal.trailing:
        return []
    first = legal.trailing[0][0]
    heading = first if len(first) <= 80 else ""
    blocks = [Block(text, "paragraph", 0, page) for text, page in legal.trailing]
    out = []
    for parts in pack_blocks(blocks, size, overlap):
        pages = [p.page for p in parts if p.page is not None]
        meta: dict[str, Any] = {"heading": heading or None, "context": heading or None}
        if pages:
            meta.update(page_start=min(pages), page_end=max(pages))
        out.append(("\n".join(p.text for p in parts), meta))
    return out
