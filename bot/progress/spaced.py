"""Spaced repetition over a member's answers: what they did poorly comes back, at growing intervals.

Pure: attempts in, reviews out. A question whose latest answer left a tracked criterion unmet
(see tracked.py) comes back 1 day after that answer; if the next try still misses, 3 days after
it, then 7, then every 14 days, until an answer meets all four; then it retires. Several tries on
one day count as one repetition. `focus()` mixes due reviews with competencies never practised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

INTERVALS = (1, 3, 7, 14)  # days between repetitions, then 14 for good


@dataclass(frozen=True)
class Attempt:
    question_id: str
    day: date  # local date of the answer
    unmet: tuple[str, ...]  # tracked criteria not met (weakest first); () means all met


@dataclass(frozen=True)
class Review:
    question_id: str
    due_on: date
    reps: int  # days in a row (of tries) this question left criteria unmet
    unmet: tuple[str, ...]  # what the latest try missed


@dataclass(frozen=True)
class Focus:
    """What the picker should prefer: due question ids first, then these competencies."""

    due: tuple[str, ...] = ()
    competencies: tuple[str, ...] = ()
    reviews: tuple[Review, ...] = ()  # the due reviews behind `due`, for telling the member why


def interval(reps: int) -> int:
    return INTERVALS[min(max(reps, 1), len(INTERVALS)) - 1]


def pending(attempts: Iterable[Attempt]) -> list[Review]:
    """Every question still to be brought back, soonest first (ties: most criteria unmet, then id)."""
    by_question: dict[str, list[Attempt]] = {}
    for attempt in sorted(attempts, key=lambda a: a.day):
        by_question.setdefault(attempt.question_id, []).append(attempt)
    out = []
    for question_id, tries in by_question.items():
        latest = tries[-1]
        if not latest.unmet:
            continue  # met: retired until it is missed again
        missed_days = set()
        for attempt in reversed(tries):
            if not attempt.unmet:
                break
            missed_days.add(attempt.day)
        reps = len(missed_days)
        out.append(Review(question_id, latest.day + timedelta(days=interval(reps)), reps, latest.unmet))
    return sorted(out, key=lambda r: (r.due_on, -len(r.unmet), r.question_id))


def due(attempts: Iterable[Attempt], today: date, weakest: Sequence[str] = ()) -> list[Review]:
    """Reviews due on or before `today`; with `weakest` criteria given, those missing the weakest come first."""
    return by_weakness([r for r in pending(attempts) if r.due_on <= today], weakest)


def by_weakness(reviews: Sequence[Review], weakest: Sequence[str]) -> list[Review]:
    """Reviews that missed the member's weakest criterion first (stable for ties)."""
    rank = {c: i for i, c in enumerate(weakest)}
    return sorted(reviews, key=lambda r: (min((rank.get(c, len(rank)) for c in r.unmet), default=len(rank)), r.due_on, r.question_id))


def uncovered(practised: Iterable[str], universe: Iterable[str]) -> list[str]:
    """Competencies in `universe` (in its order) never practised."""
    seen = set(practised)
    return [c for c in universe if c not in seen]


def focus(reviews: Sequence[Review], never_practised: Sequence[str], practice_count: int, prep: bool = False) -> Focus:
    """Mix reviews with new ground: in prep mode reviews always come first; otherwise every other
    practice question is a review (when one is due) and the rest explore competencies never practised."""
    review_turn = prep or practice_count % 2 == 0 or not never_practised
    chosen = tuple(reviews) if review_turn else ()
    return Focus(tuple(r.question_id for r in chosen), tuple(never_practised), chosen)
