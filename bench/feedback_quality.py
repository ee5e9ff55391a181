"""How well the feedback score separates strong from weak answers, on our data and on other people's.

Run: ``python bench/feedback_quality.py [--section all|realworld|bank|offtopic|damage|flaws|criteria] [--leave-out]``.

Sections (each prints its acceptance line):
  realworld  bench/data/realworld.jsonl (answers quoted from public pages, labelled by their sources; never
             used to fit anything): AUC strong vs weak on answers of 40+ words against a length-only
             baseline, also without the dominant site, without the lines whose label the answer's own text
             contradicts (`label_note`), for the dominant site alone, on every line, and on the lines collected
             after the engine's last change (UNSEEN_FROM on: never read while it was built); then each site's
             mean score per label and an AUC over strong/weak pairs of the same site only (each site labels
             on its own scale). Scored with no question (the general rubric): the pages' questions are not
             in the bank.
  bank       the bank-derived dev set (bench/data/feedback_dev.jsonl, report split): AUC and pairwise
             accuracy, as before.
  offtopic   every strong example judged against the bank's questions that share none of its competencies:
             share rated "strong" and mean score, against the same example on its own question.
  damage     every damage family of bench/feedback_damage.py (both wordings) on strong texts (bank, seed
             guides, real-world): share whose score drops by 2+ points and the mean drop.
             ``--leave-out`` also refits the weights without each family (numpy/scipy) and checks that
             the left-out family still drops.
  flaws      the flaws the real-world pages name, against the flags the engine raises (recall), and the
             number of major flags on the strong real-world answers.
  criteria   whether the bank's question criteria recognise other people's wording: each real-world answer
             of 40+ words judged against the bank questions of its page's competency (PAGE_COMPETENCY maps the
             pages' names to the bank's), the share of criteria left "missing" and the mean coverage (met 1,
             partly 0.5), strong and weak apart, and on the related question that fits each answer best; and
             the strong ones against questions sharing none of those competencies, where coverage should stay low.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from feedback_damage import FAMILIES, WORDINGS, damaged  # noqa: E402
from feedback_texts import bank_texts, dominant_site, realworld_texts, seed_texts, site_of  # noqa: E402
from stardrill.content_loader import load_bank  # noqa: E402
from stardrill.content_models import Probe, ProbeAnswer  # noqa: E402
from stardrill.feedback import evaluate  # noqa: E402
from stardrill.feedback.scoring import MAJOR  # noqa: E402

DATA = ROOT / "bench" / "data" / "feedback_dev.jsonl"
# Which flags name each flaw tag of bench/data/README.md.
FLAW_FLAGS = {
    "we-credit": {"we-actions", "shared-steps", "conceded", "handoff", "missing-action"},
    "no-result": {"missing-result", "vague-result"},
    "blame": {"blame"},
    "hypothetical": {"hypothetical"},
    "no-example": {"no-story", "hypothetical", "non-answer", "missing-action", "generic-claim"},
    "too-much-setup": {"setup-heavy", "thin-action"},
    "arrogance": {"self-win"},
    "vague": {"vague-result", "no-number", "missing-result", "generic-claim"},
    "negative": {"blame"},
    "off-topic": {"off-topic", "non-answer"},
    "no-reflection": {"no-reflection", "generic-lesson"},
}
REALWORLD_LEVEL = "senior"
# Lines from this id on were collected after the engine's last change and were never looked at while it was
# built: the cleanest estimate of how it does on answers nobody tuned for (reported on their own too).
UNSEEN_FROM = 134
# Blind batches (collected by people who neither ran nor read the engine, nor saw the lines already here),
# each scored once with the engine as it was: (first line, last line).
BLIND_BATCHES = ((191, 238), (239, 244))


def line_number(t) -> int:
    return int(t.source.rsplit("-", 1)[1])


def unseen(t) -> bool:
    return line_number(t) >= UNSEEN_FROM


def in_batch(first: int, last: int):
    return lambda t: first <= line_number(t) <= last


def auc(scores: list[tuple[float, str]]) -> float:
    """Probability that a random strong line outscores a random weak line (ties count half)."""
    pos = [s for s, label in scores if label == "strong"]
    neg = [s for s, label in scores if label == "weak"]
    if not pos or not neg:
        return float("nan")
    return sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))


def realworld(bank) -> None:
    texts = realworld_texts()
    site = dominant_site(texts)
    level = bank.level(REALWORLD_LEVEL)
    scored = [(evaluate(t.text, None, level).score, t) for t in texts]
    print(f"real-world set: {len(texts)} answers ({sum(t.label == 'strong' for t in texts)} strong), "
          f"scored with the general rubric at {REALWORLD_LEVEL}; dominant site {site}")
    for name, keep in (("40+ words", lambda t: t.words >= 40), (f"40+ words without {site}",
                       lambda t: t.words >= 40 and site not in t.url),
                       (f"40+ words, {site} lines its text contradicts dropped", lambda t: t.words >= 40 and not t.label_note),
                       (f"40+ words, {site} only", lambda t: t.words >= 40 and site in t.url),
                       ("every line", lambda t: True),
                       (f"unseen lines (rw-{UNSEEN_FROM} on), 40+ words", lambda t: t.words >= 40 and unseen(t)),
                       (f"unseen lines (rw-{UNSEEN_FROM} on), every line", unseen),
                       *_batches()):
        rows = [(s, t) for s, t in scored if keep(t)]
        a, base = auc([(s, t.label) for s, t in rows]), auc([(t.words, t.label) for _, t in rows])
        ok = "OK" if a >= 0.85 and a >= base + 0.10 else "BELOW TARGET"
        tag = f"  [{ok}: target >= 0.85 and >= length-only + 0.10]" if name == "40+ words" else ""
        print(f"  {name:52s} n={len(rows):3d} ({sum(t.label == 'strong' for _, t in rows)} strong)  AUC {a:.3f}  "
              f"length-only {base:.3f}{tag}")
    per_source(scored)


def _batches():
    for n, (first, last) in enumerate(BLIND_BATCHES, 1):
        batch = in_batch(first, last)
        yield f"blind batch {n} (rw-{first} to rw-{last}), 40+ words", lambda t, b=batch: t.words >= 40 and b(t)
        yield f"blind batch {n} (rw-{first} to rw-{last}), every line", batch


def per_source(scored) -> None:
    """Mean score by source site and label: no single site's labels should carry the figure."""
    sites: dict[str, list] = defaultdict(list)
    for s, t in scored:
        sites[site_of(t)].append((s, t))
    print("  per source (sites with 3+ lines; mean score strong / weak, n):")
    for host in sorted(sites, key=lambda h: (-len(sites[h]), h)):
        rows = sites[host]
        if len(rows) < 3:
            continue
        means = []
        for label in ("strong", "weak"):
            sub = [s for s, t in rows if t.label == label]
            means.append(f"{statistics.mean(sub):5.1f} (n={len(sub):2d})" if sub else "    -       ")
        a = auc([(s, t.label) for s, t in rows])
        print(f"    {host:40s} {means[0]} / {means[1]}" + (f"  AUC {a:.3f}" if a == a else ""))
    # Each site labels on its own scale (one site's "weak" can be another's "strong"): pairs within one site.
    pairs = []
    for rows in sites.values():
        long = [(s, t.label) for s, t in rows if t.words >= 40]
        pairs += [(p > n) + 0.5 * (p == n) for p, lp in long if lp == "strong" for n, ln in long if ln == "weak"]
    if pairs:
        print(f"    40+ words, strong against weak of the same site only: AUC {sum(pairs) / len(pairs):.3f} "
              f"over {len(pairs)} pairs")
    small = [(s, t) for host, rows in sites.items() if len(rows) < 3 for s, t in rows]
    print(f"    {'sites with 1-2 lines (' + str(len({site_of(t) for _, t in small})) + ')':40s} "
          f"AUC {auc([(s, t.label) for s, t in small]):.3f} (n={len(small)})")


