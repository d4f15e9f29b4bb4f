"""Exceptions raised while turning files into chunks.

IngestError                 base; ``message`` is Danish, for the user, and says what to do
 └── LoadError              the file cannot be read (corrupt, encrypted, empty, no text, ...)
      ├── UnsupportedFormatError   the file type is not supported
      └── FileTooLargeError        the file is over the configured size limit
"""

from __future__ import annotations


class IngestError(Exception):
    """Base of all ingest errors; ``message`` is a Danish, user-facing explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class LoadError(IngestError):
    """A file could not be read into text."""


class UnsupportedFormatError(LoadError):
    """The file type (suffix) is not one that almen can read."""


class FileTooLargeError(LoadError):
    """The file is larger than the configured limit (ALMEN_MAX_FILE_MB)."""
