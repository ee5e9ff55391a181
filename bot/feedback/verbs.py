"""Verb and function-word lists the clause reader uses to tell who did what, in which mood.

Written from general English grammar and the rubric (rubric-facts.md, feedback-design.md), never from
the real-world validation answers in bench/data/realworld.jsonl.
"""

from __future__ import annotations

# Irregular past forms (and the participles that differ), so "I ran", "I'd written" are read as actions.
IRREGULAR_PAST = frozenset((
    "built wrote ran led made took set brought sent drew got gave met spoke sat found began chose held kept put "
    "rewrote cut paid sold shut split spun stood taught told thought threw understood won went did fought fed "
    "forgot hid hit hung laid lent let lit lost meant overtook oversaw quit read redid rebuilt rode rose saw sought "
    "shook sped spent stuck struck swept tore undertook upheld withdrew wound broke became bought caught dug drove "
    "flew froze grew knew left felt heard dealt rang sang shot slept stole swam woke wore won bent bound "
    "done written given taken seen spoken shown known gone begun chosen driven broken grown thrown drawn "
    "forgotten hidden ridden risen shaken stolen sworn torn withdrawn woken worn undone overseen outgrown "
    "rerun reran reset upset fell fallen sank shrank slid spread swung overcame underwent outran mistook misread "
    "forbade foresaw hung dove stuck sprang came said used showed withstood forgave blew swore beat hurt cost"
).split())

# Action verbs in their base (present) form: a clause with no subject of its own that starts with one
# of these continues the previous subject's chain ("I check the logs, triage and fix"). Past forms are
# recognised by shape (-ed) or IRREGULAR_PAST.
ACTION_BASE = frozenset((
    "add analyse analyze ask assign audit automate benchmark block book bring build call change check clean "
    "coach collect compare cover create cut debug decide define delete deliver deploy design document draft "
    "drive email escalate estimate explain find fix flag follow gather get give hire host identify implement "
    "interview introduce investigate lead make map measure meet mentor merge migrate model monitor move "
    "negotiate offer onboard organise organize own pair patch pick pilot plan present prioritise prioritize "
    "profile propose prototype publish pull push raise rebuild recruit reduce refactor remove replace report "
    "reproduce request research resolve restore review rewrite roll run schedule send set ship show simplify "
    "sketch spend split start stop survey switch take talk teach test trace track train triage try tune "
    "update validate verify walk write"
).split())

# Verbs of state or thought: "I was", "I felt", "I knew" tell the listener nothing about what was done.
STATE = frozenset((
    "am is are was were be been being felt feel thought think believed believe needed need wanted want hoped "
    "hope liked like loved love knew know seemed seem guessed guess supposed suppose assumed assume wondered "
    "wonder used had have has got get learned learnt learn realized realised realize realise mean meant "
    "enjoy enjoyed prefer preferred known expected expect anticipated anticipate imagined imagine"
).split())

MODALS = frozenset("would will could should might can may must shall".split())
HABITUAL = frozenset("always usually typically generally normally often tend tends sometimes constantly".split())
NEGATION = frozenset("not never no n't didn't don't doesn't wasn't weren't couldn't wouldn't won't can't "
                     "cannot haven't hadn't isn't aren't".split())
ADVERBS = frozenset((
    "then also first finally quickly personally immediately eventually just later next again carefully "
    "manually actually basically initially ultimately jointly together all both myself ourselves still "
    "really even only soon instead directly proactively independently quietly gradually mostly partly "
    "once twice"
).split())
AUX_PERFECT = frozenset("have has had 've 'd".split())
BE = frozenset("am is are was were be been 'm 're".split())

# Words that join or open clauses: the reader starts a new clause at each.
CLAUSE_WORDS = frozenset(
    "and but so then which because while until after before when once where who whereas although though or "
    "whom whose if unless".split()
)
# Clause openers that make the clause's subject the thing just mentioned ("..., which cut errors by 40%").
RELATIVE = frozenset("which who that whom whose".split())
# "I found that we opened a connection per request": what follows "that" is what was found, not a step of the story.
REPORTING = frozenset("found saw noticed realized realised learned learnt discovered confirmed showed proved knew "
                      "understood".split())
# Spans of time: "within a few weeks the team ...", "for three months" (a duration, not a result's figure).
TIME_NOUNS = frozenset("minute minutes hour hours day days week weeks month months quarter quarters year years sprint "
                       "sprints morning afternoon evening night weekend".split())
LEAD_SKIP = frozenset("then also first finally eventually later next afterwards after that so thus "
                      "therefore meanwhile together".split())
# Adverbs that may stand before a chain's verb ("and quickly rolled back"), besides any -ly word but these nouns.
LEAD_ADVERBS = frozenset("just again still really even soon instead".split())
LY_NOUNS = frozenset("supply reply family assembly anomaly monopoly rally ally july italy belly jelly bully".split())

SUBJECT_I = frozenset("i i'm i've i'd i'll".split())
SUBJECT_WE = frozenset("we we're we've we'd we'll".split())
SUBJECT_OTHER = frozenset("they he she they're they've they'd he's she's someone somebody everyone "
                          "everybody nobody".split())
SUBJECT_THING = frozenset("it it's this that there these those everything nothing which".split())
DETERMINERS = frozenset("my our the their his her a an this that these those its your one".split())
TEAM_NOUNS = frozenset("team squad group crew org department".split())
PEOPLE_NOUNS = frozenset((
    "manager boss lead director vp cto ceo cfo colleague coworker co-worker engineer engineers developer "
    "developers designer designers pm product owner teammate teammates partner partners vendor client clients "
    "customer customers stakeholder stakeholders leadership management supervisor peer peers analyst analysts "
    "qa ops devops intern interns contractor contractors people members member report reports hr legal "
    "finance sales marketing support staff"
).split())
OUR = frozenset("our my".split())

# Verbs of outcome: a clause built on one of these, with a number or a concrete object, is a result.
OUTCOME_VERBS = frozenset((
    "reduced cut increased improved dropped fell rose grew saved shipped launched delivered eliminated "
    "prevented recovered restored won closed adopted retained promoted hit reached achieved passed resolved "
    "completed finished renewed signed halved doubled tripled lowered raised decreased boosted shrank slashed "
    "climbed jumped went came ended stopped caught freed unblocked converted gained lost avoided"
).split())
CHANGE_VERBS = frozenset((
    "reduced reduce reducing cut cutting increased increase increasing improved improve improving dropped drop "
    "dropping grew grow growing raised raise lowered lower decreased decrease boosted boost shrank shrink slashed "
    "lifted fell rose rise climbed jumped went brought sped saved save saving moved dropping"
).split())
CHANGE_NOUNS = frozenset((
    "reduction increase drop decrease improvement cut growth gain rise fall jump uplift boost decline saving "
    "savings speedup lift"
).split())
COMPARATIVES = frozenset("faster fewer less more lower higher cheaper smaller bigger quicker shorter slower".split())

# Verbs that dilute an action into taking part ("I helped deploy", "I collaborated with the team",
# "I ensured it was resolved"): the rubric's generic claims. An own action on one of these says that
# something happened near you, not what you did, so it counts for less than a concrete step.
DILUTED = frozenset((
    "help helped helping helps assist assisted supported support participated participate contributed "
    "contribute collaborated collaborate ensured ensure facilitated facilitate involved handled handle "
    "worked work partnered partner engaged engage aligned align leveraged leverage coordinated coordinate "
    "drove drive managed manage oversaw"
).split())
