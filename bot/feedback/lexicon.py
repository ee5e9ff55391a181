"""Word lists behind the signals, kept apart from the logic so they can be reviewed and extended.

Sources: /work/shared/guide/rubric-facts.md (fillers, hedges, vague results, generic claims,
non-answers) and the seeds' coaching notes. All entries are lower case; apostrophes are straight.
"""

from __future__ import annotations

# Past-tense verbs that are not "-ed" regular forms; action sentences lean on these.
IRREGULAR_PAST = (
    "built wrote ran led made took set brought sent drew got gave met spoke sat found began chose held kept put "
    "rewrote shipped cut paid sold shut split spun stood swore taught told thought threw understood won went "
    "did fought fed forgot hid hit hung laid lent let lit lost meant overtook oversaw paid quit read redid "
    "rebuilt rode rose saw sought shook showed sped spent stuck struck swept tore undertook upheld withdrew "
    "wound broke became bought caught dug drove flew froze grew knew left"
).split()

# First-person verbs that describe a state of mind, not an action; "I was", "I felt" are not actions.
NON_ACTION = set(
    "was were had felt thought believed needed wanted hoped liked loved learned learnt realized realised knew "
    "seemed guessed supposed assumed wondered used noticed would could should might am have think guess feel "
    "believe got".split()
)

# "kind of" / "sort of" are hedges (they undercut the claim), not fillers: each is counted once, in HEDGES.
FILLERS = ("um", "uh", "er", "erm", "you know", "i mean", "basically", "actually", "literally")
HEDGES = (
    "maybe", "perhaps", "probably", "i think", "i guess", "i believe", "i feel like", "somewhat", "not sure",
    "possibly", "i suppose", "more or less", "pretty much", "sort of", "kind of", "might have",
)

VAGUE_RESULTS = (
    "everyone was happy", "everybody was happy", "the team was happy", "team was happy", "were happy with",
    "was happy with", "went really well", "went well", "went great", "it worked out", "things got better",
    "things improved", "eventually got it done", "got it done", "managed to finish", "somehow", "was a success",
    "was a big success", "huge success", "turned out fine", "turned out well", "turned out great", "so it worked",
    "so it was good", "it was good", "came around in the end", "eventually they agreed", "in the end they agreed",
    "made the system better", "made things better", "improved the system", "positive feedback", "much better",
    "a lot better", "everyone loved", "worked really hard", "it helped a lot", "it was fine",
    "everyone was pleased", "everybody was pleased", "was pleased", "were pleased", "was satisfied",
    "were satisfied", "more reliable", "more stable", "much smoother", "ran smoothly", "went smoothly",
    "a big difference", "made a difference", "it paid off", "was well received", "went over well",
)

# The speaker conceding that the work, or the decision to do it, was someone else's: "it was a team effort",
# "I was mainly following directions", "I should have taken more initiative", "reactive rather than proactive".
CONCESSIONS = (
    "team effort", "mainly following", "just following", "only following", "following directions",
    "following instructions", "following orders", "relying on manager direction", "relying on my manager",
    "waiting for direction", "waiting for instructions", "executing the plan", "the plan set by",
    "assigned to assist", "flagged by others", "more initiative", "i contributed to", "i only contributed",
    "reactive rather than proactive", "somewhat reactive",
)

GENERIC_CLAIMS = (
    "aligned stakeholders", "aligned the stakeholders", "aligned with stakeholders", "drove consensus",
    "drove alignment", "worked closely", "took ownership", "communicated effectively", "collaborated cross-functionally",
    "cross-functional collaboration", "leveraged synergies", "synergy", "moved the needle", "best practices",
    "went above and beyond", "outside the box", "team player", "added value", "wore many hats",
    "facilitated discussions", "managed expectations", "stakeholder alignment", "drove the initiative",
)

