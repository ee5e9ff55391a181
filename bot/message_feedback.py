"""Feedback on a message a member already wrote ("Get STAR feedback", a Slack message shortcut).

The member points at a story they told anywhere (a retro, a thread, a DM); they get STAR feedback on it,
privately, read as an answer to the closest question in the bank, or generic when none fits. Only their own
messages: feedback on a teammate's words, asked by someone else, is not theirs to ask for. Nothing is stored:
the story was not told as an answer, so it does not count in their progress.
"""

from __future__ import annotations

from stardrill import answers, closest, render
from stardrill.feedback import evaluate
from stardrill.messages import PRACTICE_NOW, Button, Outbound, Section

NAME = "star_feedback"
NOT_YOURS = ("I only review your own messages: run Get STAR feedback on a message you wrote. "
             "To give a teammate feedback on a daily answer, use Review this answer under it.")


def run(app, event) -> list[Outbound]:
    if event.name != NAME:
        return [app.private(event, f"Unknown shortcut '{event.name}'.", kind="error")]
    if not event.author or event.author != event.actor.user_id:
        return [app.private(event, NOT_YOURS, kind="error")]
    text = answers.clean(event.text)
    problem = answers.check_answer(text)
    if problem:
        return [app.private(event, problem.replace("That reply", "That message"), kind="error")]
    level = app.level_for(event.actor.platform, event.actor.user_id, event.where.channel)
    question = closest.closest(app.bank.questions.values(), text, level.id)
    feedback = evaluate(text, question, level)
    sections = render.feedback_sections(feedback) + (_about(question),)
    headline = f"{render.feedback_headline(feedback)}\nTop fix: {feedback.top_fix}"
    buttons = (Button("Practise this question", PRACTICE_NOW, question.id),) if question else ()
    # Not kind "feedback": nothing was stored, so the member's progress (and home view) has not changed.
    return [app.private(event, headline, kind="info", sections=sections, buttons=buttons)]


def _about(question) -> Section:
    if question is None:
        return Section("Read as", "No question in the bank fits this message closely, so this is general STAR "
                                  "feedback. Not stored: it does not count in your progress.")
    return Section("Read as an answer to", f"{question.text}\nNot stored: it does not count in your progress.")
