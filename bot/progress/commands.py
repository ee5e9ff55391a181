"""Progress subcommands of /stardrill. Registered in bot/commands.py SUBCOMMANDS; handlers are f(app, event, args)."""

from __future__ import annotations

from datetime import date, timedelta

from stardrill.messages import Outbound, Target
from stardrill.progress import digest, export, history, prep, privacy, stats, stories
from stardrill.store import records
from stardrill.context import UserError
from stardrill.ids import is_row_id


def _private_target(event) -> Target:
    return Target(event.actor.platform, event.where.channel, event.where.thread, private_to=event.actor.user_id)


def _error(text: str):

    return UserError(text)


def stats_command(app, event, args: str) -> list[Outbound]:
    return [stats.build(app, event.actor.platform, event.actor.user_id, _private_target(event), event.where.channel)]


def history_command(app, event, args: str) -> list[Outbound]:
    answer_id = args.strip().lstrip("#")
    if not answer_id:
        return [history.listing(app, event.actor.platform, event.actor.user_id, _private_target(event))]
    if not is_row_id(answer_id):
        raise _error("Usage: /stardrill history [ANSWER_ID] (ids are listed by /stardrill history).")
    return [history.one(app, event.actor.platform, event.actor.user_id, answer_id, _private_target(event))]


def digest_command(app, event, args: str) -> list[Outbound]:
    """`/stardrill digest on|off|now` (admins): opt the channel in to the weekly digest, or post it now."""
    value = args.strip().lower()
    platform, channel = event.actor.platform, event.where.channel
    if value == "now":
        message = digest.build_digest(app, platform, channel, date.fromisoformat(app.local_date(platform, channel)), force=True)
        return [message] if message else []
    if value not in {"on", "off"}:
        raise _error("Usage: /stardrill digest on|off|now")
    records.ensure_channel(app.store, platform, channel, app.stamp())
    records.set_channel_flag(app.store, platform, channel, "digest", int(value == "on"))
    text = ("Weekly digest on: participation, the most improved criterion and the best discussion, never scores."
            if value == "on" else "Weekly digest off.")
    return [app.private(event, text)]


def leaderboard_command(app, event, args: str) -> list[Outbound]:
    """`/stardrill leaderboard on|off` (admins) enables the participation board; without arguments, shows it."""
    value = args.strip().lower()
    platform, channel = event.actor.platform, event.where.channel
    row = records.ensure_channel(app.store, platform, channel, app.stamp())
    if value in {"on", "off"}:
        if not app.is_admin(platform, event.actor.user_id, event.actor.is_admin):
            raise _error("Only channel admins (or STARDRILL_ADMIN_USERS) can turn the leaderboard on or off.")
        records.set_channel_flag(app.store, platform, channel, "leaderboard", int(value == "on"))
        text = ("Leaderboard on: it shows participation (answers and days answered), never scores, and never names "
                "members with privacy on." if value == "on" else "Leaderboard off.")
        return [app.private(event, text)]
    if value:
        raise _error("Usage: /stardrill leaderboard [on|off]")
    if not row["leaderboard"]:
        raise _error("This channel has no leaderboard; a channel admin can enable one with /stardrill leaderboard on.")
    end = date.fromisoformat(app.local_date(platform, channel))
    answers = digest.week_answers(app.store, platform, channel, end - timedelta(days=6), end)
    board = digest.leaderboard(answers)
    return [app.private(event, "Participation over the last 7 days in this channel.", kind="stats", sections=(board,))]


HANDLERS = {
    "stats": stats_command,
    "history": history_command,
    "story": stories.tag,
    "prep": prep.command,
    "digest": digest_command,
    "leaderboard": leaderboard_command,
    "privacy": privacy.command,
    "forget-me": privacy.ask_forget,
    "export": export.command,
}