def bank_dev(bank) -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["split"] == "report" and r["question_id"] in bank.questions]
    for r in rows:
        q = bank.questions[r["question_id"]]
        probe = q.probes[r["probe"]] if r.get("probe") is not None and r["probe"] < len(q.probes) else None
        if r.get("probe") is not None and probe is None:
            r["score"] = None
            continue
        if probe is not None:  # the model replies hidden: what the probe question alone supports
            blank = ProbeAnswer(text="-", why="-")
            probe = Probe.model_validate(probe.model_dump() | {"strong": blank.model_dump(), "weak": blank.model_dump()})
        r["score"] = evaluate(r["answer"], q, bank.level(r["level"]), probe=probe).score
        r["words"] = len(r["answer"].split())
    rows = [r for r in rows if r.get("score") is not None]
    print(f"bank-derived dev set (report split, probe replies judged without the model replies): {len(rows)} lines")
    for name, keep in (("all lines", lambda r: True), ("full answers", lambda r: not r["kind"].startswith("probe")),
                       ("probe answers", lambda r: r["kind"].startswith("probe"))):
        sub = [r for r in rows if keep(r)]
        print(f"  {name:15s} n={len(sub):4d}  AUC {auc([(r['score'], r['label']) for r in sub]):.3f}  |  "
              f"length-only {auc([(r['words'], r['label']) for r in sub]):.3f}")


