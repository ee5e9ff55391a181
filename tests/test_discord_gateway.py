"""Gateway behaviour against the fake: RESUME replays, intents, bad tokens, and tokens kept out of logs."""

from __future__ import annotations

import contextlib
import io
import logging
import time

import pytest

from stardrill.adapters import logs
from stardrill.adapters.bootstrap import StartupError
from tests.chat import STRONG, WEAK
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord_harness import Driver, bot, fake, post_question, start_bot  # noqa: F401


def _wait(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_a_message_replayed_after_resume_gets_one_feedback(app, fake, bot):
    driver = Driver(fake)
    _, thread_id = post_question(app, bot, fake.channel_id)
    mark = driver.mark()
    driver.say("alice", thread_id, STRONG)
    driver.posted_in(thread_id, after=mark)

    fake.reconnect(replay_extra=3)  # Discord may resend frames the client already had
    _wait(lambda: fake.resumes)
    assert fake.resumes[0]["session_id"] == "session-1"
    # A later message is handled after the replayed one (frames are dispatched in order).
    driver.say("bob", thread_id, WEAK + " I learned to add retries and alerts next time, with a 2% error budget.")
    driver.posted_in(thread_id, after=driver.mark() - 1, where=lambda c: "bob" in str(c.body))
    bot.stop()  # drains handlers still running, so a duplicate would have been posted by now
    assert len(fake.identifies) == 1, "resumed, not re-identified"
    assert app.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 2
    assert len(fake.posts(thread_id)) == 2, "one feedback per distinct message, none for the replay"


def test_a_refused_message_content_intent_fails_fast_with_the_fix(app, monkeypatch):
    strict = FakeDiscord(allow_message_content=False).start()
    try:
        with pytest.raises(StartupError, match="STARDRILL_DISCORD_MESSAGE_CONTENT=off"):
            start_bot(app, strict, monkeypatch, content="on")
    finally:
        strict.stop()


@contextlib.contextmanager
def debug_logs():
    """Everything logged at DEBUG, through the same redacting filter `stardrill run` installs."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_a_wrong_token_fails_fast_and_never_reaches_the_logs(app, fake, monkeypatch):
    wrong = "MTIz" + "x" * 20 + ".Gabcde.wrongwrongwrongwrongwrongwrong"
    with debug_logs() as stream:
        with pytest.raises(StartupError, match="rejected DISCORD_TOKEN") as raised:
            start_bot(app, fake, monkeypatch, token=wrong)
    # reported once, by the StartupError the CLI prints as its one line; never the token
    assert wrong not in stream.getvalue() and wrong not in str(raised.value)


def test_the_token_stays_out_of_debug_logs_during_a_whole_flow(app, fake, monkeypatch):
    with debug_logs() as stream:
        running = start_bot(app, fake, monkeypatch)
        driver = Driver(fake)
        _, thread_id = post_question(app, running, fake.channel_id)
        driver.say("alice", thread_id, STRONG)
        driver.posted_in(thread_id, after=driver.mark() - 1)
        running.stop()
    text = stream.getvalue()
    assert "IDENTIFY" in text and fake.token not in text
