"""Slash commands: `/stardrill SUBCOMMAND ...`, `/practice ...`, `/review [ANSWER_ID]`, `/help`.

Subcommands live in one literal table; `ADMIN_ONLY` ones are checked here, server-side,
whatever the platform's own command permissions say.
"""

from __future__ import annotations

from stardrill import daily, nudge, practice, review
from stardrill.messages import Message, Outbound, Section, Target
from stardrill.progress import commands as progress_commands
from stardrill.schedules import commands as schedule_commands
from stardrill.store import records
from stardrill.context import UserError
from stardrill.ids import is_row_id

HELP = """\
/practice [competency|level|question-id]  private practice with feedback and follow-up probes
/practice quiz [competency]     quick multiple-choice questions about what makes an answer strong
/stardrill now                  post a question in this channel now (its thread collects answers)
/stardrill wrapup               wrap up the latest question: strong vs weak, team tally, blind reveal
/stardrill level LEVEL          set your level (sde1, sde2, senior, staff, tl, em, l7)
/stardrill blind on|off         collect answers privately and reveal them at wrap-up
/stardrill private on|off       send feedback privately instead of in the thread
/stardrill nudge on [HH:MM]|off one reminder in the open question's thread: how many answered, never who not (admins)
/stardrill schedule HH:MM [TZ] [days]   post the daily question on a schedule (admins)
/stardrill pause | resume | skip        pause, resume, or skip the next scheduled question (admins)
/stardrill stats                your progress: streak, trends, competencies, stories (private)
/stardrill history [ANSWER_ID]  your last answers with their feedback; an id reopens one in full
/stardrill story NAME [ANSWER_ID]   tag an answer (in its thread: your latest there) as a named story
/stardrill prep YYYY-MM-DD [LEVEL]  practise to a plan until your interview date (prep off ends it)
/stardrill privacy on|off       on: never named in digests or leaderboards
/stardrill forget-me            delete your answers, feedback on them, sessions and story tags
/stardrill export               your answers, feedback and peer reviews as a JSON lines file, only for you
/stardrill digest on|off|now    weekly channel digest: participation, most improved criterion (admins)
/stardrill leaderboard [on|off] participation board, never scores (on|off: admins)
/review [answer-id]             review a teammate's answer against the question's criteria (no id: pick one)
/stardrill help                 this help"""

# What "admin" means on each platform, for the refusal message.
ADMIN_WORDS = {"slack": "workspace admins and owners", "discord": "members with Manage Server", "console": "the operator"}

ADMIN_ONLY = {"now", "wrapup", "blind", "private", "schedule", "pause", "resume", "skip", "digest", "nudge"}


def _user_error(text: str):

    return UserError(text)


def _help(app, event, args: str) -> list[Outbound]:
    # The lead line is a title, not HELP's first line: adapters print the lead and then the section.
    return [app.private(event, "Stardrill commands", kind="help", sections=(Section("Commands", HELP),))]


def _now(app, event, args: str) -> list[Outbound]:
    platform, channel = event.actor.platform, event.where.channel
    out: list[Outbound] = []
    latest = records.latest_post(app.store, platform, channel)
    if latest and latest["status"] == "sent":
        wrap = daily.wrap_up(app, latest["id"])
        if wrap:
            out.append(wrap)
    message = daily.claim_question(app, platform, channel, slot=daily.manual_slot(app, platform, channel))
    if message is None:
        raise _user_error("A question is already being posted here; try again in a moment.")
    return out + [message]


def _wrapup(app, event, args: str) -> list[Outbound]:
    latest = records.latest_post(app.store, event.actor.platform, event.where.channel)
    wrap = daily.wrap_up(app, latest["id"]) if latest else None
    if wrap is None:
        raise _user_error("There is no open question to wrap up in this channel.")
    return [wrap]


def _level(app, event, args: str) -> list[Outbound]:
    level = args.strip().lower()
    if level not in app.bank.levels:
        raise _user_error(f"Usage: /stardrill level LEVEL, one of {', '.join(app.bank.levels)}.")
    records.set_user_field(app.store, event.actor.platform, event.actor.user_id, "level", level)
    return [app.private(event, f"Your level is now {app.bank.level(level).name}; feedback is calibrated to it.")]


def _flag(name: str, column: str, on_text: str, off_text: str):
    def run(app, event, args: str) -> list[Outbound]:
        value = args.strip().lower()
        if value not in {"on", "off"}:
            raise _user_error(f"Usage: /stardrill {name} on|off")
        records.ensure_channel(app.store, event.actor.platform, event.where.channel, app.stamp())
        records.set_channel_flag(app.store, event.actor.platform, event.where.channel, column, int(value == "on"))
        return [app.private(event, on_text if value == "on" else off_text)]

    return run


SUBCOMMANDS = {
    "help": _help,
    "now": _now,
    "wrapup": _wrapup,
    "level": _level,
    "blind": _flag("blind", "blind", "Blind mode on: answers go through the Answer button and are revealed at wrap-up.",
                   "Blind mode off: reply in the thread to answer."),
    "private": _flag("private", "private_feedback", "Feedback will be sent privately to each author.",
                     "Feedback will be posted in the thread."),
    "nudge": nudge.command,
    **progress_commands.HANDLERS,  # stats, history, story, prep, digest, leaderboard, privacy, forget-me, export
    **schedule_commands.SUBCOMMANDS,  # schedule, pause, resume, skip
}


def run(app, event) -> list[Outbound]:
    if event.name == "practice":
        return practice.start(app, event, event.args)
    if event.name == "review":
        return _review(app, event, event.args)
    if event.name == "help":
        return _help(app, event, "")
    sub, _, rest = event.args.strip().partition(" ")
    handler = SUBCOMMANDS.get(sub.lower() or "help")
    if handler is None:
        raise _user_error(f"Unknown command '/stardrill {sub}'. Try /stardrill help.")
    if sub.lower() in ADMIN_ONLY and not app.is_admin(event.actor.platform, event.actor.user_id, event.actor.is_admin):
        raise _user_error(f"Only admins can use /stardrill {sub.lower()}: {ADMIN_WORDS.get(event.actor.platform, 'the operator')}"
                          " or a user listed in STARDRILL_ADMIN_USERS.")
    return handler(app, event, rest)


def _review(app, event, args: str) -> list[Outbound]:
    answer_id = args.strip()
    if not answer_id and not event.where.thread:
        # Slack runs slash commands in the channel, never in a thread: offer the open question's answers.
        return review.picker(app, event)
    if not answer_id:
        answer_id = _latest_answer_by_someone_else(app, event)
    if not answer_id or not is_row_id(answer_id):
        raise _user_error("Usage: /review ANSWER_ID (or run it in a question's thread to review the latest teammate answer).")
    return review.open_form(app, event, answer_id)


def _latest_answer_by_someone_else(app, event) -> str | None:
    if not event.where.thread:
        return None
    post = records.post_by_thread(app.store, event.actor.platform, event.where.thread)
    if post is None:
        return None
    row = app.store.row(
        "SELECT id FROM answers WHERE post_id = ? AND probe_index IS NULL AND NOT (platform = ? AND user_id = ?) "
        "AND (hidden = 0 OR ? = 'wrapped') ORDER BY id DESC LIMIT 1",
        (post["id"], event.actor.platform, event.actor.user_id, post["status"]),
    )
    return str(row["id"]) if row else None


__all__ = ["run", "HELP", "SUBCOMMANDS", "Message", "Target"]
