"""Every setting in one registry: name, environment variable, default, help.

The README documents each entry (a test checks it). Secrets come only from the SDKs' usual
environment variables and are never printed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str
    secret: bool = False


SETTINGS: dict[str, Setting] = {
    s.env: s
    for s in (
        Setting("STARDRILL_DB", "~/.local/share/stardrill/stardrill.db", "Path of the SQLite database file (used when STARDRILL_DATABASE_URL is unset; with it, only the folder where this host keeps its health files)."),
        Setting("STARDRILL_DATABASE_URL", "", "postgresql://user:password@host:5432/dbname: use PostgreSQL, shared by any number of `stardrill run` processes, instead of the SQLite file (its password is never logged)."),
        Setting("STARDRILL_DATABASE_POOL_SIZE", "10", "Most PostgreSQL connections one process keeps open in its pool (1 to 1000), besides one for each lock it holds."),
        Setting("STARDRILL_CONTENT_DIRS", "", "Extra question-pack directories, separated by ':' (';' on Windows), merged after the bundled bank."),
        Setting("STARDRILL_LEVEL", "senior", "Default level for feedback when a member has not set one (sde1, sde2, senior, staff, tl, em, l7)."),
        Setting("STARDRILL_SEED", "0", "Seed for the question picker's order (same seed and history give the same questions)."),
        Setting("STARDRILL_ADMIN_USERS", "", "Comma-separated user ids (PLATFORM:ID or bare ids) allowed to change schedules besides platform admins."),
        Setting("STARDRILL_CATCHUP_GRACE_MINUTES", "720", "How late, in minutes (1 to 1440), a missed daily post may still be sent at start (never past the channel's local day)."),
        Setting("STARDRILL_FEEDBACK_PROCESSES", "0", "Worker processes that score answers (0 to 64); 0 scores in the inbox worker's thread. Either way the scoring runs before, not inside, the reply's write transaction."),
        Setting("STARDRILL_LOG_LEVEL", "INFO", "Log level (DEBUG, INFO, WARNING, ERROR). Tokens are redacted at every level."),
        Setting("STARDRILL_LOG_FORMAT", "text", "text, or json for one JSON object per line (time, level, logger, thread, message, exception), redacted the same way."),
        Setting("STARDRILL_METRICS_PORT", "", "Port on which `stardrill run` serves Prometheus GET /metrics, /healthz and /readyz (0: any free port, logged); empty: off. Slack HTTP mode serves them on its --port anyway."),
        Setting("STARDRILL_SLACK_API_URL", "https://slack.com/api/", "Slack Web API base URL (GovSlack, proxies, tests)."),
        Setting("STARDRILL_DISCORD_API_URL", "https://discord.com/api/v10", "Discord REST base URL (REST proxies, tests)."),
        Setting("STARDRILL_DISCORD_CLIENT_ID", "", "Discord application (client) id for `stardrill discord invite-url` (else --client-id, else fetched with DISCORD_TOKEN)."),
        Setting("STARDRILL_DISCORD_MESSAGE_CONTENT", "on", "on: thread replies are answers (needs the privileged Message Content intent); off: members answer with the Answer button's form."),
        Setting("STARDRILL_DISCORD_SHARD_IDS", "", "Discord gateway shards this process runs, e.g. 0,1 or 0-3 (needs STARDRILL_DISCORD_SHARD_COUNT); empty: all of them."),
        Setting("STARDRILL_DISCORD_SHARD_COUNT", "", "Discord shards across all processes (1 up); empty: as many as Discord recommends."),
        Setting("SLACK_BOT_TOKEN", "", "Slack bot token (xoxb-...). With SLACK_APP_TOKEN: Socket Mode; with SLACK_SIGNING_SECRET: HTTP mode.", secret=True),
        Setting("SLACK_APP_TOKEN", "", "Slack app-level token (xapp-...) for Socket Mode.", secret=True),
        Setting("SLACK_SIGNING_SECRET", "", "Slack signing secret for HTTP mode.", secret=True),
        Setting("SLACK_CLIENT_ID", "", "Slack app Client ID (digits.digits). Set: installation mode (HTTP only), any workspace installs the app from SLACK_INSTALL_PATH and SLACK_BOT_TOKEN becomes optional."),
        Setting("SLACK_CLIENT_SECRET", "", "Slack app Client Secret for the OAuth install and token rotation (installation mode).", secret=True),
        Setting("SLACK_SCOPES", "chat:write,commands,channels:history,groups:history,im:history,im:write,users:read,files:write", "Bot scopes asked at install, comma-separated (must include chat:write and commands); keep them equal to manifest.distributed.yml."),
        Setting("SLACK_INSTALL_PATH", "/slack/install", "URL path of the install link in installation mode (GET; redirects to Slack's consent page)."),
        Setting("SLACK_REDIRECT_URI_PATH", "/slack/oauth_redirect", "URL path Slack redirects to after consent in installation mode (the app's Redirect URL ends with it)."),
        Setting("SLACK_REDIRECT_URI", "", "Full https:// Redirect URL sent with the install link; empty: the one configured on the app."),
        Setting("STARDRILL_UNINSTALL_RETENTION_DAYS", "30", "Days (0 to 3650) a workspace's members' data is kept after it uninstalls the app or revokes its tokens; installing again within them keeps it and resumes its schedules."),
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
    """Current secret values, for the log redaction filter (of a database URL, its password)."""
    found = [os.environ[s.env] for s in SETTINGS.values() if s.secret and os.environ.get(s.env)]
    try:
        password = urlsplit(os.environ.get("STARDRILL_DATABASE_URL", "")).password
    except ValueError:  # not a URL at all: the store refuses it at start, with its own message
        password = None
    return found + [password] if password else found
