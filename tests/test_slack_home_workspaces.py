"""The App Home of a workspace among many, over real Bolt and the fake Slack (installation mode): an admin sees
and changes only their own workspace's schedules, and a member's page reads only their workspace's rows."""

from __future__ import annotations

from stardrill.messages import SCHEDULE_PAUSE
from tests.chat import STRONG
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import ADMIN, fake, loads  # noqa: F401 (fixture)
from tests.test_slack_home import home_buttons, home_text
from tests.test_slack_workspaces import DUE, SAME, command, paused, say, scheduled, send, thread_of, two  # noqa: F401


def published(world, team: str, user: str, *needles: str) -> dict:
    """The latest Home tab published to `user` of workspace `team` once it holds every needle."""
    def ready():
        views = [c.params["view"] for c in world.fake.calls_to("views.publish", user_id=user) if c.team == team]
        view = loads(views[-1]) if views else None
        return view if view and all(n in home_text(view) for n in needles) else None
    return world.fake.wait_for(ready, what=f"{team}'s {user} home with {needles}")


def open_home(world, team: str, user: str) -> None:
    send(world, team, "events_api", p.home_opened(user))


def press(world, team: str, user: str, action: str, value: str) -> None:
    send(world, team, "interactive", p.home_action(action, value, user, published(world, team, user)))


def test_an_admin_sees_and_pauses_only_their_own_workspace_schedules(two):
    world = two
    scheduled(world)  # both workspaces schedule their channel C0SAME
    command(world, "TB", ADMIN, "schedule 10:00 UTC mon-fri", channel="C0BETA")  # and TB one more
    world.fake.wait_for(lambda: world.core.store.row("SELECT 1 AS n FROM schedules WHERE channel_id = 'TB:C0BETA'"),
                        what="TB's second schedule")

    open_home(world, "TA", ADMIN)
    view = published(world, "TA", ADMIN, "Channel schedules (admins)")
    text = home_text(view)
    assert "1 channel(s)" in text and f"<#{SAME}>" in text and "C0BETA" not in text and "TB" not in text
    assert "TA:" not in text and "slack:" not in text  # the channel as a link, never the core's key
    assert home_buttons(view)[SCHEDULE_PAUSE] == f"TA:{SAME}"

    press(world, "TA", ADMIN, SCHEDULE_PAUSE, f"TB:{SAME}")  # a forged value: the other workspace's channel
    published(world, "TA", ADMIN, "not in your workspace")
    assert paused(world, "TB") == {"paused": 0, "paused_reason": None}
    assert paused(world, "TA")["paused"] == 0  # and nothing of its own changed either

    press(world, "TA", ADMIN, SCHEDULE_PAUSE, f"TA:{SAME}")
    published(world, "TA", ADMIN, "Schedule paused.")
    assert paused(world, "TA")["paused"] == 1 and paused(world, "TB")["paused"] == 0


def test_a_member_home_reads_only_their_workspace(two):
    world = two
    service = scheduled(world)
    service.run_due(DUE)
    say(world, "TA", "UANA", STRONG, thread_of(world, "TA"))  # UANA of TA answers; UANA of TB never does
    world.fake.wait_for(lambda: world.core.store.row("SELECT COUNT(*) AS n FROM feedback")["n"] == 1, what="the answer")

    open_home(world, "TA", "UANA")
    open_home(world, "TB", "UANA")
    mine = home_text(published(world, "TA", "UANA", "1 answer(s) so far", "1 day(s) in a row"))
    theirs = home_text(published(world, "TB", "UANA", "No answers yet"))
    assert f"<#{SAME}>" in mine and "Next daily question" in mine
    assert "day(s) in a row" not in theirs and f"<#{SAME}>" not in theirs  # no streak, no channel of TA's
    assert "Answer a daily question in a channel" in theirs
