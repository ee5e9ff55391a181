"""Probe mode: judging a short reply (2-4 sentences) to one follow-up question, not a full STAR answer.

A follow-up targets one thing (`Probe.probes`), so the reply is not asked for Situation, Task,
Result and Reflection: the STAR structure component is replaced by "answers the probe", which reads
  - the probe question's key terms (does the reply talk about what was asked?),
  - the kinds of concrete element the bank's strong reply shows (a first-person action, a number,
    a reason, a mechanism) and, with a small weight, its concrete words,
  - the pattern of the bank's weak reply (hand-off, vague, generic, hypothetical, "we", hedged,
    deflecting): a reply that repeats it loses points.
Ownership, impact, clarity and flags still apply, sized for a short reply: a concrete "I" action plus a
reason or a number is strong; "they handled it", "it was tricky but eventually fine", "somebody had to"
are weak. See scoring.PROBE_WEIGHTS for the points.

Like the rest of the engine this is pure and deterministic: word lists and regexes only.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from stardrill.content_models import Probe
from stardrill.feedback import reading as R, verbs as V
from stardrill.feedback.analysis import Analysis
from stardrill.feedback.model import CriterionResult, PartTiming
from stardrill.feedback.text import split_sentences, stem_phrase, normalise

TARGET_SECONDS = 35  # a follow-up reply: 2-4 sentences, about 30-45 s spoken
SHORT_SECONDS = 8  # under ~19 words a reply cannot carry an action and its reason
OVERRUN_SECONDS = 90  # a follow-up that runs past 90 s has turned into a second full answer
FRAMEWORK = "Follow-up reply: 2-4 sentences, about 30-45 s; answer the question asked, no STAR setup."

_STOP = frozenset(
    "a an the and or but of to in on at for by with from as is are was were be been being it its this that these "
    "those there their they them he she her his him you your yours we our us i me my do did does done how what why "
    "when where which who whom whose would could should will can may might have has had not no yes so if then than "
    "about into over after before again any all each more most other some such only own same too very just also "
    "ever now still make made get got go went really thing things way time one you'd you're you've i'd i'm i've "
    "given give take took taken happen happened think feel know knew".split()
)
_STOP_STEMS = frozenset(stem_phrase(" ".join(sorted(_STOP))).split())

# A first-person action in the present or a habit ("I write", "every doc I write now") and, for a
# hypothetical follow-up ("what would you have done?"), the conditional ("I'd have asked").
_ADV = r"(?:(?:now|always|still|also|usually|then|first|just|personally|quickly|immediately|never) +)*"
_I_PRESENT = re.compile(rf"i +{_ADV}([a-z]+)(?![a-z'])")  # these start with a literal "i" so the regex engine
# can jump between candidates; `_by_sentence` drops hits inside a word ("taxi ...").
_I_WOULD = re.compile(r"i(?:'d| would) +(?:have +|then +|also +|first +|still +)*([a-z]+)(?![a-z'])")
# "I'd asked her", "I'd spent two weeks": past perfect, an action, not a hypothetical. "I had engineers
# tag tickets": a causative action.
_I_HAD = re.compile(
    rf"i(?:'d| had) +{_ADV}(?!been\b|better\b|rather\b|have\b|like\b|love\b)([a-z]+ed|"
    + "|".join(R.L.IRREGULAR_PAST) + r"|done|written|given|taken|seen|spoken|shown|known|gone|begun|chosen|driven)(?![a-z'])"
)
_I_CAUSE = re.compile(r"i had (?!to\b|been\b|no\b|never\b|nothing\b|not\b|some\b|any\b|a feeling\b|"
                      r"doubts\b|an? (?:idea|hunch|sense|feeling)\b)(?:[a-z']+ ){1,3}?(?:[a-z]+)(?![a-z'])")
_ASKS_ACTION = re.compile(
    r"\b(?:what did you (?:do|say|change|try|propose|build|cut|ask|tell|write|offer|decide)|"
    r"how did you (?:handle|deal|get|make|tell|decide|persuade|convince|respond|approach|balance|manage|keep|"
    r"stop|prevent|fix|bring|win|recover|raise|prepare|choose|prioriti[sz]e|pick|structure|set|run|test|check|"
    r"find|verify|measure|protect|support|help|address|communicate|frame|sell|earn|rebuild|handle)|"
    r"what would you (?:have )?do|would you have done|what (?:did|would) you do|what did you do about|"
    r"what (?:steps|actions)|how do you (?:handle|decide|stop|spot|look|prevent|make|keep|run|check))\b"
)
_NOT_ACTION = frozenset(
    "am was were had felt thought believed needed wanted hoped liked loved learned learnt realized realised knew "
    "seemed guessed supposed assumed wondered used noticed would could should might must will can do did don didn "
    "doesn wasn haven hadn couldn wouldn shouldn think guess feel believe hope wish want need like love know mean "
    "suppose try tried just have has be been really probably maybe tend got get".split()
)
_REASON = re.compile(
    r"\b(?:because|so that|so i|so we|so the|so she|so he|so they|so it|since (?!then)|which meant|which is why|"
    r"that's why|that is why|the reason|to avoid|to keep|to make sure|in exchange|instead of|rather than|"
    r"otherwise|in order to|given that|as long as|unless|which (?:cut|saved|got|let|gave|meant|made)|"
    r"what changed|the trigger|the signal|is why|was why|if [^.;\n]{3,60}? would)\b|:"
)
_NUMBER = re.compile(r"\d|\b(?:" + "|".join(R.L.NUMBER_WORDS) + r"|twice|first|second|third|last)\b")
# Probe replies that dodge the question: no outcome, no mechanism, or someone else's move.
_DEFLECT = re.compile(
    r"\b(?:it (?:all )?worked out|worked out fine|eventually (?:fine|ok|okay)|it was fine|was fine|were fine|"
    r"it went (?:well|fine|ok|okay|smoothly|pretty smoothly)|went smoothly|blew over|came around|got used to it|"
    r"on board right away|nothing really|not much really|not really|it was tricky|it was hard|tricky|"
    r"(?:some|any)(?:body|one) had to|it just seemed|it seemed|seemed like|obvious thing|as well as it could|"
    r"no surprises|everyone understood|got on with it|nobody complained|should be fine|should scale|"
    r"eventually|somehow|it depends|hard to say|whatever (?:they|he|she|it) needed|as needed|and it helped|"
    r"that helped|things improved|it was good|went well|"
    # declining the question "what would you do differently": "I don't think I'd change anything"
    r"(?:wouldn't|would not|i'd not|not|(?:don't|do not) think i'd|(?:don't|do not) think i would) change "
    r"(?:anything|a thing)|change nothing|the same (?:again|way again|playbook again))\b"
)
# A reply that opens by denying the follow-up's premise: nothing went wrong, nothing was given up, nothing would change.
# Every follow-up that asks what went wrong or what to change has an answer; "Nothing really, it worked" reads as a
# missed chance to show judgement. A bare "No" is left alone ("No, because I had brought them in early ...").
_DENIAL = re.compile(
    r"^(?:honestly,? |to be honest,? )?(?:nothing|not much|not really|not a lot|(?:i )?(?:don't|do not) think i'?d? "
    r"(?:would )?change|i (?:wouldn't|would not) change|i'd do (?:it|everything) (?:the same|exactly the same))\b")
_GENERIC = re.compile(
    r"\b(?:communicate more|more communication|keep an open mind|open mind|use my judg(?:e)?ment|"
    r"what the business needs|what's most important|what is most important|be more careful|more careful|"
    r"team-building|keep learning|same team|work is work|more meetings|best practices?|common sense|"
    r"trust (?:the|my) (?:team|gut|instinct)|it's a cultural thing|the right thing|do my best|stay positive|"
    r"listen more|be more proactive)\b"
)
# The work passed up or across ("escalated it", "asked my manager", "they fixed it"); telling the manager about a miss
# ("I told my manager and the partner team the same day") is keeping them informed, not a hand-off.
_ROUTE = re.compile(
    r"\b(?:escalat\w*|(?:asked|got|had) (?:my|their|his|her|the) (?:manager|director|vp|cto|ceo|boss|"
    r"leadership|skip)\b|went to (?:my|their|his|her|the) (?:manager|director|vp|boss)|came from above|"
    r"leadership (?:backed|decided)|(?:they|he|she) (?:had to|decided|handled|fixed|sorted)|"
    r"(?:mentioned|mention|passed|handed|raised) it to (?:my|our|their|the) (?:manager|director|lead|boss)|"
    r"asked (?:someone|somebody|them|him|her|a [a-z]+) to (?:fix|handle|look|do|take|sort|deal)|"
    r"(?:so|and) (?:she|he|they) could decide)"
)
_HYPOTHETICAL_Q = re.compile(r"\b(?:would|if|what if|could|should|will)\b")
_HABIT_Q = re.compile(r"\b(?:now|today|these days|do you|does|how do|since)\b")

PATTERNS = ("handoff", "vague", "generic", "hypothetical", "we", "no-action", "hedged", "blame", "self-win", "denial")
PATTERN_WORDS = {
    "handoff": "hands the work to someone else", "vague": "stays vague about what happened",
    "generic": "gives a generic principle instead of what you did", "hypothetical": "says what you would do",
    "we": "says \u201cwe\u201d without your own part", "no-action": "has no action of yours in it",
    "hedged": "hedges", "blame": "puts it on others", "self-win": "frames it as being right",
    "denial": "opens by saying nothing went wrong or would change",
}


@dataclass(frozen=True)
class Reply:
    """What one short text shows: the element kinds a follow-up reply is judged on."""

    actions: tuple[str, ...]  # first-person actions (past, present habit, or conditional if the probe asks)
    we_actions: tuple[str, ...]
    other_actions: tuple[str, ...]
    numbers: tuple[str, ...]
    reasons: tuple[str, ...]
    mechanisms: tuple[str, ...]
    patterns: frozenset[str]  # which of PATTERNS it shows
    evidence: dict[str, str]  # pattern or element -> the sentence that shows it (verbatim)
    stems: frozenset[str]  # content-word stems

    @property
    def elements(self) -> frozenset[str]:
        return frozenset(k for k, v in (("action", self.actions), ("number", self.numbers),
                                        ("reason", self.reasons), ("mechanism", self.mechanisms)) if v)


@dataclass(frozen=True)
class Key:
    """What the follow-up asks for, read from the bank's probe."""

    terms: frozenset[str]  # stems of the probe question's key words
    strong_elements: frozenset[str]  # element kinds the strong reply shows
    strong_terms: frozenset[str]  # the strong reply's concrete words (stems), minus the question's
    weak_patterns: frozenset[str]  # the weak reply's pattern(s)
    hypothetical: bool  # the probe asks what you would do: "I'd ..." is an answer, not a dodge
    habit: bool  # the probe asks how you work now: present tense is an answer
    asks_action: bool  # the probe asks what you did (or the strong reply is built on your action)
    asks_when: bool = False  # "When exactly did you realise ...?": a time in the reply takes the probe up

    def answered_when(self, rep: Reply) -> bool:
        """A "when" probe answered with a time ("about a week before the deadline", "at the halfway point")."""
        return self.asks_when and bool(rep.stems & _WHEN_STEMS)


