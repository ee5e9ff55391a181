"""A question Slack holds before the bot has heard back that it was posted, and a `kill -9` in that gap.

A member who answers in the gap gets feedback after the restart; so does one who answers while the bot is
down. The question is not posted twice.

The old failures: a reply in a thread the bot had not stored yet read as chatter in someone else's thread (acked,
marked handled, never answered), and catch-up at start never read the thread of a question found after it began.
"""

from __future__ import annotations

from tests.chat import STRONG
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import ADMIN, SECRET, core_id, fake  # noqa: F401
from tests.faults_kit import count, rows, slack_bot, wait_until

CHANNEL = "C0EARLY"


def post(port: int, kind: str, payload: dict) -> int:
    body, content_type = p.http_body(kind, payload)
    return p.signed_post(f"http://127.0.0.1:{port}/slack/events", body, content_type, SECRET)[0]


def messages(fake, prefix: str) -> list[dict]:
    with fake._cond:
        return [m for m in fake.posted.get(CHANNEL, []) if m["text"].startswith(prefix)]


def state(db) -> str:
    """What the tables hold, for a failed wait's message."""
    return "\n".join(f"{table}: {rows(db, sql)}" for table, sql in (
        ("posts", "SELECT id, status, thread_id FROM posts"), ("outbox", "SELECT id, status, track FROM outbox"),
        ("inbox", "SELECT id, status, attempts, error FROM inbox")))


def wait_feedback(fake, db, bot) -> None:
    try:
        wait_until(lambda: messages(fake, "Feedback for"), timeout=40, what="the feedback")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{state(db)}\n{bot.log[-3000:]}") from None


def test_an_answer_given_before_the_question_is_stored_survives_kill_9_and_gets_feedback_once(fake, bot_db):
    db = bot_db
    fake.late_answers["chat.postMessage"] = 8.0  # members see the question at once; the bot hears back later
    bot, port = slack_bot(fake, db, STARDRILL_ADMIN_USERS=ADMIN)
    try:
        assert post(port, "slash_commands", p.command("/stardrill", "now", ADMIN, CHANNEL)) == 200
        thread = wait_until(lambda: next((m["ts"] for m in messages(fake, "Today's question")), None), what="the question")
        assert post(port, "events_api", p.message(CHANNEL, "UANA", STRONG, thread)) == 200  # acked
        wait_until(lambda: count(db, "SELECT COUNT(*) FROM inbox WHERE event_id LIKE ?", (core_id("msg:%"),)) == 1,
                   what="the answer stored")
        bot.wait_log(r"is handled again shortly")  # the answer waits for the question's thread
    finally:
        bot.kill()
    assert count(db, "SELECT COUNT(*) FROM posts WHERE status = 'claimed' AND thread_id IS NULL") == 1  # not heard back
    assert count(db, "SELECT COUNT(*) FROM answers") == 0  # and the answer waited for it instead of being dropped

    fake.late_answers.clear()
    bot, port = slack_bot(fake, db, STARDRILL_ADMIN_USERS=ADMIN)
    try:
        wait_feedback(fake, db, bot)
        wait_until(lambda: count(db, "SELECT COUNT(*) FROM outbox WHERE status != 'sent'") == 0, what="an empty outbox")
    finally:
        code, _ = bot.stop()
    assert code == 0
    assert len(messages(fake, "Today's question")) == 1  # found on Slack after the restart, not posted again
    feedback = messages(fake, "Feedback for")
    assert len(feedback) == 1 and feedback[0]["thread_ts"] == thread
    assert count(db, "SELECT COUNT(*) FROM answers WHERE thread_id = ?", (core_id(thread),)) == 1
    assert count(db, "SELECT COUNT(*) FROM inbox WHERE status != 'done'") == 0


def test_an_answer_posted_while_the_bot_is_down_in_a_question_it_never_heard_back_about_is_caught_up(fake, bot_db):
    """Killed before Slack answered the post, then a member replies while the bot is down (no event reaches it):
    the restart finds the question on Slack, then reads its thread and answers the reply, once."""
    db = bot_db
    fake.late_answers["chat.postMessage"] = 8.0
    bot, port = slack_bot(fake, db, STARDRILL_ADMIN_USERS=ADMIN)
    try:
        assert post(port, "slash_commands", p.command("/stardrill", "now", ADMIN, CHANNEL)) == 200
        thread = wait_until(lambda: next((m["ts"] for m in messages(fake, "Today's question")), None), what="the question")
    finally:
        bot.kill()
    fake.member_posts(CHANNEL, "UBEA", STRONG, thread_ts=thread)  # Slack has it; the bot, down, never got the event
    fake.late_answers.clear()
    fake.delays["conversations.history"] = 1.5  # the sender finds the question after catch-up's first pass
    bot, port = slack_bot(fake, db, STARDRILL_ADMIN_USERS=ADMIN)
    try:
        wait_feedback(fake, db, bot)
        bot.wait_log(r"caught up on 0 open question thread\(s\)")
        bot.wait_log(r"caught up on 1 question thread\(s\) stored after the start; 1 repl")
    finally:
        code, _ = bot.stop()
    assert code == 0
    assert len(messages(fake, "Today's question")) == 1
    feedback = messages(fake, "Feedback for")
    assert len(feedback) == 1 and feedback[0]["thread_ts"] == thread
    assert count(db, "SELECT COUNT(*) FROM answers WHERE thread_id = ?", (core_id(thread),)) == 1
