"""Workspace keys for what was stored before them, crash recovery within the distributed-app rate limits,
and installation-mode settings."""

from __future__ import annotations

import time
from argparse import Namespace

import pytest

from stardrill import daily
from stardrill.adapters.bootstrap import StartupError
from stardrill.adapters.slack_adapter import runtime
from stardrill.adapters.slack_adapter.outlet import SEARCH_LIMIT
from stardrill.events import Actor, MessagePosted, Where
from stardrill.messages import Message, Target
from stardrill.ports import Item
from stardrill.schedules import repo, rules
from stardrill.store import records
from tests.chat import STRONG, WEAK
from tests.fakes.slack_harness import CHANNEL, SECRET, core_id, fake, http_world, start_world  # noqa: F401
from tests.fakes.slack_oauth import CLIENT_ID, CLIENT_SECRET

THREAD = "1700000000.000100"


def single_workspace_history(app) -> None:
    """What a Stardrill from before workspaces left: bare Slack ids in every table (and a Discord channel)."""
    stamp = app.stamp()
    repo.save(app.store, "slack", CHANNEL, rules.make_rule("09:30", "UTC", "mon-fri", None, "off", app.now()), app.now())
    post = daily.claim_question(app, "slack", CHANNEL)
    records.mark_post_sent(app.store, int(post.track.split(":")[1]), THREAD, THREAD, stamp)
    app.handle(MessagePosted("Ev1", Actor("slack", "UANA", "ana"), Where(CHANNEL, THREAD), STRONG, "1700000001.0"))
    records.ensure_channel(app.store, "discord", "123456789012345678", stamp)


def slack_ids(app) -> dict[str, set[str]]:
    found = {}
    for table, column in (("channels", "channel_id"), ("users", "user_id"), ("schedules", "channel_id"),
                          ("posts", "channel_id"), ("posts", "thread_id"), ("answers", "user_id"), ("answers", "channel_id"),
                          ("answers", "thread_id"), ("sessions", "user_id")):
        found[f"{table}.{column}"] = {r[column] for r in app.store.rows(f"SELECT {column} FROM {table} WHERE platform = 'slack'")}
    return found


def test_rows_from_before_workspaces_are_qualified_once_from_the_tokens_workspace(fake, app, monkeypatch):
    single_workspace_history(app)
    first = start_world(fake, app, monkeypatch, "http")
    try:
        adopted = slack_ids(app)
        assert adopted["channels.channel_id"] == adopted["posts.channel_id"] == {core_id(CHANNEL)}
        assert adopted["users.user_id"] == adopted["answers.user_id"] == {core_id("UANA")}
        assert adopted["schedules.channel_id"] == {core_id(CHANNEL)}
        assert adopted["posts.thread_id"] == adopted["answers.thread_id"] == {core_id(THREAD)}
        assert app.store.row("SELECT channel_id FROM channels WHERE platform = 'discord'")["channel_id"] == "123456789012345678"
        first.say("UANA", WEAK, thread=THREAD)  # the member's next reply joins the same question and history
        first.thread_posts(THREAD)
        rows = app.store.rows("SELECT user_id, post_id FROM answers ORDER BY id")
        assert [r["user_id"] for r in rows] == [core_id("UANA")] * 2 and rows[0]["post_id"] == rows[1]["post_id"]
    finally:
        first.running.stop()
    second = start_world(fake, app, monkeypatch, "http")  # adopting again changes nothing
    second.running.stop()
    assert slack_ids(app) == {**adopted, "answers.user_id": {core_id("UANA")}}


def test_a_crashed_send_is_found_with_one_history_call_and_no_paging(http_world):
    fake, outlet = http_world.fake, http_world.running.adapter
    claimed = time.time()
    item = Item(4242, "message", Message(Target("slack", core_id(CHANNEL)), "posted just before a crash"), None, claimed)
    receipt = outlet.send_item(item)
    for i in range(40):  # a busy channel afterwards: more than one page of history
        fake.member_posts(CHANNEL, "UBO", f"chatter {i}", ts=f"{claimed + 600 + i:.6f}")
    found = outlet.find_item(item)
    history = fake.calls_to("conversations.history")
    assert found is not None and found.message_id == receipt.message_id
    assert len(history) == 1 and not history[0].params.get("cursor")
    assert int(history[0].params["limit"]) <= SEARCH_LIMIT and float(history[0].params["oldest"]) <= claimed


