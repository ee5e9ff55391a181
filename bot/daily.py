"""The daily thread: question posted -> answers collected -> feedback per answer -> probes on request -> wrap-up."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from stardrill import answers, blind, render, retry, scoring
from stardrill.content_models import LevelProfile, Question
from stardrill.clock import iso
from stardrill.context import NotYet, zone_of
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
    question, level = _next_question(app, platform, channel, state)
    post_id = records.claim_post(app.store, platform, channel, local_date, slot, question.id, level.id, app.stamp())
    if post_id is None:
        return None
    return question_message(app, platform, channel, post_id, question, blind=bool(state.row["blind"]), level=level)


def claim_questions(app, platform: str, wanted: list[tuple[str, str, ChannelState]], *, slot: str = "daily") -> dict[str, Message]:
    """claim_question for many channels of one platform, (channel, local date, state) each, in ONE insert (10,000
    channels due in the same minute). Each claim stands under the same UNIQUE key: a channel claimed before (by a
    racing run, an earlier life of the process) is left out of the result, never posted twice."""
    picked = [(channel, local_date, state, *_next_question(app, platform, channel, state)) for channel, local_date, state in wanted]
    claimed = records.claim_posts(app.store, platform, slot, [(channel, local_date, question.id, level.id)
                                                              for channel, local_date, _, question, level in picked], app.stamp())
    return {channel: question_message(app, platform, channel, claimed[channel], question, blind=bool(state.row["blind"]), level=level)
            for channel, _, state, question, level in picked if channel in claimed}


def _next_question(app, platform: str, channel: str, state: ChannelState) -> tuple[Question, LevelProfile]:
    level = app.bank.level(state.row["level"] or app.default_level)
    question = pick_for_level(app.bank.questions.values(), state.asked, Filters(), level.id, seed=app.seed,
                              scope=f"{platform}:{channel}", weak_competencies=state.weak).question
    return question, level


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


@dataclass(frozen=True)
class ThreadReply:
    """What handling a reply in a question's thread reads, read in one statement (records.thread_reply)."""

    post: dict  # the posts row
    blind: bool  # the channel's flags
    private: bool
    level: LevelProfile  # as app.level_for gives it: the member's level, else the channel's, else the default
    zone: ZoneInfo  # the channel's schedule's timezone (as app.channel_zone gives it)
    probing: bool  # the member has an open probe session on this post (their reply answers the probe)


def thread_reply(app, event: MessagePosted, *, create_channel: bool) -> ThreadReply | None:
    """None for a thread that is not one of our questions. `create_channel`: store the channel's row when it has
    none yet (as records.ensure_channel does); without, a missing row reads as its defaults."""
    found = records.thread_reply(app.store, event.actor.platform, event.where.thread, event.actor.user_id)
    if found is None:
        return None
    post, about = found
    if about["channel"] is None and create_channel:
        channel = records.ensure_channel(app.store, post["platform"], post["channel_id"], app.stamp())
        about.update(blind=channel["blind"], private_feedback=channel["private_feedback"], channel_level=channel["level"])
    return ThreadReply(post, bool(about["blind"]), bool(about["private_feedback"]),
                       app.level_from(about["member_level"], about["channel_level"]), zone_of(about["tz"]),
                       about["probe_session"] is not None)


def probe_session(app, event: MessagePosted, reply: ThreadReply) -> dict | None:
    """The member's open probe session on the thread's post (read only when there is one)."""
    if not reply.probing:
        return None
    return records.active_session(app.store, event.actor.platform, event.actor.user_id, kind="thread", post_id=reply.post["id"])


POSTING_FOR = timedelta(minutes=10)  # a question claimed longer ago than this is stuck, not being posted


def on_thread_reply(app, event: MessagePosted) -> list[Outbound]:
    reply = thread_reply(app, event, create_channel=True)
    if reply is None:
        if question_being_posted(app, event):
            raise NotYet("a thread reply while the channel's question is being posted")
        return []  # a thread that is not one of our questions
    post = reply.post
    if reply.blind:
        return blind.refuse_thread_reply(app, event, post)
    pending = probe_session(app, event, reply)
    if pending is not None:
        return on_probe_reply(app, event, post, pending, zone=reply.zone)
    return take_answer(app, event, post, event.text, private=reply.private, level=reply.level, zone=reply.zone)


def question_being_posted(app, event: MessagePosted) -> bool:
    """This reply's thread may be the channel's latest question's: that question was claimed recently and is not
    stored as sent yet (a member can answer before the bot has stored the thread id), or it was stored just now,
    after this flow looked the thread up (PostgreSQL's statements each see what has committed when they run)."""
    latest = records.latest_post(app.store, event.actor.platform, event.where.channel)
    if latest is None:
        return False
    if latest["thread_id"] == event.where.thread:
        return True
    return (latest["status"] == "claimed" and latest["message_id"] is None
            and latest["claimed_at"] >= iso(app.now() - POSTING_FOR))


def score_ahead(app, event: MessagePosted) -> None:
    """Score the answer this thread reply will store, before the worker's transaction (reads only).

    Follows on_thread_reply's reading of the reply: a probe reply is scored as one, a refused reply
    (blind thread, empty) is not scored at all.
    """
    reply = thread_reply(app, event, create_channel=False)
    if reply is None or reply.blind:
        return
    post = reply.post
    text = answers.clean(event.text)
    if answers.check_answer(text):
        return
    question = app.bank.question(post["question_id"])
    pending = probe_session(app, event, reply)
    if pending is not None:
        scoring.ahead(app.bank, text, question, app.bank.level(pending["level"]), question.probes[pending["probe_index"]])
    else:
        scoring.ahead(app.bank, text, question, reply.level)


def take_answer(app, event, post: dict, raw: str, *, private: bool, hidden: bool = False,
                level: LevelProfile | None = None, zone: ZoneInfo | None = None) -> list[Outbound]:
    """`level` and `zone` (the member's level, the channel's timezone) when the caller read them already."""
    text = answers.clean(raw)
    problem = answers.check_answer(text)
    if problem:
        return [app.private(event, problem, kind="error")]
    question = app.bank.question(post["question_id"])
    level = level or app.level_for(event.actor.platform, event.actor.user_id, post["channel_id"])
    scored = answers.record(
        app, platform=event.actor.platform, user_id=event.actor.user_id, question=question, level=level, text=text,
        channel_id=post["channel_id"], thread_id=post["thread_id"],
        message_id=getattr(event, "message_id", "") or None, post_id=post["id"], hidden=int(hidden), zone=zone,
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


def on_probe_reply(app, event: MessagePosted, post: dict, pending: dict, *, zone: ZoneInfo | None = None) -> list[Outbound]:
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
        post_id=post["id"], session_id=pending["id"], probe_index=pending["probe_index"], zone=zone,
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
