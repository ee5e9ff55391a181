"""Fit the feedback scorer's weights and write bot/feedback/weights.json. Deterministic: same data, same file.

Run: ``python bench/train_feedback.py [--check]`` (numpy and scipy, from the test extra; the engine itself
never imports them: at run time the score is a dot product). ``--check`` fits and prints without writing.

Data (all of it ours; bench/data/realworld.jsonl is validation only and is never read here):
  - strong texts: the bank's strong examples on the train split (feedback_texts.split_of) and the seed
    guides' STAR examples; weak texts: the bank's weak examples on the train split;
  - damage pairs: every strong text against its damaged copy, for every family in feedback_damage.py,
    wording "a" only (wording "b" stays out, for the left-out-wording property test);
  - off-topic pairs: a train-split strong example against the same text answering a train-split question
    that shares none of its competencies;
  - invariance pairs: cosmetic rewrites (contractions, curly quotes, "Situation:" labels) that must not move.

Model: score = sum_f W_f x f_f, every feature oriented so that the rubric's sign is +, W_f >= FLOOR, and
sum W = 100. Loss: squared hinges (strong >= 80, weak <= 40, damage costs >= 8 points and, weighed ten times
as much, >= 4 points, so that nearly every pair clears the property suite's 2 (rounding included); off-topic costs
>= OFF_TOPIC_GAP, 20 points, before its gate) plus squared invariance gaps and a pull towards the rubric prior (the
hand-set weights). Solved with SLSQP from the prior. Also written: `flagged` (fit_flaw_penalty: the points an
answer with a MAJOR flag loses), `family_base` (mean count of event
words per family on the strong texts, for topics.relevance) and `off_topic_below` (the relevance under
which at most 5% of on-topic train answers fall).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.stats import rankdata

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from feedback_damage import FAMILIES, damaged  # noqa: E402
from feedback_texts import bank_texts, seed_texts  # noqa: E402
from stardrill.content_loader import load_bank  # noqa: E402
from stardrill.feedback import engine, scoring, topics  # noqa: E402
from stardrill.feedback.features import COMPONENT_OF, FEATURES  # noqa: E402
from stardrill.feedback.model import Flag  # noqa: E402
from stardrill.feedback.reading import TOKEN  # noqa: E402
from stardrill.feedback.text import normalise  # noqa: E402

OUT = ROOT / "bot" / "feedback" / "weights.json"
FLOOR = 0.5  # every feature keeps at least half a point: data sets magnitudes, never signs
# The rubric's non-negotiables keep more: an answer without a result, or one that blames, is weak whatever
# the training texts happen to hold elsewhere.
# Each score component keeps a budget of its own, so "structure 6/10" still means something and the
# progress views that track components across answers (bot/progress/tracked.py) stay meaningful.
# An off-topic pair (the same strong text on a question sharing none of its competencies) must cost this many points
# before the off-topic gate: the issue's own gap between on-topic and off-topic means.
OFF_TOPIC_GAP = 20.0
BUDGETS = {"structure": 8.0, "ownership": 14.0, "impact": 14.0, "reflection": 8.0, "criteria": 10.0,
           "clarity": 8.0, "relevance": 8.0}
FLOORS = {"result_at_end": 5.0, "no_blame": 5.5, "real_event": 2.0, "no_generic_lesson": 6.0, "no_hedges": 7.0,
          "result_part": 6.0}
PRIOR = {"own_actions": 5, "concrete_actions": 4, "own_share": 6, "no_handoff": 3, "own_piece": 2, "quantities": 5, "deltas": 5,
         "concrete_outcome": 4, "result_at_end": 2, "result_part": 3, "business": 2, "no_vague": 2, "action_share": 3, "setup_ok": 4, "story": 4,
         "in_time": 2, "specific_lesson": 6, "no_generic_lesson": 3, "criteria": 12, "real_event": 4,
         "no_blame": 3, "no_arrogance": 2, "no_hedges": 2, "no_fillers": 0.5, "no_generic_claims": 0.5,
         "relevance": 12}
MAJOR_FLAG = (Flag("missing-result", ""),)  # stands for any MAJOR flag where the flaw penalty is fitted
COSMETIC = (("I did not", "I didn't"), ("I am", "I'm"), ("'", "\u2019"), ("It was", "It was"))


def vec(text: str, question, level) -> np.ndarray:
    return row(text, question, level)[0]


def row(text: str, question, level) -> tuple[np.ndarray, float, bool]:
    """(features, gate, whether a MAJOR flag is raised): what the flaw penalty is fitted on."""
    v, g, flags = engine.explain(text, question, level)
    return np.array([v[f] for f in FEATURES]), g, any(f.code in scoring.MAJOR for f in flags)


def family_base(texts) -> dict[str, float]:
    counts = {f: 0.0 for f in topics.FAMILIES}
    for t in texts:
        low = normalise(t.text)
        for f, found in topics.family_hits(set(TOKEN.findall(low)), low).items():
            counts[f] += len(found)
    return {f: round(c / max(len(texts), 1), 3) for f, c in sorted(counts.items())}


def off_topic_threshold(bank, strong) -> float:
    """The largest threshold on the asked-for kind of event (0.25-0.35) that flags at most 2% of the on-topic
    train answers as off-topic (with the engine's other conditions: few criteria shown, a rival kind)."""
    level = bank.level("senior")
    rows = []
    for t in strong:
        if t.question_id:
            q = bank.questions[t.question_id]
            a = engine.analyse(t.text, level)
            res = engine.criteria.question_criteria(q, a)
            low = "\n".join(s.low for s in a.sentences)
            hits = topics.family_hits({x for r in a.readings for x in r.tokens}, low)
            kind, _, rival = topics.judge(topics.topic_of(q), hits, scoring.FAMILY_BASE)
            rows.append((kind, engine.criteria.coverage(res), rival))
    best = 0.25
    for t in (0.25, 0.3, 0.35):
        if sum(k < t and c < 0.15 and r >= 2.0 for k, c, r in rows) <= 0.02 * max(len(rows), 1):
            best = t
    return best


def collect(bank, families=FAMILIES, every: int = 1) -> dict[str, list]:
    """Feature rows for every kind of training evidence (`every`: keep one text in that many, for quick checks)."""
    texts = ([t for t in bank_texts(bank, "train")] + seed_texts())[::every]
    strong = [t for t in texts if t.label == "strong"]
    weak = [t for t in texts if t.label == "weak"]
    scoring.FAMILY_BASE.clear()
    scoring.FAMILY_BASE.update(family_base(strong))
    scoring.OFF_TOPIC_BELOW = off_topic_threshold(bank, strong)
    q_of = lambda t: bank.questions[t.question_id] if t.question_id else None  # noqa: E731
    lv = lambda t: bank.level(t.level)  # noqa: E731
    data: dict[str, list] = {"strong": [], "weak": [], "damage": [], "off": [], "same": [], "gated": []}
    for t in strong:
        x, g, major = row(t.text, q_of(t), lv(t))
        data["strong"].append(x)
        data["gated"].append(("strong", x, g, major, None))
        for fam in families:
            d = damaged(t, fam, "a")
            if d:
                dx, dg, dmajor = row(d, q_of(t), lv(t))
                data["damage"].append((x, dx, fam))
                data["gated"].append(("damage", dx, dg, dmajor, (x, g, major)))
        for old, new in COSMETIC:
            if old in t.text and old != new:
                data["same"].append((x, vec(t.text.replace(old, new), q_of(t), lv(t))))
    for t in weak:
        x, g, major = row(t.text, q_of(t), lv(t))
        data["weak"].append(x)
        data["gated"].append(("weak", x, g, major, None))
    on_bank = [t for t in strong if t.question_id]
    for t in on_bank:
        q = bank.questions[t.question_id]
        x = vec(t.text, q, lv(t))
        for other in on_bank:
            p = bank.questions[other.question_id]
            if not set(p.competencies) & set(q.competencies) and other.question_id < t.question_id:
                data["off"].append((x, vec(t.text, p, lv(t))))
    return data


def fit(data: dict[str, list], exclude: str | None = None) -> np.ndarray:
    prior = np.array([PRIOR[f] for f in FEATURES], dtype=float)
    prior *= 100.0 / prior.sum()
    S, Wk = np.array(data["strong"]), np.array(data["weak"]) if data["weak"] else np.zeros((0, len(FEATURES)))
    pairs = [(a, b, fam) for a, b, fam in data["damage"] if fam != exclude]
    D = np.array([a - b for a, b, _ in pairs]) if pairs else np.zeros((0, len(FEATURES)))
    # Each family weighs the same in the loss, however many texts it applies to.
    counts = {fam: sum(f == fam for _, _, f in pairs) for fam in {f for _, _, f in pairs}}
    family_weight = np.array([len(pairs) / (len(counts) * counts[f]) for _, _, f in pairs]) if pairs else np.zeros(0)
    O = np.array([a - b for a, b in data["off"]]) if data["off"] else np.zeros((0, len(FEATURES)))
    Z = np.array([a - b for a, b in data["same"]]) if data["same"] else np.zeros((0, len(FEATURES)))

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for M, target, sign, scale, rows in ((S, 80.0, 1, 1.0, None), (Wk, 40.0, -1, 1.0, None),
                                             (D, 8.0, 1, 6.0, family_weight), (D, 4.0, 1, 60.0, family_weight),
                                             (O, OFF_TOPIC_GAP, 1, 1.0, None)):
            if not len(M):
                continue
            gap = np.maximum(target - M @ w if sign > 0 else M @ w - target, 0.0)
            if rows is not None:
                gap = gap * np.sqrt(rows)
            total += scale * float(gap @ gap) / len(M)
            g = (M.T @ (gap * (np.sqrt(rows) if rows is not None else 1.0))) / len(M)
            grad += scale * (-2.0 * g if sign > 0 else 2.0 * g)
        if len(Z):
            z = Z @ w
            total += 4.0 * float(z @ z) / len(Z)
            grad += 8.0 * (Z.T @ z) / len(Z)
        diff = w - prior
        total += 0.1 * float(diff @ diff)
        grad += 0.2 * diff
        return total, grad

    bounds = [(FLOORS.get(f, FLOOR), 40.0) for f in FEATURES]
    start = np.maximum(prior, [b[0] for b in bounds])
    groups = {c: np.array([COMPONENT_OF[f] == c for f in FEATURES], dtype=float) for c in BUDGETS}
    budget_constraints = [{"type": "ineq", "fun": (lambda w, m=m, b=b: m @ w - b), "jac": (lambda w, m=m: m)}
                          for c, b in BUDGETS.items() for m in [groups[c]]]
    res = minimize(loss, start, jac=True, method="SLSQP", bounds=bounds,
                   constraints=[{"type": "eq", "fun": lambda w: w.sum() - 100.0, "jac": lambda w: np.ones_like(w)}]
                   + budget_constraints,
                   options={"maxiter": 500, "ftol": 1e-10})
    w = np.maximum(res.x, [b[0] for b in bounds])
    return np.round(w * 100.0 / w.sum(), 3)


def _auc(pos: list[float], neg: list[float]) -> float:
    """Strong above weak over every pair, ties half (from average ranks)."""
    ranks = rankdata(pos + neg)[:len(pos)]
    return float((ranks.sum() - len(pos) * (len(pos) + 1) / 2) / max(len(pos) * len(neg), 1))


def fit_flaw_penalty(data: dict[str, list], w: np.ndarray) -> dict[str, float]:
    """The points `scoring.flaw_gate` takes off an answer with a MAJOR flag, on the fitted weights: the whole number
    (0-30) that best ranks the strong texts above the weak ones and the damaged copies together (AUC to 3
    decimals); among equals the smallest."""
    def points(x: np.ndarray, g: float, major: bool, penalty: float) -> float:
        raw = float(x @ w) * g
        return raw * scoring.flaw_gate(raw, MAJOR_FLAG if major else (), penalty)

    best = (-1.0, 0.0)
    for penalty in range(0, 31):
        pos = [points(x, g, m, penalty) for kind, x, g, m, _ in data["gated"] if kind == "strong"]
        neg = [points(x, g, m, penalty) for kind, x, g, m, _ in data["gated"] if kind != "strong"]
        best = max(best, (round(_auc(pos, neg), 3), -penalty))
    return {"penalty": float(-best[1])}


def drop_rates(data: dict[str, list], w: np.ndarray) -> dict[str, float]:
    out = {}
    for fam in FAMILIES:
        gaps = [float((a - b) @ w) for a, b, f in data["damage"] if f == fam]
        out[fam] = round(sum(g >= 2 for g in gaps) / len(gaps), 3) if gaps else float("nan")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="fit and report, do not write weights.json")
    args = parser.parse_args()
    bank = load_bank()
    data = collect(bank)
    w = fit(data)
    print(f"{len(data['strong'])} strong, {len(data['weak'])} weak, {len(data['damage'])} damage pairs, "
          f"{len(data['off'])} off-topic pairs, {len(data['same'])} invariance pairs")
    print("weights:", {f: float(x) for f, x in zip(FEATURES, w)})
    print("damage drop >= 2 points (train pairs):", drop_rates(data, w))
    flagged = fit_flaw_penalty(data, w)
    print("points off an answer with a major flag:", flagged)
    # Version 2: the result_part feature (the Result part, wherever it sits) joined the vector; 3: the penalty for a
    # major flag (`flagged`) joined the model.
    model = {"version": 3, "note": "Written by bench/train_feedback.py; do not edit by hand.",
             "weights": {f: float(x) for f, x in zip(FEATURES, w)}, "family_base": dict(scoring.FAMILY_BASE),
             "off_topic_below": scoring.OFF_TOPIC_BELOW, "flagged": flagged,
             "trained_on": {"bank_split": "train", "seeds": len(seed_texts()), "families": list(FAMILIES),
                            "wording": "a", "floor": FLOOR, "floors": FLOORS, "budgets": BUDGETS}}
    if not args.check:
        OUT.write_text(json.dumps(model, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
