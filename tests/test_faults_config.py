"""Settings that used to stop all posts silently, fall back silently or end in a traceback: one clear line, exit 2.

`stardrill run` is called as the console script calls it (adapters.cli.main), with the settings in the
environment; the cases need no platform, or fail before one connects.
"""

from __future__ import annotations

import socket

import pytest

from stardrill.adapters.cli import main
from tests.fakes.slack_harness import BOT_TOKEN, SECRET, fake  # noqa: F401

SLACK_HTTP = ["run", "--platform", "slack", "--slack-mode", "http", "--port", "0"]
PLATFORM_SETTINGS = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN", "STARDRILL_METRICS_PORT")


@pytest.fixture
def env(monkeypatch, tmp_path, fake):
    for name in PLATFORM_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STARDRILL_DB", str(tmp_path / "c.db"))
    monkeypatch.setenv("STARDRILL_SLACK_API_URL", fake.url)

    def set_(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_


def run(argv: list[str], capsys) -> tuple[int, list[str]]:
    code = main(argv)
    return code, capsys.readouterr().err.strip().splitlines()


SLACK = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET}


@pytest.mark.parametrize("settings, argv, line", [
    ({"STARDRILL_CATCHUP_GRACE_MINUTES": "0", **SLACK}, SLACK_HTTP,
     "error: STARDRILL_CATCHUP_GRACE_MINUTES must be a number of minutes from 1 to 1440, not '0'"),
    ({"STARDRILL_CATCHUP_GRACE_MINUTES": "-5", **SLACK}, SLACK_HTTP,
     "error: STARDRILL_CATCHUP_GRACE_MINUTES must be a number of minutes from 1 to 1440, not '-5'"),
    ({"STARDRILL_SEED": "abc", **SLACK}, SLACK_HTTP, "error: STARDRILL_SEED must be a whole number, not 'abc'"),
    ({"STARDRILL_FEEDBACK_PROCESSES": "lots", **SLACK}, SLACK_HTTP,
     "error: STARDRILL_FEEDBACK_PROCESSES must be a number of processes from 0 to 64, not 'lots'"),
    ({"STARDRILL_LOG_LEVEL": "verbose", **SLACK}, SLACK_HTTP,
     "error: STARDRILL_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not 'VERBOSE'"),
    ({"STARDRILL_DB": "", **SLACK}, SLACK_HTTP,
     "error: STARDRILL_DB is set but empty: give the database file's path, or unset it for the default"),
    (SLACK, SLACK_HTTP[:-1] + ["99999"], "error: --port must be a port number from 0 to 65535, not 99999"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN}, ["run"],
     "error: Slack is half set up: SLACK_BOT_TOKEN goes with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET "
     "(HTTP mode), and neither is set"),
    ({"SLACK_SIGNING_SECRET": SECRET}, ["run"],
     "error: Slack is half set up: SLACK_BOT_TOKEN goes with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET "
     "(HTTP mode), and SLACK_BOT_TOKEN is not set"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xoxb-a-bot-token-by-mistake"}, ["run", "--platform", "slack"],
     "error: SLACK_APP_TOKEN must be the app-level token (xapp-...) from the app's Basic Information page"),
    ({**SLACK, "STARDRILL_SLACK_API_URL": "http://127.0.0.1:9/api/"}, SLACK_HTTP, None),  # nothing listens on port 9
])
def test_a_bad_setting_is_one_line_and_exit_2(env, capsys, settings, argv, line):
    env(**settings)
    code, lines = run(argv, capsys)
    assert code == 2 and len(lines) == 1, lines
    assert lines[0] == line if line else lines[0].startswith("error: cannot reach Slack at http://127.0.0.1:9/api/")


def test_a_revoked_app_token_is_one_line_at_once_not_a_retry_loop(env, capsys, fake):
    env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN="xapp-1-A0001-revoked")
    fake.fail("apps.connections.open", "invalid_auth", times=-1)
    code, lines = run(["run", "--platform", "slack"], capsys)
    assert (code, lines) == (2, ["error: Slack refused SLACK_APP_TOKEN: invalid_auth"])
    assert len([c for c in fake.calls if c.method == "apps.connections.open"]) == 1


def test_a_port_in_use_is_one_line(env, capsys):
    env(**SLACK)
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, lines = run(SLACK_HTTP[:-1] + [str(port)], capsys)
    assert code == 2 and len(lines) == 1 and lines[0].startswith(f"error: cannot listen on port {port} for Slack HTTP mode")
