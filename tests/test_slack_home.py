"""The App Home tab over real Bolt and the fake Slack: published on open and after each answer, settings edited
from it, Practice now, and the admins' schedules with Pause and Resume."""

from __future__ import annotations

from stardrill.messages import PRACTICE_NOW, SCHEDULE_PAUSE, SCHEDULE_RESUME, SETTINGS
from tests.chat import STRONG
from tests.fakes import slack_payloads as p
from tests.fakes.slack_harness import ADMIN, CHANNEL, core_id, fake, http_world, world  # noqa: F401 (fixtures)


def home_text(view: dict) -> str:
    return "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] in {"section", "header"})


def home_buttons(view: dict) -> dict[str, str]:
    return {e["action_id"]: e["value"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]}


def wait_home(world, user: str, *needles: str) -> dict:
    """The user's Home tab once its latest version holds every needle."""
    def ready():
        view = world.fake.home_of(user)
        return view if view and all(n in home_text(view) for n in needles) else None
    return world.fake.wait_for(ready, what=f"{user}'s home with {needles}")


def open_home(world, user: str, tab: str = "home") -> int:
    before = len(world.fake.homes.get(user, []))
    assert world.send("events_api", p.home_opened(user, tab)) == 200
    return before


def press_home(world, user: str, action: str, value: str = "") -> None:
    assert world.send("interactive", p.home_action(action, value, user, world.fake.home_of(user))) == 200


def schedule(world, args: str) -> None:
    """An admin schedules the channel; returns once the schedule is stored (its private confirmation is out)."""
    world.command(ADMIN, f"schedule {args}")
    world.fake.wait_for(lambda: [c for c in world.fake.calls_to("chat.postEphemeral", user=ADMIN)
                                 if c.params["text"].startswith("Scheduled")], what="the schedule's confirmation")


def answer_daily(world, user: str) -> str:
    thread = world.post_question()
    world.say(user, STRONG, thread=thread)
    world.thread_posts(thread)
    return thread


def test_opened_home_shows_streak_trend_next_question_and_settings(world):
    schedule(world, "09:00 UTC mon-fri")
    answer_daily(world, "UANA")
    open_home(world, "UANA")
    view = wait_home(world, "UANA", "1 day(s) in a row")
    text = home_text(view)
    assert view["type"] == "home" and "1 answer(s) so far" in text
    assert "per criterion" in text and "Quantified impact" in text  # the trend, per tracked criterion
    assert f"<#{CHANNEL}>" in text and "Tue 2026-03-03 09:00" in text  # the next daily question in their channel
    assert "Level: Senior SDE (the default)" in text and "Privacy: off" in text and "Interview date: none" in text
    assert set(home_buttons(view)) == {PRACTICE_NOW, SETTINGS}  # a member sees no schedule buttons
    assert "Channel schedules" not in text


def test_a_schedule_whose_zone_no_longer_loads_leaves_the_home_working(world):
    """Such a row is skipped by the scheduler (tests/test_tz_names.py); the members' and admins' homes still open."""
    schedule(world, "09:00 UTC mon-fri")
    answer_daily(world, "UANA")
    world.core.store.execute("UPDATE schedules SET tz = 'Nowhere/Gone'")
    open_home(world, "UANA")
    text = home_text(wait_home(world, "UANA", "1 answer(s) so far"))
    assert "Tue 2026-03-03 09:00" not in text
    open_home(world, ADMIN)
    wait_home(world, ADMIN, "Channel schedules (admins)")


def test_the_messages_tab_publishes_nothing(http_world):
    open_home(http_world, "UBO", tab="messages")
    open_home(http_world, "UBO")
    wait_home(http_world, "UBO", "No answers yet")
    assert len(http_world.fake.homes["UBO"]) == 1


def test_home_is_republished_with_the_new_count_after_an_answer(world):
    open_home(world, "UANA")
    wait_home(world, "UANA", "No answers yet")
    answer_daily(world, "UANA")
    view = wait_home(world, "UANA", "1 answer(s) so far")
    assert "1 day(s) in a row" in home_text(view)
    world.command("UANA", "", name="/practice")
    world.fake.wait_calls("chat.postMessage", channel="DUANA")
    world.say("UANA", STRONG, channel="DUANA", channel_type="im")
    wait_home(world, "UANA", "2 answer(s) so far")


