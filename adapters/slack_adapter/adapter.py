"""SlackAdapter: bot.ports.ChatAdapter over slack_sdk's WebClient.

Renders core messages with blocks.py and sends them: threads by thread_ts, `private_to` as
ephemeral messages, `direct_to` as DMs, modals with views.open. Tracked messages carry message
metadata so a restarted process can find what it already posted (already_posted).
"""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk.errors import SlackApiError

from stardrill.adapters.slack_adapter import blocks, home, scope, translate
from stardrill.adapters.slack_adapter.clients import Workspaces
from stardrill.adapters.slack_adapter.pacing import Pacer
from stardrill.adapters.slack_adapter.people import Directory
from stardrill.events import Where
from stardrill.messages import HomeView, Message, Modal, Outbound, Retract, Sent, Target
from stardrill.ports import DeliveryError

log = logging.getLogger(__name__)

PLATFORM = "slack"
METADATA_TYPE = "stardrill_post"
LOOKBACK_SECONDS = 86_400  # a tracked post is looked up over the last day (one daily question)

# Errors that no retry can fix; the scheduler pauses the channel's schedule on them. (Slack docs, 2026-03.)
PERMANENT = {
    "not_in_channel", "channel_not_found", "is_archived", "missing_scope", "not_authed", "invalid_auth",
    "account_inactive", "token_revoked", "restricted_action", "ekm_access_denied", "team_access_not_granted",
    "cannot_dm_bot", "user_not_in_channel", "user_not_found",
}
HINTS = {
    "not_in_channel": "invite the app to the channel: /invite @Stardrill",
    "channel_not_found": "the channel was deleted, or it is private and the app is not in it",
    "is_archived": "the channel is archived",
    "missing_scope": "reinstall the app from adapters/slack_adapter/manifest.yml",
}
SORRY = "Sorry, that did not work (the error was logged). Please try again in a moment."


