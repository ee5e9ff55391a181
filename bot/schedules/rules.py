"""Pure schedule rules: parse operator input and compute fire times with zoneinfo. No I/O, no clock.

Why not APScheduler's CronTrigger (2026): cron runs on wall-clock time, so a 01:30 New York job
fires twice on the fall-back day and a 02:30 one moves to 03:30 on spring-forward day. Here every
fire time is computed from the local date, and the two DST edge cases are decided once:

- a local time that does not exist that day (spring forward) fires at the first valid minute
  after the gap (02:30 in New York on 2026-03-08 fires at 03:00 EDT);
- a local time that happens twice (fall back) fires once, at its first occurrence (fold=0:
  01:30 in New York on 2026-11-01 fires at 01:30 EDT, i.e. 05:30 UTC).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

UTC = timezone.utc
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS = frozenset(range(5))
DEFAULT_WRAPUP = "17:00"  # end of the working day, local; used when the post time is earlier
MAX_GAP_MINUTES = 24 * 60  # a DST gap is an hour (30 min on Lord Howe); whole skipped days exist (Samoa 2011)


class RuleError(ValueError):
    """Bad schedule input; the message is one line for the operator."""


@dataclass(frozen=True)
class Rule:
    """One channel's schedule, as plain values. `wrapup` is HH:MM, 'off', or None for the default."""

    time: str
    tz: str
    days: frozenset[int] = WEEKDAYS
    skip_dates: frozenset[date] = frozenset()
    paused: bool = False
    skip_on: date | None = None  # the single fire date `skip` cancelled
    wrapup: str | None = None
    effective_from: datetime | None = None  # fires before this instant never count (set on add and resume)
    zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "zone", load_zone(self.tz))

    def with_(self, **changes) -> "Rule":
        return replace(self, **changes)


# -- parsing ------------------------------------------------------------------------------------------


