"""GET /kilde/{chunk_id}: almen's page for a cited passage (every citation's ``url`` points here).

Browsers get the HTML page (service.api.source_page); a client asking for JSON gets the same facts as
JSON. The access rules are the API's: a reader (key, login, local mode or anonymous where allowed), and
a passage outside the caller's scope does not exist for them (404), like any other unknown passage.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from knowledge.kb import KnowledgeBase
from knowledge.types import Chunk
from service.api.citations import CitationLinker, public_sources
from service.api.deps import LinkerDep, ReaderDep
from service.api.errors import ApiProblem
from service.api.schemas import ChunkPublic, problem_responses
from service.api.scopes import source_visible
from service.api.security import Principal
from service.api.source_page import CONTEXT, SOURCE_CSP, SourceView, source_page, wants_json

router = APIRouter(tags=["kilder"])
NOT_FOUND = ("Tekststykket '{}' findes ikke (længere), eller du har ikke adgang til det. Dokumentet kan være slettet "
             "eller opdateret; stil spørgsmålet igen.")


def _page(chunk: Chunk, key: str) -> int | None:
    try:
        value = chunk.metadata.get(key)
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def load_view(kb: KnowledgeBase, chunk_id: str, who: Principal) -> SourceView | None:
    """The passage with its neighbours, or None when it does not exist for this caller."""
    chunk = kb.get_chunk(chunk_id)
    if chunk is None or not source_visible(kb, who, chunk.source_id):  # another scope's text does not exist here
        return None
    ordinal = int(chunk.metadata.get("ordinal", 0) or 0)
    siblings = kb.store.chunks_of_source(chunk.source_id) or [chunk]
    near = [c for c in siblings if abs(int(c.metadata.get("ordinal", 0) or 0) - ordinal) <= CONTEXT]
    first = int(near[0].metadata.get("ordinal", 0) or 0) if near else ordinal
    last = int(near[-1].metadata.get("ordinal", 0) or 0) if near else ordinal
    meta = chunk.metadata
    original = str(meta.get("url") or meta.get("source_url") or "")
    return SourceView(
        chunk=chunk, neighbours=near or [chunk], label=chunk.citation_label(), version=str(meta.get("version") or ""),
        source_url=original if original.startswith(("http://", "https://")) else "",
        public_sources=[(s.title, s.url) for s in public_sources(meta)],
        more_before=first > 0, more_after=last < len(siblings) - 1,
    )


def chunk_public(view: SourceView, links: CitationLinker) -> ChunkPublic:
    """The JSON form of the page: the passage, its facts and links, and the text around it."""
    chunk = view.chunk
    ordinal = int(chunk.metadata.get("ordinal", 0) or 0)
    before = after = ""
    for other in view.neighbours:
        o = int(other.metadata.get("ordinal", 0) or 0)
        if o == ordinal - 1:
            before = other.text
        elif o == ordinal + 1:
            after = other.text
    return ChunkPublic(
        chunk_id=chunk.id, source_id=chunk.source_id, title=chunk.title, kind=str(chunk.metadata.get("kind") or ""),
        label=view.label, legal_label=chunk.legal_label, heading=chunk.heading,
        page_start=_page(chunk, "page_start"), page_end=_page(chunk, "page_end"), text=chunk.text,
        url=links.url(chunk.id), source_url=view.source_url, version=view.version,
        public_sources=public_sources(chunk.metadata), before=before, after=after,
    )


async def find_view(kb: KnowledgeBase, chunk_id: str, who: Principal) -> SourceView:
    """The view, or a 404 problem (the same for a missing passage and one the caller may not see)."""
    view = await run_in_threadpool(load_view, kb, chunk_id, who)
    if view is None:
        raise ApiProblem(404, NOT_FOUND.format(chunk_id[:120]))
    return view


@router.get(
    "/kilde/{chunk_id:path}", response_model=ChunkPublic,
    responses={200: {"content": {"text/html": {}}, "description": "HTML-side, eller JSON med Accept: application/json."},
               **problem_responses(401, 403, 404, 429)},
)
async def source(chunk_id: Annotated[str, Path(max_length=300)], request: Request, who: ReaderDep,
                 links: LinkerDep) -> Any:
    """Kildesiden: den citerede passage fremhævet i sit dokument med titel, type, version og side."""
    view = await find_view(links.kb, chunk_id, who)
    if wants_json(request.headers.get("accept", "")):
        return chunk_public(view, links)
    return HTMLResponse(source_page(view), headers={"Content-Security-Policy": SOURCE_CSP, "Cache-Control": "no-store"})
