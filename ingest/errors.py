"""Exceptions raised while turning files into chunks (under knowledge.errors.AlmenError).

IngestError                 base; ``message`` is Danish, for the user, and says what to do (422)
 ├── LoadError              the file cannot be read (corrupt, encrypted, empty, no text, ...)
 │    ├── UnsupportedFormatError   the file type is not supported (415)
 │    └── FileTooLargeError        the file is over the configured size limit (413)
 └── LawImportError         a statute cannot be imported (``almen lov import``)
      ├── NotLegislationError      the text is no act or order, or its number and date are missing
      ├── FetchDisabledError       fetching by URL is off, or the host is not allowed (403)
      └── FetchError               the address could not be fetched
"""

from __future__ import annotations

from knowledge.errors import AlmenError


class IngestError(AlmenError):
    """Base of all ingest errors; ``message`` is a Danish, user-facing explanation."""


class LoadError(IngestError):
    """A file could not be read into text."""


class UnsupportedFormatError(LoadError):
    """The file type (suffix) is not one that almen can read."""

    status = 415


class FileTooLargeError(LoadError):
    """The file is larger than the configured limit (ALMEN_MAX_FILE_MB)."""

    status = 413


class LawImportError(IngestError):
    """An official statute text could not be imported."""


class NotLegislationError(LawImportError):
    """The file is not an act or order with a version designation (type, number, date)."""


class FetchDisabledError(LawImportError):
    """Fetching a law by URL is not configured (ALMEN_LAW_FETCH, ALMEN_LAW_FETCH_HOSTS)."""

    status = 403


class FetchError(LawImportError):
    """The address could not be fetched (unreachable, an HTTP error, an unusable answer)."""
