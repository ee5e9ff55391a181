"""Clauses of one sentence: who acts (the speaker, "we", someone else, a thing), with which verb, in which mood.

A sentence is split at punctuation, joining words and a second subject ("I think I traced ..."); a clause
with no subject of its own that starts with a verb continues the previous subject's chain ("I audited 300
tickets, found ..., and ran two trainings": three actions under one "I"). Linear in the sentence.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from stardrill.feedback import lexicon as L, verbs as V
from stardrill.feedback.forms import is_past
from stardrill.feedback.requested import asked_for, goal, purpose_before

_PUNCT = frozenset(",;:()\"!?")

I, WE, OTHER, YOU, THING, NONE = "i", "we", "other", "you", "thing", "none"  # clause kinds, by subject
# Moods.
PAST, PRESENT, HYPOTHETICAL, HABIT, NEGATED, COPULA, PASSIVE = "past", "present", "hyp", "habit", "neg", "be", "passive"


class Clause(NamedTuple):  # a tuple: created for every clause, so it must be cheap
    subject: str
    verb: str
    mood: str
    start: int  # token index of the clause's first token
    inherited: bool  # the subject came from the clause before ("..., found that", "and ran")
    because: bool = False  # the clause gives a cause ("because they ...")
    relative: bool = False  # opened by "who"/"which": its subject is whoever was just named
    never: bool = False  # "never" sits before its verb
    setting: bool = False  # opened by "when", "if", "until" ...: the circumstances of the main clause

    @property
    def action(self) -> bool:
        return self.mood in (PAST, PRESENT) and self.verb not in V.STATE and bool(self.verb)


def verb_index(toks: list[str], c: "Clause", within: int = 6) -> int:
    """Where the clause's verb stands in the sentence, looking `within` tokens from its start; -1 if not there."""
    return next((j for j in range(c.start, min(c.start + within, len(toks))) if toks[j] == c.verb), -1)


def _verbish(tok: str) -> bool:
    """Could start a clause that continues the previous subject's chain of actions."""
    return is_past(tok) or tok in V.ACTION_BASE or (tok.endswith("s") and tok[:-1] in V.ACTION_BASE)


def _subject(toks: list[str], i: int, end: int) -> tuple[str, int]:
    """(subject kind, index of the first token after the subject), or (NONE, i)."""
    t = toks[i]
    if t in V.SUBJECT_I:
        return I, i + 1 if t == "i" else i  # "i'd", "i'll" keep the contraction for the mood reader
    if t in V.SUBJECT_WE:
        return WE, i + 1 if t == "we" else i
    if t in V.SUBJECT_OTHER:
        return OTHER, i + 1
    if t == "you":
        return YOU, i + 1
    if t in V.SUBJECT_THING:
        return THING, _after_demonstrative_noun(toks, i, end)
    if t in V.PEOPLE_NOUNS:
        metric = _modified_noun(toks, i, end)
        return (THING, metric) if metric else (OTHER, i + 1)
    counted = t[0].isdigit() or t in _COUNTS  # "41% of eligible drivers used ...", "five of six teams moved ..."
    if t in V.DETERMINERS or t.isalpha() or counted:
        # A noun phrase: the last people or team noun before the verb is its head ("the devops team").
        head = ""
        det = t in V.DETERMINERS or counted
        for j in range(i + det, min(i + 7, end)):
            w = toks[j]
            if is_past(w) and j > i and (finite := _after_by_phrase(toks, j, end)):
                j, w = finite, toks[finite]  # "errors reported by customers fell 30%": the verb is "fell"
            if w in V.BE or w in V.MODALS or w in V.NEGATION or w in _PUNCT or (is_past(w) or w in _HAVE) and j > i:
                if head == "team":
                    return (WE if t in V.OUR and not _other_team(toks, i, j) else OTHER), j
                return (OTHER if head else THING if j > i else NONE), j
            if w in V.TEAM_NOUNS:
                head = "team"
            elif w in V.PEOPLE_NOUNS:
                head = "people"
            elif not det and j > i + 2:
                break
    return NONE, i


