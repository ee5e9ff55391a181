"""Replies posted in an open question's thread while the bot was down are answered at the next start, once.

The old failure: 55 Discord thread replies posted during a restart were never answered (the gateway
does not replay a dead session's events). At start the bot now reads each open question's thread
from the newest message it had seen (Discord `after=`, Slack conversations.replies `oldest=`).
"""

from __future__ import annotations

import pytest

from tests.chat import STRONG
from tests.fakes import discord_payloads as P
from tests.fakes import slack_payloads as p
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord_harness import Driver, embed_text
from tests.fakes.slack_harness import ADMIN, SECRET, fake as slack_fake  # noqa: F401
from tests.faults_kit import count, discord_bot, slack_bot, wait_until

NOW = {"name": "now", "type": 1, "options": []}


@pytest.fixture
def discord_fake():
    server = FakeDiscord().start()
    yield server
    server.stop()


def discord_feedback(fake, thread_id: str) -> list[str]:
    return [embed_text(m) for m in list(fake.messages.values())
            if m["channel_id"] == thread_id and m["author"]["id"] == fake.bot["id"] and "Top fix" in embed_text(m)]


def test_discord_replies_posted_while_down_are_each_answered_once(discord_fake, bot_db):
    fake, db = discord_fake, bot_db
    bot = discord_bot(fake, db)
    driver = Driver(fake)
    driver.command("ann", "stardrill", [NOW], admin=True)
    thread_id = wait_until(lambda: next((c["id"] for c in list(fake.channels.values()) if c.get("type") == 11), None),
                           what="the question's thread")
    early = driver.say("early", thread_id, STRONG)  # heard live: the bot has seen the thread up to here
    wait_until(lambda: len(discord_feedback(fake, thread_id)) == 1, what="the live reply's feedback")
    assert bot.stop()[0] == 0

    for i in range(55):  # posted while the bot is down: on Discord, never dispatched to anyone
        message = P.message(P.snowflake(), thread_id, driver.user(f"late{i}"), STRONG, guild_id=fake.guild_id)
        fake.messages[message["id"]] = message
    bot = discord_bot(fake, db)
    try:
        bot.wait_log(r"caught up on 1 open question thread\(s\); 55 repl")
        wait_until(lambda: len(discord_feedback(fake, thread_id)) >= 56, what="56 feedbacks")
        assert bot.stop()[0] == 0
        bot = discord_bot(fake, db)  # and once more: nothing is answered twice
        bot.wait_log(r"caught up on 1 open question thread\(s\); 0 repl")
    finally:
        code, _ = bot.stop()
    assert code == 0
    assert len(discord_feedback(fake, thread_id)) == 56
    assert count(db, "SELECT COUNT(*) FROM answers") == 56 and count(db, "SELECT COUNT(DISTINCT user_id) FROM answers") == 56
    reads = [c.query.get("after") for c in fake.calls if c.method == "GET" and c.path == f"/channels/{thread_id}/messages"]
    assert reads[0] == early["id"]  # read from the last message seen, not the whole thread


def test_slack_replies_posted_while_down_are_each_answered_once(slack_fake, bot_db):
    fake, db = slack_fake, bot_db
    bot, port = slack_bot(fake, db)
    body, kind = p.http_body("slash_commands", p.command("/stardrill", "now", ADMIN, "C0DOWN"))
    assert p.signed_post(f"http://127.0.0.1:{port}/slack/events", body, kind, SECRET)[0] == 200
    thread = wait_until(lambda: next((m["ts"] for m in fake.posted.get("C0DOWN", []) if m.get("metadata")), None),
                        what="the question")
    wait_until(lambda: count(db, "SELECT COUNT(*) FROM posts WHERE status = 'sent'"), what="the question recorded")
    assert bot.stop()[0] == 0

    for name in ("UDOWN1", "UDOWN2", "UDOWN3"):  # Slack has them; the bot, down, never got the events
        fake.member_posts("C0DOWN", name, STRONG, thread_ts=thread)
    bot, port = slack_bot(fake, db)
    try:
        feedback = lambda: [m for m in fake.posted["C0DOWN"] if m["text"].startswith("Feedback for")]  # noqa: E731
        bot.wait_log(r"caught up on 1 open question thread\(s\); 3 repl")
        wait_until(lambda: len(feedback()) >= 3, what="3 feedbacks")
        late = fake.member_posts("C0DOWN", "UDOWN1", STRONG, thread_ts=thread)  # Slack also delivers one late
        event = p.message("C0DOWN", "UDOWN1", STRONG, thread, ts=late["ts"])
        body, kind = p.http_body("events_api", event)
        assert p.signed_post(f"http://127.0.0.1:{port}/slack/events", body, kind, SECRET)[0] == 200
        wait_until(lambda: len(feedback()) >= 4, what="the live reply's feedback")
    finally:
        code, _ = bot.stop()
    assert code == 0
    assert len(feedback()) == 4 and count(db, "SELECT COUNT(*) FROM answers") == 4
    assert [c.params.get("oldest") for c in fake.calls_to("conversations.replies")][:1] == [thread]
