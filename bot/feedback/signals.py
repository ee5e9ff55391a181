"""Sentence-level detectors, one function per signal, for table-driven tests and tools.

Each takes one normalised (lower-case) sentence and returns the matched words, or ""/0/[] when the
signal is absent. They are views of `reading.read`, the engine's single implementation, so a table test
here checks exactly what the engine sees.
"""

from __future__ import annotations

from stardrill.feedback.phrases import boast, phrase_hits  # noqa: F401  (phrase_hits re-exported for tools)
from stardrill.feedback.reading import read


def i_action(low: str) -> str:
    """'I traced the drops' -> 'traced'; 'I audited 300 tickets, found ...' -> 'audited'. Own action, any tense
    but the conditional, carried through a chain of verbs under one "I"."""
    r = read(low)
    return r.i_verbs[0] if r.i_verbs else ""


def own_actions(low: str) -> tuple[str, ...]:
    """Every own action in the sentence, clause by clause."""
    return read(low).i_verbs


def we_action(low: str) -> str:
    """'We rebuilt the pipeline' -> 'rebuilt'. An action whose actor is "we" and never "I"."""
    return read(low).we_action


def other_action(low: str) -> str:
    r = read(low)
    return r.other_verbs[0] if r.other_verbs else ""


def handoff(low: str) -> str:
    """The work is routed to someone else: 'I told them and they fixed it', 'they handled it', 'escalated'."""
    return read(low).handoff


def self_win(low: str) -> str:
    """'I was right' / 'I single-handedly ...': self-promotion rather than solving the problem."""
    r = read(low)
    return boast(r.hits, r.tokens)


def delta(low: str) -> str:
    """A before -> after change: 'from 0.3% to zero', '40 -> 6', 'reduced latency by 30%', 'a 20% reduction'."""
    return read(low).delta


def quantities(low: str) -> list[str]:
    """Numbers with what they count, open units: '14 services', '40%', '$8k', 'six members'."""
    return list(read(low).quantities)


def outcome(low: str) -> str:
    """A result a vague sentence cannot fake: a change or a count with an outcome verb, or a discrete event."""
    return read(low).outcome


def business(low: str) -> str:
    return read(low).first("business")


def second_order(low: str) -> str:
    return read(low).first("second_order")


def own_piece(low: str) -> str:
    return read(low).first("own_piece")


def lesson(low: str) -> str:
    return read(low).first("lesson")


def mechanism(low: str) -> str:
    return read(low).first("mechanism")


def generic_lesson(low: str) -> str:
    """'I learned that communication is important' with no mechanism in the same sentence."""
    return read(low).generic_lesson


def blame(low: str) -> str:
    """Negative words aimed at a third party, or deflection. Self-criticism is not blame."""
    return read(low).blame


def vague_result(low: str) -> str:
    """'Everyone was happy', 'it went well', 'improved trust significantly', with no number in the sentence."""
    return read(low).vague


def generic_claim(low: str) -> str:
    return read(low).first("generic_claim")


def non_answer(low: str) -> str:
    return read(low).first("non_answer")


def hypothetical(low: str) -> str:
    """The conditional or habitual mood, whoever the subject: 'I would ...', 'we would ...', 'I usually ...'."""
    r = read(low)
    return r.first("hypothetical") or (r.hypotheticals[0] if r.hypotheticals else "")


def self_description(low: str) -> int:
    """Traits instead of events: 'I am a hard worker', 'I always ...'."""
    return read(low).self_descriptions


def fillers(low: str) -> int:
    """Filler words (um, uh, like, you know, basically ...). "kind of"/"sort of" are hedges, counted there only."""
    return read(low).fillers


def hedges(low: str) -> list[str]:
    """Hedges that undercut conviction (maybe, I think, probably ...)."""
    return [p for _, p in read(low).hits.get("hedge", [])]


def jargon(low: str) -> int:
    return len(read(low).hits.get("jargon", []))
