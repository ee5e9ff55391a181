"""Throughput and latency of the feedback engine on 300-word answers, one core.

Run: ``python bench/feedback_speed.py [--n 2000] [--probe] [--fuzz]``. Answers are built from the bank's strong
examples, weak examples and probe answers, cut or repeated to exactly 300 words, so the sample has
realistic sentence shapes. Prints answers/s (wall clock over the whole run), p50/p99 latency and the CPU
time per answer (less sensitive to other work on the machine than the wall clock), and that CPU time as a
multiple of a floor measured in the same run (lower-case, tokenise and look up every word once), which does not
depend on how fast the machine is. Target: >= 500
answers/s; the p99 is printed for the reply-path budgets (Slack and Discord benches). ``--probe`` times probe mode instead (each answer judged as
a reply to its question's first follow-up, same 300-word texts). ``--fuzz`` times the pathological
12,000-character inputs of tests/test_feedback_fuzz.py (digit and separator runs, one long token, unbalanced
quotes and brackets, repeated pronouns) against normal answers of the same length: each at most 3x.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from stardrill.content_loader import load_bank  # noqa: E402
from stardrill.feedback import criteria, evaluate  # noqa: E402

WORDS = 300


def corpus(bank) -> list[tuple[str, object, object]]:
    """(answer, question, level) triples, every answer exactly WORDS words long (probe: question.probes[0])."""
    out = []
    for qid in sorted(bank.questions):
        q = bank.questions[qid]
        level = bank.level(q.strong_examples[0].level)
        texts = [q.strong_examples[0].text(), q.weak_examples[0].text] + [p.strong.text for p in q.probes]
        for text in texts:
            words = text.split()
            while len(words) < WORDS:
                words += text.split()
            out.append((" ".join(words[:WORDS]), q, level))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3000, help="answers to evaluate")
    parser.add_argument("--probe", action="store_true", help="time probe mode (reply to the first follow-up)")
    parser.add_argument("--fuzz", action="store_true", help="time pathological 12,000-character inputs")
    args = parser.parse_args()
    if args.fuzz:
        return fuzz()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, as the target says
    bank = load_bank()
    items = corpus(bank)
    probe = (lambda q: q.probes[0]) if args.probe else (lambda q: None)
    # Warm-up: regex compilation and imports are not per-answer cost. Every question's signal patterns are
    # compiled first (about 7,000 for the bank; 50 answers alone left most of them to the timed loop).
    criteria.warm(bank.questions.values())
    for answer, q, level in items[:50]:
        evaluate(answer, q, level, probe=probe(q))
    latencies = []
    cpu = time.process_time()
    start = time.perf_counter()
    for i in range(args.n):
        answer, q, level = items[i % len(items)]
        p = probe(q)
        t0 = time.perf_counter()
        evaluate(answer, q, level, probe=p)
        latencies.append(time.perf_counter() - t0)
    wall = time.perf_counter() - start
    cpu_ms = (time.process_time() - cpu) / args.n * 1000
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    rate = args.n / wall
    ok = "OK" if rate >= 500 else "BELOW TARGET"
    mode = " in probe mode" if args.probe else ""
    print(f"{args.n} answers{mode} of {WORDS} words ({len(items)} distinct) on one core: {rate:.0f} answers/s, "
          f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, CPU {cpu_ms:.2f} ms/answer  [{ok}: target >= 500/s]")
    floor = floor_ms(items, args.n)
    print(f"floor in the same run (lower-case, split into words, one set lookup per word): {floor * 1000:.0f} "
          f"us/answer; the engine costs {cpu_ms / floor:.0f}x the floor (machine-independent: compare it across runs)")


_COMMON = frozenset("the a an and to of in on for with i we it was is that my our they".split())


def floor_ms(items: list, n: int) -> float:
    """CPU ms per answer of the least any reader of these answers does: lower-case it, cut it into words, look
    each word up once. The answers/s target is machine-bound; the ratio to this floor is not."""
    from stardrill.feedback.phrases import TOKEN
    cpu = time.process_time()
    for i in range(n):
        sum(t in _COMMON for t in TOKEN.findall(items[i % len(items)][0].lower()))
    return (time.process_time() - cpu) / n * 1000


def fuzz() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.test_feedback_fuzz import PATHOLOGICAL, QUESTION, LEVEL, _normal
    from stardrill.feedback.text import MAX_CHARS

    def best(text: str) -> float:
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            evaluate(text, QUESTION, LEVEL)
            times.append(time.perf_counter() - t0)
        return min(times) * 1000

    evaluate(_normal(2000), QUESTION, LEVEL)
    normal = best(_normal(MAX_CHARS))
    print(f"normal answer of {MAX_CHARS} characters: {normal:.1f} ms")
    worst = 0.0
    for name, text in sorted(PATHOLOGICAL.items()):
        ms = best(text)
        worst = max(worst, ms / normal)
        print(f"  {name:28s} {ms:7.1f} ms  {ms / normal:4.2f}x")
    print(f"worst {worst:.2f}x  [{'OK' if worst <= 3 else 'BELOW TARGET'}: each at most 3x a normal answer]")


if __name__ == "__main__":
    main()
