"""Discord: `kill -9` half-way through posting a question, 60 channel messages while it is down, a restart:
one question, one thread.

The old failures: a kill during thread creation left a question with no thread, and the "was it
posted?" check read only the last 50 messages, so 60 messages later it posted the question again.
Now every post carries its outbox row's nonce (enforce_nonce), recovery searches the messages
*after* the claim's time, and the thread is its own outbox step.
"""

from __future__ import annotations

import pytest

from tests.fakes import discord_payloads as P
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord_harness import Driver, embed_text
from tests.faults_kit import count, discord_bot, rows, wait_until

NOW = {"name": "now", "type": 1, "options": []}


@pytest.fixture
def fake():
    server = FakeDiscord().start()
    yield server
    server.stop()


def questions(fake) -> list[dict]:
    return [m for m in list(fake.messages.values())
            if m["author"]["id"] == fake.bot["id"] and "Today's question" in embed_text(m)]


def threads(fake) -> list[dict]:
    return [c for c in list(fake.channels.values()) if c.get("type") == 11]


@pytest.mark.parametrize("moment", [
    "thread",  # the question is posted and recorded; the bot dies creating its thread
    "post",  # Discord posted the question; the bot dies before hearing its id
])
def test_a_kill_mid_question_then_60_messages_then_a_restart_makes_one_question_one_thread(fake, bot_db, moment):
    db = bot_db
    if moment == "thread":
        fake.stall("POST", r"/channels/\d+/messages/\d+/threads", "before")
    else:
        fake.stall("POST", r"/channels/\d+/messages", "after")
    bot = discord_bot(fake, db)
    driver = Driver(fake)
    driver.command("ann", "stardrill", [NOW], admin=True)
    wait_until(lambda: questions(fake), what="the question on Discord")
    wait_until(lambda: count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'sending'"), what="the bot stuck mid-way")
    bot.kill()
    assert threads(fake) == []
    for i in range(60):  # the channel moves on while the bot is down
        _chatter(fake, driver, i)

    fake.stalls.clear()
    bot = discord_bot(fake, db)
    try:
        wait_until(lambda: threads(fake), what="the thread")
        wait_until(lambda: count(db, "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") == 0,
                   what="the outbox to drain")
    finally:
        code, _ = bot.stop()
    assert code == 0, bot.log[-3000:]
    [question] = questions(fake)
    [thread] = threads(fake)
    assert thread["id"] == question["id"]  # the thread hangs on that one question
    assert rows(db, "SELECT status, message_id, thread_id FROM posts") == [("sent", question["id"], question["id"])]


def _chatter(fake, driver: Driver, i: int) -> None:
    """A member's message in the channel, on Discord only (the bot is down and hears nothing)."""
    message = P.message(P.snowflake(), fake.channel_id, driver.user(f"member{i % 7}"), f"chatter {i}",
                        guild_id=fake.guild_id)
    fake.messages[message["id"]] = message
