"""No input stalls the engine: pathological 12,000-character inputs cost about what a normal answer does.

The engine's scans are bounded by design (every regex alternative always succeeds once it starts or looks
a fixed number of characters ahead; sentences longer than 60 words are cut into 40-word pieces), so the
work grows with the input's length, not with its shape. Checked two ways, neither against a wall-clock
threshold: (1) the shape of the work: no piece the readers scan is longer than the cut; (2) the CPU time of
each pathological input against normal answers of the same length, measured in the same test. The test only
guards against a scan that grows faster than its input: the quadratic regexes this replaced took 200-300x, so
it fails above 10x, far from what a loaded machine's noise can reach. The goal of at most 3x is a speed
figure, and speed figures live in bench/feedback_speed.py --fuzz.
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


# A linear scan stays within a few times a normal answer; a scan that backtracks over its input costs hundreds.
LINEAR_BOUND = 10.0


def test_no_pathological_input_costs_what_a_backtracking_scan_would():
    evaluate(_normal(2000), QUESTION, LEVEL)  # warm-up: imports and compiled patterns are not per-answer work
    normal = min(_cpu(_normal(MAX_CHARS)), _cpu(_normal(MAX_CHARS)[::-1].swapcase()[::-1]))
    slow = {name: _cpu(text) for name, text in PATHOLOGICAL.items()}
    ratios = {name: round(t / normal, 2) for name, t in slow.items()}
    assert max(ratios.values()) <= LINEAR_BOUND, ratios
