"""Timezone names a schedule takes: IANA places only, on the command line and in chat; rows stored before keep working."""

from __future__ import annotations

import logging
import sqlite3

import pytest

from stardrill.schedules.service import ScheduleService
from tests.chat import Member, messages
from tests.schedule_kit import Recorder, add, at
from tests.test_console_e2e import stardrill

# Zone files ZoneInfo would load (or paths to them) that name no place.
NO_PLACES = ["localtime", "Factory", "factory", "posixrules", "posix/Europe/Berlin", "right/UTC", "Europe/../UTC",
             "../UTC", "/usr/share/zoneinfo/UTC"]


def refusal(name: str) -> str:
    return f"unknown timezone {name!r}: use an IANA name such as Europe/Berlin or UTC"


def schedule_rows(db) -> list[tuple]:
    return sqlite3.connect(db).execute("SELECT * FROM schedules ORDER BY platform, channel_id").fetchall()


@pytest.mark.parametrize("name", NO_PLACES)
def test_cli_add_refuses_a_zone_that_names_no_place(tmp_path, name):
    db = tmp_path / "s.db"
    run = stardrill("schedule", "add", "console:team", "--time", "09:00", "--tz", name, db=db)
    assert run.returncode == 2
    assert run.stderr.decode().strip().splitlines() == [f"error: {refusal(name)}"]
    assert not db.exists() or schedule_rows(db) == []


def test_cli_refusal_keeps_the_stored_schedule_and_real_names_still_work(tmp_path):
    db = tmp_path / "s.db"
    assert stardrill("schedule", "add", "console:team", "--time", "09:00", "--tz", "Europe/Berlin", db=db).returncode == 0
    before = schedule_rows(db)
    for name in ("localtime", "Factory", "posixrules"):
        run = stardrill("schedule", "add", "console:team", "--time", "10:00", "--tz", name, db=db)
        assert run.returncode == 2 and run.stderr.decode().strip() == f"error: {refusal(name)}"
    empty = stardrill("schedule", "add", "console:team", "--time", "10:00", "--tz", "", db=db)
    assert empty.returncode == 2 and len(empty.stderr.decode().strip().splitlines()) == 1  # the flag parser may answer first
    assert schedule_rows(db) == before
    # legacy links tzdata lists (and case-insensitive names) are places, so they stay accepted
    for typed, stored in (("US/Eastern", "US/Eastern"), ("EST5EDT", "EST5EDT"), ("etc/gmt+5", "Etc/GMT+5"), ("utc", "UTC")):
        run = stardrill("schedule", "add", "console:other", "--time", "09:00", "--tz", typed, db=db)
        assert run.returncode == 0, run.stderr.decode()
        assert f"console:other: 09:00 {stored} mon-fri" in run.stdout.decode()


def test_cli_next_refuses_localtime_and_prints_no_times(tmp_path):
    run = stardrill("schedule", "next", "--time", "09:00", "--tz", "localtime", db=tmp_path / "s.db")
    assert run.returncode == 2 and run.stdout.decode() == ""
    assert run.stderr.decode().strip().splitlines() == [f"error: {refusal('localtime')}"]


@pytest.mark.parametrize("words", ["09:00 Factory", "09:00 localtime mon-fri", "09:00 posixrules", "09:00 right/UTC daily"])
def test_chat_refuses_a_zone_that_names_no_place_and_changes_nothing(app, words):
    lead = Member(app, "lead")
    lead.command("stardrill", "schedule 08:00 Europe/Berlin")
    before = app.store.rows("SELECT * FROM schedules")
    error = messages(lead.command("stardrill", f"schedule {words}"), "error")[0]
    assert error.text.startswith(refusal(words.split()[1]) + ". Usage: /stardrill schedule HH:MM")
    assert error.target.private_to == "lead"
    assert app.store.rows("SELECT * FROM schedules") == before


def test_the_console_terminal_refuses_factory(tmp_path):
    db = tmp_path / "c.db"
    run = stardrill("run", stdin="/stardrill schedule 09:00 Factory\n/quit\n", db=db)
    assert run.returncode == 0, run.stderr.decode()
    assert refusal("Factory") + ". Usage:" in run.stdout.decode()
    assert schedule_rows(db) == []


