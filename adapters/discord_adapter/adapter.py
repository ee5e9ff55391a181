"""DiscordAdapter: the ChatAdapter port over a running discord.py client.

`deliver` and `already_posted` are called from other threads (the scheduler, the runner) and
hop onto the client's event loop with run_coroutine_threadsafe; the client's own handlers call
`send_all` directly on the loop, passing the interaction being answered (if any) so private
messages become ephemeral replies and modals can open.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging

import discord
from discord.http import handle_message_parameters

from stardrill.adapters.discord_adapter.render import Part, footer_for, message_parts, modal_for, thread_name, view_for
from stardrill.messages import Message, Modal, Outbound, Retract, Sent
from stardrill.ports import DeliveryError

log = logging.getLogger(__name__)

SEND_TIMEOUT = 60.0
HISTORY_SCAN = 50  # recent messages searched for an already-posted tracked message
THREAD_ARCHIVE_MINUTES = 1440


class Reply:
    """The interaction being answered. Discord allows one initial response, then webhook follow-ups."""

    def __init__(self, interaction: discord.Interaction):
        self.interaction = interaction
        self.user_id = str(interaction.user.id)
        self.thinking = False
        self.followups = 0
        self.note = ""

    @property
    def fresh(self) -> bool:
        return not self.interaction.response.is_done()

    async def defer(self) -> None:
        # A component press can be acknowledged silently; commands and forms show "thinking…".
        self.thinking = self.interaction.type is not discord.InteractionType.component
        await self.interaction.response.defer(ephemeral=True, thinking=self.thinking)

    async def send(self, part: Part) -> None:
        kwargs = _kwargs(part)
        if self.fresh:
            await self.interaction.response.send_message(ephemeral=True, **kwargs)
        else:
            await self.interaction.followup.send(ephemeral=True, **kwargs)
            self.followups += 1

    async def finish(self) -> None:
        """Every interaction needs an answer: acknowledge the ones the core answered elsewhere."""
        if self.fresh:
            if self.interaction.type is discord.InteractionType.component and not self.note:
                await self.interaction.response.defer()
            else:
                await self.interaction.response.send_message(self.note or "Done.", ephemeral=True)
        elif self.thinking and not self.followups:
            await self.interaction.edit_original_response(content=self.note or "Done.")


def _kwargs(part: Part) -> dict:
    kwargs: dict = {"content": part.content or None}
    if part.embed is not None:
        kwargs["embed"] = part.embed
    view = view_for(part.buttons)
    if view is not None:
        kwargs["view"] = view
    if part.attachment is not None:
        kwargs["file"] = discord.File(io.BytesIO(part.attachment.content.encode("utf-8")), filename=part.attachment.name)
    return kwargs


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


@contextlib.contextmanager
def channel_refusals(channel_id: int):
    """A post Discord refused as the outbox reads it: 403/404 permanent (with a log line), others retried."""
    try:
        yield
    except (discord.Forbidden, discord.NotFound) as exc:
        raise refused(f"channel {channel_id}", exc) from None
    except discord.HTTPException as exc:
        raise DeliveryError(f"discord answered {exc.status} in channel {channel_id}") from None


def refused(where: str, exc: discord.HTTPException) -> DeliveryError:
    log.error("discord refused to post in %s (HTTP %s, code %s: %s); check the bot's permissions there",
              where, exc.status, exc.code, exc.text)
    return DeliveryError(f"discord refused {where}: {exc.status} {exc.text}", permanent=exc.status in (403, 404))


class DiscordAdapter:
    platform = "discord"

    def __init__(self, app, client: discord.Client):
        self.app, self.client = app, client
        self.loop: asyncio.AbstractEventLoop | None = None  # set by the runtime once the loop runs

    # -- the port (any thread) ------------------------------------------------------------------------

    def deliver(self, outbound: list[Outbound]) -> None:
        self._run(self.send_all(outbound, None))

    def already_posted(self, channel: str, track: str) -> str | None:
        return self._run(self._find_posted(channel, track))

    def _run(self, coro):
        loop = self.loop
        if loop is None or _running_loop() is loop:
            coro.close()
            raise RuntimeError("DiscordAdapter.deliver blocks: call it from another thread, not the client's loop")
        return asyncio.run_coroutine_threadsafe(coro, loop).result(SEND_TIMEOUT)

    # -- sending (on the loop) ---------------------------------------------------------------------------

    async def send_all(self, outbound: list[Outbound], reply: Reply | None) -> None:
        for item in outbound:
            if isinstance(item, Modal):
                await self._modal(item, reply)
            elif isinstance(item, Retract):
                await self._retract(item)
            elif item.target.direct_to:
                await self._direct(item, reply)
            elif item.target.private_to:
                await self._private(item, reply)
            else:
                await self._public(item)

    async def _send_parts(self, channel_id: int, parts: list[Part], nonce: str | None = None) -> int:
        """Post the parts in order; the first one's message id. Through discord.py's HTTP client, as
        Messageable.send does, but without parsing each answer into a Message object: only its id is used."""
        first = None
        for part in parts:
            with self.parameters(part, nonce if first is None else None) as params:
                data = await self.client.http.send_message(channel_id, params=params)
            first = first or int(data["id"])
        return first

    def parameters(self, part: Part, nonce: str | None):
        """discord.py's request parameters for one part (a context: it closes any file it opened)."""
        return handle_message_parameters(nonce=nonce, previous_allowed_mentions=self.client.allowed_mentions,
                                         **_kwargs(part))

    async def _public(self, message: Message) -> None:
        channel_id = int(message.target.thread or message.target.channel)
        # Discord dedupes a resend with the same nonce within minutes (enforce_nonce).
        nonce = f"stardrill-{message.track.replace(':', '-')}"[:25] if message.track else None
        try:
            first = await self._send_parts(channel_id, message_parts(message), nonce)
        except (discord.Forbidden, discord.NotFound) as exc:
            raise refused(f"channel {channel_id}", exc) from None
        thread_id, problem = None, None
        if message.opens_thread:
            try:
                data = await self.client.http.start_thread_with_message(
                    channel_id, first, name=thread_name(message), auto_archive_duration=THREAD_ARCHIVE_MINUTES)
                thread_id = str(data["id"])
            except (discord.Forbidden, discord.NotFound) as exc:
                problem = refused(f"threads of channel {channel_id}", exc)
        if message.track:
            await asyncio.to_thread(self.app.sent, message.track, Sent(str(first), thread_id))
        if problem:
            raise problem

    async def _private(self, message: Message, reply: Reply | None) -> None:
        user_id = message.target.private_to
        parts = message_parts(message)
        if reply and reply.user_id == user_id:
            for part in parts:
                await reply.send(part)
            return
        # No interaction to answer (e.g. feedback on a thread reply): a DM, else a short public notice.
        try:
            await self._dm(user_id, parts)
        except discord.Forbidden:
            notice = (f"<@{user_id}> I couldn't send you a private note: allow direct messages from this server's "
                      "members, or use the Answer button.")
            await self._send_parts(int(message.target.thread or message.target.channel), [Part(content=notice)])

    async def _direct(self, message: Message, reply: Reply | None) -> None:
        user_id = message.target.direct_to
        parts = message_parts(message)
        try:
            await self._dm(user_id, parts)
        except discord.Forbidden:
            if reply and reply.user_id == user_id:
                await reply.send(Part(content="Your direct messages are closed, so here it is privately; "
                                      "allow DMs from this server to practise by replying."))
                for part in parts:
                    await reply.send(part)
            else:
                log.warning("cannot DM user %s (DMs closed); message dropped", user_id)
            return
        if reply and reply.interaction.guild_id is not None:
            reply.note = "I've sent you a direct message."

    async def _dm(self, user_id: str, parts: list[Part]) -> None:
        channel = await self.client.create_dm(discord.Object(int(user_id)))
        await self._send_parts(channel.id, parts)

    async def _modal(self, modal: Modal, reply: Reply | None) -> None:
        # A modal can only be the *first* response to an interaction (never after a defer).
        if reply and reply.fresh and reply.user_id == modal.for_user:
            await reply.interaction.response.send_modal(modal_for(modal))
            return
        text = f"Press the button again to open the form '{modal.title}'."
        if reply:
            await reply.send(Part(content=text))
        else:
            log.warning("a form for %s could not be opened outside an interaction", modal.for_user)

    async def _retract(self, retract: Retract) -> None:
        """Delete a member's message (blind mode); without Manage Messages, ask the member to delete it."""
        channel_id = int(retract.target.thread or retract.target.channel)
        try:
            await self.client.http.delete_message(channel_id, int(retract.message_id), reason="Stardrill blind mode")
        except discord.NotFound:
            return  # the member deleted it already
        except discord.Forbidden:
            log.warning("cannot remove a reply in %s: the bot needs the Manage Messages permission there (blind mode)",
                        channel_id)
            text = ("I couldn't remove your reply from the thread after all (the bot lacks the Manage Messages permission "
                    "there): please delete it yourself, so nobody anchors on it before the reveal.")
            try:
                await self._dm(retract.author, [Part(content=text)])
            except discord.Forbidden:
                log.warning("cannot DM user %s (DMs closed)", retract.author)

    async def _find_posted(self, channel: str, track: str) -> str | None:
        footer = footer_for(track)
        dest = self.client.get_partial_messageable(int(channel))
        async for message in dest.history(limit=HISTORY_SCAN):
            if message.author.id == self.client.user.id and any(e.footer.text == footer for e in message.embeds):
                return str(message.id)
        return None
