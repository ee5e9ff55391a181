"""The daily thread: question posted -> answers collected -> feedback per answer -> probes on request -> wrap-up."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from stardrill import answers, blind, render, retry, scoring
from stardrill.content_models import LevelProfile, Question
from stardrill.events import MessagePosted
from stardrill.feedback import evaluate
from stardrill.messages import ANSWER, CONTRAST, PROBE, RETRY, REVIEW, Button, Message, Outbound, Section, Target
from stardrill.picker import Filters, pick_for_level
from stardrill.progress import team as team_summary
from stardrill.store import records
from stardrill.ids import is_row_id, row_id

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChannelState:
    """What claiming a channel's question reads (the scheduler reads it for many channels at once)."""

    row: dict  # the channels row
    asked: list[str]  # question ids posted to the channel, oldest first
    weak: list[str]  # competencies of its recent questions, weakest team score first
    latest: dict | None  # its latest post that did not fail (id, status), before this claim


def channel_state(app, platform: str, channel: str) -> ChannelState:
    row = records.ensure_channel(app.store, platform, channel, app.stamp())
    latest = records.latest_post(app.store, platform, channel)
    return ChannelState(row, records.channel_history(app.store, platform, channel),
                        weak_team_competencies(app, platform, channel), latest)


def claim_question(app, platform: str, channel: str, *, slot: str = "daily", local_date: str | None = None,
                   state: ChannelState | None = None) -> Message | None:
    """Claim today's post for a channel and build the question message; None if already claimed."""
    state = state or channel_state(app, platform, channel)
    local_date = local_date or app.local_date(platform, channel)
    level = app.bank.level(state.row["level"] or app.default_level)
    question = pick_for_level(app.bank.questions.values(), state.asked, Filters(), level.id, seed=app.seed,
                              scope=f"{platform}:{channel}", weak_competencies=state.weak).question
    post_id = records.claim_post(app.store, platform, channel, local_date, slot, question.id, level.id, app.stamp())
    if post_id is None:
        return None
    return question_message(app, platform, channel, post_id, question, blind=bool(state.row["blind"]), level=level)


def manual_slot(app, platform: str, channel: str) -> str:
    """`/stardrill now` posts an extra question; each gets its own slot so it never collides with the daily one."""
    return f"now-{records.count_slots(app.store, platform, channel, app.local_date(platform, channel)) + 1}"


def question_message(app, platform: str, channel: str, post_id: int, question: Question, blind: bool,
                     level: LevelProfile | None = None) -> Message:
    level = level or app.level_for(platform, "", channel)
    sections = render.question_sections(app.bank, question, level)
    how = ("Answers are collected privately with the Answer button and revealed together at wrap-up."
           if blind else "Reply in this thread with your answer (or press Answer to write it in a form); "
           "each answer gets its own feedback.")
    sections += (Section("How to answer", how),)
    buttons = (Button("Answer", ANSWER, str(post_id)),)
    text = f"Today's question: {question.text}"
    return Message(Target(platform, channel), text, sections, buttons, kind="question", opens_thread=True, track=f"post:{post_id}")


WEAK_WINDOW = 30  # recent questions whose team scores rank the competencies


def weak_team_competencies(app, platform: str, channel: str, window: int = WEAK_WINDOW) -> list[str]:
    """Competencies of this channel's recent questions, weakest average score first."""
    rows = app.store.rows(
        "SELECT p.question_id, AVG(f.score) AS avg FROM posts p JOIN answers a ON a.post_id = p.id "
        "JOIN feedback f ON f.answer_id = a.id WHERE p.platform = ? AND p.channel_id = ? "
        "GROUP BY p.id ORDER BY p.id DESC LIMIT ?",
        (platform, channel, window),
    )
    return weakest_first(app, rows)


def weakest_first(app, rows: list[dict]) -> list[str]:
    """Competencies of these scored questions (question_id, avg), weakest average first."""
    scores: dict[str, list[float]] = {}
    for row in rows:
        question = app.bank.questions.get(row["question_id"])
        for competency in question.competencies if question else []:
            scores.setdefault(competency, []).append(row["avg"])
    return sorted(scores, key=lambda c: (sum(scores[c]) / len(scores[c]), c))


