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

from stardrill.feedback import lexicon as L, phrased as P, verbs as V
from stardrill.feedback.blame import unquoted_blame
from stardrill.feedback.clauses import (COPULA, HABIT, HYPOTHETICAL, I, NEGATED, NONE, OTHER, PASSIVE, PAST,
                                        PRESENT, THING, WE, YOU, Clause, clauses, verb_index)
from stardrill.feedback.forms import is_past, past_form
from stardrill.feedback.numbers import NUMBER_WORDS, deltas, quantities
from stardrill.feedback.phrases import TOKEN, Hits, first, first_vague, tolerant_hits, vague_between
from stardrill.feedback.steps import stand_ins
from stardrill.feedback.subjectless import implicit_i

_DIGIT = re.compile(r"\d")
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

# --- the reading of one sentence -----------------------------------------------------------------

_DISCRETE_OUTCOMES = frozenset((
    "shipped launched delivered won closed adopted retained promoted passed resolved completed finished renewed "
    "signed restored recovered unblocked hired approved released accepted agreed solved earned received awarded "
    "calmed thanked praised appreciated stayed returned chose copied fixed patched repaired stopped disappeared "
    "vanished contained embraced influenced fulfilled backfired worsened exacerbated"
).split())


# Outcome verbs that promise a measurable change: without a figure they are a vague result.
_VAGUE_CHANGE = frozenset("improved increased reduced boosted enhanced decreased lowered streamlined optimized "
                          "optimised strengthened accelerated grew".split())
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
    blame: str  # the first blame aimed at a third party (blame.py), or ""
    blame_clauses: int  # clauses (and deflections) that blame someone else
    outcome: str  # a result a vague sentence cannot fake: a change or count with an outcome, or a discrete event
    vague_change: str  # an outcome verb with nothing measured ("improved accuracy", "went well")
    happened: str  # only others or the work act, in the past, with a figure, or "now" do something: a result
    #                told without an outcome verb ("Zero team members left", "Dana now runs release quality")
    vague: str  # "everyone was happy", "it went well", "improved trust significantly" with no number in the sentence
    stand_ins: tuple[str, ...] = ()  # own steps whose object is a stand-in ("identified the root cause"), steps.py

    def first(self, name: str) -> str:
        found = self.hits.get(name)  # phrases.first, inlined: called for every list on every sentence
        return found[0][1] if found else ""

    @property
    def delta(self) -> str:
        return self.deltas[0] if self.deltas else ""

    @property
    def generic_lesson(self) -> str:
        if self.hits.get("lesson") and not self.hits.get("mechanism"):
            return self.first("generic_lesson")
        return ""

    @property
    def we_action(self) -> str:
        return self.we_verbs[0] if self.we_verbs and not self.i_verbs else ""


def _outcome(cl: tuple[Clause, ...], qty: list, dl: list[str], hits: Hits, toks: list[str],
             dated: str = "") -> tuple[str, str]:
    """(concrete outcome, vague change). A before -> after change is an outcome. So is a change verb with a count
    after it ("saved $8K", "cut 40 tickets"), and a discrete event that happened to the work or was done by
    others ("the release shipped", "the platform team adopted it"); the speaker's own "I merged", "I fixed"
    is an action, an outcome only with a count ("I shipped it 2 days early", "I closed 14 deals"). A commitment
    kept is one too ("we met the provider's date"); an event in a "when"/"until" clause is the circumstances
    ("I escalated when the pushback was received"). A change verb with no figure ("improved accuracy") is a
    vague change."""
    if dl:
        return dl[0], ""
    # A vague word beside a figure or a date kept is not vague: "launched successfully in all 12 markets within 7
    # months", "we successfully delivered the project on time".
    vague = bool(hits.get("vague") or hits.get("vague_word")) and not qty and not dated
    found = ""  # an event; a figure later in the sentence still beats it ("finished on time and attained 95%")
    ends = [c.start for c in cl[1:]] + [len(toks)]
    for c, end in zip(cl, ends):
        verb = past_form(c.verb) if c.mood == PAST else c.verb  # "we were able to complete it"
        if c.mood not in (PAST, PRESENT, PASSIVE) or (verb not in _MEASURED and verb not in _DISCRETE_OUTCOMES
                                                      and verb not in _VAGUE_CHANGE and verb not in _ADOPTED):
            continue
        if _narrowed(toks, c) or _figurative(toks, c) or _agreed_to_act(toks, c):
            continue
        after = [q for pos, q in qty if pos > c.start]
        if verb in _MEASURED and after:
            return f"{c.verb} {after[0]}", ""
        if found:
            continue
        # "when the pushback came", "until the release shipped": the circumstances, not what the work changed. A
        # vague word outside the clause is about something else: "It took a lot of planning, but we completed it",
        # and others taking the work up after a vague lead-in is a result ("After seeing the positive impact, the
        # team leader made the agenda standard practice").
        if (verb in _DISCRETE_OUTCOMES or c.subject == OTHER) and not c.setting and not (
                vague and vague_between(hits, c.start, end)) and (
                c.subject in (THING, NONE) or c.mood == PASSIVE or c.subject == OTHER and verb in _ADOPTED or
                after or verb in _LANDED):
            found = c.verb
            continue
        if (verb in _VAGUE_CHANGE or (vague and verb in _MEASURED)) and not c.setting:  # "when demand increased"
            return "", c.verb
    if found:
        return found, ""
    # Only a clause with no vague word of its own can land: "the client was satisfied and continued to be a loyal
    # customer", "we were able to move forward and it went really well".
    if vague:
        at = first_vague(hits)
        cut = next((c.start for c, end in zip(cl, ends) if c.start <= at < end), at)
        landed = P.landed(toks[:cut], tuple(c for c in cl if c.start < cut), qty) or P.phrasal_result(
            toks, tuple(c for c, end in zip(cl, ends) if not vague_between(hits, c.start, end)))
    else:
        landed = P.landed(toks, cl, qty)
    if landed:
        return landed, ""
    for c in cl:  # "we met the provider's date", "I hit the deadline": a commitment kept is a result
        if c.verb in P.KEPT and c.mood in (PAST, PASSIVE) and not vague:
            kept = P.commitment(toks, c.start)
            if kept:
                return f"{c.verb} the {kept}", ""
    return "", ""


