"""Citations any client can follow: the public view of an answer's sources.

The answering layer numbers and checks the sources; this layer adds what a reader of the API, the chat
widget or an OpenAI client needs to follow one:

1. ``url``: almen's own page for the passage (GET /kilde/{chunk_id}, the passage highlighted in its
   document), absolute, so it works from any client. Access rules apply when it is opened.
2. ``source_url``: the original document on the net, when the document says where it came from.
3. ``public_sources``: the public sources a built-in note was written from (its front matter), and
   ``origin``: their publishers in a few words ("Retsinformation, Folketinget, BL").
4. ``version``: the version of the act or note ("LBK nr. 207 af 25/01/2026"), when known.
5. ``chip`` and ``pages``: the short text of the citation chip. A passage often covers several stk.; the
   chip names the provision the *answer's sentence* cites (a sentence citing "§ 14 b, stk. 3" gets
   "stk. 3", not the passage's first stk.), when the passage states that provision. Pages stay apart
   from the text, so a long title never cuts them off.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from knowledge.kb import KnowledgeBase
from knowledge.legal import LegalRef, act_display, find_legal_refs
from knowledge.sentences import iter_sentence_spans
from knowledge.types import Chunk, Hit
from service.answering.evidence import SourceEvidence
from service.api.schemas import CitationPublic, PublicSourcePublic

SOURCE_PAGE_PREFIX = "/kilde/"
_MARKER_RE = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_MAX_PUBLISHERS = 3


def page_path(chunk_id: str) -> str:
    """The path of almen's page for a passage."""
    return SOURCE_PAGE_PREFIX + quote(chunk_id, safe="@:")


def public_sources(meta: Mapping[str, Any]) -> list[PublicSourcePublic]:
    """The ``sources`` of a note's front matter (stored as JSON): title and http(s) URL of each."""
    raw = meta.get("sources")
    if not raw:
        return []
    try:
        items = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return []
    out: list[PublicSourcePublic] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and re.match(r"^https?://", str(item.get("url") or "")):
            out.append(PublicSourcePublic(title=str(item.get("title") or item["url"]), url=str(item["url"])))
    return out


def origin(sources: Iterable[PublicSourcePublic]) -> str:
    """The publishers of the public sources ('Retsinformation: LBK ...' -> 'Retsinformation'), first three."""
    names: list[str] = []
    for s in sources:
        name = s.title.split(":", 1)[0] if ":" in s.title else re.sub(r"^https?://(www\.)?", "", s.url).split("/")[0]
        name = name.split(",")[0].strip()  # 'BL informerer 3210, juni 2010' -> 'BL informerer 3210'
        if name and name not in names:
            names.append(name)
    return ", ".join(names[:_MAX_PUBLISHERS]) + (" m.fl." if len(names) > _MAX_PUBLISHERS else "")


def cited_sentences(text: str) -> dict[int, list[str]]:
    """For each marker number, the sentences of ``text`` that carry it (the text before the marker, back to
    the previous marker, within the sentence the marker ends)."""
    out: dict[int, list[str]] = {}
    spans = list(iter_sentence_spans(text))
    for m in _MARKER_RE.finditer(text):
        start = max((s for s, _ in spans if s < m.start()), default=0)
        before = text[:m.start()]
        prev = max((p.end() for p in _MARKER_RE.finditer(before)), default=0)
        sentence = text[max(start, prev):m.start()].strip()
        if not re.search(r"\w", sentence):  # "... henlæggelser. [1]": the sentence ended just before the marker
            start = max((s for s, _ in spans if s < start), default=0)
            sentence = text[max(start, prev):m.start()].strip()
        for n in (int(x) for x in m.group(1).split(",")):
            out.setdefault(n, []).append(sentence)
    return out


def _act_of(chunk: Chunk) -> str | None:
    act = str(chunk.metadata.get("act") or "") or None
    if act is None and chunk.legal_id:
        act = chunk.legal_id.split(":", 1)[0]
    return act


