"""Build the labelled dev set for the feedback engine: bench/data/feedback_dev.jsonl (+ README.md).

Deterministic: the same bank gives byte-identical output (no randomness, sorted iteration,
rotation offsets from a sha256 of the question id). Run: ``python bench/make_feedback_dev.py``.

Lines come from the question bank (content/questions/*.toml):
  strong-example   the strong example's five parts joined            label strong
  weak-example     the weak example                                   label weak
  probe-strong     each probe's strong answer                         label strong
  probe-weak       each probe's weak answer                           label weak
                   (probe lines carry "probe": the index into the question's probes, so the bench
                   can judge them as follow-up replies: evaluate(..., probe=question.probes[i]))
and five weak variants of every strong example, each kept within +-10% of its word count
(`length_matched` says whether the fit succeeded):
  variant-setup    Situation kept, then story-neutral background sentences (SETUP_PAD), the Task,
                   only the first Action sentence and the first Result sentence; no reflection.
                   -> setup eats the answer, thin action.
  variant-we       every first-person singular pronoun swapped for plural (I->we, my->our,
                   me->us, myself->ourselves); nothing else changes. -> "we" everywhere.
  variant-noresult the Result part dropped and replaced by activity narration (ACTIVITY_PAD)
                   that reports no outcome. -> result removed.
  variant-generic  the Reflection replaced by generic lessons (GENERIC_PAD). -> generic reflection.
  variant-vague    hedges prefixed to Action sentences (HEDGE_PREFIXES, in rotation) and the
                   Result replaced by vague outcomes (VAGUE_PAD). -> hedged / vague.
Padding sentences are added in rotation until the word count is within +-10% of the strong example.

README.md is regenerated up to its "## Real-world dev set" heading; that section and everything after it
are maintained by hand and kept verbatim.

Split: ``split`` is "tune" when sha256(question_id) % 3 == 0, else "report". The engine was tuned
only while looking at the tune split; bench/feedback_quality.py reports on the report split.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from stardrill.content_loader import load_bank  # noqa: E402

OUT = ROOT / "bench" / "data" / "feedback_dev.jsonl"
README = ROOT / "bench" / "data" / "README.md"
TOLERANCE = 0.10
PARTS = ("situation", "task", "action", "result", "reflection")

SETUP_PAD = (
    "For some background, the system had grown over several years and a lot of different people had worked on it.",
    "The organisation had been through a couple of reorganisations, so ownership of different pieces had shifted "
    "around more than once.",
    "At the time there were several other projects going on, and everyone was fairly busy with their own priorities.",
    "To give a bit more context, the company had been growing quickly and the processes had not kept up with it.",
    "There was also some history here, because a similar issue had come up before and people had different opinions "
    "about it.",
    "The codebase itself was fairly old and used a mix of older and newer frameworks that had been added over time.",
    "Planning happened every quarter, and the roadmap for that quarter had already been agreed before this came up.",
    "Several groups were involved, including product, operations and a couple of partner teams in other offices.",
    "It is worth explaining how the different pieces talked to each other, because that shaped a lot of what "
    "happened later.",
    "The team had a mix of experience levels, with some people who had been there for years and some who had just "
    "joined.",
)
ACTIVITY_PAD = (
    "After that we kept working through the remaining items and checked in with the other people involved regularly.",
    "I followed up with everyone over the next few weeks to make sure things stayed on track.",
    "We continued to meet every week and went through whatever had come up since the last meeting.",
    "There were a few more rounds of review and discussion before everything was wrapped up.",
    "I also kept my manager updated throughout so that nothing came as a surprise.",
    "Once that was in place we moved on to the next set of priorities for the quarter.",
)
GENERIC_PAD = (
    "I learned that communication is really important, especially when several teams are involved.",
    "It taught me that teamwork matters and that it is always worth keeping everyone in the loop.",
    "Overall it was a great learning experience and I grew a lot from it.",
    "Looking back, I realised how important it is to stay positive when things get hard.",
    "The main lesson for me was that collaboration is key to success.",
)
VAGUE_PAD = (
    "In the end it went pretty well and everyone was happy with how things turned out.",
    "Things got a lot better after that and the team was happy with the result.",
    "I think it was a success overall, and people gave positive feedback about it.",
    "Eventually we got it done and it worked out fine.",
    "Maybe it was not perfect, but I guess things improved quite a bit over time.",
)
HEDGE_PREFIXES = ("I think ", "Basically, ", "I guess ", "Sort of, ", "Maybe ")
_PRONOUNS = {"I": "we", "me": "us", "my": "our", "My": "Our", "myself": "ourselves", "mine": "ours",
             "I'm": "we're", "I've": "we've", "I'd": "we'd", "I'll": "we'll"}
_PRONOUN_RE = re.compile(r"\b(?:I'm|I've|I'd|I'll|I|me|my|My|myself|mine)\b")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9$\"'])")


def words(text: str) -> int:
    return len(text.split())


def sentences(text: str) -> list[str]:
    return [s for s in _SENT.split(text.strip()) if s]


def offset(qid: str) -> int:
    return int(hashlib.sha256(qid.encode()).hexdigest(), 16)


def split_of(qid: str) -> str:
    return "tune" if offset(qid) % 3 == 0 else "report"


def fit(head: list[str], pad: tuple[str, ...], tail: list[str], target: int, start: int) -> tuple[str, bool]:
    """Add pad sentences in rotation between head and tail until the length is within tolerance."""
    chosen: list[str] = []
    i = start
    # Keep adding while the next sentence brings the length closer to the target, so variants land
    # on either side of it and length alone cannot tell them apart.
    while len(chosen) < 40:
        now = words(" ".join(head + chosen + tail))
        nxt = now + words(pad[i % len(pad)])
        if abs(nxt - target) >= abs(now - target):
            break
        chosen.append(pad[i % len(pad)])
        i += 1
    text = " ".join(head + chosen + tail)
    return text, abs(words(text) - target) <= TOLERANCE * target


def to_we(text: str) -> str:
    """I -> we everywhere; a sentence-initial 'we' is capitalised."""
    out = _PRONOUN_RE.sub(lambda m: _PRONOUNS[m.group(0)], text)
    return re.sub(r"(^|[.!?]\s+)we\b", lambda m: m.group(1) + "We", out)


def hedge(sentence: str, i: int) -> str:
    prefix = HEDGE_PREFIXES[i % len(HEDGE_PREFIXES)]
    first = sentence if sentence.startswith("I ") or sentence.startswith("I'") else sentence[0].lower() + sentence[1:]
    return prefix + first


def variants(q) -> dict[str, tuple[str, bool]]:
    ex = q.strong_examples[0]
    part = {p: getattr(ex, p).text for p in PARTS}
    target = words(ex.text())
    start = offset(q.id)
    action = sentences(part["action"])
    result = sentences(part["result"])
    return {
        "variant-setup": fit([part["situation"]], SETUP_PAD, [part["task"], action[0], result[0]], target, start),
        "variant-we": (to_we(ex.text()), True),
        "variant-noresult": fit([part["situation"], part["task"], part["action"]], ACTIVITY_PAD,
                                [part["reflection"]], target, start),
        "variant-generic": fit([part[p] for p in PARTS[:4]], GENERIC_PAD, [], target, start),
        "variant-vague": fit([part["situation"], part["task"]] + [hedge(s, start + i) for i, s in enumerate(action)],
                             VAGUE_PAD, [part["reflection"]], target, start),
    }


def rows_for(q, source: str) -> list[dict]:
    level = q.strong_examples[0].level
    base = {"question_id": q.id, "level": level, "split": split_of(q.id)}
    rows = [
        {**base, "answer": q.strong_examples[0].text(), "label": "strong", "kind": "strong-example",
         "source": f"{source}#{q.id}.strong_example", "pair": f"{q.id}:main", "length_matched": True},
        {**base, "answer": q.weak_examples[0].text, "label": "weak", "kind": "weak-example",
         "source": f"{source}#{q.id}.weak_example", "pair": f"{q.id}:main", "length_matched": False},
    ]
    for i, probe in enumerate(q.probes):
        for label in ("strong", "weak"):
            rows.append({**base, "answer": getattr(probe, label).text, "label": label, "kind": f"probe-{label}",
                         "source": f"{source}#{q.id}.probes[{i}].{label}", "pair": f"{q.id}:probe{i}",
                         "probe": i, "length_matched": False})
    for kind, (text, matched) in variants(q).items():
        rows.append({**base, "answer": text, "label": "weak", "kind": kind,
                     "source": f"{source}#{q.id}.strong_example ({kind} rewrite, bench/make_feedback_dev.py)",
                     "pair": f"{q.id}:main", "length_matched": matched})
    return rows


def header_comment(path: Path) -> str:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").strip())
    return " ".join(x for x in lines if x and not set(x) <= {"-"}) or "(no header comment)"


def readme(rows: list[dict], files: dict[str, Path]) -> str:
    by_file = Counter(r["source"].split("#")[0] for r in rows)
    by_kind = Counter((r["kind"], r["label"]) for r in rows)
    splits = Counter(r["split"] for r in rows)
    qsplit = Counter(split_of(q) for q in {r["question_id"] for r in rows})
    out = [
        "# Feedback dev set (generated: do not edit by hand)",
        "",
        "Built by `python bench/make_feedback_dev.py` from the question bank; regenerate it whenever the bank",
        "changes. Every line says where it comes from in `source` (`file#question_id.field`).",
        "The rewrite rules that make the weak variants are documented at the top of `bench/make_feedback_dev.py`.",
        "",
        f"{len(rows)} lines from {len({r['question_id'] for r in rows})} questions. "
        f"Split by sha256(question_id) % 3: tune {qsplit['tune']} questions ({splits['tune']} lines), "
        f"report {qsplit['report']} questions ({splits['report']} lines). The engine is tuned on `tune` only; "
        "`bench/feedback_quality.py` reports on `report`.",
        "",
        "## Provenance by file",
        "",
        "The bank's prose is written for Stardrill from the seed guides in /work/shared/seeds (see",
        "/work/shared/seeds/README.md); each file's header says which seeds it draws on.",
        "",
        "| file | lines | what the file says about its sources |",
        "|---|---:|---|",
    ]
    for name in sorted(by_file):
        note = header_comment(files[name]) if name in files else ""
        out.append(f"| {name} | {by_file[name]} | {note} |")
    out += ["", "`content/questions/ownership.toml` (lead-without-title) is the bank's model of seed 004's STAR "
            "walkthrough.", "", "## Lines by kind", "", "| kind | label | lines |", "|---|---|---:|"]
    for (kind, label), n in sorted(by_kind.items()):
        out.append(f"| {kind} | {label} | {n} |")
    out += ["", "## Caveats", "",
            "- Variants are template rewrites, and the same author wrote the engine and the rewrite rules; treat",
            "  variant results as a check that each defect is detected, not as an estimate of real-world accuracy.",
            "- Probe answers are answers to follow-up questions (`probe` is the index into the question's",
            "  probes); the quality bench scores them in probe mode, `evaluate(answer, question, level,",
            "  probe=question.probes[probe])`. Probe mode reads the bank's strong and weak replies to that probe",
            "  (element kinds, concrete words, weak pattern), and the probe lines *are* those replies, so the",
            "  bench also prints the probe lines scored with the model replies hidden (question text only).",
            "  Trust that figure, not the default one, as the estimate for replies the bank did not write."]
    return "\n".join(out) + "\n"


KEPT = "## Real-world dev set"  # from this heading on, README.md is maintained by hand and kept as it is


def kept_sections() -> str:
    """The hand-maintained part of bench/data/README.md (the real-world set's section), kept verbatim."""
    if not README.exists():
        return ""
    text = README.read_text(encoding="utf-8")
    i = text.find(KEPT)
    return "\n" + text[i:] if i >= 0 else ""


def main() -> None:
    bank = load_bank()
    rows: list[dict] = []
    files: dict[str, Path] = {}
    for qid in sorted(bank.questions):
        path = Path(bank.sources[qid])
        rel = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
        files[rel] = path
        rows.extend(rows_for(bank.questions[qid], rel))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows), encoding="utf-8")
    README.write_text(readme(rows, files) + kept_sections(), encoding="utf-8")
    matched = sum(r["length_matched"] for r in rows if r["kind"].startswith("variant"))
    total = sum(1 for r in rows if r["kind"].startswith("variant"))
    shown = OUT.relative_to(ROOT) if OUT.is_relative_to(ROOT) else OUT
    print(f"wrote {len(rows)} lines to {shown} ({matched}/{total} variants length-matched)")


if __name__ == "__main__":
    main()
