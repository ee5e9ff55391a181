"""Choose the next question: no repeats until the eligible set is exhausted, competencies rotated.

Deterministic: ties are broken by a hash of (seed, scope, cycle, question id), never by `random`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from stardrill.content_models import BANDS, Question, band_of


class NoQuestion(Exception):
    """No question matches the filters."""


@dataclass(frozen=True)
class Filters:
    competency: str | None = None
    level: str | None = None
    tag: str | None = None
    company: str | None = None

    def admits(self, question: Question) -> bool:
        return (
            (self.competency is None or self.competency in question.competencies)
            and (self.level is None or self.level in question.levels)
            and (self.tag is None or self.tag in question.tags)
            and (self.company is None or self.company in question.companies)
        )

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in vars(self).items() if v]
        return ", ".join(parts) or "no filters"


def _tiebreak(seed: int, scope: str, cycle: int, question_id: str) -> str:
    return hashlib.sha256(f"{seed}|{scope}|{cycle}|{question_id}".encode()).hexdigest()


def pick(
    questions: Iterable[Question],
    used: Sequence[str],
    filters: Filters = Filters(),
    *,
    seed: int = 0,
    scope: str = "",
    weak_competencies: Sequence[str] = (),
    due: Sequence[str] = (),
) -> Question:
    """Pick the next question for a channel or member.

    Args:
        questions: the bank.
        used: question ids already asked in this scope, oldest first.
        filters: competency / level / tag / company filters.
        seed: makes the order reproducible.
        scope: the channel or member key, so two channels get different orders.
        weak_competencies: competencies to prefer (weakest first), e.g. where the team scored worst.
        due: question ids to bring back now, most urgent first (spaced repetition, bot/progress/spaced.py);
            the first one the filters admit is asked even if it was asked in this pass.
    """
    eligible = sorted((q for q in questions if filters.admits(q)), key=lambda q: q.id)
    if not eligible:
        raise NoQuestion(f"no question matches {filters.describe()}")
    by_id = {q.id: q for q in eligible}
    for question_id in due:
        if question_id in by_id:
            return by_id[question_id]
    eligible_ids = {q.id for q in eligible}
    asked = [qid for qid in used if qid in eligible_ids]
    cycle, fresh = _current_cycle(eligible, asked)
    recent = _recent_competencies(asked, {q.id: q for q in eligible})
    weak_rank = {c: i for i, c in enumerate(weak_competencies)}

    def rank(q: Question) -> tuple:
        overlap = len(set(q.competencies) & recent)
        weakness = min((weak_rank.get(c, len(weak_rank)) for c in q.competencies), default=0)
        return (overlap, weakness, _tiebreak(seed, scope, cycle, q.id))

    return min(fresh, key=rank)


def _current_cycle(eligible: list[Question], asked: list[str]) -> tuple[int, list[Question]]:
    """Questions not yet asked in the current pass over the eligible set; a new pass starts when all were."""
    size = len(eligible)
    cycle = 0
    seen: set[str] = set()
    for qid in asked:
        seen.add(qid)
        if len(seen) == size:
            cycle += 1
            seen = set()
    fresh = [q for q in eligible if q.id not in seen]
    if cycle and len(fresh) == size and asked and size > 1:
        # a new pass: do not open it with the question that closed the last one
        fresh = [q for q in fresh if q.id != asked[-1]]
    return cycle, fresh


def _recent_competencies(asked: list[str], by_id: dict[str, Question], window: int = 2) -> set[str]:
    recent: set[str] = set()
    for qid in asked[-window:]:
        recent.update(by_id[qid].competencies)
    return recent


@dataclass(frozen=True)
class Choice:
    question: Question
    note: str | None = None  # said to the member when the pick had to widen beyond their level


def pick_for_level(
    questions: Iterable[Question], used: Sequence[str], filters: Filters, level: str, **kwargs
) -> Choice:
    """Pick among questions that serve `level`, widening only when they are used up.

    The member's (or channel's) level comes first; when every question for it was already asked in
    this pass, the rest of its band, then the neighbouring band(s); the note says so. When the whole
    widened set is used up too, a new pass starts over the level's own questions.
    An explicit level filter is never widened: the member asked for exactly that level.
    """
    pool = [q for q in questions if filters.admits(q)]
    if filters.level:
        return Choice(pick(pool, used, filters, **kwargs))
    seen = set(used)
    for levels, note in _widening(level):
        tier = [q for q in pool if set(q.levels) & levels]
        if any(q.id not in seen for q in tier):
            return Choice(pick(tier, used, Filters(), **kwargs), note)
    own = [q for q in pool if level in q.levels] or pool
    return Choice(pick(own, used, Filters(), **kwargs))


def _widening(level: str) -> list[tuple[set[str], str | None]]:
    band = band_of(level)
    order = list(BANDS)
    near = sorted((b for b in order if b != band), key=lambda b: abs(order.index(b) - order.index(band)))
    steps: list[tuple[set[str], str | None]] = [({level}, None)]
    steps.append((set(BANDS[band]), f"You have answered every {level.upper()} question, so this one is from the same band."))
    for other in near:
        names = "/".join(lv.upper() for lv in BANDS[other])
        steps.append((set(BANDS[other]), f"You have answered every question for your band, so this one is for {names}."))
    return steps
