"""How schedules and fire times read, the same in chat and on the command line."""

from __future__ import annotations

from datetime import datetime

from stardrill.schedules import rules
from stardrill.schedules.repo import Schedule


def fire_line(when: datetime, zone) -> str:
    """'Tue 2026-03-03 09:00 CET (UTC+01:00) = 2026-03-03 08:00 UTC'."""
    local = when.astimezone(zone)
    offset = local.strftime("%z")
    return (f"{local:%a %Y-%m-%d %H:%M} {local.tzname()} (UTC{offset[:3]}:{offset[3:]}) "
            f"= {when.astimezone(rules.UTC):%Y-%m-%d %H:%M} UTC")


def summary(schedule: Schedule, now: datetime, named: bool = True) -> str:
    """One line: time, zone, days, wrap-up, skips, state; `named` starts it with the channel's key."""
    rule = schedule.rule
    wrap = rules.wrapup_time(rule)
    parts = [f"{schedule.key + ': ' if named else ''}{rule.time} {rule.tz} {rules.format_days(rule.days)}",
             f"wrap-up {wrap}" if wrap else "wrap-up at the next post"]
    today = rules.local_day(now, rule.zone)
    upcoming = sorted(d for d in rule.skip_dates if d >= today)
    if upcoming:
        parts.append("skips " + ",".join(d.isoformat() for d in upcoming))
    if schedule.skip_pending and rule.skip_on and rule.skip_on >= today:
        parts.append(f"skipping {rule.skip_on.isoformat()}")
    if rule.paused:
        parts.append(f"PAUSED ({schedule.paused_reason})" if schedule.paused_reason else "PAUSED")
    if not rules.is_place(rule.tz):  # saved before zone names were checked: it still posts, but say how to fix it
        parts.append(f"{rule.tz!r} names no place: set an IANA timezone such as Europe/Berlin or UTC")
    return "; ".join(parts)


def describe(schedule: Schedule, now: datetime, count: int = 3, named: bool = True) -> str:
    """The summary and the next fire times (none while paused)."""
    fires = rules.next_fires(schedule.rule, now, count)
    lines = [summary(schedule, now, named)]
    lines += [f"  next: {fire_line(when, schedule.rule.zone)}" for when in fires]
    if not fires:
        lines.append("  next: none while paused" if schedule.rule.paused else "  next: none")
    return "\n".join(lines)
