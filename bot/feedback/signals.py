"""Sentence-level signals: ownership, impact, scope, reflection and red flags.

Each detector takes one normalised (lower-case) sentence and returns the matched words, or ""/0
when the signal is absent, so that tests can drive them table-style and the engine can quote
what fired. Regexes are compiled once at import; matching is linear in the sentence length.
"""

from __future__ import annotations

import re

from bot.feedback import lexicon as L


def _alternation(phrases: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """One regex matching any phrase at word boundaries (longest first, so 'i mean' beats 'i')."""
    ordered = sorted({p.strip() for p in phrases}, key=len, reverse=True)
    body = "|".join(re.escape(p) for p in ordered)
    return re.compile(rf"(?<![a-z0-9'])(?:{body})(?![a-z0-9'])")


def _find(pattern: re.Pattern[str], low: str) -> str:
    m = pattern.search(low)
    return m.group(0) if m else ""


# --- ownership -----------------------------------------------------------------------------------

_ADVERBS = r"(?:(?:then|also|first|finally|quickly|personally|immediately|eventually|just|later|next|again|" \
    r"carefully|manually|actually|basically|initially|ultimately|jointly|together|all|both|had|have|'ve|'d|" \
    r"myself|ourselves|then,?)\s+)*"
_PAST = r"([a-z]+ed|" + "|".join(L.IRREGULAR_PAST) + r")"
_SUBJECT_VERB = {
    subject: re.compile(rf"(?<![a-z'])(?:{subject})\s+{_ADVERBS}{_PAST}(?![a-z])")
    for subject in ("i", "we", "they|he|she|the team|the [a-z]+ team|their team|someone|somebody")
}


def _actor_verbs(low: str, subject: str) -> list[str]:
    """Action verbs (past tense) whose subject is `subject`, skipping states of mind like 'was', 'felt'."""
    return [m.group(1) for m in _SUBJECT_VERB[subject].finditer(low) if m.group(1) not in L.NON_ACTION]


def i_action(low: str) -> str:
    """'I traced the drops' -> 'traced'. An action verb with "I" as its subject."""
    verbs = _actor_verbs(low, "i")
    return verbs[0] if verbs else ""


def we_action(low: str) -> str:
    """'We rebuilt the pipeline' -> 'rebuilt'. An action whose actor is "we" and never "I"."""
    verbs = _actor_verbs(low, "we")
    return verbs[0] if verbs and not _actor_verbs(low, "i") else ""


def other_action(low: str) -> str:
    """'They fixed it' -> 'fixed': another party does the work in the sentence."""
    verbs = _actor_verbs(low, "they|he|she|the team|the [a-z]+ team|their team|someone|somebody")
    return verbs[0] if verbs else ""


_HANDOFF_DIRECT = re.compile(
    r"\b(?:they|he|she|the [a-z]+ team|their team)\s+(?:then\s+|eventually\s+|just\s+)?"
    r"(?:handled it|handled that|took care of it|took care of that|took it from there|fixed it|fixed the problem|"
    r"fixed that|sorted it|sorted it out|looked into it|dealt with it|resolved it|picked it up)"
)
_HANDOFF_ROUTE = re.compile(
    r"\b(?:i|we)\s+(?:just\s+|then\s+|simply\s+)?(?:" + "|".join(L.HANDOFF_VERBS) + r")\b[^.]{0,60}?"
    r"\b(?:and|so|then|who)\s+(?:they|he|she|the [a-z]+ team)\b"
)
_ESCALATED = re.compile(r"\b(?:i|we)\s+(?:just\s+|then\s+)?escalated\b")
_WITH_FIX = re.compile(r"\b(?:with|brought|bringing|along with) (?:a |the |my )?(?:[a-z-]+ ){0,3}(?:fix|pull request|pr|patch|solution)\b")


def handoff(low: str) -> str:
    """The work is routed to someone else: 'I told them and they fixed it', 'they handled it', 'escalated'."""
    if _WITH_FIX.search(low):  # escalating *with* a ready fix is influence, not a hand-off
        return ""
    return _find(_HANDOFF_DIRECT, low) or _find(_HANDOFF_ROUTE, low) or _find(_ESCALATED, low)


_SELF_WIN = _alternation(L.SELF_WIN)


def self_win(low: str) -> str:
    """'I was right' / 'I won' framing, which reads as scoring points rather than solving the problem."""
    return _find(_SELF_WIN, low)


# --- impact --------------------------------------------------------------------------------------

_NUMWORD = r"(?:" + "|".join(L.NUMBER_WORDS) + r")"
_QTY = rf"(?:[$~]?\d[\d,]*(?:\.\d+)?\s*(?:%|k\b|m\b|x\b|ms\b|s\b)?|{_NUMWORD}\b|zero|none|nothing|half)"
_DELTA = re.compile(
    rf"\bfrom\s+(?:about\s+|around\s+|roughly\s+|over\s+|nearly\s+|almost\s+)?{_QTY}[^.;]{{0,40}}?\s+"
    rf"(?:down\s+to|up\s+to|to|into|under|below)\s+(?:about\s+|around\s+|roughly\s+|under\s+|below\s+|less than\s+|"
    rf"over\s+|just\s+|nearly\s+|almost\s+)?{_QTY}"
    r"|\d[\d,.]*\s*[%a-z]*\s*(?:->|=>|\u2192)\s*[$~]?\d"
    r"|\b(?:reduced|cut|increased|improved|dropped|grew|raised|lowered|decreased|boosted|shrank|sped up|"
    r"slashed|lifted|fell|rose|reducing|cutting|improving)\b[^.;]{0,50}?\bby\s+(?:about\s+|around\s+|over\s+)?"
    r"[$~]?\d"
    r"|\b(?:halved|doubled|tripled|quadrupled)\b|\b\d+(?:\.\d+)?x\s+(?:faster|cheaper|more|fewer|less|improvement)"
)
_UNIT = re.compile(
    r"[$\u00a3\u20ac]\s?\d[\d,.]*\s*(?:k|m|mm|b|million|billion|thousand)?"
    r"|\b\d[\d,.]*\s*(?:%|percent|x\b|k\b)"
    rf"|\b(?:\d[\d,.]*|{_NUMWORD})\s+(?:-\s*)?(?:ms|milliseconds?|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|"
    r"months?|quarters?|years?|users?|customers?|clients?|engineers?|people|requests?|tickets?|incidents?|pages?|"
    r"bugs?|errors?|deploys?|deployments?|releases?|teams?|services?|dollars|points?|pp|reports?|hires?|calls?|"
    r"transactions?|orders?|accounts?|sprints?|defects?|outages?|alerts?|builds?|tests?|queries|jobs?|merchants?|"
    r"stores?|sites?|regions?|servers?|nodes?|gb|tb|mb|qps|rps)\b"
    r"|\b(?:zero|no)\s+(?:drops?|errors?|incidents?|outages?|pages?|defects?|downtime|complaints?)\b"
)


def delta(low: str) -> str:
    """A before -> after change: 'from 0.3% to zero', '40 -> 6', 'reduced latency by 30%', 'halved'."""
    return _find(_DELTA, low)


def quantities(low: str) -> list[str]:
    """Numbers with units (%, $, ms, hours, users, number words with units)."""
    return [m.group(0) for m in _UNIT.finditer(low)]


_BUSINESS = _alternation(L.BUSINESS)
_SECOND = _alternation(L.SECOND_ORDER)


def business(low: str) -> str:
    """Business or customer impact words: revenue, cost, customers, churn, time saved ..."""
    return _find(_BUSINESS, low)


def second_order(low: str) -> str:
    """Effects beyond the fix: 'adopted by', 'became the standard', 'other teams'."""
    return _find(_SECOND, low)


# --- scope and reflection ------------------------------------------------------------------------

_OWN = _alternation(L.OWN_PIECE)
_MECH = _alternation(L.MECHANISMS)
_LESSON = _alternation(L.LESSON_CUES)
_GENERIC_LESSON = _alternation(L.GENERIC_LESSON_WORDS)


def own_piece(low: str) -> str:
    """A statement of the speaker's own piece or initiative: 'my role was', 'nobody asked me'."""
    return _find(_OWN, low)


def lesson(low: str) -> str:
    """A reflection cue: 'I learned', 'since then', 'in retrospect', 'the real gap'."""
    return _find(_LESSON, low)


def mechanism(low: str) -> str:
    """A concrete change that carries the lesson: checklist, runbook, alert, test, 'since then I'."""
    return _find(_MECH, low)


def generic_lesson(low: str) -> str:
    """'I learned that communication is important' with no mechanism in the same sentence."""
    cue = lesson(low)
    if cue and not mechanism(low):
        return _find(_GENERIC_LESSON, low)
    return ""


# --- red flags -----------------------------------------------------------------------------------

_BLAME = _alternation(L.BLAME_WORDS)
_VAGUE = _alternation(L.VAGUE_RESULTS)
_GENERIC = _alternation(L.GENERIC_CLAIMS)
_NON_ANSWER = _alternation(L.NON_ANSWERS)
_HYPO = re.compile(r"(?<![a-z'])(?:" + "|".join(re.escape(h.strip()) for h in L.HYPOTHETICALS) + r")(?![a-z])")
_FILLER = re.compile(
    r"(?<![a-z'])(?:um+|uh+|er|erm|you know|i mean|basically|actually|literally|kind of|sort of)(?![a-z'])"
    r"|(?:^|,\s*)like,|\b(?:was|is|were|and)\s+like,?\s"
)
_HEDGE = _alternation(L.HEDGES)
_JARGON = _alternation(L.JARGON)


def blame(low: str) -> str:
    """Negative words about other people or teams, or deflection ('because of the other team')."""
    return _find(_BLAME, low)


def vague_result(low: str) -> str:
    """'Everyone was happy', 'it went well', 'eventually got it done' with no number in the sentence."""
    m = _VAGUE.search(low)
    if not m or low[max(m.start() - 5, 0):m.start()].endswith("what "):  # "what went well" is a retro, not a result
        return ""
    return m.group(0) if not quantities(low) and not delta(low) else ""


def generic_claim(low: str) -> str:
    """Buzz-phrases ('aligned stakeholders', 'worked closely'); the engine checks for concrete detail nearby."""
    return _find(_GENERIC, low)


def non_answer(low: str) -> str:
    """'I've never had a conflict' and similar refusals to give an example."""
    return _find(_NON_ANSWER, low)


def hypothetical(low: str) -> str:
    """'I would ...', 'I always try to ...': describes a habit or a plan instead of a real event."""
    return _find(_HYPO, low)


def fillers(low: str) -> int:
    """Filler words (um, uh, like, you know, basically ...)."""
    return len(_FILLER.findall(low))


def hedges(low: str) -> list[str]:
    """Hedges that undercut conviction (maybe, I think, probably ...)."""
    return _HEDGE.findall(low)


def jargon(low: str) -> int:
    return len(_JARGON.findall(low))
