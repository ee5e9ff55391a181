"""Installable by any workspace: OAuth installs, workspace-scoped data, uninstall, retention, token rotation.

Real slack-bolt and slack_sdk against the fake Slack over loopback: workspaces install through the OAuth
flow, then Slack sends each one's events; assertions read what reached each workspace and the rows.
"""

from __future__ import annotations

import logging
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from stardrill.messages import FORGET_CONFIRM, Message, Target
from stardrill.progress.digest import build_digest
from stardrill.schedules.service import ScheduleService
from stardrill.adapters.slack_adapter import lifecycle
from tests.chat import STRONG, WEAK
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import ADMIN, SECRET, fake  # noqa: F401 (fixture)
from tests.fakes.slack_oauth import in_team, install, start_installable

BERLIN = ZoneInfo("Europe/Berlin")
DUE = datetime(2026, 3, 3, 9, 30, tzinfo=BERLIN)  # Tuesday; schedules are set on Monday (the test clock)
SAME = "C0SAME"  # both workspaces have a channel with this id, and members UANA


@pytest.fixture
def two(fake, app, monkeypatch):
    """Workspaces TA and TB installed through OAuth into one running Stardrill."""
    fake.add_team("TA", "alpha")
    fake.add_team("TB", "beta")
    world = start_installable(fake, app, monkeypatch)
    for key in ("TA", "TB"):
        install(world, key)
    yield world
    world.running.stop()


def send(world, team: str, kind: str, body: dict) -> None:
    assert world.send(kind, in_team(body, team)) == 200


def command(world, team: str, user: str, text: str, channel: str = SAME) -> None:
    send(world, team, "slash_commands", p.command("/stardrill", text, user, channel))


def say(world, team: str, user: str, text: str, thread: str, channel: str = SAME) -> None:
    send(world, team, "events_api", p.message(channel, user, text, thread))


def uninstalled(world, team: str) -> None:
    world.fake.uninstall(team)  # Slack revokes the tokens, then tells the app
    body = {"token": "legacy", "team_id": team, "api_app_id": "A0001", "type": "event_callback", "event_id": p.nid("Ev"),
            "event": {"type": "app_uninstalled", "event_ts": p.next_ts()}, "event_time": int(time.time()),
            "authorizations": []}
    send(world, team, "events_api", body)


def posts_to(fake, team: str, method: str = "chat.postMessage", **match) -> list:
    return [c for c in fake.calls_to(method, **match) if c.team == team]


def scheduled(world) -> ScheduleService:
    for team in ("TA", "TB"):
        command(world, team, ADMIN, "schedule 09:30 Europe/Berlin mon-fri")
    world.fake.wait_for(lambda: len(world.fake.calls_to("chat.postEphemeral", user=ADMIN)) == 2, what="both schedules set")
    return ScheduleService(world.core, {"slack": world.running.outbox})


def thread_of(world, team: str) -> str:
    """The ts of the workspace's open question, as Slack knows it (the core's thread id is `TEAM:ts`)."""
    thread = world.fake.wait_for(lambda: world.core.open_thread("slack", f"{team}:{SAME}"), what=f"{team}'s question")
    assert thread.startswith(f"{team}:")
    return thread.split(":", 1)[1]


def paused(world, team: str) -> dict:
    return world.core.store.row("SELECT paused, paused_reason FROM schedules WHERE channel_id = ?", (f"{team}:{SAME}",))


def test_two_workspaces_with_the_same_ids_never_see_each_others_data(two):
    world, fake, core = two, two.fake, two.core
    service = scheduled(world)
    service.run_due(DUE)
    thread_a, thread_b = thread_of(world, "TA"), thread_of(world, "TB")
    assert thread_a != thread_b
    say(world, "TA", "UANA", STRONG, thread_a)
    say(world, "TB", "UBO", WEAK, thread_b)
    fake.wait_for(lambda: posts_to(fake, "TA", thread_ts=thread_a) and posts_to(fake, "TB", thread_ts=thread_b),
                  what="feedback in both threads")

    # questions and feedback went to each workspace with its own token, never to the other
    assert [c.params["channel"] for c in posts_to(fake, "TA")] == [SAME, SAME]
    assert "Feedback for ana" in posts_to(fake, "TA", thread_ts=thread_a)[0].params["text"]
    assert "Feedback for bo" in posts_to(fake, "TB", thread_ts=thread_b)[0].params["text"]
    assert not posts_to(fake, "TA", thread_ts=thread_b) and not posts_to(fake, "TB", thread_ts=thread_a)
    assert core.store.rows("SELECT user_id, channel_id FROM answers ORDER BY channel_id") == [
        {"user_id": "TA:UANA", "channel_id": "TA:C0SAME"}, {"user_id": "TB:UBO", "channel_id": "TB:C0SAME"}]

    # stats: the same member id in the other workspace has answered nothing
    command(world, "TA", "UANA", "stats")
    command(world, "TB", "UANA", "stats")
    fake.wait_for(lambda: len(posts_to(fake, "TA", "chat.postEphemeral", user="UANA")) == 1
                  and len(posts_to(fake, "TB", "chat.postEphemeral", user="UANA")) == 1, what="both stats")
    assert "1 answer(s)" in posts_to(fake, "TA", "chat.postEphemeral", user="UANA")[0].params["text"]
    assert "No answers yet" in posts_to(fake, "TB", "chat.postEphemeral", user="UANA")[0].params["text"]

    # digest: each channel's week holds its own workspace's answers only
    week_end = date(2026, 3, 8)
    digest_a = build_digest(core, "slack", "TA:C0SAME", week_end, force=True)
    digest_b = build_digest(core, "slack", "TB:C0SAME", week_end, force=True)
    assert "1 member(s) answered" in digest_a.text and "1 member(s) answered" in digest_b.text
    assert "ana" in digest_a.sections[0].body and "bo" not in digest_a.sections[0].body
    assert "bo" in digest_b.sections[0].body and "ana" not in digest_b.sections[0].body


