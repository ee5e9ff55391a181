"""The feedback engine: `evaluate(answer, question, level, probe=None) -> Feedback`.

Pure, deterministic and offline: no I/O at call time, no randomness, no clock, no global state is written
(weights.json is read once at import; probe mode memoises what it reads from the bank's probe texts, a
pure function of them). Word lists and bounded token scans only: a 300-word answer takes about a
millisecond, and no input of any shape takes longer than a normal answer of its length.

Pipeline: text (clean, split) -> reading (every sentence clause by clause) -> analysis (hits) ->
features (ONE vector) -> criteria, relevance, flags, score, advice, all read off that vector, then a
consistency pass (a criterion is never "met" beside a flag that calls it absent).
With `probe=` (one of the question's follow-ups) the answer is judged as a short reply to that follow-up
(bot/feedback/probe.py, scoring.PROBE_WEIGHTS); without it nothing about probe mode applies.
"""

from __future__ import annotations

from dataclasses import replace

from stardrill.content_models import LevelProfile, Probe, Question
from stardrill.feedback import advice, criteria, probe as P, probe_advice as PA, scoring, topics
from stardrill.feedback.analysis import Analysis, analyse
from stardrill.feedback.features import COMPONENTS, Vector, vector
from stardrill.feedback.flags import all_flags, asked_for_flag, off_topic_flag, setup_heavy
from stardrill.feedback.language import looks_english
from stardrill.feedback.model import CriterionResult, Feedback, Flag

# Relevance (the asked-for kind of event, topics.py, or the criteria's signals) from which an answer is about the
# question, so its criteria are also read in its own words (criteria.in_own_words). Every strong example of the bank
# reaches it on its own question; 85% of them stay below it on a question sharing none of their competencies.
ABOUT_IT = 0.5


def _empty(level: LevelProfile, question: Question | None, probe: Probe | None = None) -> Feedback:
    """Nothing to judge: every criterion missing, a clear instruction, score 0."""
    rows = [(c.id, c.label) for c in question.criteria] if question else [
        ("ownership", "Your own actions"), ("quantified-impact", "Quantified impact"),
        ("structure", "Clear STAR structure"), ("reflection", "Specific reflection")]
    fw = level.framework
    missing = tuple(CriterionResult(i, label, "missing", None, "No answer to check.") for i, label in rows)
    if probe is not None:
        return Feedback(
            score=0, verdict="not an answer", criteria=missing, estimated_seconds=0, target_seconds=P.TARGET_SECONDS,
            framework=P.FRAMEWORK, level=level.id,
            top_fix=f"Answer the follow-up (\u201c{probe.question}\u201d) in 2-4 sentences: what you did and why.",
            rewrite_hint=PA.HINT, components={k: 0 for k in scoring.PROBE_WEIGHTS},
        )
    return Feedback(
        score=0, verdict="not an answer", criteria=missing, estimated_seconds=0, target_seconds=fw.total,
        framework=fw.name, level=level.id,
        top_fix=f"Type or say your answer: one real situation, what you did, and what changed (about {fw.total} s).",
        rewrite_hint="Shape: \u201cAt <where>, <what went wrong>. I <what you did>. <What changed, from what to what>.\u201d",
        components={k: 0 for k in COMPONENTS},
    )


def _not_english(empty: Feedback) -> Feedback:
    """Nothing judged: the answer reads as another language, and every word list here is English."""
    note = "Not checked: the feedback reads answers in English."
    return replace(
        empty, criteria=tuple(replace(c, note=note) for c in empty.criteria),
        flags=(Flag("not-english", "This answer does not read as English, so it was not scored."),),
        top_fix="Stardrill's feedback reads answers in English only. Write the same story in English (rough English "
                "is fine) and send it again.")


def relevance(a: Analysis, question: Question | None, results: tuple[CriterionResult, ...]) -> tuple[float, str, bool]:
    """(0..1, the asked-for family the answer shows best, whether it is about something else).

    Relevance is the kind of event the question asks for (topics.py) or the question's own criteria showing
    up, whichever is stronger; without a question, how much story the answer tells. "Something else" needs more than low relevance:
    a story of 40+ words, with hardly any of the question's criteria, whose asked-for kind of event is weak
    (under OFF_TOPIC_BELOW, fitted in training) beside another kind it shows clearly, or that holds no work
    event at all. A thin answer to the right question is weak, not off-topic."""
    if question is None:  # nothing to be off-topic from: an answer that tells something is relevant
        return min(1.0, (a.past_events + a.own_clauses) / 3.0), "", False
    low = "\n".join(s.low for s in a.sentences)
    tokens = {t for r in a.readings for t in r.tokens}
    hits = topics.family_hits(tokens, low)
    kind, family, rival = topics.judge(topics.topic_of(question), hits, scoring.FAMILY_BASE)
    cover = criteria.coverage(results)
    rel = max(kind, min(cover / 0.6, 1.0))
    # Another kind of event at twice its usual strength, or no work at all; a thin answer to the right question
    # shows neither (it is weak, not off-topic).
    elsewhere = rival >= 2.0 or len(tokens & topics.WORK) <= 1
    return rel, family, kind < scoring.OFF_TOPIC_BELOW and cover < 0.15 and elsewhere and a.words >= 40


