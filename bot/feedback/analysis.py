"""One pass over the answer that collects every signal the scorer and the advice need.

`Analysis` is a plain record: sentences with their STAR part, timings, and for each signal the
sentences (verbatim) that raised it. Scoring and advice only read it, which keeps them simple.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stardrill.content_models import LevelProfile
from stardrill.feedback import calibration, reading as R
from stardrill.feedback.model import PartTiming
from stardrill.feedback.structure import (ACTION, OUTCOME_CUE, REFLECTION, RESULT, SITUATION, Labelled, classify,
                                     timings)
from stardrill.feedback.text import Sentence, clean, count_words, seconds, split_sentences

Hit = tuple[Sentence, str]  # the sentence and the words in it that raised the signal

# Concrete detail that makes a generic claim believable when it sits in the same or a neighbouring
# sentence: a number, or a named artefact of real work.
_CONCRETE = re.compile(
    r"\d|\b(?:logs?|tests?|pull request|pr|dashboard|alert|doc|design doc|meeting|1:1|one-on-one|spreadsheet|"
    r"prototype|demo|benchmark|data|metrics?|survey|rfc|proposal|plan|draft|trade-offs?|options)\b"
)


@dataclass
class Analysis:
    text: str
    truncated: bool
    labelled: list[Labelled]
    parts: tuple[PartTiming, ...]
    words: int
    seconds: int
    target: int
    readings: list[R.Reading] = field(default_factory=list)  # one per sentence, same order as `labelled`
    action_sentences: list[Sentence] = field(default_factory=list)
    i_actions: list[Hit] = field(default_factory=list)
    we_actions: list[Hit] = field(default_factory=list)
    other_actions: list[Hit] = field(default_factory=list)
    handoffs: list[Hit] = field(default_factory=list)
    self_wins: list[Hit] = field(default_factory=list)
    deltas: list[Hit] = field(default_factory=list)
    quantities: list[Hit] = field(default_factory=list)
    outcome_numbers: list[Hit] = field(default_factory=list)  # numbers in Result/Reflection: the outcome's
    outcomes: list[Hit] = field(default_factory=list)  # Result sentences that state some outcome (even vaguely)
    business: list[Hit] = field(default_factory=list)
    second_order: list[Hit] = field(default_factory=list)
    own_piece: list[Hit] = field(default_factory=list)
    lessons: list[Hit] = field(default_factory=list)
    mechanisms: list[Hit] = field(default_factory=list)
    generic_lessons: list[Hit] = field(default_factory=list)
    blames: list[Hit] = field(default_factory=list)
    vague: list[Hit] = field(default_factory=list)
    generic_claims: list[Hit] = field(default_factory=list)
    hypotheticals: list[Hit] = field(default_factory=list)
    non_answers: list[Hit] = field(default_factory=list)
    fillers: int = 0
    hedges: list[Hit] = field(default_factory=list)
    jargon: int = 0
    scope: calibration.Scope | None = None
    past_actions: int = 0  # sentences anywhere with a past-tense actor verb: evidence of a real event

    def part(self, name: str) -> PartTiming:
        return next(p for p in self.parts if p.part == name)

    def sentences_in(self, part: int) -> list[Sentence]:
        return [x.sentence for x in self.labelled if x.part == part]


def _find_outcome(low: str) -> str:
    m = OUTCOME_CUE.search(low)
    return m.group(0) if m else ""


def _add(hits: list[Hit], s: Sentence, found: str) -> None:
    if found:
        hits.append((s, found))


def _ownership(a: Analysis) -> None:
    """Who acts in the Action part: 'I' as the subject of action verbs, runs of 'we', hand-offs."""
    for x, r in zip(a.labelled, a.readings):
        s = x.sentence
        if x.part == ACTION:
            a.action_sentences.append(s)
            _add(a.i_actions, s, r.i_verbs[0] if r.i_verbs else "")
            _add(a.we_actions, s, r.we_action)
            if not r.i_verbs and not r.we_verbs:
                _add(a.other_actions, s, r.other_verbs[0] if r.other_verbs else "")
        if x.part != REFLECTION:
            _add(a.handoffs, s, r.handoff)
        _add(a.self_wins, s, r.first("self_win"))
        if r.i_verbs or r.we_verbs or r.other_verbs:
            a.past_actions += 1


def _impact_and_reflection(a: Analysis) -> None:
    for x, r in zip(a.labelled, a.readings):
        s = x.sentence
        _add(a.deltas, s, r.delta)
        for q in r.quantities:
            a.quantities.append((s, q))
            if x.part in (RESULT, REFLECTION):
                a.outcome_numbers.append((s, q))
        if x.part == RESULT:
            _add(a.outcomes, s, r.delta or (r.quantities or ("",))[0] or r.first("business")
                 or r.first("second_order") or r.vague or _find_outcome(s.low))
        if x.part in (RESULT, REFLECTION) or r.delta:
            _add(a.business, s, r.first("business"))
            _add(a.second_order, s, r.first("second_order"))
        _add(a.own_piece, s, r.first("own_piece"))
        if x.part == REFLECTION or r.first("lesson"):
            _add(a.lessons, s, r.first("lesson"))
            _add(a.mechanisms, s, r.first("mechanism"))
            _add(a.generic_lessons, s, r.generic_lesson)


def _red_flags(a: Analysis) -> None:
    sents = [x.sentence for x in a.labelled]
    for x, r in zip(a.labelled, a.readings):
        s = x.sentence
        _add(a.blames, s, r.first("blame"))
        _add(a.vague, s, r.vague)
        _add(a.non_answers, s, r.first("non_answer"))
        if x.part != REFLECTION and not r.first("lesson"):  # "next time I would ..." is a fine reflection
            _add(a.hypotheticals, s, r.first("hypothetical"))
        claim = r.first("generic_claim")
        if claim and not _CONCRETE.search(" ".join(t.low for t in sents[max(s.index - 1, 0): s.index + 2])):
            a.generic_claims.append((s, claim))
        a.fillers += r.fillers
        a.hedges.extend((s, p) for _, p in r.hits.get("hedge", []))
        a.jargon += len(r.hits.get("jargon", []))


def analyse(answer: object, level: LevelProfile) -> Analysis:
    """Clean, split, classify and collect every signal. Pure: reads only its arguments."""
    text, truncated = clean(answer)
    sentences = split_sentences(text)
    readings = [R.read(s.low) for s in sentences]
    labelled = classify(sentences, readings)
    framework = level.framework
    words = count_words(text)
    a = Analysis(text=text, truncated=truncated, labelled=labelled, parts=timings(labelled, framework),
                 words=words, seconds=seconds(words), target=framework.total, readings=readings)
    _ownership(a)
    _impact_and_reflection(a)
    _red_flags(a)
    a.scope = calibration.extract(" ".join(s.low for s in sentences))
    return a


__all__ = ["Analysis", "Hit", "analyse", "SITUATION", "ACTION", "RESULT", "REFLECTION"]
