"""The feature vector: the one source for score, criteria, flags, top fix and rewrite hint.

Every feature is a count or a ratio read over every clause, scaled to 0..1 and oriented so that more
is better (the rubric fixes the direction: more own actions never lowers the score, a vague result
never raises it). "Absence" features (no blame, no hedges ...) are multiplied by `substance`, how much
story the answer tells, so an answer that says nothing earns nothing for saying nothing wrong.

Each feature belongs to one score component (COMPONENT_OF); scoring.py turns the vector into points
with the fitted weights in weights.json.
"""

from __future__ import annotations

from dataclasses import dataclass

from stardrill.feedback.analysis import Analysis
from stardrill.feedback.forms import past_form
from stardrill.feedback.phrased import KEPT
from stardrill.feedback.reading import RESULT_VERBS, Reading
from stardrill.feedback.thresholds import OVERRUN

COMPONENT_OF: dict[str, str] = {
    "own_actions": "ownership", "concrete_actions": "ownership", "own_share": "ownership", "no_handoff": "ownership", "own_piece": "ownership",
    "quantities": "impact", "deltas": "impact", "concrete_outcome": "impact", "result_at_end": "impact",
    "result_part": "impact",
    "business": "impact",
    "no_vague": "impact",
    "action_share": "structure", "setup_ok": "structure", "story": "structure",
    "in_time": "structure",
    "specific_lesson": "reflection", "no_generic_lesson": "reflection",
    "criteria": "criteria",
    "real_event": "clarity", "no_blame": "clarity", "no_arrogance": "clarity", "no_hedges": "clarity",
    "no_fillers": "clarity", "no_generic_claims": "clarity",
    "relevance": "relevance",
}
FEATURES = tuple(COMPONENT_OF)
COMPONENTS = ("structure", "ownership", "impact", "reflection", "criteria", "clarity", "relevance")