def test_a_stored_factory_schedule_keeps_posting_and_asks_for_a_place(app, clock):
    """A row saved before the check is not broken by it: it posts as before, and its view says what to fix."""
    add(app, "team", "09:00", "UTC")
    app.store.execute("UPDATE schedules SET tz = ? WHERE channel_id = ?", ("Factory", "team"))
    shown = messages(Member(app, "lead").command("stardrill", "schedule"))[0].text
    assert "09:00 Factory mon-fri" in shown
    assert "'Factory' names no place: set an IANA timezone such as Europe/Berlin or UTC" in shown
    clock.set(at("2026-03-02 09:01", "UTC"))
    recorder = Recorder(app)
    assert ScheduleService(app, {"console": recorder}).run_due(clock.now()).claimed == ["console:team@2026-03-02"]
    assert app.store.row("SELECT tz FROM schedules WHERE channel_id = ?", ("team",)) == {"tz": "Factory"}


def test_the_scheduler_skips_a_stored_zone_it_cannot_load_and_posts_the_others(app, clock, caplog):
    add(app, "team", "09:00", "UTC")
    add(app, "other", "09:00", "UTC")
    app.store.execute("UPDATE schedules SET tz = ? WHERE channel_id = ?", ("Nowhere/Gone", "team"))
    clock.set(at("2026-03-02 09:01", "UTC"))
    recorder = Recorder(app)
    with caplog.at_level(logging.ERROR, logger="stardrill.schedules.repo"):
        report = ScheduleService(app, {"console": recorder}).run_due(clock.now())
        ScheduleService(app, {"console": recorder}).run_due(clock.now())  # a second tick logs nothing new
    assert report.claimed == ["console:other@2026-03-02"]
    assert [m.target.channel for m in recorder.sent] == ["other"]
    skipped = [r.getMessage() for r in caplog.records if "console:team" in r.getMessage()]
    assert len(skipped) == 1 and "schedule console:team is skipped: unknown timezone 'Nowhere/Gone'" in skipped[0]
    assert app.store.row("SELECT tz FROM schedules WHERE channel_id = ?", ("team",)) == {"tz": "Nowhere/Gone"}


def test_the_cli_lists_around_an_unreadable_row_and_can_remove_it(tmp_path):
    db = tmp_path / "s.db"
    for channel in ("console:team", "console:other"):
        assert stardrill("schedule", "add", channel, "--time", "09:00", "--tz", "UTC", db=db).returncode == 0
    with sqlite3.connect(db) as con:
        con.execute("UPDATE schedules SET tz = 'Nowhere/Gone' WHERE channel_id = 'team'")
    listed = stardrill("schedule", "list", db=db)
    assert listed.returncode == 0, listed.stderr.decode()
    assert "console:other: 09:00 UTC" in listed.stdout.decode() and "1 schedule(s)" in listed.stdout.decode()
    assert "schedule console:team is skipped: unknown timezone 'Nowhere/Gone'" in listed.stderr.decode()
    removed = stardrill("schedule", "remove", "console:team", db=db)
    assert removed.returncode == 0 and "removed the schedule of console:team" in removed.stdout.decode()
    assert [row[1] for row in schedule_rows(db)] == ["other"]


def test_a_stored_zone_that_no_longer_loads_breaks_no_reply_and_no_progress(app):
    """A row the scheduler skips (above) still lets the channel's members answer and see their progress, in UTC."""
    from tests.chat import STRONG
    from tests.test_daily_flow import open_question

    lead, ana = Member(app, "lead"), Member(app, "ana")
    add(app, "team", "09:00", "UTC")
    _, thread = open_question(app, lead)
    app.store.execute("UPDATE schedules SET tz = ? WHERE channel_id = ?", ("Nowhere/Gone", "team"))
    feedback = messages(ana.say(STRONG, thread=thread), "feedback")
    assert len(feedback) == 1 and feedback[0].target.thread == thread
    assert app.store.row("SELECT COUNT(*) AS n FROM feedback")["n"] == 1
    stats = messages(ana.command("stardrill", "stats"))[0].text
    assert "1" in stats and "error" not in stats.lower()