def offtopic(bank) -> None:
    on, off, strong_off, flagged_on = [], [], 0, 0
    questions = [bank.questions[q] for q in sorted(bank.questions)]
    for q in questions:
        example = q.strong_examples[0]
        level = bank.level(example.level)
        own = evaluate(example.text(), q, level)
        on.append(own.score)
        flagged_on += any(fl.code == "off-topic" for fl in own.flags)
        flagged_on += sum(any(fl.code == "off-topic" for fl in evaluate(w.text, q, level).flags) for w in q.weak_examples)
        for other in questions:
            if set(other.competencies) & set(q.competencies):
                continue
            f = evaluate(example.text(), other, level)
            off.append(f.score)
            strong_off += f.verdict == "strong"
    share = strong_off / max(len(off), 1)
    gap = statistics.mean(on) - statistics.mean(off)
    ok = "OK" if share <= 0.10 and gap >= 20 else "BELOW TARGET"
    print(f"off-topic: {len(on)} strong examples on their own question (mean {statistics.mean(on):.1f}) and "
          f"{len(off)} times on a question sharing no competency (mean {statistics.mean(off):.1f})")
    print(f"  rated strong off-topic {share:.1%}, mean gap {gap:.1f} points  [{ok}: target <= 10% and >= 20 points]")
    answers = len(questions) + sum(len(q.weak_examples) for q in questions)
    print(f"  on their own question, {flagged_on} of {answers} strong and weak examples are flagged off-topic")


def _strong_texts(bank):
    return ([t for t in bank_texts(bank) if t.label == "strong"] + seed_texts()
            + [t for t in realworld_texts() if t.label == "strong"])


def damage(bank, leave_out: bool) -> None:
    texts = _strong_texts(bank)
    base = {}
    for t in texts:
        q = bank.questions[t.question_id] if t.question_id else None
        base[t.source] = (evaluate(t.text, q, bank.level(t.level)).score, q)
    print(f"damage families on {len(texts)} strong texts (bank {sum(t.source.startswith('bank') for t in texts)}, "
          f"seeds {sum(t.source.startswith('seed') for t in texts)}, real-world "
          f"{sum(t.source.startswith('realworld') for t in texts)}); wording b is never used in training")
    worst = 1.0
    for fam in FAMILIES:
        line = []
        for w in WORDINGS:
            drops = []
            for t in texts:
                d = damaged(t, fam, w)
                if d:
                    score, q = base[t.source]
                    drops.append(score - evaluate(d, q, bank.level(t.level)).score)
            share = sum(x >= 2 for x in drops) / max(len(drops), 1)
            worst = min(worst, share) if statistics.mean(drops or [0]) >= 5 else 0.0
            line.append(f"{w}: {share:6.1%} drop, mean {statistics.mean(drops or [0]):5.1f} (n={len(drops)})")
        print(f"  {fam:19s} " + "   ".join(line))
    print(f"  worst family: {worst:.1%}  [{'OK' if worst >= 0.95 else 'BELOW TARGET'}: every family >= 95% and "
          f"mean >= 5 points]")
    if leave_out:
        from train_feedback import collect, fit
        data = collect(bank)
        print("  left-out family (weights refitted without it; share of train pairs dropping 2+ points):")
        worst_left = 1.0
        for fam in FAMILIES:
            w = fit(data, exclude=fam)
            gaps = [float((a - b) @ w) for a, b, f in data["damage"] if f == fam]
            share = sum(g >= 2 for g in gaps) / max(len(gaps), 1)
            worst_left = min(worst_left, share)
            print(f"    {fam:19s} {share:6.1%} (n={len(gaps)})")
        print(f"  worst left-out family: {worst_left:.1%}  [{'OK' if worst_left >= 0.85 else 'BELOW TARGET'}: >= 85%]")


