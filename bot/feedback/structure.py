"""STAR part classification and timing.

Answers rarely label their parts, so each sentence gets a cue score per part (context words,
'my role/I needed to', first-person past-tense actions, outcome words and numbers, 'I learned/
since then') plus a weak position prior; a small Viterbi pass then picks the best labelling that
mostly moves forward through Situation -> Task -> Action -> Result -> Reflection, because spoken
answers go back a step now and then but rarely jump around.
"""

from __future__ import annotations

from dataclasses import dataclass

from stardrill.content_models import PARTS, Framework
from stardrill.feedback import reading as R
from stardrill.feedback.model import PartTiming
from stardrill.feedback.text import Sentence, seconds

SITUATION, TASK, ACTION, RESULT, REFLECTION = range(5)

_SEQUENCE_1 = {("first",), ("then",), ("next",), ("finally",)}
_SEQUENCE_2 = {("after", "that"), ("so", "i"), ("to", "do"), ("i", "also")}


@dataclass(frozen=True)
class Labelled:
    sentence: Sentence
    part: int


def _emissions(s: Sentence, r: R.Reading) -> list[float]:
    """Cue strength of one sentence for each part."""
    # First-person actions are the strongest Action cue; numbers inside them ("I proposed a $16M
    # programme") describe the plan, not the outcome, so they add less to Result.
    mine, others = len(r.i_verbs), len(r.we_verbs) + len(r.other_verbs)
    h = r.hits  # a word list is in the hits only when it matched
    result = 1.0 * ("outcome_cue" in h) + 2.0 * bool(r.deltas) + 0.4 * min(len(r.quantities), 2)
    result += 1.0 * bool(r.vague) + 0.5 * ("business" in h) + 1.0 * ("second_order" in h)
    return [
        1.0 * ("situation_cue" in h),
        1.5 * ("task_cue" in h) + 0.5 * ("own_piece" in h),
        1.2 * min(mine, 2) + 0.8 * min(others, 2) + 0.5 * (r.tokens[:1] in _SEQUENCE_1 or r.tokens[:2] in _SEQUENCE_2),
        result,
        3.0 * ("lesson" in h) + 0.5 * bool(r.generic_lesson),
    ]


def _prior(i: int, n: int) -> list[float]:
    """Position prior: context first, reflection last. Weak, so cues win when present."""
    f = i / max(n - 1, 1)
    return [
        0.9 if i == 0 else (0.3 if f < 0.3 else 0.0),
        0.3 if f < 0.45 else 0.0,
        0.3 if 0.15 < f < 0.85 else 0.0,
        0.4 if f > 0.6 else 0.0,
        0.3 if f > 0.8 else 0.0,
    ]


def _transition(prev: int, cur: int) -> float:
    if cur >= prev:
        return -0.15 * max(cur - prev - 1, 0)  # skipping a part is allowed but slightly unusual
    return -1.6  # going backwards happens (a late aside of context) but needs real cue evidence


_TRANS = tuple(tuple(_transition(p, k) for p in range(5)) for k in range(5))  # [cur][prev], computed once


def classify(sentences: list[Sentence], readings: list[R.Reading] | None = None) -> list[Labelled]:
    """Label each sentence with its STAR(+Reflection) part by a forward-leaning Viterbi pass."""
    n = len(sentences)
    if not n:
        return []
    readings = readings if readings is not None else [R.read(s.low) for s in sentences]
    scores = [[e + p for e, p in zip(_emissions(s, r), _prior(i, n))]
              for i, (s, r) in enumerate(zip(sentences, readings))]
    # Before anybody acts, a change is the problem, not the result ("when our latency crept up to 1.2 s"): without
    # this, one figure in the opening sentence labels the whole answer Result (the pass rarely goes back).
    first_act = next((i for i, r in enumerate(readings) if r.i_verbs or r.we_verbs), n)
    for i in range(min(first_act, n)):
        scores[i][RESULT] *= 0.3
    _labels(scores, sentences)
    best = [scores[0][k] - 0.3 * k for k in range(5)]
    back: list[list[int]] = []
    for i in range(1, n):
        row, ptr = [], []
        for k in range(5):
            cand = [b + t for b, t in zip(best, _TRANS[k])]
            prev = cand.index(max(cand))
            row.append(cand[prev] + scores[i][k])
            ptr.append(prev)
        best = row
        back.append(ptr)
    state = max(range(5), key=lambda k: best[k])
    path = [state]
    for ptr in reversed(back):
        state = ptr[state]
        path.append(state)
    path.reverse()
    return [Labelled(s, k) for s, k in zip(sentences, path)]


# The speaker's own headings ("S:", "Action:", "Result:"), as people write a STAR answer in chat.
_HEADINGS = {"s": SITUATION, "situation": SITUATION, "context": SITUATION, "background": SITUATION, "t": TASK,
             "task": TASK, "a": ACTION, "action": ACTION, "actions": ACTION, "r": RESULT, "result": RESULT,
             "results": RESULT, "outcome": RESULT, "impact": RESULT, "l": REFLECTION, "learned": REFLECTION,
             "lesson": REFLECTION, "lessons": REFLECTION, "learning": REFLECTION, "reflection": REFLECTION}


def _labels(scores: list[list[float]], sentences: list[Sentence]) -> None:
    """A heading outweighs every cue, and the lines under it (a bulleted "A:") stay in its part until the next one."""
    current = None
    for row, s in zip(scores, sentences):
        head, colon, _ = s.low.lstrip("*_ ").partition(":")
        heading = _HEADINGS.get(head.strip("*_ ")) if colon else None
        if heading is not None:
            current = heading
            row[heading] += 8.0
        elif current is not None:
            row[current] += 3.0


def timings(labelled: list[Labelled], framework: Framework) -> tuple[PartTiming, ...]:
    """Estimated speaking seconds per part against the framework's per-part target."""
    out = []
    for k, name in enumerate(PARTS):
        words = sum(x.sentence.words for x in labelled if x.part == k)
        count = sum(1 for x in labelled if x.part == k)
        out.append(PartTiming(part=name, seconds=seconds(words), target=getattr(framework, name), sentences=count))
    return tuple(out)