# Words that cannot be the noun a demonstrative names ("this fix", "these engineers" can).
_NOT_A_NAMED_NOUN = (V.BE | V.MODALS | V.NEGATION | V.HABITUAL | V.CLAUSE_WORDS | V.RELATIVE | V.DETERMINERS
                     | V.ADVERBS)
_HAVE = frozenset(("had", "has", "have"))  # "my team lead had to leave", "the vendor has shipped": the noun phrase ends
_DEMONSTRATIVES = frozenset("this that these those".split())


def _after_demonstrative_noun(toks: list[str], i: int, end: int) -> int:
    """Where the verb starts after "this"/"that": after the noun it names when a past verb or "be" follows that
    noun ("this fix reduced delays", "that change was reverted"), else straight after it ("this reduced")."""
    nxt = i + 1
    if toks[i] not in _DEMONSTRATIVES:
        return nxt
    # "this fix", "this proactive approach", "these actions greatly ...": up to two words, then the verb
    for k in (nxt + 1, nxt + 2):
        if k >= end or not all(w.isalpha() and not is_past(w) and w not in _NOT_A_NAMED_NOUN for w in toks[nxt:k]):
            return nxt
        j = k
        while j < end and _adverb(toks[j]):
            j += 1
        if j < end and (is_past(toks[j]) or toks[j] in V.BE or toks[j] in V.MODALS or toks[j] == "not"):
            return k
    return nxt


def _adverb(t: str) -> bool:
    """A listed adverb or any -ly word ("greatly", "quietly"): it sits between a subject and its verb."""
    return t in V.ADVERBS or t.endswith("ly") and len(t) > 4


def _modified_noun(toks: list[str], i: int, end: int) -> int:
    """A people noun that only modifies the noun after it ("customer satisfaction reached 95%", "staff turnover
    fell", "user retention scores rose"): the index of the verb after that noun (the subject is a thing), else
    0. Only when a past verb or a form of "be" follows one or two plain nouns, so "customers then called" and
    "the customer support team replied" keep their people subject."""
    for j in (i + 2, i + 3):
        if j >= end:
            return 0
        nouns = toks[i + 1:j]
        if not all(_plain_noun(w) for w in nouns):
            return 0
        if is_past(toks[j]) or toks[j] in V.BE:
            return j
    return 0


def _plain_noun(w: str) -> bool:
    return w.isalpha() and not is_past(w) and not w.endswith("ly") and w not in _NOT_PLAIN_NOUNS


# Words that end a noun phrase or start a clause of their own, so they are never the noun a people noun modifies.
_NOT_PLAIN_NOUNS = (V.ADVERBS | V.BE | V.MODALS | V.NEGATION | V.HABITUAL | V.PEOPLE_NOUNS | V.TEAM_NOUNS
                    | V.ACTION_BASE | V.CLAUSE_WORDS | V.RELATIVE | V.DETERMINERS)


def _after_by_phrase(toks: list[str], j: int, end: int) -> int:
    """The finite verb after a participle that only describes the subject ("errors reported by customers fell",
    "the team led by Sam shipped"), or 0 when the participle is the verb itself ("the bug was reported by QA")."""
    if j + 1 >= end or toks[j + 1] != "by":
        return 0
    for m in range(j + 2, min(j + 7, end)):
        w = toks[m]
        if w in _PUNCT or w in V.CLAUSE_WORDS or w in V.RELATIVE:
            return 0
        if w in V.BE or w in V.MODALS or (is_past(w) and toks[m - 1] not in V.DETERMINERS):
            return m
    return 0


def _other_team(toks: list[str], i: int, j: int) -> bool:
    return "other" in toks[i + 1:j] or "partner" in toks[i + 1:j]


