"""Hand-made chunks and a deterministic fake Searcher for the answering tests.

The fake implements the ``Searcher`` protocol for real: it ranks chunks by idf-weighted
stemmed term overlap with the query, resolves legal references in the query (with
``default_act``), boosts the chunks that are those provisions, and filters on kind.
"""

from __future__ import annotations

import math
import time

from knowledge.legal import CENTRAL_ACT, acts_mentioned, find_legal_refs
from knowledge.search_types import SearchFilters, SearchResult
from knowledge.text import content_terms
from knowledge.types import Chunk, Hit


class FakeSearcher:
    """Deterministic Searcher over a fixed list of chunks (term overlap + legal lookup)."""

    def __init__(self, chunks: list[Chunk], *, min_relevance: float = 0.25) -> None:
        self.chunks = chunks
        self.min_relevance = min_relevance
        self.calls: list[dict[str, object]] = []
        self._terms = {c.id: set(content_terms(f"{c.title} {c.heading} {c.legal_label} {c.text}")) for c in chunks}
        df: dict[str, int] = {}
        for terms in self._terms.values():
            for t in terms:
                df[t] = df.get(t, 0) + 1
        self._idf = {t: math.log(1 + len(chunks) / d) for t, d in df.items()}

    def search(
        self, query: str, *, filters: SearchFilters | None = None, k: int = 6, default_act: str | None = None
    ) -> SearchResult:
        """Rank the chunks for ``query``."""
        t0 = time.perf_counter()
        self.calls.append({"query": query, "filters": filters, "k": k, "default_act": default_act})
        act = default_act or (acts_mentioned(query) or [CENTRAL_ACT])[0]
        refs = [r if r.act else r.with_act(act) for r in find_legal_refs(query)]
        q_terms = set(content_terms(query)) - {"§", "stk", "nr"}
        weights = {t: self._idf.get(t, math.log(1 + len(self.chunks))) for t in q_terms}
        total = sum(weights.values()) or 1.0
        scored: list[Hit] = []
        for chunk in self.chunks:
            if filters and filters.kind and chunk.metadata.get("kind") != filters.kind:
                continue
            overlap = sum(weights[t] for t in q_terms & self._terms[chunk.id]) / total
            legal = any(r.covers(chunk.legal_id) for r in refs if chunk.legal_id and r.paragraph)
            score = overlap + (1.0 if legal else 0.0)
            if score <= 0:
                continue
            relevance = min(1.0, overlap + (0.5 if legal else 0.0))
            scored.append(Hit(chunk=chunk, score=score, legal_match=legal, relevance=relevance))
        scored.sort(key=lambda h: (-h.score, h.chunk.id))
        hits = scored[:k]
        relevant = bool(hits) and hits[0].relevance >= self.min_relevance
        reason = "" if relevant else "Ingen kilder i vidensbasen ligner spørgsmålet nok."
        return SearchResult(
            query=query, hits=hits, query_refs=refs, relevant=relevant, reason=reason,
            timings={"search": time.perf_counter() - t0},
        )


def law_chunk(para: str, stk: int | None, text: str, *, act: str = "almenboligloven") -> Chunk:
    """A chunk of a law provision with the metadata the ingest step would give it."""
    pid = para.replace(" ", "")
    cid = f"{act}:§{pid}" + (f":stk{stk}" if stk else "")
    label = f"{act} § {para}" + (f", stk. {stk}" if stk else "")
    return Chunk(
        id=cid, source_id=act, text=text,
        metadata={
            "title": "Bekendtgørelse af lov om almene boliger m.v.", "kind": "lov", "act": act,
            "legal_id": cid, "legal_label": label, "paragraph": para, "stk": stk or "",
            "heading": f"Kapitel 13 > § {para}", "url": "https://www.retsinformation.dk/eli/lta/2021/1877",
        },
    )


def guide_chunk(cid: str, title: str, heading: str, text: str, *, legal_refs: str = "", kind: str = "vejledning") -> Chunk:
    """A chunk of guidance text."""
    return Chunk(
        id=cid, source_id=cid.split("#")[0], text=text,
        metadata={"title": title, "kind": kind, "heading": heading, "legal_refs": legal_refs, "page_start": 2, "page_end": 3},
    )


