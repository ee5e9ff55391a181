"""Every setting in one registry: name, environment variable, default, help.

The README documents each entry (a test checks it). Secrets come only from the SDKs' usual
environment variables and are never printed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str
    secret: bool = False


SETTINGS: dict[str, Setting] = {
    s.env: s
    for s in (
        Setting("STARDRILL_DB", "~/.local/share/stardrill/stardrill.db", "Path of the SQLite database file."),
        Setting("STARDRILL_CONTENT_DIRS", "", "Extra question-pack directories, separated by ':' (';' on Windows), merged after the bundled bank."),
        Setting("STARDRILL_LEVEL", "senior", "Default level for feedback when a member has not set one (sde1, sde2, senior, staff, tl, em, l7)."),
        Setting("STARDRILL_SEED", "0", "Seed for the question picker's order (same seed and history give the same questions)."),
        Setting("STARDRILL_ADMIN_USERS", "", "Comma-separated user ids (PLATFORM:ID or bare ids) allowed to change schedules besides platform admins."),
        Setting("STARDRILL_CATCHUP_GRACE_MINUTES", "720", "How late, in minutes (1 to 1440), a missed daily post may still be sent at start (never past the channel's local day)."),
        Setting("STARDRILL_LOG_LEVEL", "INFO", "Log level (DEBUG, INFO, WARNING, ERROR). Tokens are redacted at every level."),
        Setting("STARDRILL_LOG_FORMAT", "text", "text, or json for one JSON object per line (time, level, logger, thread, message, exception), redacted the same way."),
        Setting("STARDRILL_METRICS_PORT", "", "Port on which `stardrill run` serves Prometheus GET /metrics, /healthz and /readyz (0: any free port, logged); empty: off. Slack HTTP mode serves them on its --port anyway."),
        Setting("STARDRILL_SLACK_API_URL", "https://slack.com/api/", "Slack Web API base URL (GovSlack, proxies, tests)."),
        Setting("STARDRILL_DISCORD_API_URL", "https://discord.com/api/v10", "Discord REST base URL (REST proxies, tests)."),
        Setting("STARDRILL_DISCORD_CLIENT_ID", "", "Discord application (client) id for `stardrill discord invite-url` (else --client-id, else fetched with DISCORD_TOKEN)."),
        Setting("STARDRILL_DISCORD_MESSAGE_CONTENT", "on", "on: thread replies are answers (needs the privileged Message Content intent); off: members answer with the Answer button's form."),
        Setting("SLACK_BOT_TOKEN", "", "Slack bot token (xoxb-...). With SLACK_APP_TOKEN: Socket Mode; with SLACK_SIGNING_SECRET: HTTP mode.", secret=True),
        Setting("SLACK_APP_TOKEN", "", "Slack app-level token (xapp-...) for Socket Mode.", secret=True),
        Setting("SLACK_SIGNING_SECRET", "", "Slack signing secret for HTTP mode.", secret=True),
        Setting("DISCORD_TOKEN", "", "Discord bot token.", secret=True),
        Setting("NO_COLOR", "", "Any value turns off colour in terminal output (output is plain whenever it is piped)."),
    )
}


def get(env: str) -> str:
    """The setting's value from the environment, or its default."""
    setting = SETTINGS[env]
    return os.environ.get(env, setting.default)


class SettingError(ValueError):
    """A setting holds a value Stardrill cannot use; the message names it and says what it takes, in one line."""


def whole_number(env: str, minimum: int | None = None, maximum: int | None = None, what: str = "a whole number") -> int:
    """An integer setting within bounds, or SettingError (never a silent fallback: 0 minutes of grace posts nothing)."""
    raw = get(env).strip() or SETTINGS[env].default  # set but empty: the default, as if unset
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = f" from {minimum}" if minimum is not None else ""
        bounds += f" to {maximum}" if maximum is not None else (" up" if minimum is not None else "")
        raise SettingError(f"{env} must be {what}{bounds}, not {raw!r}")
    return value


def secrets_present() -> list[str]:
    return [s.env for s in SETTINGS.values() if s.secret and os.environ.get(s.env)]


def secret_values() -> list[str]:
    """Current secret values, for the log redaction filter."""
    return [os.environ[s.env] for s in SETTINGS.values() if s.secret and os.environ.get(s.env)]
