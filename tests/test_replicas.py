"""Three `stardrill run` replicas (Slack HTTP mode, real processes) on one PostgreSQL database behave as one bot.

Due posts are claimed once whoever schedules; replies spread over the replicas (some delivered twice, to two
replicas) are answered once; when the scheduling replica is killed with SIGKILL another takes over within
30 s, and a reply the dead replica had acked but not handled is answered by a survivor's orphan sweep; with a
slow Slack, the replicas share the sending of a large fan-out (no one claims every due post).
Assertions read what the fake Slack received and the rows in the database. PostgreSQL only: one SQLite
process is the single-replica case every other Slack test covers.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults_kit import BotDb, count, wait_until
from tests.fakes.slack import FakeSlack
from tests.replicas_kit import Replicas, Tally, answer_body, due_a_minute_ago, post, sent_threads

ANSWER = (
    "As the on-call lead I saw checkout errors climb to 4% after a deploy. I rolled the release back within ten "
    "minutes, traced the fault to a missing index, added it with a migration test, and the error rate fell to "
    "0.1% the same day, which kept about $20K of orders."
)
TAKEOVER_BOUND = 30.0  # seconds after the holder's death (the README's promise)
ORPHAN_BOUND = 55.0  # a row is an orphan 30 s after it arrived; survivors look every 10 s


@pytest.fixture
def fake():
    slack = FakeSlack().start()
    yield slack
    slack.stop()


@pytest.fixture
def db(tmp_path):
    return BotDb("postgresql", tmp_path)


@pytest.fixture
def replicas(fake, db):
    made = []

    def start(channels: list[str]) -> Replicas:
        store = db.store()
        try:
            due_a_minute_ago(store, channels)
        finally:
            store.close()
        made.append(Replicas(fake, db, 3))
        return made[-1]

    yield start
    for group in made:
        group.stop()


def questions_sent(db, channels: list[str]) -> dict[str, str]:
    """Channel -> its question's thread, once every channel's question is recorded as sent."""
    return wait_until(lambda: (found := sent_threads(db)).keys() >= set(channels) and found, timeout=30,
                      what=f"{len(channels)} questions recorded as sent")


def test_due_posts_go_out_once_and_every_reply_is_answered_once_across_three_replicas(fake, db, replicas):
    channels = [f"C0REP{i:03d}" for i in range(20)]
    group = replicas(channels)
    threads = questions_sent(db, channels)
    replies = [(channel, threads[channel], f"U{channel[-3:]}{who}") for channel in channels for who in "AB"]
    twice = set(range(0, len(replies), 8))  # 5 of the 40 delivered again, to another replica
    deliveries = []
    for i, (channel, thread, user) in enumerate(replies):
        body = answer_body(channel, thread, user, ANSWER)
        deliveries.append((group.ports[i % 3], body))
        if i in twice:
            deliveries.append((group.ports[(i + 1) % 3], body))
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda d: post(*d), deliveries))
    assert statuses == [200] * 45

    tally = Tally(fake)
    wait_until(lambda: len(tally.read().feedback) >= 40, timeout=30, what="40 feedbacks")
    time.sleep(2)  # a second handling of a reply would land by now
    tally.read()

    assert {channel: len(tally.questions[channel]) for channel in channels} == dict.fromkeys(channels, 1)
    assert all(len(tally.answers_for(*reply)) == 1 for reply in replies), tally.feedback
    assert sum(len(calls) for calls in tally.feedback.values()) == 40
    assert count(db, "SELECT COUNT(*) FROM posts WHERE status = 'sent'") == 20
    assert count(db, "SELECT COUNT(*) FROM answers") == 40
    assert count(db, "SELECT COUNT(*) FROM inbox WHERE status = 'done'") == 40
    assert count(db, "SELECT COUNT(*) FROM inbox") == 40  # 45 deliveries, 40 events


def test_a_killed_scheduler_is_replaced_within_30_s_and_its_acked_reply_is_still_answered(fake, db, replicas):
    group = replicas(["C0OPEN"])
    holder = group.leader()
    thread = questions_sent(db, ["C0OPEN"])["C0OPEN"]
    # The holder acks the reply, then its worker waits on users.info (who sent it): it cannot have handled
    # the reply when it is killed, so only another replica's sweep can answer it.
    fake.delays["users.info"] = 10.0
    assert post(group.ports[holder], answer_body("C0OPEN", thread, "UORPHAN", ANSWER)) == 200
    assert count(db, "SELECT COUNT(*) FROM inbox WHERE status = 'new'") == 1
    time.sleep(0.3)
    group.kill(holder)
    killed_at = time.time()
    fake.delays.clear()
    store = db.store()
    try:
        due_a_minute_ago(store, ["C0NEXT"])  # falls due while the holder is dead
    finally:
        store.close()

    successor, took_over_at = group.wait_takeover(TAKEOVER_BOUND)
    tally = Tally(fake)
    wait_until(lambda: tally.read().questions.get("C0NEXT"), timeout=20, what="the newly due question")
    wait_until(lambda: tally.read().answers_for("C0OPEN", thread, "UORPHAN"), timeout=ORPHAN_BOUND,
               what="feedback on the orphaned reply")
    time.sleep(2)
    tally.read()

    assert successor != holder and took_over_at - killed_at < TAKEOVER_BOUND
    assert len(tally.questions["C0NEXT"]) == 1 and len(tally.questions["C0OPEN"]) == 1
    assert len(tally.answers_for("C0OPEN", thread, "UORPHAN")) == 1
    assert count(db, "SELECT COUNT(*) FROM inbox WHERE status = 'done'") == 1
    assert count(db, "SELECT COUNT(*) FROM answers") == 1
    assert count(db, "SELECT COUNT(*) FROM posts WHERE status = 'sent'") == 2


def test_replicas_share_the_sending_of_a_large_fan_out(fake, db, replicas):
    """With Slack answering in 200 ms, no replica claims every due post at once: the others send their share."""
    fake.delays["chat.postMessage"] = 0.2
    channels = [f"C0FAN{i:03d}" for i in range(100)]
    replicas(channels)
    questions_sent(db, channels)

    senders = dict(db.rows("SELECT claimed_by, COUNT(*) FROM outbox WHERE status = 'sent' GROUP BY claimed_by"))
    assert len(senders) >= 2 and sum(senders.values()) == 100, senders
    assert Tally(fake).read().duplicate_posts() == 0
