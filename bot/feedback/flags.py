"""User-facing flags, each read off the feature vector and the hits behind it, with the words that raised it.

Codes are stable ids the chat core and the tests rely on:
missing-action, missing-result, missing-situation, setup-heavy, thin-action, overrun, we-actions, shared-steps,
conceded, handoff, stand-in, self-win, no-number, lone-number, vague-result, generic-claim, generic-lesson,
no-reflection, blame, hypothetical, no-story, non-answer, off-topic, asked-for, fillers, hedges, jargon, scope-below,
scope-above, no-money, truncated.

A flag never contradicts the criteria: both read the same counts (see criteria.general_criteria and the
consistency pass in engine.py).
"""

from __future__ import annotations

from stardrill.content_models import LevelProfile
from stardrill.feedback import calibration, lexicon as L
from stardrill.feedback.analysis import REFLECTION, Analysis, shared_only
from stardrill.feedback.forms import is_past
from stardrill.feedback.features import Vector
from stardrill.feedback.model import Flag
from stardrill.feedback.requested import asks_unasked, request
from stardrill.feedback.text import Sentence, trim
from stardrill.feedback.thresholds import (FILLER_AIM, FILLER_HIGH, HEDGE_HIGH, OVERRUN, SETUP_MAX, SETUP_SHARE,
                                           per100)


def _q(hits) -> str | None:
    return trim(hits[0][0].text) if hits else None


def setup_heavy(a: Analysis, v: Vector) -> bool:
    """More than half the words come before anybody does anything, and that is more than a sentence or two
    (setup over SETUP_MAX seconds, or over 1.5x the framework's situation target)."""
    sit_target = a.part("situation").target
    limit = min(1.5 * sit_target, SETUP_MAX) if sit_target else SETUP_MAX
    return v.setup_share > SETUP_SHARE and a.setup_words * 60 / 140 > min(limit, 30) and has_action(a)


def thin_action(a: Analysis) -> bool:
    """The sentences that say what anybody did carry under a quarter of a 30 s+ answer."""
    action_words = sum(s.words for s in a.action_sentences)
    return bool(a.action_sentences) and a.seconds >= 30 and action_words < 0.25 * a.words


def has_action(a: Analysis) -> bool:
    return a.own_clauses + a.we_clauses > 0


def has_result(a: Analysis) -> bool:
    """The results the score reads (features.py): outcomes, changes, and results told without an outcome verb."""
    return bool(a.outcomes or a.deltas or a.told_results)


def measured(a: Analysis) -> bool:
    return bool(a.deltas or a.outcome_numbers)


def _sets_the_scene(a: Analysis) -> bool:
    """ "In my previous role as a coordinator, I worked with a developer who ...", "I noticed during a review that
    no ticket existed for ...": an opening that acts and says where, or what was wrong, has its context, though
    the labeller calls it Action."""
    if not a.readings:
        return False
    opening = a.labelled[0].sentence.low
    return "situation_cue" in a.readings[0].hits or any(w in opening for w in L.SCENE_WORDS) or (
        opening.startswith(L.ROLE_OPENERS) and not opening.startswith("as a result"))


def structure_flags(a: Analysis, v: Vector) -> list[Flag]:
    out: list[Flag] = []
    if not has_action(a):
        out.append(Flag("missing-action", "No sentence says what you did."))
    if not has_result(a) and a.vague:  # "our handoffs improved": vague-result quotes it, and both say the same kind
        told = ("the change is told, never measured" if _a_change(a.vague[0][1]) else
                "the answer says how it went, not what changed or by how much")
        out.append(Flag("missing-result", f"No result anyone could check: {told}."))
    elif not has_result(a):
        out.append(Flag("missing-result", "The answer never says what changed: no result anyone could check."))
    # A one- or two-sentence answer with its action and result ("I reduced our AWS bill by 40%.") lacks it too.
    if not a.setup_words and not a.part("situation").sentences and not _sets_the_scene(a) and (
            len(a.labelled) > 2 or has_action(a) and has_result(a)):
        out.append(Flag("missing-situation", "There is no context: one sentence on where and what was at stake."))
    if setup_heavy(a, v):
        out.append(Flag("setup-heavy", f"About {round(100 * v.setup_share)}% of the answer ({a.setup_words * 60 // 140} s) "
                        "comes before you do anything.", trim(a.labelled[0].sentence.text)))
    if thin_action(a):
        out.append(Flag("thin-action", "What was done takes under a quarter of the answer."))
    if a.seconds > OVERRUN * a.target:
        out.append(Flag("overrun", f"About {a.seconds} s spoken against a {a.target} s target."))
    return out


