"""A member's story portfolio: real stories named once, reused across questions, overuse flagged."""

from __future__ import annotations

import re

from stardrill.content_models import LEADERSHIP_PRINCIPLES
from stardrill.messages import Outbound, Section
from stardrill.progress import queries
from stardrill.store import records
from stardrill.context import UserError
from stardrill.ids import is_row_id, row_id

MAX_PRINCIPLES = 3  # one story stretched over more principles than this starts to sound like the only story
NAME = re.compile(r"^[\w][\w .'&-]{0,39}$")


def portfolio(app, platform: str, user_id: str) -> dict[str, list[str]]:
    """Story name -> Leadership Principle ids it has been used for (bank order)."""
    used: dict[str, set[str]] = {}
    for row in queries.stories(app.store, platform, user_id):
        question = app.bank.questions.get(row["question_id"])
        principles = {c for c in question.competencies if c in LEADERSHIP_PRINCIPLES} if question else set()
        used.setdefault(row["name"], set()).update(principles)
    order = list(LEADERSHIP_PRINCIPLES)
    return {name: sorted(found, key=order.index) for name, found in used.items()}


def overused(stories: dict[str, list[str]]) -> list[str]:
    return [name for name, principles in stories.items() if len(principles) > MAX_PRINCIPLES]


def section(stories: dict[str, list[str]], limit: int = 12) -> Section | None:
    if not stories:
        return None
    lines = []
    for name in sorted(stories)[:limit]:
        names = ", ".join(LEADERSHIP_PRINCIPLES[p] for p in stories[name]) or "no Leadership Principle yet"
        lines.append(f"• {name}: {names}")
    for name in overused(stories):
        lines.append(f"Warning: '{name}' carries {len(stories[name])} principles. Interviewers notice one story "
                     f"stretched over everything; keep it for its best {MAX_PRINCIPLES} and find another story for the rest.")
    return Section("Your stories", "\n".join(lines))


def tag(app, event, args: str) -> list[Outbound]:
    """`/stardrill story NAME [ANSWER_ID]`: in a question's thread, tags the member's latest answer there."""

    words = args.split()
    answer_id = words.pop() if len(words) > 1 and is_row_id(words[-1]) else None
    name = " ".join(words).strip()
    if not name or not NAME.match(name):
        raise UserError("Usage: /stardrill story NAME [ANSWER_ID] — a short name (up to 40 letters, digits, spaces or - . ' &), "
                        "run in the answer's thread or with the answer id from /stardrill history.")
    platform, user_id = event.actor.platform, event.actor.user_id
    answer = _answer(app, platform, user_id, answer_id, event.where.thread)
    queries.tag_story(app.store, platform, user_id, answer["id"], name, app.stamp())
    stories = portfolio(app, platform, user_id)
    question = app.bank.questions.get(answer["question_id"])
    text = f"Answer {answer['id']} is now part of your story '{name}'" + (f" ({question.text})" if question else "") + "."
    found = section({name: stories.get(name, [])})
    return [app.private(event, text, kind="stats", sections=(found,) if found else ())]


def _answer(app, platform: str, user_id: str, answer_id: str | None, thread: str | None) -> dict:
    if answer_id:
        number = row_id(answer_id)  # None past 64 bits: no answer has it
        answer = records.answer(app.store, number) if number is not None else None
        if answer is None or (answer["platform"], answer["user_id"]) != (platform, user_id) or answer["probe_index"] is not None:
            raise UserError(f"Answer {answer_id} is not one of your answers. /stardrill history lists them with their ids.")
        return answer
    answer = queries.latest_answer_in_thread(app.store, platform, user_id, thread) if thread else None
    if answer is None:
        raise UserError("Run /stardrill story NAME in the thread where you answered, or add the answer id: "
                        "/stardrill story NAME ANSWER_ID (ids are in /stardrill history).")
    return answer
