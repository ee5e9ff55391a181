"""bench/make_feedback_dev.py regenerates the bank-derived dev set and its README, and keeps the README's
hand-maintained real-world section word for word."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import make_feedback_dev  # noqa: E402

HAND = "## Real-world dev set (`realworld.jsonl`)\n\nWritten by hand: 99 lines, 42 strong.\n\n### Flaw tags\n\n| a | b |\n"


def test_regenerating_keeps_the_hand_maintained_section(tmp_path, monkeypatch):
    readme, out = tmp_path / "README.md", tmp_path / "feedback_dev.jsonl"
    readme.write_text("# Feedback dev set (generated: do not edit by hand)\n\nold generated text\n\n" + HAND,
                      encoding="utf-8")
    monkeypatch.setattr(make_feedback_dev, "README", readme)
    monkeypatch.setattr(make_feedback_dev, "OUT", out)
    make_feedback_dev.main()
    text = readme.read_text(encoding="utf-8")
    assert text.endswith(HAND) and text.count(make_feedback_dev.KEPT) == 1
    assert "old generated text" not in text and "## Lines by kind" in text
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and {"answer", "label", "kind", "question_id"} <= set(rows[0])
    make_feedback_dev.main()  # a second run changes nothing
    assert readme.read_text(encoding="utf-8") == text
