"""What adapters hand the core: platform-neutral inbound events (value objects)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    platform: str  # "console" | "slack" | "discord"
    user_id: str
    name: str = ""
    is_admin: bool = False  # the platform's own admin notion (workspace admin, Manage Server)
    is_bot: bool = False


@dataclass(frozen=True)
class Where:
    """Where an event happened. `thread` is the thread's root id; `direct` marks a DM or private context."""

    channel: str
    thread: str | None = None
    direct: bool = False


@dataclass(frozen=True)
class MessagePosted:
    event_id: str  # the platform's delivery id, for dedupe (Slack event_id, Discord message id)
    actor: Actor
    where: Where
    text: str
    message_id: str = ""
    removable: bool = False  # the bot may delete this message (Discord with Manage Messages, the console; not Slack)


@dataclass(frozen=True)
class CommandInvoked:
    """A slash command: `name` is "stardrill", "practice", "review" or "help"; `args` the rest of the line."""

    event_id: str
    actor: Actor
    where: Where
    name: str
    args: str = ""


@dataclass(frozen=True)
class ButtonPressed:
    event_id: str
    actor: Actor
    where: Where
    action: str  # one of messages.ACTIONS
    value: str = ""


@dataclass(frozen=True)
class ModalSubmitted:
    event_id: str
    actor: Actor
    where: Where
    action: str
    value: str
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HomeOpened:
    """A member opened their own page in the app (Slack's App Home tab)."""

    event_id: str
    actor: Actor
    where: Where


@dataclass(frozen=True)
class ShortcutInvoked:
    """A member ran a shortcut on a posted message: `name` says which ("star_feedback"); `author` wrote the message."""

    event_id: str
    actor: Actor
    where: Where  # the message's channel, and its thread when it is a reply
    name: str
    text: str
    author: str
    message_id: str = ""


Event = MessagePosted | CommandInvoked | ButtonPressed | ModalSubmitted | HomeOpened | ShortcutInvoked
