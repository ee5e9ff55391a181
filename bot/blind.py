"""Blind mode: answers are collected privately and revealed together at wrap-up.

The promise: before the reveal nobody else sees an answer or the name of who answered. So a
reply typed in the question's thread is not taken (it is removed where the platform lets the bot
remove it, else the author is asked to delete it) and the author gets the Answer button privately;
a hidden answer cannot be reviewed, and its follow-up probes are asked and answered in a form.
"""

from __future__ import annotations

from stardrill import answers, render
from stardrill.messages import ANSWER, PROBE, PROBE_SUBMIT, Button, Message, Modal, Outbound, Retract, Section, Target, TextInput
from stardrill.store import records
from stardrill.ids import is_row_id, row_id

NOT_YET = "In blind mode answers stay private until they are revealed together at wrap-up."


def is_blind(app, post: dict) -> bool:
    """Answers to this question are collected privately (the channel is blind and the reveal has not happened)."""
    if post["status"] == "wrapped":
        return False
    return bool(records.ensure_channel(app.store, post["platform"], post["channel_id"], app.stamp())["blind"])


def sealed(app, answer: dict) -> bool:
    """A hidden answer whose question has not been wrapped up yet: nobody but its author may see it."""
    if not answer["hidden"]:
        return False
    post = records.post(app.store, answer["post_id"]) if answer["post_id"] else None
    return post is not None and post["status"] != "wrapped"


def refuse_thread_reply(app, event, post: dict) -> list[Outbound]:
    """A reply in a blind question's thread: not an answer. Remove it if we can; hand the author the Answer button."""
    author = event.actor.user_id
    if event.removable and event.message_id:
        done = "I removed your reply from the thread so nobody anchors on it; it is not counted."
    else:
        done = ("Your reply in the thread is not counted, and I can't remove it for you here (only you can delete "
                "your own message on this platform): please delete it yourself.")
    text = (f"This question is in blind mode: answers are collected privately and revealed together at wrap-up. {done} "
            "Press Answer to send it privately; your words are below to paste into the form.")
    sections = (Section("What you wrote", event.text, quote=True),)
    note = Message(Target(event.actor.platform, event.where.channel, direct_to=author), text, sections,
                   (Button("Answer", ANSWER, str(post["id"])),), kind="info")
    out: list[Outbound] = [note]
    if event.removable and event.message_id:
        # After the note, so an adapter whose removal fails can correct it with a second private line.
        out.append(Retract(Target(event.actor.platform, event.where.channel, event.where.thread), event.message_id, author))
    return out


def probe_form(app, event, answer: dict) -> list[Outbound]:
    """The next follow-up probe on a hidden answer, asked and answered in a form only its author sees."""
    if answer["user_id"] != event.actor.user_id or answer["platform"] != event.actor.platform:
        return [app.private(event, NOT_YET, kind="error")]
    question = app.bank.question(answer["question_id"])
    index = _probes_answered(app, answer) % len(question.probes)
    probe = question.probes[index]
    intro = f"Follow-up probe {index + 1} of {len(question.probes)}: {probe.question}\nWhat it tests: {probe.probes}"
    fields = (TextInput("answer", "Your reply to the probe", max_length=4000),)
    target = Target(event.actor.platform, event.where.channel, event.where.thread, private_to=event.actor.user_id)
    return [Modal(event.actor.user_id, "Follow-up probe", PROBE_SUBMIT, f"{answer['id']}:{index}", fields, intro, target)]


def probe_submit(app, event) -> list[Outbound]:
    """A probe answered in the form: stored hidden with its probe index, feedback privately."""
    answer_id, _, index = event.value.partition(":")
    answer = records.answer(app.store, row_id(answer_id)) if is_row_id(answer_id) else None
    if answer is None or not is_row_id(index):
        return [app.private(event, "That answer no longer exists; your reply was not stored.", kind="error")]
    if answer["user_id"] != event.actor.user_id or answer["platform"] != event.actor.platform:
        return [app.private(event, NOT_YET, kind="error")]
    text = answers.clean(event.fields.get("answer", ""))
    problem = answers.check_answer(text)
    if problem:
        return [app.private(event, problem, kind="error")]
    question = app.bank.question(answer["question_id"])
    probe = question.probes[int(index) % len(question.probes)]
    post = records.post(app.store, answer["post_id"])
    scored = answers.record(
        app, platform=answer["platform"], user_id=answer["user_id"], question=question, level=app.bank.level(answer["level"]),
        text=text, probe=probe, channel_id=post["channel_id"], thread_id=post["thread_id"], post_id=post["id"],
        probe_index=int(index) % len(question.probes), hidden=1,
    )
    target = Target(post["platform"], post["channel_id"], post["thread_id"], private_to=answer["user_id"])
    buttons = (Button("Another probe", PROBE, str(scored.answer_id)),)
    sections = render.probe_feedback_sections(probe, scored.feedback)
    return [Message(target, f"On your reply to the probe \"{probe.question}\"", sections, buttons, kind="feedback")]


def _probes_answered(app, answer: dict) -> int:
    return app.store.row(
        "SELECT COUNT(*) AS n FROM answers WHERE post_id = ? AND platform = ? AND user_id = ? AND probe_index IS NOT NULL",
        (answer["post_id"], answer["platform"], answer["user_id"]),
    )["n"]
