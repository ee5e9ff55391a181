"""The dispatcher: one object every adapter talks to. Core events in, core messages out.

`Stardrill.handle(event)` dedupes the delivery, routes it through one literal table to a flow
function, and returns the messages and modals the adapter should render. Flows live in
daily.py, practice.py, review.py and commands.py; they never see a platform object, and they
import what they share from context.py, never this module.
"""

from __future__ import annotations

import logging

from stardrill import buttons, commands, daily, home, message_feedback, metrics, practice, wire
from stardrill.context import Context, NotYet, UserError
from stardrill.events import (
    ButtonPressed, CommandInvoked, Event, HomeOpened, MessagePosted, ModalSubmitted, ShortcutInvoked,
)
from stardrill.messages import Outbound, Sent
from stardrill.store import records

log = logging.getLogger(__name__)


class Stardrill(Context):
    # -- the port ----------------------------------------------------------------------------------

    def handle(self, event: Event) -> list[Outbound]:
        """Process one inbound event; duplicates (redeliveries, gateway replays) return [].

        For adapters without an inbox (the console): the platform adapters store events in the
        inbox and call `process` from its worker, which dedupes on the inbox row instead.
        """
        if event.actor.is_bot:
            return []
        try:
            with self.store.write():  # the mark and the flow's writes commit together, or not at all
                if records.mark_event(self.store, event.actor.platform, event.event_id, self.stamp()):
                    return self.process(event)
        except NotYet as exc:  # without an inbox there is no later: nothing is written, the event is not answered
            log.warning("%s not handled: %s", event.event_id, exc)
            return []
        log.info("duplicate delivery %s ignored", event.event_id)
        return []

    def process(self, event: Event) -> list[Outbound]:
        """Route one event (already deduped) to its flow; the caller's transaction, if any, holds every write."""
        if event.actor.is_bot:
            return []
        event = wire.scrub(event)  # a lone surrogate (valid JSON, not storable text) becomes U+FFFD
        records.ensure_user(self.store, event.actor.platform, event.actor.user_id, event.actor.name, self.stamp())
        try:
            out = ROUTES[type(event)](self, event)
        except UserError as exc:
            return [self.private(event, str(exc), kind="error")]
        return out + home.after_answer(self, event, out)  # a member's page shows each answer they give

    def score_ahead(self, event: Event) -> None:
        """Score what handling this event will store (a thread reply's feedback) before the caller's transaction."""
        if isinstance(event, MessagePosted) and event.where.thread and not event.where.direct and not event.actor.is_bot:
            daily.score_ahead(self, event)

    def sent(self, track: str, receipt: Sent) -> None:
        """An adapter reports the platform ids of a tracked message (the daily question's thread)."""
        kind, _, ident = track.partition(":")
        if kind == "post":
            thread = receipt.thread_id or receipt.message_id
            records.mark_post_sent(self.store, int(ident), receipt.message_id, thread, self.stamp())
            metrics.POSTS_SENT.labels(records.post(self.store, int(ident))["platform"]).inc()

    def open_thread(self, platform: str, channel: str) -> str | None:
        """The thread of the channel's latest open question, so a restarted adapter keeps collecting answers."""
        post = records.latest_post(self.store, platform, channel)
        return post["thread_id"] if post and post["status"] == "sent" else None

    def in_practice(self, platform: str, user_id: str) -> bool:
        return records.active_session(self.store, platform, user_id) is not None


def _route_message(app: Stardrill, event: MessagePosted) -> list[Outbound]:
    if event.where.direct:
        return practice.on_message(app, event)
    if event.where.thread:
        return daily.on_thread_reply(app, event)
    return []  # ordinary channel chatter is not ours to answer


def _route_command(app: Stardrill, event: CommandInvoked) -> list[Outbound]:
    return commands.run(app, event)


def _route_button(app: Stardrill, event: ButtonPressed) -> list[Outbound]:
    return buttons.run(app, event)


def _route_modal(app: Stardrill, event: ModalSubmitted) -> list[Outbound]:
    return buttons.submit(app, event)


ROUTES = {
    MessagePosted: _route_message,
    CommandInvoked: _route_command,
    ButtonPressed: _route_button,
    ModalSubmitted: _route_modal,
    HomeOpened: home.opened,
    ShortcutInvoked: message_feedback.run,
}
