"""Exceptions of the review package (under knowledge.errors.AlmenError). Messages are Danish and say what to do.

ReviewError
 ├── NotAReportError           no key figures found: probably not a styringsrapport
 ├── PreviousReportError       the previous-year report is from another organisation or not an earlier year
 ├── ChecklistError            the checklist YAML is invalid
 └── ReviewNotFoundError       an unknown review id (404)
"""

from __future__ import annotations

from knowledge.errors import AlmenError


class ReviewError(AlmenError):
    """Base class; ``message`` is the Danish text shown to the user."""


class NotAReportError(ReviewError):
    """The document has no key figures; it is probably not a styringsrapport."""


class PreviousReportError(ReviewError):
    """The previous-year report cannot be used with this report."""


class ChecklistError(ReviewError):
    """The checklist file is malformed."""


class ReviewNotFoundError(ReviewError):
    """No review with that id."""

    status = 404
