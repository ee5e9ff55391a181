"""Bolt's installation and OAuth state stores, kept in Stardrill's own database (SQLite now, PostgreSQL later).

Bolt's OAuth flow saves each workspace's install here and its authorize step reads the bot token back
on every request; the outbox reads it again for every send. Stardrill asks Slack for bot scopes only
(no user tokens), so the store runs in Bolt's bot-only mode: one row per workspace key (the
`enterprise_id` of an org-wide install, else the `team_id`). Reads go through a small in-process cache
(a dict lookup on the hot path instead of a query); a save or delete here drops the entry at once, and
entries expire after CACHE_SECONDS so a token rotated by another process is picked up. An uninstall or a
reinstall heard by another process must not wait that long (its sends would go out on a revoked token, or a
reinstalled workspace would get none), so the workspaces' uninstalled marks are read again every MARKS_SECONDS
(one query for all workspaces) and an entry that disagrees with them is read again from the database.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone

from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore

from stardrill.adapters.slack_adapter.scope import workspace_key
from stardrill.store import Store
from stardrill.workspaces import removed as removed_workspaces

log = logging.getLogger(__name__)

CACHE_SECONDS = 60.0
MARKS_SECONDS = 1.0  # another process's uninstall (or reinstall) reaches this process's sends within this
STATE_SECONDS = 600  # an install link is good for ten minutes (Bolt's default)
COLUMNS = ("workspace", "enterprise_id", "enterprise_name", "team_id", "team_name", "is_enterprise_install", "app_id",
           "installer_id", "bot_id", "bot_user_id", "bot_scopes", "bot_token", "bot_refresh_token",
           "bot_token_expires_at", "installed_at", "updated_at")


def _scopes(value) -> str:
    return ",".join(value) if isinstance(value, (list, tuple)) else (value or "")


def _now_text() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SlackInstallations(InstallationStore):
    def __init__(self, store: Store, on_installed: Callable[[str], None] | None = None):
        self.store = store
        self.on_installed = on_installed or (lambda key: None)
        self._cache: dict[str, tuple[float, Bot | None]] = {}
        self._lock = threading.Lock()
        self._removed: frozenset[str] = frozenset()  # workspaces marked uninstalled, as last read
        self._removed_read_at = float("-inf")  # monotonic
        self._logger = log

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    # -- writes ------------------------------------------------------------------------------------------

    def save(self, installation: Installation) -> None:
        """A finished OAuth install (first, or again after an uninstall)."""
        key = self.save_bot(installation.to_bot(), installer_id=installation.user_id)
        log.info("Slack workspace %s (%s) installed Stardrill", key, installation.team_name or installation.enterprise_name)
        self.on_installed(key)

    def save_bot(self, bot: Bot, installer_id: str | None = None) -> str:
        """Also what Bolt calls with a rotated token."""
        key = workspace_key(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        values = (key, bot.enterprise_id, bot.enterprise_name, bot.team_id, bot.team_name, int(bool(bot.is_enterprise_install)),
                  bot.app_id, installer_id, bot.bot_id, bot.bot_user_id, _scopes(bot.bot_scopes), bot.bot_token,
                  bot.bot_refresh_token, bot.bot_token_expires_at, bot.installed_at, _now_text())
        updates = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:] if c not in ("installer_id", "installed_at"))
        self.store.execute(
            f"INSERT INTO slack_installations ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
            f"ON CONFLICT (workspace) DO UPDATE SET {updates}, installer_id = COALESCE(excluded.installer_id, "
            "slack_installations.installer_id)", values)
        self.forget(key)
        return key

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = None) -> None:
        self.delete_key(self._key(enterprise_id, team_id, is_enterprise_install))

    def delete_installation(self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None,
                            is_enterprise_install: bool | None = None) -> None:
        if user_id is None:  # user tokens are never stored: only the whole install can be deleted
            self.delete_key(self._key(enterprise_id, team_id, is_enterprise_install))

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = None) -> None:
        self.delete_key(self._key(enterprise_id, team_id, is_enterprise_install))

    def delete_key(self, key: str) -> None:
        self.store.execute("DELETE FROM slack_installations WHERE workspace = ?", (key,))
        self.forget(key)

    def forget(self, key: str) -> None:
        with self._lock:
            self._cache.pop(key, None)

    # -- reads ------------------------------------------------------------------------------------------

    def find_bot(self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False) -> Bot | None:
        return self.bot(self._key(enterprise_id, team_id, is_enterprise_install))

    def find_installation(self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None,
                          is_enterprise_install: bool | None = False) -> Installation | None:
        bot = self.find_bot(enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install)
        if bot is None or user_id is not None:
            return None
        return Installation(app_id=bot.app_id, enterprise_id=bot.enterprise_id, enterprise_name=bot.enterprise_name,
                            team_id=bot.team_id, team_name=bot.team_name, bot_token=bot.bot_token, bot_id=bot.bot_id,
                            bot_user_id=bot.bot_user_id, bot_scopes=bot.bot_scopes, bot_refresh_token=bot.bot_refresh_token,
                            bot_token_expires_at=bot.bot_token_expires_at, is_enterprise_install=bot.is_enterprise_install,
                            installed_at=bot.installed_at, user_id="")

    def bot(self, key: str) -> Bot | None:
        """The workspace's bot install, from the cache when it is fresh."""
        now = time.monotonic()
        hit = self._cache.get(key)  # a dict read is atomic: no lock on the hot path (writes take it)
        if hit is not None and now - hit[0] < CACHE_SECONDS and (hit[1] is None) == (key in self._marks(now)):
            return hit[1]
        row = self.store.row("SELECT * FROM slack_installations WHERE workspace = ?", (key,))
        bot = _bot(row) if row else None
        with self._lock:
            self._cache[key] = (now, bot)
        return bot

    def _marks(self, now: float) -> frozenset[str]:
        """The uninstalled workspaces, read again when older than MARKS_SECONDS (stale by that much at most)."""
        if now - self._removed_read_at >= MARKS_SECONDS:
            self._removed_read_at = now  # first: the other threads keep the last set meanwhile, no stampede
            self._removed = frozenset(removed_workspaces(self.store, "slack"))
        return self._removed

    def workspaces(self) -> list[str]:
        return [r["workspace"] for r in self.store.rows("SELECT workspace FROM slack_installations ORDER BY workspace")]

    def _key(self, enterprise_id, team_id, is_enterprise_install) -> str:
        if is_enterprise_install is None:  # Bolt's revocation listeners do not say: an org row wins when there is one
            if enterprise_id and self.bot(enterprise_id) is not None:
                return enterprise_id
            return team_id or enterprise_id or ""
        return workspace_key(enterprise_id, team_id, is_enterprise_install)


