"""Privacy: opt out of being named in digests and leaderboards; forget-me deletes a member's practice data."""

from __future__ import annotations

from stardrill.messages import FORGET_CONFIRM, Button, Outbound, Section
from stardrill.progress import queries
from stardrill.store import records
from stardrill.context import UserError


def command(app, event, args: str) -> list[Outbound]:
    """`/stardrill privacy on|off`: on = never named in digests or leaderboards (counts stay anonymous)."""

    value = args.strip().lower()
    if value not in {"on", "off"}:
        raise UserError("Usage: /stardrill privacy on|off (on: you are never named in digests or leaderboards).")
    records.set_user_field(app.store, event.actor.platform, event.actor.user_id, "digest_opt_out", int(value == "on"))
    text = ("Privacy on: digests and leaderboards will never name you; your answers still count, anonymously, in team totals."
            if value == "on" else "Privacy off: weekly digests and leaderboards (where a channel enables them) may name you.")
    return [app.private(event, text, kind="info")]


def ask_forget(app, event, args: str) -> list[Outbound]:
    """`/stardrill forget-me`: a confirmation with one button only this member can press."""
    counts = queries.answer_count(app.store, event.actor.platform, event.actor.user_id)
    body = (f"This deletes your {counts} answer(s) with their feedback and probe replies, the peer reviews others gave "
            "on them, your practice sessions and your story tags. Reviews you gave others and your settings stay. "
            "It cannot be undone.")
    button = Button("Yes, delete my answers", FORGET_CONFIRM, event.actor.user_id)
    return [app.private(event, "Forget me: are you sure?", kind="info", sections=(Section("What is deleted", body),),
                        buttons=(button,))]


def confirm_forget(app, event) -> list[Outbound]:
    """The forget_confirm button: only the member it was offered to can press it."""
    if event.value != event.actor.user_id:
        return [app.private(event, "Only the member who asked to be forgotten can confirm it.", kind="error")]
    counts = queries.forget(app.store, event.actor.platform, event.actor.user_id)
    done = ", ".join(f"{n} {what}" for what, n in counts.items())
    return [app.private(event, f"Done: deleted {done}. You can start fresh any time with /practice.", kind="info")]