def _stems(low: str) -> frozenset[str]:
    """Content-word stems; each distinct word is stemmed once."""
    words = " ".join(sorted({t for t in _WORD.findall(low) if len(t) > 2 and t not in _STOP}))
    return frozenset(t for t in stem_phrase(words).split() if t not in _STOP_STEMS and len(t) > 2)


_WORD = re.compile(r"[a-z0-9$%']+")
_ASKS_WHEN = re.compile(r"^\s*when\b|\bat what point\b|\bhow (?:soon|early|late|long)\b")
# Words that place a moment in a story: "two days in", "a week before the deadline", "at the halfway point".
_WHEN_STEMS = _stems(" ".join(sorted(V.TIME_NOUNS | set("deadline halfway launch monday tuesday wednesday thursday "
                                                         "friday first start end".split()))))


def _by_sentence(pattern: re.Pattern[str], joined: str, starts: list[int], word_start: bool = False,
                 first_only: bool = False) -> dict[int, list[str]]:
    """One regex scan over all sentences (joined by newlines), hits mapped back to sentence indices:
    a scan per sentence costs several times more on a long answer. `word_start` drops hits that begin
    inside a word; `first_only` stops at the first hit (enough for a yes/no pattern and its evidence)."""
    out: dict[int, list[str]] = {}
    for m in pattern.finditer(joined):
        i = m.start()
        if word_start and i and (joined[i - 1].isalnum() or joined[i - 1] == "'"):
            continue
        out.setdefault(bisect_right(starts, i) - 1, []).append(m.group(m.lastindex or 0))
        if first_only:
            break
    return out