def _bot(row: dict) -> Bot:
    return Bot(app_id=row["app_id"], enterprise_id=row["enterprise_id"], enterprise_name=row["enterprise_name"],
               team_id=row["team_id"], team_name=row["team_name"], bot_token=row["bot_token"], bot_id=row["bot_id"] or "",
               bot_user_id=row["bot_user_id"] or "", bot_scopes=row["bot_scopes"] or "",
               bot_refresh_token=row["bot_refresh_token"], bot_token_expires_at=row["bot_token_expires_at"],
               is_enterprise_install=bool(row["is_enterprise_install"]), installed_at=row["installed_at"])


class SlackOAuthStates(OAuthStateStore):
    """One-time `state` values of install links in progress (the CSRF guard of the OAuth redirect)."""

    def __init__(self, store: Store, expiration_seconds: int = STATE_SECONDS):
        self.store, self.expiration_seconds = store, expiration_seconds

    @property
    def logger(self) -> logging.Logger:
        return log

    def issue(self, *args, **kwargs) -> str:
        state = secrets.token_urlsafe(24)
        now = time.time()
        with self.store.write() as db:
            db.execute("DELETE FROM slack_oauth_states WHERE expires_at < ?", (now,))
            db.execute("INSERT INTO slack_oauth_states (state, expires_at) VALUES (?, ?)", (state, now + self.expiration_seconds))
        return state

    def consume(self, state: str) -> bool:
        found = self.store.write_one("DELETE FROM slack_oauth_states WHERE state = ? RETURNING expires_at", (state or "",))
        return bool(found) and found[0][0] >= time.time()
