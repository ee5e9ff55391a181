"""Sentence-level signals: ownership, impact, scope, reflection and red flags.

Each detector takes one normalised (lower-case) sentence and returns the matched words, or ""/0
when the signal is absent, so that tests can drive them table-style and the engine can quote
what fired. Regexes are compiled once at import; matching is linear in the sentence length.
"""

from __future__ import annotations

import re

from stardrill.feedback import lexicon as L


_PHRASE_TOKEN = re.compile(r"[a-z0-9']+|[,;:()\"!?.]")  # punctuation tokens stop a phrase crossing a clause


def _index(lists: dict[str, tuple[str, ...]]) -> tuple[dict[tuple[str, ...], list[tuple[str, str]]], int]:
    """Map each phrase's token tuple to the (list name, phrase) pairs it belongs to."""
    index: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for name, phrases in lists.items():
        for phrase in phrases:
            key = tuple(_PHRASE_TOKEN.findall(phrase.strip()))
            index.setdefault(key, []).append((name, phrase.strip()))
    return index, max(len(k) for k in index)


# Every word list is matched in one pass over a sentence's n-grams (a dict lookup each) instead of
# one big regex alternation per list: Python's regex engine tries every branch at every position.
_LISTS = {
    "business": L.BUSINESS, "second_order": L.SECOND_ORDER, "own_piece": L.OWN_PIECE, "mechanism": L.MECHANISMS,
    "lesson": L.LESSON_CUES, "generic_lesson": L.GENERIC_LESSON_WORDS, "self_win": L.SELF_WIN,
    "blame": L.BLAME_WORDS, "vague": L.VAGUE_RESULTS, "generic_claim": L.GENERIC_CLAIMS,
    "non_answer": L.NON_ANSWERS, "hypothetical": L.HYPOTHETICALS, "hedge": L.HEDGES, "jargon": L.JARGON,
}
_INDEX, _MAX_N = _index(_LISTS)


def _sizes(index) -> dict[str, tuple[int, ...]]:
    """First token -> the phrase lengths that start with it, longest first (leftmost-longest match)."""
    out: dict[str, set[int]] = {}
    for key in index:
        out.setdefault(key[0], set()).add(len(key))
    return {k: tuple(sorted(v, reverse=True)) for k, v in out.items()}


_SIZES = _sizes(_INDEX)


def phrase_hits(low: str, tokens: list[str] | None = None) -> dict[str, list[tuple[int, str]]]:
    """All word-list phrases in a sentence: list name -> [(token position, phrase)], leftmost-longest first."""
    tokens = tokens if tokens is not None else _PHRASE_TOKEN.findall(low)
    out: dict[str, list[tuple[int, str]]] = {}
    i, n = 0, len(tokens)
    while i < n:
        step = 1
        for size in _SIZES.get(tokens[i], ()):
            found = _INDEX.get(tuple(tokens[i:i + size])) if i + size <= n else None
            if found:
                for name, phrase in found:
                    out.setdefault(name, []).append((i, phrase))
                step = size
                break
        i += step
    if "vague" in out:  # "what went well" names a retro, not a result
        out["vague"] = [(j, p) for j, p in out["vague"] if not (j and tokens[j - 1] == "what")]
    return out


def _first(hits: dict[str, list[tuple[int, str]]], name: str) -> str:
    found = hits.get(name)
    return found[0][1] if found else ""


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


def self_win(low: str) -> str:
    """'I was right' / 'I won' framing, which reads as scoring points rather than solving the problem."""
    return _first(phrase_hits(low), "self_win")


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


def business(low: str) -> str:
    """Business or customer impact words: revenue, cost, customers, churn, time saved ..."""
    return _first(phrase_hits(low), "business")


def second_order(low: str) -> str:
    """Effects beyond the fix: 'adopted by', 'became the standard', 'other teams'."""
    return _first(phrase_hits(low), "second_order")


# --- scope and reflection ------------------------------------------------------------------------

def own_piece(low: str) -> str:
    """A statement of the speaker's own piece or initiative: 'my role was', 'nobody asked me'."""
    return _first(phrase_hits(low), "own_piece")


def lesson(low: str) -> str:
    """A reflection cue: 'I learned', 'since then', 'in retrospect', 'the real gap'."""
    return _first(phrase_hits(low), "lesson")


def mechanism(low: str) -> str:
    """A concrete change that carries the lesson: checklist, runbook, alert, test, 'since then I'."""
    return _first(phrase_hits(low), "mechanism")


def generic_lesson(low: str) -> str:
    """'I learned that communication is important' with no mechanism in the same sentence."""
    return _generic_lesson(phrase_hits(low))


def _generic_lesson(hits: dict[str, list[tuple[int, str]]]) -> str:
    if hits.get("lesson") and not hits.get("mechanism"):
        return _first(hits, "generic_lesson")
    return ""


# --- red flags -----------------------------------------------------------------------------------

_FILLER = re.compile(
    r"(?<![a-z'])(?:um+|uh+|er|erm|you know|i mean|basically|actually|literally)(?![a-z'])"
    r"|(?:^|,\s*)like,|\b(?:was|is|were|and)\s+like,?\s"
)


def blame(low: str) -> str:
    """Negative words about other people or teams, or deflection ('because of the other team')."""
    return _first(phrase_hits(low), "blame")


def vague_result(low: str) -> str:
    """'Everyone was happy', 'it went well', 'eventually got it done' with no number in the sentence."""
    hit = _first(phrase_hits(low), "vague")
    return hit if hit and not quantities(low) and not delta(low) else ""


def generic_claim(low: str) -> str:
    """Buzz-phrases ('aligned stakeholders', 'worked closely'); the engine checks for concrete detail nearby."""
    return _first(phrase_hits(low), "generic_claim")


def non_answer(low: str) -> str:
    """'I've never had a conflict' and similar refusals to give an example."""
    return _first(phrase_hits(low), "non_answer")


def hypothetical(low: str) -> str:
    """'I would ...', 'I always try to ...': describes a habit or a plan instead of a real event."""
    return _first(phrase_hits(low), "hypothetical")


def fillers(low: str) -> int:
    """Filler words (um, uh, like, you know, basically ...). "kind of"/"sort of" are hedges, counted there only."""
    return len(_FILLER.findall(low))


def hedges(low: str) -> list[str]:
    """Hedges that undercut conviction (maybe, I think, probably ...)."""
    return [p for _, p in phrase_hits(low).get("hedge", [])]


def jargon(low: str) -> int:
    return len(phrase_hits(low).get("jargon", []))
