"""The pure rules: a DST table over three zones, every-day 09:00 for a year, parsing and due/grace decisions."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from stardrill.schedules import rules
from stardrill.schedules.rules import Rule, RuleError

NY, BERLIN, SYDNEY = "America/New_York", "Europe/Berlin", "Australia/Sydney"

DST_TABLE = [
    # zone, local date, HH:MM, expected UTC, expected local wall clock (what the channel sees)
    (NY, "2026-03-07", "09:00", "2026-03-07 14:00", "09:00 EST"),  # day before spring forward
    (NY, "2026-03-08", "09:00", "2026-03-08 13:00", "09:00 EDT"),  # spring-forward day
    (NY, "2026-03-08", "02:30", "2026-03-08 07:00", "03:00 EDT"),  # nonexistent -> first minute after the gap
    (NY, "2026-03-08", "02:00", "2026-03-08 07:00", "03:00 EDT"),  # the gap's first minute, too
    (NY, "2026-03-08", "03:00", "2026-03-08 07:00", "03:00 EDT"),
    (NY, "2026-10-31", "09:00", "2026-10-31 13:00", "09:00 EDT"),
    (NY, "2026-11-01", "09:00", "2026-11-01 14:00", "09:00 EST"),  # fall-back day
    (NY, "2026-11-01", "01:30", "2026-11-01 05:30", "01:30 EDT"),  # repeated -> first occurrence
    (NY, "2026-11-01", "01:00", "2026-11-01 05:00", "01:00 EDT"),
    (NY, "2026-11-01", "02:00", "2026-11-01 07:00", "02:00 EST"),  # after the repeat: happens once
    (BERLIN, "2026-03-28", "09:00", "2026-03-28 08:00", "09:00 CET"),
    (BERLIN, "2026-03-29", "09:00", "2026-03-29 07:00", "09:00 CEST"),
    (BERLIN, "2026-03-29", "02:30", "2026-03-29 01:00", "03:00 CEST"),
    (BERLIN, "2026-10-24", "09:00", "2026-10-24 07:00", "09:00 CEST"),
    (BERLIN, "2026-10-25", "09:00", "2026-10-25 08:00", "09:00 CET"),
    (BERLIN, "2026-10-25", "02:30", "2026-10-25 00:30", "02:30 CEST"),
    (SYDNEY, "2026-04-04", "09:00", "2026-04-03 22:00", "09:00 AEDT"),
    (SYDNEY, "2026-04-05", "09:00", "2026-04-04 23:00", "09:00 AEST"),  # fall back (southern autumn)
    (SYDNEY, "2026-04-05", "02:30", "2026-04-04 15:30", "02:30 AEDT"),
    (SYDNEY, "2026-10-03", "09:00", "2026-10-02 23:00", "09:00 AEST"),
    (SYDNEY, "2026-10-04", "09:00", "2026-10-03 22:00", "09:00 AEDT"),  # spring forward
    (SYDNEY, "2026-10-04", "02:30", "2026-10-03 16:00", "03:00 AEDT"),
]


@pytest.mark.parametrize("tz, day, hhmm, utc, wall", DST_TABLE)
def test_dst_table(tz, day, hhmm, utc, wall):
    rule = Rule(hhmm, tz, frozenset(range(7)))
    when = rules.fire_on(rule, date.fromisoformat(day))
    assert when == datetime.fromisoformat(utc).replace(tzinfo=timezone.utc)
    assert when.astimezone(rule.zone).strftime("%H:%M %Z") == wall


@pytest.mark.parametrize("tz", [NY, BERLIN, SYDNEY])
def test_nine_oclock_is_nine_oclock_every_day_of_a_year(tz):
    rule = Rule("09:00", tz, frozenset(range(7)))
    fires = rules.next_fires(rule, datetime(2026, 1, 1, tzinfo=timezone.utc), 365)
    assert {f.astimezone(rule.zone).strftime("%H:%M") for f in fires} == {"09:00"}
    days = [f.astimezone(rule.zone).date() for f in fires]
    assert len(set(days)) == 365 and days == sorted(days)
    offsets = {f.astimezone(rule.zone).utcoffset() for f in fires}
    assert len(offsets) == 2  # both sides of DST were crossed


@pytest.mark.parametrize("tz, hhmm, transition", [(NY, "01:30", "2026-11-01"), (NY, "02:30", "2026-03-08"),
                                                  (BERLIN, "02:30", "2026-10-25"), (SYDNEY, "02:30", "2026-10-04")])
def test_edge_times_fire_exactly_once_on_the_transition_day(tz, hhmm, transition):
    rule = Rule(hhmm, tz, frozenset(range(7)))
    day = date.fromisoformat(transition)
    start = datetime.combine(day - timedelta(days=1), datetime.min.time(), tzinfo=rule.zone)
    fires = rules.next_fires(rule, start.astimezone(timezone.utc), 3)
    assert [f.astimezone(rule.zone).date() for f in fires] == [day - timedelta(days=1), day, day + timedelta(days=1)]


def test_a_day_that_does_not_exist_has_no_post():
    rule = Rule("09:00", "Pacific/Apia", frozenset(range(7)))  # Samoa skipped 2011-12-30 entirely
    assert rules.fire_on(rule, date(2011, 12, 30)) is None
    assert rules.fire_on(rule, date(2011, 12, 31)) is not None


def test_weekdays_holidays_and_skip_next():
    rule = Rule("09:00", BERLIN, rules.parse_days("mon,wed,fri"), frozenset({date(2026, 3, 4)}), skip_on=date(2026, 3, 6))
    fires = rules.next_fires(rule, datetime(2026, 3, 1, tzinfo=timezone.utc), 3)  # Sunday
    assert [f.date().isoformat() for f in fires] == ["2026-03-02", "2026-03-09", "2026-03-11"]
    assert rules.next_fires(rule.with_(paused=True), datetime(2026, 3, 1, tzinfo=timezone.utc), 3) == []


def test_default_days_are_monday_to_friday():
    rule = rules.make_rule("09:00", NY, None, None, None, datetime(2026, 3, 1, tzinfo=timezone.utc))
    assert rule.days == frozenset(range(5))
    fires = rules.next_fires(rule, datetime(2026, 3, 6, 15, tzinfo=timezone.utc), 1)  # Friday after 09:00 NY
    assert fires[0].astimezone(rule.zone).strftime("%a %H:%M") == "Mon 09:00"


@pytest.mark.parametrize("spec, days", [("mon-fri", {0, 1, 2, 3, 4}), ("daily", set(range(7))), ("sat-mon", {5, 6, 0}),
                                        ("mon,wed,fri", {0, 2, 4}), ("weekends", {5, 6}), ("Tuesday", {1})])
def test_parse_days(spec, days):
    assert rules.parse_days(spec) == frozenset(days)


NOW = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize("kwargs, message", [
    ({"time_text": "25:00"}, "invalid time '25:00'"),
    ({"time_text": "9am"}, "invalid time '9am'"),
    ({"tz": "Mars/Olympus"}, "unknown timezone 'Mars/Olympus'"),
    ({"tz": "../etc/passwd"}, "unknown timezone"),
    ({"days": ","}, "empty weekday set"),
    ({"days": "funday"}, "invalid days 'funday'"),
    ({"skip_dates": "2026-03-01"}, "skip date 2026-03-01 is in the past"),
    ({"skip_dates": "2026-13-01"}, "invalid skip date"),
    ({"wrapup": "08:00"}, "wrap-up 08:00 must be later than the post time 09:00"),
])
def test_bad_input_is_one_clear_line(kwargs, message):
    args = {"time_text": "09:00", "tz": BERLIN, "days": None, "skip_dates": None, "wrapup": None, **kwargs}
    with pytest.raises(RuleError) as caught:
        rules.make_rule(**args, now=NOW)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_due_post_is_same_local_day_within_grace_only():
    rule = Rule("09:00", SYDNEY, frozenset(range(7)))
    fire = rules.fire_on(rule, date(2026, 3, 3))  # 2026-03-02 22:00 UTC
    grace = timedelta(hours=12)
    assert rules.due_post(rule, fire - timedelta(seconds=1), grace) is None
    assert rules.due_post(rule, fire, grace) == (date(2026, 3, 3), fire)
    assert rules.due_post(rule, fire + timedelta(hours=11), grace) == (date(2026, 3, 3), fire)
    assert rules.due_post(rule, fire + timedelta(hours=12, minutes=1), grace) is None  # beyond the grace
    late = Rule("20:00", SYDNEY, frozenset(range(7)))
    evening = rules.fire_on(late, date(2026, 3, 3))
    assert rules.due_post(late, evening + timedelta(hours=3, minutes=59), grace) is not None  # 23:59 local
    assert rules.due_post(late, evening + timedelta(hours=4, minutes=1), grace) is None  # 00:01 next day: never a day late
    assert rules.due_post(rule.with_(effective_from=fire + timedelta(minutes=1)), fire + timedelta(minutes=5), grace) is None


def test_wrapup_defaults_to_five_pm_or_the_next_post():
    assert rules.wrapup_time(Rule("09:00", BERLIN)) == "17:00"
    assert rules.wrapup_time(Rule("18:00", BERLIN)) is None
    assert rules.wrapup_time(Rule("09:00", BERLIN, wrapup="off")) is None
    assert rules.wrapup_time(Rule("09:00", BERLIN, wrapup="12:30")) == "12:30"
