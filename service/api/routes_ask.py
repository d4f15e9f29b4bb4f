"""POST /api/ask (one JSON answer) and POST /api/chat (the same answer streamed as Server-Sent Events)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from sse_starlette import EventSourceResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from knowledge.errors import AlmenError
from knowledge.questions import validate_question
from service.api import asking
from service.api.deps import AuditDep, KBDep, LinkerDep, ReaderDep, SettingsDep
from service.api.errors import problem_body, status_for
from service.api.schemas import AnswerPublic, AskRequest, problem_responses
from service.api.scopes import with_access

log = logging.getLogger("almen.api")
router = APIRouter(prefix="/api", tags=["svar"])


@router.post("/ask", response_model=AnswerPublic, responses=problem_responses(401, 403, 422, 429, 503))
async def ask(body: AskRequest, kb: KBDep, settings: SettingsDep, audit: AuditDep, who: ReaderDep,
              links: LinkerDep) -> AnswerPublic:
    """Besvar et spørgsmål med kildehenvisninger (eller en begrundet afvisning)."""
    started = time.perf_counter()
    question = validate_question(body.question, settings.max_question_chars)
    filters = await run_in_threadpool(with_access, asking.build_filters(body.filters), kb, who)
    result = await run_in_threadpool(
        asking.answer, kb, settings, question, history=asking.history_dicts(body.history),
        filters=filters, generator=body.generator,
    )
    await run_in_threadpool(asking.audit_answer, audit, who, "/api/ask", question, result, started)
    return await run_in_threadpool(asking.answer_public, result, links)


def _sse(event: str, data: Any) -> dict[str, str]:
    return {"event": event, "data": json.dumps(data, ensure_ascii=False)}


@router.post(
    "/chat",
    responses={200: {"description": "Server-Sent Events: text, citations, done (eller error).",
                     "content": {"text/event-stream": {}}}, **problem_responses(401, 403, 422, 429)},
)
async def chat(body: AskRequest, request: Request, kb: KBDep, settings: SettingsDep, audit: AuditDep,
               who: ReaderDep, links: LinkerDep) -> EventSourceResponse:
    """Besvar et spørgsmål som en strøm (SSE): tekststykker, derefter kilder, til sidst hele svaret."""
    started = time.perf_counter()
    question = validate_question(body.question, settings.max_question_chars)
    filters = await run_in_threadpool(with_access, asking.build_filters(body.filters), kb, who)
    history = asking.history_dicts(body.history)

    async def events() -> AsyncIterator[dict[str, str]]:
        pieces = asking.stream(kb, settings, question, history=history, filters=filters, generator=body.generator)
        text = ""
        try:
            async for ev in iterate_in_threadpool(pieces):
                kind = ev.get("type")
                if kind == "text":
                    text += ev.get("text", "")
                    yield _sse("text", {"text": ev.get("text", "")})
                elif kind == "citations":
                    cited = await run_in_threadpool(links.public, ev.get("citations", []), text)
                    yield _sse("citations", {"citations": [c.model_dump() for c in cited]})
                elif kind == "done":
                    final = ev["answer"]
                    await run_in_threadpool(asking.audit_answer, audit, who, "/api/chat", question, final, started)
                    public = await run_in_threadpool(asking.answer_public, final, links)
                    yield _sse("done", public.model_dump())
        except Exception as exc:  # noqa: BLE001 - a stream can only report errors as an event
            status = status_for(exc)
            detail = exc.message if isinstance(exc, AlmenError) else None  # ours carry a Danish message
            if detail is None:
                log.exception("Streaming answer failed")
                detail = "Der opstod en fejl under svaret. Prøv igen."
            yield _sse("error", problem_body(status, detail, instance=request.url.path))

    return EventSourceResponse(events(), ping=15, headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

