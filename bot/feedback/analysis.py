"""One pass over the answer that collects every signal, from every sentence, clause by clause.

`Analysis` is a plain record: the sentences, their readings, STAR parts (for timing and advice only)
and, for each signal, the sentences (verbatim) that raised it with the words that did. The feature
vector (features.py) is computed from it once; score, criteria, flags and advice all read that vector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from stardrill.content_models import LevelProfile
from stardrill.feedback import calibration, phrased as P, reading as R
from stardrill.feedback.phrases import boast
from stardrill.feedback.model import PartTiming
from stardrill.feedback.clauses import I, NEGATED, PAST, WE, verb_index
from stardrill.feedback.numbers import is_count
from stardrill.feedback.steps import names_a_cause
from stardrill.feedback.verbs import DILUTED
from stardrill.feedback.structure import ACTION, REFLECTION, RESULT, SITUATION, Labelled, classify, timings
from stardrill.feedback.text import Sentence, clean, seconds, split_sentences

Hit = tuple[Sentence, str]  # the sentence and the words in it that raised the signal

# Concrete detail that makes a generic claim believable when it sits in the same or a neighbouring
# sentence: a number, or a named artefact of real work.
_CONCRETE = re.compile(
    r"\d|\b(?:logs?|tests?|pull request|pr|dashboard|alert|doc|design doc|meeting|1:1|one-on-one|spreadsheet|"
    r"prototype|demo|benchmark|data|metrics?|survey|rfc|proposal|plan|draft|trade-offs?|options)\b"
)


@dataclass
class Analysis:
    text: str
    truncated: bool
    labelled: list[Labelled]
    parts: tuple[PartTiming, ...]
    words: int
    seconds: int
    target: int
    readings: list[R.Reading] = field(default_factory=list)  # one per sentence, same order as `labelled`
    action_sentences: list[Sentence] = field(default_factory=list)  # any actor, any part of the answer
    i_actions: list[Hit] = field(default_factory=list)  # sentences with an action of the speaker's own
    we_actions: list[Hit] = field(default_factory=list)  # "we" acts and "I" does not
    other_actions: list[Hit] = field(default_factory=list)  # only others act
    own_clauses: int = 0  # own actions counted clause by clause (a chain under one "I" counts each verb)
    own_concrete: int = 0  # own actions on a concrete verb ("traced", "rewrote"), not "helped" or "ensured"
    we_clauses: int = 0
    other_clauses: int = 0
    handoffs: list[Hit] = field(default_factory=list)
    stand_ins: list[Hit] = field(default_factory=list)  # own steps told with a stand-in object ("implemented changes")
    self_wins: list[Hit] = field(default_factory=list)  # arrogance and self-promotion
    deltas: list[Hit] = field(default_factory=list)
    quantities: list[Hit] = field(default_factory=list)
    outcome_numbers: list[Hit] = field(default_factory=list)  # quantities in sentences that state an outcome
    told_results: list[Hit] = field(default_factory=list)  # results without an outcome verb, after the first action
    outcomes: list[Hit] = field(default_factory=list)  # concrete results: a change or count, or a discrete event
    business: list[Hit] = field(default_factory=list)
    second_order: list[Hit] = field(default_factory=list)
    own_piece: list[Hit] = field(default_factory=list)
    concessions: list[Hit] = field(default_factory=list)  # "it was a team effort", "mainly following directions"
    lessons: list[Hit] = field(default_factory=list)
    mechanisms: list[Hit] = field(default_factory=list)
    generic_lessons: list[Hit] = field(default_factory=list)
    blames: list[Hit] = field(default_factory=list)
    vague: list[Hit] = field(default_factory=list)
    generic_claims: list[Hit] = field(default_factory=list)
    hypotheticals: list[Hit] = field(default_factory=list)
    self_descriptions: list[Hit] = field(default_factory=list)
    non_answers: list[Hit] = field(default_factory=list)
    fillers: int = 0
    hedges: list[Hit] = field(default_factory=list)
    jargon: int = 0
    hyp_clauses: int = 0
    selfdesc_clauses: int = 0
    you_clauses: int = 0
    past_events: int = 0
    scope: calibration.Scope | None = None
    setup_words: int = 0  # words before the first sentence that says what the speaker (or "we") did
    first_action: int | None = None  # index of that sentence
    past_actions: int = 0  # sentences with a real (not hypothetical) action: evidence of a real event

    @cached_property  # criteria ask twice (the ownership status and its quote); readings are final after analyse
    def best_own_action(self) -> Hit:
        """The Action part's sentence with the most concrete steps the speaker took in the story ("I proposed a
        rotation, wrote a bot and set a rule"), not merely the first one with an "I": not a trait ("I am great at
        customer service because I listen"), the circumstances ("When I took over the account, ..."), the
        background before the story ("I had run the desk") nor a lesson's "I now check ... and add ..."."""
        return max(self.i_actions, key=self._steps)

    @cached_property
    def last_own_step(self) -> Hit | None:
        """The last sentence that tells a step the speaker took in the story (not "I believe I always go the extra
        mile", not a lesson): where a missing result belongs."""
        told = [h for h in self.i_actions if not self.readings[h[0].index].hits.get("lesson") and any(
            c.subject == I and c.mood == PAST and not c.setting for c in self.readings[h[0].index].clauses)]
        return told[-1] if told else None

    def _steps(self, hit: Hit) -> tuple[bool, bool, int, int]:
        """(not a lesson, in the Action part, steps told in the past in the story, concrete verbs) of a sentence."""
        i = hit[0].index
        r = self.readings[i]
        told, background = 0, False
        for c in r.clauses:
            if not c.inherited:  # "I had run the desk and trained two juniors": the chain keeps the "had"
                background = "had" in r.tokens[max(c.start - 1, 0):c.start + 3]
            if c.subject == I and c.mood == PAST and not c.setting and not background and c.verb not in DILUTED:
                told += 1
        concrete = sum(1 for v in r.i_verbs if v not in DILUTED)
        return not r.hits.get("lesson"), self.labelled[i].part == ACTION, told, concrete

    @cached_property  # flags, criteria and advice each ask; outcome_numbers are final once analyse returns
    def levels(self) -> list[Hit]:
        """Outcome figures that are measurements or levels, for which a before and after make sense: not counts of
        work done ("hired 4 engineers", "launched in 12 markets"), not amounts that are a change themselves ("saved
        $8,000 a week", "eliminated 95% of them"), and not a level whose before an earlier sentence gave ("it took
        each of us two hours a week" ... "it now takes 20 minutes")."""
        changed = {s.index for s, found in self.outcomes if found.partition(" ")[0] in _AMOUNT_CHANGED}
        return [h for h in self.outcome_numbers if _is_level(h) and h[0].index not in changed
                and not self._before_given(h)]

    def _before_given(self, level: Hit) -> bool:
        kind = _kind(level[1])
        return bool(kind) and any(s.index < level[0].index and _kind(q) == kind for s, q in self.quantities)

    def part(self, name: str) -> PartTiming:
        return next(p for p in self.parts if p.part == name)

    def sentences_in(self, part: int) -> list[Sentence]:
        return [x.sentence for x in self.labelled if x.part == part]

    @property
    def sentences(self) -> list[Sentence]:
        return [x.sentence for x in self.labelled]