def sentence_refs(sentences: list[str], chunk: Chunk) -> list[LegalRef]:
    """The provisions the sentences name that the passage states (the answer checker's rule, has_ref)."""
    evidence = SourceEvidence(0, Hit(chunk=chunk, score=0.0))
    act = _act_of(chunk)
    found: list[LegalRef] = []
    for sentence in sentences:
        for ref in find_legal_refs(sentence, default_act=act):
            if ref.paragraph and evidence.has_ref(ref) and ref not in found:
                found.append(ref if ref.act else ref.with_act(act) if act else ref)
    return found


def refs_text(refs: list[LegalRef]) -> str:
    """'almenboligloven § 14 b, stk. 1 og 3' for refs of one §; several § joined with '; '."""
    groups: dict[tuple[str | None, str | None], list[LegalRef]] = {}
    for ref in refs:
        groups.setdefault((ref.act, ref.paragraph), []).append(ref)
    parts = []
    for (act, paragraph), items in list(groups.items())[:2]:
        stks = [r.stk for r in items if r.stk is not None]
        if len(items) > 1 and len(stks) == len(items):
            name = f"{act_display(act)} " if act else ""
            parts.append(f"{name}§ {paragraph}, stk. " + " og ".join(str(s) for s in sorted(set(stks))))
        else:
            parts.append(items[0].label)
    return "; ".join(parts) + (" m.fl." if len(groups) > 2 else "")


def pages_text(page_start: int | None, page_end: int | None) -> str:
    """'s. 3' or 's. 3-4' (empty without pages)."""
    if not page_start:
        return ""
    return f"s. {page_start}" if not page_end or page_end == page_start else f"s. {page_start}-{page_end}"


def _label_without_pages(label: str) -> str:
    return re.sub(r",\s*s\.\s*\d+(?:-\d+)?$", "", label)


class CitationLinker:
    """Builds the public citations of answers for one request (its base URL) over one knowledge base."""

    def __init__(self, kb: KnowledgeBase, base_url: str) -> None:
        self.kb = kb
        self.base_url = base_url.rstrip("/")

    def url(self, chunk_id: str) -> str:
        return self.base_url + page_path(chunk_id)

    def _chunks(self, ids: list[str], known: Iterable[Chunk]) -> dict[str, Chunk]:
        chunks = {c.id: c for c in known if c.id in ids}
        missing = [i for i in ids if i not in chunks]
        if missing:
            chunks.update({c.id: c for c in self.kb.store.get_chunks(missing, active_only=False)})
        return chunks

    def public(self, citations: Iterable[Any], text: str, hits: Iterable[Hit] = ()) -> list[CitationPublic]:
        """The public citations of an answer with ``text``; ``hits`` spare a store lookup for known chunks."""
        items = [c if isinstance(c, dict) else c.to_dict() for c in citations]
        chunks = self._chunks([str(c["chunk_id"]) for c in items], (h.chunk for h in hits))
        sentences = cited_sentences(text)
        return [self._one(c, chunks.get(str(c["chunk_id"])), sentences.get(int(c["n"]), [])) for c in items]

    def _one(self, c: dict[str, Any], chunk: Chunk | None, sentences: list[str]) -> CitationPublic:
        meta: Mapping[str, Any] = chunk.metadata if chunk is not None else {}
        sources = public_sources(meta)
        original = str(meta.get("url") or meta.get("source_url") or c.get("url") or "")
        refs = sentence_refs(sentences, chunk) if chunk is not None and sentences else []
        chip = refs_text(refs) if refs else (c.get("legal_label") or _label_without_pages(str(c.get("label") or "")))
        return CitationPublic(**{
            **c, "url": self.url(str(c["chunk_id"])),
            "source_url": original if re.match(r"^https?://", original) else "",
            "version": str(meta.get("version") or ""), "public_sources": sources, "origin": origin(sources),
            "chip": chip, "pages": pages_text(c.get("page_start"), c.get("page_end")),
        })


def base_url(public_url: str, request_base: str) -> str:
    """The configured public address (ALMEN_PUBLIC_URL), else the request's own (its Host header is checked)."""
    configured = public_url.strip().rstrip("/")
    return configured if re.match(r"^https?://", configured) else request_base.rstrip("/")
