"""Choose the next question: no repeats until the eligible set is exhausted, competencies rotated.

Deterministic, never `random`: among the questions still tied after the rotation and weakness
criteria (sorted by id), one hash of (seed, scope, cycle, step) chooses which, where step counts the
questions already asked in this pass. Every tied question is equally likely, two scopes get
different orders, and the same seed and history give the same question.

Cheap enough for 10,000 channels due in the same minute: one sha256 per pick (hashing every tied
question per channel was most of the fan-out's time), and what does not depend on the channel (the
bank filtered, sorted and split by level) is computed once per bank and kept (`_views`).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

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


NO_FILTERS = Filters()


def _tiebreak(seed: int, scope: str, cycle: int, step: int, tied: int) -> int:
    """Which of `tied` questions (in id order) to ask: uniform, as a 64-bit hash is uniform modulo a small count."""
    digest = hashlib.sha256(f"{seed}|{scope}|{cycle}|{step}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % tied


@dataclass(frozen=True)
class _Entry:
    """A question with what the ranking reads, as sets, computed once."""

    question: Question
    competencies: frozenset[str]
    levels: frozenset[str]


@dataclass(frozen=True)
class _View:
    """An eligible set, sorted by id, with its lookups (depends on the bank and filters, never on a channel)."""

    entries: tuple[_Entry, ...]
    by_id: dict[str, _Entry]
    by_level: dict[frozenset[str], "_View"]  # sub-views for pick_for_level's widening, filled on first use

    @classmethod
    def of(cls, entries: Iterable[_Entry]) -> "_View":
        ordered = tuple(sorted(entries, key=lambda e: e.question.id))
        return cls(ordered, {e.question.id: e for e in ordered}, {})

    def serving(self, levels: frozenset[str]) -> "_View":
        view = self.by_level.get(levels)
        if view is None:
            view = self.by_level[levels] = _View.of(e for e in self.entries if e.levels & levels)
        return view


_VIEW_CACHE_SIZE = 64
_views: "OrderedDict[tuple, tuple[tuple[Question, ...], _View]]" = OrderedDict()
_last_view: dict[Filters, tuple[tuple[Question, ...], _View]] = {}  # per filters, the view used last


def _view(questions: Iterable[Question], filters: Filters) -> _View:
    """The cached view of these question objects under `filters`.

    Keyed by the objects' identities: the entry keeps the objects alive, so an id in a live key can
    never be reused by another object; a bank loaded again is new objects and gets its own entry.
    """
    held = tuple(questions)
    last = _last_view.get(filters)
    if last is not None and last[0] == held:  # the same bank as the last pick, the usual case: no hashing
        return last[1]  # (tuple equality checks identity first, so this is one pass over pointers)
    key = (tuple(map(id, held)), filters)
    found = _views.get(key)
    if found is not None:
        _views.move_to_end(key)
        _last_view[filters] = found
        return found[1]
    view = _View.of(
        _Entry(q, frozenset(q.competencies), frozenset(q.levels)) for q in held if filters.admits(q)
    )
    _views[key] = _last_view[filters] = (held, view)
    if len(_views) > _VIEW_CACHE_SIZE:
        _views.popitem(last=False)
    return view


def pick(
    questions: Iterable[Question],
    used: Sequence[str],
    filters: Filters = NO_FILTERS,
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
    view = _view(questions, filters)
    if not view.entries:
        raise NoQuestion(f"no question matches {filters.describe()}")
    return _pick_in(view, used, seed=seed, scope=scope, weak_competencies=weak_competencies, due=due)


def _pick_in(view: _View, used: Sequence[str], *, seed: int, scope: str, weak_competencies: Sequence[str],
             due: Sequence[str]) -> Question:
    by_id = view.by_id
    for question_id in due:
        if question_id in by_id:
            return by_id[question_id].question
    asked = [qid for qid in used if qid in by_id]
    cycle, step, fresh = _current_cycle(view.entries, asked)
    recent = _recent_competencies(asked, by_id)
    tied = _best_ranked(fresh, recent, {c: i for i, c in enumerate(weak_competencies)})
    if len(tied) == 1:
        return tied[0].question
    return tied[_tiebreak(seed, scope, cycle, step, len(tied))].question


def _best_ranked(fresh: list[_Entry], recent: set[str], weak_rank: dict[str, int]) -> list[_Entry]:
    """The questions tied on (fewest competencies shared with the last ones, weakest competency first)."""
    if not recent and not weak_rank:
        return fresh  # a first question with no scores: every one ties, the hash decides
    unranked = len(weak_rank)

    def rank(entry: _Entry) -> tuple[int, int]:
        overlap = len(entry.competencies & recent)
        weakness = min((weak_rank.get(c, unranked) for c in entry.competencies), default=0)
        return overlap, weakness

    ranks = [rank(e) for e in fresh]
    best = min(ranks)
    return [e for e, r in zip(fresh, ranks) if r == best]


def _current_cycle(eligible: tuple[_Entry, ...], asked: list[str]) -> tuple[int, int, list[_Entry]]:
    """(pass number, questions asked in this pass, those not yet asked); a new pass starts when all were."""
    size = len(eligible)
    cycle = 0
    seen: set[str] = set()
    for qid in asked:
        seen.add(qid)
        if len(seen) == size:
            cycle += 1
            seen = set()
    fresh = [e for e in eligible if e.question.id not in seen] if seen else list(eligible)
    if cycle and len(fresh) == size and asked and size > 1:
        # a new pass: do not open it with the question that closed the last one
        fresh = [e for e in fresh if e.question.id != asked[-1]]
    return cycle, len(seen), fresh


def _recent_competencies(asked: list[str], by_id: dict[str, _Entry], window: int = 2) -> set[str]:
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
    pool = _view(questions, filters)
    if filters.level:
        return Choice(_pick_or_raise(pool, used, filters, **kwargs))
    seen = set(used)
    for levels, note in _widening(level):
        tier = pool.serving(levels)
        if any(qid not in seen for qid in tier.by_id):
            return Choice(_pick_or_raise(tier, used, NO_FILTERS, **kwargs), note)
    own = pool.serving(frozenset({level}))
    return Choice(_pick_or_raise(own if own.entries else pool, used, NO_FILTERS, **kwargs))


def _pick_or_raise(view: _View, used: Sequence[str], filters: Filters, *, seed: int = 0, scope: str = "",
                   weak_competencies: Sequence[str] = (), due: Sequence[str] = ()) -> Question:
    if not view.entries:
        raise NoQuestion(f"no question matches {filters.describe()}")
    return _pick_in(view, used, seed=seed, scope=scope, weak_competencies=weak_competencies, due=due)


@lru_cache(maxsize=None)
def _widening(level: str) -> tuple[tuple[frozenset[str], str | None], ...]:
    band = band_of(level)
    order = list(BANDS)
    near = sorted((b for b in order if b != band), key=lambda b: abs(order.index(b) - order.index(band)))
    steps: list[tuple[frozenset[str], str | None]] = [(frozenset({level}), None)]
    steps.append((frozenset(BANDS[band]), f"You have answered every {level.upper()} question, so this one is from the same band."))
    for other in near:
        names = "/".join(lv.upper() for lv in BANDS[other])
        steps.append((frozenset(BANDS[other]), f"You have answered every question for your band, so this one is for {names}."))
    return tuple(steps)
