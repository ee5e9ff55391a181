"""One reading per sentence: every signal computed once, with cheap token-set prefilters.

The engine's fast path. The standalone detectors in `signals` stay the reference (tests check
that `read` agrees with them); this module only avoids re-matching the same sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stardrill.feedback import lexicon as L
from stardrill.feedback.signals import (_PHRASE_TOKEN, _actor_verbs, _first, _generic_lesson, delta, fillers, handoff,
                                  phrase_hits, quantities)


_OTHERS = "they|he|she|the team|the [a-z]+ team|their team|someone|somebody"


@dataclass(frozen=True)
class Reading:
    """Every signal of one sentence, computed once; the engine reads these instead of re-matching."""

    i_verbs: tuple[str, ...]
    we_verbs: tuple[str, ...]
    other_verbs: tuple[str, ...]
    delta: str
    quantities: tuple[str, ...]
    hits: dict[str, list[tuple[int, str]]]
    handoff: str
    fillers: int

    def first(self, name: str) -> str:
        return _first(self.hits, name)

    @property
    def vague(self) -> str:
        hit = self.first("vague")
        return hit if hit and not self.quantities and not self.delta else ""

    @property
    def generic_lesson(self) -> str:
        return _generic_lesson(self.hits)

    @property
    def we_action(self) -> str:
        return self.we_verbs[0] if self.we_verbs and not self.i_verbs else ""


# Cheap token-set prefilters: most sentences hold no number and no third party, and skipping the
# big regexes for them is what keeps a 300-word answer near a millisecond.
_DIGIT = re.compile(r"\d")
_NUMERIC = frozenset(L.NUMBER_WORDS) | {"zero", "none", "nothing", "half", "halved", "doubled", "tripled",
                                        "quadrupled", "no"}
_HANDOFF_CUES = frozenset({"they", "he", "she", "team", "escalated"})
_FILLER_CUES = frozenset({"um", "umm", "ummm", "uh", "uhh", "er", "erm", "know", "mean", "basically", "actually",
                          "literally", "like"})
_ACTOR_CUES = {"i": frozenset({"i"}), "we": frozenset({"we"}),
               _OTHERS: frozenset({"they", "he", "she", "team", "someone", "somebody"})}


def read(low: str) -> Reading:
    """All signals of one normalised sentence."""
    tokens = _PHRASE_TOKEN.findall(low)
    tokset = set(tokens)
    numeric = _DIGIT.search(low) is not None or not tokset.isdisjoint(_NUMERIC)
    verbs = {k: tuple(_actor_verbs(low, k)) if not tokset.isdisjoint(cues) else () for k, cues in _ACTOR_CUES.items()}
    return Reading(
        i_verbs=verbs["i"], we_verbs=verbs["we"], other_verbs=verbs[_OTHERS],
        delta=delta(low) if numeric else "", quantities=tuple(quantities(low)) if numeric else (),
        hits=phrase_hits(low, tokens), handoff=handoff(low) if not tokset.isdisjoint(_HANDOFF_CUES) else "",
        fillers=fillers(low) if not tokset.isdisjoint(_FILLER_CUES) else 0,
    )
