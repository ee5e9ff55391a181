"""Streaks: days a member answered, counted on the channel's calendar, with forgiveness.

Pure: `compute(answer_dates, rules, today)`. Rules:
- a day with at least one answer adds one to the streak (weekend practice counts too);
- a day the schedule does not post (not in `days`, or in `skip_dates`) never breaks a streak;
- today never breaks it (the day is not over);
- a missed scheduled day is covered by a freeze when this ISO week's freeze is unused (one is
  earned automatically each week and does not carry over); otherwise the streak restarts at 0.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORK_WEEK = frozenset(range(5))  # Monday..Friday, when a channel has no schedule


@dataclass(frozen=True)
class Rules:
    """The calendar a streak is counted on: weekdays that get a question, and dates skipped."""

    days: frozenset[int] = WORK_WEEK  # date.weekday() numbers, Monday = 0
    skip_dates: frozenset[date] = frozenset()

    def scheduled(self, day: date) -> bool:
        return day.weekday() in self.days and day not in self.skip_dates


@dataclass(frozen=True)
class Streak:
    current: int = 0
    longest: int = 0
    freezes: tuple[date, ...] = ()  # freezes used inside the current streak, oldest first
    answered_today: bool = False


def compute(answer_dates: Iterable[date], rules: Rules, today: date) -> Streak:
    """The member's current and longest streak as of `today` (dates are local to the channel)."""
    answered = {d for d in answer_dates if d <= today}
    if not answered:
        return Streak()
    current = longest = 0
    freezes: list[date] = []
    used_weeks: set[tuple[int, int]] = set()
    day = min(answered)
    while day <= today:
        if day in answered:
            current += 1
        elif rules.scheduled(day) and day != today:
            week = day.isocalendar()[:2]
            if current and week not in used_weeks:
                used_weeks.add(week)
                freezes.append(day)
            else:
                current, freezes = 0, []
        longest = max(longest, current)
        day += timedelta(days=1)
    return Streak(current, longest, tuple(freezes), today in answered)


def parse_days(text: str | None) -> frozenset[int]:
    """Schedule days as stored: JSON list or text ("mon-fri", "mon,wed,fri", "weekdays", "daily", 0-6)."""
    if not text or not text.strip():
        return WORK_WEEK
    try:
        items = json.loads(text)
    except ValueError:
        items = text
    if isinstance(items, str):
        items = items.replace(",", " ").split()
    days: set[int] = set()
    for item in items if isinstance(items, list) else [items]:
        days |= _day_token(str(item).strip().lower())
    return frozenset(days) or WORK_WEEK


def _day_token(token: str) -> set[int]:
    if token in {"daily", "everyday", "every", "all", "*"}:
        return set(range(7))
    if token in {"weekdays", "workdays", "mon-fri"}:
        return set(WORK_WEEK)
    if token in {"weekends", "weekend"}:
        return {5, 6}
    if "-" in token:
        start, _, end = token.partition("-")
        a, b = _day_token(start), _day_token(end)
        if len(a) == 1 and len(b) == 1:
            lo, hi = a.pop(), b.pop()
            return {d % 7 for d in range(lo, hi + 1 if hi >= lo else hi + 8)}
        return set()
    if token.isascii() and token.isdigit():
        return {int(token) % 7}
    return {i for i, name in enumerate(WEEKDAYS) if token[:3] == name}


def parse_skip_dates(text: str | None) -> frozenset[date]:
    try:
        items = json.loads(text or "[]")
    except ValueError:
        return frozenset()
    out = set()
    for item in items if isinstance(items, list) else []:
        try:
            out.add(date.fromisoformat(str(item)))
        except ValueError:
            continue  # a malformed skip date must not break anyone's stats
    return frozenset(out)


def rules_from_schedule(row: dict | None) -> Rules:
    """Rules from a `schedules` row (None: Monday to Friday, no skips)."""
    if row is None:
        return Rules()
    return Rules(parse_days(row.get("days")), parse_skip_dates(row.get("skip_dates")))


__all__ = ["Rules", "Streak", "compute", "rules_from_schedule", "parse_days", "parse_skip_dates"]
