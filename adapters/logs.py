"""Logging setup with a filter that redacts tokens: SDK debug logs have leaked them before."""

from __future__ import annotations

import logging
import re

from stardrill import settings

TOKEN_PATTERNS = re.compile(
    r"(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|[MN][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,})"
)


def redact(text: str) -> str:
    for secret in settings.secret_values():
        if len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    return TOKEN_PATTERNS.sub("[redacted]", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


def setup(level: str | None = None) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel((level or settings.get("STARDRILL_LOG_LEVEL")).upper())