_DURATION = frozenset("second seconds minute minutes hour hours day days week weeks month months quarter quarters year "
                      "years sprint sprints".split())


def _time_frame(hit: Hit) -> bool:
    """A duration the work took or was measured over ("in 3 months", "within two weeks"), not a level that moved."""
    sentence, quantity = hit
    if quantity.rpartition(" ")[2] not in _DURATION:
        return False
    return re.search(r"\b(?:in|within|over|for|after|across|during) (?:the |a |about |just |only |under )?(?:first |"
                     r"last |next )?" + re.escape(quantity) + r"\b|\b" + re.escape(quantity) + r" (?:later|earlier|ago)\b",
                     sentence.low) is not None


_LEVEL_LEAD = frozenset("at to reached hit under below above".split())  # "ended at 40 tickets", "down to 120 ms"
_TIME_LEAD = _LEVEL_LEAD | frozenset("takes took taking now".split())  # "now takes 20 minutes"
_MEASURE_UNITS = frozenset("ms s sec secs min mins h hrs mb gb tb kb gbps mbps rps qps tps fps points pts kg km miles".split())
_PERIOD = re.compile(r" (?:a|an|per|each|every) (?:day|week|month|year|quarter|hour|minute|sprint|release|shift)\b")


def _is_level(hit: Hit) -> bool:
    """A figure that measures something that could have stood elsewhere before: a rate, money, a measured amount
    ("120 ms", "600 MB"), a time the work takes ("now takes 20 minutes"), or a count per period or reached ("40
    tickets a week", "ended at 40 tickets"). A count of events ("caught two more bugs", "two thanked us"), of work
    done ("hired 4 engineers") and a span of time ("within three months", "five weeks from the demo") ask for none."""
    sentence, quantity = hit
    kind = _kind(quantity)
    if kind in ("%", "money"):
        return True
    if is_count(quantity):
        return False
    at = sentence.low.find(quantity)
    lead = set(sentence.low[max(0, at - 24):at].split()[-2:]) if at >= 0 else set()
    if kind == "time":
        return not _time_frame(hit) and not _TIME_LEAD.isdisjoint(lead)
    if quantity.split()[-1] in _MEASURE_UNITS or at >= 0 and _PERIOD.match(sentence.low, at + len(quantity)):
        return True
    return not _LEVEL_LEAD.isdisjoint(lead)


