"""GET /api/chunks/{chunk_id}: the text behind a citation, for the preview panel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.concurrency import run_in_threadpool

from knowledge.kb import KnowledgeBase
from knowledge.types import Chunk
from service.api.deps import KBDep, ReaderDep
from service.api.errors import ApiProblem
from service.api.schemas import ChunkPublic, problem_responses
from service.api.scopes import source_visible
from service.api.security import Principal

router = APIRouter(prefix="/api", tags=["kilder"])


def _page(chunk: Chunk, key: str) -> int | None:
    try:
        value = chunk.metadata.get(key)
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _load(kb: KnowledgeBase, chunk_id: str, who: Principal) -> ChunkPublic | None:
    chunk = kb.get_chunk(chunk_id)
    if chunk is None or not source_visible(kb, who, chunk.source_id):  # another scope's text does not exist here
        return None
    before = after = ""
    ordinal = int(chunk.metadata.get("ordinal", 0) or 0)
    for other in kb.neighbours(chunk, span=1):
        o = int(other.metadata.get("ordinal", 0) or 0)
        if o == ordinal - 1:
            before = other.text
        elif o == ordinal + 1:
            after = other.text
    return ChunkPublic(
        chunk_id=chunk.id, source_id=chunk.source_id, title=chunk.title, kind=str(chunk.metadata.get("kind") or ""),
        label=chunk.citation_label(), legal_label=chunk.legal_label, heading=chunk.heading,
        page_start=_page(chunk, "page_start"), page_end=_page(chunk, "page_end"), text=chunk.text,
        before=before, after=after,
    )


@router.get("/chunks/{chunk_id}", response_model=ChunkPublic, responses=problem_responses(401, 403, 404, 429))
async def get_chunk(chunk_id: Annotated[str, Path(max_length=300)], kb: KBDep, who: ReaderDep) -> ChunkPublic:
    """Hent teksten bag en kildehenvisning (med nabotekst til sammenhæng)."""
    found = await run_in_threadpool(_load, kb, chunk_id, who)
    if found is None:
        raise ApiProblem(404, f"Tekststykket '{chunk_id}' findes ikke (længere). Dokumentet kan være slettet eller opdateret; "
                              "stil spørgsmålet igen.")
    return found
