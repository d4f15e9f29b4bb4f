"""POST /api/feedback: thumbs up/down on an answer, stored in the audit database."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from knowledge.disk import require_space
from service.api.deps import AuditDep, ReaderDep, SettingsDep
from service.api.errors import ApiProblem
from service.api.schemas import FeedbackCreate, FeedbackPublic, problem_responses

router = APIRouter(prefix="/api", tags=["feedback"])


@router.post("/feedback", response_model=FeedbackPublic, status_code=201,
             responses=problem_responses(401, 403, 404, 422, 429, 507))
async def give_feedback(body: FeedbackCreate, audit: AuditDep, settings: SettingsDep, who: ReaderDep) -> FeedbackPublic:
    """Giv tommel op eller ned (og evt. en kommentar) til et svar."""
    require_space(settings)
    if not await run_in_threadpool(audit.has_answer, body.answer_id):
        raise ApiProblem(404, f"Svaret '{body.answer_id}' findes ikke. Feedback kan kun gives på svar fra almen.")
    feedback_id = await run_in_threadpool(audit.add_feedback, key_id=who.key_id, answer_id=body.answer_id,
                                          rating=body.rating, comment=body.comment.strip())
    return FeedbackPublic(id=feedback_id, answer_id=body.answer_id, rating=body.rating)
