"""Verb forms: whether a token is a past form, and the past form of a verb a chain left bare."""

from __future__ import annotations

from stardrill.feedback import verbs as V


# "-ed" words that are no past form.
_NOT_PAST = frozenset("need indeed hundred speed feed seed bed red shed proceed exceed succeed breed embed".split())


def is_past(tok: str) -> bool:
    return tok in V.IRREGULAR_PAST or (len(tok) > 4 and tok.endswith("ed") and tok not in _NOT_PAST)


_IRREGULAR = {"win": "won", "cut": "cut", "grow": "grew", "fall": "fell", "rise": "rose", "hit": "hit", "come": "came",
              "catch": "caught", "choose": "chose", "shrink": "shrank", "keep": "kept", "get": "got", "make": "made",
              "meet": "met", "lose": "lost", "sell": "sold", "bring": "brought"}


def past_form(verb: str) -> str:
    """The past form of a verb a chain left bare ("we were able to complete" -> "completed", "managed to ship" ->
    "shipped"), so that the word lists of results, which hold past forms, read it."""
    if is_past(verb) or not verb.isalpha():
        return verb
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    if len(verb) in (3, 4) and verb[-1] in "bdgmnpt" and verb[-2] in "aeiou" and verb[-3] not in "aeiou" and \
            verb[0] not in "aeiou":
        return verb + verb[-1] + "ed"  # "ship" -> "shipped", "stop" -> "stopped"; not "open", "edit"
    return verb + "ed"
