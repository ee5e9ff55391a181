"""Reliability and safety over the real SDKs: mentions stay inert, 429s retried, refusals are permanent, errors told."""

from __future__ import annotations

import io
import logging
import time

import pytest

from stardrill.adapters.slack_adapter.adapter import SORRY
from stardrill import daily
from stardrill.messages import REVIEW
from stardrill.ports import DeliveryError
from tests.chat import STRONG
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import (  # noqa: F401 (fixtures)
    ADMIN, APP_TOKEN, BOT_TOKEN, CHANNEL, SECRET, block_text, buttons, fake, http_world, start_world, world,
)

# As Slack delivers it: typed @channel / @here / a user mention arrive as tokens, a typed "<" arrives as "&lt;".
HOSTILE = STRONG.replace("recovered about $8K a week.", "recovered about $8K a week <!channel> <!here> <@U0BOSS> "
                         "<!subteam^S0TEAM> &lt;!everyone&gt; &amp; more.")
MENTIONS = ("<!channel>", "<!here>", "<@U0BOSS>", "<!subteam", "<!everyone>")


def test_hostile_answer_pings_nobody_in_any_outbound_call(world):
    thread = world.post_question()
    world.say("UANA", HOSTILE, thread=thread)
    feedback = world.thread_posts(thread)[0]
    stored = world.core.store.row("SELECT text FROM answers")["text"]
    assert "<!channel>" in stored and "<!everyone> & more" in stored  # the core got what the member typed
    world.command(ADMIN, "wrapup")  # the wrap-up quotes the answer's evidence again
    world.thread_posts(thread, 2)
    sent = world.fake.outbound_text()
    assert "&lt;!channel&gt;" in block_text(feedback)  # the quote is there, inert
    assert [m for m in MENTIONS if m in sent] == []
    assert "link_names" not in sent and '"parse"' not in sent


def test_a_429_is_retried_after_retry_after_and_the_feedback_arrives(http_world):
    thread = http_world.post_question()
    http_world.fake.fail("chat.postMessage", retry_after=0)
    http_world.say("UANA", STRONG, thread=thread)
    feedback = http_world.thread_posts(thread)[0]
    assert feedback.params["text"].startswith("Feedback for ana")
    statuses = [c.status for c in http_world.fake.calls if c.method == "chat.postMessage"]
    assert statuses[-2:] == [429, 200]


def test_not_in_channel_is_a_permanent_delivery_error_with_a_clear_log_line(http_world, caplog):
    http_world.fake.fail("chat.postMessage", "not_in_channel", channel="C0GONE", times=-1)
    question = daily.claim_question(http_world.core, "slack", "C0GONE")
    with pytest.raises(DeliveryError) as raised:
        http_world.running.adapter.deliver([question])
    assert raised.value.permanent
    assert any("not_in_channel" in r.getMessage() and "/invite @Stardrill" in r.getMessage() for r in caplog.records)
    http_world.fake.fail("chat.postMessage", "internal_error")
    with pytest.raises(DeliveryError) as transient:
        http_world.running.adapter.deliver([daily.claim_question(http_world.core, "slack", "C0OTHER")])
    assert not transient.value.permanent


def test_an_error_after_ack_is_logged_and_told_briefly(world):
    thread = world.post_question()
    world.say("UANA", STRONG, thread=thread)
    feedback = world.thread_posts(thread)[0]
    world.fake.fail("views.open", "expired_trigger_id")
    world.press("UBO", REVIEW, buttons(feedback)[REVIEW], world.ts_of(feedback), thread=thread)  # acked: 200
    note = world.fake.wait_calls("chat.postEphemeral", user="UBO")[0]
    assert note.params["text"] == SORRY and note.params["thread_ts"] == thread
    world.say("UCY", STRONG, thread=thread)  # still serving
    world.thread_posts(thread, 2)


def test_bad_signature_and_stale_timestamp_get_401_and_reach_nothing(http_world):
    body, content_type = p.http_body("events_api", p.message(CHANNEL, "UANA", "hello", "1.0"))
    status, _ = p.signed_post(http_world.events_url, body, content_type, "not-the-secret")
    assert status == 401
    status, _ = p.signed_post(http_world.events_url, body, content_type, SECRET, timestamp=int(time.time()) - 600)
    assert status == 401
    assert p.signed_post(http_world.events_url, body, content_type, SECRET)[0] == 200  # the same body, signed now
    stored = http_world.core.store.inbox.rows("SELECT event_id, status FROM inbox")  # stored before the ack
    event = p.loads(body)["event"]
    assert [r["event_id"] for r in stored] == [f"T0001:msg:{CHANNEL}:{event['ts']}"]


def test_tokens_never_reach_the_logs_even_at_debug(fake, app, monkeypatch):
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers[:] = [logging.StreamHandler(stream)]  # set up elsewhere, without our filter
    root.setLevel(logging.DEBUG)
    try:
        w = start_world(fake, app, monkeypatch, "socket")
        logging.getLogger("slack_sdk.web.base_client").debug("leak check %s %s", BOT_TOKEN, APP_TOKEN)
        thread = w.post_question()
        w.say("UANA", STRONG, thread=thread)
        w.thread_posts(thread)
        w.running.stop()
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    out = stream.getvalue()
    assert "apps.connections.open" in out and "leak check [redacted] [redacted]" in out
    assert BOT_TOKEN not in out and APP_TOKEN not in out and "xoxb-" not in out
