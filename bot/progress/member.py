"""One member's progress, gathered from the store in a handful of indexed queries (stats, practice plan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from stardrill import context
from stardrill.content_models import LEADERSHIP_PRINCIPLES
from stardrill.progress import queries, spaced, streaks, tracked

WINDOW = 10  # answers in the trend, the timing average and the weakest-criteria ranking


@dataclass(frozen=True)
class Prep:
    on: date  # the interview date
    level: str | None
    days_left: int


@dataclass(frozen=True)
class Snapshot:
    platform: str
    user_id: str
    today: date
    zone: str
    answers: int
    streak: streaks.Streak
    recent: list[dict]  # newest first, with parsed feedback bodies
    practised: frozenset[str]  # competencies of questions answered
    pending: list[spaced.Review]
    prep: Prep | None

    def due(self) -> list[spaced.Review]:
        return [r for r in self.pending if r.due_on <= self.today]

    def weakest(self) -> list[str]:
        return weakest_criteria(self.recent)

    def never_practised_principles(self) -> list[str]:
        return spaced.uncovered(self.practised, LEADERSHIP_PRINCIPLES)


def zone_of(schedule: dict | None) -> ZoneInfo:
    return context.zone_of(schedule["tz"] if schedule else None)  # a bad stored zone must not hide anyone's progress


def local_day(stamp: str, zone: ZoneInfo) -> date:
    return datetime.fromisoformat(stamp).astimezone(zone).date()


def snapshot(app, platform: str, user_id: str, channel: str | None = None) -> Snapshot:
    store = app.store
    schedule = queries.home_schedule(store, platform, user_id, channel)
    zone = zone_of(schedule)
    today = app.now().astimezone(zone).date()
    streak = streaks.compute(queries.answer_days(store, platform, user_id, zone), streaks.rules_from_schedule(schedule), today)
    practised = frozenset(
        c for qid in queries.practised_questions(store, platform, user_id) if qid in app.bank.questions
        for c in app.bank.questions[qid].competencies
    )
    return Snapshot(
        platform, user_id, today, zone.key, queries.answer_count(store, platform, user_id), streak,
        queries.recent(store, platform, user_id, WINDOW), practised,
        spaced.pending(attempts(store, platform, user_id, zone)), prep_of(queries.user(store, platform, user_id), today),
    )


def attempts(store, platform: str, user_id: str, zone: ZoneInfo) -> list[spaced.Attempt]:
    out = []
    for row in queries.attempts(store, platform, user_id):
        body = {"components": row["components"]}
        out.append(spaced.Attempt(row["question_id"], local_day(row["created_at"], zone), tracked.unmet(body)))
    return out


def prep_of(user: dict | None, today: date) -> Prep | None:
    """The member's interview-prep plan, while its date has not passed."""
    if not user or not user.get("prep_date"):
        return None
    try:
        on = date.fromisoformat(user["prep_date"])
    except ValueError:
        return None
    return Prep(on, user.get("prep_level"), (on - today).days) if on >= today else None


def weakest_criteria(recent: list[dict]) -> list[str]:
    """Tracked criteria, weakest average first, over the given answers (none: in TRACKED order)."""
    bodies = [r["body"] for r in recent if r.get("body")]
    order = {c: i for i, c in enumerate(tracked.TRACKED)}
    if not bodies:
        return list(tracked.TRACKED)
    average = {c: sum(tracked.ratio(b, c) for b in bodies) / len(bodies) for c in tracked.TRACKED}
    return sorted(tracked.TRACKED, key=lambda c: (average[c], order[c]))