def ownership_flags(a: Analysis) -> list[Flag]:
    out: list[Flag] = []
    if a.we_clauses >= 2 and a.we_clauses >= a.own_clauses or a.we_clauses and not a.own_clauses:
        out.append(Flag("we-actions", f"{a.we_clauses} of {a.we_clauses + a.own_clauses} actions say \u201cwe\u201d; "
                        "your own part is hidden.", _q(a.we_actions)))
    if shared_only(a):
        verbs = ", ".join(dict.fromkeys(v for r in a.readings for v in r.i_verbs))
        out.append(Flag("shared-steps", f"Every step of yours is a shared one (\u201c{verbs}\u201d): your own part is "
                        "hidden.", _q(a.i_actions)))
    if a.concessions:
        out.append(Flag("conceded", f"\u201c{a.concessions[0][1]}\u201d says the work, or the call to do it, was "
                        "someone else's.", _q(a.concessions)))
    if a.handoffs:
        out.append(Flag("handoff", f"The work passes to someone else (\u201c{a.handoffs[0][1]}\u201d).", _q(a.handoffs)))
    if a.stand_ins:
        out.append(Flag("stand-in", f"\u201c{a.stand_ins[0][1]}\u201d names no step: which cause, which change?",
                        _q(a.stand_ins)))
    if a.self_wins:
        out.append(Flag("self-win", f"\u201c{a.self_wins[0][1]}\u201d reads as self-promotion, not as solving the "
                        "problem.", _q(a.self_wins)))
    return out


def _a_change(vague_phrase: str) -> bool:
    """ "dropped", "improved": a change nobody measured; "everyone was happy" is how it felt."""
    return " " not in vague_phrase and is_past(vague_phrase)


def impact_flags(a: Analysis) -> list[Flag]:
    out: list[Flag] = []
    # Only where the vague phrase stands in for the result: beside one anyone could check ("the release shipped a
    # week early and morale improved", "I was thanked by the MD") it is colour, and no-number still asks for figures.
    if a.vague and not a.deltas and not has_result(a):
        phrase = a.vague[0][1]
        says = "says something changed, not by how much" if _a_change(phrase) else "is a feeling, not an outcome"
        out.append(Flag("vague-result", f"\u201c{phrase}\u201d {says}.", _q(a.vague)))
    if has_result(a) and not measured(a) and len(a.labelled) > 1:
        out.append(Flag("no-number", "No measured outcome anywhere in the answer."))
    elif not a.deltas and a.levels:
        out.append(Flag("lone-number", f"\u201c{a.levels[0][1]}\u201d has no before and after.", _q(a.levels)))
    return out


def reflection_flags(a: Analysis) -> list[Flag]:
    # "That taught me the importance of accuracy" after "since then I've used a review checklist" sums up a lesson
    # that has its change: the flag would say "no change behind it" beside the change quoted as the reflection.
    if a.generic_lessons and not (a.lessons and a.mechanisms):
        return [Flag("generic-lesson", "A generic lesson with no change behind it.", _q(a.generic_lessons))]
    if not a.lessons and len(a.labelled) > 3:
        return [Flag("no-reflection", "No lesson or change in how you work since.")]
    return []


