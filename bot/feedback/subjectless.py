"""Lines with no subject of their own: a bulleted answer's lines ("- added logging to every payment call") and a
CV-style line that opens on a past-tense verb are the speaker's own actions; "Failed retries fell to 0.3%" is not one.
"""

from __future__ import annotations

from stardrill.feedback import verbs as V
from stardrill.feedback.forms import is_past

_STAR_LABELS = frozenset("s t a r l situation task action actions result results outcome impact learned lesson lessons "
                         "learning reflection".split())
# Past participles that open a phrase rather than tell an action: "Based on the data, ...", "Faced with a deadline".
_OPENERS = frozenset("based given compared located related considered called named used supposed faced".split())
_ANY_SUBJECT = V.SUBJECT_I | V.SUBJECT_WE | V.SUBJECT_OTHER | frozenset(("you",))


def implicit_i(toks: list[str]) -> list[str]:
    """A line of a bulleted answer ("A: - added logging to every payment call", "- built a retry with backoff"): its
    STAR label is dropped, and a line that opens on a past-tense verb with no subject anywhere is the speaker's own
    action, as on a CV. "Faced with a deadline, I cut scope" has its subject and is left as it is."""
    k = 2 if len(toks) > 2 and toks[0] in _STAR_LABELS and toks[1] == ":" else 0
    if k == 0 and not (toks and is_past(toks[0])):
        return toks
    rest = toks[k:]
    if is_past(rest[0]) and rest[0] not in _OPENERS and _ANY_SUBJECT.isdisjoint(rest) and not _describes_noun(rest):
        return ["i", *rest]
    return rest


def _describes_noun(toks: list[str]) -> bool:
    """ "Failed retries fell to 0.3%", "Reported incidents were halved": the participle describes the noun after it,
    which is the subject of the verb that follows; "Added logging to every call" has no verb after its noun."""
    for j in (2, 3):
        if j >= len(toks) or not all(t.isalpha() and t not in V.DETERMINERS for t in toks[1:j]):
            return False
        if is_past(toks[j]) or toks[j] in V.BE:
            return True
    return False


__all__ = ["implicit_i"]
