"""Every word list matched in one pass over a sentence's tokens (a dict lookup per n-gram).

Python's regex engine tries every branch of an alternation at every position; an n-gram index does
one lookup per token and phrase length, so the cost is linear in the sentence and independent of how
long the lists grow.
"""

from __future__ import annotations

import re

from stardrill.feedback import lexicon as L

PHRASE_TOKEN = re.compile(r"[a-z0-9']+|[,;:()\"!?.]")  # punctuation tokens stop a phrase crossing a clause

LISTS = {
    "business": L.BUSINESS, "second_order": L.SECOND_ORDER, "own_piece": L.OWN_PIECE, "mechanism": L.MECHANISMS,
    "lesson": L.LESSON_CUES, "generic_lesson": L.GENERIC_LESSON_WORDS, "self_win": L.SELF_WIN,
    "blame": L.BLAME_WORDS, "vague": L.VAGUE_RESULTS, "generic_claim": L.GENERIC_CLAIMS,
    "non_answer": L.NON_ANSWERS, "hypothetical": L.HYPOTHETICALS, "hedge": L.HEDGES, "jargon": L.JARGON,
    "arrogance": L.ARROGANCE, "self_description": L.SELF_DESCRIPTION, "deflection": L.DEFLECTION,
    "people_negative": L.PEOPLE_NEGATIVE, "anchor": L.TIME_ANCHORS, "vague_word": L.VAGUE_WORDS,
}


def _index(lists: dict[str, tuple[str, ...]]) -> dict[tuple[str, ...], list[tuple[str, str]]]:
    index: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for name, phrases in lists.items():
        for phrase in phrases:
            key = tuple(PHRASE_TOKEN.findall(phrase.strip()))
            index.setdefault(key, []).append((name, phrase.strip()))
    return index


INDEX = _index(LISTS)
# First token -> the phrase lengths that start with it, longest first (leftmost-longest match).
_SIZES: dict[str, tuple[int, ...]] = {}
for _key in INDEX:
    _SIZES[_key[0]] = tuple(sorted(set(_SIZES.get(_key[0], ())) | {len(_key)}, reverse=True))

Hits = dict[str, list[tuple[int, str]]]


def phrase_hits(low: str, tokens: list[str] | None = None) -> Hits:
    """All word-list phrases in a sentence: list name -> [(token position, phrase)], leftmost-longest first.

    Overlapping phrases of different lists are all kept ("i was right" is both a self-win and arrogance)."""
    tokens = tokens if tokens is not None else PHRASE_TOKEN.findall(low)
    out: Hits = {}
    ends: dict[str, int] = {}  # per list, where its last phrase ended: phrases of one list never overlap
    n = len(tokens)
    for i in range(n):
        for size in _SIZES.get(tokens[i], ()):
            found = INDEX.get(tuple(tokens[i:i + size])) if i + size <= n else None
            if found:
                for name, phrase in found:
                    if ends.get(name, 0) <= i:
                        out.setdefault(name, []).append((i, phrase))
                        ends[name] = i + size
                break
    if "vague" in out:  # "what went well" names a retro, not a result
        out["vague"] = [(j, p) for j, p in out["vague"] if not (j and tokens[j - 1] == "what")] or []
        if not out["vague"]:
            del out["vague"]
    return out


def first(hits: Hits, name: str) -> str:
    found = hits.get(name)
    return found[0][1] if found else ""
