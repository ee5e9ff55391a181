"""Whether an answer is written in English, the only language the feedback reads.

Its word lists, clause reader and advice are English. An answer in Spanish or German would be told "No sentence
says what you did" and score near zero: wrong, and discouraging. English prose is a third to a half function
words ("the", "and", "I", "was"); even a bulleted note of actions has more than a tenth (the bank's and the seed
guides' most telegraphic examples: 12%). Other languages have almost none of them.
"""

from __future__ import annotations

import re

_FUNCTION_WORDS = frozenset((
    "the a an and to of in on for with i we it was is that my our they he she this at by from as be had have but "
    "not so then after when which were are what me us them their his her its you your"
).split())
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
MIN_WORDS = 12  # shorter answers are judged as they are: too few words to tell a language by
MIN_SHARE = 0.07


def looks_english(text: str) -> bool:
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return True
    return sum(w in _FUNCTION_WORDS for w in words) / len(words) >= MIN_SHARE