_LET_ME = frozenset(("me", "us"))
_DETERMINERS = frozenset("the a an of our my their his her its these those".split())


# What a hand-off fixes: the problem itself ("they fixed it", "the platform team resolved the issue"), not a
# workload or a count ("customers handled 14,000 returns", "he handled both database alerts without paging anyone").
_THE_PROBLEM = L.PROBLEM_WORDS | frozenset("this that incident outage fault ticket escalation".split())


def _the_problem_after(toks: list[str], c: Clause) -> bool:
    at = verb_index(toks, c, 8)
    after = [t for t in toks[at + 1:at + 4] if t not in ("the", "our", "my", "their", "a", "an", "up", "out", "with")]
    return at >= 0 and bool(after) and after[0].rstrip(".,;") in _THE_PROBLEM


_ASKED = frozenset(("whether", "if"))


def _claimed(hits: Hits, name: str, toks: list[str], cl: tuple[Clause, ...]) -> str:
    """The first vague phrase of the list that claims a result. Not one that is an aim ("to make sure everything
    went well"), a wish or a denial ("it could significantly help", "it wasn't going smoothly"), a question ("checked
    whether the client was happy"), the circumstances ("when we had increased demands"), "a lot of" counting a
    noun ("there were a lot of factors"), or how much was learned ("I learned a lot")."""
    for j, phrase in hits.get(name, ()):
        owner = next((c for c in reversed(cl) if c.start <= j), None)
        if owner is not None and (owner.mood in (HYPOTHETICAL, HABIT, NEGATED) or owner.setting):
            continue
        if phrase in ("a lot", "lots") and toks[j + len(phrase.split()):][:1] == ["of"]:
            continue
        if j and (toks[j - 1] in _LEARNED or toks[j - 2:j] == ["taught", "me"]):
            continue  # "I learned a lot", "it taught me a lot": a lesson (generic-lesson's business), not a result
        before = toks[max(0, j - 8):j]
        if "ensure" in before or "sure" in before and "make" in before or not V.MODALS.isdisjoint(before[-2:]) or \
                not _ASKED.isdisjoint(before[-4:]):
            continue
        return phrase
    return ""


_LEARNED = frozenset("learned learnt learn learning".split())


def _figurative(toks: list[str], c: Clause) -> bool:
    """ "I dropped the ball", "we cut corners": a mistake told as an idiom, not a measure that moved."""
    at = verb_index(toks, c)
    return at >= 0 and (toks[at + 1:at + 3] == ["the", "ball"] or toks[at + 1:at + 2] == ["corners"])


def _narrowed(toks: list[str], c: Clause) -> bool:
    """ "It came down to 2 options": a choice narrowed, not a level reached; "most came from rate limits" is a
    cause. "Latency came down to 120 ms" and "costs came in under budget" are levels reached."""
    if c.verb != "came":
        return False
    at = verb_index(toks, c)
    return toks[c.start] in ("it", "this", "that") or toks[at + 1:at + 2] not in (["down"], ["in"], ["to"], ["back"],
                                                                                  ["under"])


