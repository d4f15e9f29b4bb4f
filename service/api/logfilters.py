"""Logging filters for the service: CPR numbers never reach the log (e.g. in access-logged query strings)."""

from __future__ import annotations

import logging
import re

from ingest.cpr import redact_cpr

# Secrets a client put in a query string (keys are only read from headers, but never log them), and the
# one-time values of an OpenID Connect login callback (code, state): logged, they could be replayed by whoever
# reads the log before the login completes.
_SECRET_PARAM_RE = re.compile(
    r"(?i)([?&](?:api[_-]?key|apikey|key|token|access[_-]?token|id[_-]?token|refresh[_-]?token|password|secret"
    r"|client[_-]?secret|code|state|code[_-]?verifier|nonce|session_state)=)[^&\s\"]*"
)


def redact(text: str) -> str:
    """CPR numbers in a log text replaced by '[CPR]', also URL-encoded ('+', '%20', '%E2%80%93'); secrets in
    query strings masked. Log lines are read as possibly URL-encoded: a request line is logged as sent."""
    return redact_cpr(_SECRET_PARAM_RE.sub(r"\1***", text), url=True)[0]


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
