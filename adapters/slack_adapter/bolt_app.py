"""The Bolt app: listeners that ack, translate, hand the event to the core and deliver the result.

Why this order (Slack, 2026-03): commands, actions and view submissions must be acked within 3 s
or the member sees an error, so every listener acks first and works after. An exception after
ack() in a sync App has been seen corrupting the HTTP response, so nothing escapes a listener:
errors are logged and the member gets a short private note.
"""

from __future__ import annotations

import logging
import re

from slack_bolt import App

from stardrill.adapters.slack_adapter import translate
from stardrill.adapters.slack_adapter.adapter import SlackAdapter
from stardrill.adapters.slack_adapter.servers import CountingExecutor

log = logging.getLogger(__name__)

COMMAND_NAMES = re.compile(r"^/(stardrill|practice|review)$")
ANY = re.compile(r".*")
WORKERS = 16  # listener threads: deliveries can wait on per-channel pacing or a 429's Retry-After


class _TokenFromClient(logging.Filter):
    """Drop Bolt's "`token` will be unused" warning: Bolt reads SLACK_BOT_TOKEN from the environment
    and warns because a client is passed too, but that client was built from the very same token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


BOLT_LOG = logging.getLogger("stardrill.adapters.slack_adapter.bolt")
BOLT_LOG.addFilter(_TokenFromClient())


def build_app(core, adapter: SlackAdapter, *, signing_secret: str = "", process_before_response: bool = False,
              token_verification: bool = True) -> App:
    """A sync Bolt App over the adapter's WebClient, with Stardrill's four listeners registered."""
    app = App(
        client=adapter.client,
        signing_secret=signing_secret or None,
        request_verification_enabled=bool(signing_secret),  # Socket Mode has no signatures
        process_before_response=process_before_response,
        token_verification_enabled=token_verification,
        logger=BOLT_LOG,
        listener_executor=CountingExecutor(max_workers=WORKERS, thread_name_prefix="stardrill-slack"),  # its count: inbox depth
    )
    register(app, core, adapter)
    return app


def register(app: App, core, adapter: SlackAdapter) -> None:
    lookup = adapter.people

    @app.command(COMMAND_NAMES)
    def on_command(ack, body):
        ack()
        run(core, adapter, lambda: translate.command_event(body, lookup), body.get("user_id"), body.get("channel_id"),
            trigger_id=body.get("trigger_id"))

    @app.event("message")
    def on_message(ack, body):
        ack()
        event = body.get("event") or {}
        thread = event.get("thread_ts")
        if not thread and not translate.is_direct(event.get("channel", ""), event.get("channel_type")):
            return  # top-level chatter: the core answers thread replies and DMs only; skip the lookup and writes
        run(core, adapter, lambda: translate.message_event(body, lookup), event.get("user"), event.get("channel"), thread)

    @app.action(ANY)
    def on_action(ack, body):
        ack()
        where = translate.action_where(body)
        run(core, adapter, lambda: translate.action_event(body, lookup), (body.get("user") or {}).get("id"),
            where.channel, where.thread, trigger_id=body.get("trigger_id"))

    @app.view(ANY)
    def on_view(ack, body):
        ack()  # closes the modal; the answers arrive as messages
        run(core, adapter, lambda: translate.view_event(body, lookup), (body.get("user") or {}).get("id"), None)


def run(core, adapter: SlackAdapter, make_event, user: str | None, channel: str | None, thread: str | None = None,
        trigger_id: str | None = None) -> None:
    """Translate, handle, deliver; never raise (we are past ack)."""
    event = None
    try:
        event = make_event()
        if event is None:
            return
        adapter.deliver(core.handle(event), trigger_id=trigger_id)
    except Exception:
        log.exception("handling Slack %s failed", type(event).__name__ if event else "payload")
        channel = channel or (event.where.channel if event else None)
        thread = thread or (event.where.thread if event else None)
        if user and channel:
            adapter.tell_failure(user, channel, thread)