def on_thread_reply(app, event: MessagePosted) -> list[Outbound]:
    post = records.post_by_thread(app.store, event.actor.platform, event.where.thread)
    if post is None:
        return []  # a thread that is not one of our questions
    if blind.is_blind(app, post):
        return blind.refuse_thread_reply(app, event, post)
    pending = records.active_session(app.store, event.actor.platform, event.actor.user_id, kind="thread", post_id=post["id"])
    if pending is not None:
        return on_probe_reply(app, event, post, pending)
    channel = records.ensure_channel(app.store, post["platform"], post["channel_id"], app.stamp())
    return take_answer(app, event, post, event.text, private=bool(channel["private_feedback"]))


def score_ahead(app, event: MessagePosted) -> None:
    """Score the answer this thread reply will store, before the worker's transaction (reads only).

    Follows on_thread_reply's reading of the reply: a probe reply is scored as one, a refused reply
    (blind thread, empty) is not scored at all.
    """
    post = records.post_by_thread(app.store, event.actor.platform, event.where.thread)
    if post is None or blind.is_blind(app, post):
        return
    text = answers.clean(event.text)
    if answers.check_answer(text):
        return
    question = app.bank.question(post["question_id"])
    pending = records.active_session(app.store, event.actor.platform, event.actor.user_id, kind="thread", post_id=post["id"])
    if pending is not None:
        scoring.ahead(app.bank, text, question, app.bank.level(pending["level"]), question.probes[pending["probe_index"]])
    else:
        scoring.ahead(app.bank, text, question, app.level_for(event.actor.platform, event.actor.user_id, post["channel_id"]))


def take_answer(app, event, post: dict, raw: str, *, private: bool, hidden: bool = False) -> list[Outbound]:
    text = answers.clean(raw)
    problem = answers.check_answer(text)
    if problem:
        return [app.private(event, problem, kind="error")]
    question = app.bank.question(post["question_id"])
    level = app.level_for(event.actor.platform, event.actor.user_id, post["channel_id"])
    scored = answers.record(
        app, platform=event.actor.platform, user_id=event.actor.user_id, question=question, level=level, text=text,
        channel_id=post["channel_id"], thread_id=post["thread_id"],
        message_id=getattr(event, "message_id", "") or None, post_id=post["id"], hidden=int(hidden),
    )
    return [feedback_message(app, event, post, scored, private=private)]


def feedback_message(app, event, post: dict, scored: answers.Scored, *, private: bool) -> Message:
    who = event.actor.name or event.actor.user_id
    target = Target(post["platform"], post["channel_id"], post["thread_id"], private_to=event.actor.user_id if private else None)
    buttons = (
        Button("Follow-up probe", PROBE, str(scored.answer_id)),
        Button("Show strong vs weak", CONTRAST, str(scored.answer_id)),
        Button("Review this answer", REVIEW, str(scored.answer_id)),
        Button("Try again", RETRY, str(scored.answer_id)),
    )
    headline = render.feedback_headline(scored.feedback, who)
    text = f"{headline}\nTop fix: {scored.feedback.top_fix}"
    progress = retry.since_last_try(app, event.actor.platform, event.actor.user_id, post["question_id"], scored)
    return Message(target, text, render.feedback_sections(scored.feedback) + progress, buttons, kind="feedback")


