"""The discord.py client: gateway events and interactions in, stored in the inbox, replies out via the outbox.

Why this shape (Discord facts, 2026-03): the gateway drops a client whose loop is blocked (missed
heartbeats), so the inbox write runs in `asyncio.to_thread` and the core in the inbox's workers;
an interaction token dies after 3 s, so one still unanswered after DEFER_AFTER is deferred; a modal
can only be the first response, so nothing is deferred before the worker had a moment to open it;
mentions are off client-wide so quoted answers never ping anyone.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from stardrill.adapters.discord_adapter import commands, translate
from stardrill.adapters.discord_adapter.outlet import DEFER_AFTER, DiscordOutlet, position
from stardrill.adapters.discord_adapter.shards import Shards
from stardrill.ports import DeliveryError

log = logging.getLogger(__name__)

STORE_FAILED = "Stardrill could not take that just now (its database is busy or unavailable). Please try again."
__all__ = ["DEFER_AFTER", "StardrillClient", "intents_for"]


def intents_for(message_content: bool) -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True  # channels and threads in the cache, so a thread reply maps to its parent
    intents.guild_messages = True  # thread replies
    intents.dm_messages = True  # private practice in DMs (DM content arrives without the privileged intent)
    intents.message_content = message_content
    return intents


class StardrillClient(discord.AutoShardedClient):
    """AutoSharded so the gateway URL comes from GET /gateway/bot through the configured REST base.

    `shard_ids`/`shard_count` (adapters.discord_adapter.shards) pick the shards this process runs.
    """

    def __init__(self, app, *, message_content: bool = True, shards: Shards = Shards(), **options):
        options.setdefault("guild_ready_timeout", 2.0)
        # Stardrill never joins voice: discord.py's two start-up warnings about missing voice libraries
        # (PyNaCl, davey) would only tell an operator something is wrong when nothing is.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(intents=intents_for(message_content), allowed_mentions=discord.AllowedMentions.none(),
                         **shards.client_options(), **options)
        self.app = app
        self.message_content = message_content
        self.adapter = DiscordOutlet(app, self, shards)
        self.relay = None  # stardrill.relay.Relay, set by the runtime before the client starts
        self.ready_event = threading.Event()
        self.errors: list[BaseException] = []  # handler failures, also logged; tests assert there are none
        self.in_flight: set[asyncio.Task] = set()
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self._on_tree_error
        commands.install(self.tree)

    async def setup_hook(self) -> None:
        self.adapter.loop = asyncio.get_running_loop()

    async def launch_shards(self) -> None:
        """Connect this process's shards at the gateway URL GET /gateway/bot gives (through the configured REST base).

        discord.py uses its DEFAULT_GATEWAY (wss://gateway.discord.gg) for a fixed shard count and for every
        new IDENTIFY after Discord ends a session, whatever the REST base: behind a proxy, or against the
        tests' fake, a shard would then never come back. One process has one REST base (Route.BASE is
        process-wide too), so the default is pointed at the URL Discord gives, as Discord asks bots to.
        """
        if self.is_closed():
            return
        recommended, url, _limits = await self.http.get_bot_gateway()
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        if self.shard_count is None:
            self.shard_count = recommended
        await super().launch_shards()  # with the count set, it connects at DEFAULT_GATEWAY

    async def on_ready(self) -> None:
        mode = ("message content ON: thread replies are answers" if self.message_content
                else "message content OFF: members answer with the Answer button (a form)")
        log.info("discord ready as %s in %d guild(s); %s", self.user, len(self.guilds), mode)
        self.ready_event.set()

    # -- gateway messages ---------------------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        event = translate.message_event(message)
        if event is None:
            return
        cursor = (event.where.thread, position(message.id)) if event.where.thread else None
        await self._guarded(asyncio.to_thread(self.relay.receive, event, cursor))

    # -- interactions ---------------------------------------------------------------------------------

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        # Button presses and modal submits are read from the raw payload by custom id: a button or a
        # form sent before a restart still reaches the core, and discord.py keeps no view per message
        # in memory (its view and modal stores are in memory only). Slash commands go to the tree.
        if interaction.type is discord.InteractionType.component:
            event = translate.component_event(interaction)
        elif interaction.type is discord.InteractionType.modal_submit:
            event = translate.modal_event(interaction)
        else:
            return
        if event is not None:
            await self._guarded(self.answer_interaction(interaction, event))

    async def on_stardrill_command(self, interaction: discord.Interaction, name: str, args: str) -> None:
        await self._guarded(self.answer_interaction(interaction, translate.command_event(interaction, name, args)))

    async def answer_interaction(self, interaction: discord.Interaction, event) -> None:
        """Store the event, then let the worker answer it; defer if nothing has answered it by DEFER_AFTER."""
        reply = self.adapter.hold(event.event_id, interaction)
        try:
            fresh = await asyncio.to_thread(self.relay.receive, event)
        except Exception:
            self.adapter.live.pop(event.event_id, None)
            log.exception("storing a discord interaction failed")
            await interaction.response.send_message(STORE_FAILED, ephemeral=True)
            return
        if not fresh:  # a replayed interaction already answered
            self.adapter.live.pop(event.event_id, None)
            return
        await self.adapter.defer_later(reply)

    # -- errors ------------------------------------------------------------------------------------------

    async def _guarded(self, work) -> None:
        task = asyncio.current_task()
        self.in_flight.add(task)
        try:
            await work
        except DeliveryError as exc:
            log.warning("delivery failed: %s", exc)  # refused() already logged the platform's reason
        except Exception as exc:
            self.errors.append(exc)
            log.exception("handling a discord event failed")
        finally:
            self.in_flight.discard(task)

    async def drain_and_close(self, timeout: float = 2.0) -> None:
        """Let events being stored finish storing (what is stored is handled at the next start), then close."""
        pending = {t for t in self.in_flight if t is not asyncio.current_task()}
        if pending:
            await asyncio.wait(pending, timeout=timeout)
        await self.close()

    async def on_error(self, event_method: str, /, *args, **kwargs) -> None:
        self.errors.append(sys.exc_info()[1])
        log.exception("error in discord handler %s", event_method)

    async def _on_tree_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        self.errors.append(error)
        log.error("app command failed: %s", error, exc_info=error)
