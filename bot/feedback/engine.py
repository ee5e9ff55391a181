"""The feedback engine: `evaluate(answer, question, level) -> Feedback`.

Pure, deterministic and offline: no I/O, no randomness, no clock, no global state is written.
It is regex and word lists only, so one 300-word answer takes well under a millisecond or two.
Pipeline: text (clean/split) -> structure (STAR parts, timing) -> analysis (signals) ->
criteria (question or general rubric) -> flags -> scoring (weights) -> advice (top fix, rewrite hint).
"""

from __future__ import annotations

from bot.content_models import LevelProfile, Question
from bot.feedback import advice, criteria, scoring
from bot.feedback.analysis import analyse
from bot.feedback.flags import all_flags
from bot.feedback.model import CriterionResult, Feedback


def _empty(level: LevelProfile, question: Question | None) -> Feedback:
    """Nothing to judge: every criterion missing, a clear instruction, score 0."""
    rows = [(c.id, c.label) for c in question.criteria] if question else [
        ("ownership", "Your own actions"), ("quantified-impact", "Quantified impact"),
        ("structure", "Clear STAR structure"), ("reflection", "Specific reflection")]
    fw = level.framework
    return Feedback(
        score=0, verdict="not an answer",
        criteria=tuple(CriterionResult(i, label, "missing", None, "No answer to check.") for i, label in rows),
        estimated_seconds=0, target_seconds=fw.total, framework=fw.source, level=level.id,
        top_fix=f"Type or say your answer: one real situation, what you did, and what changed (about {fw.total} s).",
        rewrite_hint="Shape: \u201cAt <where>, <what went wrong>. I <what you did>. <What changed, from what to what>.\u201d",
        components={k: 0 for k in scoring.WEIGHTS},
    )


def evaluate(answer: str, question: Question | None, level: LevelProfile) -> Feedback:
    """Judge one spoken/typed answer against the question's criteria and the level's expectations."""
    a = analyse(answer, level)
    if not a.labelled:
        return _empty(level, question)
    results = criteria.question_criteria(question, a) if question is not None else criteria.general_criteria(a)
    flags = all_flags(a, level)
    comps = scoring.components(a, results, flags)
    score = sum(comps.values())
    top_fix, hint = advice.choose(a, question, level, results, flags, comps)
    fw = level.framework
    return Feedback(
        score=score, verdict=scoring.verdict(score, a, flags), criteria=results,
        estimated_seconds=a.seconds, target_seconds=fw.total, framework=fw.source, level=level.id,
        top_fix=top_fix, rewrite_hint=hint, flags=flags, parts=a.parts, components=comps, word_count=a.words,
    )
