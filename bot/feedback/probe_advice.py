"""Probe mode's flags and advice: what is wrong with a follow-up reply, and the one fix (see probe.py)."""

from __future__ import annotations

import re

from stardrill.content_models import Probe
from stardrill.feedback.analysis import Analysis
from stardrill.feedback.thresholds import FILLER_AIM, HEDGE_HIGH, per100
from stardrill.feedback.model import Flag
from stardrill.feedback.probe import OVERRUN_SECONDS, PATTERN_WORDS, SHORT_SECONDS, TARGET_SECONDS, Key, Reply
from stardrill.feedback.text import trim


# "Did anyone push back?" can be answered "Not really, because ...": only a "what/how" follow-up is denied by it.
_YES_NO = re.compile(r"(?i)^(?:did|was|were|is|are|do|does|has|have|had|could|would|will|can)\b")


def flags(a: Analysis, rep: Reply, k: Key, probe: Probe) -> tuple[Flag, ...]:
    out = [Flag("truncated", "Only the first 12,000 characters were analysed.")] if a.truncated else []
    if a.non_answers:
        out.append(Flag("non-answer", "Declines to answer the follow-up.", trim(a.non_answers[0][0].text)))
    if a.seconds < SHORT_SECONDS:
        out.append(Flag("too-short", f"About {a.seconds} s: a follow-up needs 2-4 sentences (about "
                        f"{TARGET_SECONDS} s) to show what you did and why."))
    if a.seconds > OVERRUN_SECONDS:
        out.append(Flag("overrun", f"About {a.seconds} s for a follow-up; keep it near {TARGET_SECONDS} s."))
    shared = sorted(rep.patterns & k.weak_patterns - {"no-action", "denial"})  # a denial has its own flag below
    if "denial" in rep.patterns and not _YES_NO.match(probe.question):
        out.append(Flag("deflection", "Opens by denying what the follow-up asks about (nothing went wrong, nothing to "
                        "change). There is nearly always something; the interviewer asks to hear your judgement.",
                        trim(rep.evidence["denial"])))
    if shared:
        what = " and ".join(PATTERN_WORDS[p] for p in shared)
        out.append(Flag("weak-pattern", f"Like the weak reply to this follow-up, it {what}: {probe.weak.why}",
                        trim(rep.evidence.get(shared[0], "")) or None))
    if "handoff" in rep.patterns:
        out.append(Flag("handoff", "The work passes to someone else.", trim(rep.evidence["handoff"])))
    if "we" in rep.patterns:
        out.append(Flag("we-actions", "It says \u201cwe\u201d; your own part is hidden.", trim(rep.evidence["we"]) or None))
    if "no-action" in rep.patterns and k.asks_action:
        out.append(Flag("missing-action", "No sentence says what you did."))
    if "vague" in rep.patterns and "vague" not in shared:  # the weak-pattern flag already says it stays vague
        out.append(Flag("vague-result", "A feeling, not what happened.", trim(rep.evidence["vague"])))
    if "generic" in rep.patterns:
        out.append(Flag("generic-claim", "A principle anyone could say, with nothing concrete next to it.",
                        trim(rep.evidence["generic"])))
    if "hypothetical" in rep.patterns and len(a.hypotheticals) >= max(len(rep.actions), 1):
        out.append(Flag("hypothetical", "Describes what you would do, not what you did.", trim(rep.evidence["hypothetical"])))
    if "blame" in rep.patterns:
        out.append(Flag("blame", "Negative words about others.", trim(rep.evidence["blame"])))
    if "self-win" in rep.patterns:
        out.append(Flag("self-win", "Framed as being right, not as solving the problem.", trim(rep.evidence["self-win"])))
    if not rep.reasons and not rep.numbers:
        out.append(Flag("no-reason", "No reason and no number: say why, or how much."))
    if k.terms and not rep.stems & k.terms and not rep.elements & (k.strong_elements or {"action", "reason"}) and \
            not k.answered_when(rep):
        out.append(Flag("off-probe", f"Does not take up the follow-up (\u201c{probe.question}\u201d)."))
    rate = per100(a.fillers, a.words)
    if rate > FILLER_AIM and a.fillers >= 2:
        out.append(Flag("fillers", f"{a.fillers} filler words ({rate:.1f} per 100 words)."))
    if len(a.hedges) >= 2 and per100(len(a.hedges), a.words) > HEDGE_HIGH or len(a.hedges) >= 3:
        words = ", ".join(sorted({h for _, h in a.hedges}))
        out.append(Flag("hedges", f"{len(a.hedges)} hedges ({words}) undercut what you did.",
                        trim(a.hedges[0][0].text)))
    return tuple(out)


HINT = "Shape: \u201cI <what you did> because <the reason>, which <the number or what it changed>.\u201d"


def advice(a: Analysis, rep: Reply, k: Key, probe: Probe, fl: tuple[Flag, ...]) -> tuple[str, str]:
    """(top_fix, rewrite_hint) for a follow-up reply: the first problem in the order interviewers weigh them."""
    codes = {f.code: f for f in fl}
    if "off-topic" in codes:
        return (f"Answer the follow-up that was asked (\u201c{probe.question}\u201d): what you did in this story, "
                "and why.", HINT)
    if "non-answer" in codes:
        return ("Answer the follow-up with what actually happened, even if it was small: what you did and why.", HINT)
    if "deflection" in codes:
        return ("Name the one thing, however small: what went wrong or what you would change, and what you do about "
                "it now: \u201cI would have <done what> sooner, because <what it cost>; now I <the habit>.\u201d", HINT)
    if "weak-pattern" in codes:
        return (f"{codes['weak-pattern'].message} A strong reply: {probe.strong.why}", HINT)
    if "handoff" in codes or "missing-action" in codes or "we-actions" in codes:
        return ("Say what you did yourself, one \u201cI\u201d sentence: the step you took, not who else handled it.",
                HINT)
    if "off-probe" in codes:
        return (f"Answer the question asked first (\u201c{probe.question}\u201d), then one sentence of why.", HINT)
    if "too-short" in codes:
        return (f"Give it 2-4 sentences (about {TARGET_SECONDS} s): what you did, why, and what it changed.", HINT)
    if "vague-result" in codes or "generic-claim" in codes:
        return ("Replace the general words with the specific thing: who, what you did, and the number or "
                "reason behind it.", HINT)
    if "no-reason" in codes:
        return ("Add the reason or the number: why you did it, or how much it changed.", HINT)
    if "hedges" in codes or "fillers" in codes:
        return ("Cut the hedges and fillers; state what you did and why as facts.", HINT)
    if not rep.stems & k.terms and len(rep.stems & k.strong_terms) < 2:
        # Concrete and first-person, but in none of the follow-up's words: the engine cannot tell that it
        # answers this follow-up, so it must not say it does.
        return (f"Concrete, with your own action. Make sure it answers the follow-up itself (\u201c{probe.question}"
                "\u201d): put the direct answer first, then the reason.",
                "Lead with the direct answer, then the reason.")
    return (f"Good follow-up: it answers the question with your own action. Keep it to 2-4 sentences "
            f"(about {TARGET_SECONDS} s).", "Lead with the direct answer, then the reason.")
