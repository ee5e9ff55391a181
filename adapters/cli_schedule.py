"""`stardrill schedule add|list|remove|pause|resume|skip|next`: operators manage channel schedules.

Channels are PLATFORM:CHANNEL_ID (console:team, slack:C0123456, discord:1234567890). A platform
must be known and configured here (its tokens set; the console always is), or nothing is stored.
A running bot picks the change up within its sync tick (10 s); chat commands take effect at once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from stardrill.adapters import bootstrap, runner
from stardrill.adapters.bootstrap import StartupError
from stardrill.adapters.cli_progress import is_digits, shortened
from stardrill.clock import SystemClock
from stardrill.schedules import repo, rules, text
from stardrill.schedules.rules import RuleError
from stardrill.store import StoreError, open_store


MAX_COUNT = 1000  # fire times `schedule next` prints (years ahead for a weekly schedule)


def register(sub) -> None:
    s = sub.add_parser("schedule", help="Manage daily question schedules (add, list, remove, pause, resume, skip, next).")
    ssub = s.add_subparsers(dest="schedule_command", required=True, metavar="ACTION")
    add = ssub.add_parser("add", help="Create or replace a channel's schedule.")
    add.add_argument("channel", metavar="CHANNEL", help="PLATFORM:CHANNEL_ID, e.g. console:team or slack:C0123456.")
    _rule_args(add)
    add.add_argument("--skip-dates", help="Dates never to post, e.g. 2026-12-25,2027-01-01 (not in the past).")
    add.add_argument("--wrapup", help="Local wrap-up time HH:MM after the post time, or 'off' (default 17:00 local).")
    add.set_defaults(func=cmd_add)
    ssub.add_parser("list", help="Every schedule with its next fire times.").set_defaults(func=cmd_list)
    for name, helptext, func in (("remove", "Delete a channel's schedule.", cmd_remove),
                                 ("pause", "Stop posting until resumed.", cmd_pause),
                                 ("resume", "Post again from now on (a post missed while paused is not sent).", cmd_resume),
                                 ("skip", "Skip the channel's next post not skipped yet.", cmd_skip)):
        p = ssub.add_parser(name, help=helptext)
        p.add_argument("channel", metavar="CHANNEL", help="PLATFORM:CHANNEL_ID")
        p.set_defaults(func=func)
    nxt = ssub.add_parser("next", help="Print the next fire times, local and UTC, one per line (nothing is stored).")
    _rule_args(nxt)
    nxt.add_argument("--from", dest="start", help="Start at this local date YYYY-MM-DD (default: now).")
    nxt.add_argument("--count", default="5", help="How many fire times (default 5).")
    nxt.set_defaults(func=cmd_next)


def _rule_args(p) -> None:
    p.add_argument("--time", required=True, help="Local post time HH:MM (24-hour).")
    p.add_argument("--tz", required=True, help="IANA timezone, e.g. Europe/Berlin.")
    p.add_argument("--days", default="mon-fri", help="mon-fri (default), mon,wed,fri, weekends or daily.")


def _configured(platform: str) -> None:
    usable = set(runner.chosen_platforms("auto")) | {"console"}
    if platform not in usable:
        raise RuleError(f"{platform} is not configured here (set its tokens, see `stardrill run --help`), "
                        f"so the bot cannot post to it; nothing stored")


def _store():
    try:
        return open_store()
    except StoreError as exc:
        raise StartupError(str(exc)) from None


def _channel(text_value: str) -> tuple[str, str]:
    try:
        return repo.parse_channel(text_value)
    except RuleError as exc:
        raise StartupError(str(exc)) from None


def cmd_add(args) -> int:
    now = SystemClock().now()
    try:
        platform, channel = repo.parse_channel(args.channel)
        _configured(platform)
        rule = rules.make_rule(args.time, args.tz, args.days, args.skip_dates, args.wrapup, now)
    except RuleError as exc:
        return bootstrap.fail(str(exc))
    store = _store()
    repo.save(store, platform, channel, rule, now)
    print(text.describe(repo.get(store, platform, channel), now))
    return 0


def cmd_list(args) -> int:
    now = SystemClock().now()
    found = repo.all_schedules(_store())
    for schedule in found:
        print(text.describe(schedule, now))
    print(f"{len(found)} schedule(s)")
    return 0


def _change(args, verb: str) -> int:
    platform, channel = _channel(args.channel)
    store, now = _store(), SystemClock().now()
    if verb == "remove":  # by the row alone: a row the scheduler cannot read (a lost timezone) can still be removed
        if not repo.remove(store, platform, channel):
            return _no_schedule(platform, channel)
        print(f"removed the schedule of {platform}:{channel}")
        return 0
    if repo.get(store, platform, channel) is None:
        return _no_schedule(platform, channel)
    if verb == "skip":
        day = repo.skip_next(store, platform, channel, now)
        if day is None:
            return bootstrap.fail(f"{platform}:{channel} has no upcoming post to skip")
    else:
        repo.set_paused(store, platform, channel, verb == "pause", "paused from the command line" if verb == "pause" else None, now)
    print(text.describe(repo.get(store, platform, channel), now))
    return 0


def _no_schedule(platform: str, channel: str) -> int:
    return bootstrap.fail(f"no schedule for {platform}:{channel} (see `stardrill schedule list`)")


def cmd_remove(args) -> int:
    return _change(args, "remove")


def cmd_pause(args) -> int:
    return _change(args, "pause")


def cmd_resume(args) -> int:
    return _change(args, "resume")


def cmd_skip(args) -> int:
    return _change(args, "skip")


def cmd_next(args) -> int:
    now = SystemClock().now()
    try:
        rule = rules.make_rule(args.time, args.tz, args.days, None, None, now).with_(effective_from=None)
        count = _count(args.count)
        day = _from_date(args.start) if args.start else None
        fires = _fires(rule, now if day is None else _start_of(day, rule.zone), count, day)
    except RuleError as exc:
        return bootstrap.fail(str(exc))
    for when in fires:
        print(text.fire_line(when, rule.zone))
    return 0


def _count(value: str) -> int:
    digits = value.strip()
    # the length first: Python refuses int() of thousands of digits with a traceback
    if not is_digits(digits) or len(digits) > len(str(MAX_COUNT)) or not 1 <= int(digits) <= MAX_COUNT:
        raise RuleError(f"--count must be between 1 and {MAX_COUNT}, not {shortened(value)}")
    return int(digits)


def _from_date(day_text: str) -> date:
    try:
        return date.fromisoformat(day_text)
    except ValueError:
        raise RuleError(f"invalid --from date {shortened(day_text)}: use YYYY-MM-DD") from None


def _start_of(day: date, zone) -> datetime:
    try:
        # one microsecond before local midnight, so a fire at 00:00 that day still counts as "next"
        return datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(rules.UTC) - timedelta(microseconds=1)
    except OverflowError:
        raise RuleError(_calendar_edge(day)) from None


def _fires(rule, start: datetime, count: int, day: date | None) -> list[datetime]:
    """Every fire time before any is printed, so running past the year 9999 is one error, not half a list."""
    try:
        return list(rules.next_fires(rule, start, count))
    except OverflowError:
        raise RuleError(_calendar_edge(day or start.date())) from None


def _calendar_edge(day: date) -> str:
    # Python's dates run from year 1 to 9999; a --from near either end has no room for the times around it
    if day.year < 5000:
        return f"--from {day} is too close to the start of the calendar (year 1): use a later date"
    return (f"--from {day} is too close to the end of the calendar (year 9999) for that many fire times: "
            "use an earlier date or a smaller --count")
