"""Numbers and changes in one sentence's tokens: quantities with open units, before -> after changes.

Each look-ahead is bounded (a few tokens), so the work is linear in the sentence whatever it holds.
"""

from __future__ import annotations

from stardrill.feedback import lexicon as L, verbs as V

NUMBER_WORDS = frozenset(L.NUMBER_WORDS) | {"zero", "half", "twice", "none", "nothing", "thirteen", "fourteen",
                                            "sixteen", "seventeen", "eighteen", "nineteen"}
_ENDPOINT_FILLER = frozenset("about around roughly nearly almost over under below just less more than down up only "
                             "at least most the a an sub basically practically virtually essentially effectively "
                             "approximately".split())  # "to sub-second", "to sub 100 ms", "to basically zero"
_PUNCT = frozenset(",;:()\"!?")
_ARROWS = frozenset(("->", "=>", "\u2192"))
# A figure set against an earlier one: "40 minutes instead of two hours", "none, against about thirty a quarter
# before", "6 compared with 40", "12 versus 30". The word after each one, if it needs one, is in the value.
_COMPARE = {"instead": "of", "against": "", "compared": "with to", "versus": "", "vs": ""}
# Verbs whose figure is the size of the change itself: "saved $8,000 a week", "saved the team 10 hours",
# "eliminated 95% of them", "cut 40 tickets a week". ("reduced 40 tickets" names no unit of change: it is not here.)
_AMOUNT_VERBS = frozenset("saved saving cut cutting slashed eliminated eliminating freed freeing prevented "
                          "preventing".split())
# Tokens that can start a change (besides any token starting with a digit).
_TRIGGERS = (frozenset(("from", "halved", "doubled", "tripled", "quadrupled", "up", "down")) | _ARROWS | V.CHANGE_VERBS
             | frozenset(_COMPARE) | NUMBER_WORDS | _AMOUNT_VERBS)


def is_number(tok: str) -> bool:
    return tok[0].isdigit() or tok[0] in "$\u00a3\u20ac" or tok in NUMBER_WORDS


def _year(tok: str) -> bool:
    return len(tok) == 4 and tok.isdigit() and tok[:2] in ("19", "20")


_FUNCTION = frozenset("of or and to in on at for by from with within per than the a an is was were are be been "
                      "after before across over under into out up down it this that which who but so yet as while "
                      "when then because although though whereas if until since due thanks without".split())


_MORE = frozenset("other more additional extra further new".split())


def _unit(toks: list[str], j: int) -> int:
    """Index of the last token of a quantity that starts at j: the number, plus what it counts."""
    nxt = toks[j + 1] if j + 1 < len(toks) else ""
    # "two other connectors", "zero failed runs", "40 affected customers": the noun after the modifier is counted
    if (nxt in _MORE or nxt.endswith("ed") and len(nxt) > 4) and j + 2 < len(toks) and toks[j + 2][0].isalpha() \
            and toks[j + 2] not in _FUNCTION and toks[j + 2] not in V.MODALS and not toks[j + 2].endswith("ed"):
        return j + 2
    return j + 1 if nxt and nxt[0].isalpha() and nxt not in _FUNCTION and nxt not in V.MODALS and len(nxt) < 16 else j


# What follows an hour: "5 pm", "9 a.m.", "6 o'clock", "9:30", "between 5 and 7 pm".
_CLOCK_NEXT = frozenset(("am", "pm", "a", "p", "o'clock", ":", "and", "to", "-", "or", "until", "till"))


def _clock(toks: list[str], i: int, joined: bool = True) -> bool:
    """The number at i is a time of day ("after 5pm", "at 9:30 a.m.", the 5 of "between 5 and 7 pm"): a point on
    the clock, not a measurement, so neither a result's figure nor a level."""
    t = toks[i]
    if not (t.isdigit() and len(t) <= 2):
        return False
    j = i + 1
    if toks[j:j + 1] == [":"] and j + 1 < len(toks) and len(toks[j + 1]) == 2 and toks[j + 1].isdigit():
        return True  # "9:30", "14:00"
    nxt = toks[j] if j < len(toks) else ""
    if nxt in ("am", "pm", "o'clock") or toks[j:j + 2] in (["a", "m"], ["p", "m"]):
        return True
    return joined and nxt in _CLOCK_NEXT and j + 1 < len(toks) and _clock(toks, j + 1, joined=False)