def ask_probe(app, event, answer: dict) -> list[Outbound]:
    """Post the next follow-up probe for this member's answer, and wait for their reply in the thread."""
    question = app.bank.question(answer["question_id"])
    post = records.post(app.store, answer["post_id"]) if answer["post_id"] else None
    if post is None:
        return [app.private(event, "Probes in a thread follow a daily question; this answer has none.", kind="error")]
    if blind.sealed(app, answer):
        return blind.probe_form(app, event, answer)  # a probe in the thread would show the answer's author
    asked = app.store.row(
        "SELECT COUNT(*) AS n FROM sessions WHERE kind = 'thread' AND post_id = ? AND platform = ? AND user_id = ?",
        (post["id"], answer["platform"], answer["user_id"]),
    )["n"]
    index = asked % len(question.probes)
    records.start_session(app.store, answer["platform"], answer["user_id"], post["channel_id"], question.id, answer["level"], {},
                          app.stamp(), kind="thread", post_id=post["id"], state="awaiting_probe", probe_index=index)
    probe = question.probes[index]
    target = Target(post["platform"], post["channel_id"], post["thread_id"])
    owner = "your" if answer["user_id"] == event.actor.user_id else "the author's"
    text = f"Follow-up probe on {owner} answer: {probe.question} (the author's next reply in this thread answers it)"
    return [Message(target, text, render.probe_sections(probe, index + 1, len(question.probes)), kind="probe")]


def on_probe_reply(app, event: MessagePosted, post: dict, pending: dict) -> list[Outbound]:
    text = answers.clean(event.text)
    problem = answers.check_answer(text)
    if problem:
        return [app.private(event, problem, kind="error")]
    question = app.bank.question(post["question_id"])
    probe = question.probes[pending["probe_index"]]
    level = app.bank.level(pending["level"])
    scored = answers.record(
        app, platform=event.actor.platform, user_id=event.actor.user_id, question=question, level=level, text=text,
        probe=probe, channel_id=post["channel_id"], thread_id=post["thread_id"], message_id=event.message_id or None,
        post_id=post["id"], session_id=pending["id"], probe_index=pending["probe_index"],
    )
    records.update_session(app.store, pending["id"], "done", pending["probe_index"], app.stamp())
    target = Target(post["platform"], post["channel_id"], post["thread_id"])
    text = f"On your reply to the probe \"{probe.question}\""
    buttons = (Button("Another probe", PROBE, str(scored.answer_id)),)
    return [Message(target, text, render.probe_feedback_sections(probe, scored.feedback), buttons, kind="feedback")]


def contrast(app, event, value: str) -> list[Outbound]:
    """Strong vs weak for the question, tied to what this answer did when pressed under feedback."""
    answer = records.answer(app.store, row_id(value)) if is_row_id(value) else None
    if answer is None:
        return [app.private(event, "That answer no longer exists.", kind="error")]
    question = app.bank.question(answer["question_id"])
    # Re-evaluating is deterministic and cheap (< 2 ms), and gives the full Feedback value back.
    feedback = evaluate(answer["text"], question, app.bank.level(answer["level"]))
    text = f"Strong vs weak for: {question.text}"
    return [app.private(event, text, kind="contrast", sections=render.contrast_sections(question, feedback))]


def wrap_up(app, post_id: int) -> Message | None:
    """The end of a question's day: contrast, example answer, team tally, reviews, blind reveal. None if already done."""
    post = records.post(app.store, post_id)
    if post is None or not records.mark_post_wrapped(app.store, post_id, app.stamp()):
        return None
    question = app.bank.question(post["question_id"])
    team = records.answers_for_post(app.store, post_id)
    bodies = [json.loads(a["body"]) for a in team if a["body"]]
    reviews = app.store.row(
        "SELECT COUNT(*) AS n FROM reviews r JOIN answers a ON a.id = r.answer_id WHERE a.post_id = ?", (post_id,)
    )["n"]
    people = len({a["user_id"] for a in team})
    sections = [Section("Participation", f"{people} member(s) answered; {reviews} peer review(s) given.")]
    if bodies:
        sections.append(Section("How the team's answers did per criterion", render.team_tally(question, bodies)))
        sections.append(Section("What the team most often missed", team_summary.most_missed(question, bodies)))
    hidden = [a for a in team if a["hidden"]]
    if hidden:
        reveal = "\n\n".join(f"{a['user_name'] or a['user_id']}: {a['text']}" for a in hidden)
        sections.append(Section("Answers, revealed together", reveal, quote=True))
    sections.extend(render.contrast_sections(question, level=post["level"]))
    target = Target(post["platform"], post["channel_id"], post["thread_id"])
    return Message(target, f"Wrap-up: {question.text}", tuple(sections), kind="wrapup")