def read_reply(sentences: list[tuple[str, str, R.Reading]], hypothetical_ok: bool, habit_ok: bool) -> Reply:
    """sentences: (verbatim text, normalised text, reading)."""
    actions, we, other, numbers, reasons, mechs = [], [], [], [], [], []
    patterns: set[str] = set()
    evidence: dict[str, str] = {}
    lows = [low for _, low, _ in sentences]
    joined = "\n".join(lows)
    starts, pos = [], 0
    for low in lows:
        starts.append(pos)
        pos += len(low) + 1
    scan = {name: _by_sentence(rx, joined, starts, word_start=True) for name, rx in (
        ("present", _I_PRESENT), ("would", _I_WOULD if hypothetical_ok else None),
        ("had", _I_HAD if "i'd" in joined or "i had" in joined else None),
        ("cause", _I_CAUSE if "i had" in joined else None)) if rx is not None}
    scan.update({name: _by_sentence(rx, joined, starts, first_only=True) for name, rx in (
        ("reason", _REASON), ("route", _ROUTE), ("deflect", _DEFLECT), ("generic", _GENERIC))})
    if not any(r.quantities or r.delta for _, _, r in sentences):  # spelled-out counts, "twice", "first"
        scan["number"] = _by_sentence(_NUMBER, joined, starts, first_only=True)

    def mark(name: str, text: str) -> None:
        patterns.add(name)
        evidence.setdefault(name, text)

    for i, (text, low, r) in enumerate(sentences):
        mine = list(r.i_verbs)
        if habit_ok or hypothetical_ok or not mine:
            mine += [v for v in scan["present"].get(i, ()) if v not in _NOT_ACTION and v not in mine]
        if hypothetical_ok:
            mine += [v for v in scan.get("would", {}).get(i, ()) if v not in _NOT_ACTION]
        perfect = scan.get("had", {}).get(i, [])
        mine += perfect + (["had"] if i in scan.get("cause", ()) and not perfect else [])
        actions += mine
        if mine:
            evidence.setdefault("action", text)
        we += [v for v in r.we_verbs] if not mine else []
        other += list(r.other_verbs) if not mine and not r.we_verbs else []
        numbers += list(r.quantities) or ([r.delta] if r.delta else []) or scan.get("number", {}).get(i, [])
        if i in scan["reason"]:
            reasons.append(scan["reason"][i][0])
            evidence.setdefault("reason", text)
        mech = r.first("mechanism")
        if mech:
            mechs.append(mech)
        if r.handoff or i in scan["route"]:
            mark("handoff", text)
        if r.vague or r.stand_ins or i in scan["deflect"]:  # "I identified the root cause" names no cause
            mark("vague", text)
        if i == 0 and _DENIAL.match(low):
            mark("denial", text)
        if r.first("generic_claim") or r.generic_lesson or i in scan["generic"]:
            mark("generic", text)
        past_perfect = perfect and "i would" not in low and low.count("i'd ") <= len(perfect)
        if r.first("hypothetical") and not hypothetical_ok and not (habit_ok and mine) and not past_perfect:
            mark("hypothetical", text)
        if r.first("blame"):
            mark("blame", text)
        if r.first("self_win"):
            mark("self-win", text)
        if r.first("hedge"):
            mark("hedged", text)
    if len(we) >= 2 and len(we) > len(actions):  # one "we" beside your own part is context, not hiding
        patterns.add("we")
        evidence.setdefault("we", next((t for t, _, r in sentences if r.we_verbs), ""))
    if not actions:
        patterns.add("no-action")
    return Reply(tuple(actions), tuple(we), tuple(other), tuple(numbers), tuple(reasons), tuple(mechs),
                 frozenset(patterns), evidence, _stems(joined))


