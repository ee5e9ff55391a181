"""Measure how well the feedback engine's score separates strong from weak answers.

Run: ``python bench/feedback_quality.py [--split report|tune|all] [--by-kind]``.
Prints, on the chosen split (default: report, the split the engine was NOT tuned on):
  - AUC of the score, strong vs weak, on all lines
  - pairwise accuracy: for every (strong, weak) pair of answers to the same question (same `pair`
    key: the main question, or one follow-up probe), how often strong scores higher (ties count half)
  - the same two on the length-matched subset (strong examples and their +-10% weak variants)
  - the AUC a length-only baseline (score = word count) gets on the same lines
  - for context, the same on full answers only (strong/weak examples and variants) and on probe
    (follow-up) answers only: mixing 40-word follow-ups with 250-word full answers in one AUC
    asks whether a good follow-up beats a flawed full answer, which the rubric does not settle.
Probe lines (they carry `probe`, the index of the follow-up) are judged in probe mode:
``evaluate(answer, question, level, probe=question.probes[i])``. Probe mode reads the bank's strong
and weak replies to the follow-up, and the probe lines are those very replies, so everything is
printed twice: as the engine runs, and with the model replies hidden (the probe question only).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from stardrill.content_loader import load_bank  # noqa: E402
from stardrill.content_models import Probe, ProbeAnswer  # noqa: E402
from stardrill.feedback import evaluate  # noqa: E402

DATA = ROOT / "bench" / "data" / "feedback_dev.jsonl"


def auc(scores: list[tuple[float, str]]) -> float:
    """Probability that a random strong line outscores a random weak line (ties count half)."""
    pos = [s for s, label in scores if label == "strong"]
    neg = [s for s, label in scores if label == "weak"]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def pairwise(rows: list[dict], key: str) -> tuple[float, int]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r["pair"]].append(r)
    wins = total = 0.0
    for group in groups.values():
        for s in (r for r in group if r["label"] == "strong"):
            for w in (r for r in group if r["label"] == "weak"):
                wins += (s[key] > w[key]) + 0.5 * (s[key] == w[key])
                total += 1
    return (wins / total if total else float("nan")), int(total)


def _hidden(probe: Probe) -> Probe:
    """The probe with its model replies replaced by a neutral placeholder: only the question is left."""
    blank = ProbeAnswer(text="-", why="-")
    return probe.model_copy(update={"strong": blank, "weak": blank})


def score_rows(rows: list[dict], hide_model_replies: bool = False) -> None:
    """Full answers: evaluate(answer, question, level). Probe lines: the same in probe mode, with the
    line's probe (`probe` index); `hide_model_replies` scores them without the bank's strong/weak reply."""
    bank = load_bank()
    for r in rows:
        question = bank.questions[r["question_id"]]
        probe = question.probes[r["probe"]] if r.get("probe") is not None else None
        if probe is not None and hide_model_replies:
            probe = _hidden(probe)
        fb = evaluate(r["answer"], question, bank.level(r["level"]), probe=probe)
        r["score"], r["verdict"], r["words"] = fb.score, fb.verdict, len(r["answer"].split())


def report(rows: list[dict], title: str) -> None:
    matched = [r for r in rows if r["length_matched"]]
    print(f"{title}: {len(rows)} lines ({sum(r['label'] == 'strong' for r in rows)} strong), "
          f"{len({r['question_id'] for r in rows})} questions")
    full = [r for r in rows if not r["kind"].startswith("probe")]
    probes = [r for r in rows if r["kind"].startswith("probe")]
    for name, subset in (("all lines", rows), ("length-matched", matched), ("full answers", full),
                         ("probe answers", probes)):
        a = auc([(r["score"], r["label"]) for r in subset])
        base = auc([(r["words"], r["label"]) for r in subset])
        acc, n = pairwise(subset, "score")
        base_acc, _ = pairwise(subset, "words")
        print(f"  {name:15s} n={len(subset):4d}  AUC {a:.3f}  pairwise {acc:.3f} ({n} pairs)  |  "
              f"length-only AUC {base:.3f}  pairwise {base_acc:.3f}")


def by_kind(rows: list[dict]) -> None:
    strong = sorted(r["score"] for r in rows if r["kind"] == "strong-example")
    print("  per kind: mean score, share below the median strong example, verdicts")
    median = strong[len(strong) // 2] if strong else 0
    kinds = sorted({r["kind"] for r in rows})
    for kind in kinds:
        sub = [r for r in rows if r["kind"] == kind]
        mean = sum(r["score"] for r in sub) / len(sub)
        below = sum(r["score"] < median for r in sub) / len(sub)
        verdicts = defaultdict(int)
        for r in sub:
            verdicts[r["verdict"]] += 1
        print(f"    {kind:17s} n={len(sub):3d} mean {mean:5.1f}  below-median-strong {below:.2f}  {dict(verdicts)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="report", choices=("report", "tune", "all"))
    parser.add_argument("--by-kind", action="store_true")
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.split != "all":
        rows = [r for r in rows if r["split"] == args.split]
    score_rows(rows)
    report(rows, f"split={args.split}")
    if args.by_kind:
        by_kind(rows)
    # Probe mode reads the bank's model replies, and the probe lines are those replies: the same
    # figures with the model replies hidden show what the probe question alone supports.
    score_rows(rows, hide_model_replies=True)
    report(rows, f"split={args.split}, probe lines with the model replies hidden")
    if args.by_kind:
        by_kind(rows)


if __name__ == "__main__":
    main()
