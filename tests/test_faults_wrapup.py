"""A wrap-up whose send fails (Slack's internal_error, or a kill mid-send) still reveals the blind answers, once.

The old failure: the post was marked wrapped before the wrap-up was sent, so one internal_error and
the hidden answers were never revealed. Now marking it wrapped and queueing the wrap-up commit
together, and the outbox retries until Slack confirms the post.
"""

from __future__ import annotations

import pytest

from stardrill.messages import ANSWER
from tests.chat import STRONG
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import ADMIN, SECRET, buttons, fake, loads  # noqa: F401
from tests.faults_kit import count, slack_bot, wait_until

CHANNEL = "C0BLIND"


def send(port: int, kind: str, payload: dict) -> None:
    body, content_type = p.http_body(kind, payload)
    assert p.signed_post(f"http://127.0.0.1:{port}/slack/events", body, content_type, SECRET)[0] == 200


def blind_answers(fake, db, port: int) -> str:
    """A blind question answered privately by two members; returns its thread."""
    send(port, "slash_commands", p.command("/stardrill", "blind on", ADMIN, CHANNEL))
    send(port, "slash_commands", p.command("/stardrill", "now", ADMIN, CHANNEL))
    call = fake.wait_calls("chat.postMessage", channel=CHANNEL)[0]
    thread = next(m["ts"] for m in fake.posted[CHANNEL] if m.get("metadata"))
    for i, member in enumerate(("UHIDE1", "UHIDE2")):
        send(port, "interactive", p.block_action(ANSWER, buttons(call)[ANSWER], member, CHANNEL, thread))
        view = loads(fake.wait_calls("views.open", i + 1)[i].params["view"])
        send(port, "interactive", p.view_submission(view, member, {"answer": f"{STRONG} (told by {member})"}))
    wait_until(lambda: count(db, "SELECT COUNT(*) FROM answers WHERE hidden = 1") == 2, what="two hidden answers")
    return thread


def reveals(fake, thread: str) -> list[dict]:
    return [m for m in fake.posted.get(CHANNEL, []) if m.get("thread_ts") == thread and m["text"].startswith("Wrap-up")
            and "revealed together" in str(m["blocks"])]


@pytest.mark.parametrize("fault", ["internal_error", "kill"])
def test_a_failed_wrap_up_is_retried_and_reveals_the_answers_once(fake, bot_db, fault):
    db = bot_db
    bot, port = slack_bot(fake, db)
    try:
        thread = blind_answers(fake, db, port)
        fake.fail("chat.postMessage", "internal_error", channel=CHANNEL, times=1 if fault == "internal_error" else -1)
        send(port, "slash_commands", p.command("/stardrill", "wrapup", ADMIN, CHANNEL))
        wait_until(lambda: [c for c in fake.calls if c.method == "chat.postMessage" and c.error == "internal_error"],
                   what="Slack failing the wrap-up")
        assert count(db, "SELECT COUNT(*) FROM posts WHERE status = 'wrapped'") == 1
        if fault == "kill":
            bot.kill()
            fake.clear_failures()
            bot, port = slack_bot(fake, db)
        wait_until(lambda: reveals(fake, thread), timeout=30, what="the reveal")
        wait_until(lambda: count(db, "SELECT COUNT(*) FROM outbox WHERE status != 'sent'") == 0, what="the outbox drained")
    finally:
        code, _ = bot.stop()
    assert code == 0, bot.log[-3000:]
    [reveal] = reveals(fake, thread)
    assert "told by UHIDE1" in str(reveal["blocks"]) and "told by UHIDE2" in str(reveal["blocks"])