def parse_time(text: str) -> str:
    """'9:05' or '09:05' -> '09:05'; anything else (25:00, 9am) is a RuleError."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", (text or "").strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise RuleError(f"invalid time {text!r}: use HH:MM on a 24-hour clock, e.g. 09:00")
    return f"{int(match[1]):02d}:{match[2]}"


# Files in the zone database that name no place, though ZoneInfo loads them and available_timezones()
# may list them: `localtime` is this machine's own zone (it changes with the host the bot runs on),
# `Factory` is a placeholder whose abbreviation reads "-00", `posixrules` a template for POSIX TZ
# strings. A schedule must say where its team is, so these are refused (compared in lower case).
NOT_PLACES = frozenset({"localtime", "factory", "posixrules"})


def _unknown_zone(name: str) -> RuleError:
    return RuleError(f"unknown timezone {name!r}: use an IANA name such as Europe/Berlin or UTC")


@functools.lru_cache(maxsize=1)
def _places_by_lower() -> dict[str, str]:
    """Every zone name an operator may give, keyed in lower case.

    Only names available_timezones() lists count: ZoneInfo also opens other files under the zone
    directory (posix/..., right/..., posixrules), and those are no names of places. Legacy aliases it
    lists (US/Eastern, EST5EDT, Etc/GMT+5) stay accepted: tzdata keeps them as links to real zones.
    """
    return {name.lower(): name for name in available_timezones() if name.lower() not in NOT_PLACES}


def canonical_zone(name: str) -> str:
    """The IANA name as tzdata spells it, whatever the case typed ('utc' -> 'UTC', 'europe/berlin' -> 'Europe/Berlin').

    The one check of a zone an operator typed (CLI and chat both come here): anything that is not the
    name of a place is a RuleError, including paths ('../', '/etc/localtime') and the empty string.
    """
    found = _places_by_lower().get((name or "").strip().lower())
    if found is None:
        raise _unknown_zone(name)
    return found


def load_zone(name: str) -> ZoneInfo:
    """The zone of a stored schedule, checked when it was saved.

    Not held to canonical_zone: a row saved before that check (with 'localtime' or 'Factory') must keep
    posting as it did. A name no file answers to any more is a RuleError (repo skips that schedule).
    """
    try:
        if not name or name != name.strip() or name.startswith(("/", ".")):
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise _unknown_zone(name) from None


def is_place(name: str) -> bool:
    """True when a stored zone name is one canonical_zone accepts today (False: ask for a real one)."""
    return _places_by_lower().get(name.lower()) == name


def parse_days(text: str) -> frozenset[int]:
    """'mon-fri', 'mon,wed,fri', 'daily', 'weekdays', 'weekends', 'sat-mon' -> weekday numbers (Mon=0)."""
    spec = (text or "").strip().lower()
    named = {"daily": range(7), "everyday": range(7), "weekdays": range(5), "weekends": (5, 6)}
    if spec in named:
        return frozenset(named[spec])
    days: set[int] = set()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        first, dash, last = part.partition("-")
        if not _day_name(first) or (dash and not _day_name(last)):  # 'mon-' is half a range, not 'mon'
            raise RuleError(f"invalid days {text!r}: use mon-fri, mon,wed,fri, weekends or daily")
        start, end = DAY_NAMES.index(first[:3]), DAY_NAMES.index((last or first)[:3])
        days.update((start + i) % 7 for i in range((end - start) % 7 + 1))
    if not days:
        raise RuleError(f"empty weekday set {text!r}: name at least one day, e.g. mon-fri")
    return frozenset(days)


def _day_name(word: str) -> bool:
    """'mon', 'monday' (not 'month')."""
    full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return word in DAY_NAMES or word in full


def format_days(days: frozenset[int]) -> str:
    if days == frozenset(range(7)):
        return "daily"
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{DAY_NAMES[ordered[0]]}-{DAY_NAMES[ordered[-1]]}"
    return ",".join(DAY_NAMES[d] for d in ordered)


def parse_skip_dates(text: str, today: date) -> frozenset[date]:
    """'2026-12-25,2027-01-01' -> dates; a past date is a RuleError (it would never matter)."""
    found = set()
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        try:
            day = date.fromisoformat(part)
        except ValueError:
            raise RuleError(f"invalid skip date {part!r}: use YYYY-MM-DD") from None
        if day < today:
            raise RuleError(f"skip date {part} is in the past (today is {today.isoformat()} in the schedule's timezone)")
        found.add(day)
    return frozenset(found)


def parse_wrapup(text: str | None, post_time: str) -> str | None:
    """None -> default; 'off' -> no timed wrap-up; HH:MM must be later than the post time."""
    if text is None or text == "":
        return None
    if text.strip().lower() in {"off", "none"}:
        return "off"
    value = parse_time(text)
    if value <= post_time:
        raise RuleError(f"wrap-up {value} must be later than the post time {post_time} (or 'off')")
    return value


def wrapup_time(rule: Rule) -> str | None:
    """The effective wrap-up time: explicit, else 17:00 when the post is earlier, else none (next post wraps)."""
    if rule.wrapup == "off":
        return None
    if rule.wrapup:
        return rule.wrapup
    return DEFAULT_WRAPUP if rule.time < DEFAULT_WRAPUP else None


# -- fire times ---------------------------------------------------------------------------------------


def _exists(naive: datetime, zone: ZoneInfo) -> bool:
    back = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return back == naive


@functools.lru_cache(maxsize=4096)  # a pure function asked once per schedule per tick: 10,000 schedules share few zones
def local_instant(day: date, hhmm: str, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of HH:MM local on `day`, resolving DST as documented above; None if the day has no such minute."""
    hour, minute = map(int, hhmm.split(":"))
    naive = datetime.combine(day, time(hour, minute))
    probe = naive
    for _ in range(MAX_GAP_MINUTES + 1):
        if _exists(probe, zone):
            if probe.date() != day:
                return None  # the rest of the day was skipped (Samoa, 2011-12-30)
            return probe.replace(tzinfo=zone, fold=0).astimezone(UTC)
        probe += timedelta(minutes=1)
    return None


