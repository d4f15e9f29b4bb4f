"""GET /api/chunks/{chunk_id}: the text behind a citation, for the preview panel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from service.api.deps import LinkerDep, ReaderDep
from service.api.routes_sources import chunk_public, find_view
from service.api.schemas import ChunkPublic, problem_responses

router = APIRouter(prefix="/api", tags=["kilder"])


@router.get("/chunks/{chunk_id}", response_model=ChunkPublic, responses=problem_responses(401, 403, 404, 429))
async def get_chunk(chunk_id: Annotated[str, Path(max_length=300)], who: ReaderDep, links: LinkerDep) -> ChunkPublic:
    """Hent teksten bag en kildehenvisning (med nabotekst til sammenhæng og link til kildesiden)."""
    return chunk_public(await find_view(links.kb, chunk_id, who), links)
