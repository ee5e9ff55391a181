"""Team-level summaries for wrap-ups: counts only, never names or scores."""

from __future__ import annotations

from stardrill.content_models import Question
from stardrill.progress import tracked


def most_missed(question: Question, bodies: list[dict], top: int = 3) -> str | None:
    """The criteria the team's answers missed most often (question criteria and the four tracked ones)."""
    if not bodies:
        return None
    missed: dict[str, int] = {}
    for c in question.criteria:
        missed[c.label] = sum(1 for b in bodies for r in b.get("criteria", []) if r["id"] == c.id and r["status"] == "missing")
    for c in tracked.TRACKED:
        missed[tracked.label(c)] = sum(1 for b in bodies if tracked.status(b, c) == "missing")
    ranked = sorted((n, label) for label, n in missed.items() if n)
    ranked.sort(key=lambda item: -item[0])
    if not ranked:
        return "No criterion was missed outright today."
    return "\n".join(f"• {label}: missed in {n} of {len(bodies)} answers" for n, label in ranked[:top])
