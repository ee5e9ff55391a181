"""Private practice: question -> answer -> feedback -> probe -> reply -> feedback ... -> summary."""

from __future__ import annotations

from stardrill import answers, render, retry
from stardrill.content_models import COMPETENCIES
from stardrill.events import MessagePosted
from stardrill.messages import PRACTICE_NEXT, PRACTICE_STOP, RETRY, Button, Message, Outbound, Section, Target
from stardrill.picker import Filters, NoQuestion, pick_for_level
from stardrill.progress import plan as progress_plan
from stardrill.store import records
from stardrill.context import UserError
from stardrill.ids import is_row_id, row_id


def parse_filters(app, args: str) -> tuple[Filters, str | None]:
    """`/practice [competency|level|question id]` -> (filters, question id). Raises UserError on unknown words."""

    filters: dict[str, str] = {}
    question_id = None
    for word in args.lower().split():
        if word in app.bank.levels:
            filters["level"] = word
        elif word in COMPETENCIES:
            filters["competency"] = word
        elif word in app.bank.questions:
            question_id = word
        else:
            raise UserError(
                f"'{word}' is not a level, competency or question id. Try `/practice ownership`, `/practice em`, "
                "or see `/stardrill help`."
            )
    return Filters(**filters), question_id


def start(app, event, args: str) -> list[Outbound]:
    words = args.lower().split()
    if words[:1] == ["quiz"]:
        from stardrill import quiz

        return quiz.start(app, event, words[1:])
    filters, question_id = parse_filters(app, args)
    return begin(app, event.actor.platform, event.actor.user_id, event.where.channel, filters, question_id)


def begin(app, platform: str, user_id: str, channel: str, filters: Filters, question_id: str | None = None) -> list[Outbound]:

    plan = progress_plan.for_member(app, platform, user_id)  # spaced repetition, new ground, interview prep
    filters = plan.narrow(filters)
    level = app.level_for(platform, user_id, override=filters.level)
    widened: tuple[Section, ...] = ()
    if question_id:
        question = app.bank.question(question_id)
    else:
        used = records.user_question_history(app.store, platform, user_id)
        try:
            choice = pick_for_level(app.bank.questions.values(), used, filters, level.id, seed=app.seed,
                                    scope=f"{platform}:{user_id}", weak_competencies=plan.focus.competencies,
                                    due=plan.focus.due)
        except NoQuestion as exc:
            raise UserError(f"{exc}. Try fewer filters.") from None
        question = choice.question
        widened = (Section("Beyond your level", choice.note),) if choice.note else ()
    left_open = _left_open(app, platform, user_id)  # start_session closes it: say so rather than drop it silently
    session_id = records.start_session(app.store, platform, user_id, channel, question.id, level.id, vars(filters), app.stamp())
    sections = left_open + render.question_sections(app.bank, question, level) + widened + plan.notes(question.id) + (
        Section("How to answer", "Reply here with your answer. You'll get feedback, then follow-up probes."),
    )
    target = Target(platform, channel, direct_to=user_id)
    buttons = (Button("Stop", PRACTICE_STOP, str(session_id)),)
    return [Message(target, f"Practice question: {question.text}", sections, buttons, kind="practice")]


def _left_open(app, platform: str, user_id: str) -> tuple[Section, ...]:
    session = records.active_session(app.store, platform, user_id)
    if session is None:
        return ()
    stored = len(records.session_answers(app.store, session["id"]))
    question = app.bank.questions.get(session["question_id"])
    about = f"\u201c{question.text}\u201d" if question else f"question {session['question_id']}"
    text = (f"Your practice on {about} was still open, with {stored} answer(s) stored; it is closed now. "
            "/stardrill history shows what you answered and the feedback.")
    return (Section("Your previous practice", text),)


def on_message(app, event: MessagePosted) -> list[Outbound]:
    session = records.active_session(app.store, event.actor.platform, event.actor.user_id)
    if session is None:
        hint = "No practice is running. Start one with `/practice` (add a competency, level or question id to choose)."
        return [_direct(event.actor.platform, event.where.channel, event.actor.user_id, hint, kind="help")]
    text = answers.clean(event.text)
    problem = answers.check_answer(text)
    if problem:
        return [_direct(event.actor.platform, event.where.channel, event.actor.user_id, problem, kind="error")]
    return _advance(app, event, session, text)


