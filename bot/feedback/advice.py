"""The one fix that lifts the answer most, and the shape of a better sentence from the user's story.

Each candidate fix carries an estimated lift: the points its component is missing (see
scoring.WEIGHTS). The largest lift wins; ties go to the earlier candidate, which is ordered by how
much interviewers weigh the problem (a non-answer before ownership before impact before polish).
Advice never asks for invented figures: it asks for "the measurement you had".
"""

from __future__ import annotations

import re

from stardrill.content_models import LevelProfile, Question
from stardrill.feedback.analysis import Analysis, Hit, shared_only
from stardrill.feedback.model import CriterionResult, Flag
from stardrill.feedback.scoring import MAJOR, WEIGHTS
from stardrill.feedback.text import trim

Fix = tuple[float, str, str]  # (lift in points, top_fix, rewrite_hint)
SHORT = 0.5  # under half the level's time, a strong answer still leaves its depth to follow-ups
METRIC = "from <the before you measured> to <the after>"
_WE_VERB = re.compile(r"\b[Ww]e\s+((?:[a-z]+ly\s+|then\s+|also\s+)*)([a-z]+)\b(.*)")
_I_VERB = re.compile(r"\bI\s+((?:[a-z]+ly\s+|then\s+|also\s+)*)([a-z]+)\b(.*)")


def _short(text: str, words: int = 14) -> str:
    parts = text.rstrip(" .!?").split()
    return " ".join(parts[:words]) + (" \u2026" if len(parts) > words else "")


def _as_mine(sentence: str) -> str:
    """'Then we rebuilt the pipeline over a weekend.' -> 'I rebuilt the pipeline over a weekend'."""
    m = _WE_VERB.search(sentence) or _I_VERB.search(sentence)
    if not m:
        return "I <what you did>"
    verb = _FIRST_PERSON.get(m.group(2), m.group(2))  # "we were building" -> "I was building"
    return _short(f"I {verb}{m.group(3)}", 12)


_FIRST_PERSON = {"were": "was", "are": "am"}


def _phrase_fix(hit: Hit, lift: float, says: str, asks: str, shape: str) -> Fix:
    """A fix that quotes the phrase and its sentence, says what it tells the interviewer and asks for the story."""
    s, phrase = hit
    quote = trim(s.text, 140).rstrip(".")
    return lift, f"\u201c{phrase}\u201d {says}: \u201c{quote}\u201d. {asks}", f"Shape: \u201c{shape}\u201d"


def _ownership(a: Analysis, missing: dict[str, float]) -> Fix | None:
    lift = missing["ownership"]
    if a.handoffs:
        s = a.handoffs[0][0].text
        return (lift + 12, f"The fix passes to someone else: \u201c{trim(s, 160)}\u201d. Say what you did to get it "
                "resolved (the evidence you gathered, the fix you brought, who you persuaded), or pick a story "
                "you carried to the end.",
                "Shape: \u201cI <traced/reproduced/wrote> ..., took it to <the owner> with <your evidence>, and it "
                f"shipped <when>, which moved <the metric> {METRIC}.\u201d")
    if shared_only(a):
        s = a.i_actions[0][0].text
        return (lift + 4, f"Every step you tell is shared, e.g. \u201c{trim(s, 160)}\u201d. Say which part was yours: "
                "what you looked into, what you decided, what you built or changed.",
                f"Instead of \u201c{_short(s)}\u201d, try: \u201cI <checked what> and found <what>, then I <changed "
                f"what>, which moved <the metric you measured> {METRIC}.\u201d")
    if a.concessions:
        return _phrase_fix(a.concessions[0], lift + 4, "tells the interviewer the work was someone else's",
                           "Say which part you decided and did yourself, or pick a story where the first move was "
                           "yours.", f"I noticed <what>, decided to <what>, and <did what myself>, which moved "
                           f"<the metric> {METRIC}.")
    if a.we_clauses >= 2 and a.we_clauses >= a.own_clauses and a.we_actions:
        s = a.we_actions[0][0].text
        return (lift + 4, f"{a.we_clauses} of {a.we_clauses + a.own_clauses} actions say \u201cwe\u201d, e.g. "
                f"\u201c{trim(s, 160)}\u201d. Say which steps were yours, one \u201cI\u201d sentence each, and keep "
                "\u201cwe\u201d for the team context.",
                f"Instead of \u201c{_short(s)}\u201d, try: \u201c{_as_mine(s)}, which moved <the metric you measured> "
                f"{METRIC}.\u201d")
    if a.stand_ins:
        # The interviewer's next question ("what was the cause?"): answering it costs one clause and shows the work.
        return _phrase_fix(a.stand_ins[0], lift + 3, "stands in for the step itself", "Say what it was: the cause you "
                           "found, the change you made, in the words you would use with a colleague.",
                           f"I traced <the symptom> to <the cause you found>, and <the change you made>, which moved "
                           f"<the metric> {METRIC}.")
    if not a.own_clauses and not a.we_clauses:
        return (lift + 6,
                "The answer never says what you did. Add two or three sentences that start with \u201cI\u201d and a "
                "verb: what you looked into, what you decided, what you changed.",
                "Shape: \u201cI <checked what> and found <cause>. I <changed what>, which moved <the metric you "
                f"measured> {METRIC}.\u201d")
    return None


