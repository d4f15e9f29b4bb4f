"""Schemas of the OpenAI-compatible endpoints (/v1/chat/completions, /v1/models)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.api.schemas import QUESTION_HARD_LIMIT, CitationPublic, FiltersRequest


class ContentPartRequest(BaseModel):
    """A part of a message's content; only text parts are read."""

    model_config = ConfigDict(extra="allow")
    type: str = Field(..., max_length=40)
    text: str | None = Field(None, max_length=QUESTION_HARD_LIMIT)


class ChatMessageRequest(BaseModel):
    """One message in OpenAI format."""

    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPartRequest] | None = Field(None)

    def text(self) -> str:
        """The text of the message (text parts joined)."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(p.text or "" for p in self.content if p.type == "text")


class ChatCompletionRequest(BaseModel):
    """An OpenAI chat completion request. Unknown OpenAI parameters are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str = Field("almen", max_length=200, description="almen (udtræk) eller almen-llm (sprogmodel).")
    messages: list[ChatMessageRequest] = Field(..., min_length=1, max_length=200)
    stream: bool = False
    almen_filters: FiltersRequest | None = Field(None, description="Valgfrie filtre (almen-udvidelse).")


class UrlCitationPublic(BaseModel):
    """Where a citation sits in the content (code point offsets, end exclusive) and the page it links to."""

    url: str
    title: str
    start_index: int
    end_index: int


class AnnotationPublic(BaseModel):
    """An OpenAI message annotation: a ``url_citation``."""

    type: Literal["url_citation"] = "url_citation"
    url_citation: UrlCitationPublic


class ChatMessagePublic(BaseModel):
    """The assistant's message, with its citations as OpenAI ``url_citation`` annotations."""

    role: Literal["assistant"] = "assistant"
    content: str
    annotations: list[AnnotationPublic] = Field(default_factory=list)


class ChoicePublic(BaseModel):
    """One completion choice."""

    index: int = 0
    message: ChatMessagePublic
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class UsagePublic(BaseModel):
    """Approximate token counts (words)."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletionPublic(BaseModel):
    """An OpenAI chat completion, plus almen's citations as extra fields."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChoicePublic]
    usage: UsagePublic
    almen_answer_id: str
    almen_abstained: bool
    almen_citations: list[CitationPublic]


class ModelPublic(BaseModel):
    """A model as OpenAI lists it."""

    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "almen"


class ModelListPublic(BaseModel):
    """Available models."""

    object: Literal["list"] = "list"
    data: list[ModelPublic]


def chunk_payload(completion_id: str, created: int, model: str, delta: dict[str, Any],
                  finish_reason: str | None = None, **extra: Any) -> dict[str, Any]:
    """One streamed ``chat.completion.chunk`` object."""
    return {
        "id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}], **extra,
    }