def _read_text(text: str, hypothetical_ok: bool, habit_ok: bool) -> Reply:
    sents = split_sentences(text)
    return read_reply([(s.text, s.low, R.read(s.low)) for s in sents], hypothetical_ok, habit_ok)


def key(probe: Probe) -> Key:
    """What the follow-up asks for. Reading the bank's replies costs ~0.2 ms, so it is memoised on the
    probe's three texts: a pure function of them, so the memo never changes a result."""
    return _key(probe.question, probe.strong.text, probe.weak.text)


@lru_cache(maxsize=1024)
def _key(question: str, strong_text: str, weak_text: str) -> Key:
    q = normalise(question)
    hypothetical, habit = bool(_HYPOTHETICAL_Q.search(q)), bool(_HABIT_Q.search(q))
    strong = _read_text(strong_text, hypothetical, habit) if len(strong_text.split()) > 1 else None
    weak = _read_text(weak_text, hypothetical, habit) if len(weak_text.split()) > 1 else None
    terms = _stems(q)
    weak_patterns = weak.patterns - {"no-action"} or weak.patterns if weak else frozenset()
    return Key(terms=terms, strong_elements=strong.elements if strong else frozenset(),
               strong_terms=strong.stems - terms - (weak.stems if weak else frozenset()) if strong else frozenset(),
               weak_patterns=weak_patterns, hypothetical=hypothetical, habit=habit,
               asks_action=bool(_ASKS_ACTION.search(q)) or bool(strong and "action" in strong.elements),
               asks_when=bool(_ASKS_WHEN.search(q)))


