"""Relevance: is the answer about the kind of event the question asks for?

A candidate's story never repeats the model answer's words; what it shares with a right answer is the
*kind* of event (a disagreement, a failure, a hire, a deadline). So each competency belongs to a family
of events with its own lexicon (word stems: "disagre" matches disagree, disagreed, disagreement), and the
question's own wording adds the events it names ("speed" and "quality" in a trade-off question). The
answer is matched against those lexicons only, never against the question's model answer.

Written from general knowledge of behavioural questions; never tuned on bench/data/realworld.jsonl.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from stardrill.content_models import Question

# Event families: stems (a token matches when it starts with the stem) and two-word phrases.
FAMILIES: dict[str, tuple[str, ...]] = {
    "conflict": ("disagre", "conflict", "argu", "push back", "pushed back", "pushback", "tension", "friction",
                 "clash", "dispute", "objection", "objected", "oppos", "resist", "convinc", "persua", "compromis",
                 "debate", "confront", "overrul", "veto", "frustrat", "tough conversation",
                 "difficult conversation", "hard conversation", "stood my ground", "didn't agree", "stubborn",
                 "heated", "pushing back", "counter-proposal", "counterproposal"),
    "failure": ("fail", "mistake", "wrong", "regret", "my fault", "should have", "postmortem", "post-mortem",
                "blunder", "dropped the ball", "apolog", "owned up", "own up", "setback", "misjudg",
                "underestimat", "overlook", "missed", "lesson", "learned", "learnt", "in hindsight", "broke",
                "rollback", "rolled back"),
    "delivery": ("deadline", "launch", "ship", "deliver", "schedule", "on time", "slip", "sprint",
                 "release", "milestone", "timeline", "due date", "crunch", "commitment", "committed", "cut scope",
                 "estimat", "delay", "behind", "ahead of", "go-live", "cutover",
                 "pressure", "urgent", "rush", "speed"),
    "customer": ("customer", "client", "complain", "churn", "satisf", "nps", "csat", "merchant", "shopper",
                 "patient", "buyer", "user", "refund", "renewal", "support ticket", "escalation",
                 "experience", "trust"),
    "people": ("hire", "hiring", "interview", "candidate", "recruit", "mentor", "coach", "promot", "underperform",
               "performance review", "direct report", "reports", "career", "onboard", "one-on-one", " 1:1",
               "teammate", "colleague", "struggl", "pair", "my engineers", "her manager", "his manager",
               "feedback", "pip", "let go", "morale", "retention", "attrition", "junior", "new hire",
               "succession", "delegat", "growth plan", "team member",
               "burnout", "culture", "remote", "time zone", "timezone"),
    "technical": ("design", "architect", "migrat", "refactor", "tech debt", "technical debt", "debt", "test",
                  "quality", "bug", "defect", "latency", "database", "api", "deploy",
                  "prototype", "benchmark", "scal", "infra", "pipeline", "trade-off",
                  "tradeoff", "shortcut", "cut corners", "standard", "security", "vulnerab", "complian",
                  "platform", "automat", "simplif", "legacy"),
    "incident": ("outage", "incident", "paged", "on-call", "oncall", "crash", "downtime", "sev",
                 "rollback", "roll back", "restor", "root cause", "alert", "emergenc", "crisis", "breach",
                 "firefight", "war room", "down for", "went down", "error rate", ),
    "strategy": ("strateg", "roadmap", "vision", "budget", "cost", "invest", "headcount", "platform", "multi-year", "initiative", "program", "frugal", "saving", "spend", "revenue", "bet",
                 "long-term", "long term", "market", "business case", "portfolio", "reorg",
                 "transformation", "ai", "machine learning", "llm", "innovat", "experiment"),
    "influence": ("stakeholder", "leadership", "vp", "director", "exec", "align", "trust", "credib", "transparen",
                  "partner team", "dependenc", "vendor", "other team", "cross-team", "cross-functional",
                  "negotiat", "persua", "buy-in", "sponsor", "convinc", "managing up", "my manager", "skip-level",
                  "authority", "influenc", "relationship"),
    "learning": ("learn", "new domain", "course", "studied", "study", "explor", "curio", "picked up",
                 "taught myself", "unfamiliar", "ramp", "research", "new to", "didn't know",
                 "knowledge", "skill", "documentation"),
    "initiative": ("nobody asked", "no one asked", "not my team", "took it on", "volunteer", "proactiv", "initiative", "stepped in", "without being asked", "on my own", "took ownership",
                   "ownership", "owner", "outside my", "wasn't assigned", "no ticket", "decided to",
                   "nobody owned", "no one owned", "unowned", "spare time", "free time", "own time", "picked it up",
                   "fell through the cracks"),
    "priorities": ("priorit", "trade-off", "tradeoff", "backlog", "said no", "say no", "competing", "urgent",
                   "triage", "cut scope", "sequenc", "defer", "postpon", "versus", "balance", "weigh"),
}

# The kinds of event whose stories carry a money effect a level's band can be read against (calibration's
# "No money figure"); a hire, a conflict or a lesson learned does not.
MONEY_FAMILIES = frozenset(("strategy", "delivery", "customer", "technical", "incident", "priorities"))

COMPETENCY_FAMILIES: dict[str, tuple[str, ...]] = {
    "customer-obsession": ("customer",), "ownership": ("initiative", "failure"),
    "invent-and-simplify": ("technical",), "are-right-a-lot": ("technical", "priorities"),
    "learn-and-be-curious": ("learning",), "hire-and-develop": ("people",),
    "insist-on-highest-standards": ("technical",), "think-big": ("strategy",),
    "bias-for-action": ("delivery", "initiative"), "frugality": ("strategy",), "earn-trust": ("influence", "failure"),
    "dive-deep": ("technical", "incident"), "have-backbone": ("conflict",), "deliver-results": ("delivery",),
    "best-employer": ("people",), "broad-responsibility": ("strategy", "people"),
    "team-turnaround": ("people",), "technical-decisions": ("technical",), "cross-functional-conflict": ("conflict",),
    "prioritisation": ("priorities", "delivery"), "technical-debt": ("technical",),
    "performance-management": ("people",), "cross-team-dependencies": ("influence", "delivery"),
    "migrations": ("technical",), "incident-response": ("incident",), "scaling-teams": ("people",),
    "budgets": ("strategy",), "innovation-under-constraints": ("strategy", "technical"),
    "quality-vs-speed": ("technical", "delivery", "priorities"), "remote-cross-cultural": ("people",),
    "succession": ("people",), "stakeholder-management": ("influence",), "security-compliance": ("technical",),
    "vendor-management": ("influence",), "failure-learning": ("failure",), "managing-up": ("influence", "conflict"),
    "organisational-change": ("strategy", "people"), "role-transitions": ("people", "learning"),
    "ai-emerging-tech": ("strategy", "technical"), "influence-without-authority": ("influence", "conflict"),
    "conflict": ("conflict",), "mentoring": ("people",),
}

# Words a question may use to name the event it asks for, and the family each points to.
QUESTION_CUES: dict[str, str] = {
    "disagre": "conflict", "conflict": "conflict", "push": "conflict", "pushed": "conflict", "backbone": "conflict",
    "difficult": "conflict", "unpopular": "conflict", "fail": "failure", "mistake": "failure", "wrong": "failure",
    "deadline": "delivery", "speed": "delivery", "fast": "delivery", "quick": "delivery", "pressure": "delivery",
    "deliver": "delivery", "ship": "delivery", "customer": "customer", "client": "customer", "user": "customer",
    "hire": "people", "hiring": "people", "mentor": "people", "coach": "people", "feedback": "people",
    "underperform": "people", "perform": "people", "team": "people", "quality": "technical",
    "technical": "technical", "debt": "technical", "migrat": "technical", "design": "technical",
    "architect": "technical", "incident": "incident", "outage": "incident", "crisis": "incident",
    "budget": "strategy", "strateg": "strategy", "vision": "strategy", "cost": "strategy", "innovat": "strategy",
    "stakeholder": "influence", "influenc": "influence", "trust": "influence", "manager": "influence",
    "authority": "influence", "learn": "learning", "new": "learning", "initiative": "initiative",
    "own": "initiative", "prioriti": "priorities", "trade-off": "priorities", "tradeoff": "priorities",
}


# Words of work of any kind. An answer without one of them is not about a work event at all (a pizza
# order, a hike), whatever the question: that alone makes it off-topic for a behavioural question.
WORK = frozenset((
    "team teams ticket tickets project projects customer customers client clients manager managers meeting meetings "
    "release deploy deployed code bug bugs service system systems data report reports deadline sprint colleague "
    "colleagues coworker coworkers company office product feature features design review reviewed test tests budget "
    "plan process job role work worked working boss user users incident alert alerts fix fixed fixing change issue "
    "issues problem problems task tasks engineer engineers lead launch launched shipped ship stakeholder stakeholders "
    "proposal decision decided metric metrics revenue cost costs hire hired interview candidate mentor feedback "
    "pinged handled escalated merged vendor partner contract roadmap store stores shift shop staff students class "
    "school internship intern department organisation organization business sales quarter month week weeks"
).split())


def _compile(entries: tuple[str, ...]) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    by_head: dict[str, list[str]] = {}
    phrases = []
    for e in entries:
        if not e.isalpha():  # "on-call", "1:1" and "push back" span tokens: matched in the text, not per token
            phrases.append(e)
        else:
            by_head.setdefault(e[:3], []).append(e)
    return {k: tuple(v) for k, v in by_head.items()}, tuple(phrases)


_COMPILED = {name: _compile(entries) for name, entries in FAMILIES.items()}


@dataclass(frozen=True)
class Topic:
    """What a question asks about: families with weights (question wording counts double)."""

    families: dict[str, float]
    text: str


@lru_cache(maxsize=4096)
def _topic(text: str, competencies: tuple[str, ...]) -> Topic:
    weights: dict[str, float] = {}
    for c in competencies:
        for fam in COMPETENCY_FAMILIES.get(c, ()):
            weights[fam] = max(weights.get(fam, 0.0), 1.0)
    for word in text.lower().replace("?", " ").replace(",", " ").split():
        for cue, fam in QUESTION_CUES.items():
            if word.startswith(cue):
                weights[fam] = 2.0
    return Topic(weights, text)


def topic_of(question: Question) -> Topic:
    return _topic(question.text, tuple(question.competencies))


_HEADS: dict[str, list[tuple[str, str]]] = {}
for _name, (_by_head, _) in _COMPILED.items():
    for _head, _stems in _by_head.items():
        _HEADS.setdefault(_head, []).extend((stem, _name) for stem in _stems)
_PHRASES = tuple((phrase, name) for name, (_, phrases) in _COMPILED.items() for phrase in phrases)


def family_hits(tokens: set[str], low: str) -> dict[str, set[str]]:
    """Distinct lexicon entries of each family found in the answer (tokens: its word set)."""
    out: dict[str, set[str]] = {name: set() for name in FAMILIES}
    for t in tokens:
        for stem, name in _HEADS.get(t[:3], ()):
            # A stem of three letters or fewer is a whole word ("sev", "sev1", "pip", "bet", "ai"): as a prefix it
            # would find "several", "pipeline", "better" and "aim".
            if t.startswith(stem) and (len(t) - len(stem) <= 6 or len(stem) >= 6) and (
                    len(stem) > 3 or t[len(stem):] in ("", "s") or t[len(stem):].isdigit()):
                out[name].add(stem)
    for phrase, name in _PHRASES:
        if phrase in low:
            out[name].add(phrase)
    return out


def relevance(topic: Topic, hits: dict[str, set[str]], base: dict[str, float] | None = None) -> tuple[float, str]:
    score, best, _ = judge(topic, hits, base)
    return score, best


def judge(topic: Topic, hits: dict[str, set[str]], base: dict[str, float] | None = None) -> tuple[float, str, float]:
    """(0..1 how much the answer is about the asked-for kind of event, the family it shows best, the lift of
    the strongest family the question does not ask about).

    Relative, not absolute: every work story mentions a deadline or a system somewhere, so each family's
    count is read as a lift over what a typical story shows (`base`, measured on the training texts by
    bench/train_feedback.py), and the best asked-for family is weighed against the best other one. The
    question's own wording counts fully; a family that only comes from a secondary competency counts half."""
    if not topic.families:
        return 1.0, "", 0.0
    base = base or {}
    lift = {f: len(hits.get(f, ())) / max(base.get(f, 1.0), 0.5) for f in FAMILIES}
    asked = {f: lift[f] * w / 2.0 for f, w in topic.families.items()}
    best = max(asked, key=lambda f: (asked[f], topic.families[f]))
    rival = max((v for f, v in lift.items() if f not in topic.families), default=0.0)
    score = asked[best] / (asked[best] + rival) if asked[best] + rival else 0.0
    return score, best, rival
