"""Team-level summaries for wrap-ups: counts only, never names or scores."""

from __future__ import annotations

from stardrill.content_models import Question


def most_missed(question: Question, bodies: list[dict], top: int = 3) -> str | None:
    """The question's own criteria the team's answers missed most often; ties keep the question's order.

    Only the question's criteria: they are what the thread was asked and what the tally above lists.
    """
    if not bodies:
        return None
    missed = []
    for order, c in enumerate(question.criteria):
        n = sum(1 for b in bodies for r in b.get("criteria", []) if r["id"] == c.id and r["status"] == "missing")
        if n:
            missed.append((-n, order, c.label, n))
    if not missed:
        return "No criterion was missed outright today."
    return "\n".join(f"• {label}: missed in {n} of {len(bodies)} answers" for _, _, label, n in sorted(missed)[:top])
