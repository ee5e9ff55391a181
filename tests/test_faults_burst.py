"""A burst of acknowledged answers, `kill -9` while they are being handled and sent, a restart, Slack's redeliveries:
every answer stored once, every feedback posted once.

The old failure: work queued in memory after the ack, and the event id committed as "seen" before
the work was done; 36 of 60 acked answers were never stored and the redeliveries were ignored.
"""

from __future__ import annotations

import signal
from concurrent.futures import ThreadPoolExecutor

from tests.chat import STRONG
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import ADMIN, SECRET, core_id, fake  # noqa: F401
from tests.faults_kit import count, rows, slack_bot, wait_until

CHANNELS = [f"C0BURST{i:02d}" for i in range(12)]  # 12 threads x 5 answers: within Slack's per-channel burst of 4 + 1/s
MEMBERS = [f"UMEM{i:03d}" for i in range(60)]


def post(port: int, kind: str, payload: dict, retry: int = 0) -> int:
    body, content_type = p.http_body(kind, payload)
    headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
    return p.signed_post(f"http://127.0.0.1:{port}/slack/events", body, content_type, SECRET, headers=headers)[0]


def questions(fake, db, port: int) -> dict[str, str]:
    for channel in CHANNELS:
        assert post(port, "slash_commands", p.command("/stardrill", "now", ADMIN, channel)) == 200
    found = wait_until(lambda: {channel.split(":", 1)[1]: thread.split(":", 1)[1] for channel, thread in  # ids carry the workspace
                                rows(db, "SELECT channel_id, thread_id FROM posts WHERE status = 'sent'")}
                       if count(db, "SELECT COUNT(*) FROM posts WHERE status = 'sent'") == len(CHANNELS) else None,
                       what="12 questions posted")
    return found


def feedbacks(fake) -> list[tuple[str, str]]:
    """(thread, text) of every feedback Slack holds."""
    with fake._cond:
        return [(m.get("thread_ts"), m["text"]) for channel in CHANNELS for m in fake.posted.get(channel, [])
                if m["text"].startswith("Feedback for")]


def test_sixty_acked_answers_survive_kill_9_and_redelivery_once_each(fake, bot_db):
    db = bot_db
    bot, port = slack_bot(fake, db, STARDRILL_ADMIN_USERS=ADMIN)
    threads = questions(fake, db, port)
    bodies = [p.message(CHANNELS[i % 12], member, STRONG, threads[CHANNELS[i % 12]]) for i, member in enumerate(MEMBERS)]
    fake.delays["chat.postMessage"] = 0.2  # a slow Slack: sends are still in flight when the bot dies
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda body: post(port, "events_api", body), bodies))
    assert statuses == [200] * 60  # all 60 acked
    assert count(db, "SELECT COUNT(*) FROM inbox WHERE event_id LIKE ?", (core_id("msg:%"),)) == 60  # each stored before its ack
    # Kill once a send is in flight, not at a fixed moment: on a loaded machine the worker may not have started yet.
    wait_until(lambda: count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'sending'") > 0, what="a send in flight")
    bot.kill()
    stored, in_flight = count(db, "SELECT COUNT(*) FROM answers"), count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'sending'")
    assert in_flight > 0  # the kill landed mid-way: a send Slack may complete, which must not be sent twice
    assert stored < 60 or len(feedbacks(fake)) < 60  # and answers not yet handled, or feedback not yet posted
    assert len(feedbacks(fake)) < 60

    fake.delays.clear()
    bot, port = slack_bot(fake, db)
    try:
        with ThreadPoolExecutor(8) as pool:  # Slack retries what it thinks may be lost
            assert list(pool.map(lambda body: post(port, "events_api", body, retry=1), bodies)) == [200] * 60
        wait_until(lambda: len(feedbacks(fake)) >= 60 and count(db, "SELECT COUNT(*) FROM outbox WHERE status != 'sent'") == 0,
                   what="60 feedbacks sent")
    finally:
        code, _ = bot.stop(signal.SIGTERM)
    assert code == 0, bot.log[-3000:]
    assert count(db, "SELECT COUNT(*) FROM answers") == 60
    assert count(db, "SELECT COUNT(DISTINCT user_id) FROM answers") == 60
    assert count(db, "SELECT COUNT(*) FROM inbox WHERE status != 'done'") == 0
    sent = feedbacks(fake)
    assert len(sent) == 60 and len(set(sent)) == 60  # 60 feedbacks, 0 duplicates
    assert {thread for thread, _ in sent} == set(threads.values())
