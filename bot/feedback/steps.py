"""Own steps told with a stand-in for the step: "I identified the root cause and implemented a fix".

An interviewer's next question is "what was the cause?" and "what did the fix change?": the sentence has an
"I" and a verb, but the object is a word any story could use. A named object ("the root cause as a misconfigured
timeout", "the root cause, which was a memory leak", "a bug in the retry logic") is the step itself and is not
counted; nor is "the issue" or "the bug", which usually points back to one the answer already described.

From the rubric's generic-claims row (rubric-facts.md: "labelled weak when nothing concrete follows"), written
after reading real answers side by side (bench/data/README.md lists which). It raises the `stand-in` flag, a major
one like a vague result (the verdict stays below "strong"), and its top fix; the ownership score counts such a
step as no concrete action (features.py).
"""

from __future__ import annotations

from stardrill.feedback import verbs as V
from stardrill.feedback.clauses import I, PAST, PRESENT, Clause, verb_index

# Nouns that stand in for whatever was done, with or without a determiner: "took steps", "the necessary changes".
# ("a fix" and "a patch" are left alone: after a named cause they are the step.)
_STAND_INS = frozenset("steps changes improvements measures actions adjustments".split())
# What was found, when only its kind is said: "the root cause", "an issue", "a recurring problem".
_CAUSES = frozenset(("cause", "causes"))
_UNNAMED = frozenset("issue issues problem problems bug bugs".split())
_INDEFINITE = frozenset("a an some several".split())
# Not "his"/"my": "I reviewed his changes" is someone's own work, not a stand-in.
_DETERMINERS = _INDEFINITE | frozenset("the this that these those".split())
_BLAND = frozenset("root underlying real main key recurring critical quick simple necessary appropriate potential "
                   "permanent long-term effective proper scalable new significant major minor small few various "
                   "several some required needed relevant corrective additional further".split())
# A verb's particle stands between it and its object: "carried out", "rolled out", "set up", "put in".
_PARTICLES = frozenset("out up in through".split())
# What names the object after it: "the root cause as ...", "a fix for ...", "a bug in ...", "traced the issue to ...".
_NAMED_BY = frozenset("as : ( for in by".split())
_COMPOUND = frozenset("fix fixes analysis investigation".split())  # "a root cause fix" is the fix, not the cause


def _names(toks: list[str], j: int) -> bool:
    """The words at j name the object: "as a misconfigured timeout", "in the retry logic", "to a race condition";
    "to" before a verb is a purpose ("steps to address it"), which names nothing."""
    nxt = toks[j + 1] if j + 1 < len(toks) else ""
    if toks[j] == "in" and nxt == "place":  # "put the necessary measures in place" names nothing
        return False
    if toks[j] == "to":
        return nxt in V.DETERMINERS or nxt in _INDEFINITE  # "to a race condition", "to our retry logic"
    if toks[j] in ("which", "that"):  # "the root cause, which was a memory leak"
        return nxt in ("was", "were", "is", "turned")
    return toks[j] in _NAMED_BY or toks[j] in _COMPOUND


def stand_ins(toks: list[str], clauses: tuple[Clause, ...]) -> tuple[str, ...]:
    """The speaker's own steps whose object is a stand-in ("implemented a fix", "identified the root cause")."""
    out = []
    n = len(toks)
    for c in clauses:
        if c.subject != I or c.mood not in (PAST, PRESENT) or c.verb in V.STATE:
            continue
        at = verb_index(toks, c, 8)
        if at < 0:
            continue
        k = at + 1 + (at + 1 < n and toks[at + 1] in _PARTICLES)  # "carried out the required changes"
        det = toks[k] if k < n and toks[k] in _DETERMINERS else ""
        k += bool(det)
        while k < n and toks[k] in _BLAND:
            k += 1
        if k >= n or k + 1 < n and (_names(toks, k + 1) or toks[k + 1] == "," and k + 2 < n and _names(toks, k + 2)):
            continue
        noun = toks[k]
        if noun in _STAND_INS or noun in _CAUSES or noun in _UNNAMED and det in _INDEFINITE:
            out.append(" ".join(toks[at:k + 1]))
    return tuple(out)


# Words that name a cause: "traced the timeouts to ...", "it was caused by ...", "the cause was ...", "it turned out to
# be ...". Once an answer names its cause, "once I had identified the root cause" points back to it.
_TRACED = frozenset("traced narrowed pinned tracked".split())


def names_a_cause(toks: tuple[str, ...] | list[str]) -> bool:
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if t in _TRACED and "to" in toks[i + 1:i + 10] or t == "caused" and nxt == "by" or \
                t in _CAUSES and nxt in ("was", "were", "is") or t == "turned" and nxt == "out" or t == "culprit":
            return True
    return False


__all__ = ["stand_ins", "names_a_cause"]
