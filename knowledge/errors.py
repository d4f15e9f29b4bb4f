"""Exceptions of the knowledge package. Messages are Danish and say what to do.

KnowledgeError
 ├── StoreError            the store cannot be opened or reached
 │    └── EmbeddingMismatchError   the store was built with another embedding model
 ├── EmbeddingError        the embedding model cannot be loaded or run
 └── QueryError            a search request is malformed (empty query, bad filter or date)
      ├── InvalidQuestionError   the question is empty or too long (knowledge.questions)
      └── UnknownKindError       a document kind that does not exist
"""

from __future__ import annotations


class KnowledgeError(Exception):
    """Base class; ``message`` is the Danish text shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreError(KnowledgeError):
    """The vector store cannot be opened, reached or written."""


class EmbeddingMismatchError(StoreError):
    """The collection was built with another embedding model than the configured one."""


class EmbeddingError(KnowledgeError):
    """The embedding model cannot be loaded or run."""


class QueryError(KnowledgeError):
    """A malformed search request."""


class InvalidQuestionError(QueryError, ValueError):
    """The question is empty, only whitespace, or longer than allowed."""


class UnknownKindError(QueryError, ValueError):
    """A document kind (dokumenttype) that almen does not know."""
