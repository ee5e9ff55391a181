"""Discord round trips against the local fake: Stardrill vs a bare discord.py bot, in one run.

Run: ``python bench/discord_latency.py [--n 200]``. Two paths, each timed from the fake sending the
gateway frame to the fake receiving the bot's REST call:
  reply:       a thread reply (MESSAGE_CREATE) -> the feedback POST /channels/{thread}/messages
  interaction: a button press (INTERACTION_CREATE) -> the first POST /interactions/.../callback
               (Stardrill: "Review this answer", whose first response is the review modal)
The floor is a bare discord.py bot that answers both with a constant. Prints p50/p99 and the ratios,
and the inbox's own cost: each event is written to the inbox (one INSERT and COMMIT) before anything else.
Target: Stardrill's p99 under 10 ms on the reply path and 50 ms on the interaction path, within 3x the bare bot's
p99 on both; the inbox write's p99 under 1 ms. For context only, the reply
path is also timed for a bare bot that stores each reply in SQLite and posts Stardrill's embed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fakes in tests/ (the package itself is installed as `stardrill`)

import discord  # noqa: E402

from stardrill.adapters.discord_adapter import runtime  # noqa: E402
from stardrill.adapters.runner import quick_handoffs, settle_heap  # noqa: E402
from stardrill.app import Stardrill  # noqa: E402
from stardrill.content_loader import load_bank  # noqa: E402
from stardrill.relay import Relay  # noqa: E402
from stardrill.store import Store  # noqa: E402
from tests.chat import STRONG  # noqa: E402
from tests.fakes import discord_payloads as P  # noqa: E402
from tests.fakes.discord import FakeDiscord  # noqa: E402
from tests.fakes.discord_harness import Driver, post_question  # noqa: E402

WARMUP = 20


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def time_replies(fake: FakeDiscord, thread_id: str, n: int) -> list[float]:
    driver, out = Driver(fake), []
    for i in range(n + WARMUP):
        mark = driver.mark()
        message = P.message(P.snowflake(), thread_id, driver.user(f"member{i % 10}"), STRONG, guild_id=fake.guild_id)
        sent = fake.dispatch("MESSAGE_CREATE", message)
        call = fake.wait_for(lambda c: c.method == "POST" and c.path == f"/channels/{thread_id}/messages", after=mark)
        if i >= WARMUP:
            out.append((call.at - sent) * 1000)
    return out


def time_presses(fake: FakeDiscord, channel_id: str, message: dict, n: int) -> list[float]:
    custom_id = message["components"][0]["components"][-1]["custom_id"] if message["components"] else "x"
    out = []
    for i in range(n + WARMUP):
        mark = len(fake.calls)
        payload = P.interaction(3, {"custom_id": custom_id, "component_type": 2}, app_id=fake.app_id,
                                actor=P.user(P.snowflake(), f"member{i}"), channel=fake.channels[channel_id],
                                guild_id=fake.guild_id, message_payload=message)
        sent = fake.dispatch("INTERACTION_CREATE", payload)
        call = fake.wait_for(lambda c: c.path.startswith(f"/interactions/{payload['id']}/"), after=mark)
        if i >= WARMUP:
            out.append((call.at - sent) * 1000)
    return out


def timed(handle, into: list[float]):
    """The core's own time per event (it runs in a worker thread), to split total latency into core + adapter."""
    def run(event):
        start = time.perf_counter()
        try:
            return handle(event)
        finally:
            into.append((time.perf_counter() - start) * 1000)
    return run


def core_times(ahead: list[float], process: list[float]) -> list[float]:
    """Per event, the core's two calls: scoring the answer ahead of the transaction, then handling it in it."""
    return [a + b for a, b in zip(ahead, process)]


INBOX_MS: list[float] = []  # each event's inbox write (INSERT + COMMIT, off the loop), before anything else happens


def time_the_inbox() -> None:
    stored = Relay.receive

    def timed_receive(self, event, cursor=None):
        started = time.perf_counter()
        try:
            return stored(self, event, cursor)
        finally:
            INBOX_MS.append((time.perf_counter() - started) * 1000)

    Relay.receive = timed_receive


def stardrill_run(n: int) -> dict[str, list[float]]:
    fake = FakeDiscord().start()
    os.environ.update(DISCORD_TOKEN=fake.token, STARDRILL_DISCORD_API_URL=fake.base_url)
    core: list[float] = []
    ahead: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        app = Stardrill(load_bank(), Store(Path(tmp) / "bench.db"))
        # The inbox worker's two calls into the core: the feedback scored ahead, then the flow in its transaction.
        app.score_ahead = timed(app.score_ahead, ahead)
        app.process = timed(app.process, core)
        running = runtime.start(app, None, guild_ready_timeout=0.2)
        settle_heap()  # as `stardrill run` does once its adapters are up
        quick_handoffs()
        try:
            _, thread_id = post_question(app, running, fake.channel_id)
            INBOX_MS.clear()
            replies = time_replies(fake, thread_id, n)
            core_replies, core[:], ahead[:] = core_times(ahead, core)[WARMUP:], [], []
            # The last feedback's "Review this answer" button: opens the review modal as the first response.
            feedback = [m for m in fake.messages.values() if m["channel_id"] == thread_id][-1]
            presses = time_presses(fake, thread_id, feedback, n)
            core_presses = core_times(ahead, core)[WARMUP:]
        finally:
            running.stop()
    fake.stop()
    return {"reply": replies, "interaction": presses, "reply core": core_replies, "interaction core": core_presses,
            "feedback body": feedback,
            "reply adapter": [t - c for t, c in zip(replies, core_replies)],
            "interaction adapter": [t - c for t, c in zip(presses, core_presses)]}