def _impact(a: Analysis, missing: dict[str, float]) -> Fix | None:
    lift = missing["impact"]
    step = a.last_own_step or (a.i_actions[-1] if a.i_actions else None)
    anchor = (step[0].text if step else
              a.action_sentences[-1].text if a.action_sentences else a.labelled[-1].sentence.text)
    hint = f"After \u201c{_short(anchor)}\u201d, add: \u201c..., which moved <the metric you measured> {METRIC}.\u201d"
    if a.vague:
        phrase = a.vague[0][1]
        return (lift + 1, f"Replace \u201c{phrase}\u201d with the measurement you had: what changed, from what to "
                "what, and what it meant for customers, cost or the team.", hint)
    if not a.deltas and a.outcome_numbers and not a.levels:
        q = a.outcome_numbers[0][1]
        return (lift, f"\u201c{q}\u201d counts the work; add what it changed, with the measurement you had: for "
                "customers, cost or the team (what they could do after that they could not before).", hint)
    if not a.deltas and a.levels:
        q = a.levels[0][1]
        return (lift, f"\u201c{q}\u201d has no before: say what it moved from and to, and what that meant for "
                "customers or cost.", f"Shape: \u201c<the metric> went from <before> to {q}, which <the effect "
                "on customers or cost>.\u201d")
    if not a.deltas and not a.outcomes and not a.told_results:
        return (lift, "The answer stops before the outcome. Finish with what changed and the measurement you had "
                "(errors, time, cost, customers); if nothing was measured, say what you observed and how you knew.",
                hint)
    if not a.deltas:
        return (lift, "There is no measured result. Give the measurement you had: what changed, from what to what "
                "(errors, time, cost, customers). If nothing was measured, say what you observed and how you knew.",
                hint)
    if not a.business and not a.second_order:
        return (lift, f"You have the change (\u201c{a.deltas[0][1]}\u201d); add what it meant for customers, cost "
                "or other teams, and whether anyone adopted it.",
                "Shape: \u201c..., which <saved / recovered / unblocked> <what, for whom>, and <team> now uses it.\u201d")
    return None