_CHOICES = frozenset("options choices alternatives".split())
# Verbs that link a subject to a state when "to be" follows: "the client proved to be difficult" is how they were.
_LINKING = frozenset("proved seemed appeared".split())
# Adverbs that sit between "have" and its participle: "I've since delivered", "we have already cut".
_PERFECT_ADVERBS = frozenset(("since", "already", "recently", "now"))
# What may follow a perfect "have" besides a participle: "we have not had", "I have never seen", "I have used".
_AFTER_HAVE = _PERFECT_ADVERBS | {"not", "never", "used"}


def _mood(toks: list[str], k: int, contraction: str, n: int) -> tuple[str, str]:
    """Read auxiliaries and adverbs after the subject; return (mood, main verb)."""
    modal = contraction in ("i'll", "we'll") or contraction in ("i'd", "we'd")
    would = contraction in ("i'd", "we'd")
    habit = negated = False
    be = contraction in ("i'm", "we're", "they're")
    be_past = False
    perfect = contraction in ("i've", "we've")
    while k < n:
        t = toks[k]
        if t in V.MODALS:
            modal, would = True, would or t in ("would", "will", "could", "should", "might", "may", "can")
        elif t in V.HABITUAL:
            habit = True
        elif t == "not" and k + 1 < n and toks[k + 1] == "only":  # "not only cut costs but also ...": no negation
            k += 1
        elif t in V.NEGATION or t.endswith("n't"):
            negated = True
        elif t in ("did", "do", "does") and k + 1 < n and toks[k + 1] in V.NEGATION:
            pass  # "did not add up": the verb is the one after "not"
        elif t in ("have", "has", "had") and k + 1 < n and (is_past(toks[k + 1]) or toks[k + 1] in V.ADVERBS
                                                            or toks[k + 1] in _AFTER_HAVE):
            perfect = True
        elif t in _PERFECT_ADVERBS and perfect:  # "I've since delivered four projects", "we have already cut it"
            pass
        elif t in V.BE:
            be, be_past = True, be_past or t in ("was", "were")
        elif _adverb(t):
            pass
        else:
            break
        k += 1
    if k >= n:
        return (HYPOTHETICAL if modal else NEGATED if negated else COPULA if be else NONE), ""
    verb = toks[k]
    if verb in ("try", "tries", "tend", "tends") and habit:
        return HABIT, verb
    if verb in _PUNCT or verb[0].isdigit():
        return NONE, ""
    if verb in ("managed", "manage") and k + 2 < n and toks[k + 1] == "to" and not modal:
        past, verb = verb == "managed" or perfect, toks[k + 2]  # "I managed to finish on time": finishing is the action
        return (NEGATED if negated else HABIT if habit else PAST if past else PRESENT), verb
    if verb in ("had", "have", "has") and k + 1 < n and toks[k + 1] == "to":  # "I had to rewrite it"
        verb = toks[k + 2] if k + 2 < n else verb
        return (NEGATED if negated else HYPOTHETICAL if modal else PAST), verb
    if negated:
        return NEGATED, verb
    if toks[k + 1:k + 3] == ["to", "be"] and verb in _LINKING:  # "the client proved to be difficult": a state
        return COPULA, verb
    if would and contraction in ("i'd", "we'd") and is_past(verb) and not modal_word_seen(toks, k):
        return PAST, verb  # "I'd asked her": past perfect, an action
    if modal:
        return HYPOTHETICAL, verb
    if be:
        if verb == "able" and k + 2 < n and toks[k + 1] == "to":
            return PAST, toks[k + 2]
        if verb in ("going", "gonna"):
            return HYPOTHETICAL, verb
        if verb.endswith("ing"):
            return (PAST if be_past else PRESENT), verb
        if is_past(verb):
            return (PASSIVE if be_past or perfect else COPULA), verb
        return COPULA, verb
    if habit:
        return HABIT, verb
    if perfect or is_past(verb):
        return PAST, verb
    return PRESENT, verb


