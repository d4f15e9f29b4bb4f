"""Exceptions raised while turning files into chunks (under knowledge.errors.AlmenError).

IngestError                 base; ``message`` is Danish, for the user, and says what to do (422)
 └── LoadError              the file cannot be read (corrupt, encrypted, empty, no text, ...)
      ├── UnsupportedFormatError   the file type is not supported (415)
      └── FileTooLargeError        the file is over the configured size limit (413)
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
