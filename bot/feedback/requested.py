"""Requests and goals: what someone wanted done, which is not yet anything the speaker did.

The clause reader skips what was asked for ("suggested I look into it"), goals ("to make sure that we
offered ...") and the rest of a purpose ("to analyze the logs and identify the cause") with `asked_for`, `goal`
and `purpose_before`, so none is read as a step or a result.

The rest is about a story that starts from a request, told for a question that asks for work nobody asked for.

"Tell me about a waste nobody had asked you to look at" is answered by a story whose first move is the
speaker's own. "My manager suggested I look into it" answers another question ("tell me about a task you were
given"). Being asked is fine everywhere else: many strong answers start from a manager's request. So the
question's own wording decides whether a request matters, and the answer's request is only what it says.

Written from the question texts and general English; bench/data/README.md lists the real answers read while it
was written. No score feature reads `request`: it raises the `asked-for` flag, and the verdict follows the flag.
"""

from __future__ import annotations

import re

from stardrill.feedback import verbs as V
from stardrill.feedback.forms import is_past

# The question asks for something nobody asked for: "that nobody had asked you to look at", "without being asked".
_UNASKED_QUESTION = re.compile(r"\b(?:nobody|no one|no-one)\s+(?:had\s+|has\s+|else\s+)?asked\b|"
                               r"\bwithout being (?:asked|told)\b|\bunasked\b")
# Someone set the speaker on the work: "my manager suggested I look into", "I was asked to", "she assigned me".
_ASKER = r"(?:manager|lead|boss|director|supervisor|vp|cto|ceo|head|pm|owner|he|she|they)"
_REQUEST = re.compile(
    rf"\b{_ASKER}\s+(?:had\s+)?(?:asked|suggested|told|wanted|assigned|tasked|instructed|directed|requested|"
    r"needed)\s+(?:me|that i|i)\b|"
    r"\bi\s+(?:was|got|had been)\s+(?:asked|told|assigned|tasked|instructed|directed)\b|"
    r"\bwas assigned to me\b|\bassigned me\b")
# Said of a request that did not happen: "nobody had asked me to", "without being told", "no one told me".
_DENIED = frozenset("nobody no-one without never not".split())


# "My manager suggested I look into it", "she asked that we hold the release": what someone wanted done, told
# in the bare form, is not yet anything the speaker did.
_ASKED_FOR = frozenset("suggested recommended asked proposed insisted requested demanded advised urged".split())


def asked_for(toks: list[str], start: int) -> bool:
    """The clause at `start` is what someone asked for ("suggested I look into it")."""
    before = toks[start - 1] if start else ""
    return before in _ASKED_FOR or before == "that" and start > 1 and toks[start - 2] in _ASKED_FOR


def goal(toks: list[str], start: int) -> bool:
    """The clause at `start` is a goal set ("my brief was to make sure that we offered the best service", "to ensure
    we shipped"): not yet anything done. "I made sure that we shipped" tells what happened."""
    j = start - 1 if start and toks[start - 1] == "that" else start
    return toks[max(j - 3, 0):j] == ["to", "make", "sure"] or toks[max(j - 2, 0):j] == ["to", "ensure"]


def asks_unasked(question_text: str) -> bool:
    return _UNASKED_QUESTION.search(question_text.lower()) is not None


def request(low: str) -> str:
    """The words that say someone asked the speaker for this work, or "" (a denied request is none)."""
    m = _REQUEST.search(low)
    if m is None:
        return ""
    before = low[max(0, m.start() - 30):m.start()].split()
    if _DENIED.intersection(before) or "no one" in " ".join(before) or any(w.endswith("n't") for w in before):
        return ""
    return m.group(0)


# A purpose ends at punctuation or a joining word, as a clause does (clauses.py).
_PUNCT_BREAKS = frozenset(",;:()\"!?")
# "was able to X and Y", "had to X and Y", "allowing me to X and Y": both verbs were done ("asked me to" reads alike).
_DOING_TO = frozenset("able managed had has have got me us".split())
_NOT_A_VERB = V.DETERMINERS | frozenset("me us him her them it you".split())  # "to the team", "to them"


def purpose_before(toks: list[str], start: int) -> bool:
    """The clause before this one ends in a "to" + verb purpose ("... to analyze the logs and"), so a bare verb
    here goes on with that purpose; after "able to", "managed to" and "had to" both verbs were done."""
    for j in range(start - 2, max(start - 8, 0) - 1, -1):
        t = toks[j]
        if t in _PUNCT_BREAKS or t in V.CLAUSE_WORDS:
            return False
        if t == "to":
            nxt = toks[j + 1]
            return (nxt.isalpha() and nxt not in _NOT_A_VERB and not is_past(nxt)
                    and (j == 0 or toks[j - 1] not in _DOING_TO))
    return False


__all__ = ["asks_unasked", "request", "asked_for", "goal", "purpose_before"]
