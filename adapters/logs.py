"""Logging setup with a filter that redacts tokens: SDK debug logs have leaked them before.

STARDRILL_LOG_FORMAT=json writes one JSON object per line (for log shippers); the same filter
redacts the record before either formatter sees it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from datetime import datetime, timezone

from stardrill import settings

# xoxe-: Slack's refresh tokens (token rotation); a rotating bot token is `xoxe.xoxb-…`, caught by xoxb-
TOKEN_PATTERNS = re.compile(
    r"(xox[abposre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|[MN][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,})"
)


# Discord interaction and webhook tokens ride in URL paths (valid 15 minutes); Slack's response_url is a bearer URL.
URL_SECRETS = re.compile(r"(/(?:interactions|webhooks)/\d+/)[^/\s?'\"]+|https://hooks\.slack\.com/[^\s'\"]+")
# SDK loggers dump whole payloads (members' answers, response_url, interaction tokens) at DEBUG, some at WARNING.
SDK_LOGGERS = ("slack_sdk", "slack_bolt", "stardrill.adapters.slack_adapter.bolt", "discord", "aiohttp", "websockets")


def redact(text: str) -> str:
    for secret in settings.secret_values():
        if len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    text = URL_SECRETS.sub(lambda m: f"{m.group(1)}[redacted]" if m.group(1) else "[redacted]", text)
    return TOKEN_PATTERNS.sub("[redacted]", text)


def summarise_payload(message: str) -> str:
    """From the first '{' on, a payload is logged only as its length and a hash (enough to match two lines up)."""
    cut = message.find("{")
    if cut < 0:
        return message
    payload = message[cut:]
    digest = hashlib.sha256(payload.encode("utf-8", "replace")).hexdigest()[:12]
    return f"{message[:cut]}[payload: {len(payload)} chars, sha256 {digest}]"


class PrivacyFilter(logging.Filter):
    """Records of the platform SDKs keep their words but never a payload: no answer text at any level."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(SDK_LOGGERS):
            message = record.getMessage()
            summary = summarise_payload(message)
            if summary != message:
                record.msg, record.args = summary, None
        return True


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
    handler.addFilter(PrivacyFilter())  # first: a payload is summarised before anything else reads it
    handler.addFilter(RedactingFilter())
    handler.setFormatter(FORMATTERS[chosen]())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level_name)