def language_flags(a: Analysis, v: Vector) -> list[Flag]:
    out: list[Flag] = []
    if a.blames:
        out.append(Flag("blame", f"Negative words aimed at others (\u201c{a.blames[0][1]}\u201d).", _q(a.blames)))
    if a.generic_claims:
        out.append(Flag("generic-claim", f"\u201c{a.generic_claims[0][1]}\u201d with nothing concrete next to it.",
                        _q(a.generic_claims)))
    if a.non_answers:
        out.append(Flag("non-answer", "Declines to give an example.", _q(a.non_answers)))
    if a.hypotheticals and v.hyp_share >= 0.4:
        out.append(Flag("hypothetical", "Describes what you would or usually do, not something that happened.",
                        _q(a.hypotheticals)))
    elif a.self_descriptions and v.story_share < 0.6 and not a.non_answers:
        out.append(Flag("no-story", "Describes you in general instead of telling one thing that happened.",
                        _q(a.self_descriptions)))
    rate = per100(a.fillers, a.words)
    if rate > FILLER_AIM and a.fillers >= 2:
        level = "high" if rate > FILLER_HIGH else "above the aim of 2"
        out.append(Flag("fillers", f"{a.fillers} filler words ({rate:.1f} per 100 words, {level})."))
    hedge_rate = per100(len(a.hedges), a.words)
    if len(a.hedges) >= 2 and hedge_rate > HEDGE_HIGH or len(a.hedges) >= 3:
        words = ", ".join(sorted({h for _, h in a.hedges}))
        out.append(Flag("hedges", f"{len(a.hedges)} hedges ({words}) undercut what you did.", _q(a.hedges)))
    if a.jargon >= 4 and per100(a.jargon, a.words) > 4 and not a.business and not a.deltas:
        out.append(Flag("jargon", "Technical terms stand in for the impact."))
    return out


def calibration_flags(a: Analysis, level: LevelProfile) -> list[Flag]:
    out: list[Flag] = []
    if a.scope is None or a.words < 40:
        return out
    direction, message = calibration.compare(a.scope, level)
    if direction:
        out.append(Flag(f"scope-{direction}", message))
    note = calibration.missing_money_note(a.scope, level)
    if note:
        out.append(Flag("no-money", note))
    return out


def asked_for_flag(question_text: str, a: Analysis) -> Flag | None:
    """A story that starts from someone's request, for a question that asks for work nobody asked for."""
    if not asks_unasked(question_text):  # most questions: no sentence is read for a request
        return None
    found = next(((x.sentence, w) for x in a.labelled if x.part != REFLECTION for w in [request(x.sentence.low)] if w),
                 None)
    if found is None:
        return None
    s, words = found
    return Flag("asked-for", f"The question asks for something nobody asked you to do, and this story starts from a "
                f"request (\u201c{_told(s, words)}\u201d).", trim(s.text))


def _told(s: Sentence, words: str) -> str:
    """The request in the user's own words, up to the end of its clause ("manager suggested I look into this")."""
    at = s.low.find(words)
    if at < 0 or len(s.low) != len(s.text):
        return words
    end = next((i for i in range(at + len(words), len(s.text)) if s.text[i] in ",;.!?"), len(s.text))
    return trim(s.text[at:end], 120)


def off_topic_flag(question_text: str, family: str, about: str | None = None) -> Flag:
    """`about`: the answer's own sentence that shows what its story is about (quoted as the evidence)."""
    return Flag("off-topic", f"This answers a different question. The question was: \u201c{question_text}\u201d "
                f"Tell one time that is about {_KIND.get(family, 'what it asks')}.", trim(about) if about else None)


_KIND = {
    "conflict": "a disagreement or a conflict", "failure": "a failure or a mistake of yours",
    "delivery": "a deadline or a delivery under pressure", "customer": "a customer or a user",
    "people": "the people you hired, grew or managed", "technical": "a technical decision or the quality bar",
    "incident": "an incident or a crisis", "strategy": "a strategy, a budget or a bet",
    "influence": "winning over people you had no authority over", "learning": "learning something new",
    "initiative": "something you took on without being asked", "priorities": "a trade-off between priorities",
}


def all_flags(a: Analysis, v: Vector, level: LevelProfile, *question_flags: Flag | None) -> tuple[Flag, ...]:
    """Every flag; `question_flags` are those only the question can raise (off-topic, asked-for), None when not."""
    out = [Flag("truncated", "Only the first 12,000 characters were analysed.")] if a.truncated else []
    out.extend(f for f in question_flags if f is not None)
    out.extend(structure_flags(a, v))
    out.extend(ownership_flags(a))
    out.extend(impact_flags(a))
    out.extend(reflection_flags(a))
    out.extend(language_flags(a, v))
    out.extend(calibration_flags(a, level))
    return tuple(out)