NON_ANSWERS = (
    "never had a conflict", "never really had a conflict", "never had any conflict", "don't really make mistakes",
    "don't make mistakes", "never made a mistake", "never failed", "can't think of", "cannot think of",
    "don't have an example", "don't really have an example", "nothing comes to mind", "get along with everyone",
    "never disagree", "never had a disagreement", "no example comes to mind", "haven't had a situation",
    "never been in that situation", "can't recall a time", "cannot recall a time", "can't remember a time",
    "cannot remember a time", "don't recall a time", "don't remember a time", "never had a problem with",
    "never had an issue with", "never had any issues", "never had any problems", "always get along",
    "get along with everybody", "never had to deal with", "never been in a situation",
)

# Hypothetical or habitual framing in place of a real event.
HYPOTHETICALS = (
    "i would", "i'd ", "i always try", "i usually", "i typically", "i tend to", "i generally", "my approach is",
    "i try to", "what i would do", "i will ", "i'll ", "i always make sure", "i normally", "i'd probably",
)

BUSINESS = (
    "revenue", "cost", "costs", "saved", "saving", "savings", "customer", "customers", "churn", "retention",
    "conversion", "sales", "margin", "profit", "dollars", "budget", "hours a week", "hours per week", "on-call",
    "pages", "incidents", "sla", "nps", "csat", "support tickets", "tickets", "users", "renewal", "contract",
    "deadline", "launch", "attrition", "hiring", "headcount", "engagement", "delivery", "throughput", "uptime",
    "latency", "time to", "per week", "a week", "a month", "per month", "a year", "annual",
)

SECOND_ORDER = (
    "adopted", "became the standard", "became standard", "standard", "other teams", "rolled out to", "template",
    "copied", "reused", "org-wide", "company-wide", "across the org", "became part of", "still in use",
    "every new", "other services", "now uses", "now use", "spread to", "picked up by", "replicated",
)

OWN_PIECE = (
    "my role was", "my role", "my part was", "my piece", "my job was", "i owned", "i took ownership",
    "i was responsible for", "i was asked to", "nobody asked", "no one asked", "nobody had asked",
    "no one had asked", "not my team", "outside my team", "wasn't assigned", "was not assigned",
    "on my own initiative", "i volunteered", "i decided to", "i took it on", "my responsibility", "i needed to",
    "my goal", "i set out to", "i was accountable", "i was the one", "i chose to", "i offered to", "i stepped in",
)

# A change carried forward: "I added buffer time estimation to my future projects", "a review step for all future
# releases" ("trying to solve all future scaling problems" carries nothing forward).
FORWARD = tuple(f"{p} {w} future" for p in ("to", "in", "on", "for") for w in ("my", "our", "all", "every"))

# A guard put in so it cannot happen again: "documented the fix and alerted the team to prevent recurrence", "to
# prevent this in the future, I established a routine". The step is the mechanism, so it is both lists' entry.
PREVENTION = tuple(f"{verb} {what}" for verb in ("prevent", "avoid") for what in (
    "recurrence", "a recurrence", "a repeat", "this in the future", "it in the future", "that in the future",
    "this from happening again", "it from happening again", "that from happening again"))

# A practice the speaker kept from then on, told in the present with "still": "I still use that checklist", "we still
# run the drill every quarter". The practice is the mechanism and its lasting is the lesson, as "since then" says.
KEPT_SINCE = tuple(f"{who} still {verb}" for who in ("i", "we") for verb in (
    "use", "run", "keep", "follow", "apply", "check", "review", "send", "write", "hold", "share", "bring"))

MECHANISMS = (
    "checklist", "runbook", "alert", "test", "process", "since then", "now i", "i now", "we now", "template",
    "playbook", "review", "slo", "dashboard", "habit", "every time", "whenever", "i've started", "i started",
    "ever since", "these days", "today i", "i always", "metric", "ritual", "standing", "rule", "guideline",
    "design doc", "pre-mortem", "postmortem", "post-mortem", "checkpoint", "written", "document", "kept using",
    "still use", "canary", "linter", "guardrail", *FORWARD, *PREVENTION, *KEPT_SINCE,
)

