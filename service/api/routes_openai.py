"""OpenAI-compatible endpoints: POST /v1/chat/completions (stream and non-stream) and GET /v1/models.

Existing clients (the openai SDK, Open WebUI, LibreChat) can use almen as a "model". The last user
message is the question, earlier user/assistant messages the history; system prompts are ignored
(retrieved text and client prompts never steer the answer). Citations are appended to the text as a
Danish source list of Markdown links to almen's source pages, returned as OpenAI ``url_citation``
annotations of the message (one per [n] marker and per source-list entry; streamed as a last delta
before the finish), and in full as the extra field ``almen_citations``.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from knowledge.errors import AlmenError
from knowledge.questions import validate_question
from service.answering.answer import GeneratorName
from service.api import asking
from service.api.deps import AuditDep, KBDep, LinkerDep, ReaderDep, SettingsDep
from service.api.errors import ApiProblem, status_for
from service.api.schemas import CitationPublic, problem_responses
from service.api.schemas_openai import (
    AnnotationPublic,
    ChatCompletionPublic,
    ChatCompletionRequest,
    ChatMessagePublic,
    ChoicePublic,
    ModelListPublic,
    ModelPublic,
    UrlCitationPublic,
    UsagePublic,
    chunk_payload,
)
from service.api.scopes import with_access

log = logging.getLogger("almen.api")
router = APIRouter(prefix="/v1", tags=["openai-kompatibel"])
SOURCES_HEADING = "**Kilder:**"


NEAREST_HEADING = "**Nærmeste kilder:**"
_MARKER_RE = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")


def _link_text(c: CitationPublic) -> str:
    text = c.label + (f" – {c.title}" if c.title and c.title not in c.label else "")
    return text.replace("[", "(").replace("]", ")")  # a bracket would end the Markdown link text


def source_list(citations: list[CitationPublic], *, abstained: bool = False) -> str:
    """The Danish source list appended to the message text: Markdown links to almen's source pages."""
    if not citations:
        return ""
    lines = [f"- [{c.n}] [{_link_text(c)}]({c.url})" for c in citations]
    return f"\n\n{NEAREST_HEADING if abstained else SOURCES_HEADING}\n" + "\n".join(lines)


def url_annotations(content: str, citations: list[CitationPublic]) -> list[AnnotationPublic]:
    """``url_citation`` annotations: each [n] marker of the answer and each linked entry of the source list."""
    by_n = {c.n: c for c in citations}
    out: list[AnnotationPublic] = []

    def add(c: CitationPublic, start: int, end: int) -> None:
        out.append(AnnotationPublic(url_citation=UrlCitationPublic(url=c.url, title=c.label, start_index=start,
                                                                   end_index=end)))

    body_end = min((i for i in (content.find(f"\n\n{h}\n") for h in (SOURCES_HEADING, NEAREST_HEADING)) if i >= 0),
                   default=len(content))
    for m in _MARKER_RE.finditer(content, 0, body_end):
        for n in (int(x) for x in m.group(1).split(",")):
            if n in by_n:
                add(by_n[n], m.start(), m.end())
    for c in citations:
        entry = f"[{_link_text(c)}]({c.url})"
        at = content.find(entry, body_end)
        if at >= 0:
            add(c, at + 1, at + 1 + len(_link_text(c)))
    return out


def _split_messages(body: ChatCompletionRequest) -> tuple[str, list[dict[str, str]]]:
    users = [i for i, m in enumerate(body.messages) if m.role == "user" and m.text().strip()]
    if not users:
        raise ApiProblem(422, "Der er intet spørgsmål: den sidste besked med rollen 'user' mangler eller er tom.")
    last = users[-1]
    history = []
    for m in body.messages[:last]:
        if m.role in ("user", "assistant") and m.text().strip():
            content = m.text()
            for heading in (SOURCES_HEADING, NEAREST_HEADING):
                content = content.split(f"\n\n{heading}")[0]
            history.append({"role": m.role, "content": content})
    return body.messages[last].text(), history


def _generator(model: str) -> GeneratorName:
    return "llm" if model.endswith("-llm") else "extractive"


def _words(text: str) -> int:
    return len(text.split())