def _verb_follows(t: str) -> bool:
    return (t in V.BE or t in V.MODALS or t in V.NEGATION or t in V.ADVERBS or t in V.HABITUAL or is_past(t)
            or _verbish(t) or t.endswith("n't") or t in ("has", "have", "had", "does", "do", "did")
            or _adverb(t))  # "these actions greatly improved morale"


def modal_word_seen(toks: list[str], k: int) -> bool:
    return any(t in V.MODALS for t in toks[max(k - 3, 0):k])


_AFTER_SUBJECT = frozenset(("then", "so", "once"))
_NO_SPLIT_BEFORE = frozenset("and or with me to for as".split())  # "Sam and I", "with me" stay in the clause


_DIGIT = re.compile(r"\d")
_SETTING = frozenset("when whenever once if unless until before while".split())
_BREAKS = _PUNCT | V.CLAUSE_WORDS | V.SUBJECT_I | V.SUBJECT_WE | {"that"}


def _split(toks: list[str]) -> list[tuple[int, int, str]]:
    """Clause spans (start, end, opener): a new clause at punctuation and at joining words."""
    spans, start, opener = [], 0, ""
    for i, t in enumerate(toks):
        if t not in _BREAKS:
            continue
        # "I then rewrote it", "we once shipped ...": an adverb after the subject, not a new clause
        after_subject = i and (toks[i - 1] in V.SUBJECT_I or toks[i - 1] in V.SUBJECT_WE) and t in _AFTER_SUBJECT
        if (t in _PUNCT or t in V.CLAUSE_WORDS and not after_subject) or (t == "that" and i and is_past(toks[i - 1])) or (
                i > start and (t in V.SUBJECT_I or t in V.SUBJECT_WE) and toks[i - 1] not in _NO_SPLIT_BEFORE):
            if i > start:
                spans.append((start, i, opener))
            if t in V.SUBJECT_I or t in V.SUBJECT_WE:  # "once we had agreed": "once" opens the clause, as "when" does
                start, opener = i, "once" if i == start + 1 and toks[start] == "once" else ""
                continue
            start, opener = i + 1, (t if t not in _PUNCT else opener if t == '"' else "")
    if len(toks) > start:
        spans.append((start, len(toks), opener))
    return spans


_TIME_OPENERS = frozenset("within over in during by".split())
_TIME_AFTER = frozenset("later on after".split())
_COUNTS = frozenset(L.NUMBER_WORDS) | {"a", "few", "several", "couple"}


def _after_time_phrase(toks: list[str], i: int, end: int) -> int:
    """Where the clause goes on after a time phrase that opens it with no comma ("within a few weeks the team
    had adopted it", "two weeks later the customer renewed"), else i: the subject comes after the phrase."""
    first = toks[i]
    opened = first in _TIME_OPENERS
    if not opened and not (first[0].isdigit() or first in _COUNTS):
        return i
    for j in range(i + 1, min(i + 6, end)):
        if toks[j] in V.TIME_NOUNS:
            later = j + 1 < end and toks[j + 1] in _TIME_AFTER
            return j + 1 + later if opened or later else i
        if toks[j] in _PUNCT or toks[j] in V.SUBJECT_I or toks[j] in V.SUBJECT_WE:
            return i
    return i


def _one_who(toks: list[str], start: int) -> bool:
    """ "(I was) the one who", "(we were) the people who": the relative names the subject before it."""
    return start >= 2 and toks[start - 1] == "who" and toks[start - 2] in ("one", "ones", "person", "people")


