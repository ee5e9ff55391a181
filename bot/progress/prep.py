"""Interview-date mode: `/stardrill prep YYYY-MM-DD [level]` turns private practice into a plan until that date."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from stardrill.clock import iso
from stardrill.content_models import LEADERSHIP_PRINCIPLES
from stardrill.messages import Outbound, Section
from stardrill.progress import member, queries, tracked
from stardrill.store import records
from stardrill.context import UserError

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MIN_REPS, MAX_REPS = 2, 5  # a plan always means more than the daily question; five a day is plenty


def reps_per_day(days_left: int, to_cover: int) -> int:
    """Practice questions a day: enough to cover what is left, at least 2, at most 5 (3 in the last week)."""
    floor = 3 if days_left <= 7 else MIN_REPS
    return max(floor, min(MAX_REPS, math.ceil(to_cover / max(days_left, 1))))


def to_cover(snap: member.Snapshot) -> int:
    """Work left before the interview: principles never practised plus questions still coming back."""
    return len(snap.never_practised_principles()) + len(snap.pending)


def done_today(app, snap: member.Snapshot) -> int:
    """Practice questions started since local midnight (the member's streak timezone)."""
    midnight = datetime.combine(snap.today, time(0), ZoneInfo(snap.zone))
    return queries.practice_sessions(app.store, snap.platform, snap.user_id, since=iso(midnight))


def plan_lines(app, snap: member.Snapshot) -> list[str]:
    prep = snap.prep
    reps = reps_per_day(prep.days_left, to_cover(snap))
    level = f" at {app.bank.level(prep.level).name} level" if prep.level in app.bank.levels else ""
    when = "today" if prep.days_left == 0 else f"in {prep.days_left} day(s)"
    lines = [f"Your interview is {when} ({prep.on.isoformat()}){level}.",
             f"Plan: {reps} practice questions a day until then ({done_today(app, snap)} done today) — /practice picks them."]
    focus = [LEADERSHIP_PRINCIPLES[p] for p in snap.never_practised_principles()[:5]]
    if focus:
        lines.append("New ground first: " + ", ".join(focus) + ".")
    lines.append(f"Weakest criterion lately: {tracked.label(snap.weakest()[0])}; questions that missed it come back first.")
    return lines


def command(app, event, args: str) -> list[Outbound]:
    """`/stardrill prep YYYY-MM-DD [level]` sets the plan; `/stardrill prep off` ends it."""

    platform, user_id = event.actor.platform, event.actor.user_id
    words = args.lower().split()
    if words == ["off"]:
        records.set_user_field(app.store, platform, user_id, "prep_date", None)
        records.set_user_field(app.store, platform, user_id, "prep_level", None)
        return [app.private(event, "Interview prep is off; /practice goes back to your usual mix.", kind="stats")]
    if not words or len(words) > 2:
        raise UserError("Usage: /stardrill prep YYYY-MM-DD [level] (e.g. /stardrill prep 2026-04-15 em), or /stardrill prep off.")
    on = _date(words[0])
    level = words[1] if len(words) == 2 else None
    if level is not None and level not in app.bank.levels:
        raise UserError(f"'{level}' is not a level; use one of {', '.join(app.bank.levels)}.")
    snap = member.snapshot(app, platform, user_id, event.where.channel)
    check_interview_date(on, snap.today)
    records.set_user_field(app.store, platform, user_id, "prep_date", on.isoformat())
    records.set_user_field(app.store, platform, user_id, "prep_level", level)
    snap = member.snapshot(app, platform, user_id, event.where.channel)
    lines = plan_lines(app, snap)
    return [app.private(event, lines[0] + " " + lines[1], kind="stats", sections=(Section("Interview prep", "\n".join(lines)),))]


def check_interview_date(on: date, today: date) -> None:
    """A date the plan can count down to: today or later, and at most a year ahead (UserError otherwise)."""
    if on < today:
        raise UserError(f"{on.isoformat()} is in the past (today is {today.isoformat()}); give the date of your interview.")
    latest = latest_interview_date(today)
    if on > latest:
        raise UserError(f"{on.isoformat()} is more than a year away (today is {today.isoformat()}); give the date of "
                        f"your interview within the next 12 months ({latest.isoformat()} at the latest).")


def latest_interview_date(today: date) -> date:
    """The same day next year (28 February for a 29th).

    Why a year: the plan spreads the ground left over the days left, so a date years away plans the
    2-a-day floor for years and its countdown means nothing; interviews are not booked that far
    ahead, and a date like 9999-12-31 or 2062-04-15 is a typo, better refused than kept.
    """
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def _date(text: str) -> date:

    try:
        if not DATE.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-04-15.") from None
