"""One reading per sentence: clauses (who did what, in which mood), numbers, changes and word lists.

Every detector here walks the sentence's tokens once with a bounded look-ahead, so the work is linear
in the input whatever it holds (a 12,000-character run of digits costs what a normal answer costs).
Clauses are read, not sentences: "I audited 300 tickets, found that 40% were repeats, so I built a
knowledge base and ran two trainings" is four actions under one "I". The STAR labeller never gates
what is read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from stardrill.feedback import lexicon as L, verbs as V
from stardrill.feedback.numbers import NUMBER_WORDS, deltas, quantities
from stardrill.feedback.phrases import TOKEN, Hits, first, tolerant_hits

_PUNCT = frozenset(",;:()\"!?")
_HANDOFF_CUES = frozenset({"they", "he", "she", "team", "escalated"})
_FILLER_CUES = frozenset({"um", "umm", "uh", "uhh", "er", "erm", "know", "mean", "basically", "actually",
                          "literally", "like"})
_FILLER = re.compile(
    r"(?<![a-z'])(?:um+|uh+|er|erm|you know|i mean|basically|actually|literally)(?![a-z'])"
    r"|(?:^|,\s{0,3})like,|\b(?:was|is|were|and)\s{1,3}like,?\s"
)
_HANDOFF_DIRECT = re.compile(
    r"\b(?:they|he|she|the [a-z]{1,20} team|their team)\s{1,3}(?:then\s+|eventually\s+|just\s+)?"
    r"(?:handled it|handled that|took care of it|took care of that|took it from there|fixed it|fixed the problem|"
    r"fixed that|sorted it|sorted it out|looked into it|dealt with it|resolved it|picked it up)"
)
_HANDOFF_ROUTE = re.compile(
    r"\b(?:i|we)\s{1,3}(?:just\s+|then\s+|simply\s+)?(?:" + "|".join(L.HANDOFF_VERBS) + r")\b[^.]{0,60}?"
    r"\b(?:and|so|then|who)\s{1,3}(?:they|he|she|the [a-z]{1,20} team)\s{1,3}(?:then\s+|eventually\s+|just\s+)?"
    r"(?:fixed|handled|sorted|resolved|solved|took care|dealt|looked into|patched|picked it up)\b"
)
_ESCALATED = re.compile(r"\b(?:i|we)\s{1,3}(?:just\s+|then\s+)?escalated (?:it|this|that|the (?:issue|problem|bug))\b")
_WITH_FIX = re.compile(r"\b(?:with|brought|bringing|along with) (?:a |the |my )?(?:[a-z-]{1,20} ){0,3}"
                       r"(?:fix|pull request|pr|patch|solution)\b")

# Clause kinds by subject.
I, WE, OTHER, YOU, THING, NONE = "i", "we", "other", "you", "thing", "none"
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

    @property
    def action(self) -> bool:
        return self.mood in (PAST, PRESENT) and self.verb not in V.STATE and bool(self.verb)


def is_past(tok: str) -> bool:
    return tok in V.IRREGULAR_PAST or (len(tok) > 4 and tok.endswith("ed") and tok not in _NOT_PAST)


_NOT_PAST = frozenset("need indeed hundred speed feed seed bed red shed proceed exceed succeed breed embed".split())


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
        return THING, i + 1
    if t in V.PEOPLE_NOUNS:
        return OTHER, i + 1
    if t in V.DETERMINERS or t.isalpha():
        # A noun phrase: the last people or team noun before the verb is its head ("the devops team").
        head = ""
        for j in range(i + (t in V.DETERMINERS), min(i + 7, end)):
            w = toks[j]
            if w in V.BE or w in V.MODALS or w in V.NEGATION or w in _PUNCT or (is_past(w) and j > i):
                if head == "team":
                    return (WE if t in V.OUR and not _other_team(toks, i, j) else OTHER), j
                return (OTHER if head else THING if j > i else NONE), j
            if w in V.TEAM_NOUNS:
                head = "team"
            elif w in V.PEOPLE_NOUNS:
                head = "people"
            elif t not in V.DETERMINERS and j > i + 2:
                break
    return NONE, i


def _other_team(toks: list[str], i: int, j: int) -> bool:
    return "other" in toks[i + 1:j] or "partner" in toks[i + 1:j]


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
        elif t in V.NEGATION or t.endswith("n't"):
            negated = True
        elif t in ("have", "has", "had") and k + 1 < n and (is_past(toks[k + 1]) or toks[k + 1] in V.ADVERBS):
            perfect = True
        elif t in V.BE:
            be, be_past = True, be_past or t in ("was", "were")
        elif t in V.ADVERBS or (t.endswith("ly") and len(t) > 4):
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
    if verb in ("had", "have", "has") and k + 1 < n and toks[k + 1] == "to":  # "I had to rewrite it"
        verb = toks[k + 2] if k + 2 < n else verb
        return (NEGATED if negated else HYPOTHETICAL if modal else PAST), verb
    if negated:
        return NEGATED, verb
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
            or _verbish(t) or t.endswith("n't") or t in ("has", "have", "had", "does", "do", "did"))


def modal_word_seen(toks: list[str], k: int) -> bool:
    return any(t in V.MODALS for t in toks[max(k - 3, 0):k])


_NO_SPLIT_BEFORE = frozenset("and or with me to for as".split())  # "Sam and I", "with me" stay in the clause


_DIGIT = re.compile(r"\d")
_BREAKS = _PUNCT | V.CLAUSE_WORDS | V.SUBJECT_I | V.SUBJECT_WE | {"that"}


def _split(toks: list[str]) -> list[tuple[int, int, str]]:
    """Clause spans (start, end, opener): a new clause at punctuation and at joining words."""
    spans, start, opener = [], 0, ""
    for i, t in enumerate(toks):
        if t not in _BREAKS:
            continue
        after_subject = i and (toks[i - 1] in V.SUBJECT_I or toks[i - 1] in V.SUBJECT_WE) and t in ("then", "so")
        if (t in _PUNCT or t in V.CLAUSE_WORDS and not after_subject) or (t == "that" and i and is_past(toks[i - 1])) or (
                i > start and (t in V.SUBJECT_I or t in V.SUBJECT_WE) and toks[i - 1] not in _NO_SPLIT_BEFORE):
            if i > start:
                spans.append((start, i, opener))
            if t in V.SUBJECT_I or t in V.SUBJECT_WE:
                start, opener = i, ""
                continue
            start, opener = i + 1, (t if t not in _PUNCT else opener if t == '"' else "")
    if len(toks) > start:
        spans.append((start, len(toks), opener))
    return spans


def clauses(toks: list[str], carry: Clause | None = None) -> list[Clause]:
    """Every clause with a verb: subject (own, carried over a chain, or the thing just named) and mood."""
    out: list[Clause] = []
    last = carry
    for start, end, opener in _split(toks):
        i = start
        while i < end and toks[i] in V.LEAD_SKIP:
            i += 1
        if i >= end:
            continue
        relative = opener in V.RELATIVE and opener != "that"
        if relative:
            subj, k = (OTHER if opener in ("who", "whom") else THING), i
        else:
            subj, k = _subject(toks, i, end)
        if subj in (OTHER, THING) and k < end and not _verb_follows(toks[k]):
            subj = NONE
        if subj == NONE:
            if opener == "to" or toks[i] == "to":
                continue
            if last is not None and _verbish(toks[i]) and last.subject in (I, WE, OTHER, YOU):
                mood = last.mood if last.mood in (HYPOTHETICAL, HABIT) else (PAST if is_past(toks[i]) else
                                                                           last.mood if last.mood == PRESENT else PAST)
                c = Clause(last.subject, toks[i], mood, start, True)
                out.append(c)
                last = c
            continue
        contraction = toks[k] if k < end and toks[k] in ("i'd", "i'll", "i'm", "i've", "we'd", "we'll", "we're",
                                                         "we've", "they're") else ""
        mood, verb = _mood(toks, k + 1 if contraction else k, contraction, end)
        if not verb and mood == NONE:
            continue
        c = Clause(subj, verb, mood, start, False, opener == "because", "never" in toks[k:k + 4], relative)
        out.append(c)
        last = c
    return out


# --- the reading of one sentence -----------------------------------------------------------------

_DISCRETE_OUTCOMES = frozenset((
    "shipped launched delivered won closed adopted retained promoted passed resolved completed finished renewed "
    "signed restored recovered unblocked hired approved merged released accepted agreed solved fixed earned received "
    "awarded calmed thanked praised stayed returned renewed chose"
).split())


# Outcome verbs that promise a measurable change: without a figure they are a vague result.
_VAGUE_CHANGE = frozenset("improved increased reduced boosted enhanced decreased lowered streamlined optimized "
                          "optimised strengthened accelerated grew".split())
_COOPERATE = frozenset("trusted trust listened listen helped help responded respond replied reply cared care "
                       "supported support followed follow delivered deliver showed show read".split())
_FEELING = frozenset("felt feel feels seemed seem looked".split())
_REPORTED = frozenset("told let informed notified pinged alerted messaged emailed reported flagged escalated "
                      "forwarded passed handed raised mentioned".split())
_FIXED = frozenset("fixed sorted handled resolved solved patched repaired dealt".split())


@dataclass(slots=True)
class Reading:
    """Every signal of one sentence, computed once; the engine reads these instead of re-matching (treat it as
    read-only: it is not frozen only because frozen dataclasses cost a call per field to build)."""

    tokens: tuple[str, ...]
    clauses: tuple[Clause, ...]
    i_verbs: tuple[str, ...]  # own actions (any tense but hypothetical, through verb chains)
    we_verbs: tuple[str, ...]  # actions credited to "we" / "my team"
    other_verbs: tuple[str, ...]  # actions of other people
    hypotheticals: tuple[str, ...]  # clauses in the conditional or habitual mood, whoever the subject
    self_descriptions: int  # "I'm a ...", "I always ...", traits instead of events
    you_generic: int  # advice in the second person ("you have to listen")
    past_events: int  # clauses that tell something that happened
    deltas: tuple[str, ...]
    quantities: tuple[str, ...]
    hits: Hits
    handoff: str
    fillers: int
    blame: str  # negative words aimed at a third party, or deflection
    outcome: str  # a result a vague sentence cannot fake: a change or count with an outcome, or a discrete event
    vague_change: str  # an outcome verb with nothing measured ("improved accuracy", "went well")

    def first(self, name: str) -> str:
        return first(self.hits, name)

    @property
    def delta(self) -> str:
        return self.deltas[0] if self.deltas else ""

    @property
    def vague(self) -> str:
        """'Everyone was happy', 'it went well', 'improved trust significantly' with no number in the sentence."""
        if self.quantities or self.deltas:
            return ""
        return self.first("vague") or self.vague_change or self.first("vague_word")

    @property
    def generic_lesson(self) -> str:
        if self.hits.get("lesson") and not self.hits.get("mechanism"):
            return self.first("generic_lesson")
        return ""

    @property
    def we_action(self) -> str:
        return self.we_verbs[0] if self.we_verbs and not self.i_verbs else ""


def _blame(cl: tuple[Clause, ...], hits: Hits) -> str:
    """Blame needs a target: a negative word in a clause whose subject is someone else, or deflection.
    Self-criticism ("I made careless mistakes") is not blame."""
    if hits.get("deflection"):
        return first(hits, "deflection")
    for c in cl:  # "because the developers couldn't keep up", "he never trusted me"
        if c.subject == OTHER and c.mood == NEGATED and (c.because or c.never and c.verb in _COOPERATE):
            return f"{'because ' if c.because else 'never '}... {c.verb}"
    for name in ("people_negative", "blame"):
        for pos, phrase in hits.get(name, ()):
            owner = next((c for c in reversed(cl) if c.start <= pos), None)
            subject = owner.subject if owner else NONE
            if owner is not None and owner.verb in _FEELING:  # "she felt undermined": her feeling, not blame
                continue
            if subject == OTHER or (subject in (THING, NONE) and name == "people_negative"):
                return phrase
    return ""


def _outcome(cl: tuple[Clause, ...], qty: list, dl: list[str], hits: Hits) -> tuple[str, str]:
    """(concrete outcome, vague change). A change or a count next to an outcome verb is concrete; an outcome
    verb with no figure ("improved accuracy") is a vague change; a discrete event ("shipped", "adopted") counts
    as concrete unless vague words ride with it."""
    if dl:
        return dl[0], ""
    vague = bool(hits.get("vague") or hits.get("vague_word"))
    for c in cl:
        if c.mood not in (PAST, PRESENT, PASSIVE) or c.verb not in V.OUTCOME_VERBS and c.verb not in _DISCRETE_OUTCOMES:
            continue
        if qty:
            return f"{c.verb} {qty[0][1]}", ""
        if c.verb in _DISCRETE_OUTCOMES and not vague:
            return c.verb, ""
        if c.verb in _VAGUE_CHANGE or vague:
            return "", c.verb
    return "", ""


_HANDOFF_VERBS = frozenset(L.HANDOFF_VERBS) | {"handled", "took", "fixed", "sorted", "looked", "dealt", "resolved",
                                              "picked", "escalated"}


def read(low: str) -> Reading:
    """All signals of one normalised sentence."""
    toks = TOKEN.findall(low)
    tokset = set(toks)
    cl = tuple(clauses(toks))
    hits = tolerant_hits(low, toks)
    mine, ours, theirs, hyp = [], [], [], []
    selfdesc = you = past = 0
    fixed_by_other = ""
    for c in cl:
        subject, mood, verb = c.subject, c.mood, c.verb
        if mood in (PAST, PRESENT) and verb not in V.STATE:
            (mine if subject == I else ours if subject == WE else theirs if subject == OTHER else hyp).append(verb) \
                if subject in (I, WE, OTHER) else None
            if subject == OTHER and mood == PAST and verb in _FIXED and not c.relative and not fixed_by_other:
                fixed_by_other = f"{verb} it"
        elif mood in (HYPOTHETICAL, HABIT) and subject in (I, WE, YOU, NONE):
            hyp.append(verb)
        if subject == I and (mood == HABIT or mood == COPULA and verb not in ("was", "were") and _present_be(toks, c)):
            selfdesc += 1
        elif subject == YOU and mood in (PRESENT, HYPOTHETICAL, HABIT):
            you += 1
        if mood in (PAST, PASSIVE) and verb not in V.STATE:  # states ("was busy", "had known") are background
            past += 1
    selfdesc = max(selfdesc, len(hits.get("self_description", ())))
    numeric = _DIGIT.search(low) is not None or not tokset.isdisjoint(NUMBER_WORDS)
    qty = quantities(toks) if numeric else []
    dl = deltas(toks) if numeric or "halved" in tokset or "doubled" in tokset else []
    handoff = ""
    # A hand-off: someone else fixes it and the speaker's own part in the sentence is at most reporting it
    # ("I told the platform team and they fixed it"); "while they fixed it, I wrote a test" is not one.
    own_work = any(v not in _REPORTED for v in mine)
    if not own_work and (fixed_by_other or not tokset.isdisjoint(_HANDOFF_CUES) and
                         not tokset.isdisjoint(_HANDOFF_VERBS)) and not _WITH_FIX.search(low):
        handoff = next((m.group(0) for rx in (_HANDOFF_DIRECT, _HANDOFF_ROUTE, _ESCALATED) for m in [rx.search(low)]
                        if m), "") \
            or fixed_by_other  # "they had a look and sorted it out on their side"
    fillers = len(_FILLER.findall(low)) if not tokset.isdisjoint(_FILLER_CUES) else 0
    outcome, vague_change = _outcome(cl, qty, dl, hits)
    return Reading(tuple(toks), cl, tuple(mine), tuple(ours), tuple(theirs), tuple(hyp), selfdesc, you, past,
                   tuple(dl), tuple(q for _, q in qty), hits, handoff, fillers, _blame(cl, hits), outcome,
                   vague_change)


def _present_be(toks: list[str], c: Clause) -> bool:
    return any(t in ("am", "'m", "i'm", "is", "are") for t in toks[c.start:c.start + 4])