def _agreed_to_act(toks: list[str], c: Clause) -> bool:
    """ "She agreed to run the test for three weeks", "we agreed two goals": a plan agreed, not what the work did.
    "The director agreed" and "they agreed that the design was safer" are the persuasion landing."""
    if c.verb != "agreed":
        return False
    at = verb_index(toks, c)
    nxt = toks[at + 1] if 0 <= at < len(toks) - 1 else ""
    return nxt == "to" and at + 2 < len(toks) and toks[at + 2] not in ("it", "this", "that", "the", "our", "my") or \
        nxt in NUMBER_WORDS or nxt[:1].isdigit() or nxt in ("a", "an", "on", "goals", "targets", "criteria")


# Verbs whose count is the result ("saved $8K", "grew to 40 customers").
_MEASURED = frozenset((
    "reduced cut increased improved dropped fell rose grew saved halved doubled tripled lowered raised decreased "
    "boosted shrank slashed climbed jumped eliminated prevented recovered gained lost avoided freed converted hit "
    "attained reached achieved came ended caught"
).split())
# Of those, the verbs whose figure is the size of the change ("saved $8K", "eliminated 95% of them"), not a level
# reached ("hit 99.9%", "came to 120 ms") that needs its before.
AMOUNT_CHANGED = _MEASURED - frozenset("hit attained reached achieved came ended caught converted".split())
# The speaker's own verbs that are results in themselves ("I restored service", "we shipped on the day").
_LANDED = frozenset("restored recovered resolved solved won delivered launched shipped completed finished achieved "
                    "passed unblocked contained".split())
# Verbs that are a result whoever says them: "I cut p99 by 40%", "we launched in all 12 markets".
RESULT_VERBS = _MEASURED | _LANDED
# What others do that shows the result landed.
_ADOPTED = frozenset("adopted renewed signed hired promoted approved accepted agreed stayed returned thanked "
                     "praised appreciated embraced chose copied calmed implemented reused extended expanded endorsed "
                     "funded standardised standardized understood".split())  # "she understood it was a mistake"


_HANDOFF_VERBS = frozenset(L.HANDOFF_VERBS) | {"handled", "took", "fixed", "sorted", "looked", "dealt", "resolved",
                                              "picked", "escalated"}


def read(low: str) -> Reading:
    """All signals of one normalised sentence."""
    typed = TOKEN.findall(low)
    toks = implicit_i(typed)  # what the clauses read; the word lists read what was typed ("lesson: ...")
    tokset = set(toks)
    cl = tuple(clauses(toks))
    hits = tolerant_hits(low, typed)
    if "mechanism" in hits and "lesson" not in hits and _since_at_end(toks):
        # "I added a review step to the checklist; it has caught three queries since": the change made, and that it
        # stuck, is the reflection itself.
        hits["lesson"] = [(len(low), "since")]
    mine, ours, theirs, hyp = [], [], [], []
    selfdesc = you = past = 0
    fixed_by_other = ""
    rule = toks[:1] in (["if"], ["whenever"])  # "If my manager makes a decision, I support it fully": a habit
    for c in cl:
        subject, mood, verb = c.subject, c.mood, c.verb
        if rule and mood == PRESENT and subject in (I, WE):
            mood = HABIT
        # "we were working on a project with a tight deadline": the past progressive is the background, not a step;
        # "let me explain the background first" is talk about the answer
        if mood in (PAST, PRESENT) and verb not in V.STATE and not (mood == PAST and verb.endswith("ing")) and \
                not (verb == "let" and _LET_ME.intersection(toks[c.start:c.start + 3])):
            # "when we met the client, I ...": a shared clause that only sets the scene hides no part of the speaker's
            if subject in (I, WE, OTHER) and not (subject == WE and c.setting):
                (mine if subject == I else ours if subject == WE else theirs).append(verb)
            if subject == OTHER and mood == PAST and verb in _FIXED and not c.relative and not fixed_by_other and \
                    _the_problem_after(toks, c):
                fixed_by_other = f"{verb} it"
        elif mood in (HYPOTHETICAL, HABIT) and subject in (I, WE, YOU, NONE):
            hyp.append(verb)
        if subject == I and (mood == HABIT or mood == COPULA and verb not in ("was", "were") and _present_be(toks, c)):
            selfdesc += 1
        elif subject == YOU and mood in (PRESENT, HYPOTHETICAL, HABIT):
            you += 1
        if mood in (PAST, PASSIVE) and verb not in V.STATE:  # states ("was busy", "had known") are background
            past += 1
    if "by" in tokset and not _BY_ME.isdisjoint(tokset):
        mine.extend(_done_by_me(toks, cl))  # "a fix was written by me": the speaker's own action, told in the passive
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
    dated = P.kept_date(toks, tokset, cl, hits)
    outcome, vague_change = _outcome(cl, qty, dl, hits, toks, dated)
    happened = "" if outcome or mine or ours else _happened(toks, cl, qty, hits)
    vague = "" if qty or dl or dated else _claimed(hits, "vague", toks, cl) or vague_change or \
        _claimed(hits, "vague_word", toks, cl)
    blames = unquoted_blame(low, toks, cl, hits)
    return Reading(tuple(toks), cl, tuple(mine), tuple(ours), tuple(theirs), tuple(hyp), selfdesc, you, past,
                   tuple(dl), tuple(q for _, q in qty), hits, handoff, fillers, blames[0] if blames else "",
                   len(blames), outcome, vague_change, happened, vague, stand_ins(toks, cl) if mine else ())