def _structure(a: Analysis, flags: set[str], missing: dict[str, float]) -> Fix | None:
    lift = missing["structure"] + 3 * ("overrun" in flags)
    sit = a.part("situation")
    if "setup-heavy" in flags:
        # Interviewers stop listening before the story starts, so this outranks polishing the end.
        first = a.labelled[0].sentence.text
        return (lift + 15, f"The setup takes about {a.setup_words * 60 // 140} s before you act (the situation's "
                f"target is {sit.target} s). Keep \u201c{trim(first, 120)}\u201d, cut the rest of the background and "
                "reach your first \u201cI ...\u201d by then.", f"Open: \u201c{_short(first, 16)}.\u201d Then: \u201cMy part was to "
                "<goal>. I <first thing you did> ...\u201d")
    if "thin-action" in flags or "missing-action" in flags:
        act = a.part("action")
        return (lift, f"What you did gets about {act.seconds} s of {a.seconds} s (target {act.target} s). Walk "
                "through your two or three key steps, one \u201cI\u201d sentence each.",
                "Shape: \u201cI <investigated>. I <decided, and why>. I <changed>.\u201d")
    if "overrun" in flags:
        return (lift, f"At about {a.seconds} s this runs past the {a.target} s target. Cut background and "
                "repeated detail; keep one sentence per step and the result.", "Aim for about "
                f"{round(a.target * 140 / 60)} words: context 2 sentences, actions 4-6, result 2, lesson 1.")
    if "missing-result" in flags:
        return (lift, "The answer stops before the outcome. Finish with what changed and the measurement you had.",
                f"Shape: \u201cAs a result, <the metric you measured> went {METRIC}.\u201d")
    return None


def _reflection(a: Analysis, missing: dict[str, float]) -> Fix | None:
    hint = "Shape: \u201cSince then I <the check, alert or habit you added> whenever <this situation>, and it " \
           "<what it caught or saved>.\u201d"
    if a.generic_lessons:
        s = a.generic_lessons[0][0].text
        return (missing["reflection"] + 2, f"\u201c{trim(s, 140)}\u201d is a lesson anyone could say. Name the "
                "concrete change you made since (a check, an alert, a habit) and one time it paid off.", hint)
    if not a.lessons:
        return (missing["reflection"], "Close with what you do differently since, and the mechanism (a checklist, "
                "an alert, a test, a habit) that makes it stick.", hint)
    if not a.mechanisms:
        s = a.lessons[0][0].text
        return (missing["reflection"], f"\u201c{trim(s, 140)}\u201d says what you see now. Add what you have done "
                "differently since (a check, an alert, a habit) and one time it paid off.", hint)
    return None


def _criteria(results: tuple[CriterionResult, ...], question: Question | None, missing, flags: set[str]) -> Fix | None:
    gaps = [c for c in results if c.status == "missing"] or [c for c in results if c.status == "partly"]
    if question is None or not gaps:
        return None
    c = gaps[0]
    crit = next(x for x in question.criteria if x.id == c.id)
    if all(r.status == "missing" for r in results) and missing["relevance"] > WEIGHTS["relevance"] / 4 \
            and not flags & MAJOR:
        # A well-told story (no major flag) in which not one criterion shows, about an event that is not
        # clearly the kind asked about, may answer another question: that outweighs any polish.
        return (missing["criteria"] + missing["relevance"], f"Nothing in the answer shows what this question "
                f"looks for. Check that the story fits \u201c{question.text.rstrip('.?! ')}\u201d, then start with "
                f"\u201c{crit.label}\u201d: {crit.good}",
                f"Add one sentence that shows it, in your own words (e.g. around \u201c{crit.signals[0]}\u201d).")
    lift = WEIGHTS["criteria"] / len(results) * (1.0 if c.status == "missing" else 0.5) * 2
    return (lift, f"The question looks for \u201c{crit.label}\u201d and your answer "
            f"{'never shows it' if c.status == 'missing' else 'only hints at it'}: {crit.good}",
            f"Add one sentence that shows it, in your own words (e.g. around \u201c{crit.signals[0]}\u201d).")


def _clarity(a: Analysis, flags: dict[str, Flag], missing: dict[str, float]) -> Fix | None:
    lift = missing["clarity"]
    if "blame" in flags:
        # Blame reads as a character signal; it outranks a missing number.
        return (lift + 15, f"\u201c{flags['blame'].evidence}\u201d puts the problem on others. Describe what "
                "happened neutrally and spend the words on what you did.", "Shape: \u201c<what broke>. I <what you "
                "did about it>.\u201d")
    if "generic-claim" in flags:
        return (lift, f"\u201c{a.generic_claims[0][1]}\u201d needs a concrete example: who you talked to, what you "
                "showed them, what changed.", "Shape: \u201cI <met / showed / wrote> <who or what>, which "
                "<changed what>.\u201d")
    if "hedges" in flags or "fillers" in flags:
        words = ", ".join(sorted({h for _, h in a.hedges})) or "the filler words"
        return (lift, f"Cut the hedges and fillers ({words}); state what you did and what happened as facts.",
                "Say it as fact: \u201cI <did X>. <Metric> went from <before> to <after>.\u201d")
    return None


