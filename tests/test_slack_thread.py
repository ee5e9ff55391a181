"""The daily thread over real Bolt and slack_sdk against the fake Slack: question -> threaded answer -> feedback."""

from __future__ import annotations

import logging

from stardrill import daily
from stardrill.messages import CONTRAST, PROBE, RETRY, REVIEW
from tests.chat import STRONG, WEAK
from tests.fakes.slack_harness import (  # noqa: F401 (fixtures)
    ADMIN, CHANNEL, block_text, buttons, core_id, fake, http_world, is_question, start_world, world,
)


def test_threaded_reply_gets_feedback_in_the_thread(world):
    thread = world.post_question()
    question = world.fake.calls_to("chat.postMessage", channel=CHANNEL)[0]
    assert question.params["metadata"]["event_type"] == "stardrill_post"
    assert "A strong answer covers" in block_text(question)
    world.say("UANA", STRONG, thread=thread)
    feedback = world.thread_posts(thread)[0]
    assert "Feedback for ana" in feedback.params["text"]
    assert set(buttons(feedback)) == {PROBE, CONTRAST, REVIEW, RETRY}
    assert world.core.store.row("SELECT thread_id, status FROM posts") == {"thread_id": core_id(thread), "status": "sent"}
    answer = world.core.store.row("SELECT user_id, thread_id, text FROM answers")
    assert answer == {"user_id": core_id("UANA"), "thread_id": core_id(thread), "text": STRONG}


def test_a_reply_that_comes_before_the_bot_has_stored_the_question_thread_gets_its_feedback(world):
    # Slack shows the question to members before chat.postMessage has answered the bot, so a quick member can
    # reply in a thread the bot cannot place yet. That reply waits for the thread instead of reading as chatter.
    world.fake.late_answers["chat.postMessage"] = 2.0  # room for a loaded machine before the check below
    world.command(ADMIN, "now")
    questions = world.fake.wait_for(lambda: [m for m in world.fake.posted.get(CHANNEL, [])
                                             if m["text"].startswith("Today's question")], what="the question post")
    thread = questions[0]["ts"]
    assert world.core.open_thread("slack", core_id(CHANNEL)) is None  # the bot has not heard back yet
    world.say("UANA", STRONG, thread=thread)
    feedback = world.fake.wait_calls("chat.postMessage", 1, 10.0, thread_ts=thread)[0]
    assert "Feedback for ana" in feedback.params["text"]
    answer = world.core.store.row("SELECT user_id, thread_id FROM answers")
    assert answer == {"user_id": core_id("UANA"), "thread_id": core_id(thread)}
    assert world.core.store.inbox.rows("SELECT status FROM inbox WHERE status != 'done'") == []


def test_scheduler_path_claim_and_deliver_opens_the_thread(http_world):
    core, adapter = http_world.core, http_world.running.adapter
    adapter.deliver([daily.claim_question(core, "slack", core_id(CHANNEL))])
    post = http_world.fake.calls_to("chat.postMessage", channel=CHANNEL)[0]
    thread = http_world.ts_of(post)
    assert core.open_thread("slack", core_id(CHANNEL)) == core_id(thread)
    http_world.say("UBO", WEAK, thread=thread)
    assert "Feedback for bo" in http_world.thread_posts(thread)[0].params["text"]


def test_probe_button_then_the_authors_reply_is_scored_as_a_probe_answer(world):
    thread = world.post_question()
    world.say("UANA", STRONG, thread=thread)
    feedback = world.thread_posts(thread)[0]
    world.press("UANA", PROBE, buttons(feedback)[PROBE], world.ts_of(feedback), thread=thread)
    probe = world.thread_posts(thread, 2)[1]
    assert probe.params["text"].startswith("Follow-up probe on your answer")
    world.say("UANA", "I measured the drop rate daily and it stayed at zero for a month.", thread=thread)
    reply = world.thread_posts(thread, 3)[2]
    assert reply.params["text"].startswith("On your reply to the probe")
    rows = world.core.store.rows("SELECT probe_index FROM answers ORDER BY id")
    assert rows == [{"probe_index": None}, {"probe_index": 0}]


def test_contrast_button_answers_privately_in_the_thread(world):
    thread = world.post_question()
    world.say("UANA", WEAK, thread=thread)
    feedback = world.thread_posts(thread)[0]
    world.press("UANA", CONTRAST, buttons(feedback)[CONTRAST], world.ts_of(feedback), thread=thread)
    private = world.fake.wait_calls("chat.postEphemeral", user="UANA")[0]
    assert private.params["thread_ts"] == thread and "Strong vs weak" in private.params["text"]
    assert "Where your answer stands" in block_text(private)


def test_the_same_event_delivered_twice_gets_one_feedback(world, caplog):
    caplog.set_level(logging.INFO, logger="stardrill.worker")
    thread = world.post_question()
    body = world.say("UANA", STRONG, thread=thread)
    world.thread_posts(thread)
    # Slack redelivers (HTTP: X-Slack-Retry-Num 1; Socket Mode: retry_attempt 1) with the same event_id
    assert world.send("events_api", body, retry_attempt=1) == 200
    world.fake.wait_for(lambda: any("duplicate delivery" in r.getMessage() for r in caplog.records), what="the dedupe")
    assert len(world.fake.calls_to("chat.postMessage", thread_ts=thread)) == 1
    assert world.core.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 1


def test_bots_and_edits_are_not_answers(world):
    thread = world.post_question()
    world.say("UOTHERBOT", "I am a bot answer", thread=thread, bot_id="B999")
    world.say("UANA", "edited", thread=thread, subtype="message_changed")
    world.say("UANA", WEAK, thread=thread)  # a real one, so we know the two above were processed first or dropped
    world.thread_posts(thread)
    assert world.core.store.rows("SELECT user_id, text FROM answers") == [{"user_id": core_id("UANA"), "text": WEAK}]


def test_restart_mid_day_posts_nothing_twice_and_keeps_collecting(fake, app, monkeypatch):
    first = start_world(fake, app, monkeypatch, "http")
    first.running.adapter.deliver([daily.claim_question(app, "slack", core_id(CHANNEL))])
    thread = first.ts_of(fake.calls_to("chat.postMessage", channel=CHANNEL)[0])
    first.running.stop()

    second = start_world(fake, app, monkeypatch, "http")  # the process restarted the same day
    try:
        assert daily.claim_question(app, "slack", core_id(CHANNEL)) is None
        post = app.store.row("SELECT id FROM posts")
        assert second.running.adapter.already_posted(core_id(CHANNEL), f"post:{post['id']}") == core_id(thread)
        assert second.running.adapter.already_posted(core_id(CHANNEL), "post:999") is None
        second.say("UANA", STRONG, thread=thread)
        assert second.thread_posts(thread)[0].params["text"].startswith("Feedback for ana")
        assert len([c for c in fake.calls_to("chat.postMessage", channel=CHANNEL) if is_question(c)]) == 1
    finally:
        second.running.stop()


def test_top_level_chatter_costs_no_lookup_and_no_rows(http_world):
    http_world.say("UCY", "lunch anyone?")  # not in a thread, not a DM
    thread = http_world.post_question()
    http_world.say("UANA", WEAK, thread=thread)
    http_world.thread_posts(thread)
    assert http_world.fake.calls_to("users.info", user="UCY") == []
    assert http_world.core.store.row("SELECT COUNT(*) AS n FROM users WHERE user_id = 'UCY'")["n"] == 0
