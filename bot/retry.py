"""Try again now: a new attempt at the same question straight after feedback, and what improved since the last one.

The spaced-repetition return (progress/spaced.py) is untouched: this is the member choosing to go again
at once. In a question's thread the new try goes through the answer form for that question (while the
thread is open); after the wrap-up, or from private practice, it is a private practice on the question.
"""

from __future__ import annotations

import json

from stardrill.messages import ANSWER_SUBMIT, Modal, Outbound, Section, Target, TextInput
from stardrill.picker import Filters
from stardrill.render import seconds_label
from stardrill.store import records
from stardrill.ids import is_row_id, row_id


def press(app, event) -> list[Outbound]:
    """The Try again button: value is the answer tried, or "s:<session id>" from a practice summary."""
    if event.value.startswith("s:"):
        session = records.session(app.store, row_id(event.value[2:])) if is_row_id(event.value[2:]) else None
        if session is None or session["user_id"] != event.actor.user_id:
            return [app.private(event, "That practice session is not yours.", kind="error")]
        return _practice(app, event, session["question_id"], session["channel_id"])
    answer = records.answer(app.store, row_id(event.value)) if is_row_id(event.value) else None
    if answer is None:
        return [app.private(event, "That answer no longer exists.", kind="error")]
    if (answer["platform"], answer["user_id"]) != (event.actor.platform, event.actor.user_id):
        return [app.private(event, "Try again is for the answer's author; to answer yourself, reply in the thread "
                            "(or press Answer on the question).", kind="error")]
    post = records.post(app.store, answer["post_id"]) if answer["post_id"] else None
    if post is None or post["status"] == "wrapped":
        return _practice(app, event, answer["question_id"], answer["channel_id"])
    return [_form(app, event, post, answer)]


def _practice(app, event, question_id: str, channel: str | None) -> list[Outbound]:
    from stardrill import practice  # practice shows this module's section in its feedback: import at use

    return practice.begin(app, event.actor.platform, event.actor.user_id, channel or event.where.channel, Filters(),
                          question_id)


def _form(app, event, post: dict, answer: dict) -> Modal:
    question = app.bank.question(post["question_id"])
    stored = records.feedback_for(app.store, answer["id"])
    fix = f"\nLast time's one fix: {stored['body'].get('top_fix')}" if stored and stored["body"].get("top_fix") else ""
    intro = f"Try again: {question.text}{fix}\nYour new feedback will show what improved since this try."
    target = Target(event.actor.platform, event.where.channel, event.where.thread, private_to=event.actor.user_id)
    fields = (TextInput("answer", "Your new answer (Situation, Task, Action, Result, what you learned)", max_length=4000),)
    return Modal(event.actor.user_id, "Try again", ANSWER_SUBMIT, str(post["id"]), fields, intro, target)


def previous_try(app, platform: str, user_id: str, question_id: str, before: int) -> dict | None:
    """The member's latest whole answer to this question before answer `before`, with its stored feedback."""
    row = app.store.row(
        "SELECT a.id, a.local_date, f.body FROM answers a JOIN feedback f ON f.answer_id = a.id "
        "WHERE a.platform = ? AND a.user_id = ? AND a.probe_index IS NULL AND a.question_id = ? AND a.id < ? "
        "ORDER BY a.id DESC LIMIT 1",
        (platform, user_id, question_id, before),
    )
    if row:
        row["body"] = json.loads(row["body"])
    return row


def since_last_try(app, platform: str, user_id: str, question_id: str, scored) -> tuple[Section, ...]:
    """What changed against the previous try of the same question; nothing on a first try."""
    before = previous_try(app, platform, user_id, question_id, scored.answer_id)
    if before is None:
        return ()
    old, new = before["body"], scored.feedback
    was = {c["id"]: c["status"] for c in old.get("criteria", [])}
    now_met = [c.label for c in new.criteria if c.status == "met" and was.get(c.id) != "met"]
    slipped = [c.label for c in new.criteria if c.status != "met" and was.get(c.id) == "met"]
    still = [c.label for c in new.criteria if c.status != "met" and was.get(c.id) != "met"]
    delta = new.score - old.get("score", 0)
    lines = [f"Score {old.get('score', 0)} → {new.score} ({delta:+d})."]
    lines.append("Now met: " + (", ".join(now_met) if now_met else "nothing new this time") + ".")
    if slipped:
        lines.append("Met last time, not now: " + ", ".join(slipped) + ".")
    if still:
        lines.append("Still to meet: " + ", ".join(still) + ".")
    if old.get("estimated_seconds") and new.estimated_seconds:
        lines.append(f"Spoken: {seconds_label(old['estimated_seconds'])} → {seconds_label(new.estimated_seconds)} "
                     f"(target {seconds_label(new.target_seconds)}).")
    return (Section(f"Since your last try (#{before['id']}, {before['local_date']})", "\n".join(lines)),)
