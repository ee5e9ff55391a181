"""Score an answer from documented weights. `components` always sums to `score`.

| component  | weight | what earns it                                                               |
|------------|-------:|-----------------------------------------------------------------------------|
| structure  |     20 | Action and Result present, context present, action gets the time, no overrun |
| ownership  |     20 | "I" as the actor of the Action steps; hand-offs, "we" runs and "I won" cost  |
| impact     |     20 | before -> after delta, numbers with units, business effect, second-order     |
| reflection |     10 | a lesson with a mechanism (check, alert, habit); generic lessons earn little |
| criteria   |     15 | the question's criteria met (1) / partly (0.5); general rubric w/o question  |
| clarity    |     15 | starts full; blame, vague results, generic claims, hedges, fillers, jargon,  |
|            |        | hypotheticals and a scope below the level take it away                      |

A generic lesson ("communication is important") also costs clarity (0.3): rubric facts call it an
answer killer, so it must cost more than the missing reflection points alone.

Verdict: "strong" needs >= 75 and none of the MAJOR flags (an interviewer would probe each one);
"mixed" >= 45; "weak" below; "not an answer" for empty input and refusals to give an example.

Gates: a non-answer keeps 20% of each component; an answer that is mostly hypothetical keeps 50%,
because the rubric treats both as disqualifying whatever else the text contains.

Probe mode (`evaluate(..., probe=...)`, a 2-4 sentence reply to one follow-up; see bot/feedback/probe.py)
uses PROBE_WEIGHTS on the same 0-100 scale and the same verdict thresholds. STAR structure and
reflection give way to "answers the probe"; the other weights are the full-answer ones, so a
component's share means the same thing in both modes.

| component     | weight | what earns it (probe mode)                                                  |
|---------------|-------:|-----------------------------------------------------------------------------|
| answers_probe |     30 | the probe question's key terms (0.15); the kinds of element the bank's strong |
|               |        | reply shows: "I" action, number, reason, mechanism (0.5); its concrete words  |
|               |        | (0.1); none of the weak reply's pattern (0.25). Each pattern shared with the |
|               |        | weak reply (hand-off, vague, generic, "we", hypothetical ...) costs 0.25,     |
|               |        | any other pattern 0.1                                                         |
| ownership     |     20 | a first-person action (0.6), a second one (0.2), "I" over others (0.2);      |
|               |        | hand-off, "we" and "I was right" cost                                        |
| impact        |     20 | a reason or a number (0.7), both (0.2), a measured change, business effect   |
|               |        | or mechanism (0.1); vague words cost 0.3                                     |
| criteria      |     15 | best two of the question's criteria (a probe targets one or two): 0.4 + 0.6 x |
|               |        | (met 1 / partly 0.5, summed, / 1.5); 0.25 when none shows                     |
| clarity       |     15 | as for full answers, scaled down under 25 words                              |

Probe-mode verdict: "strong" needs >= 75 and none of PROBE_MAJOR; gates as above, and a reply under
8 s (too short to hold an action and its reason) keeps 60%.
"""

from __future__ import annotations

from stardrill.feedback.analysis import Analysis
from stardrill.feedback.flags import per100, setup_heavy, thin_action
from stardrill.feedback.model import CriterionResult, Flag

WEIGHTS = {"structure": 20, "ownership": 20, "impact": 20, "reflection": 10, "criteria": 15, "clarity": 15}
PROBE_WEIGHTS = {"answers_probe": 30, "ownership": 20, "impact": 20, "criteria": 15, "clarity": 15}
STATUS_VALUE = {"met": 1.0, "partly": 0.5, "missing": 0.0}
STRONG, MIXED = 75, 45  # verdict thresholds on the 0-100 score
MAJOR = {"we-actions", "handoff", "missing-result", "missing-action", "generic-lesson", "hypothetical", "blame",
         "vague-result", "setup-heavy", "no-number"}
PROBE_MAJOR = {"we-actions", "handoff", "missing-action", "hypothetical", "blame", "vague-result", "weak-pattern",
               "too-short", "off-probe", "no-reason", "non-answer"}


def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))


def structure(a: Analysis) -> float:
    act = a.part("action")
    context = a.part("situation").sentences + a.part("task").sentences
    x = 0.35 * bool(act.sentences) + 0.25 * bool(a.outcomes) + 0.1 * bool(context)
    x += 0.15 * _clip(act.seconds / max(0.45 * a.seconds, 1))  # action should carry roughly half the time
    x += 0.15 * (not setup_heavy(a))
    x -= 0.2 * thin_action(a) + 0.2 * (a.seconds > 1.25 * a.target) + 0.15 * (a.seconds > 1.6 * a.target)
    return _clip(x)