def reply_of(a: Analysis, k: Key) -> Reply:
    return read_reply([(x.sentence.text, x.sentence.low, r) for x, r in zip(a.labelled, a.readings)],
                      k.hypothetical, k.habit)


# --- components (each 0..1; scoring.PROBE_WEIGHTS turns them into points) --------------------------

def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))


def answers_probe(rep: Reply, k: Key) -> float:
    """Talks about what was asked, shows the strong reply's kinds of element, avoids the weak pattern."""
    topic = min(len(rep.stems & k.terms) / max(min(len(k.terms), 2), 1), 1.0) if k.terms else 1.0
    if k.strong_elements:
        shape = len(rep.elements & k.strong_elements) / len(k.strong_elements)
    else:  # no model reply to compare with: an action of yours, and a reason or a number
        shape = 0.5 * ("action" in rep.elements or not k.asks_action) + 0.5 * bool(rep.elements & {"reason", "number"})
    concrete = min(len(rep.stems & k.strong_terms) / 4, 1.0) if k.strong_terms else 0.0
    shared = rep.patterns & k.weak_patterns
    other = rep.patterns - k.weak_patterns - {"hedged"}
    x = 0.15 * topic + 0.5 * shape + 0.1 * concrete + 0.25 * (not shared and not other)
    x -= 0.25 * len(shared) + 0.1 * len(other)
    return _clip(x)


