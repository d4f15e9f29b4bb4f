"""GET /api/admin/audit: the newest audit rows and feedback (admin role)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from service.api.deps import AdminDep, AuditDep
from service.api.errors import ApiProblem
from service.api.schemas import AuditEntryPublic, AuditPublic, FeedbackEntryPublic, problem_responses

router = APIRouter(prefix="/api/admin", tags=["administration"])


@router.get("/audit", response_model=AuditPublic, responses=problem_responses(401, 403, 422, 429))
async def read_audit(audit: AuditDep, who: AdminDep,
                     limit: Annotated[int, Query(ge=1, le=1000, description="Antal rækker.")] = 100) -> AuditPublic:
    """Se de seneste rækker i revisionsloggen og den seneste feedback."""
    if who.scope is not None:  # the log holds every scope's questions
        raise ApiProblem(403, f"Revisionsloggen viser spørgsmål fra alle afgrænsninger og kræver en admin uden "
                              f"afgrænsning; din adgang er afgrænset til '{who.scope}'.")
    entries = await run_in_threadpool(audit.entries, limit)
    feedback = await run_in_threadpool(audit.feedback, limit)
    return AuditPublic(entries=[AuditEntryPublic(**asdict(e)) for e in entries],
                       feedback=[FeedbackEntryPublic(**asdict(f)) for f in feedback])
