"""Input that used to crash a path gets a clear answer instead (the real Slack runtime against the fake).

- a lone UTF-16 surrogate (valid JSON, not storable text) in a reply, a form or a display name
- ids of 2**63 and more in /review, history and story (SQLite integers are 64-bit)
- Slack HTTP bodies that are not UTF-8 or not JSON, and a timestamp that is not a number: 401 or 400
  before anything reads them, in one log line rather than a traceback per request
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

from stardrill.messages import ANSWER
from tests.chat import STRONG
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import CHANNEL, SECRET, buttons, core_id, fake, http_world, loads  # noqa: F401

SURROGATE = "\ud83d"  # the first half of an emoji, alone


def signed(world, raw: bytes, content_type: str = "application/json", timestamp: str | None = None) -> int:
    """POST raw bytes, signed over those very bytes (as a sender who holds the secret would)."""
    stamp = timestamp or str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    request = urllib.request.Request(world.events_url, data=raw, method="POST", headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_lone_surrogate_in_a_reply_a_name_or_a_form_is_stored_and_answered(http_world):
    w = http_world
    w.fake.names["USURR"] = f"sam{SURROGATE}"  # a display name Slack would send as JSON "\ud83d"
    thread = w.post_question()
    w.say("USURR", f"{STRONG} {SURROGATE}", thread=thread)
    feedback = w.thread_posts(thread)[0]
    assert feedback.params["text"].startswith("Feedback for sam\ufffd")
    call = w.fake.calls_to("chat.postMessage", channel=CHANNEL)[0]
    w.press("UFORM", ANSWER, buttons(call)[ANSWER], thread, thread=thread)
    view = loads(w.fake.wait_calls("views.open")[0].params["view"])
    w.submit("UFORM", view, {"answer": f"{STRONG}{SURROGATE}"})
    w.fake.wait_calls("chat.postEphemeral", user="UFORM")
    texts = [r["text"] for r in w.core.store.rows("SELECT text FROM answers ORDER BY id")]
    assert texts == [f"{STRONG} \ufffd", f"{STRONG}\ufffd"]
    assert w.core.store.row("SELECT name FROM users WHERE user_id = ?", (core_id("USURR"),))["name"] == "sam\ufffd"
    assert w.core.store.inbox.row("SELECT COUNT(*) AS n FROM inbox WHERE status != 'done'")["n"] == 0


def test_ids_past_64_bits_get_a_plain_answer(http_world):
    w = http_world
    huge = str(2 ** 64)
    for name, text in (("/review", huge), ("/stardrill", f"history {huge}"), ("/stardrill", f"story launch {huge}")):
        w.command("UANA", text, name=name)
    notes = w.fake.wait_calls("chat.postEphemeral", 3, user="UANA")
    said = " | ".join(n.params["text"] for n in notes)
    assert "That answer no longer exists, so it cannot be reviewed." in said
    assert f"Answer {huge} is not one of yours." in said and f"Answer {huge} is not one of your answers." in said
    assert w.core.store.inbox.row("SELECT COUNT(*) AS n FROM inbox WHERE status = 'failed'")["n"] == 0


def test_unreadable_or_unsigned_http_bodies_are_refused_before_they_are_read(http_world, caplog):
    w = http_world
    caplog.set_level(logging.WARNING)
    garbage = [b"\xff\xfe\x00not utf-8", b"{not json", b"payload=%7B%22type%22"]
    for raw in garbage * 20:  # 60 requests from someone without the secret
        status, _ = p.signed_post(w.events_url, raw.decode("latin-1"), "application/json", "not-the-secret")
        assert status == 401
    assert signed(w, b"\xff\xfe not utf-8") == 400  # signed, yet unreadable: Slack never sends that
    assert signed(w, b"{not json") == 400
    assert signed(w, json.dumps({"type": "event_callback"}).encode(), timestamp="soon") == 401
    assert signed(w, json.dumps({"type": "event_callback"}).encode(), timestamp="1e9") == 401
    lines = [r for r in caplog.records if r.name.startswith(("stardrill.adapters.slack_adapter", "slack_bolt"))]
    assert all(r.exc_info is None for r in lines)  # no traceback
    assert len(lines) <= 3  # one line for the flood, not one per request
    assert w.core.store.inbox.row("SELECT COUNT(*) AS n FROM inbox")["n"] == 0
    thread = w.post_question()  # and the bot still serves
    w.say("UANA", STRONG, thread=thread)
    w.thread_posts(thread)