def ownership(rep: Reply, a: Analysis, k: Key) -> float:
    """Your own action when the probe asks what you did; otherwise your own voice and no hand-off."""
    n_i = len(rep.actions)
    actors = n_i + len(rep.we_actions) + len(rep.other_actions)
    cost = 0.35 * ("handoff" in rep.patterns) + 0.2 * ("we" in rep.patterns) + 0.2 * ("self-win" in rep.patterns)
    if not n_i:
        if k.asks_action:
            return _clip(0.15 * bool(a.own_piece) - 0.1 * ("handoff" in rep.patterns))
        first_person = any(_FIRST_PERSON.search(x.sentence.low) for x in a.labelled)
        return _clip(0.45 + 0.25 * first_person - cost - 0.2 * ("vague" in rep.patterns))
    x = 0.6 + 0.2 * (n_i >= 2) + 0.2 * n_i / max(actors, 1)
    return _clip(x - cost)


_FIRST_PERSON = re.compile(r"(?<![a-z'])(?:i|my|me|i'd|i'm|i've)(?![a-z'])")


def impact(rep: Reply, a: Analysis) -> float:
    """A reason or a number carries a follow-up; both, or a measured change, is better still."""
    why, much = bool(rep.reasons), bool(rep.numbers)
    x = 0.7 * (why or much) + 0.2 * (why and much) + 0.1 * bool(a.deltas or a.business or a.second_order
                                                                 or rep.mechanisms)
    x -= 0.3 * ("vague" in rep.patterns and not a.deltas)
    return _clip(x)


def criteria(results: tuple[CriterionResult, ...]) -> float:
    """A follow-up targets one or two criteria: the best two count; missing ones cost little."""
    values = sorted((1.0 if c.status == "met" else 0.5 if c.status == "partly" else 0.0 for c in results),
                    reverse=True)[:2]
    return _clip(0.4 + 0.6 * sum(values) / 1.5) if values and values[0] else 0.25


def off_topic(a: Analysis, rep: Reply, k: Key, question) -> bool:
    """A reply about something else entirely: no word of the follow-up, of the bank's strong reply or of the
    question, and no work event of any kind (topics.py). A pizza order answers no probe; a reply that moves
    to money or adoption when asked "how did you know it mattered" does. "It was fine." is vague, not about
    something else: the vague and short flags say what it lacks."""
    if ("vague" in rep.patterns or a.non_answers) and not (a.own_clauses or a.we_clauses or a.other_clauses or
                                                           a.past_events):
        return False
    if rep.stems & k.terms or len(rep.stems & k.strong_terms) >= 2:
        return False
    if question is not None and rep.stems & _stems(normalise(question.text)):
        return False
    from stardrill.feedback import topics

    tokens = {t for r in a.readings for t in r.tokens}
    return tokens.isdisjoint(topics.WORK) and not a.deltas


# --- flags and advice -------------------------------------------------------------------------------

def timings(a: Analysis) -> tuple[PartTiming, ...]:
    """Seconds per part, with no target: a follow-up reply is not expected to have every STAR part."""
    return tuple(PartTiming(p.part, p.seconds, 0, p.sentences) for p in a.parts)


def general_results(results: tuple[CriterionResult, ...]) -> tuple[CriterionResult, ...]:
    """Without a question: only the rubric lines a short reply can show (own actions, impact)."""
    return tuple(c for c in results if c.id in ("ownership", "quantified-impact"))


__all__ = ["Key", "Reply", "key", "reply_of", "answers_probe", "ownership", "impact", "criteria",
           "timings", "general_results", "TARGET_SECONDS", "FRAMEWORK"]