# How an outcome that is the size of a change starts: "saved $8K", "savings of $30,000", "..., saving 10 hours".
_AMOUNT_CHANGED = R.AMOUNT_CHANGED | frozenset(("savings", "saving")) | P.RESULT_PARTICIPLES


_FRAMING = ("let me", "let's", "to give some", "to give you some", "for context", "some background", "some context",
            "a bit of background", "a bit of context")


def _acts(r: R.Reading) -> bool:
    """The story's first step: not framing ("Let me give some background first", "To give some background, I ran
    payments") and not the past perfect of what came before it ("we had inherited three services")."""
    if " ".join(r.tokens[:5]).startswith(_FRAMING):
        return False
    toks = r.tokens
    for c in r.clauses:
        if c.subject not in (I, WE) or c.verb == "let":
            continue
        at = verb_index(toks, c)
        if at < 1 or toks[at - 1] not in ("had", "'d"):
            return True
    return False


def _kind(quantity: str) -> str:
    """What a figure measures, to pair a level with a before told elsewhere: a rate, money, time, or its noun."""
    words = quantity.split()
    if words[0].endswith("%") or "percent" in words:
        return "%"
    if words[0][0] in "$\u00a3\u20ac":
        return "money"
    if words[-1] in _DURATION:
        return "time"
    return words[-1] if len(words) > 1 and words[-1].isalpha() else ""


_DENIALS = frozenset("without than instead not never".split())


def _denied(toks: tuple[str, ...], j: int) -> bool:
    """A concession denied is initiative: "rather than waiting for instructions", "without waiting for direction"."""
    return not _DENIALS.isdisjoint(toks[max(0, j - 2):j])


def _add(hits: list[Hit], s: Sentence, found: str) -> None:
    if found:
        hits.append((s, found))


def _tells_steps(r: R.Reading) -> bool:
    """A sentence of concrete steps of the speaker's own, none of them a stand-in, that reports no result: what a
    stand-in just before it announced ("I made some changes. I split the job into batches and added a retry")."""
    return any(v not in DILUTED for v in r.i_verbs) and not (r.stand_ins or r.outcome or r.deltas or r.hypotheticals)