class SlackAdapter:
    platform = PLATFORM

    def __init__(self, core, client, pacer: Pacer | None = None, people: Directory | None = None,
                 workspaces: Workspaces | None = None):
        self.core = core
        self.client = client  # the single-token client (None when only installed workspaces are served)
        self.slack = workspaces or Workspaces(lambda token: client, default=client)  # every call goes through it
        self.pacer = pacer or Pacer()
        self.people = people or Directory(self.slack)
        self._dms: dict[str, str] = {}
        self._lock = threading.Lock()

    # -- the port ---------------------------------------------------------------------------------

    def deliver(self, outbound: list[Outbound], *, trigger_id: str | None = None) -> None:
        """Send each item in order; a Modal needs the trigger_id of the interaction being handled."""
        for item in outbound:
            if isinstance(item, Modal):
                self.open_modal(item, trigger_id)
            elif isinstance(item, HomeView):
                self.publish_home(item)
            elif isinstance(item, Retract):
                # chat.delete of a member's message needs that member's token; the core never asks Slack
                # (MessagePosted.removable is False here) and has told the member to delete it instead.
                log.warning("cannot remove message %s in %s on Slack", item.message_id, item.target.channel)
            else:
                self.send(item)

    def already_posted(self, channel: str, track: str) -> str | None:
        """The ts of a tracked message posted in the last day (found by its metadata), or None.

        Raises DeliveryError when Slack cannot be asked (the caller must not guess).
        """
        cursor = None
        for _ in range(5):  # 5 pages of 200: more than a day of any team channel we serve
            # A failure raises DeliveryError: "unknown" must never read as "not posted" (that could post twice).
            page = self._call("conversations_history", channel, channel=channel, include_all_metadata=True, limit=200,
                              oldest=f"{time.time() - LOOKBACK_SECONDS:.6f}", cursor=cursor)
            for message in page.get("messages", []):
                meta = message.get("metadata") or {}
                if meta.get("event_type") == METADATA_TYPE and (meta.get("event_payload") or {}).get("track") == track:
                    return scope.sibling(channel, message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    # -- sending ----------------------------------------------------------------------------------

    def send(self, message: Message) -> str | None:
        if message.attachment is not None:
            return self.send_file(message)
        payloads = blocks.message_payloads(message)
        ts = scope.posted(message.target, self.post(message.target, payloads[0], message.track))
        if message.track and ts:
            self.core.sent(message.track, Sent(ts, message.target.thread or ts))
        rest = message.target
        if message.opens_thread and ts:  # a long question continues inside its own thread
            rest = Target(rest.platform, rest.channel, ts, rest.private_to, rest.direct_to)
        for payload in payloads[1:]:
            self.post(rest, payload, None)
        return ts

    def send_file(self, message: Message) -> None:
        """A file goes to the member's DM (ephemeral messages cannot carry files), the message text as its comment.

        Needs the files:write scope; an app installed before it was added gets a private note saying so.
        """
        user = message.target.private_to or message.target.direct_to
        channel = self.dm_channel(user) if user else message.target.channel
        file = message.attachment
        try:
            self._call("files_upload_v2", channel, channel=channel, filename=file.name, title=file.name,
                       content=file.content, initial_comment=message.text)
        except DeliveryError as exc:
            if "missing_scope" not in str(exc) or not user:
                raise
            note = ("I couldn't send you the file: this Slack app lacks the files:write scope (reinstall it from "
                    "adapters/slack_adapter/manifest.yml). For an export, the operator can also run "
                    f"`stardrill export --user slack:{user}`.")
            self.send(Message(Target(PLATFORM, message.target.channel, message.target.thread, private_to=user), note,
                              kind="error"))

    def post(self, target: Target, payload: blocks.Payload, track: str | None) -> str | None:
        body = {"text": payload.text, "blocks": payload.blocks, "unfurl_links": False, "unfurl_media": False}
        if target.direct_to:
            return self._post_message(self.dm_channel(target.direct_to), body)
        if target.private_to:
            return self._post_private(target, body)
        if target.thread:
            body["thread_ts"] = target.thread
        if track:
            body["metadata"] = {"event_type": METADATA_TYPE, "event_payload": {"track": track}}
        return self._post_message(target.channel, body)

    def _post_message(self, channel: str, body: dict) -> str:
        self.pacer.wait(channel)
        return self._call("chat_postMessage", channel, channel=channel, **body)["ts"]

    def _post_private(self, target: Target, body: dict) -> str | None:
        if not target.channel:  # a press on the member's App Home: no channel to be private in
            return self._post_message(self.dm_channel(target.private_to), body)
        try:
            reply = self._call("chat_postEphemeral", target.channel, channel=target.channel, user=target.private_to,
                               thread_ts=target.thread, **body)
            return reply.get("message_ts")
        except DeliveryError as exc:
            if not exc.permanent:
                raise
            # e.g. a slash command in a channel the app is not in: say it in a DM instead
            log.info("ephemeral to %s in %s refused; sending it as a DM", target.private_to, target.channel)
            return self._post_message(self.dm_channel(target.private_to), body)

    def dm_channel(self, user_id: str) -> str:
        with self._lock:
            known = self._dms.get(user_id)
        if known:
            return known
        channel = scope.sibling(user_id, self._call("conversations_open", user_id, users=user_id)["channel"]["id"])
        with self._lock:
            self._dms[user_id] = channel
        return channel

    def open_modal(self, modal: Modal, trigger_id: str | None) -> None:
        where = modal.target or Target(PLATFORM, "")
        # Slack hands the metadata back with the submission, whose ids are qualified again like every inbound id
        meta = translate.modal_metadata(modal.action, modal.value,
                                        Where(scope.local(where.channel), scope.local(where.thread) or None,
                                              bool(where.direct_to)))
        if not trigger_id:  # modals need a fresh interaction (trigger ids live 3 s)
            log.warning("modal %s without a trigger id; asking %s to press the button again", modal.action, modal.for_user)
            if where.channel:
                self.send(Message(Target(PLATFORM, where.channel, where.thread, private_to=modal.for_user),
                                  "That form can only open from a button press; please press the button again."))
            return
        self._call("views_open", where.channel, trigger_id=trigger_id, view=blocks.modal_view(modal, meta))

    def publish_home(self, view: HomeView) -> None:
        """The member's App Home tab, replaced whole (views.publish needs no trigger: it works after any answer)."""
        user = view.target.private_to
        self._call("views_publish", user, user_id=user, view=home.home_view(view))

    def tell_failure(self, user_id: str, channel: str, thread: str | None = None) -> None:
        """After an error past ack: a short private note, never a second error."""
        try:
            self.send(Message(Target(PLATFORM, channel, thread, private_to=user_id), SORRY, kind="error"))
        except Exception:
            log.warning("could not tell %s about the failure either", user_id)

    def _call(self, method: str, where: str, **kwargs):
        try:
            return self.slack.call(method, where, **kwargs)
        except SlackApiError as exc:
            error = str(exc.response.get("error") or exc.response.status_code)
            permanent = error in PERMANENT
            hint = HINTS.get(error, "")
            log.error("Slack refused %s for %s: %s%s", method.replace("_", ".", 1), where, error, f" ({hint})" if hint else "")
            raise DeliveryError(f"{method} {where}: {error}", permanent=permanent) from None
