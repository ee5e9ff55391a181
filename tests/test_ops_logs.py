"""STARDRILL_LOG_FORMAT=json: the real `stardrill run` against the fake Slack writes one redacted JSON object per line."""

from __future__ import annotations

import json

import pytest

from tests.chat import STRONG
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import ADMIN, BOT_TOKEN, CHANNEL, SECRET, fake  # noqa: F401
from tests.ops_kit import Bot, environment, sent_thread, stardrill

LEAKED = "xoxb-4444-5555-pastedbymistake"


def test_json_logs_are_one_object_per_line_with_tokens_redacted(fake, tmp_path):
    env = environment(tmp_path / "j.db", slack=fake, STARDRILL_LOG_FORMAT="json", STARDRILL_LOG_LEVEL="DEBUG")
    bot = Bot(["run", "--platform", "slack", "--slack-mode", "http", "--port", "0"], env)
    try:
        port = bot.wait_log(r"listening on port (\d+)").group(1)
        body, content_type = p.http_body("slash_commands", p.command("/stardrill", "now", ADMIN, CHANNEL))
        assert p.signed_post(f"http://127.0.0.1:{port}/slack/events", body, content_type, SECRET)[0] == 200
        thread = sent_thread(tmp_path / "j.db", "slack")
        # Slack refuses the feedback with an error text that carries a token: the traceback logged must not
        fake.fail("chat.postMessage", f"invalid_blocks {LEAKED}")
        body, content_type = p.http_body("events_api", p.message(CHANNEL, "UANA", STRONG, thread))
        assert p.signed_post(f"http://127.0.0.1:{port}/slack/events", body, content_type, SECRET)[0] == 200
        fake.wait_calls("chat.postEphemeral", user="UANA")  # the member is told it did not work
    finally:
        assert bot.stop() == 0, bot.log[-3000:]
    entries = [json.loads(line) for line in bot.lines]  # every line parses on its own
    assert len(entries) > 10
    assert all({"time", "level", "logger", "thread", "message"} <= set(e) for e in entries)
    assert any(e["logger"] == "stardrill.adapters.runner" and e["message"] == "SIGTERM received; stopping" for e in entries)
    assert BOT_TOKEN not in bot.log and SECRET not in bot.log and LEAKED not in bot.log
    [failure] = [e for e in entries if e["message"].startswith("slack outbox: gave up on row")]
    assert failure["level"] == "ERROR" and "Rejected" in failure["exception"]
    assert "invalid_blocks [redacted]" in failure["exception"]


@pytest.mark.parametrize("name, value, message", [
    ("STARDRILL_LOG_FORMAT", "xml", "error: STARDRILL_LOG_FORMAT must be text or json, not 'xml'"),
    ("STARDRILL_LOG_LEVEL", "loud", "error: STARDRILL_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not 'LOUD'"),
])
def test_an_unknown_log_setting_is_one_line_and_a_non_zero_exit(tmp_path, name, value, message):
    run = stardrill("questions", env=environment(tmp_path / "j.db", **{name: value}))
    assert (run.returncode, run.stderr.strip().splitlines(), run.stdout) == (2, [message], "")
