"""The four criteria tracked across answers, read from a stored feedback body (Feedback.to_json()).

Every answer is scored on the same score components whatever the question (bot/feedback/scoring.py),
so the components are what make answers to different questions comparable over time.
"""

from __future__ import annotations

from stardrill.feedback.scoring import WEIGHTS

# criterion id -> (label, score component)
TRACKED = {
    "ownership": ("Ownership (own actions)", "ownership"),
    "impact": ("Quantified impact", "impact"),
    "structure": ("STAR structure", "structure"),
    "reflection": ("Reflection", "reflection"),
}
MET, PARTLY = 0.75, 0.4  # share of the component's points: met at 75%, partly at 40%


def ratio(body: dict, criterion: str) -> float:
    """Share of the component's points this answer earned (0..1)."""
    component = TRACKED[criterion][1]
    points = (body.get("components") or {}).get(component, 0)
    return max(0.0, min(1.0, points / WEIGHTS[component]))


def status(body: dict, criterion: str) -> str:
    value = ratio(body, criterion)
    return "met" if value >= MET else "partly" if value >= PARTLY else "missing"


def statuses(body: dict) -> dict[str, str]:
    return {c: status(body, c) for c in TRACKED}


def unmet(body: dict) -> tuple[str, ...]:
    """Tracked criteria this answer did not meet, weakest first (ties in TRACKED order)."""
    order = {c: i for i, c in enumerate(TRACKED)}
    misses = [c for c in TRACKED if status(body, c) != "met"]
    return tuple(sorted(misses, key=lambda c: (ratio(body, c), order[c])))


def label(criterion: str) -> str:
    return TRACKED[criterion][0]
