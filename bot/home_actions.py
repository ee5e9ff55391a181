"""What the buttons of the home view do: Practice now, the settings form, and the admins' Pause and Resume.

Each change answers with the refreshed home view (a notice on top says what changed, or why not): the page
the member pressed on is the confirmation, and it has no channel to post a note in.
"""

from __future__ import annotations

import re
from datetime import date

from stardrill import home, practice, workspaces
from stardrill.commands import ADMIN_WORDS
from stardrill.context import UserError
from stardrill.messages import SETTINGS_SUBMIT, Choice, Modal, Outbound, Target, TextInput
from stardrill.picker import Filters
from stardrill.progress import member, prep, queries
from stardrill.schedules import repo
from stardrill.store import records

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PRIVACY = ("on", "off")


def practice_now(app, event) -> list[Outbound]:
    """The same private practice /practice starts (value: a question id to practise that one)."""
    question_id = event.value if event.value in app.bank.questions else None
    actor = event.actor
    return practice.begin(app, actor.platform, actor.user_id, event.where.channel, Filters(), question_id)


def settings_form(app, event) -> list[Outbound]:
    actor = event.actor
    user = queries.user(app.store, actor.platform, actor.user_id) or {}
    level = app.level_for(actor.platform, actor.user_id).id
    fields = (
        Choice("level", "Your level (feedback is calibrated to it)", tuple(app.bank.levels), initial=level),
        Choice("privacy", "Privacy: on = never named in digests or leaderboards", PRIVACY,
               initial="on" if user.get("digest_opt_out") else "off"),
        TextInput("prep_date", "Interview date, YYYY-MM-DD (empty: no interview plan)", multiline=False, required=False,
                  max_length=10, initial=user.get("prep_date") or ""),
    )
    target = Target(actor.platform, event.where.channel, event.where.thread, private_to=actor.user_id)
    return [Modal(actor.user_id, "Your settings", SETTINGS_SUBMIT, "", fields, target=target)]


def save_settings(app, event) -> list[Outbound]:
    try:
        changes = _read_settings(app, event)
    except UserError as exc:
        return [home.for_event(app, event, f"Settings not saved: {exc}")]
    for column, value in changes.items():
        records.set_user_field(app.store, event.actor.platform, event.actor.user_id, column, value)
    return [home.for_event(app, event, "Settings saved.")]


def _read_settings(app, event) -> dict:
    """The users columns to write, checked first so a bad field changes nothing."""
    values = event.fields
    level = (values.get("level") or "").strip().lower()
    if level not in app.bank.levels:
        raise UserError(f"'{level}' is not a level; choose one of {', '.join(app.bank.levels)}.")
    privacy = (values.get("privacy") or "").strip().lower()
    if privacy not in PRIVACY:
        raise UserError("privacy is on or off.")
    changes = {"level": level, "digest_opt_out": int(privacy == "on")}
    typed = (values.get("prep_date") or "").strip()
    if not typed:
        return {**changes, "prep_date": None, "prep_level": None}
    return {**changes, "prep_date": _interview_date(app, event, typed).isoformat()}


def _interview_date(app, event, typed: str) -> date:
    try:
        on = date.fromisoformat(typed) if DATE.match(typed) else None
    except ValueError:
        on = None
    if on is None:
        raise UserError(f"'{typed}' is not a date; write it as YYYY-MM-DD, e.g. 2026-04-15.")
    prep.check_interview_date(on, member.snapshot(app, event.actor.platform, event.actor.user_id).today)
    return on


def pause(app, event) -> list[Outbound]:
    return _set_paused(app, event, True)


def resume(app, event) -> list[Outbound]:
    return _set_paused(app, event, False)


def _set_paused(app, event, paused: bool) -> list[Outbound]:
    actor, channel = event.actor, event.value
    if not app.is_admin(actor.platform, actor.user_id, actor.is_admin):
        who = ADMIN_WORDS.get(actor.platform, "admins")
        return [home.for_event(app, event, f"Only admins ({who}) can pause or resume a schedule.")]
    if workspaces.of(channel) != workspaces.of(actor.user_id):  # a forged button: only the page's own are shown
        return [home.for_event(app, event, "That channel is not in your workspace: you can pause or resume only "
                                           "your own workspace's schedules.")]
    reason = f"paused by {actor.name or actor.user_id}" if paused else None
    if not repo.set_paused(app.store, actor.platform, channel, paused, reason, app.now()):
        return [home.for_event(app, event, "That channel has no schedule any more.")]
    return [home.for_event(app, event, "Schedule paused." if paused else "Schedule resumed.")]