def test_uninstall_stops_that_workspace_only_and_reinstall_resumes(two):
    world, fake, core = two, two.fake, two.core
    service = scheduled(world)
    uninstalled(world, "TA")
    fake.wait_for(lambda: paused(world, "TA")["paused"] == 1, what="TA's schedule paused")
    mark = len(fake.calls)
    assert "removed Stardrill" in paused(world, "TA")["paused_reason"]
    assert paused(world, "TB") == {"paused": 0, "paused_reason": None}
    assert [r["workspace"] for r in core.store.rows("SELECT workspace FROM slack_installations")] == ["TB"]

    service.run_due(DUE)
    thread_of(world, "TB")  # the other workspace's day goes on
    world.running.outbox.deliver([Message(Target("slack", f"TA:{SAME}"), "a note queued for the removed workspace")])
    failed = fake.wait_for(lambda: core.store.row("SELECT status, error, attempts FROM outbox WHERE status = 'failed'"),
                           what="the queued note to fail")
    assert "removed Stardrill" in failed["error"] and failed["attempts"] == 1  # failed at once, never retried
    assert core.open_thread("slack", f"TA:{SAME}") is None
    assert not [c for c in fake.calls[mark:] if c.team == "TA"]  # nothing was even tried with its revoked token

    fake.add_team("TA", "alpha")
    install(world, "TA")  # installed again within the retention period: nothing lost, the schedule resumes
    fake.wait_for(lambda: paused(world, "TA")["paused"] == 0, what="TA's schedule resumed")
    assert core.store.row("SELECT COUNT(*) AS n FROM workspaces")["n"] == 0


def test_members_data_goes_after_retention_and_forget_me_stays_in_its_workspace(two):
    world, fake, core = two, two.fake, two.core
    service = scheduled(world)
    service.run_due(DUE)
    thread_a, thread_b = thread_of(world, "TA"), thread_of(world, "TB")
    say(world, "TA", "UANA", STRONG, thread_a)
    say(world, "TB", "UANA", STRONG, thread_b)
    say(world, "TB", "UBO", WEAK, thread_b)
    fake.wait_for(lambda: core.store.row("SELECT COUNT(*) AS n FROM feedback")["n"] == 3, what="three answers")

    # forget-me from TB's UANA: the same id in TA keeps its answer
    send(world, "TB", "interactive", p.block_action(FORGET_CONFIRM, "TB:UANA", "UANA", SAME, "1.0"))
    fake.wait_for(lambda: not core.store.rows("SELECT id FROM answers WHERE user_id = 'TB:UANA'"), what="forget-me")
    assert {r["user_id"] for r in core.store.rows("SELECT user_id FROM answers")} == {"TA:UANA", "TB:UBO"}

    uninstalled(world, "TA")
    fake.wait_for(lambda: paused(world, "TA")["paused"] == 1, what="TA's schedule paused")
    purger = lifecycle.Purger(core, 30)
    core.clock.advance(days=29)
    assert purger.run_once() == [] and core.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 2
    core.clock.advance(days=2)
    assert purger.run_once() == ["TA"]
    for table, column in (("answers", "user_id"), ("users", "user_id"), ("channels", "channel_id"),
                          ("schedules", "channel_id"), ("posts", "channel_id")):
        left = {r[column].split(":")[0] for r in core.store.rows(f"SELECT {column} FROM {table} WHERE platform = 'slack'")}
        assert left == {"TB"}, table
    assert core.store.row("SELECT COUNT(*) AS n FROM feedback")["n"] == 1


