"""Optional LLM generator: any OpenAI-compatible chat server through LangChain.

``langchain-openai`` is imported only when a model is built, so the core works without
it. The request carries ``max_tokens`` as well as LangChain's ``max_completion_tokens``
(llama.cpp's server ignores the latter). Retrieved text goes into the prompt fenced as
data; nothing in it is treated as an instruction, and the citation check runs on the
model's answer whatever it says.

Failures at the model boundary become ``LLMUnavailableError`` with a Danish note; the
caller falls back to the extractive answer and shows the note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from knowledge.config import Settings
from knowledge.types import Hit
from prompts.registry import render, render_messages
from service.answering.checker import NOT_FOUND
from service.answering.errors import AnsweringError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

NO_RESPONSE_NOTE = "Sprogmodellen svarede ikke; svaret er lavet direkte ud fra kilderne."
NOT_CONFIGURED_NOTE = (
    "Der er ikke sat nogen sprogmodel op (ALMEN_LLM_BASE_URL og ALMEN_LLM_MODEL); svaret er lavet direkte ud fra kilderne."
)
MAX_SOURCE_CHARS = 2500
_FENCE_RE = re.compile(r"<\s*(/?)\s*(kilder?|samtale)\b", re.IGNORECASE)


class LLMUnavailableError(AnsweringError):
    """The language model could not be used; ``message`` is the Danish note shown with the fallback."""


def llm_configured(settings: Settings) -> bool:
    """True if settings name an OpenAI-compatible server to use."""
    return bool(settings.llm_base_url.strip())


def build_chat_model(settings: Settings) -> BaseChatModel:
    """A LangChain ChatOpenAI for the configured server (raise LLMUnavailableError if impossible)."""
    if not llm_configured(settings):
        raise LLMUnavailableError(NOT_CONFIGURED_NOTE)
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:  # the optional extra is missing
        raise LLMUnavailableError(
            "Pakken langchain-openai er ikke installeret (pip install 'almen[llm]'); svaret er lavet direkte ud fra kilderne."
        ) from exc
    api_key = settings.llm_api_key.get_secret_value() or "ikke-sat"
    return ChatOpenAI(
        base_url=settings.llm_base_url.strip(),
        model=settings.llm_model or "default",
        api_key=api_key,
        temperature=settings.llm_temperature,
        timeout=settings.llm_timeout,
        max_retries=0,
        max_tokens=settings.llm_max_tokens,
        extra_body={"max_tokens": settings.llm_max_tokens},
    )


def _defuse(text: str) -> str:
    """Neutralise anything in retrieved text that could close or open the prompt's fences."""
    return _FENCE_RE.sub(lambda m: f"‹{m.group(1)}{m.group(2)}", text)


def format_sources(hits: list[Hit]) -> str:
    """The numbered sources for the answer prompt, each fenced as data."""
    blocks = []
    for n, hit in enumerate(hits, 1):
        text = hit.chunk.text.strip()
        if len(text) > MAX_SOURCE_CHARS:
            text = text[:MAX_SOURCE_CHARS].rstrip() + " …"
        blocks.append(render("source", n=n, label=_defuse(hit.chunk.citation_label()), text=_defuse(text)))
    return "\n\n".join(blocks)


def _to_messages(messages: list[dict[str, str]]) -> list[BaseMessage]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m["role"]](content=m["content"]) for m in messages]


def answer_messages(question: str, hits: list[Hit]) -> list[BaseMessage]:
    """The chat messages asking the model to answer from the numbered sources."""
    return _to_messages(
        render_messages("answer", question=_defuse(question), sources=format_sources(hits), not_found=NOT_FOUND)
    )


def message_text(message: Any) -> str:
    """Plain text of a LangChain message or chunk (string or content blocks)."""
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            b if isinstance(b, str) else str(b.get("text", "")) for b in content if isinstance(b, str | dict)
        )
    return str(content or "")


def failure_note(exc: BaseException) -> str:
    """The Danish note for a failed model call: no response (timeout, connection, 5xx) or another error."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    if isinstance(status, int) and status < 500:
        return f"Sprogmodellen afviste forespørgslen (HTTP {status}); svaret er lavet direkte ud fra kilderne."
    if status is not None or any(w in name for w in ("Timeout", "Connection", "InternalServer", "ServiceUnavailable")):
        return NO_RESPONSE_NOTE
    if isinstance(exc, OSError):  # includes TimeoutError and ConnectionError
        return NO_RESPONSE_NOTE
    return f"Sprogmodellen kunne ikke bruges ({name}); svaret er lavet direkte ud fra kilderne."


def generate_llm_text(question: str, hits: list[Hit], chat_model: BaseChatModel) -> str:
    """The model's answer text (markers refer to the hits by position)."""
    try:
        reply = chat_model.invoke(answer_messages(question, hits))
    except Exception as exc:  # the model boundary: any failure falls back to the extractive answer
        raise LLMUnavailableError(failure_note(exc)) from exc
    return message_text(reply)


def stream_llm_text(question: str, hits: list[Hit], chat_model: BaseChatModel) -> Iterator[str]:
    """The model's answer as text pieces; raises LLMUnavailableError if the model fails."""
    try:
        for chunk in chat_model.stream(answer_messages(question, hits)):
            piece = message_text(chunk)
            if piece:
                yield piece
    except LLMUnavailableError:
        raise
    except Exception as exc:  # the model boundary
        raise LLMUnavailableError(failure_note(exc)) from exc


def condense_with_llm(question: str, history_text: str, chat_model: BaseChatModel) -> str:
    """The model's standalone version of a follow-up question (raw reply text)."""
    messages = _to_messages(render_messages("condense_question", history=_defuse(history_text), question=_defuse(question)))
    try:
        return message_text(chat_model.invoke(messages))
    except Exception as exc:  # the model boundary
        raise LLMUnavailableError(failure_note(exc)) from exc
