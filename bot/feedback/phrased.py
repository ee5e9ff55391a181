"""Results told with a phrase rather than an outcome verb: "it went live", "we launched with no downtime",
"latency was back under 300 ms", "the checklist is still in use", "we met the provider's date".

Each detector walks one sentence's tokens with a bounded look-ahead and returns the phrase it found, or "".
"""

from __future__ import annotations

from stardrill.feedback import verbs as V
from stardrill.feedback.clauses import I, NEGATED, OTHER, PASSIVE, PAST, PRESENT, THING, WE, Clause, verb_index
from stardrill.feedback.credited import CUES as CREDIT_CUES, credited, successful_event
from stardrill.feedback.forms import is_past


def landed(toks: list[str], cl: tuple[Clause, ...], qty: list) -> str:
    """The first result this sentence tells with a phrase (each detector below), or "". Each detector runs only when
    the words it looks for are in the sentence: this runs on every sentence of every answer."""
    words = frozenset(toks)
    return (phrasal_result(toks, cl)
            or ("still" in words or "now" in words) and in_use(toks)
            or qty and not RESULT_PARTICIPLES.isdisjoint(words) and participle_result(toks, qty)
            or not ENABLING.isdisjoint(words) and enabled(toks, qty)
            or qty and level_reached(toks)
            or ("with" in words or "without" in words) and clean_run(toks, cl)
            or qty and "back" in words and back_to(toks, qty)
            or not _RESULT_NOUNS.isdisjoint(words) and stated_result(toks, qty)
            or qty and ("savings" in words or "saving" in words) and savings(toks, qty)
            or ("now" in words or "down" in words) and level_now(toks, qty, cl)
            or not _NONE_OF.isdisjoint(words) and none_left(toks)
            or ("on" in words or "ahead" in words) and on_time(toks, cl)
            or ("able" in words or "managed" in words) and achieved(toks, cl)
            or not CREDIT_CUES.isdisjoint(words) and credited(toks, cl)
            or "successful" in words and successful_event(toks)
            or "")


# Finding, preparing and trying are steps however hard they were: "I was able to identify the cause".
_STEP_VERBS = frozenset("identify find figure determine pinpoint diagnose understand learn see realize realise notice "
                        "discover trace isolate locate gather collect get reach contact speak talk meet start begin try "
                        "help work".split())


def achieved(toks: list[str], cl: tuple[Clause, ...]) -> str:
    """What the speaker (or "we") managed in the end: "we were able to move forward without any tension", "I was
    able to score an even bigger account", "I managed to calm him down". The chain says it came off, whatever the
    verb; one that only finds or prepares ("was able to identify the cause") is a step."""
    for c in cl:
        if c.mood != PAST or c.setting or c.subject not in (I, WE) or c.verb in _STEP_VERBS or not c.verb.isalpha():
            continue
        at = verb_index(toks, c, 8)
        if at >= 2 and toks[at - 2:at] in (["able", "to"], ["managed", "to"]):
            return f"{toks[at - 2]} to {c.verb}"
    return ""


# "it went live", "we rolled it out to every store", "two other teams started using it", "the checklist became
# the standard", "we never had that outage again".
_STARTED_USING = frozenset("using relying reusing copying following recommending".split())
_KEEPING = frozenset("meeting hitting making beating".split())  # a commitment kept from then on
_STANDARD = frozenset("standard default norm template baseline playbook".split())


