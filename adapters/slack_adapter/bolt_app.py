"""The Bolt app: listeners that translate, store the event in the inbox, and ack; never more.

Why (Slack, 2026-03): commands, actions and view submissions must be acked within 3 s or the
member sees an error, and Events API deliveries are retried when not acked in 3 s. An event is
written to the inbox before the ack, so an acked event is never lost; the inbox worker handles it
and the outbox sends the replies, paced per channel there, so nothing ever waits in these threads.
"""

from __future__ import annotations

import logging
import re

from slack_bolt import App

from stardrill import message_feedback
from stardrill.adapters.slack_adapter import scope, translate
from stardrill.adapters.slack_adapter.adapter import SlackAdapter
from stardrill.adapters.slack_adapter.servers import CountingExecutor

log = logging.getLogger(__name__)

COMMAND_NAMES = re.compile(r"^/(stardrill|practice|review)$")
ANY = re.compile(r".*")
SHORTCUT = message_feedback.NAME  # the message shortcut's callback_id in manifest.yml
WORKERS = 16  # listener threads: each stores one event and acks


class _TokenFromClient(logging.Filter):
    """Drop Bolt's "`token` will be unused" warning: Bolt reads SLACK_BOT_TOKEN from the environment
    and warns because a client is passed too, but that client was built from the very same token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


BOLT_LOG = logging.getLogger("stardrill.adapters.slack_adapter.bolt")
BOLT_LOG.addFilter(_TokenFromClient())


def build_app(core, adapter: SlackAdapter, *, signing_secret: str = "", process_before_response: bool = True,
              token_verification: bool = True, relay=None, options: dict | None = None) -> App:
    """A sync Bolt App over the adapter's WebClient, with Stardrill's listeners registered.

    process_before_response: each listener runs to its end before Slack gets the response. Ours only
    store the event (a fraction of a millisecond), and without it Bolt acks an Events API delivery
    *before* calling the listener: an event acked and then lost in a crash.

    options: App arguments that replace the defaults (installation mode: a tokenless client, the OAuth
    flow and the installation store's authorize).
    """
    app = App(**{
        "client": adapter.client,
        "signing_secret": signing_secret or None,
        "request_verification_enabled": bool(signing_secret),  # Socket Mode has no signatures
        "process_before_response": process_before_response,
        "token_verification_enabled": token_verification,
        "logger": BOLT_LOG,
        "listener_executor": CountingExecutor(max_workers=WORKERS, thread_name_prefix="stardrill-slack"),
        **(options or {}),
    })
    register(app, adapter, relay)
    return app


def register(app: App, adapter: SlackAdapter, relay) -> None:
    @app.command(COMMAND_NAMES)
    def on_command(ack, body, context):
        take(relay, adapter, ack, context, lambda: translate.command_event(body), body.get("trigger_id"), command=True)

    @app.event("message")
    def on_message(ack, body, context):
        event = body.get("event") or {}
        thread = event.get("thread_ts")
        if not thread and not translate.is_direct(event.get("channel", ""), event.get("channel_type")):
            ack()
            return  # top-level chatter: the core answers thread replies and DMs only; nothing stored
        cursor = (thread, event.get("ts", "")) if thread and event.get("ts") else None
        take(relay, adapter, ack, context, lambda: translate.message_event(body), cursor=cursor)

    @app.action(ANY)
    def on_action(ack, body, context):
        take(relay, adapter, ack, context, lambda: translate.action_event(body), body.get("trigger_id"))

    @app.view(ANY)
    def on_view(ack, body, context):  # acking closes the modal; the answers arrive as messages
        take(relay, adapter, ack, context, lambda: translate.view_event(body), body.get("trigger_id"))

    @app.event("app_home_opened")
    def on_home(ack, body, context):  # the member's Home tab: published from the worker with views.publish
        take(relay, adapter, ack, context, lambda: translate.home_opened_event(body))

    @app.message_shortcut(SHORTCUT)
    def on_shortcut(ack, body, context):  # "Get STAR feedback" on a message: the reply is private
        take(relay, adapter, ack, context, lambda: translate.shortcut_event(body), body.get("trigger_id"))


def take(relay, adapter, ack, context, make_event, trigger_id: str | None = None, cursor=None,
         command: bool = False) -> None:
    """Translate (pure: who the member is is looked up later, by the worker), store, ack, then hand the event to
    the worker threads; never work here.

    Every channel and member id is qualified with the workspace the request came from (Bolt's context:
    the org of an org-wide install, else the team), so workspaces sharing an id never meet in the core.

    A payload that cannot be read is acked and dropped (a retry would fail the same way). When the
    store refuses, an event is left unacked so Slack delivers it again; a command, which Slack never
    retries, is acked with a note to try again.
    """
    try:
        key = workspace(context)
        event = scope.event(make_event(), key)
    except Exception:
        log.exception("a Slack payload could not be read; dropped")
        ack()
        return
    if event is None:
        ack()
        return
    adapter.remember(event.event_id, trigger_id)
    if cursor:  # the thread as the core knows it; the position stays Slack's ts (cursors compare them as text)
        cursor = (scope.qualify(key, cursor[0]), cursor[1])
    try:
        row_id = relay.store_event(event, cursor)
    except Exception:
        log.exception("storing a Slack %s failed", type(event).__name__)
        if command:
            ack(text=STORE_FAILED)
            return
        raise  # not acked: Slack delivers it again
    try:
        ack()
    finally:  # stored: handled whatever the ack did (a failed ack leaves a redelivery, deduped on its id)
        if row_id is not None:
            relay.hand_off(row_id)


def workspace(context) -> str:
    return scope.workspace_key(context.enterprise_id, context.team_id, context.is_enterprise_install)


STORE_FAILED = "Stardrill could not take that just now (its database is busy or unavailable). Please try again."
