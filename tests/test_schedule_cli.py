"""The operator contracts: `stardrill schedule ...` and `/stardrill schedule|pause|resume|skip`, bad input, the console."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from stardrill.schedules import repo
from stardrill.store import Store
from tests.chat import Member, messages
from tests.test_console_e2e import stardrill


def test_next_prints_local_and_utc_one_per_line_across_dst(tmp_path):
    run = stardrill("schedule", "next", "--time", "02:30", "--tz", "America/New_York", "--days", "daily",
                    "--from", "2026-03-07", "--count", "3", db=tmp_path / "s.db")
    assert run.returncode == 0, run.stderr.decode()
    assert run.stdout.decode().splitlines() == [
        "Sat 2026-03-07 02:30 EST (UTC-05:00) = 2026-03-07 07:30 UTC",
        "Sun 2026-03-08 03:00 EDT (UTC-04:00) = 2026-03-08 07:00 UTC",
        "Mon 2026-03-09 02:30 EDT (UTC-04:00) = 2026-03-09 06:30 UTC",
    ]


def test_add_list_pause_skip_resume_remove(tmp_path):
    db = tmp_path / "s.db"
    add = stardrill("schedule", "add", "console:team", "--time", "09:00", "--tz", "Europe/Berlin", "--days", "mon,wed,fri",
                    "--skip-dates", "2099-12-25", "--wrapup", "16:30", db=db)
    assert add.returncode == 0, add.stderr.decode()
    assert "console:team: 09:00 Europe/Berlin mon,wed,fri; wrap-up 16:30; skips 2099-12-25" in add.stdout.decode()
    assert stardrill("schedule", "skip", "console:team", db=db).returncode == 0
    paused = stardrill("schedule", "pause", "console:team", db=db).stdout.decode()
    assert "PAUSED" in paused and "next: none while paused" in paused
    listed = stardrill("schedule", "list", db=db).stdout.decode()
    assert "skipping" in listed and listed.rstrip().endswith("1 schedule(s)")
    resumed = stardrill("schedule", "resume", "console:team", db=db).stdout.decode()
    assert "PAUSED" not in resumed and resumed.count("next:") == 3
    assert stardrill("schedule", "remove", "console:team", db=db).returncode == 0
    gone = stardrill("schedule", "remove", "console:team", db=db)
    assert gone.returncode == 2 and "no schedule for console:team" in gone.stderr.decode()


@pytest.mark.parametrize("args, message", [
    (["irc:x", "--time", "09:00", "--tz", "UTC"], "no adapter for platform 'irc'"),
    (["slack:C1", "--time", "09:00", "--tz", "UTC"], "slack is not configured here"),
    (["console:team", "--time", "25:00", "--tz", "UTC"], "invalid time '25:00'"),
    (["console:team", "--time", "09:00", "--tz", "Nowhere/Town"], "unknown timezone 'Nowhere/Town'"),
    (["console:team", "--time", "09:00", "--tz", "UTC", "--days", ","], "empty weekday set"),
    (["console:team", "--time", "09:00", "--tz", "UTC", "--skip-dates", "2001-01-01"], "skip date 2001-01-01 is in the past"),
])
def test_bad_input_is_one_line_and_stores_nothing(tmp_path, args, message):
    db = tmp_path / "s.db"
    env = {"SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": "", "DISCORD_TOKEN": ""}
    run = stardrill("schedule", "add", *args, db=db, env=env)
    lines = run.stderr.decode().strip().splitlines()
    assert run.returncode == 2 and len(lines) == 1 and message in lines[0], lines
    if db.exists():
        assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM schedules").fetchone()[0] == 0


def test_chat_schedule_show_pause_skip_resume(app, clock):
    lead = Member(app, "lead")
    shown = messages(lead.command("stardrill", "schedule"))[0]
    assert "No schedule in this channel yet" in shown.text and shown.target.private_to == "lead"
    made = messages(lead.command("stardrill", "schedule 09:30 America/New_York mon,wed,fri wrapup=15:00"))[0]
    assert "09:30 America/New_York mon,wed,fri; wrap-up 15:00" in made.text and made.text.count("next:") == 3
    assert "Wed 2026-03-04 09:30 EST (UTC-05:00) = 2026-03-04 14:30 UTC" in made.text  # clock: Mon 09:00 UTC
    assert "will be skipped" in messages(lead.command("stardrill", "skip"))[0].text
    lead.command("stardrill", "pause")
    schedule = repo.get(app.store, "console", "team")
    assert schedule.rule.paused and schedule.paused_reason == "paused by Lead" and schedule.skip_pending
    shown = messages(lead.command("stardrill", "schedule"))[0].text
    assert "PAUSED (paused by Lead)" in shown and "none while paused" in shown
    lead.command("stardrill", "resume")
    assert not repo.get(app.store, "console", "team").rule.paused


@pytest.mark.parametrize("args, message", [
    ("schedule 25:00 UTC", "invalid time '25:00'"),
    ("schedule 09:00 Mars/Base", "unknown timezone 'Mars/Base'"),
    ("schedule 09:00 UTC skip=2001-01-01", "in the past"),
    ("pause", "This channel has no schedule"),
    ("skip", "This channel has no schedule"),
])
def test_chat_bad_input_is_a_private_error_and_stores_nothing(app, args, message):
    error = messages(Member(app, "lead").command("stardrill", args))[0]
    assert error.kind == "error" and message in error.text and error.target.private_to == "lead"
    assert app.store.rows("SELECT * FROM schedules") == []


def test_only_admins_change_schedules(app):
    error = messages(Member(app, "ana", admin=False).command("stardrill", "schedule 09:00 UTC"))[0]
    assert error.kind == "error" and "Only admins" in error.text
    assert app.store.rows("SELECT * FROM schedules") == []


def _zone_past_its_midnight() -> tuple[str, str]:
    """A zone where local time is well past midnight now, and a post time a few minutes ago there."""
    for tz in ("UTC", "Pacific/Kiritimati", "America/Los_Angeles"):
        local = datetime.now(ZoneInfo(tz))
        if local.hour * 60 + local.minute >= 10:
            return tz, (local - timedelta(minutes=5)).strftime("%H:%M")
    raise AssertionError("unreachable: those zones are 10+ hours apart")


def test_the_console_posts_a_schedule_that_is_due_and_only_once(tmp_path):
    db = tmp_path / "c.db"
    tz, hhmm = _zone_past_its_midnight()
    store = Store(db)
    from stardrill.schedules import rules

    midnight = datetime.now(ZoneInfo(tz)).replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)
    repo.save(store, "console", "team", rules.make_rule(hhmm, tz, "daily", None, "off", midnight), midnight)
    store.close()
    first = stardrill("run", stdin="/quit\n", db=db)
    assert first.returncode == 0, first.stderr.decode()
    assert first.stdout.decode().count("#team ──\nQuestion\n") == 1
    second = stardrill("run", stdin="I fixed the build.\n.\n/quit\n", db=db)  # a restart: nothing new, thread still open
    assert "#team ──\nQuestion\n" not in second.stdout.decode()
    assert "Feedback for you" in second.stdout.decode()
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*), MIN(status) FROM posts").fetchone() == (1, "sent")
    assert re.fullmatch(r"m[0-9a-f]{10}", con.execute("SELECT message_id FROM posts").fetchone()[0])
