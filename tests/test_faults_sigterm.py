"""SIGTERM with a backlog: the bot stops at once (exit 0, well inside Docker's 10 s), and what it had not
sent goes out after the restart, each message once.

The old failure: a stop waited for every queued reply to be sent, 51 s with a backlog.
"""

from __future__ import annotations

import pytest

from tests.chat import STRONG
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord_harness import Driver, embed_text
from tests.faults_kit import count, discord_bot, wait_until

NOW = {"name": "now", "type": 1, "options": []}
STOP_BOUND = 5.0  # seconds: the bound on a real process (Docker kills after 10)


@pytest.fixture
def fake():
    server = FakeDiscord().start()
    yield server
    server.stop()


def feedback(fake, thread_id: str) -> list[dict]:
    return [m for m in list(fake.messages.values())
            if m["channel_id"] == thread_id and m["author"]["id"] == fake.bot["id"] and "Top fix" in embed_text(m)]


def test_sigterm_with_60_queued_stops_fast_and_the_restart_sends_all_60_once(fake, bot_db):
    db = bot_db
    bot = discord_bot(fake, db)
    driver = Driver(fake)
    driver.command("ann", "stardrill", [NOW], admin=True)
    thread_id = wait_until(lambda: next((c["id"] for c in list(fake.channels.values()) if c.get("type") == 11), None),
                           what="the question's thread")
    fake.delay = 0.2  # a slow Discord: 60 feedbacks in one thread queue up behind each other
    for i in range(60):
        driver.say(f"member{i}", thread_id, STRONG)
    # Every reply handled (so none is still on its way in) with most of their feedback still queued: the
    # check after the stop is then about the outbox alone.
    wait_until(lambda: count(db, "SELECT COUNT(*) FROM answers") == 60
               and count(db, "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") >= 30,
               what="60 answers handled and a backlog of queued feedback")
    code, seconds = bot.stop()
    assert code == 0, bot.log[-3000:]
    assert seconds < STOP_BOUND
    queued = count(db, "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')")
    assert queued + len(feedback(fake, thread_id)) >= 60 and queued > 0  # what was unsent stayed in the outbox

    fake.delay = 0.0
    bot = discord_bot(fake, db)
    try:
        wait_until(lambda: len(feedback(fake, thread_id)) >= 60, what="all 60 feedbacks")
        wait_until(lambda: count(db, "SELECT COUNT(*) FROM outbox WHERE status != 'sent'") == 0, what="an empty outbox")
    finally:
        code, _ = bot.stop()
    assert code == 0
    sent = feedback(fake, thread_id)
    assert len(sent) == 60 and len({embed_text(m) for m in sent}) == 60  # each member's feedback once
    assert count(db, "SELECT COUNT(*) FROM answers") == 60
