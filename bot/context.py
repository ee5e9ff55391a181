"""What every flow shares: the bank, the store, the clock, and small helpers over them.

Flows (daily, practice, review, commands, progress, schedules) take a `Context`; the dispatcher
(`stardrill.app.Stardrill`) is a Context that also routes events to them. Imports run one way:
the dispatcher imports the flows, flows import this module, never the dispatcher.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stardrill import settings
from stardrill.clock import Clock, SystemClock, iso
from stardrill.content_loader import Bank
from stardrill.content_models import LevelProfile
from stardrill.events import Event
from stardrill.messages import Message, Target
from stardrill.store import Store

MAX_ANSWER_CHARS = 12_000  # longer answers are cut (and told so); the engine caps its analysis anyway


def zone_of(tz: str | None) -> ZoneInfo:
    """A schedule's timezone; UTC for a channel without a schedule, or whose stored zone no longer loads (a reply or
    someone's progress must not fail on it; the scheduler reports such a row)."""
    try:
        return ZoneInfo(tz) if tz is not None else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class UserError(Exception):
    """A problem the member can fix; its message is shown to them as is."""


class NotYet(Exception):
    """The event refers to something still being written, so it is handled again shortly instead of now.

    The one case: a reply in a thread the bot cannot place yet, in a channel whose question is being posted
    (the platform has the post, and a member can reply to it, before the bot has stored its thread id).
    Handled now, the reply would read as chatter in someone else's thread and get no feedback.
    """


def default_level(bank: Bank) -> str:
    """STARDRILL_LEVEL, checked against the bank's levels (every command that falls back on it says the same)."""
    level = settings.get("STARDRILL_LEVEL").lower()
    if level not in bank.levels:
        raise UserError(f"STARDRILL_LEVEL={level!r} is not a level (known: {', '.join(bank.levels)})")
    return level


@dataclass
class Context:
    bank: Bank
    store: Store
    clock: Clock = field(default_factory=SystemClock)
    default_level: str = "senior"
    seed: int = 0
    admin_users: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, bank: Bank, store: Store, clock: Clock | None = None) -> "Context":
        admins = frozenset(u.strip() for u in settings.get("STARDRILL_ADMIN_USERS").split(",") if u.strip())
        level = default_level(bank)
        try:
            seed = settings.whole_number("STARDRILL_SEED")
        except settings.SettingError as exc:
            raise UserError(str(exc)) from None
        return cls(bank, store, clock or SystemClock(), level, seed, admins)

    # -- time and identity ------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.now()

    def stamp(self) -> str:
        return iso(self.now())

    def channel_zone(self, platform: str, channel: str) -> ZoneInfo:
        row = self.store.row("SELECT tz FROM schedules WHERE platform = ? AND channel_id = ?", (platform, channel))
        return zone_of(row["tz"] if row else None)

    def local_date(self, platform: str, channel: str, zone: ZoneInfo | None = None) -> str:
        """Today in the channel's schedule's timezone (UTC without one); `zone` when the caller read it already."""
        return self.now().astimezone(zone or self.channel_zone(platform, channel)).date().isoformat()

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

    def level_from(self, member_level: str | None, channel_level: str | None) -> LevelProfile:
        """level_for's answer from levels the caller read already: the member's, else the channel's, else the default."""
        return self.bank.level(member_level or channel_level or self.default_level)

    def is_admin(self, platform: str, user_id: str, platform_admin: bool) -> bool:
        return platform_admin or user_id in self.admin_users or f"{platform}:{user_id}" in self.admin_users

    # -- helpers for flows ---------------------------------------------------------------------------

    def private(self, event: Event, text: str, kind: str = "info", **extra) -> Message:
        where = event.where
        target = Target(event.actor.platform, where.channel, where.thread, private_to=event.actor.user_id)
        return Message(target, text, kind=kind, **extra)
