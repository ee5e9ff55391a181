"""What private practice should ask next for one member: due reviews, new ground, or the interview plan."""

from __future__ import annotations

from dataclasses import dataclass, replace

from stardrill.content_models import AREAS
from stardrill.messages import Section
from stardrill.picker import Filters
from stardrill.progress import member, prep, queries, spaced, tracked


@dataclass(frozen=True)
class Plan:
    focus: spaced.Focus
    snap: member.Snapshot
    prep_lines: tuple[str, ...] = ()

    def narrow(self, filters: Filters) -> Filters:
        """In prep mode questions come from the interview's level unless the member chose one."""
        if self.snap.prep and self.snap.prep.level and not filters.level:
            return replace(filters, level=self.snap.prep.level)
        return filters

    def notes(self, question_id: str) -> tuple[Section, ...]:
        out = []
        review = next((r for r in self.focus.reviews if r.question_id == question_id), None)
        if review:
            missed = ", ".join(tracked.label(c) for c in review.unmet[:2])
            gap = spaced.interval(review.reps + 1)
            out.append(Section("Back for another try",
                               f"Last time this one missed: {missed}. Meet it and it retires; if not, it returns in {gap} day(s)."))
        if self.prep_lines:
            out.append(Section("Interview prep", "\n".join(self.prep_lines)))
        return tuple(out)


def for_member(app, platform: str, user_id: str) -> Plan:
    """Deterministic given the store and the clock: the picker gets due ids and competencies to prefer."""
    snap = member.snapshot(app, platform, user_id)
    in_prep = snap.prep is not None
    reviews = spaced.by_weakness(snap.due(), snap.weakest()) if in_prep else snap.due()
    never = snap.never_practised_principles() + spaced.uncovered(snap.practised, AREAS)
    count = queries.practice_sessions(app.store, platform, user_id)
    focus = spaced.focus(reviews, never, count, prep=in_prep)
    lines = tuple(prep.plan_lines(app, snap)) if in_prep else ()
    return Plan(focus, snap, lines)