@pytest.mark.parametrize("env, mode, message", [
    ({"SLACK_CLIENT_ID": "my-app"}, "http", "SLACK_CLIENT_ID must be the app's Client ID"),
    ({"SLACK_CLIENT_SECRET": ""}, "http", "needs SLACK_CLIENT_SECRET"),
    ({"SLACK_SCOPES": "chat:write,users:read"}, "http", "SLACK_SCOPES lacks commands"),
    ({"SLACK_SCOPES": "chat:write,commands,bad scope"}, "http", "comma-separated bot scopes"),
    ({"SLACK_INSTALL_PATH": "install"}, "http", "SLACK_INSTALL_PATH must be a URL path"),
    ({"SLACK_REDIRECT_URI": "http://example.com/cb"}, "http", "SLACK_REDIRECT_URI must be an https:// URL"),
    ({"STARDRILL_UNINSTALL_RETENTION_DAYS": "-1"}, "http", "STARDRILL_UNINSTALL_RETENTION_DAYS must be"),
    ({}, "socket", "needs --slack-mode http: Slack sends each workspace's events"),
])
def test_installation_mode_settings_are_checked_with_one_line_errors(app, monkeypatch, env, mode, message):
    for name, value in {"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET, "SLACK_SIGNING_SECRET": SECRET,
                        "SLACK_APP_TOKEN": "xapp-1-x", **env}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with pytest.raises(StartupError, match=message):
        runtime.start(app, Namespace(slack_mode=mode, port=0))



def test_the_distributed_manifest_matches_installation_mode():
    import yaml  # the [test] extra installs pyyaml

    from pathlib import Path

    from stardrill import settings

    root = Path(__file__).resolve().parents[1] / "adapters/slack_adapter"
    manifest = yaml.safe_load((root / "manifest.distributed.yml").read_text())
    options = manifest["settings"]
    assert options["token_rotation_enabled"] is True and options["org_deploy_enabled"] is True
    assert options["socket_mode_enabled"] is False and options["interactivity"]["request_url"].endswith("/slack/events")
    assert {"app_uninstalled", "tokens_revoked"} <= set(options["event_subscriptions"]["bot_events"])
    assert manifest["oauth_config"]["scopes"]["bot"] == settings.SETTINGS["SLACK_SCOPES"].default.split(",")
    assert manifest["oauth_config"]["redirect_urls"][0].endswith(settings.SETTINGS["SLACK_REDIRECT_URI_PATH"].default)
    single = yaml.safe_load((root / "manifest.yml").read_text())
    assert {c["command"] for c in manifest["features"]["slash_commands"]} == {
        c["command"] for c in single["features"]["slash_commands"]}


def test_replies_posted_while_down_are_read_back_and_answered_once(fake, app, monkeypatch):
    first = start_world(fake, app, monkeypatch, "http")
    thread = first.post_question()
    first.say("UANA", STRONG, thread=thread)
    first.thread_posts(thread)
    first.running.stop()
    fake.member_posts(CHANNEL, "UBO", WEAK, thread_ts=thread)  # posted while the bot was down
    second = start_world(fake, app, monkeypatch, "http")
    try:
        second.thread_posts(thread, 2)
        rows = app.store.rows("SELECT user_id, thread_id FROM answers ORDER BY id")
        assert rows == [{"user_id": core_id("UANA"), "thread_id": core_id(thread)},
                        {"user_id": core_id("UBO"), "thread_id": core_id(thread)}]
    finally:
        second.running.stop()
    third = start_world(fake, app, monkeypatch, "http")  # read back again: nothing answered twice
    try:
        fake.wait_for(lambda: third.running.outbox.relay.caught_up.is_set(), what="catch-up")
        assert app.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 2
    finally:
        third.running.stop()
