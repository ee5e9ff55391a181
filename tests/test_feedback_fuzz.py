"""No input stalls the engine: pathological 12,000-character inputs cost about what a normal answer does.

The engine's scans are bounded by design (every regex alternative always succeeds once it starts or looks
a fixed number of characters ahead; sentences longer than 60 words are cut into 40-word pieces), so the
work grows with the input's length, not with its shape. Checked two ways, neither against a wall-clock
threshold: (1) the shape of the work: no piece the readers scan is longer than the cut; (2) the CPU time of
each pathological input against normal answers of the same length, measured in the same test, at most 3x
(the quadratic regexes this replaced took 200-300x). A ratio over 3x is measured again, normal answer
included, up to three times: a scan that grows with the input's shape stays over on every measure, while a
burst of other work on a loaded machine does not. Absolute timings live in bench/feedback_speed.py --fuzz.
"""

from __future__ import annotations

import time

import pytest

from stardrill.content_loader import load_bank
from stardrill.feedback import evaluate
from stardrill.feedback.text import MAX_CHARS, clean, split_sentences

BANK = load_bank()
LEVEL = BANK.level("senior")
QUESTION = BANK.question("lead-without-title")

PATHOLOGICAL = {
    "digit and dot run": "0." * 6000,
    "digit and comma run": "1," * 6000,
    "one digit run": "9" * 12_000,
    "dollar and percent runs": "$1.5%" * 2400,
    "arrows between numbers": "1->2 " * 2400,
    "one long token": "a" * 12_000,
    "one long hyphenated token": "ab-" * 4000,
    "unbalanced quotes": '"(' * 6000,
    "unbalanced brackets": "([{" * 4000,
    "repeated pronouns": "I " * 6000,
    "repeated we and they": "we they " * 1500,
    "a sentence with no end": "and then I fixed it and " * 500,
    "newlines and spaces": "\n \n" * 4000,
    "from-to chains": "from 1 to 2 " * 1000,
}


def _normal(length: int) -> str:
    texts = [e.text() for q in sorted(BANK.questions.values(), key=lambda q: q.id)[:20] for e in q.strong_examples]
    out = " ".join(texts)
    while len(out) < length:
        out += " " + out
    return out[:length]


def _cpu(answer: str, rounds: int = 3) -> float:
    """Best of a few runs: the least-disturbed measure of the engine's own work."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        evaluate(answer, QUESTION, LEVEL)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_is_cut_into_bounded_pieces(name):
    text, _ = clean(PATHOLOGICAL[name])
    assert len(text) <= MAX_CHARS
    assert all(s.words <= 60 for s in split_sentences(text))
    f = evaluate(PATHOLOGICAL[name], QUESTION, LEVEL)
    assert 0 <= f.score <= 100 and sum(f.components.values()) == f.score


MAX_RATIO = 3.0


def _ratio(text: str, normal: str) -> float:
    """The input's CPU time over a normal answer's, measured together; re-measured while over the bound."""
    ratio = float("inf")
    for _ in range(3):
        ratio = min(ratio, _cpu(text) / min(_cpu(normal), _cpu(normal[::-1].swapcase()[::-1])))
        if ratio <= MAX_RATIO:
            break
    return round(ratio, 2)


def test_pathological_inputs_cost_at_most_three_times_a_normal_answer_of_the_same_length():
    evaluate(_normal(2000), QUESTION, LEVEL)  # warm-up: imports and compiled patterns are not per-answer work
    normal = _normal(MAX_CHARS)
    ratios = {name: _ratio(text, normal) for name, text in PATHOLOGICAL.items()}
    assert max(ratios.values()) <= MAX_RATIO, ratios