def _clip(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x


def _late(a: Analysis) -> float:
    """How much the end of the story is its result: the share of the last 40% of its eventful sentences (from
    the first action on) that state a concrete outcome or a result told without an outcome verb ("About 2,300
    checkouts failed", "the linter blocked two migrations"), tripled and capped at 1 (a lesson may follow the
    result; the result must be there)."""
    start = next((i for i, r in enumerate(a.readings) if r.i_verbs or r.we_verbs), 0)
    # Only sentences where something happens: background added anywhere neither adds nor hides a result.
    story = [r for r in a.readings[start:] if r.past_events or r.i_verbs or r.we_verbs or r.outcome or r.deltas
             or r.happened]
    tail = story[int(0.6 * len(story)):]
    return _clip(3.0 * sum(1 for r in tail if r.outcome or r.deltas or r.happened) / max(len(tail), 1))


def _result_part(a: Analysis) -> float:
    """The Result part, wherever the answer puts it: in the second half of the story (from the first action on,
    lessons and background left out), the share of sentences that report a result (`_reports_result`). Outcomes inside earlier
    action sentences are steps of the work (concrete_outcome counts them); a story whose result is deleted
    keeps those and loses these. A plan is not a result: "I would cut latency by 30%" never counts, and the
    story starts at the first action in any mood, so rewriting "I did" as "I would" moves nothing here.
    x2.5, capped: two result sentences in a tail of five are a full mark."""
    start = next((i for i, r in enumerate(a.readings) if r.i_verbs or r.we_verbs or r.hypotheticals), len(a.readings))
    # Lessons are not the story, and background where nothing happens neither adds nor hides a result.
    story = [r for r in a.readings[start:] if not r.hits.get("lesson") and (
        r.past_events or r.i_verbs or r.we_verbs or r.hypotheticals or r.outcome or r.deltas or r.happened)]
    tail = story[len(story) // 2:]
    results = sum(1 for r in tail if not r.hypotheticals and _reports_result(r))
    return _clip(2.5 * results / max(len(tail), 1))


def _reports_result(r: Reading) -> bool:
    """A sentence that reports a result: nobody of ours acts ("refunds fell to zero", "Dana now runs release
    quality"); or "we" act and a figure changes ("we stopped losing $8K a week"); or what we did is the result
    itself ("I cut p99 by 40%", "we launched in all 12 markets")."""
    if not (r.i_verbs or r.we_verbs):
        return bool(r.happened or r.outcome or r.deltas)
    if r.deltas and not r.i_verbs:
        return True
    # A commitment kept is the result itself too: "we met the provider's date".
    return bool(r.outcome or r.deltas) and all(past_form(v) in RESULT_VERBS or v in KEPT and r.outcome.startswith(
        v + " ") for v in r.i_verbs + r.we_verbs)  # "we were able to complete it" is "we completed it"


def _more(n: int, keep: float) -> float:
    """Diminishing returns: 1 - keep^n. Every extra one adds a little, so taking one away always costs."""
    return 1.0 - keep ** n


@dataclass(frozen=True)
class Vector:
    values: dict[str, float]
    substance: float  # 0..1: how much story (real events) the answer tells
    hyp_share: float  # share of clauses in the conditional or habitual mood
    setup_share: float  # share of words before the first sentence that says what the speaker or "we" did
    story_share: float  # events told vs traits and advice

    def __getitem__(self, name: str) -> float:
        return self.values[name]


def vector(a: Analysis, criteria_value: float, relevance: float) -> Vector:
    """The answer's feature vector. `criteria_value` (0..1) and `relevance` (0..1) come from the question."""
    real = a.own_clauses + a.we_clauses + a.other_clauses
    events = a.past_events + a.own_clauses
    substance = _clip(events / 3.0)
    hyp_share = a.hyp_clauses / max(a.hyp_clauses + real + a.past_events, 1)
    told = a.past_events + a.own_clauses
    story_share = told / max(told + a.selfdesc_clauses + a.you_clauses + a.hyp_clauses, 1)
    setup_share = a.setup_words / max(a.words, 1) if a.own_clauses + a.we_clauses else 1.0
    action_words = sum(s.words for s in a.action_sentences)
    vague_outcome = len(a.vague)
    # "I was mainly following directions" halves the evidence of ownership. Not a feature of its own: one that every
    # answer without a concession earned would be free points for stories about anything.
    conceded = 0.5 if a.concessions else 1.0
    values = {
        "own_actions": conceded * _more(a.own_clauses, 0.7),
        # A stand-in step ("took steps", "identified the root cause") names no step: it is no concrete action.
        "concrete_actions": conceded * _more(max(a.own_concrete - len(a.stand_ins), 0), 0.75),
        "own_share": conceded * (a.own_clauses / real if real else 0.0),
        "no_handoff": _clip(a.own_clauses / 2.0) * (not a.handoffs),
        "own_piece": float(bool(a.own_piece)),
        "quantities": _more(len(a.quantities), 0.5),
        "deltas": _more(len(a.deltas), 0.35),
        "concrete_outcome": _more(len(a.outcomes), 0.55),
        "result_at_end": _late(a),
        "result_part": _result_part(a),
        "business": float(bool(a.business)) * bool(a.outcomes or a.deltas),
        "no_vague": substance * (1.0 - _clip(vague_outcome / 2.0)),
        "action_share": _clip(action_words / max(0.5 * a.words, 1)),
        "setup_ok": substance * (1.0 - _clip((setup_share - 0.35) / 0.35)),
        "story": substance * story_share,
        "in_time": substance * (1.0 - _clip((a.seconds / max(a.target, 1) - OVERRUN) / 0.5)),
        # "We now have automatic failover" is a change that sticks, but the team's: half, until "I" says what it took.
        "specific_lesson": float(bool(a.lessons and a.mechanisms)) * (0.5 if {p for _, p in a.lessons} == {"we now"}
                                                                      else 1.0),
        "no_generic_lesson": substance * (not a.generic_lessons),  # a generic lesson never beats none
        "criteria": criteria_value,
        "real_event": substance * (1.0 - hyp_share),
        "no_blame": substance * (not a.blames),
        "no_arrogance": substance * (not a.self_wins),
        # Counts, not rates: a rate would let padding dilute the hedges ("no length reward").
        "no_hedges": substance * 0.75 ** len(a.hedges),
        "no_fillers": substance * 0.85 ** a.fillers,
        "no_generic_claims": substance * (1.0 - _clip(len(a.generic_claims) / 2.0)),
        "relevance": relevance,
    }
    return Vector(values, substance, hyp_share, setup_share, story_share)
