"""Button presses and modal submissions, routed through one literal table each."""

from __future__ import annotations

from stardrill import blind, daily, home_actions, practice, quiz, retry, review
from stardrill.messages import (
    ANSWER, ANSWER_SUBMIT, CONTRAST, FORGET_CONFIRM, PRACTICE_NEXT, PRACTICE_NOW, PRACTICE_STOP, PROBE, PROBE_SUBMIT, QUIZ,
    QUIZ_NEXT, RETRY, REVIEW, REVIEW_SUBMIT, SCHEDULE_PAUSE, SCHEDULE_RESUME, SETTINGS, SETTINGS_SUBMIT,
    Modal, Outbound, Target, TextInput,
)
from stardrill.progress import privacy
from stardrill.store import records
from stardrill.ids import is_row_id, row_id


def _probe(app, event) -> list[Outbound]:
    answer = records.answer(app.store, row_id(event.value)) if is_row_id(event.value) else None
    if answer is None:
        return [app.private(event, "That answer no longer exists.", kind="error")]
    return daily.ask_probe(app, event, answer)


def _answer_form(app, event) -> list[Outbound]:
    post = records.post(app.store, row_id(event.value)) if is_row_id(event.value) else None
    if post is None:
        return [app.private(event, "That question is no longer open.", kind="error")]
    question = app.bank.question(post["question_id"])
    target = Target(event.actor.platform, event.where.channel, event.where.thread, private_to=event.actor.user_id)
    fields = (TextInput("answer", "Your answer (Situation, Task, Action, Result, what you learned)", max_length=4000),)
    return [Modal(event.actor.user_id, "Your answer", ANSWER_SUBMIT, str(post["id"]), fields, question.text, target)]


def _answer_submit(app, event) -> list[Outbound]:
    post = records.post(app.store, row_id(event.value)) if is_row_id(event.value) else None
    if post is None:
        return [app.private(event, "That question is no longer open; your answer was not stored.", kind="error")]
    hidden = blind.is_blind(app, post)
    return daily.take_answer(app, event, post, event.fields.get("answer", ""), private=True, hidden=hidden)


BUTTONS = {
    PROBE: _probe,
    CONTRAST: lambda app, event: daily.contrast(app, event, event.value),
    REVIEW: lambda app, event: review.open_form(app, event, event.value),
    ANSWER: _answer_form,
    PRACTICE_NEXT: lambda app, event: practice.next_question(app, event, event.value),
    PRACTICE_STOP: lambda app, event: practice.stop(app, event, event.value),
    FORGET_CONFIRM: privacy.confirm_forget,
    QUIZ: quiz.answer,
    QUIZ_NEXT: lambda app, event: quiz.start(app, event, []),
    RETRY: retry.press,
    PRACTICE_NOW: home_actions.practice_now,
    SETTINGS: home_actions.settings_form,
    SCHEDULE_PAUSE: home_actions.pause,
    SCHEDULE_RESUME: home_actions.resume,
}

MODALS = {
    REVIEW_SUBMIT: review.submit,
    ANSWER_SUBMIT: _answer_submit,
    PROBE_SUBMIT: blind.probe_submit,
    SETTINGS_SUBMIT: home_actions.save_settings,
}


def run(app, event) -> list[Outbound]:
    handler = BUTTONS.get(event.action)
    if handler is None:
        return [app.private(event, f"Unknown button '{event.action}'.", kind="error")]
    return handler(app, event)


def submit(app, event) -> list[Outbound]:
    handler = MODALS.get(event.action)
    if handler is None:
        return [app.private(event, f"Unknown form '{event.action}'.", kind="error")]
    return handler(app, event)


__all__ = ["run", "submit", "Modal"]