def clauses(toks: list[str], carry: Clause | None = None) -> list[Clause]:
    """Every clause with a verb: subject (own, carried over a chain, or the thing just named) and mood."""
    out: list[Clause] = []
    last, finder = carry, None
    for start, end, opener in _split(toks):
        i = start
        while i < end and (toks[i] in V.LEAD_SKIP or _lead_adverb(toks, i, end)):
            i += 1
        if i >= end:
            continue
        if toks[i] in ("ensure", "make") and purpose_before(toks, start):
            continue  # "to redistribute the tasks and ensure he got support": one purpose, not an event
        if start > 1 and toks[start - 1] in ("(", ":") and toks[start - 2] in _CHOICES:
            continue  # "presented options (cut scope vs. delay a week)": what could be done, not what was
        after = _after_time_phrase(toks, i, end)
        if i < after < end and _subject(toks, after, end)[0] != NONE:
            i = after
        relative = opener in V.RELATIVE and opener != "that"
        if relative:
            subj, k = (OTHER if opener in ("who", "whom") else THING), i
            if opener == "who" and last is not None and last.subject in (I, WE) and _one_who(toks, start):
                subj = last.subject  # "I was the one who dropped the ball": the speaker, not someone else
        else:
            subj, k = _subject(toks, i, end)
            if subj == THING and last is not None and is_past(toks[i]):  # "and emailed the signed contract"
                subj = NONE
        if subj in (OTHER, THING) and k < end and not _verb_follows(toks[k]):
            subj = NONE
        if subj == NONE:
            if opener == "to" or toks[i] == "to":
                continue
            if finder is not None and (last.subject == THING or "," in toks[max(start - 2, 0):start]):
                last = finder  # "found that feedback lacked consistency and took steps": a thing takes no steps
            if last is not None and _verbish(toks[i]) and last.subject in (I, WE, OTHER, YOU):
                # "I worked with the team to analyze the logs and identify the cause": one purpose; "I needed to
                # help her, develop her skills and create a plan": one want
                if last.mood == PAST and not is_past(toks[i]) and (purpose_before(toks, start) or
                                                                   last.verb in V.STATE):
                    continue
                mood = last.mood if last.mood in (HYPOTHETICAL, HABIT) else (PAST if is_past(toks[i]) else
                                                                           last.mood if last.mood == PRESENT else PAST)
                if last.mood == PASSIVE and is_past(toks[i]) and (i + 1 >= end or toks[i + 1] == "by"):
                    mood = PASSIVE  # "I was summoned and chastised": no object, so done to the subject too
                c = Clause(last.subject, toks[i], mood, start, True)
                out.append(c)
                last = c
            continue
        contraction = toks[k] if k < end and toks[k] in ("i'd", "i'll", "i'm", "i've", "we'd", "we'll", "we're",
                                                         "we've", "they're") else ""
        mood, verb = _mood(toks, k + 1 if contraction else k, contraction, end)
        if not verb and mood == NONE:
            continue
        if subj in (I, WE) and (mood == PRESENT and not contraction and asked_for(toks, start) or goal(toks, start)):
            continue
        # What was found ("found that we opened a connection per request") is no step; after a comma the chain goes on
        # with the finder ("..., and added pooling"), and "he felt overwhelmed and lacked clarity" stays his.
        found = opener == "that" and last is not None and last.verb in V.REPORTING and last.subject in (I, WE)
        c = Clause(subj, verb, mood, start, False, because=opener == "because", relative=relative,
                   never="never" in toks[k:k + 4], setting=opener in _SETTING or found)
        out.append(c)
        finder, last = (last if found else None), c
    if "whenever" in toks or _every_time(toks):
        # "Whenever there's a problem, I jump in and fix it": the present tells a habit, not one event.
        out = [c._replace(mood=HABIT) if c.mood == PRESENT else c for c in out]
    return out


def _lead_adverb(toks: list[str], i: int, end: int) -> bool:
    """An adverb before a chain's verb ("and quickly rolled back the deploy"): the verb continues the subject before."""
    t = toks[i]
    adverb = t in V.LEAD_ADVERBS or t.endswith("ly") and len(t) > 4 and t not in V.LY_NOUNS
    return adverb and i + 1 < end and _verbish(toks[i + 1])


def _every_time(toks: list[str]) -> bool:
    """ "every time", "each time", "any time": the circumstances of a habit."""
    return "time" in toks and any(toks[i + 1] == "time" for i, t in enumerate(toks[:-1]) if t in ("every", "each", "any"))


