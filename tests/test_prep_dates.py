"""`/stardrill prep DATE`: an interview date from today up to a year ahead; further is refused and changes nothing."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from tests.chat import Member, messages
from tests.test_console_e2e import stardrill


def far(on: str, today: str, latest: str) -> str:
    return (f"{on} is more than a year away (today is {today}); give the date of your interview "
            f"within the next 12 months ({latest} at the latest).")


def prep_of(app, user: str = "ana") -> dict | None:
    return app.store.row("SELECT prep_date, prep_level FROM users WHERE platform = 'console' AND user_id = ?", (user,))


def test_a_date_centuries_away_is_refused_and_stores_nothing(app):
    ana = Member(app, "ana")  # the clock: Monday 2026-03-02
    error = messages(ana.command("stardrill", "prep 9999-12-31"), "error")[0]
    assert error.text == far("9999-12-31", "2026-03-02", "2027-03-02") and error.target.private_to == "ana"
    assert prep_of(app) in (None, {"prep_date": None, "prep_level": None})


def test_a_refused_date_keeps_the_plan_already_set(app):
    ana = Member(app, "ana")
    assert "Your interview is in 44 day(s) (2026-04-15)" in ana.command("stardrill", "prep 2026-04-15 em")[0].text
    error = messages(ana.command("stardrill", "prep 2062-04-15 senior"), "error")[0]
    assert error.text == far("2062-04-15", "2026-03-02", "2027-03-02")
    assert prep_of(app) == {"prep_date": "2026-04-15", "prep_level": "em"}
    stats = messages(ana.command("stardrill", "stats"))[0]
    assert any("Your interview is in 44 day(s) (2026-04-15)" in s.body for s in stats.sections if s.title == "Interview prep")


def test_the_bound_is_the_same_day_next_year_and_today_and_the_past_are_as_before(app):
    ana = Member(app, "ana")
    assert messages(ana.command("stardrill", "prep 2027-03-03"), "error")[0].text == far("2027-03-03", "2026-03-02", "2027-03-02")
    assert "Your interview is in 365 day(s) (2027-03-02)" in ana.command("stardrill", "prep 2027-03-02")[0].text
    assert "Your interview is today (2026-03-02)" in ana.command("stardrill", "prep 2026-03-02")[0].text
    past = messages(ana.command("stardrill", "prep 2026-03-01"), "error")[0].text
    assert past == "2026-03-01 is in the past (today is 2026-03-02); give the date of your interview."
    assert prep_of(app)["prep_date"] == "2026-03-02"


def test_from_a_leap_day_the_bound_is_28_february(app, clock):
    clock.set(datetime(2028, 2, 29, 9, tzinfo=timezone.utc))
    ana = Member(app, "ana")
    assert messages(ana.command("stardrill", "prep 2029-03-01"), "error")[0].text == far("2029-03-01", "2028-02-29", "2029-02-28")
    assert "Your interview is in 365 day(s) (2029-02-28)" in ana.command("stardrill", "prep 2029-02-28")[0].text


def test_the_console_terminal_refuses_a_far_date(tmp_path):
    db = tmp_path / "c.db"
    run = stardrill("run", stdin="/stardrill prep 9999-12-31\n/quit\n", db=db)
    assert run.returncode == 0, run.stderr.decode()
    assert "9999-12-31 is more than a year away (today is " in run.stdout.decode()
    assert "give the date of your interview within the next 12 months (" in run.stdout.decode()
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM users WHERE prep_date IS NOT NULL").fetchone() == (0,)
