"""SlackOutlet: the SlackAdapter as the outbox's sender and the inbox's helper (stardrill.ports.Outlet).

What the durable path needs from Slack: send one outbox row without pacing (the sender paces each
channel), tag every public post with its outbox row in message metadata so a crashed send can be
found again (one conversations.history / conversations.replies call with `oldest` = the claim's time,
never paging through history: distributed apps get about one such call a minute, of 15 messages), open a modal from the worker while its trigger id lives (~3 s; else a
private note), and read the replies posted in a question thread while the bot was down.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace

from stardrill.adapters.slack_adapter import blocks, scope, translate
from stardrill.adapters.slack_adapter.adapter import METADATA_TYPE, PLATFORM, SlackAdapter
from stardrill.messages import Message, Target
from stardrill.ports import DeliveryError, Item, Receipt, Rejected

log = logging.getLogger(__name__)

TRIGGER_LIFE = 2.5  # seconds: Slack's trigger ids expire after 3 s; past this a form would fail to open
CLOCK_SKEW = 5.0  # seconds searched before a claim's time (our clock and Slack's may differ)
SEND_WINDOW = 300.0  # seconds after a claim within which its send reached Slack (HTTP timeout and 429 retries included)
SEARCH_LIMIT = 15  # messages per history call a distributed, non-Marketplace app may read (Slack, 2025-05)
# Errors about the message itself: sending it again fails the same way. (Slack docs, 2026-03.)
MESSAGE_REJECTED = ("invalid_blocks", "msg_too_long", "msg_blocks_too_long", "no_text", "invalid_metadata",
                    "metadata_too_large", "too_many_attachments", "invalid_arguments")
CATCH_UP_PAGES = 20


class SlackOutlet(SlackAdapter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._triggers: dict[str, tuple[str, float]] = {}  # event id -> (trigger id, monotonic time received)
        self._triggers_lock = threading.Lock()

    # -- the ack path ------------------------------------------------------------------------------------

    def remember(self, event_id: str, trigger_id: str | None) -> None:
        """Keep an interaction's trigger id in memory (a modal may answer it within ~3 s)."""
        if not trigger_id:
            return
        now = time.monotonic()
        with self._triggers_lock:
            self._triggers[event_id] = (trigger_id, now)
            if len(self._triggers) > 1000:  # forget the expired ones
                self._triggers = {k: v for k, v in self._triggers.items() if now - v[1] < TRIGGER_LIFE}

    def enrich(self, event):
        """Who the member is (display name, workspace admin): users.info, cached; asked by the worker, not before the ack."""
        return replace(event, actor=translate.actor(event.actor.user_id, self.people))

    # -- the outbox -------------------------------------------------------------------------------------------

    def _call(self, method: str, where: str, **kwargs):
        try:
            return super()._call(method, where, **kwargs)
        except DeliveryError as exc:
            if not exc.permanent and any(code in str(exc) for code in MESSAGE_REJECTED):
                raise Rejected(str(exc)) from None
            raise

    def pace(self, lane: str) -> float:
        # chat.postMessage allows ~1/s per channel; ephemerals and DMs are not bound to the channel's pace
        return 0.0 if lane.startswith("user:") else self.pacer.reserve(lane)

    def send_item(self, item: Item) -> Receipt:
        message = item.payload
        if not isinstance(message, Message):
            self.deliver([message])  # a retraction: Slack cannot remove a member's message (logged)
            return Receipt("")
        if message.attachment is not None:
            self.send_file(message)
            return Receipt("")
        payloads = blocks.message_payloads(message)
        meta = {"event_type": METADATA_TYPE if message.track else "stardrill_message",
                "event_payload": {"track": message.track or "", "outbox": item.row_id}}
        ts = scope.posted(message.target, self._post_row(message.target, payloads[0], meta))
        rest = message.target
        if message.opens_thread and ts:  # a long question continues inside its own thread
            rest = Target(rest.platform, rest.channel, ts, rest.private_to, rest.direct_to)
        for payload in payloads[1:]:
            self._post_row(rest, payload, None)
        return Receipt(ts or "", message.target.thread or ts)

    def _post_row(self, target: Target, payload: blocks.Payload, meta: dict | None) -> str | None:
        body = {"text": payload.text, "blocks": payload.blocks, "unfurl_links": False, "unfurl_media": False}
        if target.private_to and not target.direct_to:
            return self._post_private(target, body)
        if target.thread and not target.direct_to:
            body["thread_ts"] = target.thread
        if meta:
            body["metadata"] = meta
        channel = self.dm_channel(target.direct_to) if target.direct_to else target.channel
        return self._call("chat_postMessage", channel, channel=channel, **body)["ts"]

    def find_item(self, item: Item) -> Receipt | None:
        """The row's post if Slack has it (metadata names the row), searched from the claim's time on."""
        message = item.payload
        if not isinstance(message, Message) or message.attachment is not None:
            return None
        target = message.target
        if target.private_to and not target.direct_to:
            return None  # an ephemeral is in no history: sent again, at worst twice
        channel = self.dm_channel(target.direct_to) if target.direct_to else target.channel
        thread = None if target.direct_to else target.thread
        for found in self._around_claim(channel, thread, item.claimed_at):
            if ((found.get("metadata") or {}).get("event_payload") or {}).get("outbox") == item.row_id:
                ts = scope.sibling(channel, found["ts"])
                return Receipt(ts, thread or ts)
        return None

    def _around_claim(self, channel: str, thread: str | None, claimed_at: float) -> list[dict]:
        """One call, never a second page: the messages posted from the claim's time to SEND_WINDOW after it.

        History lists newest first, so `latest` bounds it to the send's window: a busy channel's later
        chatter cannot push the post out of the 15 messages read.
        """
        oldest = f"{max(0.0, claimed_at - CLOCK_SKEW):.6f}"
        latest = f"{claimed_at + SEND_WINDOW:.6f}"
        if thread:
            page = self._call("conversations_replies", channel, channel=channel, ts=thread, oldest=oldest, latest=latest,
                              limit=SEARCH_LIMIT, include_all_metadata=True)
        else:
            page = self._call("conversations_history", channel, channel=channel, oldest=oldest, latest=latest,
                              limit=SEARCH_LIMIT, include_all_metadata=True)
        return page.get("messages", [])

    def _pages(self, channel: str, thread: str | None, oldest: str, pages: int):
        """Messages of a channel (or of one thread) from `oldest` on, page by page; DeliveryError if Slack cannot say."""
        cursor = None
        for _ in range(pages):
            if thread:
                page = self._call("conversations_replies", channel, channel=channel, ts=thread, oldest=oldest, limit=200,
                                  include_all_metadata=True, cursor=cursor)
            else:
                page = self._call("conversations_history", channel, channel=channel, oldest=oldest, limit=200,
                                  include_all_metadata=True, cursor=cursor)
            yield from page.get("messages", [])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return

    # -- forms and interactions -------------------------------------------------------------------------------

    def open_form(self, reply_to: str, modal) -> None:
        """From the worker: open at once while the trigger lives; otherwise a private note to press again."""
        with self._triggers_lock:
            trigger_id, at = self._triggers.pop(reply_to, (None, 0.0))
        if trigger_id and time.monotonic() - at > TRIGGER_LIFE:
            log.info("a form for %s came too late for its trigger; asking to press again", modal.for_user)
            trigger_id = None
        where = modal.target or Target(PLATFORM, "")
        try:
            self.open_modal(modal, trigger_id)
        except DeliveryError:
            if where.channel:
                self.tell_failure(modal.for_user, where.channel, where.thread)

    def settle(self, reply_to: str) -> None:
        with self._triggers_lock:
            self._triggers.pop(reply_to, None)

    # -- catch-up after downtime -----------------------------------------------------------------------------

    def missed(self, channel: str, thread: str, since: str | None) -> list:
        """Members' replies in a question thread after `since` (a ts; None: the whole thread), as inbox events."""
        found, (key, bare), root = [], scope.split(channel), scope.local(thread)
        for message in self._pages(channel, thread, since or root, CATCH_UP_PAGES):
            if message.get("ts") == root or (since and message.get("ts", "") <= since):
                continue  # the question itself, or the last reply already seen
            body = {"event": {**message, "type": "message", "channel": bare, "channel_type": "channel",
                              "thread_ts": message.get("thread_ts") or root}}
            event = scope.event(translate.message_event(body), key)  # the same ids as the live delivery
            if event is not None:
                found.append((event, (thread, message["ts"])))
        return found
