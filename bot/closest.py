"""The bank question a free-standing story answers best (a message a member asks feedback on), or None.

Read with the feedback engine's own topic lexicons (stardrill.feedback.topics): every question asks for kinds
of event (a disagreement, a failure, a deadline). A question can be the closest only when the story is mostly
about its kinds, judged exactly as the engine judges relevance (`topics.judge`). Among those, the one whose
kinds the story shows most (its own wording's kinds count double, as in the engine) and whose text shares
most words with the story wins; then the member's level, then the question id, so the choice is stable.
"""

from __future__ import annotations

import re

from stardrill.content_models import Question
from stardrill.feedback import scoring, topics

FITS = 0.5  # relevance a question needs to be "the closest"; below it, feedback is generic
SHOWN = 0.5  # how much of the question's kinds of event the story must show (1: each at its usual strength)
CAP = 2.0  # one kind told at length must not outweigh the others the question asks for
SHARED_WORD = 0.3  # one content word in common with the question's text, against a kind of event fully shown
_WORD = re.compile(r"[a-z0-9$%'-]+")
_SHARED = re.compile(r"[a-z]{4,}")
_COMMON = frozenset("that this with when what your have about time from were they them their then there which would "
                    "could should tell describe example give situation".split())


def words(text: str) -> set[str]:
    return {w.strip("'-") for w in _WORD.findall(text.lower())} - {""}


def _stems(text: str) -> set[str]:
    """Content words cut to five letters, so "disagreed" meets "disagreement" (cheap, and enough for a tie-break)."""
    return {w[:5] for w in _SHARED.findall(text.lower()) if w not in _COMMON}


def closest(questions, text: str, level: str) -> Question | None:
    """The question `text` answers best, or None when the story is about no work event any question asks for."""
    tokens, low = words(text), text.lower()
    if len(tokens & topics.WORK) <= 1:
        return None  # not a work story: nothing in the bank fits it
    hits = topics.family_hits(tokens, low)
    if not any(hits.values()):
        return None
    lift = {f: len(hits.get(f, ())) / max(scoring.FAMILY_BASE.get(f, 1.0), 0.5) for f in topics.FAMILIES}
    mine = _stems(text)
    best, best_key = None, None
    for question in questions:
        topic = topics.topic_of(question)
        shown = _shown(topic, lift)
        if not topic.families or shown < SHOWN or topics.judge(topic, hits, scoring.FAMILY_BASE)[0] < FITS:
            continue
        key = (round(shown + SHARED_WORD * len(mine & _stems(question.text)), 3), level in question.levels)
        if best_key is None or key > best_key or (key == best_key and question.id < best.id):
            best, best_key = question, key
    return best


def _shown(topic: topics.Topic, lift: dict[str, float]) -> float:
    """The question's kinds of event in the story, weighted as the question weighs them (0: none; CAP: all, strongly)."""
    total = sum(topic.families.values())
    return sum(weight * min(lift[f], CAP) for f, weight in topic.families.items()) / total
