"""Schedule rows in SQLite <-> Rule values, and the changes operators make (CLI and chat share these).

Every change calls `notify(store, platform, channel)` so a scheduler running in this process
re-arms that schedule at once; another process's changes are picked up by the scheduler's sync tick.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from weakref import WeakKeyDictionary

from stardrill.clock import iso
from stardrill.schedules import rules
from stardrill.schedules.rules import Rule, RuleError
from stardrill.store import StoreError

log = logging.getLogger(__name__)

KNOWN_PLATFORMS = ("console", "slack", "discord")

_listeners: "WeakKeyDictionary[object, list[Callable[[str, str], None]]]" = WeakKeyDictionary()
_listeners_lock = threading.Lock()


@dataclass(frozen=True)
class Schedule:
    platform: str
    channel: str
    rule: Rule
    paused_reason: str | None = None
    skip_pending: bool = False

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.channel}"


def parse_channel(text: str) -> tuple[str, str]:
    """'console:team' -> ('console', 'team'); the platform must be one Stardrill has an adapter for."""
    platform, sep, channel = (text or "").strip().partition(":")
    if not sep or not platform or not channel or any(c.isspace() for c in channel):
        raise RuleError(f"invalid channel {text!r}: use PLATFORM:CHANNEL_ID, e.g. console:team or slack:C0123456")
    if platform.lower() not in KNOWN_PLATFORMS:
        raise RuleError(f"no adapter for platform {platform!r} ({text}): Stardrill posts to {', '.join(KNOWN_PLATFORMS)}")
    return platform.lower(), channel


# -- change listeners (a running scheduler) ----------------------------------------------------------


def subscribe(store, listener: Callable[[str, str], None]) -> None:
    with _listeners_lock:
        _listeners.setdefault(store, []).append(listener)


def unsubscribe(store, listener: Callable[[str, str], None]) -> None:
    with _listeners_lock:
        if listener in _listeners.get(store, []):
            _listeners[store].remove(listener)


def notify(store, platform: str, channel: str) -> None:
    with _listeners_lock:
        listeners = list(_listeners.get(store, []))
    for listener in listeners:
        try:
            listener(platform, channel)
        except Exception:  # a scheduler problem must not fail the operator's command; the sync tick retries
            log.exception("re-arming %s:%s after a change failed", platform, channel)


# -- rows ---------------------------------------------------------------------------------------------


def _stamp_or_none(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


_PARSED_CACHE = 20_000  # schedules kept parsed: every tick reads every row, and rows rarely change
_parsed: dict[tuple, Schedule] = {}


def from_row(row: dict) -> Schedule:
    """The row's Schedule; a row seen before (same values) is not parsed again (Schedule and Rule are frozen)."""
    key = tuple(row.items())
    found = _parsed.get(key)
    if found is None:
        if len(_parsed) >= _PARSED_CACHE:
            _parsed.clear()
        found = _parsed[key] = _parse(row)
    return found


_RULE_COLUMNS = ("time", "tz", "days", "skip_dates", "paused", "skip_on", "wrapup_time", "effective_from")
_rules: dict[tuple, Rule] = {}  # rows with the same rule columns share one Rule (channels added together, say)


def _parse(row: dict) -> Schedule:
    return Schedule(row["platform"], row["channel_id"], _rule(row), row["paused_reason"], bool(row["skip_next"]))


def _rule(row: dict) -> Rule:
    key = tuple(row[column] for column in _RULE_COLUMNS)
    found = _rules.get(key)
    if found is None:
        if len(_rules) >= _PARSED_CACHE:
            _rules.clear()
        found = _rules[key] = Rule(
            time=row["time"], tz=row["tz"], days=frozenset(json.loads(row["days"])),
            skip_dates=frozenset(date.fromisoformat(d) for d in json.loads(row["skip_dates"] or "[]")),
            paused=bool(row["paused"]), skip_on=date.fromisoformat(row["skip_on"]) if row["skip_on"] else None,
            wrapup=row["wrapup_time"], effective_from=_stamp_or_none(row["effective_from"]),
        )
    return found


_reported: set[tuple] = set()  # unreadable rows logged already: the scheduler reads every row every 10 s


def readable(store, row: dict) -> Schedule | None:
    """The row's Schedule, or None (logged once) when this version cannot read it, e.g. a stored timezone
    no zone file answers to any more: one such row must not stop every other channel's posts."""
    try:
        return from_row(row)
    except ValueError as exc:  # RuleError, and bad JSON or dates written by hand
        key = (store.label, *row.items())
        if key not in _reported:
            if len(_reported) >= _PARSED_CACHE:
                _reported.clear()
            _reported.add(key)
            where = f"{row['platform']}:{row['channel_id']}"
            log.error("schedule %s is skipped: %s; set it again (/stardrill schedule HH:MM ZONE in that channel, "
                      "or `stardrill schedule add %s --time HH:MM --tz ZONE`); the row is kept until then", where, exc, where)
        return None


def get(store, platform: str, channel: str) -> Schedule | None:
    """The channel's schedule; None without one, or when its row cannot be read (logged, see readable)."""
    row = store.row("SELECT * FROM schedules WHERE platform = ? AND channel_id = ?", (platform, channel))
    return readable(store, row) if row else None


def all_schedules(store) -> list[Schedule]:
    """Every schedule that can be read; an unreadable row is skipped with a log line (see readable)."""
    found = (readable(store, r) for r in store.rows("SELECT * FROM schedules ORDER BY platform, channel_id"))
    return [schedule for schedule in found if schedule is not None]