LESSON_CUES = (
    "i learned", "i learnt", "i've learned", "lesson", "taught me", "i realized", "i realised", "in retrospect",
    "looking back", "in hindsight", "since then", "next time", "ever since", "if i did it again",
    "what i took away", "takeaway", "i now", "now i", "we now", "realize now", "realise now", "understand now",
    "the real gap", "the real root cause", "the real problem",
    "what i'd do differently", "i would do differently",
    *FORWARD, *PREVENTION, *KEPT_SINCE,
)

GENERIC_LESSON_WORDS = (
    "is important", "are important", "is key", "is crucial", "matters", "the importance", "is essential",
    "is valuable", "really important", "so important", "is everything", "pays off",
    "learned a lot", "learnt a lot", "learned so much", "learnt so much",
)

SELF_WIN = (
    "i was right", "proved them wrong", "proved him wrong", "proved her wrong", "proved everyone wrong",
    "won the argument", "won the debate", "they had to admit", "told you so", "they finally listened", "i was proven right",
    "they realized i was right", "admitted i was right",
)

HANDOFF_VERBS = (
    "told", "let", "informed", "notified", "pinged", "alerted", "messaged", "emailed", "slacked", "reported",
    "raised", "forwarded", "passed", "handed", "escalated", "asked",
)

BLAME_WORDS = (
    "incompetent", "lazy", "useless", "clueless", "didn't care", "did not care", "messed up", "screwed up",
    "dropped the ball", "pushed a bad", "careless", "sloppy", "toxic", "their fault", "his fault", "her fault",
    "not my fault", "wasn't doing their", "weren't doing their", "not doing their", "didn't do their",
    "because of them", "because of the other team", "because of others", "refused to listen",
    "never listened", "couldn't be bothered", "hopeless", "stupid", "idiot", "bad config", "broke everything",
)

JARGON = (
    "kubernetes", "k8s", "microservice", "microservices", "kafka", "grpc", "api", "apis", "sharding", "idempotent",
    "terraform", "lambda", "serverless", "orm", "cdn", "redis", "graphql", "mutex", "refactor", "refactored",
    "pipeline", "ci/cd", "monolith", "eventual consistency", "cache", "caching", "schema", "docker", "vpc", "sdk",
)

NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty "
    "sixty seventy eighty ninety hundred thousand million billion half dozen dozens hundreds thousands millions"
).split()

# Self-promotion and arrogance: the speaker as the hero, being right, or a flaw that is really a boast.
ARROGANCE = (
    "i was right", "proved them wrong", "proved him wrong", "proved her wrong", "proved everyone wrong",
    "won the argument", "they had to admit", "told you so", "i was proven right", "they realized i was right",
    "admitted i was right", "single-handedly", "single handedly", "all by myself", "i'm the best", "i am the best",
    "the best on the team", "the best in the", "the only one who could", "the only person who could",
    "the only one who knew", "the only person who knew", "nobody else could", "no one else could", "i carried", "i saved the day", "i'm a perfectionist", "i am a perfectionist",
    "i work too hard", "i care too much", "i'm always right", "i am always right", "i knew better",
    "i'm smarter", "smarter than", "i never make mistakes", "i don't make mistakes", "my only weakness",
    "i'm a natural", "i am a natural", "i'm just better", "everyone looks up to me", "i'm a rockstar",
    "i'm a genius", "of course i was", "as usual i", "i always deliver", "i'm known as the",
    "i did everything myself", "i had to do everything myself", "carried the team",
    "carried the whole team", "smartest person in the room", "the smartest one", "better than everyone",
    "better than anyone else", "i'm better than", "i am better than", "everyone else was wrong",
    "nobody else on the team could", "no one else on the team could", "couldn't have done it without me",
    "would have failed without me", "i have no weaknesses", "i don't have any weaknesses",
    "i don't really have weaknesses", "i don't have weaknesses", "i'm never wrong", "i am never wrong",
    # standards and indispensability as the confessed flaw
    "higher than most", "than most people's", "come to me for everything",
    "came to me for everything", "the strongest engineer", "the only intern who", "can't leave a problem alone",
    "cannot leave a problem alone", "hold myself to very high standards", "hold myself to high standards",
    "the bar too high", "standards are just higher", "standards were just higher", "quality bar is higher",
)

