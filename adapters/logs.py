"""Logging setup with a filter that redacts tokens: SDK debug logs have leaked them before.

STARDRILL_LOG_FORMAT=json writes one JSON object per line (for log shippers); the same filter
redacts the record before either formatter sees it.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone

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


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, thread, message, and exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "thread": record.threadName,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(self.formatException(record.exc_info))
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)


FORMATTERS = {
    "text": lambda: logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"),
    "json": JsonFormatter,
}


class LogSettingError(ValueError):
    """STARDRILL_LOG_FORMAT or STARDRILL_LOG_LEVEL holds something else than a known value."""


def setup(level: str | None = None) -> None:
    chosen = settings.get("STARDRILL_LOG_FORMAT").strip().lower()
    if chosen not in FORMATTERS:
        raise LogSettingError(f"STARDRILL_LOG_FORMAT must be text or json, not {chosen!r}")
    level_name = (level or settings.get("STARDRILL_LOG_LEVEL")).strip().upper()
    if not isinstance(logging.getLevelName(level_name), int):
        raise LogSettingError(f"STARDRILL_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level_name!r}")
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(FORMATTERS[chosen]())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level_name)
