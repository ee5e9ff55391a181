"""Chat commands for schedules: /stardrill schedule [HH:MM [TZ] [days] [wrapup=HH:MM] [skip=DATES]], pause, resume, skip.

Registered in bot/commands.py SUBCOMMANDS (all are ADMIN_ONLY there). The channel is where the
command was typed; changes take effect at once (repo.notify re-arms a running scheduler).
"""

from __future__ import annotations

from stardrill.messages import Outbound
from stardrill.schedules import repo, rules, text
from stardrill.schedules.rules import RuleError
from stardrill.context import UserError

USAGE = ("Usage: /stardrill schedule HH:MM [TIMEZONE] [mon-fri|mon,wed,fri|daily] [wrapup=HH:MM|off] "
         "[skip=YYYY-MM-DD,...], e.g. /stardrill schedule 09:00 Europe/Berlin mon-fri")


def _user_error(message: str):

    return UserError(message)


def _where(event) -> tuple[str, str]:
    return event.actor.platform, event.where.channel


def _need(app, event) -> repo.Schedule:
    found = repo.get(app.store, *_where(event))
    if found is None:
        raise _user_error("This channel has no schedule. Set one with /stardrill schedule 09:00 Europe/Berlin")
    return found


def parse_schedule_args(args: str, default_tz: str) -> dict:
    """Split '09:00 Europe/Berlin mon,wed wrapup=16:30' into make_rule's keyword arguments.

    Each word must be what it looks like: days, a timezone, or wrapup=/skip=; anything else is named
    in the error (a typo in the days must not be read as a timezone, nor half a range as a day).
    """
    words = args.split()
    found = {"time_text": words[0], "tz": default_tz, "days": None, "skip_dates": None, "wrapup": None}
    zone_given = False
    for word in words[1:]:
        name, sep, value = word.partition("=")
        if sep and name.lower() in {"wrapup", "skip"}:
            found["wrapup" if name.lower() == "wrapup" else "skip_dates"] = value
        elif _looks_like_days(word):
            rules.parse_days(word)  # raises with the days' own message
            if found["days"] is not None:
                raise RuleError(f"days given twice ({found['days']!r} and {word!r})")
            found["days"] = word
        elif "/" in word or word.lower() in rules.NOT_PLACES or _is_zone(word):
            rules.canonical_zone(word)  # raises "unknown timezone ..." (also for zone files that name no place)
            if zone_given:
                raise RuleError(f"two timezones given ({found['tz']!r} and {word!r})")
            found["tz"], zone_given = word, True
        else:
            raise RuleError(f"{word!r} is neither days (mon-fri, mon,wed,fri, weekends or daily) "
                            "nor a timezone (e.g. Europe/Berlin or UTC)")
    return found


def _looks_like_days(word: str) -> bool:
    lowered = word.lower()
    if lowered in {"daily", "everyday", "weekdays", "weekends"}:
        return True
    return any(part[:3] in rules.DAY_NAMES for part in lowered.replace(",", "-").split("-") if part) or "," in word


def _is_zone(word: str) -> bool:
    try:
        rules.canonical_zone(word)
    except RuleError:
        return False
    return True


def schedule(app, event, args: str) -> list[Outbound]:
    now = app.now()
    current = repo.get(app.store, *_where(event))
    if not args.strip():
        if current is None:
            return [app.private(event, "No schedule in this channel yet. " + USAGE, kind="info")]
        return [app.private(event, text.describe(current, now), kind="info")]
    try:
        parsed = parse_schedule_args(args, current.rule.tz if current else "UTC")
        rule = rules.make_rule(**parsed, now=now)
    except RuleError as exc:
        raise _user_error(f"{exc}. {USAGE}") from None
    repo.save(app.store, *_where(event), rule, now)
    saved = repo.get(app.store, *_where(event))
    guessed = current is None and parsed["tz"] == "UTC" and "utc" not in args.lower()
    note = " in UTC (name a timezone to change it, e.g. /stardrill schedule 09:00 Europe/Berlin)" if guessed else ""
    return [app.private(event, f"Scheduled{note}.\n" + text.describe(saved, now), kind="info")]


def pause(app, event, args: str) -> list[Outbound]:
    _need(app, event)
    who = event.actor.name or event.actor.user_id
    repo.set_paused(app.store, *_where(event), True, f"paused by {who}", app.now())
    return [app.private(event, "Paused: no questions are posted here until /stardrill resume.")]


def resume(app, event, args: str) -> list[Outbound]:
    _need(app, event)
    repo.set_paused(app.store, *_where(event), False, None, app.now())
    return [app.private(event, "Resumed.\n" + text.describe(_need(app, event), app.now()))]


def skip(app, event, args: str) -> list[Outbound]:
    current, now = _need(app, event), app.now()
    day = repo.skip_next(app.store, *_where(event), now)
    if day is None:
        raise _user_error("There is no upcoming post to skip.")
    paused = " (the schedule is paused too)" if current.rule.paused else ""
    earlier = _skipped_before(current, day, now)
    if not earlier:
        return [app.private(event, f"The next question, on {day:%a %Y-%m-%d}, will be skipped{paused}.")]
    already = ", ".join(f"{d:%a %Y-%m-%d}" for d in earlier)
    return [app.private(event, f"The question on {day:%a %Y-%m-%d} will be skipped too (already skipped: {already}){paused}.")]


def _skipped_before(schedule: repo.Schedule, day, now) -> list:
    """Posting days from today up to `day` that were skipped already: why this skip did not take the very next one."""
    rule, pending = schedule.rule, repo.pending_skip(schedule, now)
    skipped = rule.skip_dates | ({pending} if pending else frozenset())
    return sorted(d for d in skipped if d < day and d.weekday() in rule.days and _still_ahead(rule, d, now))


def _still_ahead(rule: rules.Rule, day, now) -> bool:
    """True when the day's post time is still to come (a skipped day whose time has passed no longer counts)."""
    when = rules.local_instant(day, rule.time, rule.zone)
    return when is not None and when > now


SUBCOMMANDS = {"schedule": schedule, "pause": pause, "resume": resume, "skip": skip}
