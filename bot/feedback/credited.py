"""Results told as what came of the work for the speaker, or as a named event that came off: "my boss was
impressed and asked the other new starters to take the same course", "I was promoted to team lead", "they
offered me a permanent role", "leading to a successful sponsorship deal".

Each detector walks one sentence's clauses with a bounded look-ahead and returns the phrase it found, or "".
"It was really successful" names no event and stays a vague result; so does "everyone was happy".
"""

from __future__ import annotations

from stardrill.feedback.clauses import COPULA, I, OTHER, PASSIVE, PAST, THING, WE, Clause, verb_index

_INTENSIFIERS = frozenset("very really so quite extremely highly genuinely clearly particularly".split())
_CREDITED = frozenset("promoted commended recognised recognized awarded lauded praised nominated rewarded".split())
_PUT_FORWARD = frozenset("suggested recommended proposed".split())  # "suggested promoting me"
_OFFERS = frozenset("job role position promotion contract place raise".split())
_OTHERS = frozenset("other others rest everyone everybody all".split())  # "asked the other new starters to ..."
_LIKEWISE = frozenset("same similar".split())
_SHARE = frozenset("share use adopt copy roll present".split())
_WELL = frozenset("well properly perfectly professionally correctly right".split())
_PASSIVE_AUX = frozenset("being was were got".split())
# Words without one of which no detector here can fire: the caller skips the sentence (most sentences).
CUES = _CREDITED | frozenset("impressed amazed promoting offered asked wanted said told".split())


def credited(toks: list[str], cl: tuple[Clause, ...]) -> str:
    """Praise, a promotion or an offer that the work earned, or others told to do the same."""
    for c in cl:
        if c.setting or c.relative:
            continue
        at = verb_index(toks, c, 8)
        after = toks[at + 1:at + 11] if at >= 0 else []
        others = c.subject in (OTHER, THING)  # "my coordinator", "they": the reader cannot always tell a person
        reaction = _impressed(toks[c.start:c.start + 6]) if others and c.mood in (COPULA, PASSIVE) else ""
        if reaction:
            return f"was {reaction}"
        if c.subject in (I, WE) and c.verb in _CREDITED and (c.mood == PASSIVE or _being(toks, at)):
            return f"was {c.verb}"  # "I was promoted to team lead", "ended up being lauded and promoted"
        if not others or c.mood != PAST:
            continue
        if c.verb in _PUT_FORWARD and after[:2] == ["promoting", "me"]:
            return "suggested promoting me"
        if c.verb == "offered" and after[:1] == ["me"] and not _OFFERS.isdisjoint(after[1:5]):
            return f"offered me a {next(w for w in after[1:5] if w in _OFFERS)}"
        if c.verb == "asked" and not _OTHERS.isdisjoint(after[:4]) and "to" in after and \
                not _LIKEWISE.isdisjoint(after):
            return "asked others to do the same"
        if c.verb in ("asked", "wanted") and _passed_on(after):
            return "asked to share it"  # "they asked to share my checklist with the other volunteers"
        if c.verb in ("said", "told") and _handled_well(toks[at + 1:at + 12]):
            return "said I handled it well"
    return ""


def _passed_on(after: list[str]) -> bool:
    """ "asked to share it with the other volunteers", "wanted me to roll it out to the rest of the team"."""
    at = next((j for j, w in enumerate(after[:4]) if w in _SHARE), -1)
    return at >= 1 and after[at - 1] == "to" and after[at + 1:at + 2] in (["it"], ["my"], ["this"], ["them"]) and \
        not _OTHERS.isdisjoint(after[at + 2:at + 8])


def _handled_well(words: list[str]) -> bool:
    """ "my boss said I handled the situation properly", "she told me I had handled it well"."""
    if "i" not in words[:3] or "not" in words:
        return False
    k = words.index("i") + 1
    k += words[k:k + 1] == ["had"]
    return words[k:k + 1] == ["handled"] and not _WELL.isdisjoint(words[k + 1:k + 6])


def _impressed(words: list[str]) -> str:
    """ "was impressed", "were very impressed", "the customer was amazed" (the word); not "was not impressed"."""
    for j, w in enumerate(words):
        if w in ("was", "were"):
            rest = [x for x in words[j + 1:j + 4] if x not in _INTENSIFIERS]
            return rest[0] if rest[:1] in (["impressed"], ["amazed"]) else ""
    return ""


def _being(toks: list[str], at: int) -> bool:
    """A passive the clause reader took for a chain: "ended up being lauded and promoted"."""
    before = toks[max(at - 3, 0):at]
    return at >= 1 and not _PASSIVE_AUX.isdisjoint(before) and "not" not in before


# "leading to a successful sponsorship deal", "which resulted in a successful launch of the tool", "we had a
# successful go-live": the event names what came off. "a successful project" or "it was successful" does not.
_LED_TO = (("leading", "to"), ("led", "to"), ("resulting", "in"), ("resulted", "in"), ("ending", "in"),
           ("ended", "in"), ("ended", "with"), ("culminating", "in"), ("culminated", "in"))
_EVENTS = frozenset("launch launches release releases deal deals sale sales contract contracts audit audits inspection "
                    "inspections migration migrations rollout rollouts go-live handover negotiation negotiations pitch "
                    "bid bids renewal renewals funding round certification accreditation".split())


def successful_event(toks: list[str]) -> str:
    for i, tok in enumerate(toks):
        if tok != "successful" or i < 2:
            continue
        event = next((w for w in toks[i + 1:i + 4] if w in _EVENTS), "")
        if not event:
            continue
        before = tuple(toks[max(i - 4, 0):i])
        if any(before[j:j + 2] == pair for pair in _LED_TO for j in range(len(before) - 1)) or \
                before[-3:-1] in (("we", "had"), ("i", "had")):
            return f"a successful {event}"
    return ""
