"""Exceptions of the review package. Messages are Danish and say what to do.

ReviewError (also ValueError, so the CLI's error handling prints it as a red line)
 ├── NotAReportError           no key figures found: probably not a styringsrapport
 ├── PreviousReportError       the previous-year report is from another organisation or not an earlier year
 ├── ChecklistError            the checklist YAML is invalid
 └── ReviewNotFoundError       an unknown review id (API downloads)
"""

from __future__ import annotations


class ReviewError(ValueError):
    """Base class; ``message`` is the Danish text shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotAReportError(ReviewError):
    """The document has no key figures; it is probably not a styringsrapport."""


class PreviousReportError(ReviewError):
    """The previous-year report cannot be used with this report."""


class ChecklistError(ReviewError):
    """The checklist file is malformed."""


class ReviewNotFoundError(ReviewError):
    """No review with that id."""
