"""Two `stardrill run` processes in Socket Mode on one app token and one database behave as one bot.

Slack allows several Socket Mode connections per app token and hands each envelope to one of them;
the fake does the same, in turn. Every reply is answered once, by whichever process got it, a
delivery retried to the other process is not answered twice, and when one process dies the other
keeps answering (Slack sends to the connections still open).
"""

from __future__ import annotations

from tests.chat import STRONG
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import ADMIN, fake  # noqa: F401
from tests.faults_kit import Bot, count, environment, rows, wait_until

CHANNEL = "C0SOCK"


def socket_bot(fake, db) -> Bot:
    bot = Bot(["--platform", "slack", "--slack-mode", "socket"], environment(db, slack=fake, slack_mode="socket"))
    bot.wait_log(r"Slack Socket Mode connected")
    return bot


def feedbacks(fake) -> list[dict]:
    with fake._cond:
        return [m for m in fake.posted.get(CHANNEL, []) if m["text"].startswith("Feedback for")]


def unacked(fake) -> list[str]:
    with fake._cond:
        return [e.envelope_id for e in fake.envelopes.values() if e.type == "events_api" and e.ack is None]


def explained(what: str, fake, db, *bots: Bot) -> str:
    """A failed wait's message: what each table holds and what each process logged last, so a stall can be
    told from a slow send (outbox rows still pending) or an event nobody took (inbox rows still new)."""
    inbox = rows(db, "SELECT status, COUNT(*) FROM inbox GROUP BY status ORDER BY status")
    outbox = rows(db, "SELECT status, claimed_by, COUNT(*) FROM outbox GROUP BY status, claimed_by ORDER BY status")
    logs = "\n".join(f"--- process {i}:\n{bot.log[-2000:]}" for i, bot in enumerate(bots, 1))
    return (f"{what}: {len(feedbacks(fake))} feedbacks posted; envelopes not acked: {unacked(fake)}; "
            f"inbox {inbox}; outbox {outbox}\n{logs}")


def handlers(db) -> set[str]:
    """Which processes sent replies (the outbox names the process that claimed each row)."""
    return {owner.rsplit("-", 1)[0] for (owner,) in rows(db, "SELECT DISTINCT claimed_by FROM outbox WHERE status = 'sent'")}


def test_two_socket_connections_share_the_work_and_each_reply_is_answered_once(fake, bot_db):
    one, two = socket_bot(fake, bot_db), socket_bot(fake, bot_db)
    try:
        wait_until(lambda: fake.open_sockets() == 2, what="two connections")
        fake.send_envelope("slash_commands", p.command("/stardrill", "now", ADMIN, CHANNEL))
        thread = wait_until(lambda: next((m["ts"] for m in fake.posted.get(CHANNEL, []) if m.get("metadata")), None),
                            what="the question")
        # Replies go out as soon as Slack holds the question, maybe before the bot has stored its thread: they wait.
        replies = [p.message(CHANNEL, f"UREP{i:02d}", STRONG, thread) for i in range(20)]
        for reply in replies:
            fake.send_envelope("events_api", reply)
        for reply in replies[:5]:  # Slack retries these (say the ack was slow); the retry reaches the other connection
            fake.send_envelope("events_api", reply, retry_attempt=1)
        wait_until(lambda: not unacked(fake), what="every delivery acked")
        # Each process paces its posts into the channel (Slack's ~1 message/s, after a burst of 4): about 7 s
        # when the 20 split evenly, 20 s if one process had to send them all. A reply that waited for the
        # orphan sweep instead of its own worker would take 30 s or more.
        try:
            wait_until(lambda: len(feedbacks(fake)) >= 20, timeout=28, what="20 feedbacks")
        except AssertionError:
            raise AssertionError(explained("gave up waiting for 20 feedbacks", fake, bot_db, one, two)) from None
        wait_until(lambda: count(bot_db, "SELECT COUNT(*) FROM inbox WHERE status = 'new'") == 0, what="retries handled")
        assert len(handlers(bot_db)) == 2  # both processes answered some

        one.kill()  # Slack then sends everything to the connection still open
        wait_until(lambda: fake.open_sockets() == 1, what="the dead connection closed")
        late = [p.message(CHANNEL, f"ULATE{i}", STRONG, thread) for i in range(5)]
        for reply in late:
            fake.send_envelope("events_api", reply)
        wait_until(lambda: len(feedbacks(fake)) >= 25, what="the late replies' feedback")
    finally:
        one.stop()
        code, _ = two.stop()
    assert code == 0, two.log[-3000:]
    assert len(feedbacks(fake)) == 25
    assert count(bot_db, "SELECT COUNT(*) FROM answers") == 25
    questions = [m for m in fake.posted.get(CHANNEL, []) if (m.get("metadata") or {}).get("event_type") == "stardrill_post"]
    assert len(questions) == 1
