"""A Slack and a Discord session of the real `stardrill run` at DEBUG: no token, no interaction token, no
response_url and no answer text anywhere in the log.

The old failure: at DEBUG the log held Discord interaction tokens (valid 15 minutes) 6 times in 3
interactions, Slack's response_url twice, and members' full answers.
"""

from __future__ import annotations

import pytest

from stardrill.messages import REVIEW
from tests.fakes import discord_payloads as P
from tests.fakes import slack_payloads as p
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord_harness import Driver
from tests.fakes.slack_harness import ADMIN, APP_TOKEN, BOT_TOKEN, SECRET, buttons, fake as slack_fake  # noqa: F401
from tests.faults_kit import Bot, discord_bot, environment, wait_until

# One sentence nobody else writes: if any part of the log quotes the answer, this is in it.
SECRET_STORY = ("As the on-call lead I found the zebra-lantern cache poisoning myself, rolled back within nine minutes, "
                "wrote the postmortem and added a canary check that has caught two regressions since.")
SENTENCES = [s.strip() for s in SECRET_STORY.split(",")]


@pytest.fixture
def discord_fake():
    server = FakeDiscord().start()
    yield server
    server.stop()


def leaks(log: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s and s in log] + [s for s in SENTENCES if s in log] + (["zebra-lantern"] if
                                                                                         "zebra-lantern" in log else [])


def test_a_slack_session_at_debug_logs_no_secret_and_no_answer(slack_fake, tmp_path):
    fake, db = slack_fake, tmp_path / "s.db"
    response_url = f"http://127.0.0.1:{fake.port}/response/hooks-T0001-B0002-s3cr3tpath"
    bot = Bot(["--platform", "slack", "--slack-mode", "socket"],
              environment(db, slack=fake, slack_mode="socket", STARDRILL_LOG_LEVEL="DEBUG"))
    try:
        bot.wait_log("Socket Mode connected")
        fake.wait_ack(fake.send_envelope("slash_commands", {**p.command("/stardrill", "now", ADMIN, "C0LOG"),
                                                            "response_url": response_url}))
        thread = wait_until(lambda: next((m["ts"] for m in fake.posted.get("C0LOG", []) if m.get("metadata")), None))
        fake.wait_ack(fake.send_envelope("events_api", p.message("C0LOG", "UANA", SECRET_STORY, thread)))
        feedback = fake.wait_calls("chat.postMessage", 2, channel="C0LOG", timeout=10)[1]
        press = {**p.block_action(REVIEW, buttons(feedback)[REVIEW], "UBO", "C0LOG", thread, thread),
                 "response_url": response_url}
        fake.wait_ack(fake.send_envelope("interactive", press))
        fake.wait_calls("views.open", timeout=10)
    finally:
        code, _ = bot.stop()
    assert code == 0
    assert "DEBUG" in bot.log and "chat.postMessage" in bot.log  # it really logged at DEBUG
    assert leaks(bot.log, [BOT_TOKEN, APP_TOKEN, SECRET, response_url, "s3cr3tpath"]) == []


def test_a_discord_session_at_debug_logs_no_token_and_no_answer(discord_fake, tmp_path):
    fake, db = discord_fake, tmp_path / "d.db"
    bot = discord_bot(fake, db, STARDRILL_LOG_LEVEL="DEBUG")
    driver = Driver(fake)
    try:
        now = driver.command("ann", "stardrill", [{"name": "now", "type": 1, "options": []}], admin=True)
        thread_id = wait_until(lambda: next((c["id"] for c in list(fake.channels.values()) if c.get("type") == 11), None))
        driver.say("alice", thread_id, SECRET_STORY)
        feedback = wait_until(lambda: next((m for m in list(fake.messages.values())
                                            if m["channel_id"] == thread_id and m["author"]["id"] == fake.bot["id"]), None))
        review = next(b["custom_id"] for row in feedback["components"] for b in row["components"] if ":review:" in b["custom_id"])
        press = driver.press("bob", feedback, review)
        driver.callback(press)
        help_ = driver.command("carol", "stardrill", [{"name": "help", "type": 1, "options": []}])
        driver.callback(help_)
    finally:
        code, _ = bot.stop()
    assert code == 0
    assert "DEBUG" in bot.log and "/interactions/" in bot.log  # it really logged REST calls at DEBUG
    assert f"POST /api/v10/channels/{thread_id}/messages has returned 200" in bot.log  # and its own posts
    assert [line for line in bot.log.splitlines() if " WARNING " in line] == []  # a normal session warns of nothing
    tokens = [now["token"], press["token"], help_["token"]]
    assert leaks(bot.log, [fake.token, *tokens]) == []
    assert P.snowflake  # the fake's ids are not secrets; only tokens and texts are checked