def fingerprint(store) -> str:
    """Changes whenever any schedule row changes (another process's CLI edit)."""
    rows = store.rows(
        "SELECT platform, channel_id, time, tz, days, skip_dates, paused, skip_next, skip_on, wrapup_time, "
        "effective_from FROM schedules ORDER BY platform, channel_id"
    )
    return f"{len(rows)}:{hash(tuple(tuple(r.values()) for r in rows))}"


def save(store, platform: str, channel: str, rule: Rule, now: datetime) -> None:
    """Create or replace a channel's schedule: active (not paused, no pending skip) from `now` on."""
    store.execute(
        "INSERT INTO schedules (platform, channel_id, time, tz, days, skip_dates, paused, skip_next, wrapup_time, "
        "paused_reason, updated_at, skip_on, effective_from) VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, NULL, ?, NULL, ?) "
        "ON CONFLICT (platform, channel_id) DO UPDATE SET time = excluded.time, tz = excluded.tz, days = excluded.days, "
        "skip_dates = excluded.skip_dates, paused = 0, skip_next = 0, wrapup_time = excluded.wrapup_time, "
        "paused_reason = NULL, updated_at = excluded.updated_at, skip_on = NULL, effective_from = excluded.effective_from",
        (platform, channel, rule.time, rule.tz, json.dumps(sorted(rule.days)),
         json.dumps(sorted(d.isoformat() for d in rule.skip_dates)), rule.wrapup, iso(now), iso(now)),
    )
    notify(store, platform, channel)


def remove(store, platform: str, channel: str) -> bool:
    cur = store.execute("DELETE FROM schedules WHERE platform = ? AND channel_id = ?", (platform, channel))
    notify(store, platform, channel)
    return cur.rowcount == 1


def set_paused(store, platform: str, channel: str, paused: bool, reason: str | None, now: datetime) -> bool:
    """Pause (with a reason) or resume; resuming makes the schedule effective from now (no back-fill)."""
    extra = "" if paused else ", effective_from = ?"
    params = (int(paused), reason if paused else None, iso(now)) + (() if paused else (iso(now),))
    cur = store.execute(
        f"UPDATE schedules SET paused = ?, paused_reason = ?, updated_at = ?{extra} WHERE platform = ? AND channel_id = ?",
        params + (platform, channel),
    )
    notify(store, platform, channel)
    return cur.rowcount == 1


SKIP_ATTEMPTS = 10  # a skip re-reads and retries when another change got in between (see skip_next)


def skip_next(store, platform: str, channel: str, now: datetime) -> date | None:
    """Cancel the next post not skipped yet; returns its local date (None: no schedule, or no post to skip).

    Each skip adds a day, so two skips cancel the next two posts. The day this skip cancels becomes the
    pending one (`skip_on`, shown as "skipping"); a skip still pending from before moves into
    `skip_dates` so that its day stays cancelled (`skip_on` holds one date, and overwriting it brought
    that post back). The row is only changed if it is still as read, so a skip from the command line
    and one from chat at the same moment each cancel a day of their own.
    """
    for _ in range(SKIP_ATTEMPTS):
        row = store.row("SELECT * FROM schedules WHERE platform = ? AND channel_id = ?", (platform, channel))
        if row is None:
            return None
        schedule = from_row(row)
        upcoming = rules.next_fires(schedule.rule, now, 1, ignore_pause=True)  # skips already made are not fire days
        if not upcoming:
            return None
        day = rules.local_day(upcoming[0], schedule.rule.zone)
        if _skip_if_unchanged(store, row, _kept_skip_dates(schedule, now), day, now):
            notify(store, platform, channel)
            return day
    raise StoreError(f"the schedule of {platform}:{channel} kept changing while skipping; try again")


def pending_skip(schedule: Schedule, now: datetime) -> date | None:
    """The day a `skip` cancelled that has not come yet (or is today), else None."""
    skip_on = schedule.rule.skip_on
    if schedule.skip_pending and skip_on is not None and skip_on >= rules.local_day(now, schedule.rule.zone):
        return skip_on
    return None


def _kept_skip_dates(schedule: Schedule, now: datetime) -> frozenset[date]:
    """The schedule's skip dates plus the pending skip, which a new skip must not undo."""
    pending = pending_skip(schedule, now)
    return schedule.rule.skip_dates | ({pending} if pending else set())


def _skip_if_unchanged(store, row: dict, skip_dates: frozenset[date], day: date, now: datetime) -> bool:
    cur = store.execute(
        "UPDATE schedules SET skip_dates = ?, skip_next = 1, skip_on = ?, updated_at = ? "
        "WHERE platform = ? AND channel_id = ? AND skip_dates = ? AND skip_next = ? AND COALESCE(skip_on, '') = ?",
        (json.dumps(sorted(d.isoformat() for d in skip_dates)), day.isoformat(), iso(now),
         row["platform"], row["channel_id"], row["skip_dates"], row["skip_next"], row["skip_on"] or ""),
    )
    return cur.rowcount == 1


def consume_skip(store, platform: str, channel: str, day: date) -> None:
    """The skipped day has come: clear the pending flag (skip_on stays as the record of what was skipped)."""
    store.execute(
        "UPDATE schedules SET skip_next = 0 WHERE platform = ? AND channel_id = ? AND skip_on = ?",
        (platform, channel, day.isoformat()),
    )
