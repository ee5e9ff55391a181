"""The discord.py client: gateway events and interactions in, core calls off the loop, replies out.

Why this shape (Discord facts, 2026-03): the gateway drops a client whose loop is blocked (missed
heartbeats), so the sync core runs in `asyncio.to_thread` (the store keeps a connection per
thread); an interaction token dies after 3 s, so work still running after DEFER_AFTER is deferred;
a modal can only be the first response, so nothing is deferred before the core has answered
quickly; mentions are off client-wide so quoted answers never ping anyone.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading

import discord
from discord import app_commands

from stardrill.adapters.discord_adapter import commands, translate
from stardrill.adapters.discord_adapter.adapter import DiscordAdapter, Reply
from stardrill.ports import DeliveryError

log = logging.getLogger(__name__)

DEFER_AFTER = 0.8  # seconds; Discord's 3 s token deadline leaves room for the defer round trip


def intents_for(message_content: bool) -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True  # channels and threads in the cache, so a thread reply maps to its parent
    intents.guild_messages = True  # thread replies
    intents.dm_messages = True  # private practice in DMs (DM content arrives without the privileged intent)
    intents.message_content = message_content
    return intents


class StardrillClient(discord.AutoShardedClient):
    """AutoSharded so the gateway URL comes from GET /gateway/bot through the configured REST base."""

    def __init__(self, app, *, message_content: bool = True, **options):
        options.setdefault("guild_ready_timeout", 2.0)
        super().__init__(intents=intents_for(message_content), allowed_mentions=discord.AllowedMentions.none(), **options)
        self.app = app
        self.message_content = message_content
        self.adapter = DiscordAdapter(app, self)
        self.ready_event = threading.Event()
        self.errors: list[BaseException] = []  # handler failures, also logged; tests assert there are none
        self.in_flight: set[asyncio.Task] = set()
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self._on_tree_error
        commands.install(self.tree)

    async def setup_hook(self) -> None:
        self.adapter.loop = asyncio.get_running_loop()

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
        await self._guarded(self._answer_message(event))

    async def _answer_message(self, event) -> None:
        outbound = await asyncio.to_thread(self.app.handle, event)
        await self.adapter.send_all(outbound, None)

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
        reply = Reply(interaction)
        work = asyncio.ensure_future(asyncio.to_thread(self.app.handle, event))
        done, _ = await asyncio.wait({work}, timeout=DEFER_AFTER)
        if not done:
            await reply.defer()
        outbound = await work
        try:
            await self.adapter.send_all(outbound, reply)
        finally:
            await reply.finish()

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

    async def drain_and_close(self, timeout: float = 10.0) -> None:
        """Let handlers already running finish their replies (a deploy should not eat feedback), then close."""
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