def test_settings_are_edited_from_the_home(http_world):
    world = http_world
    open_home(world, "UANA")
    wait_home(world, "UANA", "Level: Senior")
    press_home(world, "UANA", SETTINGS)
    form = world.fake.wait_calls("views.open")[0].params["view"]
    level = next(b for b in form["blocks"] if b["block_id"] == "level")
    assert level["element"]["initial_option"]["value"] == "senior"  # opens on the current values
    world.submit("UANA", form, {"level": "staff", "privacy": "on", "prep_date": "2026-04-15"})
    text = home_text(wait_home(world, "UANA", "Settings saved."))
    assert "Level: Staff engineer" in text and "Privacy: on" in text and "Interview date: 2026-04-15" in text
    row = world.core.store.row("SELECT level, digest_opt_out, prep_date FROM users WHERE name = 'ana'")
    assert row == {"level": "staff", "digest_opt_out": 1, "prep_date": "2026-04-15"}
    world.submit("UANA", form, {"level": "sde1", "privacy": "off", "prep_date": "15/04/2026"})
    wait_home(world, "UANA", "Settings not saved", "is not a date")
    assert world.core.store.row("SELECT level FROM users WHERE name = 'ana'")["level"] == "staff"
    world.submit("UANA", form, {"level": "sde1", "privacy": "off", "prep_date": "9999-12-31"})
    wait_home(world, "UANA", "Settings not saved", "9999-12-31 is more than a year away")
    row = world.core.store.row("SELECT level, prep_date FROM users WHERE name = 'ana'")
    assert row == {"level": "staff", "prep_date": "2026-04-15"}


def test_practice_now_starts_the_private_practice(http_world):
    open_home(http_world, "UANA")
    wait_home(http_world, "UANA", "Practice")
    press_home(http_world, "UANA", PRACTICE_NOW)
    first = http_world.fake.wait_calls("chat.postMessage", channel="DUANA")[0]
    assert first.params["text"].startswith("Practice question")
    assert http_world.core.store.row("SELECT state FROM sessions")["state"] == "awaiting_answer"


def test_admin_sees_schedules_and_pauses_and_resumes_one(world):
    schedule(world, "09:00 Europe/Berlin mon-fri")
    open_home(world, ADMIN)
    view = wait_home(world, ADMIN, "Channel schedules (admins)", "1 channel(s)")
    line = next(b["text"]["text"] for b in view["blocks"] if "09:00 Europe/Berlin" in b.get("text", {}).get("text", ""))
    assert line.startswith(f"<#{CHANNEL}>\n09:00 Europe/Berlin mon-fri")  # the channel as Slack links it
    assert "slack:" not in home_text(view) and core_id(CHANNEL) not in home_text(view)  # never the core's key
    channel = home_buttons(view)[SCHEDULE_PAUSE]  # the core's id for the channel, handed back as Slack would
    press_home(world, ADMIN, SCHEDULE_PAUSE, channel)
    view = wait_home(world, ADMIN, "Schedule paused.")
    row = world.core.store.row("SELECT channel_id, paused, paused_reason FROM schedules")
    assert row == {"channel_id": channel, "paused": 1, "paused_reason": "paused by lead"}
    assert home_buttons(view)[SCHEDULE_RESUME] == channel and SCHEDULE_PAUSE not in home_buttons(view)
    press_home(world, ADMIN, SCHEDULE_RESUME, channel)
    wait_home(world, ADMIN, "Schedule resumed.")
    assert world.core.store.row("SELECT paused FROM schedules")["paused"] == 0


def test_a_member_cannot_pause_a_schedule_from_the_home(http_world):
    schedule(http_world, "09:00 UTC mon-fri")
    open_home(http_world, "UANA")
    wait_home(http_world, "UANA", "Practice")
    channel = http_world.core.store.row("SELECT channel_id FROM schedules")["channel_id"]
    press_home(http_world, "UANA", SCHEDULE_PAUSE, channel)  # a forged press: members are never shown the button
    view = wait_home(http_world, "UANA", "Only admins")
    assert "Channel schedules" not in home_text(view)
    assert http_world.core.store.row("SELECT paused FROM schedules")["paused"] == 0


def test_answers_publish_nothing_for_a_member_who_never_opened_the_home(http_world):
    answer_daily(http_world, "UBO")
    open_home(http_world, "UBO")
    wait_home(http_world, "UBO", "1 answer(s) so far")
    assert len(http_world.fake.homes["UBO"]) == 1  # the open's; the answer before it built none
