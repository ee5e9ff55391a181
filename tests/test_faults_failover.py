"""Two processes on one database: when the one holding the scheduler lock is killed, the other posts the next
due question.

The old failure: the second process, refused the lock at start, never asked again and posted nothing
(95 s and counting). It now retries the lock every few seconds; the kernel frees it on kill -9.
"""

from __future__ import annotations

from tests.fakes.slack_harness import fake  # noqa: F401
from tests.faults_kit import slack_bot, wait_until
from tests.replicas_kit import due_a_minute_ago

CHANNEL = "C0FAIL"
TAKEOVER_BOUND = 30.0  # seconds after the holder's death (the bound)


def due_now(db) -> None:
    """The channel's post fell due a minute ago, while only the standby is alive."""
    store = db.store()
    try:
        due_a_minute_ago(store, [CHANNEL])
    finally:
        store.close()


def test_the_standby_takes_over_the_schedule_when_the_holder_is_killed(fake, bot_db):
    db = bot_db
    holder, _ = slack_bot(fake, db)
    holder.wait_log("scheduler started")
    standby, _ = slack_bot(fake, db)
    try:
        standby.wait_log("another scheduler already runs")
        holder.kill()
        due_now(db)  # falls due while only the standby is alive
        standby.wait_log("this one schedules them now", timeout=TAKEOVER_BOUND)
        post = wait_until(lambda: [m for m in fake.posted.get(CHANNEL, []) if m.get("metadata")], what="the question")
    finally:
        code, _ = standby.stop()
    assert code == 0, standby.log[-3000:]
    assert len(post) == 1 and post[0]["metadata"]["event_type"] == "stardrill_post"
