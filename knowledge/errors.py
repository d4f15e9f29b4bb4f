"""The exception tree of almen, and the knowledge package's part of it. Messages are Danish and say what to do.

Every error almen reports to a user is an ``AlmenError``: it carries the Danish ``message`` and the HTTP
``status`` the API answers with. The CLI turns any AlmenError into a red line and exit code 1; the API
turns it into a problem body (RFC 9457) in one handler. Anything else is a bug and is not caught there.

AlmenError (422 unless a subclass says otherwise)
 ├── KnowledgeError                    this package
 │    ├── StoreError (503)             the store cannot be opened, reached, read or written
 │    │    └── EmbeddingMismatchError  the store was built with another embedding model
 │    ├── StorageFullError (507)       the data directory's disk is (nearly) full: writes refused (knowledge.disk)
 │    ├── EmbeddingError (503)         the embedding model cannot be loaded or run
 │    └── QueryError                   a search request is malformed (empty query, bad filter or date)
 │         ├── InvalidQuestionError    the question is empty or too long (knowledge.questions)
 │         └── UnknownKindError        a document kind that does not exist
 ├── IngestError                       ingest.errors (LoadError, UnsupportedFormatError 415, FileTooLargeError 413)
 ├── EvalError                         eval.errors
 ├── AnsweringError                    service.answering.errors
 ├── AgreementError                    service.agreements.errors
 ├── ReviewError                       service.review.errors
 ├── KeyConfigError (500)              service.api.security: the configured API keys are malformed
 ├── OidcConfigError (500)             service.api.auth_oidc: the OIDC login settings cannot work
 ├── OidcError (its own status)        service.api.auth_oidc: a login that cannot go on
 ├── ProxyConfigError (500)            service.api.auth_proxy: the trusted-proxy login settings cannot work
 └── ScopeError                        service.api.scopes: a scope name that cannot be used
"""

from __future__ import annotations


class AlmenError(Exception):
    """Root of the errors almen reports to users: a Danish ``message`` and the HTTP ``status`` for the API."""

    status: int = 422

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class KnowledgeError(AlmenError):
    """Base class of the knowledge package's errors."""


class StoreError(KnowledgeError):
    """The vector store cannot be opened, reached, read or written."""

    status = 503


class EmbeddingMismatchError(StoreError):
    """The collection was built with another embedding model than the configured one."""


class StorageFullError(KnowledgeError):
    """The data directory's disk is full or below ALMEN_MIN_FREE_DISK_MB: nothing can be written."""

    status = 507


class EmbeddingError(KnowledgeError):
    """The embedding model cannot be loaded or run."""

    status = 503


class QueryError(KnowledgeError):
    """A malformed search request."""


class InvalidQuestionError(QueryError, ValueError):
    """The question is empty, only whitespace, or longer than allowed."""


class UnknownKindError(QueryError, ValueError):
    """A document kind (dokumenttype) that almen does not know."""
