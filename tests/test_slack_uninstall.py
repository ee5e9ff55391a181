"""After a workspace removes the app: what is still queued for it fails quietly (one warning line a row), and a
second process that did not hear the uninstall stops sending to it within seconds, not at its cache's minute.

Real slack-bolt and slack_sdk against the fake Slack (installation mode); two processes are two runtimes with
their own stores on one database.
"""

from __future__ import annotations

import logging
import time

from stardrill.app import Stardrill
from stardrill.messages import Message, Target
from stardrill.store import outbox
from tests.fakes.slack_harness import fake  # noqa: F401 (fixture)
from tests.fakes.slack_oauth import install, start_installable
from tests.stores import reopen
from tests.test_slack_workspaces import SAME, paused, scheduled, two, uninstalled  # noqa: F401 (fixture)

STALE_AFTER = 1.5  # seconds: how long another process may still believe an uninstalled workspace is there


def note(team: str, text: str) -> Message:
    return Message(Target("slack", f"{team}:{SAME}"), text)


def failed_rows(store) -> list[dict]:
    return store.rows("SELECT id, error, attempts FROM outbox WHERE status = 'failed' ORDER BY id")


def test_rows_for_a_removed_workspace_fail_with_one_warning_line_each(two, caplog):
    world, fake, core = two, two.fake, two.core
    scheduled(world)
    uninstalled(world, "TA")
    fake.wait_for(lambda: paused(world, "TA")["paused"] == 1, what="TA's schedule paused")
    reason = paused(world, "TA")["paused_reason"]
    caplog.clear()
    caplog.set_level(logging.INFO)

    world.running.outbox.deliver([note("TA", "a note queued for the removed workspace")])
    outbox.enqueue(core.store, "slack", [note("TA", "a reply to a member")], core.stamp(), author="TA:UANA")
    world.running.outbox.wake()
    rows = fake.wait_for(lambda: len(failed_rows(core.store)) == 2 and failed_rows(core.store), what="both rows failed")

    assert all("removed Stardrill" in r["error"] and r["attempts"] == 1 for r in rows)  # at once, never retried
    lines = [r for r in caplog.records if r.name.startswith("stardrill")]
    assert [r.levelname for r in lines] == ["WARNING", "WARNING"], [r.getMessage() for r in lines]
    for row, line in zip(rows, sorted(lines, key=lambda r: r.getMessage())):
        assert f"row {row['id']}" in line.getMessage() and "removed Stardrill" in line.getMessage()
        assert line.exc_info is None  # no traceback: an uninstall is not a fault
    assert core.store.row("SELECT COUNT(*) AS n FROM outbox")["n"] == len(core.store.rows(
        "SELECT id FROM outbox WHERE status = 'sent'")) + 2  # no "could not be posted" note queued for the member
    assert paused(world, "TA")["paused_reason"] == reason  # the uninstall's reason stays (a reinstall resumes by it)


def test_an_uninstall_heard_by_one_process_stops_the_others_sends_within_seconds(fake, app, bank, clock, monkeypatch):
    fake.add_team("TA", "alpha")
    fake.add_team("TB", "beta")
    sender = start_installable(fake, app, monkeypatch)  # this process sends; it never hears the uninstall
    other = Stardrill(bank, reopen(app.store), clock, default_level="senior", seed=7)
    hearing = None
    try:
        for team in ("TA", "TB"):
            install(sender, team)
        sender.running.outbox.deliver([note("TA", "before")])
        fake.wait_for(lambda: [c for c in fake.calls_to("chat.postMessage") if c.team == "TA"], what="TA's first post")

        hearing = start_installable(fake, other, monkeypatch)  # the process Slack's events reach
        hearing.running.outbox.relay.sender.stop()  # it sends nothing: every send below is the first process's
        uninstalled(hearing, "TA")
        fake.wait_for(lambda: app.store.row("SELECT 1 AS n FROM workspaces WHERE workspace = 'TA'"), what="the uninstall")
        mark = len(fake.calls)
        time.sleep(STALE_AFTER)

        sender.running.outbox.deliver([note("TA", "after the uninstall"), note("TB", "to the other workspace")])
        fake.wait_for(lambda: failed_rows(app.store), what="TA's row to fail")
        fake.wait_for(lambda: [c for c in fake.calls[mark:] if c.team == "TB"], what="TB's post")
        assert "removed Stardrill" in failed_rows(app.store)[0]["error"]
        assert not [c for c in fake.calls[mark:] if c.team == "TA"]  # not even tried with the revoked token

        install(hearing, "TA")  # installed again, through the other process: this one sends to it again
        time.sleep(STALE_AFTER)
        sender.running.outbox.deliver([note("TA", "back again")])
        back = fake.wait_for(lambda: [c for c in fake.calls_to("chat.postMessage") if c.params["text"] == "back again"],
                             what="the post after the reinstall")
        assert back[0].team == "TA" and back[0].token == fake.live_token("TA")
    finally:
        sender.running.stop()
        if hearing is not None:
            hearing.running.stop()
        other.store.close()
