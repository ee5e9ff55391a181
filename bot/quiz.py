"""`/practice quiz [competency]`: one multiple-choice item at a time, answered with buttons."""

from __future__ import annotations

import hashlib

from stardrill.messages import QUIZ, QUIZ_NEXT, Button, Message, Outbound, Section, Target
from stardrill.picker import Filters, NoQuestion, pick
from stardrill.context import UserError


def start(app, event, words: list[str]) -> list[Outbound]:

    competency = words[0] if words else None
    if competency and competency not in {c for q in app.bank.questions.values() for c in q.competencies}:
        raise UserError(f"'{competency}' is not a competency. Try `/practice quiz ownership`.")
    with_quiz = [q for q in app.bank.questions.values() if q.quiz]
    tried = _tried(app, event.actor.platform, event.actor.user_id)
    used = [key.split("#")[0] for key in tried]
    try:
        question = pick(with_quiz, used, Filters(competency=competency), seed=app.seed, scope=f"quiz:{event.actor.user_id}")
    except NoQuestion:
        raise UserError(f"No quiz items for {competency}. Try `/practice quiz`.") from None
    index = sum(1 for key in tried if key.startswith(question.id + "#")) % len(question.quiz)
    item = question.quiz[index]
    order = option_order(f"{event.actor.platform}:{event.actor.user_id}", question.id, index, len(item.options))
    buttons = tuple(Button(item.options[n], QUIZ, f"{question.id}|{index}|{n}") for n in order)
    target = Target(event.actor.platform, event.where.channel, direct_to=event.actor.user_id)
    sections = (Section("Quiz", item.question), Section("From the question", question.text))
    return [Message(target, f"Quiz: {item.question}", sections, buttons, kind="quiz")]


def option_order(member: str, question_id: str, item: int, count: int) -> list[int]:
    """The options' display order for one member and item: shuffled, but the same every time they see it.

    The bank's authors put the right option anywhere; shuffling per member means no position or
    habit of the authors can be learnt. Button values keep the option's index in the bank.
    """
    key = f"{member}|{question_id}|{item}"
    return sorted(range(count), key=lambda n: hashlib.sha256(f"{key}|{n}".encode()).hexdigest())


def answer(app, event) -> list[Outbound]:
    try:
        question_id, index, chosen = event.value.split("|")
        item = app.bank.question(question_id).quiz[int(index)]
        picked = item.options[int(chosen)]
    except (ValueError, KeyError, IndexError):
        return [app.private(event, "That quiz item is no longer in the bank.", kind="error")]
    correct = int(chosen) == item.answer
    app.store.execute(
        "INSERT INTO quiz_attempts (platform, user_id, question_id, item, chosen, correct, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (event.actor.platform, event.actor.user_id, question_id, int(index), int(chosen), int(correct), app.stamp()),
    )
    verdict = "Right." if correct else f"Not quite: you chose \"{picked}\"; the answer is \"{item.options[item.answer]}\"."
    target = Target(event.actor.platform, event.where.channel, direct_to=event.actor.user_id)
    buttons = (Button("Another quiz question", QUIZ_NEXT, ""),)
    return [Message(target, verdict, (Section("Answer", verdict), Section("Why", item.why)), buttons, kind="quiz")]


def _tried(app, platform: str, user_id: str) -> list[str]:
    rows = app.store.rows(
        "SELECT question_id, item FROM quiz_attempts WHERE platform = ? AND user_id = ? ORDER BY id", (platform, user_id)
    )
    return [f"{r['question_id']}#{r['item']}" for r in rows]
