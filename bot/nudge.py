"""The opt-in nudge: `/stardrill nudge on [HH:MM]` posts one reminder in the open question's thread at that
local time, saying how many members have answered so far. It never names anyone, least of all who has not
answered: a reminder, not a register.

The schedule service asks `due(app, now, platforms)` on every tick; each reminder is claimed in SQLite
(posts.nudged_at) before it is handed over, so restarts and racing processes send it once.
"""

from __future__ import annotations

from datetime import date, datetime

from stardrill.context import UserError
from stardrill.messages import ANSWER, Button, Message, Outbound, Target
from stardrill.schedules import repo, rules
from stardrill.store import records

DEFAULT_TIME = "15:00"  # two hours before the default 17:00 wrap-up
USAGE = "Usage: /stardrill nudge on [HH:MM] (default 15:00, this channel's time) | off"


def command(app, event, args: str) -> list[Outbound]:
    """`/stardrill nudge on [HH:MM]`, `off`, or nothing for the current setting (admins)."""
    platform, channel = event.actor.platform, event.where.channel
    row = records.ensure_channel(app.store, platform, channel, app.stamp())
    words = args.lower().split()
    if not words:
        state = f"on at {row['nudge_time']}" if row["nudge_time"] else "off"
        return [app.private(event, f"The nudge is {state} in this channel. {USAGE}")]
    if words[0] == "off" and len(words) == 1:
        records.set_channel_flag(app.store, platform, channel, "nudge_time", None)
        return [app.private(event, "Nudge off: no reminder in the question's thread.")]
    if words[0] != "on" or len(words) > 2:
        raise UserError(USAGE)
    try:
        when = rules.parse_time(words[1]) if len(words) == 2 else DEFAULT_TIME
    except rules.RuleError as exc:
        raise UserError(f"{exc}. {USAGE}") from None
    records.set_channel_flag(app.store, platform, channel, "nudge_time", when)
    zone = app.channel_zone(platform, channel).key
    return [app.private(event, f"Nudge on: at {when} ({zone}) one message in the open question's thread says how "
                        "many have answered so far, never who has not.")]


def due(app, now: datetime, platforms: set[str]) -> list[Message]:
    """Reminders due at `now` for channels on these platforms, each claimed so it is sent once."""
    out = []
    for post in _open_posts_with_a_nudge(app):
        if post["platform"] in platforms and _is_time(app, post, now) and _claim(app, post["id"]):
            out.append(message(app, post))
    return out


def _open_posts_with_a_nudge(app) -> list[dict]:
    return app.store.rows(
        "SELECT p.*, c.nudge_time FROM channels c JOIN posts p ON p.id = (SELECT MAX(id) FROM posts "
        "WHERE platform = c.platform AND channel_id = c.channel_id AND status != 'failed') "
        "WHERE c.nudge_time IS NOT NULL AND p.status = 'sent' AND p.nudged_at IS NULL AND p.thread_id IS NOT NULL"
    )


def _is_time(app, post: dict, now: datetime) -> bool:
    """The nudge time has come on the question's own local day, and the question was up before it."""
    zone = app.channel_zone(post["platform"], post["channel_id"])
    if now.astimezone(zone).date().isoformat() != post["local_date"]:
        return False
    when = rules.local_instant(date.fromisoformat(post["local_date"]), post["nudge_time"], zone)
    return when is not None and when <= now and datetime.fromisoformat(post["claimed_at"]) < when


def _claim(app, post_id: int) -> bool:
    cur = app.store.execute("UPDATE posts SET nudged_at = ? WHERE id = ? AND nudged_at IS NULL", (app.stamp(), post_id))
    return cur.rowcount == 1


def message(app, post: dict) -> Message:
    answered = app.store.row(
        "SELECT COUNT(DISTINCT platform || ':' || user_id) AS n FROM answers WHERE post_id = ? AND probe_index IS NULL",
        (post["id"],),
    )["n"]
    blind = bool(records.ensure_channel(app.store, post["platform"], post["channel_id"], app.stamp())["blind"])
    how = "press Answer (answers are revealed together at wrap-up)" if blind else "reply in this thread, or press Answer"
    if answered == 0:
        text = f"Nobody has answered yet: be the first. To answer, {how}."
    else:
        who = "1 member has" if answered == 1 else f"{answered} members have"
        text = f"Reminder: {who} answered today's question so far. There is still time to add yours: {how}."
    wrap = _wrapup_time(app, post)
    if wrap:
        text += f" The thread is wrapped up at {wrap}."
    target = Target(post["platform"], post["channel_id"], post["thread_id"])
    return Message(target, text, buttons=(Button("Answer", ANSWER, str(post["id"])),), kind="nudge")


def _wrapup_time(app, post: dict) -> str | None:
    schedule = repo.get(app.store, post["platform"], post["channel_id"])
    return rules.wrapup_time(schedule.rule) if schedule else None
