"""Texts the feedback engine is trained and checked on, with where each comes from.

- bank: each question's strong examples (parts known) and weak examples (content/questions/*.toml).
- seeds: the STAR examples in the seed guides (../shared/seeds beside the checkout, or $STARDRILL_SEEDS):
  seed 001's spoken "Complete STAR Response" answers, and seeds 000/002's bulleted stories turned into
  first-person sentences ("- Analyzed 3 teams' data" -> "I analyzed 3 teams' data.") because a spoken
  answer says "I" where a resume bullet drops it. Absent seeds give an empty list, never an error.
- realworld: bench/data/realworld.jsonl, answers quoted from public pages. VALIDATION ONLY: never used to
  fit weights or to write word lists (bench/train_feedback.py does not import it).

Deterministic: sorted files, sorted questions, no randomness.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REALWORLD = ROOT / "bench" / "data" / "realworld.jsonl"
PARTS = ("situation", "task", "action", "result", "reflection")


@dataclass(frozen=True)
class Text:
    text: str
    source: str  # "bank:<question id>", "seed:<file>#<n>", "realworld:<id>"
    label: str = "strong"  # strong | weak
    question_id: str | None = None
    level: str = "senior"
    parts: dict[str, str] = field(default_factory=dict)  # STAR parts when the source gives them
    url: str = ""
    flaws: tuple[str, ...] = ()
    words: int = 0
    label_note: str = ""  # set where the page's label contradicts its own text (bench/data/README.md)
    competency: str = ""  # real-world lines: the competency the page's question asks about, in the page's terms


def seeds_dir() -> Path | None:
    """The seed guides: $STARDRILL_SEEDS, else ../shared/seeds beside the checkout (CI lays them there)."""
    for candidate in (os.environ.get("STARDRILL_SEEDS"), ROOT.parent / "shared" / "seeds"):
        if candidate and Path(candidate).is_dir() and any(Path(candidate).glob("00*.txt")):
            return Path(candidate)
    return None


def split_of(question_id: str) -> str:
    """The bank's train/report split: a third of the questions train the weights, the rest report."""
    return "train" if int(hashlib.sha256(question_id.encode()).hexdigest(), 16) % 3 == 0 else "report"


def bank_texts(bank, split: str = "all") -> list[Text]:
    out = []
    for qid in sorted(bank.questions):
        if split != "all" and split_of(qid) != split:
            continue
        q = bank.questions[qid]
        for ex in q.strong_examples:
            parts = {p: getattr(ex, p).text for p in PARTS}
            out.append(Text(ex.text(), f"bank:{qid}@{ex.level}", "strong", qid, ex.level, parts,
                            words=len(ex.text().split())))
        for weak in q.weak_examples:
            out.append(Text(weak.text, f"bank:{qid}#weak-{weak.kind}", "weak", qid, q.strong_examples[0].level,
                            words=len(weak.text.split())))
    return out


_QUOTED_PART = re.compile(r"(Situation|Task|Action|Result)\s*\(\d+\s*seconds?\)\s*\"(.+?)\"(?=\s*(?:Situation|Task|"
                          r"Action|Result|Common|Red|What|Alternative|Key|L\d|\Z))", re.S)
_BULLET_STORY = re.compile(r"\*{0,2}Situation\*{0,2}:\s*(.+?)\s*\*{0,2}Task\*{0,2}:\s*(.+?)\s*\*{0,2}Action\*{0,2}:\s*"
                           r"(.+?)\s*\*{0,2}Result\*{0,2}:\s*(.+?)(?=\n|$)", re.S)


_PAST = frozenset("built led ran took wrote drove set made won cut grew brought sent held kept met chose spent "
                  "taught found gave began rebuilt rewrote oversaw shut sold".split())


def _first_person(bullets: str) -> str:
    """'- Analyzed data - Built a tool' -> 'I analyzed data. I built a tool.'"""
    items = [b.strip(" .*") for b in re.split(r"\s+-\s+|^-\s*", bullets.strip()) if b.strip(" .*")]
    out = []
    for item in items:
        word = item.split()[0] if item.split() else ""
        if word[:1].isupper() and word.isalpha() and (word.lower().endswith("ed") or word.lower() in _PAST):
            out.append(f"I {word.lower()}{item[len(word):]}.")
        else:
            out.append(item[0].upper() + item[1:] + ".")
    return " ".join(out)


def seed_texts() -> list[Text]:
    folder = seeds_dir()
    if folder is None:
        return []
    out = []
    for path in sorted(folder.glob("00*.txt")):
        raw = path.read_text(encoding="utf-8").replace("\u00b6", "").replace("\\(", "$").replace("\\)", "$")
        for n, block in enumerate(raw.split("Complete STAR Response")[1:]):
            parts = {m.group(1).lower(): " ".join(m.group(2).split()) for m in _QUOTED_PART.finditer(block[:6000])}
            if {"situation", "action", "result"} <= set(parts):
                text = " ".join(parts.get(p, "") for p in PARTS if parts.get(p))
                out.append(Text(text, f"seed:{path.name}#star{n}", "strong", None, "em", parts, words=len(text.split())))
        for n, m in enumerate(_BULLET_STORY.finditer(raw)):
            sit, task, act, res = (" ".join(g.split()) for g in m.groups())
            if " - " not in f" {act}" and not act.startswith("-"):
                continue
            parts = {"situation": sit if sit.endswith(".") else sit + ".", "task": task if task.endswith(".") else
                     task + ".", "action": _first_person(act), "result": _first_person(res)}
            text = " ".join(parts[p] for p in ("situation", "task", "action", "result"))
            out.append(Text(text, f"seed:{path.name}#story{n}", "strong", None, "em", parts, words=len(text.split())))
    return out


def realworld_texts() -> list[Text]:
    rows = [json.loads(line) for line in REALWORLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Text(r["answer"], f"realworld:{r['id']}", r["label"], None, "senior", {}, r["url"], tuple(r["flaws"]),
                 r["words"], r.get("label_note", ""), r.get("competency", "")) for r in rows]


def site_of(text: Text) -> str:
    return text.url.split("/")[2] if text.url.count("/") >= 2 else ""


def dominant_site(texts: list[Text]) -> str:
    """The site most real-world lines come from (reported with and without it)."""
    sites: dict[str, int] = {}
    for t in texts:
        host = t.url.split("/")[2] if t.url.count("/") >= 2 else ""
        sites[host] = sites.get(host, 0) + 1
    return max(sorted(sites), key=lambda h: sites[h]) if sites else ""