def _actors(a: Analysis) -> None:
    """Who acts, in every sentence: own actions through verb chains, "we", others, hand-offs."""
    first_action = None
    cause_named = any(r.stand_ins for r in a.readings) and any(names_a_cause(r.tokens) for r in a.readings)
    for i, (x, r) in enumerate(zip(a.labelled, a.readings)):
        s = x.sentence
        a.own_clauses += len(r.i_verbs)
        a.own_concrete += sum(1 for v in r.i_verbs if v not in DILUTED)
        a.we_clauses += len(r.we_verbs)
        a.other_clauses += len(r.other_verbs)
        if r.i_verbs or r.we_verbs or r.other_verbs:
            a.action_sentences.append(s)
            a.past_actions += 1
        if (r.i_verbs or r.we_verbs) and first_action is None and _acts(r):  # others' backstory is still setup
            first_action = s.index
        if r.i_verbs:
            a.i_actions.append((s, r.i_verbs[0]))
        elif r.we_verbs:
            a.we_actions.append((s, r.we_verbs[0]))
        elif r.other_verbs:
            a.other_actions.append((s, r.other_verbs[0]))
        if x.part != REFLECTION:
            _add(a.handoffs, s, r.handoff)
            # "once I had identified the root cause" after the answer named it points back to it
            # "I implemented changes. Since then, I've used story points with buffer time ...": the next sentence
            # names the steps the stand-in announced
            if not (r.stand_ins and i + 1 < len(a.readings) and _tells_steps(a.readings[i + 1])):
                a.stand_ins.extend((s, p) for p in r.stand_ins if not (cause_named and p.endswith(("cause", "causes"))))
        _add(a.self_wins, s, boast(r.hits, r.tokens))
    a.first_action = first_action
    a.setup_words = sum(x.sentence.words for x in a.labelled[:first_action if first_action is not None
                                                                 else len(a.labelled)])


_ENDING = frozenset("finally eventually ultimately".split())


def _impact_and_reflection(a: Analysis) -> None:
    for x, r in zip(a.labelled, a.readings):
        s = x.sentence
        for d in r.deltas:
            a.deltas.append((s, d))
        for q in r.quantities:
            a.quantities.append((s, q))
        if r.outcome and (r.deltas or r.quantities or a.first_action is None or s.index >= a.first_action or
                          not _ENDING.isdisjoint(r.tokens)):
            # An event told before anybody acts is the background ("the dealership had hired an events company",
            # "releases went out on Friday evenings") unless a figure or an ending word says it is the result told
            # first ("We cut p99 by 40% last quarter.", "they were happy to have the problem finally solved").
            a.outcomes.append((s, r.outcome))
            a.outcome_numbers.extend((s, q) for q in r.quantities)
        elif r.happened and a.first_action is not None and s.index > a.first_action:
            # A result told without an outcome verb ("the ops team now uses the alert", "five of six teams moved")
            # is one once somebody has acted; before that it is the problem ("about 2,300 checkouts failed").
            a.told_results.append((s, r.happened))
            # and the figure it is told with is a measured outcome ("Platform scales to 45K daily tickets")
            a.outcome_numbers.extend((s, q) for q in r.quantities if q in r.happened)
        if r.outcome or r.vague or x.part in (RESULT, REFLECTION):
            _add(a.business, s, r.first("business"))
            _add(a.second_order, s, r.first("second_order"))
        _add(a.own_piece, s, r.first("own_piece"))
        if "lesson" in r.hits:  # a list is only there when it matched
            _add(a.lessons, s, r.first("lesson"))
            _add(a.mechanisms, s, r.first("mechanism"))
            _add(a.generic_lessons, s, r.generic_lesson)
        else:  # "I realize now I should have taken more initiative" is a lesson, not a concession
            a.concessions.extend((s, p) for j, p in r.hits.get("concession", ()) if not _denied(r.tokens, j))