def phrasal_result(toks: list[str], cl: tuple[Clause, ...]) -> str:
    for c in cl:
        not_since = c.mood == NEGATED
        if c.setting or not not_since and (c.verb not in _PHRASAL_VERBS or c.mood not in (PAST, PASSIVE, PRESENT)):
            continue
        at = verb_index(toks, c, len(toks))
        rest = toks[at + 1:at + 5] if at >= 0 else []
        if not_since:  # "we never had that outage again", "the job has not failed since"
            tail = toks[at + 1:at + 8]
            if c.never and not _AGAIN.isdisjoint(tail) or "since" in tail and c.verb in _RECURRED:
                return f"not {c.verb} since" if "since" in tail else f"never {c.verb} ... again"
            if c.verb in _SUFFERED and c.subject != I and "any" in tail[:2] and not _HARMS.isdisjoint(tail[:5]):
                return f"no {next(w for w in tail[:5] if w in _HARMS)}"  # "the patient did not suffer any harm"
            span = _quiet_span(tail) if c.verb in _RECURRED else ""
            if span:  # "we have not had a similar miss in 18 months"
                return f"not {c.verb} ... in {span}"
            continue
        if not rest:
            continue
        others = c.subject in (THING, OTHER) or c.mood == PASSIVE
        if c.verb == "went" and (rest[0] == "live" or rest[0] == "out" and c.subject == THING):
            return f"went {rest[0]}"
        if c.verb == "rolled" and rest[0] == "out":
            return "rolled out"
        if c.verb == "started" and rest[0] in _STARTED_USING and others:
            return f"started {rest[0]}"
        if c.verb in ("started", "began") and others and rest[0] in _KEEPING and not _COMMITMENTS.isdisjoint(rest):
            return f"{c.verb} {rest[0]} {next(w for w in rest if w in _COMMITMENTS)}"  # "he started meeting deadlines"
        if c.verb == "became" and others and not _STANDARD.isdisjoint(rest):
            return f"became the {next(w for w in rest if w in _STANDARD)}"
        if c.verb == "stopped" and others and _stopped_failing(rest):  # "support stopped getting complaints"
            return f"stopped {rest[0]}"
        prizes = _PRIZES | _BID_FOR if c.verb in _WON else _CLOSED if c.verb == "closed" else _PRIZES
        if c.verb in _SECURED and c.mood != PASSIVE and not prizes.isdisjoint(rest):  # "we secured a bigger project"
            prize = at + 1 + next(j for j, w in enumerate(rest) if w in prizes)
            # "we got a new customer who kept asking for discounts" brings someone into the story
            if toks[prize + 1:prize + 2] != ["who"]:
                return f"{c.verb} the {toks[prize]}"
        if c.verb in _STAYED_ON and c.subject == OTHER and c.mood == PAST and not _STILL_A_CUSTOMER.isdisjoint(rest):
            return f"{c.verb} ... {next(w for w in rest if w in _STILL_A_CUSTOMER)}"  # "continued to be a loyal customer"
    return ""


def _stopped_failing(rest: list[str]) -> bool:
    """After "stopped": a failure that no longer comes ("getting complaints", "receiving escalations") or an
    activity that was the failure ("complaining", "crashing"). "stopped responding" is a problem, not a result."""
    if rest[0] in _FAILED_ING:
        return True
    return rest[0] in ("getting", "receiving", "seeing", "filing", "raising") and not (
        _SETBACKS.isdisjoint(rest[1:4]) and _SUFFERED_BY.isdisjoint(rest[1:2]))


_FAILED_ING = frozenset("complaining failing crashing escalating paging timing erroring churning".split())
_SUFFERED_BY = frozenset("paged woken stuck blocked".split())  # "stopped getting paged at night"


# Harm that did not happen: "the patient did not experience any adverse effects", "no customer saw any data loss".
_SUFFERED = frozenset("experience experienced suffer suffered see saw have had notice noticed lose lost".split())
_HARMS = frozenset("effects effect harm damage injury injuries impact downtime disruption loss".split())
_SPANS = frozenset("weeks months years quarters releases launches sprints".split())


def _quiet_span(tail: list[str]) -> str:
    """The stretch of time named after a setback that did not recur: "(not had) a similar miss in 18 months", "an
    outage for two years"; "(not had) time to look at it in two weeks" is no result."""
    for j in range(len(tail) - 2):
        if tail[j] in ("in", "for", "over") and tail[j + 2] in _SPANS and not _SETBACKS.isdisjoint(tail[:j]):
            return f"{tail[j + 1]} {tail[j + 2]}"
    return ""


def participle_result(toks: list[str], qty: list) -> str:
    """What an action did, told as a participle after a comma with its figure: "I automated the report, saving the
    team 10 hours a week". Without a figure it is no result ("..., improving things")."""
    for i in range(1, len(toks) - 1):
        if toks[i] in RESULT_PARTICIPLES and toks[i - 1] == ",":
            figure = next((q for pos, q in qty if i < pos <= i + 6), "")
            if figure:
                return f"{toks[i]} {figure}"
    return ""