_BY_ME = frozenset(("me", "myself"))


def _done_by_me(toks: list[str], cl: tuple[Clause, ...]) -> list[str]:
    out = []
    for c in cl:
        if c.mood != PASSIVE or c.verb in V.STATE:
            continue
        at = verb_index(toks, c, 8)
        if at >= 0 and toks[at + 1:at + 3] in (["by", "me"], ["by", "myself"]):
            out.append(c.verb)
    return out


_LASTING = frozenset(("now", "since", "still"))


def _since_at_end(toks: list[str]) -> bool:
    words = [t for t in toks[-3:] if t[0].isalnum()]
    return bool(words) and words[-1] == "since"


_SOONER = frozenset("early earlier ahead sooner faster".split())  # "two weeks early": a span of time that is a result


def _happened(toks: list[str], cl: tuple[Clause, ...], qty: list, hits: Hits) -> str:
    """A result told without an outcome verb: someone else or the work acts, in the past with a figure ("About
    2,300 checkouts failed", "Five of six teams moved within one quarter"), or keeps doing it now ("The
    fulfilment team now uses my guide"). Background in the past perfect ("had grown") is not a result, nor is
    a vague sentence."""
    # A span of time is no result's figure ("the team argued for three months"); "two weeks early" is.
    qty = [(pos, q) for pos, q in qty if q.rpartition(" ")[2] not in V.TIME_NOUNS or
           pos + 2 < len(toks) and toks[pos + 2] in _SOONER]
    if (hits.get("vague") or hits.get("vague_word")) and not qty:  # "successfully hired 178 engineers" counts
        return ""
    lasting = not _LASTING.isdisjoint(toks)
    if not qty and not lasting:
        return ""
    for c in cl:
        if c.subject not in (OTHER, THING, NONE) or c.verb in V.STATE or c.verb in _REPORTED or not c.verb or \
                _narrowed(toks, c):
            continue
        if c.mood in (PAST, PASSIVE) and qty and "had" not in toks[c.start:c.start + 6]:
            return f"{c.verb} {qty[0][1]}"
        if c.mood == PRESENT and lasting:
            return c.verb
    if cl:
        return ""
    # No subject the clause reader knows ("Five of six teams moved ...", "Dana now runs ..."): read the verb.
    first_figure = qty[0][0] if qty else len(toks)
    for j, t in enumerate(toks):
        prev = toks[j - 1] if j else ""
        if prev in _LASTING and len(t) > 3 and (t.endswith("s") or is_past(t)) and t not in V.STATE:
            return f"{prev} {t}"
        if j > first_figure and is_past(t) and t not in V.STATE and t not in _REPORTED and \
                prev not in ("had", "have", "has", "would", "to", "be", "been"):
            return f"{t} {qty[0][1]}"
        # A result stated as a standing fact: "Platform scales to 45K daily tickets", "serving 500M requests".
        if qty and j < first_figure <= j + 3 and len(t) > 4 and (t.endswith("ing") or t.endswith("s") and not
                                                          t.endswith("ss")) and t not in V.STATE and j \
                and prev not in _DETERMINERS and toks[first_figure - 2:first_figure] != ["up", "to"]:
            # "holds up to 50 people" is a cap; "the failures ..." is a noun
            return f"{t} {qty[0][1]}"
    return ""


def _present_be(toks: list[str], c: Clause) -> bool:
    return any(t in ("am", "'m", "i'm", "is", "are") for t in toks[c.start:c.start + 4])
