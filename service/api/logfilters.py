"""Logging filters for the service: CPR numbers never reach the log (e.g. in access-logged query strings)."""

from __future__ import annotations

import logging

from ingest.cpr import redact_cpr


class RedactCprFilter(logging.Filter):
    """Replaces CPR numbers in a record's message and string arguments with '[CPR]'."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_cpr(record.msg)[0]
        if isinstance(record.args, tuple):
            record.args = tuple(redact_cpr(a)[0] if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact_cpr(v)[0] if isinstance(v, str) else v for k, v in record.args.items()}
        return True
