"""Logging filters for the service: CPR numbers never reach the log (e.g. in access-logged query strings)."""

from __future__ import annotations

import logging
import re

from ingest.cpr import redact_cpr

# In a URL a CPR number can follow '+' or '%20' (encoded spaces; redact_cpr takes '+' for a phone prefix)
# or carry an encoded dash: 'GET /api/search?q=klage+0101901234' or '...q=klage%20010190%2D1234'.
_URL_CPR_RE = re.compile(r"(?:(?<=[+=&/?,])|(?<=%20)|(?<=%2[cC]))(\d{6})(?:-|%2[dD])?(\d{4})(?!\d)")
# Secrets a client put in a query string (keys are only read from headers, but never log them).
_SECRET_PARAM_RE = re.compile(r"(?i)([?&](?:api[_-]?key|apikey|key|token|access[_-]?token|password|secret)=)[^&\s\"]*")


def redact(text: str) -> str:
    """CPR numbers in a log text replaced by '[CPR]', also URL-encoded; secrets in query strings masked."""

    def url_form(match: re.Match[str]) -> str:
        return "[CPR]" if redact_cpr(f"{match.group(1)}-{match.group(2)}")[1] else match.group(0)

    return redact_cpr(_URL_CPR_RE.sub(url_form, _SECRET_PARAM_RE.sub(r"\1***", text)))[0]


class RedactCprFilter(logging.Filter):
    """Replaces CPR numbers in a record's message and string arguments with '[CPR]'."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True