# A story told as self-description: traits and habits instead of one event.
SELF_DESCRIPTION = (
    "i'm a", "i am a", "i'm very", "i am very", "i'm really", "i am really", "i'm someone who", "i am someone who",
    "kind of person", "type of person", "sort of person", "i consider myself", "i pride myself", "i'm known for",
    "i am known for", "my strength", "my strengths", "i believe in", "i'm passionate", "i am passionate",
    "i'm good at", "i am good at", "i'm great at", "i am great at", "i love", "i enjoy", "i thrive", "as a person",
    "i'm naturally", "i am naturally", "i'm detail-oriented", "i'm a team player", "in general i", "i generally",
)

# Deflection that aims the problem at someone else.
DEFLECTION = (
    "their fault", "his fault", "her fault", "not my fault", "wasn't my fault", "was not my fault",
    "because of them", "because of the other team", "because of others", "because of my manager",
    "because of my boss", "because of my coworker", "because of my colleague", "blame them",
    "the problem was them", "the real problem was them",
)

# Negative words that only make sense about people: aimed at a third party they are blame.
PEOPLE_NEGATIVE = (
    "i hate customers", "i hate my", "i hated my", "i can't stand my", "makes all the mistakes",
    "incompetent", "lazy", "useless", "clueless", "careless", "sloppy", "toxic", "rude", "hopeless", "stupid",
    "idiot", "idiots", "unprofessional", "unreasonable", "arrogant", "difficult to work with", "hated",
    "didn't care", "did not care", "couldn't be bothered", "refused to listen", "never listened",
    "wouldn't listen", "would not listen", "dropped the ball", "messed up", "screwed up", "not doing their",
    "wasn't doing their", "weren't doing their", "didn't do their", "pushed a bad", "broke everything",
    "whined", "slacked", "slacking", "made it impossible",
    # Bad-mouthing a boss, a colleague or a former employer: the rubric's "never speak badly of people you
    # worked with", in the words guides warn about (about a person, never about a system).
    "micromanager", "micromanaged me", "micromanaging", "a jerk", "a bully", "bullied", "jealous", "petty",
    "backstabbing", "backstabber", "condescending", "disrespectful", "obnoxious", "selfish", "dishonest",
    "a liar", "lied to me", "took credit for my", "threw me under the bus", "out to get me", "had it in for me",
    "power-hungry", "yelled at", "screamed at", "talked down to", "impossible to work with",
    "a nightmare to work with", "worst boss", "worst manager", "terrible boss", "terrible manager", "awful boss",
    "awful manager", "horrible boss", "horrible manager", "bad boss", "bad manager", "terrible management",
    "poor management", "management was terrible", "management was awful",
    "worst job", "worst company", "couldn't stand", "could not stand",
    # Others not doing their part, and judgements that only fit a person ("he was out of his depth"); words
    # that also fit a thing ("the old tests did a poor job") are read with their subject in blame.py.
    "not pulling their weight", "weren't pulling their weight", "wasn't pulling his weight",
    "wasn't pulling her weight", "didn't pull their weight", "didn't pull his weight", "didn't pull her weight",
    "never pulled their weight", "never pulled his weight", "never pulled her weight", "did the bare minimum", "didn't know what he was doing", "didn't know what she was doing",
    "didn't know what they were doing", "out of touch", "out of his depth", "out of her depth",
    "out of their depth", "in over his head", "in over her head", "in over their heads", "passive-aggressive",
    "passive aggressive", "micro-manager", "micro-managed me", "micro-managing", "micromanaged",
    "couldn't care less", "could not care less", "threw us under the bus", "moving the goalposts",
    "moved the goalposts", "move the goalposts", "shifting the goalposts", "shifted the goalposts",
)

