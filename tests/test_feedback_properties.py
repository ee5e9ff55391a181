"""The property suite of the feedback design: what must drop, what must not move, no free points.

Texts: the bank's strong examples (always here), the seed guides' STAR examples (../shared/seeds beside the
checkout or $STARDRILL_SEEDS; CI lays them there read-only) and the real-world validation set
(bench/data/realworld.jsonl). Damage families and their two wordings are in bench/feedback_damage.py;
wording "b" is never used to fit the weights.
"""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from feedback_damage import FAMILIES, WORDINGS, _base, damaged, sentences  # noqa: E402
from feedback_texts import PARTS, bank_texts, realworld_texts, seed_texts, seeds_dir  # noqa: E402

from stardrill.content_loader import load_bank  # noqa: E402
from stardrill.feedback import evaluate  # noqa: E402

BANK = load_bank()
BANK_STRONG = [t for t in bank_texts(BANK) if t.label == "strong"]
# Acceptance: every family lowers the score by 2+ points for 95% of strong texts, 5+ points on average.
# Over every strong text (bench/feedback_quality.py) each family now reaches it. On this smaller set, heavier
# in real-world answers, deleting the result stays short: some texts' only result is vague ("the team dynamics
# became much more positive"), and a vague result earns nothing, so removing it moves nothing. It read 88.8% (a)
# and 89.4% (b) when the real-world set grew to 120 strong answers, and 90.7% and 92.0% once containment,
# others' reactions and influence were read as results; its bar sits just under that so it cannot slip back.
# Vague numbers reads 97.5% here (4 of 157 texts drop by 0 or 1 point) since the trainer also asks every damage
# pair for 4+ points; before that it sat at the bar (7 of 157). A background figure made vague ("for about six
# months") costs least.
SHARE = {family: 0.95 for family in FAMILIES} | {"no-result": 0.90}


def test_vague_numbers_damage_reads_as_a_speaker_would_say_it():
    """The damage is a fair one: words stay apart and a sentence that opened on a number opens on a capital."""
    from feedback_texts import Text

    text = Text("12 months later it worked. We hired 4 people and cut 40% of costs.", "check")
    assert damaged(text, "vague-numbers", "a") == ("Many months later it worked. We hired a lot of people and cut "
                                                  "several of costs.")
    assert damaged(text, "vague-numbers", "b") == ("A number of months later it worked. We hired plenty of people and cut "
                                                  "some of costs.")


def _score(t, text: str) -> int:
    q = BANK.questions[t.question_id] if t.question_id else None
    return evaluate(text, q, BANK.level(t.level)).score


def _must_drop(texts) -> dict[str, tuple[float, float]]:
    out = {}
    base = {t.source: _score(t, t.text) for t in texts}
    for family in FAMILIES:
        for wording in WORDINGS:
            drops = [base[t.source] - _score(t, d) for t in texts for d in [damaged(t, family, wording)] if d]
            out[f"{family}/{wording}"] = (sum(x >= 2 for x in drops) / len(drops), statistics.mean(drops))
    return out


def _check(results: dict[str, tuple[float, float]]) -> None:
    bad = {k: v for k, v in results.items() if v[0] < SHARE[k.split("/")[0]] or v[1] < 5}
    assert not bad, bad


def test_every_damage_family_drops_on_the_bank_and_the_real_world_strong_answers():
    texts = BANK_STRONG[::2] + [t for t in realworld_texts() if t.label == "strong"]
    _check(_must_drop(texts))


def test_every_damage_family_drops_on_the_seed_guides_examples():
    if seeds_dir() is None:
        pytest.skip("seed guides not found (../shared/seeds beside the checkout, or $STARDRILL_SEEDS); the bank "
                    "and real-world texts are checked by the test above")
    _check(_must_drop(seed_texts()))


COSMETIC = (
    ("contractions", lambda s: s.replace("I did not", "I didn't").replace("It is", "It's").replace("I am", "I'm")
     .replace("was not", "wasn't").replace("do not", "don't")),
    ("curly quotes", lambda s: s.replace("'", "\u2019")),
    ("number swapped", lambda s: re.sub(r"\b(\d)(\d*)\b", lambda m: str((int(m.group(1)) % 9) + 1) + m.group(2), s,
                                        count=1)),
)


def _labelled(t) -> str:
    return " ".join(f"{p.title()}: {t.parts[p]}" for p in PARTS if t.parts.get(p))


def _context_swapped(t) -> str:
    sit = sentences(t.parts["situation"])
    sit = sit[1::-1] + sit[2:] if len(sit) >= 2 else sit
    return " ".join([" ".join(sit)] + [t.parts[p] for p in PARTS[1:]])


def test_cosmetic_rewrites_do_not_move_the_score():
    moved = []
    for t in BANK_STRONG[::3]:
        base = _score(t, t.text)
        variants = [(name, fn(t.text)) for name, fn in COSMETIC]
        variants += [("STAR labels", _labelled(t)), ("context reordered", _context_swapped(t))]
        moved += [(t.source, name, _score(t, text) - base) for name, text in variants if abs(_score(t, text) - base) > 2]
    assert len(moved) <= len(BANK_STRONG[::3]) * 5 * 0.03, moved  # at most 3% of the rewrites move by more than 2


NEUTRAL = ("The office was on the third floor of an old building near the station.",
           "It was a busy time of year and the days were long.",
           "Most people there had known each other for a while.")


def test_three_neutral_context_sentences_never_raise_the_score():
    for t in BANK_STRONG:
        first, *rest = sentences(t.text)
        padded = " ".join([first, *NEUTRAL, *rest])
        assert _score(t, padded) <= _score(t, t.text), t.source


def _spoken(t) -> str:
    """The strong example told the way people talk: no reflection, the actions chained under one "I" in the
    present tense ("I trace the drops, reproduce it and write a retry")."""
    actions = [s.rstrip(".") for s in sentences(t.parts["action"])]
    chained = []
    for s in actions:
        m = re.match(r"I (?:then |also |first )?([a-z]+ed)\b(.*)", s)
        chained.append(f"{_base(m.group(1))}{m.group(2)}" if m else s[0].lower() + s[1:])
    action = "I " + ", then ".join(chained) + "."
    return " ".join([t.parts["situation"], t.parts["task"], action, t.parts["result"]])


def test_real_register_still_beats_the_questions_weak_examples():
    losses = []
    for t in BANK_STRONG[::2]:
        q = BANK.questions[t.question_id]
        spoken = _score(t, _spoken(t))
        weak = max(evaluate(w.text, q, BANK.level(t.level)).score for w in q.weak_examples)
        if spoken <= weak:
            losses.append((t.source, spoken, weak))
    assert len(losses) <= 0.05 * len(BANK_STRONG[::2]), losses


SELF_DESCRIPTIONS = (
    "I am a very hard worker and a real team player. I always make sure everyone is aligned and I communicate "
    "effectively with stakeholders. I believe in ownership and I'm known for going above and beyond.",
    "Honestly I'm someone who thrives under pressure. In general I prioritise well, I stay calm and I always "
    "deliver on time. My strength is bringing people together.",
)


def test_no_free_points_for_an_answer_with_no_story():
    for q in sorted(BANK.questions.values(), key=lambda x: x.id)[::5]:
        level = BANK.level(q.strong_examples[0].level)
        weak = sorted(evaluate(w.text, q, level).score for w in q.weak_examples)
        for text in SELF_DESCRIPTIONS:
            f = evaluate(text, q, level)
            assert f.score <= statistics.median(weak) + 5 and f.verdict != "strong", (q.id, f.score, weak)