def _advance(app, event, session: dict, text: str) -> list[Outbound]:
    question = app.bank.question(session["question_id"])
    level = app.bank.level(session["level"])
    probe_index = session["probe_index"] if session["state"] == "awaiting_probe" else None
    probe = question.probes[probe_index] if probe_index is not None else None
    scored = answers.record(
        app, platform=session["platform"], user_id=session["user_id"], question=question, level=level, text=text,
        probe=probe, channel_id=event.where.channel, session_id=session["id"], probe_index=probe_index,
        message_id=event.message_id or None,
    )
    out: list[Outbound] = [_feedback(app, session, event, question, scored, probe_index)]
    next_index = 0 if probe_index is None else probe_index + 1
    if next_index < len(question.probes):
        records.update_session(app.store, session["id"], "awaiting_probe", next_index, app.stamp())
        out.append(_probe(session, event, question, next_index))
    else:
        records.update_session(app.store, session["id"], "done", next_index, app.stamp())
        out.append(summary(app, session, event.where.channel))
    return out


def _feedback(app, session: dict, event, question, scored: answers.Scored, probe_index: int | None) -> Message:
    target = Target(session["platform"], event.where.channel, direct_to=session["user_id"])
    if probe_index is None:
        text = f"{render.feedback_headline(scored.feedback)}\nTop fix: {scored.feedback.top_fix}"
        progress = retry.since_last_try(app, session["platform"], session["user_id"], question.id, scored)
        buttons = (Button("Try again", RETRY, str(scored.answer_id)),)
        return Message(target, text, render.feedback_sections(scored.feedback) + progress, buttons, kind="feedback")
    probe = question.probes[probe_index]
    sections = render.probe_feedback_sections(probe, scored.feedback)
    return Message(target, f"On your reply to: {probe.question}", sections, kind="feedback")


def _probe(session: dict, event, question, index: int) -> Message:
    target = Target(session["platform"], event.where.channel, direct_to=session["user_id"])
    probe = question.probes[index]
    buttons = (Button("Stop", PRACTICE_STOP, str(session["id"])),)
    sections = render.probe_sections(probe, index + 1, len(question.probes))
    return Message(target, f"Follow-up: {probe.question}", sections, buttons, kind="probe")


def summary(app, session: dict, channel: str) -> Message:
    rows = records.session_answers(app.store, session["id"])
    question = app.bank.question(session["question_id"])
    main = next((r for r in rows if r["probe_index"] is None), None)
    lines = [f"Question: {question.text}"]
    if main:
        lines.append(f"Main answer: {main['score']}/100 ({main['verdict']})")
    lines.append(f"Probe replies: {sum(1 for r in rows if r['probe_index'] is not None)} of {len(question.probes)}")
    target = Target(session["platform"], channel, direct_to=session["user_id"])
    buttons = (Button("Try again", RETRY, f"s:{session['id']}"), Button("Another question", PRACTICE_NEXT, str(session["id"])),
               Button("Stop", PRACTICE_STOP, str(session["id"])))
    return Message(target, "Practice summary", (Section("Summary", "\n".join(lines)),), buttons, kind="practice")


def next_question(app, event, session_id: str) -> list[Outbound]:
    session = records.session(app.store, row_id(session_id)) if is_row_id(session_id) else None
    if session is None or session["user_id"] != event.actor.user_id:
        return [app.private(event, "That practice session is not yours.", kind="error")]
    filters = Filters(**session["filters"])
    return begin(app, session["platform"], session["user_id"], session["channel_id"] or event.where.channel, filters)


def stop(app, event, session_id: str) -> list[Outbound]:
    session = records.session(app.store, row_id(session_id)) if is_row_id(session_id) else None
    if session is None or session["user_id"] != event.actor.user_id:
        return [app.private(event, "That practice session is not yours.", kind="error")]
    was_open = session["state"] != "done"
    records.update_session(app.store, session["id"], "done", session["probe_index"], app.stamp())
    message = summary(app, session, session["channel_id"] or event.where.channel)
    note = "Practice stopped." if was_open else "This practice had already ended."
    return [Message(message.target, f"{note} {message.text}", message.sections, message.buttons[:2], kind="practice")]


def _direct(platform: str, channel: str, user_id: str, text: str, kind: str) -> Message:
    return Message(Target(platform, channel, direct_to=user_id), text, kind=kind)
