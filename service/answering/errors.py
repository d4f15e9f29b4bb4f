"""Exceptions of the answering package. Messages are Danish and say what to do.

AnsweringError
 ├── GeneratorError             unknown generator name
 └── LLMUnavailableError        the language model cannot be reached (service.answering.llm)

An empty or too long question is knowledge's ``InvalidQuestionError`` (knowledge.questions), the same
for answering, search and the API.
"""

from __future__ import annotations

from knowledge.errors import InvalidQuestionError

__all__ = ["AnsweringError", "GeneratorError", "InvalidQuestionError"]


class AnsweringError(Exception):
    """Base class; ``message`` is the Danish text shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class GeneratorError(AnsweringError, ValueError):
    """An unknown answer generator was requested."""
