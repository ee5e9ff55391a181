"""Thresholds shared by the feature vector and the flags (rubric facts: fillers, hedges, timing)."""

from __future__ import annotations

FILLER_HIGH = 5.0  # per 100 words: rubric facts call over 5 high
FILLER_AIM = 2.0  # aim under 2 per 100 words
HEDGE_HIGH = 2.0  # per 100 words; hedges undercut conviction faster than fillers, so the bar is lower
OVERRUN = 1.25  # 25% over the framework total before we call it an overrun
SETUP_MAX = 45  # seconds of setup that rubric facts flag regardless of level
SETUP_SHARE = 0.5  # more than half the words before anybody does anything is a setup-heavy answer


def per100(count: int, words: int) -> float:
    return 100.0 * count / max(words, 1)
