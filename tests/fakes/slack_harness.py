"""Stardrill's real Slack runtime (Bolt + slack_sdk) wired to the fake Slack, in HTTP or Socket Mode.

`SlackWorld` delivers payloads the way Slack would (signed HTTP POSTs, or Socket Mode envelopes
that must be acked) and offers member-level helpers; assertions read the fake's recorded calls
and the SQLite rows.
"""

from __future__ import annotations

import json
from argparse import Namespace

import pytest

from stardrill.adapters.slack_adapter import runtime
from tests.fakes import slack_payloads as p
from tests.fakes.slack import TEAM, FakeSlack

BOT_TOKEN, APP_TOKEN, SECRET = "xoxb-1111-2222-fakebottoken", "xapp-1-A0001-fakeapptoken", "fake-signing-secret-123"
CHANNEL = "C0TEAM"
ADMIN = "UADMIN"


class SlackWorld:
    def __init__(self, fake: FakeSlack, core, running, mode: str):
        self.fake, self.core, self.running, self.mode = fake, core, running, mode

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.running.port}/slack/events"

    def send(self, kind: str, payload: dict, retry_attempt: int = 0) -> int:
        """Deliver one payload; returns the HTTP status (200 for an acked Socket Mode envelope)."""
        if self.mode == "http":
            body, content_type = p.http_body(kind, payload)
            headers = {"X-Slack-Retry-Num": str(retry_attempt)} if retry_attempt else {}
            return p.signed_post(self.events_url, body, content_type, SECRET, headers=headers)[0]
        envelope = self.fake.send_envelope(kind, payload, retry_attempt)
        self.fake.wait_ack(envelope)
        return 200

    def say(self, user: str, text: str, thread: str | None = None, channel: str = CHANNEL, **kw) -> dict:
        body = p.message(channel, user, text, thread, **kw)
        assert self.send("events_api", body) == 200
        return body

    def command(self, user: str, text: str, name: str = "/stardrill", channel: str = CHANNEL) -> dict:
        body = p.command(name, text, user, channel, response_url=f"http://127.0.0.1:{self.fake.port}/response/1")
        assert self.send("slash_commands", body) == 200
        return body

    def press(self, user: str, action_id: str, value: str, message_ts: str, thread: str | None = None,
              channel: str = CHANNEL, ephemeral: bool = False) -> dict:
        body = p.block_action(action_id, value, user, channel, message_ts, thread, ephemeral)
        assert self.send("interactive", body) == 200
        return body

    def submit(self, user: str, view: dict, values: dict[str, str]) -> dict:
        body = p.view_submission(view, user, values)
        assert self.send("interactive", body) == 200
        return body

    def post_question(self, channel: str = CHANNEL) -> str:
        """`/stardrill now` by an admin; returns the question's ts (its thread)."""
        before = len(self.fake.calls_to("chat.postMessage", channel=channel))
        self.command(ADMIN, "now", channel=channel)
        posts = self.fake.wait_for(lambda: [c for c in self.fake.calls_to("chat.postMessage", channel=channel)[before:]
                                            if is_question(c)], what="the question post")
        ts = self.ts_of(posts[0])
        # the fake records the call before the app reads the reply and stores the thread: wait for that too
        self.fake.wait_for(lambda: self.core.open_thread("slack", core_id(channel)) == core_id(ts),
                           what="the thread to be stored")
        return ts

    def ts_of(self, call) -> str:
        """The ts the fake returned for a recorded chat.postMessage call."""
        for message in self.fake.posted.get(call.params["channel"], []):
            if message["text"] == call.params.get("text") and message["blocks"] == call.params.get("blocks"):
                return message["ts"]
        raise AssertionError("no such posted message")

    def thread_posts(self, thread: str, count: int = 1, **match) -> list:
        return self.fake.wait_calls("chat.postMessage", count, thread_ts=thread, **match)


def core_id(slack_id: str, team: str = TEAM) -> str:
    """What the core stores for a Slack channel, user or message (thread) id: qualified with its workspace."""
    return f"{team}:{slack_id}"


def is_question(call) -> bool:
    """A tracked question post (every public post carries metadata; a question's names its track)."""
    return ((call.params.get("metadata") or {}).get("event_type")) == "stardrill_post"


def buttons(call) -> dict[str, str]:
    """{action_id: value} of the buttons in a recorded post."""
    found = {}
    for block in call.params.get("blocks") or []:
        if block["type"] == "actions":
            found.update({e["action_id"]: e["value"] for e in block["elements"]})
    return found


def block_text(call) -> str:
    return "\n".join(b["text"]["text"] for b in call.params.get("blocks") or [] if b.get("type") == "section")


@pytest.fixture
def fake():
    server = FakeSlack(admins=(ADMIN,), names={"UANA": "ana", "UBO": "bo", "UCY": "cy", ADMIN: "lead"}).start()
    yield server
    server.stop()


def start_world(fake, core, monkeypatch, mode: str) -> SlackWorld:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_APP_TOKEN", APP_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("STARDRILL_SLACK_API_URL", fake.url)
    running = runtime.start(core, Namespace(slack_mode=mode, port=0))
    running.adapter.pacer.interval = running.adapter.pacer.tolerance = 0.0  # pacing has its own unit test
    return SlackWorld(fake, core, running, mode)


@pytest.fixture(params=["http", "socket"])
def world(request, fake, app, monkeypatch):
    w = start_world(fake, app, monkeypatch, request.param)
    yield w
    w.running.stop()


@pytest.fixture
def http_world(fake, app, monkeypatch):
    w = start_world(fake, app, monkeypatch, "http")
    yield w
    w.running.stop()


def loads(value):
    return json.loads(value) if isinstance(value, str) else value