RESULT_PARTICIPLES = frozenset("saving cutting reducing freeing preventing eliminating avoiding recovering "
                                "lowering raising doubling halving catching".split())

ENABLING = frozenset("allowing enabling letting allowed enabled".split())
# What someone could do after that they could not before: sooner, without something, or no more of it.
_SOONER = frozenset("earlier sooner faster quicker without stop stopped longer".split())


def enabled(toks: list[str], qty: list) -> str:
    """What the work let others do, with a figure or a "sooner": "I rewrote the job, allowing finance to close the
    books two days earlier", "which allowed the team to stop the manual reruns". Without one it is no result
    ("..., allowing us to improve our processes"); "so they could ..." may be a purpose and is not read."""
    for i, t in enumerate(toks):
        if t in ("allowing", "enabling", "letting") and toks[i - 1:i] == [","]:
            start = i
        elif t in ("allowed", "enabled") and toks[i - 1:i] in (["which"], ["that"], ["this"]):
            start = i - 1
        else:
            continue
        stop = min(len(toks), i + 13)
        end = next((j for j in range(i + 1, stop) if toks[j] in (",", ";", ":")), stop)
        if _SOONER.intersection(toks[i + 1:end]) or any(i < pos < end for pos, _ in qty):
            return " ".join(toks[start:end])
    return ""


def level_reached(toks: list[str]) -> str:
    """A metric's level reached, without its before: "with a 91% promotion rate", "reaching 99.95% uptime",
    "retention of 97%". A level that is only had ("we had a 40% attrition rate") is background."""
    for i, t in enumerate(toks):
        if not t.endswith("%") or len(t) < 2:
            continue
        if not _METRICS.isdisjoint(toks[i + 1:i + 3]):
            lead = toks[i - 2:i] if i >= 2 else toks[:i]
            if not _REACHED.isdisjoint(lead):
                return f"{t} {next(w for w in toks[i + 1:i + 3] if w in _METRICS)}"
        if i >= 2 and toks[i - 1] == "of" and toks[i - 2] in _METRICS:
            return f"{toks[i - 2]} of {t}"
    return ""


def clean_run(toks: list[str], cl: tuple[Clause, ...]) -> str:
    """Something that happened with none of what goes wrong: "Black Friday ran with zero checkout errors", "we
    launched with no downtime". Needs an event in the past before it ("I started with no budget" has no failure)."""
    for i in range(1, len(toks) - 1):
        if toks[i] == "with" and toks[i + 1] in _NONE_OF:
            failure = next((t for t in toks[i + 2:i + 5] if t in _FAILURES), "")
        elif toks[i] == "without":  # "the delay was absorbed without external impact", "without any downtime"
            failure = next((t for t in toks[i + 1:i + 4] if t in _FAILURES or t in _HARMS), "")
        else:
            continue
        if failure and any(c.mood in (PAST, PASSIVE) and c.start < i and not c.setting for c in cl):
            return f"{' '.join(toks[i:i + 2]) if toks[i] == 'with' else 'without'} {failure}"
    return ""


def back_to(toks: list[str], qty: list) -> str:
    """A level restored: "latency was back under 300 ms within 40 minutes", "error rates are back to 0.1%"."""
    for i, t in enumerate(toks[:-2]):
        if t == "back" and toks[i + 1] in _RESTORED_TO:
            figure = next((q for pos, q in qty if i + 1 < pos <= i + 3), "")
            if figure:
                return f"back {toks[i + 1]} {figure}"
    return ""


_RESTORED_TO = frozenset("under below to at within above".split())
_NONE_OF = frozenset(("zero", "no", "0"))
_FAILURES = frozenset("errors error incidents incident downtime outages outage bugs defects complaints escalations "
                      "rollbacks failures regressions pages data-loss".split())
# Setbacks that can stop recurring: what goes wrong, and the words people use for a repeat of it.
_SETBACKS = _FAILURES | frozenset("miss misses repeat repeats issue issues problem problems complaint page failure bug "
                                  "escalation rollback breach breaches".split())


# What a level measures, and the words that say it was reached rather than had.
_METRICS = frozenset("rate score satisfaction retention uptime availability accuracy adoption conversion coverage "
                     "attendance completion nps csat".split())
