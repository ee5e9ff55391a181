"""Find runs of 10+ consecutive words that a content file copies from the seed guides.

Question text may follow the seeds; every other string must be written afresh.
Run as a script: ``python tests/own_words.py [SEEDS_DIR]``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

RUN = 10
WORD = re.compile(r"[a-z0-9$%.']+")
DEFAULT_SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def words(text: str) -> list[str]:
    return [w.strip(".'") for w in WORD.findall(text.lower()) if w.strip(".'")]


def seed_shingles(seeds_dir: Path) -> set[tuple[str, ...]]:
    shingles: set[tuple[str, ...]] = set()
    for path in sorted(seeds_dir.glob("*.txt")):
        if path.name.lower() == "readme.md":
            continue
        ws = words(path.read_text(encoding="utf-8", errors="replace"))
        shingles.update(tuple(ws[i : i + RUN]) for i in range(len(ws) - RUN + 1))
    return shingles


def strings_outside_question_text(question) -> list[tuple[str, str]]:
    """Every prose string of a question except its `text`, with a field path."""
    out: list[tuple[str, str]] = []

    def walk(value, path: str) -> None:
        if isinstance(value, str):
            out.append((path, value))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")

    data = question.model_dump()
    data.pop("text")
    walk(data, question.id)
    return out


def copied_runs(bank, seeds_dir: Path) -> list[str]:
    shingles = seed_shingles(seeds_dir)
    problems = []
    for question in bank.questions.values():
        for path, text in strings_outside_question_text(question):
            ws = words(text)
            for i in range(len(ws) - RUN + 1):
                if tuple(ws[i : i + RUN]) in shingles:
                    problems.append(f"{path}: copies '{' '.join(ws[i : i + RUN])}'")
                    break
    return problems


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from stardrill.content_loader import load_bank

    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SEEDS
    found = copied_runs(load_bank(), seeds)
    print("\n".join(found) or "no copied runs")
    sys.exit(1 if found else 0)
