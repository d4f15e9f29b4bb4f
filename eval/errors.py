"""Exceptions of the eval package (under knowledge.errors.AlmenError). Messages are Danish and say what to do.

EvalError
 ├── DatasetError       a question file is missing or malformed (line number in the message)
 ├── RemoteError        the almen service under test cannot be reached or answers with an error
 └── ReportError        a report file cannot be read or has an unknown schema
"""

from __future__ import annotations

from knowledge.errors import AlmenError


class EvalError(AlmenError):
    """Base class; ``message`` is the Danish text shown to the user."""


class DatasetError(EvalError):
    """A question set cannot be read or is malformed."""


class RemoteError(EvalError):
    """The service under test failed (unreachable, 4xx/5xx, bad JSON)."""


class ReportError(EvalError):
    """A report file cannot be read or is not an almen evaluation report."""