_REACHED = frozenset("with to reaching achieving hitting at".split())


def in_use(toks: list[str]) -> str:
    """Work that lasts: "the checklist is still in use", "the dashboard is now used by every on-call engineer"."""
    for i, t in enumerate(toks[:-1]):
        if t not in ("still", "now"):
            continue
        if toks[i + 1] == "used":
            return f"{t} used"
        if toks[i + 1:i + 3] == ["in", "use"]:
            return f"{t} in use"
    return ""


# What winning or keeping looks like: "we got the contract", "I kept the account", "we secured the funding".
_SECURED = frozenset("got kept secured landed won closed".split())
_WON = frozenset("secured landed won".split())  # verbs that say the work was competed for
_BID_FOR = frozenset("project projects bid bids tender tenders pitch".split())
# The verbs phrasal_result reads; "never ... again" takes any verb, "not ... since" those of _RECURRED.
# A deal closed is won; "closed the ticket" or "closed the account" is not.
_CLOSED = frozenset("deal deals sale sales contract contracts round partnership".split())
# Someone who kept buying: "the client continued to be a loyal customer", "they kept ordering from us".
_STAYED_ON = frozenset("continued kept remained".split())
_STILL_A_CUSTOMER = frozenset("loyal customer customers client clients ordering buying renewing subscribing "
                              "shopping".split())
_PHRASAL_VERBS = frozenset("went rolled started began became stopped".split()) | _SECURED | _STAYED_ON
_AGAIN = frozenset("again afterward afterwards".split())  # "we never had a misunderstanding afterward"
_RECURRED = frozenset("had missed failed broken gone happened recurred seen slipped lost dropped crashed paged".split())
_PRIZES = frozenset("contract contracts deal deals job offer account accounts client clients customer customers "
                    "approval funding budget promotion sign-off go-ahead renewal grant award business".split())


def on_time(toks: list[str], cl: tuple[Clause, ...]) -> str:
    """A date kept, told after whatever was finished: "we were able to submit the project on time", "the migration
    was done ahead of schedule". "I made sure to arrive on time" and "I needed it on time" are the aim."""
    for i in range(1, len(toks) - 1):
        if toks[i:i + 2] not in (["on", "time"], ["on", "schedule"], ["ahead", "of"]):
            continue
        c = next((c for c in reversed(cl) if c.start < i), None)
        if c is None or c.setting or c.mood not in (PAST, PASSIVE) or c.verb in V.STATE or c.verb in _WANTED:
            return ""
        aims = [j for j in range(c.start + 1, i) if toks[j] == "to" and toks[j - 1] not in ("managed", "able")]
        return "" if aims else " ".join(toks[i:i + 2])
    return ""


_WANTED = frozenset("needed wanted asked expected promised planned hoped told required aimed".split())


def kept_date(toks: list[str], words: set[str], cl: tuple[Clause, ...], hits: dict) -> str:
    """A date kept told beside a vague word ("we successfully delivered the project on time"): the date is what
    anyone could check, so the sentence is a result, not a vague one. Read only when a vague word is there."""
    if not (hits.get("vague") or hits.get("vague_word")) or ("on" not in words and "ahead" not in words):
        return ""
    return on_time(toks, cl)


# Verbs that keep a commitment when their object is one ("met the deadline", "made the date", "beat the target").
KEPT = frozenset("met hit beat made exceeded surpassed".split())
_COMMITMENTS = frozenset("deadline deadlines date dates target targets goal goals sla slas slo slos commitment "
                         "commitments milestone milestones quota".split())


def commitment(toks: list[str], start: int) -> str:
    """The commitment named within a few words after the clause's verb ("met the provider's date"), or ""."""
    verb = next((j for j in range(start, min(start + 6, len(toks))) if toks[j] in KEPT), -1)
    # "(we worked weekends) to hit the date" is the aim, not the result; "we managed to hit it" is the result.
    if verb < 0 or verb > 1 and toks[verb - 1] == "to" and toks[verb - 2] not in ("managed", "able"):
        return ""
    return next((t for t in toks[verb + 1:verb + 5] if t in _COMMITMENTS), "")


