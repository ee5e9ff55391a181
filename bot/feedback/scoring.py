"""Score an answer: a dot product of the feature vector (features.py) with fitted, sign-constrained weights.

    score = gate x sum_f  W_f x f          (f in 0..1, oriented so more is better; W_f >= floor > 0)

The weights live in weights.json, written by bench/train_feedback.py (a deterministic fit on the bank's
and the seed guides' examples and damage pairs made from them; the real-world set in bench/data is never
used to fit). They sum to 100, so a component's maximum is the sum of its features' weights
(`WEIGHTS`, e.g. "ownership 12/20"), and `components` (whole points) always sums to `score`. Only the
total is rounded; components are whole points apportioned from the exact sum.

A refusal to give an example keeps 20% of every component (the rubric treats it as disqualifying whatever
else the text contains). An answer with a MAJOR flag (a flaw an interviewer would probe) loses a fixed number
of points, shared over its components (`flaw_gate`; fitted in training, `flagged` in weights.json): fluent telling
around a stand-in step or a borrowed result no longer out-scores a plainer answer without one, and what any other
change costs stays what it was. An answer to a different question is not scaled: it loses the question's
criteria and relevance points, carries the major `off-topic` flag (so it is never "strong"), and its
other components still describe how it was told (progress tracks those across questions).

Verdict: "strong" needs >= 75 and none of the MAJOR flags (an interviewer would probe each one);
"mixed" >= 45; "weak" below; "not an answer" for empty input and refusals to give an example.

Probe mode (`evaluate(..., probe=...)`, see bot/feedback/probe.py) uses PROBE_WEIGHTS on the same 0-100
scale and the same verdict thresholds:

| component     | weight | what earns it (probe mode)                                                    |
|---------------|-------:|-------------------------------------------------------------------------------|
| answers_probe |     30 | the probe's key terms, the kinds of element the bank's strong reply shows, none |
|               |        | of the weak reply's pattern                                                   |
| ownership     |     20 | a first-person action, a second one, "I" over others; hand-off and "we" cost  |
| impact        |     20 | a reason or a number, both, a measured change or mechanism; vague words cost  |
| criteria      |     15 | best two of the question's criteria                                           |
| clarity       |     15 | no blame, vague words, hedges or fillers; scaled down under 25 words          |

A probe reply about something else entirely (no term of the probe, the question or its kind of event)
keeps 40% and is never "strong"; one that opens by denying the probe's premise ("Nothing really, it worked")
keeps 60% and is never "strong".
"""

from __future__ import annotations

import json
from importlib import resources

from stardrill.feedback.analysis import Analysis
from stardrill.feedback.features import COMPONENT_OF, COMPONENTS, Vector
from stardrill.feedback.model import Flag
from stardrill.feedback.thresholds import FILLER_HIGH, per100

_MODEL = json.loads(resources.files("stardrill.feedback").joinpath("weights.json").read_text(encoding="utf-8"))
W: dict[str, float] = {f: float(w) for f, w in _MODEL["weights"].items()}
VERSION: int = _MODEL["version"]
FAMILY_BASE: dict[str, float] = _MODEL.get("family_base", {})
OFF_TOPIC_BELOW: float = _MODEL.get("off_topic_below", 0.3)
# Points an answer with a MAJOR flag loses (0 if no fit says otherwise).
FLAW_PENALTY: float = float(_MODEL.get("flagged", {}).get("penalty", 0.0))


