"""Every word list matched in one pass over a sentence's tokens (a dict lookup per n-gram).

Python's regex engine tries every branch of an alternation at every position; an n-gram index does
one lookup per token and phrase length, so the cost is linear in the sentence and independent of how
long the lists grow.
"""

from __future__ import annotations

import re

from stardrill.feedback import lexicon as L
from stardrill.feedback.verbs import NEGATION

# The engine's one tokenizer. Numbers never backtrack: each alternative always succeeds once it starts, so a
# run of separators ("0.0.0...") is read as a chain of short numbers; punctuation tokens stop a phrase
# crossing a clause.
TOKEN = re.compile(r"[$\u00a3\u20ac]?\d+(?:[.,]\d+){0,3}%?|[a-z][a-z0-9]*(?:'[a-z]+)?|->|=>|\u2192|[,;:()\"!?]")
PHRASE_TOKEN = TOKEN

LISTS = {
    "business": L.BUSINESS, "second_order": L.SECOND_ORDER, "own_piece": L.OWN_PIECE, "mechanism": L.MECHANISMS,
    "lesson": L.LESSON_CUES, "generic_lesson": L.GENERIC_LESSON_WORDS, "self_win": L.SELF_WIN,
    "blame": L.BLAME_WORDS, "vague": L.VAGUE_RESULTS, "generic_claim": L.GENERIC_CLAIMS, "concession": L.CONCESSIONS,
    "non_answer": L.NON_ANSWERS, "hypothetical": L.HYPOTHETICALS, "hedge": L.HEDGES, "jargon": L.JARGON,
    "arrogance": L.ARROGANCE, "self_description": L.SELF_DESCRIPTION, "deflection": L.DEFLECTION,
    "people_negative": L.PEOPLE_NEGATIVE, "anchor": L.TIME_ANCHORS, "vague_word": L.VAGUE_WORDS,
    "situation_cue": L.SITUATION_CUES, "task_cue": L.TASK_CUES, "outcome_cue": L.OUTCOME_CUES,
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
# First token -> the tokens that can follow it in a phrase of two or more. Common first tokens ("i", "a",
# "the") start many phrases; a second token none of them has rules them all out with one set lookup.
_NEXT: dict[str, frozenset[str]] = {}
for _key in INDEX:
    if len(_key) > 1:
        _NEXT[_key[0]] = _NEXT.get(_key[0], frozenset()) | {_key[1]}

Hits = dict[str, list[tuple[int, str]]]


def phrase_hits(low: str, tokens: list[str] | None = None) -> Hits:
    """All word-list phrases in a sentence: list name -> [(token position, phrase)], leftmost-longest first.

    Overlapping phrases of different lists are all kept ("i was right" is both a self-win and arrogance)."""
    tokens = tokens if tokens is not None else PHRASE_TOKEN.findall(low)
    out: Hits = {}
    ends: dict[str, int] = {}  # per list, where its last phrase ended: phrases of one list never overlap
    n = len(tokens)
    sizes = _SIZES
    follow = _NEXT
    for i in [i for i, t in enumerate(tokens) if t in sizes]:  # most tokens start no phrase
        t = tokens[i]
        longer = i + 1 < n and tokens[i + 1] in follow.get(t, ())
        for size in sizes[t]:
            if size > 1 and not longer:
                continue
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
    if "lesson" in out:  # "we now had two options": the story's "now", not what changed since
        out["lesson"] = [(j, p) for j, p in out["lesson"] if not _story_now(tokens, j, p)]
        if not out["lesson"]:
            del out["lesson"]
    if "mechanism" in out:  # "I realize now I should have asked": hindsight, not a practice kept since
        out["mechanism"] = [(j, p) for j, p in out["mechanism"] if not _hindsight(tokens, j, p)]
        if not out["mechanism"]:
            del out["mechanism"]
    regret = _regret(tokens) if "have" in tokens else -1
    if regret >= 0 and "lesson" not in out and "concession" not in out:  # "I should have taken more initiative" stays
        out["lesson"] = [(regret, " ".join(tokens[regret:regret + 3]))]  # conceded without a lesson cue
    told = _virtue_only(tokens[regret + 3:]) if regret >= 0 and "generic_lesson" not in out else 0
    if told:
        out["generic_lesson"] = [(regret, " ".join(tokens[regret:regret + 3 + told]))]
    return out


# Hindsight about one's own part is a lesson told as a regret: "I should have asked finance first", "I would have
# involved them earlier". "Would/could have" needs the "earlier" of hindsight in its own clause: "otherwise I would
# have missed the date" is what did not happen, "I could have skipped testing before a release" a temptation.
_EARLIER = frozenset("earlier sooner differently".split())
_FROM_THE = frozenset("start beginning outset".split())  # "from the start"
_CLAUSE_END = frozenset(", ; : but ( )".split())
_OURS = frozenset(("i", "we"))


def _in_hindsight(rest: list[str]) -> bool:
    for j, t in enumerate(rest):
        if t in _CLAUSE_END:
            return False
        if t in _EARLIER or t in _FROM_THE and rest[j - 1:j] == ["the"] or t == "first" and rest[j - 1:j] != ["the"]:
            return True
    return False


# A regret that names only a virtue, as "I learned communication is important" does: "I should have taken more
# initiative", "I should have been more diplomatic", "I should have delegated more". One that names what, when or whom
# is specific: "I should have escalated sooner and proposed cutting scope", "I should have said so on Tuesday".
_RESOLVES = frozenset("initiative ownership attention care responsibility leadership empathy patience proactive "
                      "diplomatic careful patient assertive organized organised thorough transparent open clear "
                      "communicative confident flexible decisive independent independently mindful tactful involved "
                      "proactively".split())
_DEGREE = frozenset("more better a bit little lot much far earlier sooner been".split())
_REGRET_END = _CLAUSE_END | frozenset(". ! ? and to instead rather when so because as".split())


def _virtue_only(after: list[str]) -> int:
    """How many words after "should have" tell only a verb and a virtue compared ("taken more initiative earlier",
    "been more proactive", "communicated better"), up to the clause's end; 0 if they tell more than that."""
    end = next((j for j, t in enumerate(after) if t in _REGRET_END), len(after))
    words = after[1:end]  # after the verb ("taken", "been")
    virtue = ("more" in words or "better" in words) and all(t in _RESOLVES or t in _DEGREE for t in words)
    return end if virtue else 0


def _regret(tokens: list[str]) -> int:
    for i in range(len(tokens) - 3):
        if tokens[i] not in _OURS or tokens[i + 2] != "have":
            continue
        modal, verb = tokens[i + 1], tokens[i + 3]
        if verb == "been" and i + 4 < len(tokens) and tokens[i + 4].endswith(("ed", "en", "told", "shown")):
            continue  # "I should have been told": someone else's duty, not the speaker's lesson
        if modal in ("should", "shouldn't") or modal in ("would", "could") and _in_hindsight(tokens[i + 4:i + 16]):
            return i
    return -1


def _story_now(tokens: list[str], j: int, phrase: str) -> bool:
    """ "We now had two options", "I now needed a plan": a past tense after "now" ("I now put", "I now read" are the
    present of a practice); "we now spend $1.2M less" is a result."""
    after = tokens[j + 2] if j + 2 < len(tokens) else ""
    if phrase == "we now" and any(t[:1].isdigit() or t[:1] in "$\u00a3\u20ac" for t in tokens):
        return True  # "we now spend $1.2M a year less": the result, told in the present
    return phrase in ("now i", "i now", "we now") and (after in _NARRATED or after.endswith("ed"))


_NARRATED = frozenset("had was were could knew found got went saw thought felt began".split())


_SEEING = frozenset("realize realise see understand know think feel believe".split())
_WISHED = frozenset("should could would might".split())


def _hindsight(tokens: list[str], j: int, phrase: str) -> bool:
    """ "now I" / "I now" / "we now" that only sees something now ("I realize now I should have", "we now know it
    could have"), not a practice ("Now I run a pre-mortem", "we now have automatic failover")."""
    if phrase not in ("now i", "i now", "we now"):
        return False
    after = tokens[j + 2:j + 4]
    return bool(j and tokens[j - 1] in _SEEING or after[:1] and after[0] in _SEEING or _WISHED.intersection(after))


def first(hits: Hits, name: str) -> str:
    found = hits.get(name)
    return found[0][1] if found else ""


# Adverbs that may sit inside a set phrase ("it wasn't really my fault", "I'm just a perfectionist", "I can't
# really think of"): the phrase lists are matched a second time with these taken out.
_SOFTENERS = frozenset("really just actually simply sometimes always ever honestly truly basically".split())
_TOLERANT = ("arrogance", "deflection", "self_description", "non_answer", "people_negative", "hedge")
# Refusing the premise: "I can't say I've ever had a conflict", "I don't make any mistakes".
_NON_EVENT = frozenset("conflict conflicts mistake mistakes failure failures disagreement disagreements "
                       "argument arguments problem problems".split())


_SAYING = frozenset("said says felt thought believed claimed told insisted".split())


def boast(hits: Hits, tokens: tuple[str, ...] | list[str]) -> str:
    """The first arrogance or self-promotion phrase that is the speaker's own: "he said nobody else could handle
    the pricing engine" reports what someone else believed."""
    for name in ("arrogance", "self_win"):
        for j, phrase in hits.get(name, ()):
            before = tokens[max(0, j - 4):j]
            if _SAYING.isdisjoint(before) or "i" in before:
                return phrase
    return ""


_VAGUE = ("vague", "vague_word")


def vague_between(hits: Hits, start: int, end: int) -> bool:
    """A vague word or phrase from token `start` up to `end` (a clause's span: "we launched it successfully")."""
    return any(start <= j < end for name in _VAGUE for j, _ in hits.get(name, ()))


def first_vague(hits: Hits) -> int:
    """The token index of the first vague word or phrase (only called when there is one)."""
    return min(j for name in _VAGUE for j, _ in hits.get(name, ()))


def _non_answer(toks: list[str]) -> str:
    """A negation and then, within a few words, having or making one of the events the question asks about."""
    for i, t in enumerate(toks):
        if t in NEGATION or t.endswith("n't"):
            window = toks[i + 1:i + 8]
            if any(w in ("had", "have", "make", "made", "making", "ever") for w in window) and \
                    any(w in _NON_EVENT for w in window):
                return " ".join(toks[i:i + 1 + next(j for j, w in enumerate(window) if w in _NON_EVENT) + 1])
    return ""


_COMMON = frozenset("i a an the to of my me was is it in on and not i'm am be".split())
_TOLERANT_WORDS = frozenset(t for name in _TOLERANT for phrase in LISTS[name] for t in TOKEN.findall(phrase)) - _COMMON


def tolerant_hits(low: str, toks: list[str]) -> Hits:
    """phrase_hits, plus set phrases with a softener inside and refusals of the question's premise."""
    hits = phrase_hits(low, toks)
    if not _SOFTENERS.isdisjoint(toks) and not _TOLERANT_WORDS.isdisjoint(toks):
        plain = phrase_hits("", [t for t in toks if t not in _SOFTENERS])
        for name in _TOLERANT:
            if name in plain and name not in hits:
                hits[name] = plain[name]
    if "lesson" in hits and not _THEM.isdisjoint(toks):
        hits["lesson"] = [(j, p) for j, p in hits["lesson"] if not _finding(toks, j, p)]
        if not hits["lesson"]:
            del hits["lesson"]
    if "self_win" not in hits:  # a virtue in excess, or the speaker grading themselves; each read only on its cue
        brag = "too" in toks and excess_virtue(toks) or not _SHOWS.isdisjoint(toks) and self_appraisal(toks)
        if brag:
            hits["self_win"] = [brag]
    if "non_answer" not in hits and not _NON_EVENT.isdisjoint(toks):
        found = _non_answer(toks)
        if found:
            hits["non_answer"] = [(0, found)]
    if "non_answer" not in hits and _FAILINGS.isdisjoint(toks):
        return hits
    if _bounded(toks):  # "I never made that mistake again", "I haven't missed a deadline since": a lesson
        hits.pop("non_answer", None)
        return hits
    claim = _never_fails(toks)
    if claim:  # "I've never failed" declines the question and boasts: a non-answer and arrogance
        hits.setdefault("arrogance", [(0, claim)])
        hits.setdefault("non_answer", [(0, claim)])
    return hits


_THEM = frozenset("he she they him her them his their".split())


def _finding(toks: list[str], j: int, phrase: str) -> bool:
    """ "I learned that he felt overwhelmed", "I realised they were affected": something found out about people in
    the story, not a lesson drawn from it."""
    if phrase not in ("i learned", "i learnt", "i realized", "i realised"):
        return False
    k = j + 2 + (toks[j + 2:j + 3] == ["that"])
    return toks[k:k + 1] != [] and toks[k] in _THEM


# The speaker grading themselves: "it showed my leadership skills", "I think it shows I can act decisively", "this
# demonstrates that I'm open to feedback". The story is there to show the skill; naming it adds nothing anyone could
# check (five weak examples of the bank say it, no strong one). "It showed I had left out the tax question" and "my
# board showed I was behind" are findings, not a grade.
_SHOWS = frozenset("shows showed demonstrates demonstrated proves proved highlights highlighted showcases showcased"
                   .split())
_POINTING = frozenset("it this that which".split())
_TRAITS = frozenset("leadership ability abilities skill skills commitment dedication initiative capability "
                    "capabilities strength strengths potential resilience adaptability determination character".split())
_GRADED = frozenset("can could care am i'm".split())  # "(it shows) I can ...", "I care about ...", "I'm open to ..."


def self_appraisal(toks: list[str]) -> tuple[int, str] | None:
    """ "it/this shows (that) my <trait>" or "... (that) I can/care/am ..." (not "I can't")."""
    for i in range(1, len(toks) - 2):
        if toks[i] not in _SHOWS or toks[i - 1] not in _POINTING:
            continue
        k = i + 1 + (toks[i + 1] == "that")
        grade = toks[k:k + 3]
        if grade[:1] == ["my"] and not _TRAITS.isdisjoint(grade[1:]) or \
                grade[:1] == ["i"] and grade[1:2] and grade[1] in _GRADED or grade[:1] == ["i'm"]:
            if not any(w == "not" or w.endswith("n't") for w in grade):
                return i - 1, " ".join(toks[i - 1:k + 2])
    return None


def excess_virtue(toks: list[str]) -> tuple[int, str] | None:
    """A flaw that is a virtue in excess, said of the speaker: "my mistake was caring too much", "I'm too thorough",
    "we were probably too careful", "my standards are sometimes too high", "they trusted me too quickly". "I was
    too slow to escalate" and "the error rate was too high" are real flaws and problems, "a strategy I felt was too
    ambitious" judges someone else's plan, and "I trusted the vendor too much" is a real mistake."""
    for i, t in enumerate(toks[:-1]):
        if t != "too":
            continue
        nxt, lead = toks[i + 1], toks[max(0, i - 6):i]
        if nxt in _VIRTUES and _said_of_self(toks, i):
            return i, f"too {nxt}"
        if nxt in ("much", "quickly") and ("me" in lead and not _RELIED.isdisjoint(lead) or
                                          not _CARING.isdisjoint(lead[-2:])):
            return i, f"{next(w for w in reversed(lead) if w in _RELIED or w in _CARING)} ... too {nxt}"
    return None


def _said_of_self(toks: list[str], too: int) -> bool:
    """ "I was (probably) too", "being too", "we did too", "my standards are too": the speaker is what is too much."""
    j = too - 1
    while j >= 0 and toks[j] in _HEDGED:
        j -= 1
    if j < 0 or toks[j] not in _BE_TOO:
        return False
    if toks[j] in ("being", "i'm", "we're"):
        return True
    k = j - 1
    while k >= 0 and toks[k] in _HEDGED:
        k -= 1
    return k >= 0 and (toks[k] in ("i", "we") or toks[k] in _STANDARDS and not {"my", "our"}.isdisjoint(
        toks[max(0, k - 5):k]))


_BE_TOO = frozenset("was were am is are be been being did do got i'm we're".split())
_HEDGED = frozenset("probably just sometimes simply a bit little way far always often perhaps maybe actually honestly "
                    "really quite".split())
_STANDARDS = frozenset("standards standard bar expectations review reviews".split())


_VIRTUES = frozenset("well good careful thorough curious ambitious supportive high helpful dedicated passionate perfect "
                     "generous loyal reliable committed eager diligent meticulous nice kind honest humble "
                     "conscientious responsible hardworking organised organized efficient".split())
_RELIED = frozenset("relied rely relies relying trusted trust trusts depended depend counted".split())
_CARING = frozenset("caring care cared cares".split())


# Claiming a clean record: the speaker, a denial that covers all time, then failing or mistakes.
_FAILINGS = frozenset("fail fails failed failing failure failures mistake mistakes error errors deadline "
                      "deadlines".split())
_ALWAYS_DENIED = frozenset("never don't haven't rarely seldom hardly".split())
_SPEAKER = frozenset("i i've".split())
_SPECIFIC = frozenset("that this the same".split())  # "I didn't make the same mistake": one mistake, not all


def _never_fails(toks: list[str]) -> str:
    """ "I've never failed", "I don't make mistakes", "I rarely make errors", "I never miss deadlines"."""
    for s, t in enumerate(toks):
        if t not in _SPEAKER:
            continue
        d = next((k for k in range(s + 1, min(s + 4, len(toks))) if toks[k] in _ALWAYS_DENIED or
                  toks[k] == "not" and toks[k - 1] in ("do", "have")), -1)
        if d < 0:
            continue
        for k in range(d + 1, min(d + 6, len(toks))):
            w = toks[k]
            if w in _FAILINGS and toks[k - 1] not in _SPECIFIC and \
                    (not w.startswith("deadline") or toks[k - 1] in ("miss", "missed", "a")):
                return " ".join(toks[s:k + 1])
            if w not in _CLAIM_FILLER:  # "I don't want to fail the team" is a wish, not a record
                break
    return ""


_CLAIM_FILLER = frozenset("have has had ever really actually truly honestly make made making commit committed a an "
                          "any serious big real major single one been miss missed".split())


_AFTER_THE_STORY = frozenset("again anymore twice similar following afterwards afterward".split())


def _bounded(toks: list[str]) -> bool:
    """The claim is limited to after a lesson: "again", "anymore", "twice", "since then", "ever since", "no similar
    conflict in the following 18 months", "none afterwards"."""
    if not _AFTER_THE_STORY.isdisjoint(toks):
        return True
    return any(a == "since" and b in ("then", "that") or a == "ever" and b == "since" for a, b in zip(toks, toks[1:]))
