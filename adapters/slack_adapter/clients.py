"""Which Web API client speaks for a workspace: one token (a self-hosted app) or one per installed workspace.

Every call the adapter makes goes through `Workspaces.call`: the workspace comes from the ids in the
call's arguments (or, for calls without one such as views.open, from what the call is about), the
ids lose their workspace prefix, and the call goes out with that workspace's bot token. With
installations, a token within the rotation window is refreshed before the call (Slack's rotating
tokens live 12 hours); a workspace with no installation (uninstalled, or its tokens revoked) is
WorkspaceGone, so the outbox marks the row failed in one warning line instead of retrying it. A token that Slack
calls dead is read again from the database first: another process may have heard the uninstall.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.oauth.token_rotation import TokenRotator

from stardrill.adapters.slack_adapter import scope
from stardrill.ports import DeliveryError, WorkspaceGone

log = logging.getLogger(__name__)

ROTATE_MINUTES = 120  # refresh a rotating token this long before it expires (Bolt's default)
DEAD_TOKEN = {"invalid_auth", "token_revoked", "token_expired", "account_inactive", "not_authed"}


def removed(key: str) -> str:
    """The reason a workspace's schedules are paused, and its sends fail, once it removed the app."""
    return f"Slack workspace {key} removed Stardrill (uninstalled or tokens revoked)"


class Workspaces:
    def __init__(self, make_client: Callable[[str | None], WebClient], default: WebClient | None = None,
                 installations=None, rotator: TokenRotator | None = None, rotate_minutes: int = ROTATE_MINUTES):
        self.make_client, self.default, self.installations = make_client, default, installations
        self.rotator, self.rotate_minutes = rotator, rotate_minutes
        self._clients: dict[str, tuple[str, WebClient]] = {}
        self._lock = threading.Lock()
        self._rotating: dict[str, threading.Lock] = {}

    @property
    def multi(self) -> bool:
        return self.installations is not None

    def call(self, method: str, where: str, **kwargs):
        key, bare = scope.outbound(kwargs)
        key = key or scope.key_of(where)
        try:
            return getattr(self.client(key), method)(**bare)
        except SlackApiError as exc:
            if key and exc.response.get("error") in DEAD_TOKEN:
                self.forget(key)  # read the installation again next time (reinstalled, or rotated elsewhere)
                if self.multi and self.installations.bot(key) is None:
                    raise WorkspaceGone(removed(key)) from None  # another process heard the uninstall first
            raise

    def users_info(self, *, user: str):
        return self.call("users_info", user, user=user)

    def forget(self, key: str) -> None:
        with self._lock:
            self._clients.pop(key, None)
        if self.installations is not None:
            self.installations.forget(key)

    def client(self, key: str | None) -> WebClient:
        if not self.multi or not key:
            if self.default is None:
                raise DeliveryError("a Slack id without its workspace, and no SLACK_BOT_TOKEN to send it with",
                                    permanent=True)
            return self.default
        token = self.token(key)
        known = self._clients.get(key)  # a dict read is atomic: the lock is only for making a client
        if known is None or known[0] != token:
            with self._lock:
                known = self._clients[key] = (token, self.make_client(token))
        return known[1]

    def token(self, key: str) -> str:
        """The workspace's bot token, refreshed first when it expires within the rotation window."""
        bot = self.installations.bot(key)
        if bot is None:
            raise WorkspaceGone(removed(key))
        if bot.bot_refresh_token is None or not self._expiring(bot):
            return bot.bot_token
        with self._lock:
            lock = self._rotating.setdefault(key, threading.Lock())
        with lock:  # one refresh per workspace at a time; the others wait and read its result
            self.installations.forget(key)
            bot = self.installations.bot(key)
            if bot is None:
                raise WorkspaceGone(removed(key))
            if not self._expiring(bot):
                return bot.bot_token
            try:
                fresh = self.rotator.perform_bot_token_rotation(bot=bot, minutes_before_expiration=self.rotate_minutes)
            except SlackTokenRotationError as exc:
                raise DeliveryError(f"refreshing the bot token of Slack workspace {key} failed: "
                                    f"{exc.api_error.response.get('error')}") from None
            if fresh is None:
                return bot.bot_token
            self.installations.save_bot(fresh)
            log.info("Slack workspace %s: bot token refreshed (rotation)", key)
            return fresh.bot_token

    def _expiring(self, bot) -> bool:
        return bot.bot_token_expires_at is not None and bot.bot_token_expires_at <= time.time() + self.rotate_minutes * 60
