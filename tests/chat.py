"""A tiny driver that speaks to the core the way an adapter does (no adapter, no mocks)."""

from __future__ import annotations

import itertools

from stardrill.events import Actor, ButtonPressed, CommandInvoked, MessagePosted, ModalSubmitted, Where
from stardrill.messages import Message, Modal, Sent

_ids = itertools.count(1)

STRONG = (
    "As an SDE2 on the checkout team I noticed that about 0.3% of payment webhooks were silently dropped. "
    "The service was not my team's, there was no ticket and nobody asked me to look. "
    "I pulled a week of delivery logs and traced the drops to network timeouts with no retry. "
    "I reproduced it locally, wrote a bounded retry with backoff, and added a dead-letter alert. "
    "I took a tested pull request to their tech lead and convinced him by walking him through the revenue impact. "
    "The drop rate went from 0.3% to zero within a week, which recovered about $8K a week. "
    "Since then I add a delivery SLO and an alert whenever my team consumes another team's events."
)
WEAK = "Some webhooks were lost so I told the platform team. They fixed it. I think everyone was happy."


def nid(prefix: str = "e") -> str:
    return f"{prefix}{next(_ids)}"


class Member:
    """One simulated member in one channel."""

    def __init__(self, app, user: str, channel: str = "team", platform: str = "console", admin: bool = True):
        self.app, self.channel = app, channel
        self.actor = Actor(platform, user, user.title(), is_admin=admin)

    def command(self, name: str, args: str = "", thread: str | None = None):
        return self.app.handle(CommandInvoked(nid(), self.actor, Where(self.channel, thread), name, args))

    def say(self, text: str, thread: str | None = None, direct: bool = False, event_id: str | None = None):
        where = Where(self.channel, thread, direct=direct)
        return self.app.handle(MessagePosted(event_id or nid(), self.actor, where, text, nid("m")))

    def press(self, action: str, value: str, thread: str | None = None):
        return self.app.handle(ButtonPressed(nid(), self.actor, Where(self.channel, thread), action, value))

    def submit(self, action: str, value: str, fields: dict, thread: str | None = None):
        return self.app.handle(ModalSubmitted(nid(), self.actor, Where(self.channel, thread), action, value, fields))


def deliver(app, out) -> list:
    """Act as an adapter: confirm tracked messages with made-up platform ids; return the thread id opened."""
    threads = []
    for item in out:
        if isinstance(item, Message) and item.track:
            ts = nid("ts")
            app.sent(item.track, Sent(ts, ts))
            threads.append(ts)
    return threads


def messages(out, kind: str | None = None) -> list[Message]:
    return [m for m in out if isinstance(m, Message) and (kind is None or m.kind == kind)]


def modals(out) -> list[Modal]:
    return [m for m in out if isinstance(m, Modal)]


def button(message: Message, action: str):
    return next(b for b in message.buttons if b.action == action)