# "The end result was a new vendor at a cost savings of $30,000 a year", "the payoff was a signed contract".
_RESULT_NOUNS = frozenset("result outcome payoff upshot".split())
# Prizes a stated result names; "budget", "job" and "business" follow "the result was" as often for a loss ("a budget
# cut", "I lost my job") as for a win.
_PRIZES_NAMED = _PRIZES - {"budget", "business", "job", "go-ahead", "sign-off", "grant"}


def stated_result(toks: list[str], qty: list) -> str:
    """A result named as such: "the (end) result was", "the outcome was", "the payoff was", followed within fifteen
    words by a figure or a prize won. "The result was that everyone was happy" names none and is no result."""
    for i in range(len(toks) - 2):
        if toks[i] not in _RESULT_NOUNS or toks[i + 1] not in ("was", "is", "were"):
            continue
        figure = next((q for pos, q in qty if i + 1 < pos <= i + 16), "")
        if figure:
            return f"the {toks[i]} was ... {figure}"
        prize = next((w for w in toks[i + 2:i + 17] if w in _PRIZES_NAMED), "")
        if prize:
            return f"the {toks[i]} was ... {prize}"
    return ""


def savings(toks: list[str], qty: list) -> str:
    """A saving told as a noun with its figure: "at a cost savings of more than $30,000 per year"."""
    for i in range(len(toks) - 2):
        if toks[i] in ("savings", "saving") and toks[i + 1] == "of":
            figure = next((q for pos, q in qty if i + 1 < pos <= i + 5), "")
            if figure:
                return f"savings of {figure}"
    return ""


_NOW_FILLER = frozenset("at under below about around just only down to back consistently steady stable well".split())


def _verbless(words: list[str]) -> bool:
    return not any(is_past(w) or w in _PRONOUNS or w.endswith("s") and w[:-1] in V.ACTION_BASE for w in words)


_PRONOUNS = V.SUBJECT_I | V.SUBJECT_WE | V.SUBJECT_OTHER | V.SUBJECT_THING


def level_now(toks: list[str], qty: list, cl: tuple[Clause, ...]) -> str:
    """A level the work stands at now: "load time is now 1.2 s", "p99 is now under 200 ms", "we're now at 99.9%";
    or, in a note's shorthand, where it went: "failures down to 0.4%", "p99 down to 120 ms"."""
    for i, t in enumerate(toks):
        # Shorthand only: a short noun phrase and no verb before it ("it came down to 2 options" is no result; "up to
        # 50 people" is a cap).
        if t == "down" and not cl and 0 < i <= 3 and i < len(toks) - 2 and toks[i + 1] == "to" and _verbless(toks[:i]):
            figure = next((q for pos, q in qty if pos in (i + 2, i + 3)), "")
            if figure:
                return f"{t} to {figure}"
        if t != "now":
            continue
        # "the report now takes 20 minutes", "the build now runs in 4 minutes": what the work costs now is its level
        start, filler = (i + 2, _NOW_FILLER | {"in"}) if toks[i + 1:i + 2] and toks[i + 1] in _COSTS_NOW else \
            (i + 1, _NOW_FILLER)
        figure = next((q for pos, q in qty if start <= pos <= start + 3 and all(w in filler for w in toks[start:pos])),
                      "")
        if figure:
            return f"now {figure}"
    return ""


_COSTS_NOW = frozenset("takes costs runs loads finishes completes".split())


def none_left(toks: list[str]) -> str:
    """A failure gone, told first: "zero failed runs in the next quarter", "no outages since", "no incidents were
    reported". "No idea why" and "zero budget" name no failure."""
    # told first in the sentence or in a clause after its opening ("Since the fix, no errors have been reported")
    # ("When I joined, no outages had happened in a year" is the background)
    after = () if toks[0] in ("when", "while", "before", "until", "if", "whenever", "as") else \
        (j + 1 for j, t in enumerate(toks[:12]) if t in (",", ";"))
    for i in (0, *after):
        if i + 1 < len(toks) and toks[i] in _NONE_OF:
            failure = next((t for t in toks[i + 1:i + 3] if t in _FAILURES or t in ("failed", "missed", "dropped",
                                                                                     "lost")), "")
            if failure:
                return f"{toks[i]} {failure}"
    return ""