def ownership(a: Analysis) -> float:
    n_i, n_we, n_other = len(a.i_actions), len(a.we_actions), len(a.other_actions)
    actors = n_i + n_we + n_other
    if not actors:
        return _clip(0.15 * bool(a.own_piece))
    x = 0.5 * min(n_i, 4) / 4 + 0.35 * n_i / actors + 0.15 * bool(a.own_piece)
    x -= 0.35 * min(len(a.handoffs), 2) + 0.2 * bool(a.self_wins)
    x -= 0.2 * (n_we >= 2 and n_we >= n_i)
    return _clip(x)


def impact(a: Analysis) -> float:
    lone = bool(a.outcome_numbers) and not a.deltas
    x = 0.45 * bool(a.deltas) + (0.1 if lone else 0.2 * bool(a.outcome_numbers))
    x += 0.2 * bool(a.business) + 0.15 * bool(a.second_order)
    x -= 0.2 * (bool(a.vague) and not a.deltas)
    return _clip(x)


def reflection(a: Analysis) -> float:
    if a.lessons and a.mechanisms:
        return 1.0
    if a.generic_lessons:
        return 0.1
    return 0.5 if a.lessons else 0.0


def criteria(results: tuple[CriterionResult, ...]) -> float:
    return sum(STATUS_VALUE[c.status] for c in results) / len(results) if results else 0.0


def clarity(a: Analysis, flags: tuple[Flag, ...]) -> float:
    codes = {f.code for f in flags}
    x = 1.0 - 0.4 * bool(a.blames) - min(0.25 * len(a.vague), 0.5) - min(0.15 * len(a.generic_claims), 0.3)
    hedge_rate, filler_rate = per100(len(a.hedges), a.words), per100(a.fillers, a.words)
    x -= 0.35 if hedge_rate > 4 else (0.2 if "hedges" in codes else 0.0)
    x -= 0.35 if filler_rate > 5 else (0.15 if "fillers" in codes else 0.0)
    x -= 0.15 * ("jargon" in codes) + 0.5 * ("hypothetical" in codes) + 0.15 * ("scope-below" in codes)
    x -= 0.2 * ("overrun" in codes) + 0.3 * ("generic-lesson" in codes)
    return _clip(x)


def _gate(a: Analysis, flags: tuple[Flag, ...]) -> float:
    codes = {f.code for f in flags}
    if "non-answer" in codes and a.past_actions <= 1:
        return 0.2
    if "hypothetical" in codes and len(a.hypotheticals) >= a.past_actions:
        return 0.5
    return 1.0


def components(a: Analysis, results: tuple[CriterionResult, ...], flags: tuple[Flag, ...]) -> dict[str, int]:
    """Points per component (ints), already gated; their sum is the score."""
    raw = {
        "structure": structure(a), "ownership": ownership(a), "impact": impact(a),
        "reflection": reflection(a), "criteria": criteria(results), "clarity": clarity(a, flags),
    }
    gate = _gate(a, flags)
    # Very short answers cannot earn full clarity just by saying little.
    if a.words < 40:
        raw["clarity"] *= a.words / 40
    return {k: round(WEIGHTS[k] * raw[k] * gate) for k in WEIGHTS}


def probe_components(a: Analysis, raw: dict[str, float], flags: tuple[Flag, ...]) -> dict[str, int]:
    """Probe mode: points per PROBE_WEIGHTS component from raw 0..1 values, gated; their sum is the score."""
    codes = {f.code for f in flags}
    gate = _gate(a, flags)
    if "too-short" in codes:
        gate *= 0.6
    raw = dict(raw, clarity=clarity(a, flags) * min(a.words / 25, 1.0))
    return {k: round(PROBE_WEIGHTS[k] * raw[k] * gate) for k in PROBE_WEIGHTS}


def verdict(score: int, a: Analysis, flags: tuple[Flag, ...], major: set[str] = MAJOR) -> str:
    codes = {f.code for f in flags}
    if a.words < 3 or ("non-answer" in codes and a.past_actions <= 1):
        return "not an answer"
    if score >= STRONG and not codes & major:
        return "strong"
    return "mixed" if score >= MIXED else "weak"