def _red_flags(a: Analysis) -> None:
    sents = a.sentences
    for x, r in zip(a.labelled, a.readings):
        s = x.sentence
        _add(a.blames, s, r.blame)
        _add(a.vague, s, r.vague)
        _add(a.non_answers, s, r.first("non_answer"))
        if r.hypotheticals and "lesson" not in r.hits:  # "next time I would ..." is a fine reflection
            a.hypotheticals.append((s, r.first("hypothetical") or r.hypotheticals[0]))
            a.hyp_clauses += len(r.hypotheticals)
        if r.self_descriptions:
            a.self_descriptions.append((s, r.first("self_description") or "I am ..."))
            a.selfdesc_clauses += r.self_descriptions
        a.you_clauses += r.you_generic
        a.past_events += r.past_events
        claim = r.first("generic_claim")
        if claim and not _CONCRETE.search(" ".join(t.low for t in sents[max(s.index - 1, 0): s.index + 2])):
            a.generic_claims.append((s, claim))
        a.fillers += r.fillers
        a.hedges.extend((s, p) for _, p in r.hits.get("hedge", []))
        a.jargon += len(r.hits.get("jargon", []))


def shared_only(a: Analysis) -> bool:
    """Two or more steps of the speaker's, and every one helped, collaborated, supported or ensured: the credit is the
    team's ("I collaborated with the team to analyze it and helped deploy a fix")."""
    return a.own_clauses >= 2 and not a.own_concrete


def analyse(answer: object, level: LevelProfile) -> Analysis:
    """Clean, split, read and collect every signal. Pure: reads only its arguments."""
    text, truncated = clean(answer)
    sentences = split_sentences(text)
    readings = _not_lessons([R.read(s.low) for s in sentences])
    labelled = classify(sentences, readings)
    framework = level.framework
    words = sum(s.words for s in sentences)  # the sentences hold every word: no second count over the text
    a = Analysis(text=text, truncated=truncated, labelled=labelled, parts=timings(labelled, framework),
                 words=words, seconds=seconds(words), target=framework.total, readings=readings)
    _actors(a)
    _impact_and_reflection(a)
    _red_flags(a)
    _habits(a)
    a.scope = calibration.extract(" ".join(s.low for s in sentences))
    return a


# "I learned the hard way how to manage night shifts" can open a story with its lesson; a realisation cannot.
_FOUND = frozenset(("i realized", "i realised"))
_SINCE = frozenset(("since then", "ever since"))


def _not_lessons(readings: list[R.Reading]) -> list[R.Reading]:
    """Lesson cues that tell something else. Before anybody acts, what the speaker realised is the problem found ("I
    realized a week out that we'd miss our deadline"). "Since then" with nobody of ours doing anything tells what
    happened since, a result, not what the speaker does differently ("He had a few slips since then but we never had
    a misunderstanding afterward")."""
    out = list(readings)
    acted = False
    for i, r in enumerate(readings):
        acted = acted or bool(r.i_verbs or r.we_verbs)
        lesson = r.hits.get("lesson")
        if not lesson:
            continue
        ours = any(c.subject in (I, WE) and c.mood != NEGATED for c in r.clauses)
        if all(p in _FOUND for _, p in lesson) and not acted or all(p in _SINCE for _, p in lesson) and not ours:
            out[i] = replace(r, hits={k: v for k, v in r.hits.items() if k != "lesson"})
    return out


def _habits(a: Analysis) -> None:
    """Present tense is a story told in the present ("so I check the logs, I find ...") only when something
    happened; in an answer with no past event that describes the speaker ("I'm a team player, I communicate
    well"), the present-tense "actions" are habits. A measured change is an event however it is told ("the error
    rate goes from 4% to 0.2%"): then the present is the story's."""
    if a.past_events or not a.selfdesc_clauses or a.deltas:
        return
    present = sum(1 for r in a.readings for c in r.clauses if c.subject == "i" and c.mood == "present" and c.action)
    a.own_clauses -= present
    a.own_concrete = min(a.own_concrete, a.own_clauses)
    a.hyp_clauses += present


__all__ = ["Analysis", "Hit", "analyse", "shared_only", "SITUATION", "ACTION", "RESULT", "REFLECTION"]
