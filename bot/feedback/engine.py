"""The feedback engine: `evaluate(answer, question, level, probe=None) -> Feedback`.

Pure, deterministic and offline: no I/O, no randomness, no clock, no global state is written (probe
mode memoises what it reads from the bank's probe texts, a pure function of them: results never change).
It is regex and word lists only, so one 300-word answer takes well under a millisecond or two.
Pipeline: text (clean/split) -> structure (STAR parts, timing) -> analysis (signals) ->
criteria (question or general rubric) -> flags -> scoring (weights) -> advice (top fix, rewrite hint).
With `probe=` (one of the question's follow-ups) the answer is judged as a short reply to that
follow-up instead (bot/feedback/probe.py, scoring.PROBE_WEIGHTS); without it nothing changes.
"""

from __future__ import annotations

from stardrill.content_models import LevelProfile, Probe, Question
from stardrill.feedback import advice, criteria, probe as P, probe_advice as PA, scoring
from stardrill.feedback.analysis import analyse
from stardrill.feedback.flags import all_flags
from stardrill.feedback.model import CriterionResult, Feedback


def _empty(level: LevelProfile, question: Question | None, probe: Probe | None = None) -> Feedback:
    """Nothing to judge: every criterion missing, a clear instruction, score 0."""
    rows = [(c.id, c.label) for c in question.criteria] if question else [
        ("ownership", "Your own actions"), ("quantified-impact", "Quantified impact"),
        ("structure", "Clear STAR structure"), ("reflection", "Specific reflection")]
    fw = level.framework
    if probe is not None:
        return Feedback(
            score=0, verdict="not an answer",
            criteria=tuple(CriterionResult(i, label, "missing", None, "No answer to check.") for i, label in rows),
            estimated_seconds=0, target_seconds=P.TARGET_SECONDS, framework=P.FRAMEWORK, level=level.id,
            top_fix=f"Answer the follow-up (\u201c{probe.question}\u201d) in 2-4 sentences: what you did and why.",
            rewrite_hint=PA.HINT, components={k: 0 for k in scoring.PROBE_WEIGHTS},
        )
    return Feedback(
        score=0, verdict="not an answer",
        criteria=tuple(CriterionResult(i, label, "missing", None, "No answer to check.") for i, label in rows),
        estimated_seconds=0, target_seconds=fw.total, framework=fw.name, level=level.id,
        top_fix=f"Type or say your answer: one real situation, what you did, and what changed (about {fw.total} s).",
        rewrite_hint="Shape: \u201cAt <where>, <what went wrong>. I <what you did>. <What changed, from what to what>.\u201d",
        components={k: 0 for k in scoring.WEIGHTS},
    )


def evaluate(answer: str, question: Question | None, level: LevelProfile, probe: Probe | None = None) -> Feedback:
    """Judge one spoken/typed answer against the question's criteria and the level's expectations.

    With `probe`, judge it as a reply to that follow-up: no STAR timing, "answers the probe" in place
    of structure, same 0-100 scale and verdict bands (see scoring.PROBE_WEIGHTS).
    """
    a = analyse(answer, level)
    if not a.labelled:
        return _empty(level, question, probe)
    if probe is not None:
        return _evaluate_probe(a, question, level, probe)
    results = criteria.question_criteria(question, a) if question is not None else criteria.general_criteria(a)
    flags = all_flags(a, level)
    comps = scoring.components(a, results, flags)
    score = sum(comps.values())
    top_fix, hint = advice.choose(a, question, level, results, flags, comps)
    fw = level.framework
    return Feedback(
        score=score, verdict=scoring.verdict(score, a, flags), criteria=results,
        estimated_seconds=a.seconds, target_seconds=fw.total, framework=fw.name, level=level.id,
        top_fix=top_fix, rewrite_hint=hint, flags=flags, parts=a.parts, components=comps, word_count=a.words,
    )


def _evaluate_probe(a, question: Question | None, level: LevelProfile, probe: Probe) -> Feedback:
    """A short reply to one follow-up: the question's criteria still quoted, scored for a reply."""
    a.parts, a.target = P.timings(a), P.TARGET_SECONDS
    k = P.key(probe)
    rep = P.reply_of(a, k)
    results = (criteria.question_criteria(question, a) if question is not None
               else P.general_results(criteria.general_criteria(a)))
    flags = PA.flags(a, rep, k, probe)
    raw = {"answers_probe": P.answers_probe(rep, k), "ownership": P.ownership(rep, a, k), "impact": P.impact(rep, a),
           "criteria": P.criteria(results)}
    comps = scoring.probe_components(a, raw, flags)
    score = sum(comps.values())
    top_fix, hint = PA.advice(a, rep, k, probe, flags)
    return Feedback(
        score=score, verdict=scoring.verdict(score, a, flags, scoring.PROBE_MAJOR), criteria=results,
        estimated_seconds=a.seconds, target_seconds=P.TARGET_SECONDS, framework=P.FRAMEWORK, level=level.id,
        top_fix=top_fix, rewrite_hint=hint, flags=flags, parts=a.parts, components=comps, word_count=a.words,
    )