def flaws(bank) -> None:
    level = bank.level(REALWORLD_LEVEL)
    texts = realworld_texts()
    site = dominant_site(texts)
    found = defaultdict(lambda: [0, 0])
    majors = []
    hit = total = hit_other = total_other = hit_unseen = total_unseen = 0
    for t in texts:
        f = evaluate(t.text, None, level)
        codes = {fl.code for fl in f.flags}
        if t.label == "strong":
            majors.append(len(codes & MAJOR))
        for tag in t.flaws:
            ok = bool(FLAW_FLAGS[tag] & codes)
            found[tag][0] += ok
            found[tag][1] += 1
            hit, total = hit + ok, total + 1
            if site not in t.url:
                hit_other, total_other = hit_other + ok, total_other + 1
            if unseen(t):
                hit_unseen, total_unseen = hit_unseen + ok, total_unseen + 1
    recall = hit / max(total, 1)
    print(f"source-named flaws on the real-world set: {total} (answer, flaw) pairs")
    for tag in sorted(found):
        print(f"  {tag:15s} {found[tag][0]:2d}/{found[tag][1]:2d}  flags: {', '.join(sorted(FLAW_FLAGS[tag]))}")
    median = statistics.median(majors) if majors else 0
    print(f"  recall {recall:.1%} (without {site}: {hit_other}/{total_other}; unseen lines rw-{UNSEEN_FROM} on: "
          f"{hit_unseen}/{total_unseen})  [{'OK' if recall >= 0.70 else 'BELOW TARGET'}: >= 70%]")
    print(f"  strong answers: median {median} major flags  [{'OK' if median <= 1 else 'BELOW TARGET'}: <= 1]")


# The real-world pages' competency names, as the bank's competencies.
PAGE_COMPETENCY = {
    "failure": {"failure-learning"}, "mistake": {"failure-learning"}, "customer": {"customer-obsession"},
    "customer-focus": {"customer-obsession"}, "initiative": {"ownership", "bias-for-action"}, "ownership": {"ownership"},
    "conflict": {"conflict", "cross-functional-conflict"}, "disagreement": {"have-backbone", "conflict"},
    "deadline": {"deliver-results"}, "time-management": {"prioritisation", "deliver-results"},
    "prioritisation": {"prioritisation"}, "leadership": {"influence-without-authority", "hire-and-develop"},
    "influence": {"influence-without-authority"}, "teamwork": {"earn-trust"},
    "problem-solving": {"dive-deep", "invent-and-simplify"},
}


def criteria_reach(bank) -> None:
    questions = [bank.questions[q] for q in sorted(bank.questions)]
    level = bank.level("senior")
    value = {"met": 1.0, "partly": 0.5, "missing": 0.0}
    related = {"strong": [], "weak": []}
    best = {"strong": [], "weak": []}  # per answer, the coverage on the related question that fits it best
    unrelated = []
    answers = 0
    for t in realworld_texts():
        comps = PAGE_COMPETENCY.get(t.competency or "")
        if not comps or len(t.text.split()) < 40:
            continue
        answers += 1
        covers = []
        for q in questions:
            if set(q.competencies) & comps:
                statuses = [c.status for c in evaluate(t.text, q, level).criteria]
                related[t.label] += statuses
                covers.append(sum(value[s] for s in statuses) / len(statuses))
        best[t.label].append(max(covers, default=0.0))
        if t.label == "strong":
            for q in questions[::10]:
                if not set(q.competencies) & comps:
                    unrelated += [c.status for c in evaluate(t.text, q, level).criteria]

    def line(statuses):
        missing = sum(s == "missing" for s in statuses) / max(len(statuses), 1)
        cover = sum(value[s] for s in statuses) / max(len(statuses), 1)
        return f"criteria missing {missing:.1%}, coverage {cover:.3f} (n={len(statuses)})"
    print(f"question criteria on {answers} real-world answers, judged against the bank questions of their competency:")
    print(f"  strong answers   {line(related['strong'])}")
    print(f"  weak answers     {line(related['weak'])}")
    print(f"  strong answers on questions of other competencies: {line(unrelated)}")
    print(f"  on the related question that fits each answer best: coverage strong {statistics.mean(best['strong']):.3f}"
          f" (n={len(best['strong'])}), weak {statistics.mean(best['weak']):.3f} (n={len(best['weak'])})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--section", default="all", choices=("all", "realworld", "bank", "offtopic", "damage", "flaws",
                                                                  "criteria"))
    parser.add_argument("--leave-out", action="store_true", help="refit without each damage family (numpy, scipy)")
    args = parser.parse_args()
    bank = load_bank()
    run = {"realworld": lambda: realworld(bank), "bank": lambda: bank_dev(bank), "offtopic": lambda: offtopic(bank),
           "damage": lambda: damage(bank, args.leave_out), "flaws": lambda: flaws(bank),
           "criteria": lambda: criteria_reach(bank)}
    for name, fn in run.items():
        if args.section in ("all", name):
            fn()


if __name__ == "__main__":
    main()