def is_fire_day(rule: Rule, day: date) -> bool:
    return day.weekday() in rule.days and day not in rule.skip_dates and day != rule.skip_on


def fire_on(rule: Rule, day: date) -> datetime | None:
    """When the rule posts on this local date (UTC), or None if it does not post that day."""
    return local_instant(day, rule.time, rule.zone) if is_fire_day(rule, day) else None


def wrapup_on(rule: Rule, day: date) -> datetime | None:
    """When that day's post is wrapped up (UTC), or None (no post that day, or no timed wrap-up)."""
    hhmm = wrapup_time(rule)
    return local_instant(day, hhmm, rule.zone) if hhmm and is_fire_day(rule, day) else None


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def fire_times(rule: Rule, after: datetime, *, ignore_pause: bool = False, days: int = 366 * 3) -> Iterator[datetime]:
    """Fire instants (UTC) strictly after `after`, in order, over the next `days` local days; nothing while paused."""
    if rule.paused and not ignore_pause:
        return
    day = local_day(after, rule.zone) - timedelta(days=1)  # a gap-shifted fire can cross midnight
    for _ in range(days):
        when = fire_on(rule, day)
        if when is not None and when > after and (rule.effective_from is None or when >= rule.effective_from):
            yield when
        day += timedelta(days=1)


def next_fires(rule: Rule, after: datetime, count: int, *, ignore_pause: bool = False) -> list[datetime]:
    out = []
    # A rule posts at least once a week (one weekday at least; skip dates are few), so 7 days a fire always suffice.
    horizon = max(366 * 3, 7 * count + 14)
    for when in fire_times(rule, after, ignore_pause=ignore_pause, days=horizon):
        out.append(when)
        if len(out) == count:
            break
    return out


def due_post(rule: Rule, now: datetime, grace: timedelta) -> tuple[date, datetime] | None:
    """(local date, fire instant) of a post that should exist by `now`, if any.

    Due means: today's local fire has passed, not before the rule took effect, at most `grace`
    ago, and it is still the same local day in the channel, so a missed post is never a day late.
    """
    if rule.paused:
        return None
    today = local_day(now, rule.zone)
    when = fire_on(rule, today)
    if when is None or when > now or now - when > grace:
        return None
    if rule.effective_from is not None and when < rule.effective_from:
        return None
    return today, when


def due_wrapup(rule: Rule, now: datetime) -> date | None:
    """The local date whose post should be wrapped up by now (today's, once its wrap-up time passed)."""
    today = local_day(now, rule.zone)
    when = wrapup_on(rule, today)
    return today if when is not None and when <= now else None


def next_wake(rule: Rule, after: datetime) -> datetime | None:
    """The next instant the scheduler should look at this rule: its next post or wrap-up."""
    candidates = next_fires(rule, after, 1)
    day = local_day(after, rule.zone)
    for offset in (0, 1):
        when = wrapup_on(rule, day + timedelta(days=offset))
        if when is not None and when > after and not rule.paused:
            candidates.append(when)
    return min(candidates) if candidates else None


def make_rule(time_text: str, tz: str, days: str | None, skip_dates: str | None, wrapup: str | None, now: datetime) -> Rule:
    """Validate operator input into a Rule (effective from `now`); RuleError names the first problem."""
    hhmm = parse_time(time_text)
    tz = canonical_zone(tz)
    zone = load_zone(tz)
    weekdays = parse_days(days) if days else WEEKDAYS
    skips = parse_skip_dates(skip_dates or "", local_day(now, zone))
    return Rule(hhmm, tz, weekdays, skips, wrapup=parse_wrapup(wrapup, hhmm), effective_from=now)
