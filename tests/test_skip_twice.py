"""Skipping twice skips the next two posting days: a second skip never brings the first day back.

Both ways in share repo.skip_next: `stardrill schedule skip` (the real command, in a child process)
and `/stardrill skip` in chat; the scheduler then posts on neither day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from stardrill.schedules import repo, rules
from stardrill.schedules.service import ScheduleService
from stardrill.store import Store
from tests.chat import Member, messages
from tests.schedule_kit import Recorder, at
from tests.test_console_e2e import stardrill


def next_days(store, count: int, now: datetime) -> list[date]:
    schedule = repo.get(store, "console", "team")
    return [rules.local_day(when, schedule.rule.zone) for when in rules.next_fires(schedule.rule, now, count)]


def listed_days(output: str) -> list[str]:
    return re.findall(r"next: \w{3} (\d{4}-\d{2}-\d{2})", output)


def test_the_cli_skips_the_next_two_posting_days_when_run_twice(tmp_path):
    db = tmp_path / "s.db"
    post_time = (datetime.now(timezone.utc) + timedelta(hours=12)).strftime("%H:%M")  # far from the clock's day boundary
    add = stardrill("schedule", "add", "console:team", "--time", post_time, "--tz", "UTC", "--days", "daily", db=db)
    assert add.returncode == 0, add.stderr.decode()
    store = Store(db)
    try:
        first, second, third, fourth, fifth = next_days(store, 5, datetime.now(timezone.utc))
    finally:
        store.close()

    once = stardrill("schedule", "skip", "console:team", db=db)
    twice = stardrill("schedule", "skip", "console:team", db=db)
    assert (once.returncode, twice.returncode) == (0, 0), (once.stderr, twice.stderr)
    assert f"skipping {first}" in once.stdout.decode()
    assert f"skips {first}; skipping {second}" in twice.stdout.decode()  # the day this skip took, and the one before
    assert listed_days(twice.stdout.decode()) == [str(third), str(fourth), str(fifth)]
    listed = stardrill("schedule", "list", db=db).stdout.decode()
    assert listed_days(listed) == [str(third), str(fourth), str(fifth)]


def test_chat_skip_twice_names_each_day_and_the_scheduler_posts_on_neither(app, clock):
    lead = Member(app, "lead")
    lead.command("stardrill", "schedule 10:00 UTC mon-fri")  # clock: Mon 2026-03-02 09:00 UTC
    replies = [messages(lead.command("stardrill", "skip"))[0].text for _ in range(2)]
    assert replies == [
        "The next question, on Mon 2026-03-02, will be skipped.",
        "The question on Tue 2026-03-03 will be skipped too (already skipped: Mon 2026-03-02).",
    ]
    assert next_days(app.store, 2, clock.now()) == [date(2026, 3, 4), date(2026, 3, 5)]

    recorder = Recorder(app)
    scheduler = ScheduleService(app, {"console": recorder})
    posted = []
    for day in ("2026-03-02", "2026-03-03", "2026-03-04"):
        for hhmm in ("09:59", "10:00", "12:00"):
            clock.set(at(f"{day} {hhmm}", "UTC"))
            posted += [claim.split("@")[1] for claim in scheduler.run_due(clock.now()).claimed]
    assert posted == ["2026-03-04"]


def test_a_skip_that_lands_between_another_skips_read_and_write_takes_a_day_of_its_own(app, clock):
    """CLI and chat skipping at the same moment: each skip cancels its own day, none is lost."""
    Member(app, "lead").command("stardrill", "schedule 10:00 UTC mon-fri")
    store = app.store

    class Interleaved:
        """The store as the first skip sees it: right after its first read, the other skip runs to the end."""

        def __init__(self):
            self.reads = 0
            self.other_day = None

        def row(self, sql, params=()):
            found = store.row(sql, params)
            self.reads += 1
            if self.reads == 1:
                self.other_day = repo.skip_next(store, "console", "team", clock.now())
            return found

        def __getattr__(self, name):
            return getattr(store, name)

    interleaved = Interleaved()
    mine = repo.skip_next(interleaved, "console", "team", clock.now())
    assert {interleaved.other_day, mine} == {date(2026, 3, 2), date(2026, 3, 3)}
    assert next_days(store, 1, clock.now()) == [date(2026, 3, 4)]
