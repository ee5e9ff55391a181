"""DiscordOutlet: the DiscordAdapter as the outbox's sender and the inbox's helper (stardrill.ports.Outlet).

What the durable path needs from Discord: every post carries its outbox row's `nonce` (discord.py
sends `enforce_nonce`, so a resend within minutes returns the first message instead of a second
one); a crashed send is looked for among the messages *after* the claim's time (`after=` snowflake),
never in the last N; the thread on a question is its own outbox step; an interaction is answered by
whichever comes first, the worker's replies or a deferral before Discord's 3 s deadline; replies
posted in a question thread while the bot was down are read back for catch-up.

Across processes (shards.py): every send is REST, so any process sends any row, except a reply to
an interaction another running process received: only that process holds the interaction (its
ephemeral replies, its "thinking…" to close), so it is left to the process that runs the shard the
interaction came on, for the token's 15 minutes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timezone

import discord

from stardrill.adapters.discord_adapter import translate
from stardrill.adapters.discord_adapter.adapter import (THREAD_ARCHIVE_MINUTES, DiscordAdapter, Reply, channel_refusals,
                                                         refused)
from stardrill.adapters.discord_adapter.guilds import GuildBook
from stardrill.adapters.discord_adapter.render import Part, footer_for, message_parts, modal_for
from stardrill.adapters.discord_adapter.rest import ChannelPoster
from stardrill.adapters.discord_adapter.shards import Shards
from stardrill.messages import Message
from stardrill.ports import DeliveryError, Item, Receipt

log = logging.getLogger(__name__)

DEFER_AFTER = 0.8  # seconds; Discord's 3 s token deadline leaves room for the defer round trip
LIVE_SECONDS = 15 * 60  # an interaction token's life
CLOCK_SKEW = 5.0  # seconds searched before a claim's time
SEARCH_LIMIT = 1000  # messages after a claim searched for it
LOOKBACK_SECONDS = 86_400  # a tracked post is looked for over the last day (one daily question)
THREAD_EXISTS = 160004  # Discord: "A thread has already been created for this message"
INTERACTION = "interaction:"  # the event id prefix of interactions (translate._base)


def position(message_id) -> str:
    """A message id as a sortable string (the thread cursor compares text)."""
    return f"{int(message_id):020d}"


def snowflake_at(epoch_seconds: float) -> int:
    return discord.utils.time_snowflake(datetime.fromtimestamp(epoch_seconds, tz=timezone.utc), high=False)


class LiveReply(Reply):
    """An interaction this process holds: one response at a time (a deferral and a reply may race)."""

    def __init__(self, interaction: discord.Interaction):
        super().__init__(interaction)
        self.lock = asyncio.Lock()
        self.since = time.monotonic()

    async def defer_if_unanswered(self) -> None:
        async with self.lock:
            if self.fresh:
                await self.defer()

    async def send(self, part: Part) -> None:
        async with self.lock:
            await super().send(part)

    async def finish(self) -> None:
        async with self.lock:
            await super().finish()


class DiscordOutlet(DiscordAdapter):
    def __init__(self, app, client: discord.Client, shards: Shards = Shards()):
        super().__init__(app, client)
        self.shards = shards
        self.live: dict[str, LiveReply] = {}  # event id -> the interaction it came with (changed on the loop only)
        self._guilds: dict[int, int | None] = {}  # channel id -> its guild (None: a DM), for channels of other shards
        self.guilds = GuildBook(app.store, client)
        self.poster = ChannelPoster(client.http)

    # -- interactions (on the loop) -------------------------------------------------------------------------

    def hold(self, event_id: str, interaction: discord.Interaction) -> LiveReply:
        now = time.monotonic()
        for stale in [k for k, r in self.live.items() if now - r.since > LIVE_SECONDS]:
            del self.live[stale]
        reply = self.live[event_id] = LiveReply(interaction)
        return reply

    async def defer_later(self, reply: LiveReply) -> None:
        await asyncio.sleep(DEFER_AFTER)
        await reply.defer_if_unanswered()

    def open_form(self, reply_to: str, modal) -> None:
        self._run(self._open_form(reply_to, modal))

    async def _open_form(self, reply_to: str, modal) -> None:
        reply = self.live.get(reply_to)
        if reply is None:
            log.warning("a form for %s could not be opened outside an interaction", modal.for_user)
            return
        async with reply.lock:
            if reply.fresh and reply.user_id == modal.for_user:  # a modal must be the first response
                await reply.interaction.response.send_modal(modal_for(modal))
                return
        await reply.send(Part(content=f"Press the button again to open the form '{modal.title}'."))

    def settle(self, reply_to: str) -> None:
        if reply_to in self.live:  # only an interaction needs closing (a gateway message has nothing to answer)
            self._run(self._settle(reply_to))

    async def _settle(self, reply_to: str) -> None:
        reply = self.live.pop(reply_to, None)
        if reply is not None:
            await reply.finish()

    # -- the outbox (any thread) ---------------------------------------------------------------------------------

    def pace(self, lane: str) -> float:
        return 0.0  # discord.py keeps to Discord's per-route buckets itself

    def held_elsewhere(self, row) -> bool:
        """A reply to an interaction that came on another process's shard while its token lives: leave it to that
        process (the sender's dispatcher asks before claiming a row; from its thread, never the loop's)."""
        if not self.shards.partial or not (row.reply_to or "").startswith(INTERACTION):
            return False
        if row.reply_to in self.live:  # a dict lookup from another thread: the loop only adds and pops keys
            return False
        interaction_id = int(row.reply_to.removeprefix(INTERACTION))
        if time.time() - discord.utils.snowflake_time(interaction_id).timestamp() > LIVE_SECONDS:
            return False  # nobody can answer it any more: whoever sends, sends it as a message
        try:
            channel = _channel_of(row.payload)
            return channel is not None and not self.shards.holds(self._guild_of(channel))
        except Exception:
            log.warning("cannot tell which shard row %s answers; sending it from here", row.id, exc_info=True)
            return False

    def _guild_of(self, channel_id: int) -> int | None:
        if channel_id not in self._guilds:
            self._guilds[channel_id] = self._run(self._fetch_guild(channel_id))
        return self._guilds[channel_id]

    async def _fetch_guild(self, channel_id: int) -> int | None:
        channel = self.client.get_channel(channel_id) or await self.client.fetch_channel(channel_id)
        guild = getattr(channel, "guild", None)
        return guild.id if guild is not None else None

    def send_item(self, item: Item) -> Receipt:
        receipt = self._post_here(item)
        if receipt is None:
            receipt = self._run(self._send_item(item))
        self.guilds.note_post(item.payload)  # the channel's server, once (channels.guild_id)
        return receipt

    def _post_here(self, item: Item) -> Receipt | None:
        """A plain channel post, sent from this thread (rest.py says why); None: the loop's to send."""
        message = item.payload
        if item.step == "thread" or not isinstance(message, Message) or not self.poster.usable():
            return None
        if message.target.direct_to or message.target.private_to:
            return None
        parts = message_parts(message)
        if any(part.attachment is not None for part in parts):
            return None
        channel_id = int(message.target.thread or message.target.channel)
        first = None
        with channel_refusals(channel_id):
            for part in parts:
                with self.parameters(part, item.nonce if first is None else None) as params:
                    first = first or int(self.poster.post(channel_id, params.payload)["id"])
        return Receipt(str(first), None, opens_thread=message.opens_thread)

    async def _send_item(self, item: Item) -> Receipt:
        if item.step == "thread":
            return await self._thread(item.payload)
        message = item.payload
        if not isinstance(message, Message):
            await self._retract(message)
            return Receipt("")
        reply = self.live.get(item.reply_to or "")
        if message.target.direct_to:
            await self._direct(message, reply)
            return Receipt("")
        if message.target.private_to:
            await self._private(message, reply)
            return Receipt("")
        channel_id = int(message.target.thread or message.target.channel)
        with channel_refusals(channel_id):
            first = await self._send_parts(channel_id, message_parts(message), item.nonce)
        return Receipt(str(first), None, opens_thread=message.opens_thread)

    async def _thread(self, step: dict) -> Receipt:
        channel, message_id = int(step["channel"]), int(step["message_id"])
        try:
            data = await self.client.http.start_thread_with_message(
                channel, message_id, name=step["name"] or "question", auto_archive_duration=THREAD_ARCHIVE_MINUTES)
        except (discord.Forbidden, discord.NotFound) as exc:
            raise refused(f"threads of channel {channel}", exc) from None
        except discord.HTTPException as exc:
            if exc.code == THREAD_EXISTS:  # made before a crash: the thread takes the message's id
                return Receipt(str(message_id), str(message_id))
            raise DeliveryError(f"discord answered {exc.status} creating a thread in {channel}") from None
        return Receipt(str(data["id"]), str(data["id"]))

    def find_item(self, item: Item) -> Receipt | None:
        return self._run(self._find_item(item))

    async def _find_item(self, item: Item) -> Receipt | None:
        message = item.payload
        if item.step == "thread" or not isinstance(message, Message) or message.target.private_to:
            return None  # a thread step is idempotent; ephemeral replies are in no history
        try:
            if message.target.direct_to:
                channel = (await self.client.create_dm(discord.Object(int(message.target.direct_to)))).id
            else:
                channel = int(message.target.thread or message.target.channel)
            first = message_parts(message)[0]
            dest = self.client.get_partial_messageable(channel)
            after = discord.Object(snowflake_at(item.claimed_at - CLOCK_SKEW))
            async for found in dest.history(limit=SEARCH_LIMIT, after=after, oldest_first=True):
                if found.author.id == self.client.user.id and (str(found.nonce) == item.nonce or _same(found, first)):
                    return Receipt(str(found.id), None, opens_thread=message.opens_thread)
        except discord.HTTPException as exc:
            raise DeliveryError(f"cannot read channel history ({exc.status})") from None
        return None

    async def _find_posted(self, channel: str, track: str) -> str | None:
        """A tracked post of the last day (a claim made before the outbox existed), searched from a day ago on."""
        footer = footer_for(track)
        dest = self.client.get_partial_messageable(int(channel))
        after = discord.Object(snowflake_at(time.time() - LOOKBACK_SECONDS))
        async for message in dest.history(limit=None, after=after, oldest_first=True):
            if message.author.id == self.client.user.id and any(e.footer.text == footer for e in message.embeds):
                return str(message.id)
        return None

    # -- catch-up after downtime ---------------------------------------------------------------------------------

    def missed(self, channel: str, thread: str, since: str | None) -> list:
        return self._run(self._missed(thread, since))

    async def _missed(self, thread: str, since: str | None) -> list:
        where = self.client.get_channel(int(thread)) or await self.client.fetch_channel(int(thread))
        found = []
        async for message in where.history(limit=None, after=discord.Object(int(since or thread)), oldest_first=True):
            if message.author.bot:
                continue
            event = translate.message_event(message)
            if event is not None:
                found.append((event, (thread, position(message.id))))
        return found


def _channel_of(payload) -> int | None:
    """The channel (or thread) a row goes to: a message's or retraction's target, a thread step's channel."""
    if isinstance(payload, dict):
        return int(payload["channel"])
    target = getattr(payload, "target", None)
    return int(target.thread or target.channel) if target is not None and target.channel else None


def _same(found: discord.Message, part: Part) -> bool:
    """The message we would have posted: same text, or the same first embed."""
    if part.embed is None:
        return bool(part.content) and found.content == part.content
    embed = found.embeds[0] if found.embeds else None
    return embed is not None and embed.title == part.embed.title and embed.description == part.embed.description