# What went wrong, as a sentence names it after a verb: what another party fixed (a hand-off, reading.py) or missed
# (blame.py); each adds its own words to these.
PROBLEM_WORDS = frozenset("it issue issues problem problems bug bugs defect error errors".split())

# Third-party blame read clause by clause (blame.py): words, not phrases, each read with the clause's subject.
# Judgements of a party after "was"/"were" ("was incompetent", "was a nightmare", "was the worst").
BLAME_TRAITS = frozenset((
    "incompetent lazy useless clueless careless sloppy toxic rude arrogant hostile unprofessional unreasonable "
    "unhelpful uncooperative unreliable unqualified incapable inept ignorant stupid dumb hopeless selfish "
    "dishonest petty jealous condescending disrespectful obnoxious terrible awful horrible lousy bad worst "
    "negligent irresponsible disorganized disorganised micromanager nightmare jerk bully joke liar idiot moron "
    "disaster bottleneck notorious"
).split())
# Praise that, denied, is a judgement: "wasn't very good", "not competent", "not a good manager".
BLAME_DENIED_VIRTUES = frozenset((
    "good great competent capable helpful supportive reliable professional qualified responsive cooperative "
    "smart organised organized skilled willing experienced"
).split())
# Words that may sit between "was" and the judgement: "wasn't very good", "was one of the worst", "a bit lazy".
BLAME_SKIP = frozenset((
    "not never very really so pretty quite just totally completely extremely incredibly absolutely utterly "
    "super too rather fairly honestly frankly always often constantly a an the bit little kind sort of such "
    "particularly that especially overly one"
).split())
# Markers that tell a disruptive act as a pattern ("kept changing", "constantly interrupted").
BLAME_PERSISTENT = frozenset("kept keeps keep constantly continually repeatedly always forever".split())
# Base verbs (inflected in blame.py) that, told as a pattern, turn on the speaker's work: "kept changing the
# requirements", "constantly interrupted". A colleague's own shortfalls told as a pattern ("kept missing
# deadlines", "kept overriding designs") are left out: they are the situation of every underperformer story.
BLAME_DISRUPTIVE = ("change shift undermine ignore interrupt blame cancel dismiss criticize criticise contradict "
                    "stonewall nitpick undercut sabotage belittle badmouth withhold hoard micromanage").split()
# Base verbs of bad faith: aimed at the speaker ("undermined me", "ignored my suggestions") once is enough.
BLAME_HOSTILE = ("undermine ignore blame sabotage exclude belittle humiliate bully insult disrespect stonewall "
                 "badmouth undercut interrupt sideline scapegoat micromanage patronize patronise yell scream betray "
                 "mock").split()
# Base verbs of cooperation: withheld with "never", "refused to", "wouldn't", "even", "at all" or from the
# speaker ("didn't support me") they are a grievance.
BLAME_COOPERATE = ("trust support help listen respond reply answer share cooperate communicate back include "
                   "invite acknowledge appreciate care bother respect value credit return review read follow "
                   "show give").split()
# Base verbs of a party's duty: "it failed because the PM didn't plan / they never tested".
BLAME_DUTY = ("plan test check document prepare finish complete deliver ship send update warn tell inform do train "
              "fix turn meet keep").split()
# A failure in the sentence, for "because of the QA team" and "because the designers were too slow".
BLAME_FAILURE = frozenset((
    "failed fail fails failing missed miss slipped slip late delayed broke broken crashed lost collapsed stalled "
    "derailed behind wrong outage outages blew"
).split())
# Shortfalls that blame only when they explain a failure: "we missed the date because they were late".
BLAME_SHORTFALL = frozenset("slow late behind unprepared unresponsive absent disorganized disorganised".split())
# Parties the clause reader takes for things: "the company didn't care", "the firm was a joke".
BLAME_PARTY_THINGS = frozenset("company employer firm organisation organization business agency corporate "
                               "headquarters hq".split())