def _about(a: Analysis) -> str | None:
    """What the answer's story is about, in its own words: its first result, else its first action."""
    if a.outcomes:
        return a.outcomes[0][0].text
    return a.action_sentences[0].text if a.action_sentences else None


def evaluate(answer: str, question: Question | None, level: LevelProfile, probe: Probe | None = None) -> Feedback:
    """Judge one spoken/typed answer against the question's criteria and the level's expectations.

    With `probe`, judge it as a reply to that follow-up: no STAR timing, "answers the probe" in place
    of structure, same 0-100 scale and verdict bands (see scoring.PROBE_WEIGHTS).
    """
    a = analyse(answer, level)
    if not a.labelled:
        return _empty(level, question, probe)
    if not looks_english(" ".join(s.low for s in a.sentences)):
        return _not_english(_empty(level, question, probe))
    if probe is not None:
        return _evaluate_probe(a, question, level, probe)
    vec, flags, results = _judge(a, question, level)
    score, comps = scoring.components(vec, scoring.gate(a, flags), flags)
    top_fix, hint = advice.choose(a, question, level, results, flags, comps)
    fw = level.framework
    return Feedback(
        score=score, verdict=scoring.verdict(score, a, flags), criteria=results,
        estimated_seconds=a.seconds, target_seconds=fw.total, framework=fw.name, level=level.id,
        top_fix=top_fix, rewrite_hint=hint, flags=flags, parts=a.parts, components=comps, word_count=a.words,
    )


def explain(answer: str, question: Question | None, level: LevelProfile) -> tuple[Vector, float, tuple[Flag, ...]]:
    """(feature vector, gate, flags) of a full answer: what `evaluate` scores, for training and benches (the
    gate before `scoring.flaw_gate`, which training fits on top of the weights)."""
    a = analyse(answer, level)
    if not a.labelled:
        return vector(a, 0.0, 0.0), 0.0, ()
    vec, flags, _ = _judge(a, question, level)
    return vec, scoring.gate(a, flags), flags


def _judge(a: Analysis, question: Question | None, level: LevelProfile):
    """The one vector, the flags and the criteria, read off the same counts."""
    first = vector(a, 0.0, 1.0)
    heavy = setup_heavy(a, first)
    results = criteria.question_criteria(question, a) if question is not None else criteria.general_criteria(a, heavy)
    rel, family, elsewhere = relevance(a, question, results)
    off = off_topic_flag(question.text, family, _about(a)) if elsewhere and first.substance > 0 else None
    if question is not None and off is None and rel >= ABOUT_IT:
        results = criteria.in_own_words(question.criteria, results, a)
    asked = asked_for_flag(question.text, a) if question is not None and off is None else None
    flags = all_flags(a, first, level, off, asked)
    if question is not None and not topics.topic_of(question).families.keys() & topics.MONEY_FAMILIES:
        flags = tuple(f for f in flags if f.code != "no-money")  # a manager's people story owes no dollar figure
    results = criteria.reconcile(results, {f.code for f in flags})
    return vector(a, criteria.coverage(results), rel), flags, results


def _evaluate_probe(a: Analysis, question: Question | None, level: LevelProfile, probe: Probe) -> Feedback:
    """A short reply to one follow-up: the question's criteria still quoted, scored for a reply."""
    a.parts, a.target = P.timings(a), P.TARGET_SECONDS
    k = P.key(probe)
    rep = P.reply_of(a, k)
    results = (criteria.question_criteria(question, a) if question is not None
               else P.general_results(criteria.general_criteria(a)))
    flags = PA.flags(a, rep, k, probe)
    if P.off_topic(a, rep, k, question):
        # "Does not take up the follow-up" would say the same thing twice.
        flags = (Flag("off-topic", f"This reply is about something else. The follow-up was: \u201c{probe.question}\u201d"),
                 ) + tuple(f for f in flags if f.code != "off-probe")
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
