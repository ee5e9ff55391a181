"""The core: one object every adapter talks to. Core events in, core messages out.

`Stardrill.handle(event)` dedupes the delivery, routes it through one literal table to a flow
function, and returns the messages and modals the adapter should render. Flows live in
daily.py, practice.py, review.py and commands.py; they never see a platform object.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import settings
from bot.clock import Clock, SystemClock, iso
from bot.content_loader import Bank
from bot.content_models import LevelProfile
from bot.events import ButtonPressed, CommandInvoked, Event, MessagePosted, ModalSubmitted
from bot.messages import Message, Outbound, Sent, Target
from bot.store import Store
from bot.store import records

log = logging.getLogger(__name__)

MAX_ANSWER_CHARS = 12_000  # longer answers are cut (and told so); the engine caps its analysis anyway


class UserError(Exception):
    """A problem the member can fix; its message is shown to them as is."""


@dataclass
class Stardrill:
    bank: Bank
    store: Store
    clock: Clock = field(default_factory=SystemClock)
    default_level: str = "senior"
    seed: int = 0
    admin_users: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, bank: Bank, store: Store, clock: Clock | None = None) -> "Stardrill":
        admins = frozenset(u.strip() for u in settings.get("STARDRILL_ADMIN_USERS").split(",") if u.strip())
        level = settings.get("STARDRILL_LEVEL").lower()
        if level not in bank.levels:
            raise UserError(f"STARDRILL_LEVEL={level!r} is not a level (known: {', '.join(bank.levels)})")
        return cls(bank, store, clock or SystemClock(), level, int(settings.get("STARDRILL_SEED") or 0), admins)

    # -- time and identity ------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.now()

    def stamp(self) -> str:
        return iso(self.now())

    def channel_zone(self, platform: str, channel: str) -> ZoneInfo:
        row = self.store.row("SELECT tz FROM schedules WHERE platform = ? AND channel_id = ?", (platform, channel))
        return ZoneInfo(row["tz"]) if row else ZoneInfo("UTC")

    def local_date(self, platform: str, channel: str) -> str:
        return self.now().astimezone(self.channel_zone(platform, channel)).date().isoformat()

    def level_for(self, platform: str, user_id: str, channel: str | None = None, override: str | None = None) -> LevelProfile:
        if override:
            return self.bank.level(override)
        user = self.store.row("SELECT level FROM users WHERE platform = ? AND user_id = ?", (platform, user_id))
        if user and user["level"]:
            return self.bank.level(user["level"])
        if channel:
            row = self.store.row("SELECT level FROM channels WHERE platform = ? AND channel_id = ?", (platform, channel))
            if row and row["level"]:
                return self.bank.level(row["level"])
        return self.bank.level(self.default_level)

    def is_admin(self, platform: str, user_id: str, platform_admin: bool) -> bool:
        return platform_admin or user_id in self.admin_users or f"{platform}:{user_id}" in self.admin_users

    # -- the port ----------------------------------------------------------------------------------

    def handle(self, event: Event) -> list[Outbound]:
        """Process one inbound event; duplicates (redeliveries, gateway replays) return []."""
        if event.actor.is_bot:
            return []
        with self.store.write():  # one commit for both: every event pays for it
            first = records.mark_event(self.store, event.actor.platform, event.event_id, self.stamp())
            if first:
                records.ensure_user(self.store, event.actor.platform, event.actor.user_id, event.actor.name, self.stamp())
        if not first:
            log.info("duplicate delivery %s ignored", event.event_id)
            return []
        try:
            return ROUTES[type(event)](self, event)
        except UserError as exc:
            return [self.private(event, str(exc), kind="error")]

    def sent(self, track: str, receipt: Sent) -> None:
        """An adapter reports the platform ids of a tracked message (the daily question's thread)."""
        kind, _, ident = track.partition(":")
        if kind == "post":
            thread = receipt.thread_id or receipt.message_id
            records.mark_post_sent(self.store, int(ident), receipt.message_id, thread, self.stamp())

    def open_thread(self, platform: str, channel: str) -> str | None:
        """The thread of the channel's latest open question, so a restarted adapter keeps collecting answers."""
        post = records.latest_post(self.store, platform, channel)
        return post["thread_id"] if post and post["status"] == "sent" else None

    def in_practice(self, platform: str, user_id: str) -> bool:
        return records.active_session(self.store, platform, user_id) is not None

    # -- helpers for flows ---------------------------------------------------------------------------

    def private(self, event: Event, text: str, kind: str = "info", **extra) -> Message:
        where = event.where
        target = Target(event.actor.platform, where.channel, where.thread, private_to=event.actor.user_id)
        return Message(target, text, kind=kind, **extra)


def _route_message(app: Stardrill, event: MessagePosted) -> list[Outbound]:
    from bot import daily, practice

    if event.where.direct:
        return practice.on_message(app, event)
    if event.where.thread:
        return daily.on_thread_reply(app, event)
    return []  # ordinary channel chatter is not ours to answer


def _route_command(app: Stardrill, event: CommandInvoked) -> list[Outbound]:
    from bot import commands

    return commands.run(app, event)


def _route_button(app: Stardrill, event: ButtonPressed) -> list[Outbound]:
    from bot import buttons

    return buttons.run(app, event)


def _route_modal(app: Stardrill, event: ModalSubmitted) -> list[Outbound]:
    from bot import buttons

    return buttons.submit(app, event)


ROUTES = {
    MessagePosted: _route_message,
    CommandInvoked: _route_command,
    ButtonPressed: _route_button,
    ModalSubmitted: _route_modal,
}
