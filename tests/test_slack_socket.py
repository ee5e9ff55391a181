"""Socket Mode specifics: envelopes acked, first deliveries carry retry_attempt 0, disconnect/refresh reconnects."""

from __future__ import annotations

from tests.chat import STRONG, WEAK
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import CHANNEL, block_text, fake, start_world  # noqa: F401


def test_refresh_requested_reconnects_and_events_keep_flowing(fake, app, monkeypatch):
    w = start_world(fake, app, monkeypatch, "socket")
    try:
        thread = w.post_question()
        opened = len(fake.calls_to("apps.connections.open"))
        fake.disconnect("refresh_requested")
        fake.wait_for(lambda: fake.connections == 2, what="the reconnect")
        assert len(fake.calls_to("apps.connections.open")) == opened + 1  # a fresh URL, as Slack requires
        w.say("UANA", STRONG, thread=thread)
        w.say("UBO", WEAK, thread=thread)
        assert len(w.thread_posts(thread, 2)) == 2
    finally:
        w.running.stop()


def test_first_delivery_with_retry_attempt_zero_is_handled(fake, app, monkeypatch):
    w = start_world(fake, app, monkeypatch, "socket")
    try:
        thread = w.post_question()
        envelope = fake.send_envelope("events_api", p.message(CHANNEL, "UANA", STRONG, thread), retry_attempt=0)
        assert fake.wait_ack(envelope)["envelope_id"] == envelope.envelope_id
        assert w.thread_posts(thread)[0].params["text"].startswith("Feedback for ana")
    finally:
        w.running.stop()


def test_slash_command_envelope_is_acked_before_the_work(fake, app, monkeypatch):
    w = start_world(fake, app, monkeypatch, "socket")
    try:
        envelope = fake.send_envelope("slash_commands", p.command("/stardrill", "help", "UANA", CHANNEL))
        fake.wait_ack(envelope)
        help_note = fake.wait_calls("chat.postEphemeral", user="UANA")[0]
        assert "/stardrill schedule" in block_text(help_note)
    finally:
        w.running.stop()