def quantities(toks: list[str]) -> list[tuple[int, str]]:
    """Numbers with whatever they count ("14 services", "40%", "$8,000", "six members"): open units. A year or a
    time of day is neither."""
    out = []
    for i, t in enumerate(toks):
        figure = t[0].isdigit() or t[0] in "$\u00a3\u20ac"  # is_number, inlined: this runs on every token
        if not (figure or t in NUMBER_WORDS) or _year(t):
            continue
        if figure and i + 1 < len(toks) and toks[i + 1] in _CLOCK_NEXT and _clock(toks, i) or \
                i > 1 and toks[i - 1] == ":" and _clock(toks, i - 2):  # the minutes of "9:30"
            continue
        end = _unit(toks, i)
        # "by more than half", "cut in half": a share needs no unit after it
        if figure or (end > i and t != "one") or t == "half" and i and toks[i - 1] in _HALF_OF:
            out.append((i, " ".join(toks[i:end + 1])))
    return out


_HALF_OF = frozenset("than by in over nearly almost about".split())


# Things a story counts as work done ("hired 4 engineers", "migrated 14 services", "launched in 12 markets"): they have
# no level that moved, so asking for their before and after is pedantic. Counts that are levels ("1,200 customers",
# "40 tickets a week", "3 incidents") are not here: for those a before says what changed.
_DONE_COUNTS = frozenset((
    "engineers people members hires candidates interns developers designers analysts managers staff volunteers "
    "mentees reports colleagues peers coworkers teammates reviewers services markets countries cities stores sites offices teams squads projects features "
    "deals contracts partners apps repos repositories courses workshops trainings sessions talks interviews "
    "microservices modules components products releases launches migrations connectors pipelines dashboards tools "
    "playbooks runbooks"
).split())


def is_count(quantity: str) -> bool:
    """A whole number of things done ("4 engineers", "six members", "12 markets"), as against a measurement or a
    level ("40%", "$8,000", "40 minutes", "1,200 customers")."""
    number, _, unit = quantity.partition(" ")
    whole = number.replace(",", "").isdigit() or number in NUMBER_WORDS
    return whole and unit.rpartition(" ")[2] in _DONE_COUNTS


def _endpoint(toks: list[str], i: int, limit: int, never: bool = False) -> int:
    """Index of a number within `limit` tokens from i, skipping 'about', 'under', 'down' ...; -1 if none. With
    `never`, "never" ends a change as zero does ("from 1 in 5 to never")."""
    for j in range(i, min(i + limit, len(toks))):
        if is_number(toks[j]) and not _year(toks[j]) or never and toks[j] == "never":
            return j
        if toks[j] not in _ENDPOINT_FILLER:
            return -1
    return -1


def _comparison(toks: list[str], i: int) -> str:
    """'<figure> instead of <figure>' and the like: a figure in the 8 tokens before, one in the 4 after."""
    k = i + 1
    need = _COMPARE[toks[i]]
    if need:
        if k >= len(toks) or toks[k] not in need.split():
            return ""
        k += 1
    after = _endpoint(toks, k, 4)
    if after < 0:
        return ""
    before = next((j for j in range(max(0, i - 8), i)
                   if (is_number(toks[j]) and not _year(toks[j])) or toks[j] == "no"), -1)  # "no complaints against 30"
    return " ".join(toks[before:_unit(toks, after) + 1]) if before >= 0 else ""


def _is_rate(toks: list[str], j: int) -> bool:
    """A percentage or a multiple: "19%", "40 percent", "3x", "two times"."""
    nxt = toks[j + 1] if j + 1 < len(toks) else ""
    return toks[j].endswith("%") or nxt in ("percent", "x", "times")


def _up_or_down(toks: list[str], i: int) -> str:
    """A level told against its past: "sales were up 12%", "costs down 30%", "tickets are now down to 5 a week".
    "Down to" needs a state before it: "it came down to two options" is no change, and "up to 50" is a cap."""
    if i and toks[i - 1] in V.CHANGE_VERBS:
        return ""  # "went down 30%": the change verb's own reading
    if toks[i + 1:i + 2] == ["from"]:  # "99.97% price accuracy (up from 94.2%)": the level, then its before
        before = _endpoint(toks, i + 2, 3)
        after = next((j for j in range(i - 1, max(-1, i - 8), -1) if is_number(toks[j]) and not _year(toks[j])), -1)
        return " ".join(t for t in toks[after:_unit(toks, before) + 1] if t not in _PUNCT) \
            if before >= 0 and after >= 0 else ""
    rate = _endpoint(toks, i + 1, 2)
    if rate >= 0 and _is_rate(toks, rate):
        return " ".join(toks[i:_unit(toks, rate) + 1])
    if toks[i] == "down" and i and toks[i - 1] in _STATE_BEFORE and toks[i + 1:i + 2] == ["to"]:
        level = _endpoint(toks, i + 2, 3)
        if level >= 0:
            return " ".join(toks[i:_unit(toks, level) + 1])
    return ""


