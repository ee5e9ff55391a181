"""`stardrill run --platform slack`: the real entry point against the fake Slack, and clear startup errors."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from argparse import Namespace

import pytest

from stardrill.adapters.bootstrap import StartupError
from stardrill.adapters.slack_adapter import runtime
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import ADMIN, BOT_TOKEN, CHANNEL, SECRET, fake  # noqa: F401


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])  # Ctrl-C, and `docker stop`
def test_stardrill_run_http_mode_serves_commands_and_logs_no_token(fake, tmp_path, stop):
    env = {**os.environ, "STARDRILL_DB": str(tmp_path / "s.db"), "SLACK_BOT_TOKEN": BOT_TOKEN,
           "SLACK_SIGNING_SECRET": SECRET, "STARDRILL_SLACK_API_URL": fake.url, "STARDRILL_LOG_LEVEL": "DEBUG"}
    env.pop("SLACK_APP_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "stardrill", "run", "--platform", "slack", "--slack-mode", "http",
                             "--port", "0"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in proc.stderr:
            lines.append(line)
            if found := re.search(r"listening on port (\d+)", line):
                break
        assert found, "".join(lines)
        body, content_type = p.http_body("slash_commands", p.command("/stardrill", "now", ADMIN, CHANNEL))
        assert p.signed_post(f"http://127.0.0.1:{found.group(1)}/slack/events", body, content_type, SECRET)[0] == 200
        assert fake.wait_calls("chat.postMessage", channel=CHANNEL)[0].params["metadata"]["event_type"] == "stardrill_post"
    finally:
        proc.send_signal(stop)
        rest = proc.communicate(timeout=20)[1]
    assert proc.returncode == 0, rest[-3000:]
    assert f"{stop.name} received; stopping" in rest
    assert BOT_TOKEN not in "".join(lines) + rest
    assert "will be unused" not in "".join(lines) + rest  # Bolt's spurious start-up warning is filtered


@pytest.mark.parametrize("mode, missing, message", [
    ("socket", "SLACK_APP_TOKEN", "Socket Mode needs SLACK_APP_TOKEN"),
    ("http", "SLACK_SIGNING_SECRET", "HTTP mode needs SLACK_SIGNING_SECRET"),
    ("http", "SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN is not set"),
])
def test_missing_settings_are_one_line_startup_errors(app, monkeypatch, mode, missing, message):
    for name, value in (("SLACK_BOT_TOKEN", BOT_TOKEN), ("SLACK_APP_TOKEN", "xapp-1"), ("SLACK_SIGNING_SECRET", SECRET)):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(missing)
    with pytest.raises(StartupError, match=message):
        runtime.start(app, Namespace(slack_mode=mode, port=0))


def test_a_rejected_bot_token_is_a_startup_error_without_the_token(fake, app, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-not-a-bot-token-9999")  # the fake refuses non-xoxb tokens
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("STARDRILL_SLACK_API_URL", fake.url)
    with pytest.raises(StartupError) as raised:
        runtime.start(app, Namespace(slack_mode="http", port=0))
    assert "invalid_auth" in str(raised.value) and "xoxp-not-a-bot-token-9999" not in str(raised.value)