def choose(a: Analysis, question: Question | None, level: LevelProfile, results: tuple[CriterionResult, ...],
           flags: tuple[Flag, ...], comps: dict[str, int]) -> tuple[str, str]:
    """Return (top_fix, rewrite_hint)."""
    by_code = {f.code: f for f in flags}
    if "off-topic" in by_code:
        return (f"{by_code['off-topic'].message} Keep the shape you used (what you did, what changed), but tell a "
                "story about that.", "Shape: \u201cAt <where>, <the situation the question asks about>. I <what you "
                "did>. <What changed, from what to what>.\u201d")
    if "non-answer" in by_code and a.past_actions <= 1:
        return ("Pick one real situation, even a small one, and tell it: what was at stake, what you did, what "
                "changed. Saying it never happened reads as avoiding the question.",
                "Shape: \u201cAt <where>, <what went wrong>. I <what you did>. <What changed>.\u201d")
    if "hypothetical" in by_code:
        return (f"You describe what you would or usually do (\u201c{by_code['hypothetical'].evidence}\u201d). Tell one time it "
                "actually happened, in the past tense: the situation, what you did, what changed.",
                "Shape: \u201cLast year at <where>, <what happened>. I <what you did>. <What changed>.\u201d")
    if "no-story" in by_code:
        return ("This describes you in general. Tell one time it happened instead: where you were, what you did, "
                "step by step, and what changed.", "Shape: \u201cLast year at <where>, <what happened>. I <what "
                "you did>. <What changed>.\u201d")
    if "asked-for" in by_code:
        return (f"{by_code['asked-for'].message} Tell a time the first move was yours (what you noticed, and why you "
                "took it on), or say plainly what you did beyond what you were asked.",
                "Shape: \u201cNobody had asked me to look at <what>. I noticed <the sign>, and I <what you did "
                f"first> ... which moved <the metric> {METRIC}.\u201d")
    if "self-win" in by_code:
        return (f"{by_code['self-win'].message} Give the credit to the work: what you did, what it changed, and "
                "who else made it work.", "Shape: \u201cI <did what>, which <changed what, by how much>.\u201d")
    missing = {k: WEIGHTS[k] - comps.get(k, 0) for k in WEIGHTS}
    candidates = [
        _ownership(a, missing), _impact(a, missing), _structure(a, set(by_code), missing),
        _criteria(results, question, missing, set(by_code)), _reflection(a, missing), _clarity(a, by_code, missing),
    ]
    best = max((c for c in candidates if c), key=lambda c: c[0], default=None)
    if best and best[0] >= 2:
        return best[1], best[2]
    if "scope-below" in by_code:
        return (by_code["scope-below"].message + " Say the full scope you had, or pick a bigger story.", "")
    return _polish(a)


def _polish(a: Analysis) -> tuple[str, str]:
    """Advice for an answer with nothing left to fix: what an interviewer still notices about how it is told."""
    result_at = max((s.index for s, _ in a.outcomes), default=-1)
    if a.lessons and a.lessons[0][0].index < result_at:
        return ("Tell the result before the lesson: the interviewer should hear what changed first, then what you "
                "took from it.", "Order: situation, what you did, what changed, then what you do differently since.")
    if a.seconds < SHORT * a.target:
        # A strong answer told in a third of the time leaves the interviewer to ask for the depth.
        return (f"This runs about {a.seconds} s of the {a.target} s you have. Spend the rest on what made it hard (the "
                "constraint, the option you turned down and why), not on more background.",
                "Shape: \u201cThe hard part was <constraint>. I considered <option>, but <why not>, so I <what you "
                "did>.\u201d")
    return (f"Keep this shape and rehearse it aloud until it lands near {a.target} s without notes.",
            "Lead with the outcome in one sentence, then tell how you got there.")