_STATE_BEFORE = frozenset("is was were are now been".split())




def _add_amount(out: list[str], toks: list[str], i: int) -> None:
    """The figure within four words after an amount verb, with no clause break before it."""
    if toks[i] not in _AMOUNT_VERBS:
        return
    for j in range(i + 1, min(i + 5, len(toks))):
        if is_number(toks[j]) and not _year(toks[j]):
            if toks[j] not in NUMBER_WORDS or _unit(toks, j) > j:
                out.append(" ".join(toks[i:_unit(toks, j) + 1]))
            return
        if toks[j] in _PUNCT or toks[j] in _FUNCTION and toks[j] not in ("the", "a", "an", "us", "about", "over"):
            return


def deltas(toks: list[str]) -> list[str]:
    """Before -> after changes: 'from 0.3% to zero', '40 -> 6', 'cut latency by 30%', 'a 20% reduction',
    '3x faster', 'reduced abandonment to 61%', 'halved', '40 minutes instead of two hours'. Each look-ahead is
    bounded."""
    out = []
    n = len(toks)
    triggers = _TRIGGERS
    for i, t in enumerate(toks):
        if t not in triggers and not t[0].isdigit():  # most tokens start no change: one set lookup each
            continue
        if t == "from":
            # "from failing about 1 in 5 to basically never": a verb of what was measured may come first
            a = _endpoint(toks, i + 2 if i + 1 < n and toks[i + 1].endswith("ing") else i + 1, 4)
            if a >= 0:
                for j in range(a + 1, min(a + 9, n)):
                    k = j + 2 if j + 1 < n and toks[j + 1].endswith("ing") else j + 1  # "... to handling 500"
                    end = _endpoint(toks, k, 4, never=True) if toks[j] in ("to", "into", "under", "below") else -1
                    if end >= 0:
                        out.append(" ".join(toks[i:_unit(toks, end) + 1]))
                        break
                    if toks[j] in _PUNCT:
                        break
        elif t in _ARROWS:
            end = _endpoint(toks, i + 1, 2) if i and is_number(toks[i - 1]) else -1
            if end >= 0:
                out.append(" ".join(toks[i - 1:_unit(toks, end) + 1]))
        elif t in V.CHANGE_VERBS:
            rate = _endpoint(toks, i + 1, 3)  # "fell 19%", "grew about 3x": the change told as a rate
            if rate >= 0 and _is_rate(toks, rate):
                out.append(" ".join(toks[i:_unit(toks, rate) + 1]))
                continue
            for j in range(i + 1, min(i + 9, n)):
                if toks[j] in ("by", "to", "under", "below") and _endpoint(toks, j + 1, 3) >= 0:
                    out.append(" ".join(toks[i:_unit(toks, _endpoint(toks, j + 1, 3)) + 1]))
                    break
                if toks[j] in _PUNCT or toks[j] in ("from", "and"):
                    break
            else:
                _add_amount(out, toks, i)
        elif t in _AMOUNT_VERBS:
            _add_amount(out, toks, i)
        elif t in ("halved", "doubled", "tripled", "quadrupled"):
            out.append(t)
        elif t == "up" or t == "down":
            found = _up_or_down(toks, i)
            if found:
                out.append(found)
        elif t in _COMPARE and i:
            found = _comparison(toks, i)
            if found:
                out.append(found)
        elif (t[0].isdigit() or t in NUMBER_WORDS) and not _year(t):
            rate = _is_rate(toks, i)
            for j in range(i + 1, min(i + 4, n)):
                w = toks[j]
                if w in V.CHANGE_NOUNS or w in V.COMPARATIVES:
                    if t.endswith("%") or toks[i + 1] in ("x", "percent", "times") or w in V.CHANGE_NOUNS:
                        out.append(" ".join(toks[i:j + 1]))
                    break
                # One word may name what changed after a rate: "a 35% cost reduction", "250% traffic growth".
                if w not in ("x", "percent", "times", "%") and not (rate and j == i + 1 + (toks[i + 1] in (
                        "x", "percent", "times")) and w.isalpha() and w not in _FUNCTION):
                    break
    return out


