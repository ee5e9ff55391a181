"""Discord end to end: the real discord.py client against the local fake, over a real SQLite store."""

from __future__ import annotations

import pytest

from tests.chat import STRONG
from tests.fakes.discord_harness import Driver, bot, buttons, embed_text, fake, post_question  # noqa: F401


@pytest.fixture
def driver(fake):
    return Driver(fake)


def test_scheduled_question_thread_reply_gets_feedback_in_the_thread(app, fake, bot, driver):
    message_id, thread_id = post_question(app, bot, fake.channel_id)

    question = driver.posted_in(fake.channel_id)
    assert question.body["embeds"][0]["footer"]["text"].startswith("Stardrill · post:")
    assert any(cid.startswith("stardrill:answer:") for cid in buttons(question.body))
    created = fake.wait_for(lambda c: c.path == f"/channels/{fake.channel_id}/messages/{message_id}/threads")
    assert created.body["name"].startswith("Today's question")
    assert thread_id == message_id  # Discord names a message's thread after it

    mark = driver.mark()
    driver.say("alice", thread_id, STRONG)
    feedback = driver.posted_in(thread_id, after=mark)
    assert "Top fix" in embed_text(feedback.body)
    assert {cid.split(":")[1] for cid in buttons(feedback.body)} == {"probe", "contrast", "review", "retry"}
    row = app.store.row("SELECT platform, user_id, text FROM answers")
    assert row["platform"] == "discord" and row["user_id"] == driver.user("alice")["id"] and row["text"] == STRONG


def test_stardrill_now_posts_a_question_whose_thread_collects_answers(app, fake, bot, driver):
    call = driver.callback(driver.command("ann", "stardrill", [{"name": "now", "type": 1, "options": []}], admin=True))
    assert call.body["type"] == 4 and call.body["data"]["flags"] & 64  # an ephemeral acknowledgement
    question = driver.posted_in(fake.channel_id)
    assert "Today's question" in embed_text(question.body)
    thread_id = fake.wait_for(lambda c: c.path.endswith("/threads")).path.split("/")[4]
    mark = driver.mark()
    driver.say("alice", thread_id, STRONG)
    assert "Top fix" in embed_text(driver.posted_in(thread_id, after=mark).body)


def test_members_without_manage_server_are_refused_admin_subcommands(app, fake, bot, driver):
    for sub in ("now", "schedule"):
        options = [{"name": "time", "type": 3, "value": "09:00"}] if sub == "schedule" else []
        call = driver.callback(driver.command("eve", "stardrill", [{"name": sub, "type": 1, "options": options}]))
        assert call.body["data"]["flags"] & 64, "the refusal is private"
        assert f"can use /stardrill {sub}" in call.body["data"]["content"]
    assert driver.fake.posts(fake.channel_id) == []
    assert app.store.row("SELECT COUNT(*) AS n FROM posts")["n"] == 0
    assert app.store.row("SELECT COUNT(*) AS n FROM schedules")["n"] == 0


def test_a_forbidden_channel_is_a_permanent_delivery_error_with_a_clear_log(app, fake, bot, caplog):
    from stardrill import daily
    from stardrill.ports import DeliveryError

    fake.forbid(fake.channel_id)
    message = daily.claim_question(app, "discord", fake.channel_id)
    with pytest.raises(DeliveryError) as refused:
        bot.adapter.deliver([message])
    assert refused.value.permanent
    assert any("refused to post" in r.getMessage() and "403" in r.getMessage() for r in caplog.records)


def test_already_posted_finds_the_tracked_question_after_a_crash(app, fake, bot):
    message_id, _ = post_question(app, bot, fake.channel_id)
    track = f"post:{app.store.row('SELECT id FROM posts')['id']}"
    assert bot.adapter.already_posted(fake.channel_id, track) == message_id
    assert bot.adapter.already_posted(fake.channel_id, "post:999") is None


def test_a_429_with_via_is_retried_and_the_feedback_still_arrives(app, fake, bot, driver):
    _, thread_id = post_question(app, bot, fake.channel_id)
    fake.rate_limit_once("POST", rf"/channels/{thread_id}/messages")
    mark = driver.mark()
    driver.say("alice", thread_id, STRONG)
    feedback = driver.posted_in(thread_id, after=mark, where=lambda c: c.status == 200)
    # Only the feedback's own attempts: a post the question's delivery had in flight can be recorded after the mark
    # (the fake records a call once it has answered it), and it is not what this test is about.
    attempts = [c.status for c in fake.calls[mark:] if c.path == f"/channels/{thread_id}/messages"
                and isinstance(c.body, dict) and "Top fix" in embed_text(c.body)]
    assert attempts == [429, 200]
    assert "Top fix" in embed_text(feedback.body)
    assert app.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 1


HOSTILE = STRONG + " Thanks @everyone and @here, and <@&111111111111111111> and <@222222222222222222>!"


def test_quoted_hostile_text_never_pings_anyone(app, fake, bot, driver):
    _, thread_id = post_question(app, bot, fake.channel_id)
    mark = driver.mark()
    driver.say("mallory", thread_id, HOSTILE)
    driver.posted_in(thread_id, after=mark)
    driver.callback(driver.command("mallory", "stardrill", [{"name": "help", "type": 1, "options": []}]))
    outbound = [c for c in fake.calls if c.method in {"POST", "PATCH"} and isinstance(c.body, dict)
                and ("content" in c.body or "embeds" in c.body or "data" in c.body)]
    bodies = [c.body.get("data", c.body) if c.path.endswith("/callback") else c.body for c in outbound]
    assert len(bodies) >= 3
    assert all(b.get("allowed_mentions", {}).get("parse") == [] for b in bodies), bodies
