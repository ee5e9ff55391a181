"""Turn an Analysis into user-facing flags, each with the words that raised it.

Codes are stable ids the chat core and the tests rely on:
missing-action, missing-result, missing-situation, setup-heavy, thin-action, overrun, we-actions, handoff,
self-win, no-number, lone-number, vague-result, generic-claim, generic-lesson, no-reflection, blame,
hypothetical, non-answer, fillers, hedges, jargon, scope-below, scope-above, no-money, truncated.
"""

from __future__ import annotations

from stardrill.content_models import LevelProfile
from stardrill.feedback import calibration
from stardrill.feedback.analysis import Analysis
from stardrill.feedback.model import Flag
from stardrill.feedback.text import trim

FILLER_HIGH = 5.0  # per 100 words: rubric facts call over 5 high
FILLER_AIM = 2.0  # aim under 2 per 100 words
HEDGE_HIGH = 2.0  # per 100 words; hedges undercut conviction faster than fillers, so the bar is lower
OVERRUN = 1.25  # 25% over the framework total before we call it an overrun
SETUP_MAX = 45  # seconds of setup that rubric facts flag regardless of level


def _q(hits) -> str | None:
    return trim(hits[0][0].text) if hits else None


def per100(count: int, words: int) -> float:
    return 100.0 * count / max(words, 1)


def setup_heavy(a: Analysis) -> bool:
    """Setup over 1.5x its target or over 45 s, and a real share of the answer (short answers get a pass)."""
    sit = a.part("situation")
    limit = min(1.5 * sit.target, SETUP_MAX) if sit.target else SETUP_MAX
    return sit.seconds > limit and sit.seconds > 0.3 * max(a.seconds, 1)


def thin_action(a: Analysis) -> bool:
    """Action under half its target *share*: a concise 90 s answer is judged on proportion, not on
    absolute seconds against a 3-minute framework."""
    act = a.part("action")
    share = act.target / max(a.target, 1)
    return bool(act.sentences) and a.seconds >= 30 and act.seconds < 0.5 * share * a.seconds


def structure_flags(a: Analysis) -> list[Flag]:
    out: list[Flag] = []
    act, res, sit = a.part("action"), a.part("result"), a.part("situation")
    if not act.sentences:
        out.append(Flag("missing-action", "No part of the answer says what was done."))
    if not a.outcomes:
        out.append(Flag("missing-result", "The answer stops before saying how it turned out."))
    if not sit.sentences and not a.part("task").sentences and len(a.labelled) > 2:
        out.append(Flag("missing-situation", "There is no context: one sentence on where and what was at stake."))
    if setup_heavy(a):
        out.append(Flag("setup-heavy", f"Setup takes about {sit.seconds} s of {a.seconds} s (target {sit.target} s).",
                        trim(a.sentences_in(0)[0].text)))
    if thin_action(a):
        out.append(Flag("thin-action", f"What you did takes about {act.seconds} s (target {act.target} s)."))
    if a.seconds > OVERRUN * a.target:
        out.append(Flag("overrun", f"About {a.seconds} s spoken against a {a.target} s target."))
    return out


def ownership_flags(a: Analysis) -> list[Flag]:
    out: list[Flag] = []
    n_we, n_i, n_act = len(a.we_actions), len(a.i_actions), len(a.action_sentences)
    if n_we >= 2 and n_we >= n_i:
        out.append(Flag("we-actions", f"{n_we} of {n_act} action sentences say \u201cwe\u201d; your own part is hidden.",
                        _q(a.we_actions)))
    if a.handoffs:
        out.append(Flag("handoff", f"The work passes to someone else (\u201c{a.handoffs[0][1]}\u201d).", _q(a.handoffs)))
    if a.self_wins:
        out.append(Flag("self-win", "Framed as being right or winning, not as solving the problem.", _q(a.self_wins)))
    return out


def impact_flags(a: Analysis) -> list[Flag]:
    out: list[Flag] = []
    if a.vague:
        out.append(Flag("vague-result", f"\u201c{a.vague[0][1]}\u201d is a feeling, not an outcome.", _q(a.vague)))
    if not a.deltas and not a.outcome_numbers and len(a.labelled) > 1:
        out.append(Flag("no-number", "No measured outcome anywhere in the answer."))
    elif not a.deltas and a.outcome_numbers:
        out.append(Flag("lone-number", f"\u201c{a.outcome_numbers[0][1]}\u201d has no before and after.",
                        _q(a.outcome_numbers)))
    return out


def reflection_flags(a: Analysis) -> list[Flag]:
    if a.generic_lessons and not a.mechanisms:
        return [Flag("generic-lesson", "A generic lesson with no change behind it.", _q(a.generic_lessons))]
    if not a.lessons and len(a.labelled) > 3:
        return [Flag("no-reflection", "No lesson or change in how you work since.")]
    return []


def language_flags(a: Analysis) -> list[Flag]:
    out: list[Flag] = []
    if a.blames:
        out.append(Flag("blame", f"Negative words about others (\u201c{a.blames[0][1]}\u201d).", _q(a.blames)))
    if a.generic_claims:
        out.append(Flag("generic-claim", f"\u201c{a.generic_claims[0][1]}\u201d with nothing concrete next to it.",
                        _q(a.generic_claims)))
    if a.non_answers:
        out.append(Flag("non-answer", "Declines to give an example.", _q(a.non_answers)))
    if a.hypotheticals and len(a.hypotheticals) >= max(a.past_actions, 1):
        out.append(Flag("hypothetical", "Describes what you would do, not something that happened.",
                        _q(a.hypotheticals)))
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


def all_flags(a: Analysis, level: LevelProfile) -> tuple[Flag, ...]:
    out = [Flag("truncated", "Only the first 12,000 characters were analysed.")] if a.truncated else []
    for build in (structure_flags, ownership_flags, impact_flags, reflection_flags, language_flags):
        out.extend(build(a))
    out.extend(calibration_flags(a, level))
    return tuple(out)
