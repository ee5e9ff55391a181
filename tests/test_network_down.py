"""No network (here: a closed local port, never the internet): one line on stderr, exit code 2."""

from __future__ import annotations

import socket

import pytest

from tests.test_console_e2e import stardrill


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as s:  # bound, then closed: nothing listens there, so a connect is refused
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def discord_env(port: int) -> dict:
    return {"DISCORD_TOKEN": "fake-token", "STARDRILL_DISCORD_API_URL": f"http://127.0.0.1:{port}/api/v10",
            "STARDRILL_DISCORD_CLIENT_ID": ""}


def slack_env(port: int) -> dict:
    return {"SLACK_BOT_TOKEN": "xoxb-1-fake", "SLACK_APP_TOKEN": "xapp-1-fake", "SLACK_SIGNING_SECRET": "secret",
            "STARDRILL_SLACK_API_URL": f"http://127.0.0.1:{port}/api/"}


@pytest.mark.parametrize("argv, env, platform", [
    (["discord", "invite-url"], discord_env, "Discord"),
    (["discord", "sync"], discord_env, "Discord"),
    (["run", "--platform", "discord"], discord_env, "Discord"),
    (["run", "--platform", "slack"], slack_env, "Slack"),
    (["run", "--platform", "slack", "--slack-mode", "http", "--port", "0"], slack_env, "Slack"),
])
def test_an_unreachable_platform_is_one_line_and_exit_2(tmp_path, closed_port, argv, env, platform):
    run = stardrill(*argv, db=tmp_path / "n.db", env=env(closed_port))
    lines = run.stderr.decode().strip().splitlines()
    assert run.returncode == 2, run.stderr.decode()[-3000:]
    assert len(lines) == 1, run.stderr.decode()[-3000:]
    assert lines[0].startswith(f"error: cannot reach {platform} at http://127.0.0.1:{closed_port}/")