class BareBot(discord.AutoShardedClient):
    async def on_message(self, message: discord.Message) -> None:
        if not message.author.bot:
            await message.channel.send("ok")

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok", ephemeral=True)

    async def on_ready(self) -> None:
        self.ready.set()


class StoringBareBot(BareBot):
    """For context only (the target uses BareBot): a bare bot that also stores each reply in SQLite
    (one INSERT and COMMIT off the loop, WAL) and posts the same embed and buttons as Stardrill's
    feedback, so the gap to Stardrill is the feedback engine and the core's own reads."""

    feedback: dict = {}

    async def on_message(self, message: discord.Message) -> None:
        if not message.author.bot:
            await asyncio.to_thread(self.store, message.id, message.content)
            await message.channel.send(embed=discord.Embed.from_dict(self.feedback["embeds"][0]), view=self.buttons())

    def store(self, message_id: int, text: str) -> None:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = sqlite3.connect(self.db_path)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        with conn:
            conn.execute("INSERT INTO answers (message_id, text) VALUES (?, ?)", (message_id, text))

    def buttons(self) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        for row in self.feedback["components"]:
            for b in row["components"]:
                view.add_item(discord.ui.Button(label=b["label"], custom_id=b["custom_id"]))
        return view


def start_bare(fake: FakeDiscord, cls: type = BareBot, feedback: dict | None = None):
    """A bare bot of `cls` connected to the fake, on its own loop thread: (bot, stop)."""
    discord.http.Route.BASE = fake.base_url
    intents = discord.Intents.none()
    intents.guilds = intents.guild_messages = intents.message_content = True
    loop = asyncio.new_event_loop()
    holder: dict = {}
    tmp = tempfile.TemporaryDirectory()

    def main() -> None:
        asyncio.set_event_loop(loop)
        bot = holder["bot"] = cls(intents=intents, guild_ready_timeout=0.2)
        bot.feedback, bot.local, bot.db_path = feedback or {}, threading.local(), str(Path(tmp.name) / "bare.db")
        with sqlite3.connect(bot.db_path) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS answers (id INTEGER PRIMARY KEY, message_id INTEGER, text TEXT)")
        bot.ready = threading.Event()
        holder["made"].set()
        loop.run_until_complete(bot.start(fake.token))

    holder["made"] = threading.Event()
    thread = threading.Thread(target=main, daemon=True)
    thread.start()
    holder["made"].wait(5)
    holder["bot"].ready.wait(10)

    def stop() -> None:
        asyncio.run_coroutine_threadsafe(holder["bot"].close(), loop).result(10)
        thread.join(10)
        tmp.cleanup()

    return holder["bot"], stop


def bare_run(n: int, cls: type = BareBot, feedback: dict | None = None) -> dict[str, list[float]]:
    fake = FakeDiscord().start()
    _, stop = start_bare(fake, cls, feedback)
    try:
        channel = fake.channel_id
        button = {"type": 1, "components": [{"type": 2, "style": 2, "label": "ok", "custom_id": "x"}]}
        message = P.message(P.snowflake(), channel, fake.bot, "", guild_id=fake.guild_id, components=[button])
        results = {"reply": time_replies(fake, channel, n)}
        if cls is BareBot:
            results["interaction"] = time_presses(fake, channel, message, n)
    finally:
        stop()
        fake.stop()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    n = parser.parse_args().n
    time_the_inbox()
    ours, floor = stardrill_run(n), bare_run(n)
    storing = bare_run(n, StoringBareBot, ours["feedback body"])["reply"]
    ok = True
    print(f"{'path':<12} {'who':<22} {'p50 ms':>8} {'p99 ms':>8}")
    for path in ("reply", "interaction"):
        rows = (("stardrill (total)", ours[path]), ("  of which core", ours[f"{path} core"]),
                ("  adapter = total-core", ours[f"{path} adapter"]), ("bare discord.py", floor[path]))
        for who, data in rows:
            print(f"{path:<12} {who:<22} {statistics.median(data):8.2f} {percentile(data, 0.99):8.2f}")
        p99, bare50, bare99 = percentile(ours[path], 0.99), statistics.median(floor[path]), percentile(floor[path], 0.99)
        print(f"{path:<12} {'ratio to bare':<22} p50 {statistics.median(ours[path]) / bare50:.1f}x  p99 {p99 / bare99:.1f}x  "
              f"(adapter only: p50 {statistics.median(ours[path + ' adapter']) / bare50:.1f}x)")
        if path == "reply":
            print(f"{path:<12} {'bare + SQLite + embed':<22} {statistics.median(storing):8.2f} {percentile(storing, 0.99):8.2f}"
                  f"   (context: a bare bot storing the reply and posting Stardrill's embed)")
        ok &= p99 < (10 if path == "reply" else 50) and p99 <= 3 * bare99
    inbox99 = percentile(INBOX_MS, 0.99)
    print(f"{'inbox':<12} {'write per event':<22} {statistics.median(INBOX_MS):8.3f} {inbox99:8.3f}"
          f"   ({len(INBOX_MS)} events; target p99 < 1 ms)")
    ok &= inbox99 < 1
    print("target (p99 < 10 ms reply, < 50 ms interaction, <= 3x bare; inbox p99 < 1 ms): " + ("met" if ok else "NOT met (see the shares above)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
