"""A flood of replies in one busy channel never delays acks elsewhere, and `/stardrill now` posts once.

The old failure: per-channel pacing slept inside Bolt's listener threads; during a 200-reply flood
4 of 5 `/stardrill help` went unacked past 3 s, a reply in another channel waited 176 s, and an
admin's `/stardrill now` (retyped after the error) posted two questions. Now a listener only stores
the event and acks; pacing lives in the outbox sender, per channel.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.chat import STRONG
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import ADMIN, SECRET, core_id, fake  # noqa: F401
from tests.faults_kit import count, slack_bot, wait_until

BUSY, QUIET, OTHERS = "C0BUSY", "C0QUIET", [f"C0OTHER{i}" for i in range(4)]
ACK_BOUND = 1.0  # seconds: the bound for an ack on a real process (Slack's own limit is 3)


def timed_post(port: int, kind: str, payload: dict) -> tuple[int, float]:
    body, content_type = p.http_body(kind, payload)
    started = time.monotonic()
    status = p.signed_post(f"http://127.0.0.1:{port}/slack/events", body, content_type, SECRET)[0]
    return status, time.monotonic() - started


def question(fake, channel: str) -> str:
    return wait_until(lambda: next((m["ts"] for m in list(fake.posted.get(channel, []))
                                    if (m.get("metadata") or {}).get("event_type") == "stardrill_post"), None),
                      what=f"the question in {channel}")


def test_a_200_reply_flood_in_one_channel_leaves_other_channels_acked_fast(fake, bot_db):
    db = bot_db
    bot, port = slack_bot(fake, db)
    try:
        for channel in (BUSY, QUIET):
            assert timed_post(port, "slash_commands", p.command("/stardrill", "now", ADMIN, channel))[0] == 200
        busy, quiet = question(fake, BUSY), question(fake, QUIET)
        flood = [p.message(BUSY, f"UFLOOD{i:03d}", STRONG, busy) for i in range(200)]
        done = threading.Event()

        def storm() -> list[int]:
            with ThreadPoolExecutor(6) as pool:
                statuses = list(pool.map(lambda body: timed_post(port, "events_api", body)[0], flood))
            done.set()
            return statuses

        with ThreadPoolExecutor(1) as background:
            flooding = background.submit(storm)
            acks = []
            for i in range(20):  # commands in other channels while the flood is coming in
                acks.append(timed_post(port, "slash_commands", p.command("/stardrill", "help", f"UHELP{i}", OTHERS[i % 4])))
            acks.append(timed_post(port, "slash_commands", p.command("/stardrill", "now", ADMIN, OTHERS[0])))
            acks.append(timed_post(port, "events_api", p.message(QUIET, "UQUIET", STRONG, quiet)))
            assert flooding.result() == [200] * 200
        assert [status for status, _ in acks] == [200] * 22
        slow = [seconds for _, seconds in acks if seconds >= ACK_BOUND]
        assert slow == [], f"{len(slow)} of 22 acks took {ACK_BOUND} s or more: {slow}"

        question(fake, OTHERS[0])
        wait_until(lambda: any(m["text"].startswith("Feedback for uquiet") for m in fake.posted.get(QUIET, [])),
                   what="the quiet channel's feedback, not behind the busy channel's")
        wait_until(lambda: len(fake.calls_to("chat.postEphemeral")) >= 20, what="20 help notes")
        wait_until(lambda: count(db, "SELECT COUNT(*) FROM inbox WHERE status = 'new'") == 0, what="the flood handled")
    finally:
        code, _ = bot.stop()
    assert code == 0, bot.log[-3000:]
    asked = [m for m in fake.posted.get(OTHERS[0], []) if (m.get("metadata") or {}).get("event_type") == "stardrill_post"]
    assert len(asked) == 1  # `/stardrill now` posted once
    assert count(db, "SELECT COUNT(*) FROM answers WHERE channel_id = ?", (core_id(BUSY),)) == 200  # every flood reply stored
    busy_feedback = [m for m in fake.posted[BUSY] if m["text"].startswith("Feedback for")]
    assert len(busy_feedback) < 200  # the busy channel is still paced at ~1 message/s: its backlog waits in the outbox
