"""A workspace's life with the app: adopted (old single-workspace rows), uninstalled, purged after retention.

`app_uninstalled` and `tokens_revoked` (bot token) delete the workspace's tokens, pause its schedules
with the reason and stop every send to it (the outbox finds no token and fails the row with that
reason, never retrying it); its members' data is deleted after STARDRILL_UNINSTALL_RETENTION_DAYS
unless it is installed again, which resumes the schedules the uninstall paused.
"""

from __future__ import annotations

import logging
import threading

from slack_bolt import App

from stardrill import workspaces
from stardrill.adapters.slack_adapter import scope
from stardrill.adapters.slack_adapter.bolt_app import workspace
from stardrill.adapters.slack_adapter.clients import Workspaces, removed

log = logging.getLogger(__name__)

PLATFORM = "slack"
PURGE_EVERY = 3600.0  # seconds between checks for workspaces past their retention


def register(app: App, core, clients: Workspaces) -> None:
    @app.event("app_uninstalled")
    def on_uninstalled(ack, context):
        gone(core, clients, workspace(context))
        ack()

    @app.event("tokens_revoked")
    def on_tokens_revoked(ack, event, context):
        if (event.get("tokens") or {}).get("bot"):  # user tokens are never used: only the bot's matter
            gone(core, clients, workspace(context))
        ack()


def gone(core, clients: Workspaces, key: str) -> None:
    if clients.installations is not None:
        clients.installations.delete_key(key)
    clients.forget(key)
    workspaces.uninstalled(core.store, PLATFORM, key, removed(key), core.now())


def installed(core, clients: Workspaces, key: str) -> None:
    clients.forget(key)
    workspaces.reinstalled(core.store, PLATFORM, key, core.now())


def adopt(core, client, auth: dict | None = None) -> str:
    """Qualify the rows written before workspaces were tracked with the configured token's workspace (once; idempotent)."""
    auth = auth or client.auth_test()
    key = scope.workspace_key(auth.get("enterprise_id"), auth.get("team_id"), auth.get("is_enterprise_install"))
    changed = workspaces.adopt(core.store, PLATFORM, key)
    if changed:
        log.info("Slack: %d stored row(s) from before workspaces were tracked now belong to workspace %s "
                 "(STARDRILL_ADMIN_USERS and CLI ids take the form slack:%s:U0123)", changed, key, key)
    return key


class Purger:
    """Deletes the data of workspaces uninstalled longer ago than the retention period: at start, then hourly."""

    def __init__(self, core, days: int, every: float = PURGE_EVERY):
        self.core, self.days, self.every = core, days, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stardrill-slack-retention", daemon=True)

    def start(self) -> "Purger":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)

    def run_once(self) -> list[str]:
        return workspaces.purge_due(self.core.store, PLATFORM, self.days, self.core.now())

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("Slack: deleting uninstalled workspaces' data failed; trying again later")
            self._stop.wait(self.every)
