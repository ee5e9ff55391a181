"""`start(app, args) -> Running`: the Discord client in its own thread with its own event loop.

Own thread and loop so Slack (Bolt's threads) and Discord run in one process over one store, and
the scheduler can call `adapter.deliver` from its thread.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass, field

import aiohttp
import discord

from stardrill import metrics
from stardrill.relay import Relay
from stardrill.store import inbox
from stardrill.adapters import reach
from stardrill.adapters.bootstrap import StartupError
from stardrill.adapters.discord_adapter import shards as sharding
from stardrill.adapters.discord_adapter.adapter import DiscordAdapter
from stardrill.adapters.discord_adapter.client import StardrillClient
from stardrill import settings

log = logging.getLogger(__name__)

READY_TIMEOUT = 60.0


def configure_rest(base_url: str | None = None) -> str:
    """Point discord.py's REST (and so /gateway/bot, interactions and webhooks) at the configured base."""
    base = (base_url or settings.get("STARDRILL_DISCORD_API_URL")).rstrip("/")
    discord.http.Route.BASE = base
    return base


def chosen_shards() -> sharding.Shards:
    try:
        return sharding.from_settings()
    except settings.SettingError as exc:
        raise StartupError(str(exc)) from None


def message_content_enabled() -> bool:
    value = settings.get("STARDRILL_DISCORD_MESSAGE_CONTENT").strip().lower()
    if value not in {"on", "off"}:
        raise StartupError(f"STARDRILL_DISCORD_MESSAGE_CONTENT must be on or off, not {value!r}")
    return value == "on"


@dataclass
class Running:
    adapter: DiscordAdapter
    client: StardrillClient
    loop: asyncio.AbstractEventLoop
    thread: threading.Thread
    failure: list[BaseException] = field(default_factory=list)
    relay: Relay | None = None

    @property
    def outbox(self):
        """The port the scheduler delivers through: scheduled posts go through the outbox."""
        return self.relay.scheduled() if self.relay else None

    def wait(self) -> None:
        self.thread.join()

    def stop(self) -> None:
        if self.relay is not None:
            self.relay.stop()  # unsent rows stay in the outbox, unhandled events in the inbox
        if self.thread.is_alive() and not self.loop.is_closed():
            try:
                asyncio.run_coroutine_threadsafe(self.client.drain_and_close(), self.loop).result(15)
            except (RuntimeError, TimeoutError, asyncio.CancelledError):
                log.warning("discord client did not close cleanly")
        self.thread.join(10)


SERVER_RETRIED = {500, 502, 504, 524}  # what discord.py 2.7's HTTPClient.request retries, besides Discord's own 429s


def counted_http() -> aiohttp.TraceConfig:
    """Count 429s and retried answers of Discord's REST API (discord.py retries and logs them, counts nothing)."""

    async def on_request_end(_session, _context, params: aiohttp.TraceRequestEndParams) -> None:
        status = params.response.status
        if status == 429:
            metrics.RATE_LIMITED.labels("discord").inc()
        # a 429 without Discord's Via header comes from Cloudflare: discord.py gives up on it rather than retrying
        if status in SERVER_RETRIED or (status == 429 and "Via" in params.response.headers):
            metrics.RETRIES.labels("discord").inc()

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(on_request_end)
    return trace


def gateway_state(client: StardrillClient) -> tuple[bool, str]:
    """Ready, and every shard's gateway websocket open (discord.py keeps is_ready() true across reconnects)."""
    if not client.is_ready() or client.is_closed():
        return False, "gateway not ready"
    shards = list(client.shards.values())
    down = [s.id for s in shards if s.is_closed()]
    if not shards or down:
        return False, f"gateway disconnected (shard {', '.join(map(str, down)) or 'none'}); reconnecting"
    return True, f"gateway ready ({len(shards)} shard(s), {len(client.guilds)} guild(s))"


def _explain(exc: BaseException) -> str:
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return ("Discord refused the Message Content intent: enable it in the Developer Portal (Bot > Privileged "
                "Gateway Intents > Message Content) or set STARDRILL_DISCORD_MESSAGE_CONTENT=off to answer with a form")
    if isinstance(exc, (aiohttp.ClientConnectionError, OSError)):
        return str(reach.unreachable("Discord", discord.http.Route.BASE, exc))
    if isinstance(exc, discord.LoginFailure):
        return "Discord rejected DISCORD_TOKEN (improper token); copy the bot token again from the Developer Portal"
    return f"the Discord client stopped: {type(exc).__name__}: {exc}"


def _cancel_leftovers(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what discord.py leaves behind (e.g. open modals' timeout timers) so the loop closes quietly."""
    leftovers = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in leftovers:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())


def start(app, args=None, *, token: str | None = None, ops=None, **client_options) -> Running:
    """Log in, connect, and return once the client is ready (or raise StartupError with the reason).

    With `ops` (the runner's adapters.ops.Ops) the gateway's state and the handlers in flight are
    registered for readiness and the inbox depth.
    """
    token = token or settings.get("DISCORD_TOKEN")
    if not token:
        raise StartupError("DISCORD_TOKEN is not set")
    shards = chosen_shards()
    base = configure_rest()
    reach.check("Discord", base)  # no network: one line, before the client logs or opens anything
    log.info("discord REST base %s", base)
    content = message_content_enabled()
    log.info("discord message content intent: %s (STARDRILL_DISCORD_MESSAGE_CONTENT)", "on" if content else "off")
    log.info("discord gateway: %s (STARDRILL_DISCORD_SHARD_IDS, STARDRILL_DISCORD_SHARD_COUNT)", shards.describe())
    loop = asyncio.new_event_loop()
    client_box: list[StardrillClient] = []
    made = threading.Event()
    running_failure: list[BaseException] = []
    started = threading.Event()  # start() has returned: a later failure is the runner's to hear, via the log

    def main() -> None:
        asyncio.set_event_loop(loop)
        client = StardrillClient(app, message_content=content, shards=shards, http_trace=counted_http(), **client_options)
        client.relay = Relay(app, client.adapter)
        client_box.append(client)
        made.set()
        try:
            loop.run_until_complete(client.start(token))
        except BaseException as exc:  # reported to start() or logged for the runner
            running_failure.append(exc)
            if started.is_set():
                log.error("%s", _explain(exc))
            _close_quietly(loop, client)  # a failed login leaves the HTTP session open ("Unclosed client session")
        finally:
            client.ready_event.set()  # release a start() still waiting
            _cancel_leftovers(loop)
            loop.close()

    thread = threading.Thread(target=main, name="discord-client", daemon=True)
    thread.start()
    made.wait(10)
    client = client_box[0]
    running = Running(client.adapter, client, loop, thread, running_failure, client.relay)
    ready = client.ready_event.wait(READY_TIMEOUT)
    if running_failure:
        thread.join(10)  # the client already stopped itself
        client.relay.stop()
        raise StartupError(_explain(running_failure[0]))
    if not ready:
        running.stop()
        raise StartupError(f"Discord did not become ready within {READY_TIMEOUT:.0f} s (check STARDRILL_DISCORD_API_URL)")
    client.relay.start()  # connected: send what the last run left, handle what it stored, read missed replies
    if ops is not None:
        ops.watch("discord", lambda: gateway_state(client),
                  inbox=lambda: inbox.depths(app.store, ["discord"])["discord"] + len(client.in_flight))
    started.set()
    return running


def _close_quietly(loop: asyncio.AbstractEventLoop, client: StardrillClient) -> None:
    try:
        loop.run_until_complete(client.close())
    except Exception:
        log.debug("closing the discord client after a failed start failed", exc_info=True)
