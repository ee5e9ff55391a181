"""What kind of thing a question's criterion asks for, read from its id and label, and which flags deny it.

A criterion's signals are the bank author's words; its kind says which reading of the answer can stand in for
them (criteria.in_own_words) and which flag calls it absent (reconcile). "Measured before arguing" and "Baseline
measured" ask for the problem sized before anything changed (evidence); "Measured result" asks for what changed
after (impact). Both say "measured", so evidence is told apart by the outcome words it lacks.
"""

from __future__ import annotations

from stardrill.feedback.model import CriterionResult

# Which flags say a kind of criterion is absent: a criterion of that kind is never "met" beside them.
CONFLICTS = {
    "ownership": {"missing-action", "we-actions", "shared-steps", "conceded", "handoff", "stand-in"},
    "impact": {"missing-result", "no-number"},
    "evidence": {"no-number", "missing-result"},  # as when it was read as "impact": a sizing never "met" beside these
    "structure": {"missing-action", "missing-result", "setup-heavy", "missing-situation"},
    "reflection": {"no-reflection", "generic-lesson"},
    "unasked": {"asked-for"},
}
_KIND_WORDS = (
    ("reflection", ("reflect", "lesson", "learn")),
    ("impact", ("impact", "outcome", "result", "metric", "measur", "quantif")),
    ("ownership", ("ownership", "personal", "own-action", "own action", "your own", "first person", "first-person")),
    ("structure", ("structure",)),
    # A change that keeps the problem from coming back ("Prevention that held", "Guard against recurrence").
    ("mechanism", ("mechanism", "prevent", "guard", "habit", "recurren")),
    # Work nobody asked for ("Not assigned", "Noticed an unassigned customer problem"): a request says otherwise.
    ("unasked", ("unasked", "not assigned", "unassigned", "nobody asked", "no one asked")),
)
# "Measured, not guessed", "Cost of debt measured", "Gap quantified" ...
_SIZING = ("measur", "quantif")
# ... unless what is measured is what came after: "Measured result", "Customer result measured", "Measured fix",
# "Measured recovery", "Trust measured afterwards", "Output and cost both quantified".
_AFTER = ("impact", "outcome", "result", "effect", "adopt", "improv", "saving", "recover", "growth", "progress",
          "ramp", "trust", "fix", "honest", "start", "direction", "noticed", "both", "advantage", "same", "change",
          "protect")


def kind(text: str) -> str:
    text = text.lower()
    found = next((k for k, words in _KIND_WORDS if any(w in text for w in words)), "")
    if found == "impact" and any(w in text for w in _SIZING) and not any(w in text for w in _AFTER):
        return "evidence"
    return found


def kind_of(c: CriterionResult) -> str:
    return kind(f"{c.id} {c.label}")


def reconcile(results: tuple[CriterionResult, ...], codes: set[str]) -> tuple[CriterionResult, ...]:
    """No "met" on a criterion that a flag calls absent: it drops to "partly" and says why."""
    out = []
    for c in results:
        clash = CONFLICTS.get(kind_of(c), set()) & codes
        if c.status == "met" and clash:
            c = CriterionResult(c.id, c.label, "partly", c.evidence,
                                "Shown in part; see the flag on this above." if not c.note else c.note)
        out.append(c)
    return tuple(out)


__all__ = ["CONFLICTS", "kind", "kind_of", "reconcile"]
