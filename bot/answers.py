"""Storing an answer and its feedback: shared by the daily thread and private practice."""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from stardrill import metrics
from stardrill.content_models import LevelProfile, Probe, Question
from stardrill import scoring
from stardrill.feedback import Feedback
from stardrill.store import records

MAX_STORED_CHARS = 100_000
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Drop control characters (binary junk) but keep newlines and tabs."""
    return CONTROL.sub("", text).strip()


def check_answer(text: str) -> str | None:
    """A reason the text cannot be taken as an answer, or None."""
    if not text:
        return "That reply is empty. Write your answer as a message (a few sentences in STAR order)."
    if len(text) > MAX_STORED_CHARS:
        return f"That reply is {len(text):,} characters; answers are limited to {MAX_STORED_CHARS:,}. Trim it and send again."
    return None


@dataclass(frozen=True)
class Scored:
    answer_id: int
    feedback: Feedback


def record(
    app, *, platform: str, user_id: str, question: Question, level: LevelProfile, text: str, probe: Probe | None = None,
    zone: ZoneInfo | None = None, **where,
) -> Scored:
    """Store the answer, evaluate it (as a reply to `probe` when given), store the feedback, in one transaction.

    `zone`: the channel's schedule's timezone when the caller read it already (else it is read here).
    """
    started = metrics.started()
    feedback = scoring.evaluate(text, question, level, probe=probe)  # scored ahead by the inbox worker, usually
    with app.store.write():
        answer_id = records.add_answer(
            app.store, platform=platform, user_id=user_id, question_id=question.id, level=level.id, text=text,
            local_date=app.local_date(platform, where.get("channel_id") or "", zone), created_at=app.stamp(), **where,
        )
        records.save_feedback(app.store, answer_id, feedback.score, feedback.verdict, feedback.to_json(), app.stamp())
    metrics.answered(platform, since=started)
    return Scored(answer_id, feedback)