CHUNKS: list[Chunk] = [
    law_chunk("164", 1, "Kommunalbestyrelsen fører tilsyn med de almene boligorganisationer i kommunen."),
    law_chunk(
        "164", 2,
        "Kommunalbestyrelsen og boligorganisationen skal føre styringsdialog i form af regelmæssige møder om "
        "organisationens virksomhed. Kommunalbestyrelsen sørger for, at der holdes et årligt dialogmøde, og "
        "offentliggør en redegørelse for den gennemførte dialog på kommunens hjemmeside.",
    ),
    law_chunk(
        "59", 1,
        "Kommunalbestyrelsen kan kræve, at indtil hver fjerde ledige almene familiebolig stilles til rådighed for "
        "kommunalbestyrelsen til løsning af påtrængende boligsociale problemer. Kommunen betaler lejen for en bolig, "
        "som kommunen har anvisningsret til, hvis boligen står tom.",
    ),
    law_chunk(
        "59", 2,
        "Kommunalbestyrelsen kan endvidere kræve boliger stillet til rådighed til genhusning af lejere, der skal "
        "fraflytte på grund af byfornyelse eller nedrivning.",
    ),
    guide_chunk(
        "tilsyn#hjemsted", "Tilsyn og styringsdialog", "Tilsyn og styringsdialog > Hvilken kommune fører tilsynet?",
        "Hvilken kommune fører tilsynet?\n\nTilsynet føres som udgangspunkt af den kommune, hvor boligorganisationen "
        "har hjemsted. Hjemstedet fremgår af boligorganisationens vedtægter. Det gælder også, når organisationen "
        "har afdelinger i flere kommuner, jf. almenboligloven § 164, stk. 1.",
        legal_refs="almenboligloven:§164:stk1",
    ),
    guide_chunk(
        "tilsyn#gentagelse", "Kommunens notat om tilsyn", "Notat > Tilsynskommunen",
        "Tilsynet føres som udgangspunkt af den kommune, hvor boligorganisationen har sit hjemsted.",
        kind="notat",
    ),
    guide_chunk(
        "dokumentation#portal", "Dokumentationspakken", "Dokumentationspakken > Indsendelse",
        "Boligorganisationen indsender dokumentationspakken via Landsbyggefondens it-portal Almenstyringsdialog.dk. "
        "Landsbyggefonden driver platformen på vegne af ministeriet. Pakken indeholder styringsrapporten, "
        "regnskabet og nøgletal.",
    ),
    guide_chunk(
        "dokumentation#frist", "Dokumentationspakken", "Dokumentationspakken > Frister",
        "Den præcise frist for indsendelse af styringsrapporten efter driftsbekendtgørelsen kunne ikke bekræftes "
        "i de kilder, vidensbasen bygger på. Godkendte regnskaber skal indberettes til Landsbyggefonden senest "
        "6 måneder efter regnskabsperiodens udløb.",
    ),
    guide_chunk(
        "historik#reform", "Styringsreformen", "Historik > Reformen 2010",
        "Styringsreformen trådte i kraft 1. januar 2010. Den blev gennemført med L 208 (2008-09), der blev fremsat "
        "22. april 2009. Styringen blev herefter i højere grad baseret på mål- og aftalestyring.",
    ),
]


# --- the model boundary -----------------------------------------------------------------------

import re  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from typing import Any  # noqa: E402

from langchain_core.language_models import BaseChatModel  # noqa: E402
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage  # noqa: E402
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult  # noqa: E402
from pydantic import Field  # noqa: E402

_SOURCE_RE = re.compile(r'<kilde nr="(\d+)">(.*?)</kilde>', re.DOTALL)


def prompt_text(messages: list[BaseMessage]) -> str:
    """All message contents joined (what the model sees)."""
    return "\n".join(str(m.content) for m in messages)


def source_number(messages: list[BaseMessage], fragment: str) -> int:
    """The number the prompt gives the source containing ``fragment`` (0 if none)."""
    for m in _SOURCE_RE.finditer(prompt_text(messages)):
        if fragment in m.group(2):
            return int(m.group(1))
    return 0


def is_condense(messages: list[BaseMessage]) -> bool:
    return "Opfølgende spørgsmål:" in prompt_text(messages)


class ScriptedChatModel(BaseChatModel):
    """A deterministic chat model: ``respond(messages) -> text``; streams the text in small pieces.

    ``fail`` (an exception instance) is raised instead of answering; every call is recorded.
    """

    respond: Callable[[list[BaseMessage]], str]
    fail: BaseException | None = None
    calls: list[list[BaseMessage]] = Field(default_factory=list)
    piece_chars: int = 7

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    def _reply(self, messages: list[BaseMessage]) -> str:
        self.calls.append(list(messages))
        if self.fail is not None:
            raise self.fail
        return self.respond(messages)

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._reply(messages)))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        text = self._reply(messages)
        for i in range(0, len(text), self.piece_chars):
            yield ChatGenerationChunk(message=AIMessageChunk(content=text[i:i + self.piece_chars]))
