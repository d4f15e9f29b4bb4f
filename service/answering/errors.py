"""Exceptions of the answering package. Messages are Danish and say what to do.

AnsweringError
 ├── InvalidQuestionError (also ValueError)   the question is empty or too long
 └── GeneratorError                            unknown generator name
"""

from __future__ import annotations


class AnsweringError(Exception):
    """Base class; ``message`` is the Danish text shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidQuestionError(AnsweringError, ValueError):
    """The question is empty, only whitespace, or longer than allowed."""


class GeneratorError(AnsweringError, ValueError):
    """An unknown answer generator was requested."""