def _apportion(exact: dict[str, float], total: int) -> dict[str, int]:
    """Whole points per key summing to `total` (largest remainder), so rounding happens once."""
    floors = {k: int(v // 1) for k, v in exact.items()}
    left = total - sum(floors.values())
    order = sorted(exact, key=lambda k: (-(exact[k] - floors[k]), k))
    for k in order[:max(left, 0)]:
        floors[k] += 1
    for k in reversed(order) if left < 0 else ():
        if left == 0:
            break
        if floors[k] > 0:
            floors[k] -= 1
            left += 1
    return floors


WEIGHTS: dict[str, int] = _apportion({c: sum(w for f, w in W.items() if COMPONENT_OF[f] == c) for c in COMPONENTS},
                                     100)
PROBE_WEIGHTS = {"answers_probe": 30, "ownership": 20, "impact": 20, "criteria": 15, "clarity": 15}
STRONG, MIXED = 75, 45  # verdict thresholds on the 0-100 score
MAJOR = {"we-actions", "shared-steps", "conceded", "handoff", "missing-result", "missing-action", "generic-lesson",
         "hypothetical", "blame", "vague-result", "setup-heavy", "self-win", "no-story", "off-topic", "non-answer", "asked-for",
         "stand-in"}
PROBE_MAJOR = {"we-actions", "handoff", "missing-action", "hypothetical", "blame", "vague-result", "weak-pattern",
               "too-short", "off-probe", "no-reason", "non-answer", "off-topic", "deflection"}
GATES = {"non-answer": 0.2}


def exact_points(vec: Vector) -> dict[str, float]:
    """Unrounded points per component: the sum of weight x feature over the component's features."""
    out = {c: 0.0 for c in COMPONENTS}
    for f, w in W.items():
        out[COMPONENT_OF[f]] += w * vec[f]
    return out


def gate(a: Analysis, flags: tuple[Flag, ...]) -> float:
    codes = {f.code for f in flags}
    g = 1.0
    if "non-answer" in codes and a.past_actions <= 1:
        g *= GATES["non-answer"]
    return g


def flaw_gate(points: float, flags: tuple[Flag, ...], penalty: float | None = None) -> float:
    """The factor that takes `penalty` points (FLAW_PENALTY) off an answer with a MAJOR flag, never below 0; 1.0
    without one. A constant, not a share: a damage that costs an unflagged answer 5 points costs a flagged one 5."""
    penalty = FLAW_PENALTY if penalty is None else penalty
    if points <= 0 or not {f.code for f in flags} & MAJOR:
        return 1.0
    return max(points - penalty, 0.0) / points


def components(vec: Vector, g: float, flags: tuple[Flag, ...] = ()) -> tuple[int, dict[str, int]]:
    """(score, whole points per component summing to it): the gated points, less the flaw penalty (flaw_gate)."""
    exact = {c: v * g for c, v in exact_points(vec).items()}
    kept = flaw_gate(sum(exact.values()), flags)
    exact = {c: v * kept for c, v in exact.items()}
    score = max(0, min(100, round(sum(exact.values()))))
    return score, _apportion(exact, score)


def raw_score(vec: Vector) -> float:
    """The ungated, unrounded dot product (what training fits)."""
    return sum(w * vec[f] for f, w in W.items())


def clarity(a: Analysis, flags: tuple[Flag, ...]) -> float:
    """0..1 delivery quality for probe replies: blame, vague words, generic claims, hedges, fillers cost."""
    codes = {f.code for f in flags}
    x = 1.0 - 0.4 * bool(a.blames) - min(0.25 * len(a.vague), 0.5) - min(0.15 * len(a.generic_claims), 0.3)
    hedge_rate, filler_rate = per100(len(a.hedges), a.words), per100(a.fillers, a.words)
    x -= 0.35 if hedge_rate > 4 else (0.2 if "hedges" in codes else 0.0)
    x -= 0.35 if filler_rate > FILLER_HIGH else (0.15 if "fillers" in codes else 0.0)
    x -= 0.5 * ("hypothetical" in codes)
    return max(0.0, min(1.0, x))


def probe_components(a: Analysis, raw: dict[str, float], flags: tuple[Flag, ...]) -> dict[str, int]:
    """Probe mode: points per PROBE_WEIGHTS component from raw 0..1 values, gated; their sum is the score."""
    codes = {f.code for f in flags}
    g = gate(a, flags)
    if "too-short" in codes:
        g *= 0.6
    if "off-topic" in codes:
        g *= 0.4
    if "deflection" in codes:  # "Nothing really, it worked": the follow-up's question is declined
        g *= 0.6
    raw = dict(raw, clarity=clarity(a, flags) * min(a.words / 25, 1.0))
    exact = {k: PROBE_WEIGHTS[k] * max(0.0, min(1.0, raw[k])) * g for k in PROBE_WEIGHTS}
    return _apportion(exact, max(0, min(100, round(sum(exact.values())))))


def verdict(score: int, a: Analysis, flags: tuple[Flag, ...], major: set[str] = MAJOR) -> str:
    codes = {f.code for f in flags}
    if a.words < 3 or ("non-answer" in codes and a.past_actions <= 1):
        return "not an answer"
    if score >= STRONG and not codes & major:
        return "strong"
    return "mixed" if score >= MIXED else "weak"