@router.get("/models", response_model=ModelListPublic, responses=problem_responses(401, 403, 429))
async def list_models(settings: SettingsDep, who: ReaderDep) -> ModelListPublic:
    """De "modeller" almen udstiller: almen (udtræk fra kilderne) og, hvis sat op, almen-llm."""
    models = [ModelPublic(id="almen")]
    if settings.llm_base_url:
        models.append(ModelPublic(id="almen-llm"))
    return ModelListPublic(data=models)


@router.post(
    "/chat/completions", response_model=ChatCompletionPublic,
    responses={200: {"content": {"text/event-stream": {}}, "description": "JSON, eller SSE når stream=true."},
               **problem_responses(401, 403, 422, 429, 503)},
)
async def chat_completions(body: ChatCompletionRequest, request: Request, kb: KBDep, settings: SettingsDep,
                           audit: AuditDep, who: ReaderDep, links: LinkerDep) -> Any:
    """OpenAI-kompatibel chat: svar med kildeliste (links til kildesiderne) i teksten, kilderne som annotationer
    af typen url_citation og i feltet almen_citations."""
    started = time.perf_counter()
    raw_question, history = _split_messages(body)
    question = validate_question(raw_question, settings.max_question_chars)
    filters = await run_in_threadpool(with_access, asking.build_filters(body.almen_filters), kb, who)
    generator = _generator(body.model)
    created = int(time.time())
    prompt_tokens = _words(question) + sum(_words(h["content"]) for h in history)

    if not body.stream:
        result = await run_in_threadpool(asking.answer, kb, settings, question, history=history, filters=filters,
                                         generator=generator)
        await run_in_threadpool(asking.audit_answer, audit, who, "/v1/chat/completions", question, result, started)
        cited = await run_in_threadpool(links.public, result.citations, result.text, result.hits)
        content = result.text + source_list(cited, abstained=result.abstained)
        return ChatCompletionPublic(
            id=f"chatcmpl-{result.answer_id}", created=created, model=body.model,
            choices=[ChoicePublic(message=ChatMessagePublic(content=content, annotations=url_annotations(content, cited)))],
            usage=UsagePublic(prompt_tokens=prompt_tokens, completion_tokens=_words(content),
                              total_tokens=prompt_tokens + _words(content)),
            almen_answer_id=result.answer_id, almen_abstained=result.abstained, almen_citations=cited,
        )

    async def events() -> AsyncIterator[str]:
        completion_id = f"chatcmpl-{int(started * 1e6):x}"

        def data(payload: dict[str, Any]) -> str:
            return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

        yield data(chunk_payload(completion_id, created, body.model, {"role": "assistant", "content": ""}))
        streamed = ""
        try:
            pieces = asking.stream(kb, settings, question, history=history, filters=filters, generator=generator)
            async for ev in iterate_in_threadpool(pieces):
                if ev.get("type") == "text" and ev.get("text"):
                    streamed += ev["text"]
                    yield data(chunk_payload(completion_id, created, body.model, {"content": ev["text"]}))
                elif ev.get("type") == "done":
                    final = ev["answer"]
                    await run_in_threadpool(asking.audit_answer, audit, who, "/v1/chat/completions", question, final,
                                            started)
                    cited = await run_in_threadpool(links.public, final.citations, final.text, final.hits)
                    tail = source_list(cited, abstained=final.abstained)
                    if tail:
                        streamed += tail
                        yield data(chunk_payload(completion_id, created, body.model, {"content": tail}))
                    notes = [a.model_dump() for a in url_annotations(streamed, cited)]
                    if notes:
                        yield data(chunk_payload(completion_id, created, body.model, {"annotations": notes}))
                    yield data(chunk_payload(
                        completion_id, created, body.model, {}, "stop", almen_answer_id=final.answer_id,
                        almen_abstained=final.abstained, almen_citations=[c.model_dump() for c in cited],
                    ))
        except Exception as exc:  # noqa: BLE001 - report in-stream, as OpenAI servers do
            status = status_for(exc)
            message = exc.message if isinstance(exc, AlmenError) else None  # ours carry a Danish message
            if message is None:
                log.exception("Streaming completion failed")
            yield data({"error": {"message": message or "Der opstod en fejl under svaret. Prøv igen.",
                                  "type": "almen_error", "code": status}})
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