def test_a_token_past_its_expiry_is_refreshed_before_a_send(fake, app, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    fake.add_team("TA", "alpha")
    world = start_installable(fake, app, monkeypatch)
    try:
        install(world, "TA")
        first = fake.live_token("TA")
        fake.expire(first)  # Slack refuses it from now on
        app.store.execute("UPDATE slack_installations SET bot_token_expires_at = ?", (int(time.time()) - 1,))
        world.running.workspaces.forget("TA")  # as after the cache's minute
        world.running.outbox.deliver([Message(Target("slack", f"TA:{SAME}"), "hello after a night")])
        sent = fake.wait_calls("chat.postMessage", channel=SAME)[0]
        assert sent.token != first and sent.token == fake.live_token("TA")
        row = app.store.row("SELECT bot_token, bot_token_expires_at FROM slack_installations WHERE workspace = 'TA'")
        assert row["bot_token"] == sent.token and row["bot_token_expires_at"] > time.time() + 3600
        assert not [c for c in fake.calls if c.token == first and c.method == "chat.postMessage"]
    finally:
        world.running.stop()
    refresh_tokens = [g.refresh_token for g in fake.grants.values() if g.refresh_token]
    assert "oauth.v2.access" in caplog.text  # the SDK's debug lines were captured...
    assert [t for t in [first, sent.token, *refresh_tokens] if t in caplog.text] == []  # ...without a token


def test_revoking_the_bot_token_stops_the_workspace_and_a_user_token_does_not(two):
    world, fake = two, two.fake
    scheduled(world)

    def revoked(team: str, tokens: dict) -> None:
        body = {"token": "legacy", "team_id": team, "api_app_id": "A0001", "type": "event_callback",
                "event_id": p.nid("Ev"), "event": {"type": "tokens_revoked", "tokens": tokens, "event_ts": p.next_ts()},
                "event_time": int(time.time()), "authorizations": []}
        send(world, team, "events_api", body)

    revoked("TB", {"oauth": ["UANA"]})  # a member's own token: Stardrill holds none, nothing changes
    revoked("TA", {"bot": ["UBOT"]})
    fake.wait_for(lambda: paused(world, "TA")["paused"] == 1, what="TA's schedule paused")
    assert paused(world, "TB")["paused"] == 0
    assert [r["workspace"] for r in world.core.store.rows("SELECT workspace FROM slack_installations")] == ["TB"]


def test_an_org_wide_install_keys_every_workspace_of_the_org_by_the_org(fake, app, monkeypatch):
    fake.add_team("T0GRID", "grid", enterprise_id="E0ORG", org_wide=True)
    world = start_installable(fake, app, monkeypatch)
    try:
        install(world, "E0ORG")
        body = in_team(p.command("/stardrill", "schedule 09:30 Europe/Berlin mon-fri", ADMIN, SAME), "T0GRID",
                       enterprise_id="E0ORG", org_wide=True)
        assert world.send("slash_commands", body) == 200
        fake.wait_for(lambda: app.store.row("SELECT channel_id FROM schedules"), what="the schedule")
        assert app.store.row("SELECT channel_id FROM schedules")["channel_id"] == "E0ORG:C0SAME"
        assert app.store.row("SELECT workspace, is_enterprise_install FROM slack_installations") == {
            "workspace": "E0ORG", "is_enterprise_install": 1}
    finally:
        world.running.stop()


def test_an_install_with_a_forged_state_or_no_cookie_stores_nothing(fake, app, monkeypatch):
    from tests.fakes.slack_oauth import get

    fake.add_team("TA", "alpha")
    world = start_installable(fake, app, monkeypatch)
    try:
        base = f"http://127.0.0.1:{world.running.port}"
        status, headers, _ = get(f"{base}/slack/install?team=TA")
        consent = get(headers["Location"])[1]["Location"]
        assert get(consent)[0] == 400  # no state cookie: not the browser that started the install
        forged = consent.replace("state=", "state=forged")
        assert get(forged, f"slack-app-oauth-state={forged.split('state=')[1]}")[0] == 401
        assert app.store.row("SELECT COUNT(*) AS n FROM slack_installations")["n"] == 0
    finally:
        world.running.stop()


def test_a_command_on_an_expired_token_is_acked_at_once_and_answered_with_a_fresh_one(fake, app, monkeypatch):
    fake.add_team("TA", "alpha")
    world = start_installable(fake, app, monkeypatch)
    try:
        install(world, "TA")
        first = fake.live_token("TA")
        fake.expire(first)
        app.store.execute("UPDATE slack_installations SET bot_token_expires_at = ?", (int(time.time()) - 1,))
        world.running.workspaces.forget("TA")
        fake.delays["oauth.v2.access"] = 2.0  # a slow refresh must not hold the ack
        body, content_type = p.http_body("slash_commands", in_team(p.command("/stardrill", "help", "UANA", SAME), "TA"))
        started = time.monotonic()
        status, text = p.signed_post(world.events_url, body, content_type, SECRET)
        assert status == 200 and "reinstall" not in text and time.monotonic() - started < 1.0
        reply = fake.wait_calls("chat.postEphemeral", user="UANA")[0]
        assert reply.team == "TA" and reply.token != first and reply.token == fake.live_token("TA")
        assert len(fake.calls_to("oauth.v2.access", grant_type="refresh_token")) == 1
    finally:
        world.running.stop()
