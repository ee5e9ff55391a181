"""The bank in figures: what an interviewer would count before signing it.

Run: ``python bench/bank_report.py [SEEDS_DIR]``. Prints questions per level (with a model answer for
the level's band), per Leadership Principle and band, weak-example kinds, model-answer length against
target, the longest run of words shared with the seed guides outside question texts, the worst
criterion's match rate on model answers to unrelated questions, and the quiz's shape.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from stardrill import bank_rules
from stardrill.content_loader import load_bank
from stardrill.content_models import BANDS, LEADERSHIP_PRINCIPLES, band_of

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"


def longest_copied_run(bank, seeds: Path) -> tuple[int, str]:
    """The longest run of consecutive words a non-question-text string shares with a seed."""
    sys.path.insert(0, str(ROOT))
    from tests.own_words import seed_shingles, strings_outside_question_text, words

    best, where = 0, ""
    for n in range(6, 13):
        shingles = {tuple(s[:n]) for s in seed_shingles(seeds) if len(s) >= n} if n <= 10 else set()
        if not shingles:
            break
        hit = next(((path, ws) for q in bank.questions.values() for path, text in strings_outside_question_text(q)
                    for ws in [words(text)] if any(tuple(ws[i:i + n]) in shingles for i in range(len(ws) - n + 1))), None)
        if hit is None:
            break
        best, where = n, hit[0]
    return best, where


def worst_off_topic(bank) -> tuple[float, str]:
    examples = [(q, bank_rules.stem_phrase(e.text())) for q in bank.questions.values() for e in q.strong_examples]
    worst = (0.0, "")
    for q in bank.questions.values():
        others = [t for other, t in examples if not set(other.competencies) & set(q.competencies)]
        for c in q.criteria:
            share = sum(bank_rules.criterion_hits(c.signals, t) >= 2 for t in others) / max(1, len(others))
            worst = max(worst, (share, f"{q.id}.{c.id}"))
    return worst


def main() -> None:
    bank = load_bank()
    questions = list(bank.questions.values())
    print(f"questions: {len(questions)} ({len({bank_rules.normalise_text(q.text) for q in questions})} distinct texts)")
    serving = Counter(lv for q in questions for lv in q.levels)
    written = Counter(lv for q in questions for lv in q.levels if any(band_of(e.level) == band_of(lv) for e in q.strong_examples))
    print("per level (serving / with a model answer for its band): "
          + ", ".join(f"{lv} {serving[lv]}/{written[lv]}" for lv in bank.levels))
    counts = bank_rules.principle_band_counts(bank)
    print("per Leadership Principle (" + " / ".join(BANDS) + "):")
    for lp, bands in counts.items():
        print(f"  {LEADERSHIP_PRINCIPLES[lp]:48} " + " / ".join(str(bands[b]) for b in BANDS))
    kinds = Counter(w.kind for q in questions for w in q.weak_examples)
    print("weak examples by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    ratios = [bank_rules.words(e.text()) / bank_rules.target_words(bank.levels[e.level]) for q in questions for e in q.strong_examples]
    print(f"model answers: {len(ratios)}; length vs target min {min(ratios):.0%}, mean {sum(ratios) / len(ratios):.0%}, max {max(ratios):.0%}")
    share, where = worst_off_topic(bank)
    print(f"worst criterion on unrelated model answers: {share:.1%} ({where})")
    items = [i for q in questions for i in q.quiz]
    longest = sum(len(i.options[i.answer]) >= max(map(len, i.options)) for i in items)
    positions = Counter(i.answer for i in items)
    print(f"quiz: {len(items)} items; right option longest in {longest} ({longest / max(1, len(items)):.0%}); "
          f"positions " + ", ".join(f"{p}: {positions[p]}" for p in sorted(positions)))
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SEEDS
    if seeds.is_dir():
        n, where = longest_copied_run(bank, seeds)
        print(f"longest run shared with the seeds outside question texts: {n} words" + (f" ({where})" if where else ""))
    findings = bank_rules.check(bank) + bank_rules.framework_findings(bank)
    print(f"bank rule findings: {len(findings)}")


if __name__ == "__main__":
    main()
