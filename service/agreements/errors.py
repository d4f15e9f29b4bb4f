"""Exceptions of the agreements package (under knowledge.errors.AlmenError). Messages are Danish and say what to do.

AgreementError
 └── AgreementFilterError (also ValueError)   an unknown agreement type or status in a filter
"""

from __future__ import annotations

from knowledge.errors import AlmenError


class AgreementError(AlmenError):
    """Base class; ``message`` is the Danish text shown to the user."""


class AgreementFilterError(AgreementError, ValueError):
    """A filter on the register names a type or status that does not exist."""