# Teams named by their function read as an activity as often as a party ("sales was bad", "a legal review").
BLAME_FUNCTIONS = frozenset("sales support finance marketing legal hr ops qa".split())

# Anchors of one real event in time or place.
TIME_ANCHORS = (
    "last year", "last quarter", "last month", "at my last", "at my previous", "at my old", "in my last",
    "in my previous", "back in", "one time", "once,", "years ago", "months ago", "at the time", "when i was",
    "during my", "in my first", "in my second", "early in my", "a few years", "last summer", "that quarter",
    "that week", "that year", "the week before", "two weeks before", "on one project", "in one project",
)

# Intensifiers that stand in for a figure ("improved trust significantly").
VAGUE_WORDS = (
    "significantly", "greatly", "dramatically", "hugely", "tremendously", "massively", "vastly",
    "considerably", "substantially", "a lot", "lots", "really well", "very well", "smoothly", "successfully",
    "much better", "a lot better", "way better", "better decisions", "more efficient", "more efficiently",
    "positive impact", "big impact", "huge impact", "great results", "good results", "happier",
)

# STAR labeller cues (timing and advice only).
SITUATION_CUES = (
    "when i was", "at the time", "at my previous", "at my last", "at my old", "back in", "years ago", "we had",
    "there was", "there were", "our team", "our service", "our system", "our company", "our product", "our org",
    "the company", "working as", "as an sde", "as a sde", "as an engineer", "as a engineer", "as a manager",
    "as a lead", "as a tech lead", "as a new", "as an new", "i was on", "i was working", "i was part",
    "i was leading", "i was managing", "i was running", "for context", "background", "had been", "we were",
    "was running", "were seeing", "was seeing", "belonged to", "owned by", "i joined", "had grown", "was growing",
)
# Words that make an opening sentence say where a story happened or what was wrong, even when it goes on to an
# action ("In my previous role as a coordinator, I worked with ...", "I noticed during a code review that no ticket
# existed ..."). Only the no-context flag reads them: as Situation cues they would relabel every "During a review,
# I found ..." as setup.
SCENE_WORDS = ("in my previous", "in my last", "in my former", "in my first", "in my current", "in a previous",
               "during a", "during my", "during our", "during the", "while working", "at my previous", "at my last",
               "at my first", "at a previous", "when i was", "back when", "last year", "a few years ago", "noticed",
               "i realized", "i realised", "i found out", "i discovered that")
# A role told first is context too: "As an SDE2 on the subscriptions team, I owned ...", "I managed three teams
# that owned ...", "I was a backend engineer at ...".
ROLE_OPENERS = ("as an ", "as a ", "as the ", "i am a", "i'm a", "i am the", "i was a", "i was an", "i was the",
                "i managed", "i owned", "i led", "i ran", "after a reorg")
TASK_CUES = (
    "my role", "my job", "my task", "my goal", "the goal", "goal was", "i needed to", "i had to", "we needed to",
    "i was asked", "asked me to", "i was responsible", "responsible for", "i decided to", "i owned", "nobody asked",
    "no one asked", "nobody had asked", "not my team", "outside my team", "the challenge", "challenge was",
    "the task", "objective", "i wanted to", "my responsibility", "the problem was", "needed to", "had to",
    "i set out to", "i took it on", "my part was",
)
OUTCOME_CUES = (
    "as a result", "result", "outcome", "in the end", "by the end", "ended up", "which meant", "led to", "reduced",
    "increased", "improved", "dropped", "went from", "went down", "went up", "saved", "within a week",
    "within one week", "within two weeks", "within a month", "within a day", "within three weeks",
    "within six weeks", "within six months", "adopted", "launched", "delivered", "finance estimated", "came to",
    "afterwards", "after the change", "happy", "success", "worked", "better",
)
