"""Streaks: days answered on the channel's calendar; weekends, skipped days and one weekly freeze forgive."""

from __future__ import annotations

import io
from datetime import date, datetime, timezone

from stardrill.adapters.console.adapter import ConsoleAdapter
from stardrill.progress.member import snapshot
from stardrill.progress.streaks import Rules, compute, parse_days, rules_from_schedule
from tests.chat import STRONG, Member

MON = date(2026, 3, 2)  # a Monday


def d(offset: int) -> date:
    return date.fromordinal(MON.toordinal() + offset)


def test_consecutive_days_count_and_today_never_breaks():
    assert compute([d(0), d(1), d(2)], Rules(), d(2)).current == 3
    pending = compute([d(0), d(1), d(2)], Rules(), d(3))  # Thursday, not answered yet
    assert (pending.current, pending.answered_today) == (3, False)
    assert compute([], Rules(), d(3)).current == 0


def test_weekend_does_not_break_and_weekend_practice_counts():
    assert compute([d(4), d(7)], Rules(), d(7)).current == 2  # Fri, Mon
    assert compute([d(4), d(5), d(7)], Rules(), d(7)).current == 3  # Saturday practice adds a day
    assert compute([d(4), d(7)], Rules(), d(7)).freezes == ()


def test_days_outside_the_schedule_and_skip_dates_do_not_break():
    mon_wed_fri = Rules(days=parse_days("[0, 2, 4]"))
    assert compute([d(0), d(2), d(4)], mon_wed_fri, d(4)).current == 3
    holiday = Rules(skip_dates=frozenset({d(1)}))
    result = compute([d(0), d(2)], holiday, d(2))
    assert (result.current, result.freezes) == (2, ())


def test_one_freeze_per_week_covers_one_missed_day():
    one_miss = compute([d(0), d(1), d(3)], Rules(), d(3))  # Wednesday missed
    assert (one_miss.current, one_miss.freezes) == (3, (d(2),))
    two_misses = compute([d(0), d(2), d(4)], Rules(), d(4))  # Tuesday and Thursday missed: the second breaks
    assert (two_misses.current, two_misses.longest, two_misses.freezes) == (1, 2, ())
    next_week = compute([d(0), d(1), d(3), d(4), d(7), d(9)], Rules(), d(9))  # a new week earns a new freeze
    assert (next_week.current, next_week.freezes) == (6, (d(2), d(8)))


def test_longest_survives_a_break():
    result = compute([d(0), d(1), d(2), d(3), d(7), d(8)], Rules(), d(14))
    assert (result.current, result.longest) == (0, 6)  # Mon-Thu, Fri frozen, Mon-Tue; then two misses


def test_schedule_rows_parse_json_and_text_days():
    assert parse_days("[0, 1, 2, 3, 4]") == frozenset(range(5))
    assert parse_days("mon,wed,fri") == frozenset({0, 2, 4})
    assert parse_days("sat-mon") == frozenset({5, 6, 0})
    assert parse_days("daily") == frozenset(range(7))
    rules = rules_from_schedule({"days": "[0, 1]", "skip_dates": '["2026-03-03", "bad"]'})
    assert rules.days == frozenset({0, 1}) and rules.skip_dates == frozenset({date(2026, 3, 3)})


def _schedule(app, tz: str, channel: str = "team") -> None:
    app.store.execute(
        "INSERT INTO schedules (platform, channel_id, time, tz, days, skip_dates, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ("console", channel, "09:00", tz, "[0, 1, 2, 3, 4]", "[]", "2026-03-01T00:00:00+00:00"),
    )


def _practise_at(app, clock, when: datetime, user: str = "ana") -> None:
    clock.set(when)
    member = Member(app, user)
    member.command("practice", "lead-without-title")
    member.say(STRONG, direct=True)


def test_the_same_answers_make_different_streaks_in_different_timezones(bank, store, clock):
    from stardrill.app import Stardrill

    monday_late = datetime(2026, 3, 2, 23, 30, tzinfo=timezone.utc)
    tuesday_early = datetime(2026, 3, 3, 0, 30, tzinfo=timezone.utc)
    app = Stardrill(bank, store, clock, seed=7)
    _practise_at(app, clock, monday_late)
    _practise_at(app, clock, tuesday_early)
    clock.set(datetime(2026, 3, 3, 1, 0, tzinfo=timezone.utc))
    assert snapshot(app, "console", "ana").streak.current == 2  # no schedule: UTC, Monday and Tuesday
    _schedule(app, "Asia/Tokyo")
    tokyo = snapshot(app, "console", "ana", "team")
    assert (tokyo.streak.current, tokyo.today, tokyo.zone) == (1, date(2026, 3, 3), "Asia/Tokyo")  # both on Tuesday there


def test_stats_in_the_console_says_when_a_freeze_was_used(app, clock):
    for day in (0, 1, 3):  # Monday, Tuesday, (Wednesday missed), Thursday
        _practise_at(app, clock, datetime(2026, 3, 2 + day, 12, 0, tzinfo=timezone.utc))
    out = io.StringIO()
    ConsoleAdapter(app, io.StringIO("/stardrill stats\n"), out, user="ana").run()
    text = out.getvalue()
    assert "3 day(s) in a row" in text
    assert "A streak freeze covered Wed 04 Mar" in text
    assert "(only ana sees this)" in text  # private by default
