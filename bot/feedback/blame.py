"""Blame aimed at a third party, read clause by clause.

A clause blames when its subject is another party (he, she, they, my manager, the other team, the company,
management ...) and it
  (a) judges that party: "was incompetent", "wasn't very good", "was the worst", "was a micro-manager";
  (b) has that party act against the speaker: "kept undermining me", "never trusted me", "refused to help me",
      "kept changing the requirements";
  (c) pins a failure on it: "it failed because the PM didn't plan", "we slipped because of the QA team",
      "it was the vendor's fault".

Where (b) ends and a neutral account of disagreement begins. Strong conflict answers say what the other side
did and wanted: "my lead pushed back on the design", "the other team had a different priority", "the client
changed the requirements twice", "he didn't agree at first". That is reporting, and it stays unflagged. An act
becomes a grievance when the sentence marks it as one, which English does in three ways:
  - persistence: a disruptive act told as a pattern ("kept changing", "constantly interrupted", "always
    missed"). One change of requirements is a fact; "kept changing" is a complaint.
  - bad faith aimed at the speaker: a verb that only describes hostility, with me/my/us/our as its target
    ("undermined me", "ignored my suggestions", "blamed me for the delay").
  - withheld cooperation made absolute or personal: trust, support, help, replies ... with "never", "refused
    to", "wouldn't", "even" or "at all", or withheld from the speaker ("didn't support me"). One plain
    negation with no target ("he didn't reply for a week, so I walked over") stays neutral.
Verbs of disagreement (push back, disagree, challenge, question, reject, overrule) are never blame on their
own, even repeated: pushing back is what the other side of every conflict story does.

Not blame: the speaker's own mistakes (subject "I" or "we"), problems in systems and code (a subject that is a
thing: "the service kept timing out"), feelings ("the customer was upset", "she felt undermined") and denials
("he wasn't careless"). Everything is a set lookup over a clause's own tokens: linear in the sentence.
"""

from __future__ import annotations

import re

from stardrill.feedback import lexicon as L
from stardrill.feedback.clauses import NEGATED, NONE, OTHER, PAST, THING, Clause, clauses
from stardrill.feedback.phrases import TOKEN, Hits, tolerant_hits
from stardrill.feedback.subjectless import implicit_i
from stardrill.feedback.verbs import BE, NEGATION, PEOPLE_NOUNS, TEAM_NOUNS


def _forms(stems: list[str]) -> frozenset[str]:
    """Every regular inflection of each base verb: 'change' -> changes, changed, changing; 'drop' -> dropped."""
    out = set()
    for s in stems:
        if s.endswith("e"):
            out |= {s, s + "s", s + "d", s[:-1] + "ing"}
        elif s.endswith("y") and s[-2] not in "aeiou":
            out |= {s, s[:-1] + "ies", s[:-1] + "ied", s + "ing"}
        else:  # doubled and single final consonant both kept: "dropped", "cancelled" and "canceled"
            out |= {s, s + "s", s + "es", s + "ed", s + "ing", s + s[-1] + "ed", s + s[-1] + "ing"}
    return frozenset(out)


_DISRUPTIVE = _forms(L.BLAME_DISRUPTIVE) | {"forgot", "forgotten"}
_HOSTILE = _forms(L.BLAME_HOSTILE) | {"undercut", "lied"}
_COOPERATE = _forms(L.BLAME_COOPERATE) | {"gave", "given", "shown", "read"}
_DUTY = _forms(L.BLAME_DUTY) | _COOPERATE | {"did", "done", "sent", "met", "kept"}
_TARGETS = frozenset("me my us our".split())
_PERSONAL = frozenset("me us".split())  # withheld cooperation is personal only when it is withheld from us
_REFUSAL = frozenset("never refused refuses refusing wouldn't won't".split())
_COPULAS = BE | frozenset("wasn't weren't isn't aren't seemed seems became become becomes".split())
_CONTRACTED_BE = frozenset("he's she's they're".split())
_PARTY_WORDS = PEOPLE_NOUNS | TEAM_NOUNS | L.BLAME_PARTY_THINGS | frozenset("him her them".split())
_NOT_OWNERS = frozenset("it's that's what's there's here's let's he's she's who's".split())
_PUNCT_STOP = frozenset(",;:()\"!?")
_FEELING = frozenset("felt feel feels seemed seem looked sounded".split())
# What may stand between a negation and the cooperation it withholds: "never even bothered to reply".
_LINKING = frozenset("even ever really actually once just to bother bothered want wanted properly fully".split())


def _is_negation(t: str) -> bool:
    return t in NEGATION or t.endswith("n't")


def _party(toks: list[str], c: Clause) -> bool:
    """The clause's subject is another party: a person or team, or a company the reader took for a thing."""
    if c.subject == OTHER:
        return toks[c.start] not in L.BLAME_FUNCTIONS or c.inherited  # "sales was bad" is about the numbers
    if c.subject != THING:
        return False
    for t in toks[c.start:c.start + 5]:
        if t in L.BLAME_PARTY_THINGS or t in _PLURAL_PARTIES:  # "because two other teams were late"
            return True
        if t in _COPULAS or _is_negation(t):
            return False
    return False


def _judgement(span: list[str]) -> str:
    """(a) "was incompetent", "wasn't very good", "was one of the worst", "was the problem", "did a sloppy job"."""
    b = next((i for i, t in enumerate(span[:8]) if t in _COPULAS or i == 0 and t in _CONTRACTED_BE), -1)
    if b >= 0:
        denied = _is_negation(span[b])
        j = b + 1
        while j < len(span) and j <= b + 6 and span[j] in L.BLAME_SKIP:
            denied = denied or _is_negation(span[j])
            j += 1
        word = span[j] if j < len(span) else ""
        if word in L.BLAME_TRAITS and not denied:  # "he wasn't careless" defends him
            return f"{span[b]} {word}"
        if denied and word in L.BLAME_DENIED_VIRTUES:
            return f"{span[b]} not {word}"
        if word == "problem" and span[j - 1] == "the" and not denied:
            return f"{span[b]} the problem"
    for i, t in enumerate(span[:-3]):  # "did a sloppy job", "did a terrible job on the migration"
        if t == "did" and span[i + 1] in ("a", "an") and span[i + 2] in L.BLAME_TRAITS and \
                span[i + 3] in ("job", "work"):
            return " ".join(span[i:i + 4])
    return ""


def _against_speaker(span: list[str]) -> str:
    """(b) a disruptive act told as a pattern, bad faith aimed at the speaker, or cooperation withheld."""
    n = len(span)
    for i, t in enumerate(span):
        if t in L.BLAME_PERSISTENT and any(w in _DISRUPTIVE for w in span[i + 1:i + 3]):
            return f"{t} {next(w for w in span[i + 1:i + 3] if w in _DISRUPTIVE)}"
        if t in _HOSTILE and not _TARGETS.isdisjoint(span[i + 1:i + 5]):
            return f"{t} {next(w for w in span[i + 1:i + 5] if w in _TARGETS)}"
        if _is_negation(t) or t in _REFUSAL:
            j = next((k for k in range(i + 1, min(i + 5, n)) if span[k] in _COOPERATE), -1)
            if j < 0 or not _LINKING.issuperset(span[i + 1:j]):  # "so she never had to answer a VP" is relief
                continue
            marked = t in _REFUSAL or "even" in span[i:j] or _at_all(span) or \
                not _PERSONAL.isdisjoint(span[j + 1:j + 3])
            if marked:
                return f"{t} {span[j]}"
    return ""


def _at_all(span: list[str]) -> bool:
    return any(a == "at" and b == "all" for a, b in zip(span, span[1:]))


def _failure_pinned(toks: list[str], c: Clause, span: list[str]) -> str:
    """(c) a "because" clause that puts a failure on the party: a duty not done, or a shortfall after a failure."""
    if not c.because:
        return ""
    for i, t in enumerate(span if c.mood == NEGATED else ()):  # "because they tracked tasks, not outcomes"
        if _is_negation(t) or t in _REFUSAL:
            duty = next((w for w in span[i + 1:i + 5] if w in _DUTY), "")
            if duty:
                return f"because ... {t} {duty}"
    failed = not L.BLAME_FAILURE.isdisjoint(toks[:c.start])
    shortfall = next((t for t in span[:8] if t in L.BLAME_SHORTFALL), "")
    return f"because ... {shortfall}" if failed and shortfall else ""


def _duty_missed(toks: list[str], c: Clause, span: list[str]) -> str:
    """(d) what the party should have done, or the miss itself: "QA should have caught it weeks earlier", "if they
    had reviewed the design earlier we would have been fine", "the QA team also missed it", "sales promised it
    without asking engineering". "He should have been
    told" is someone else's duty, and "I should have caught it" is the speaker's own reflection."""
    if "should" in span[:4] and "have" in span[:5] and "been" not in span[:6] and c.mood != NEGATED:
        return f"should have {c.verb}"
    if c.start and toks[c.start - 1] == "if" and "had" in span[:3] and "would" in toks[c.start:]:
        return f"if ... had {c.verb}"
    for i in range(len(span) - 2 if c.mood == PAST else 0):  # "sales promised it in six weeks without asking us"
        if span[i] == "without" and span[i + 1] in _CONSULTED and not _LEFT_OUT.isdisjoint(span[i + 2:i + 4]):
            return f"without {span[i + 1]} {next(w for w in span[i + 2:i + 4] if w in _LEFT_OUT)}"
    if c.verb in ("missed", "overlooked") and c.mood == PAST:
        at = span.index(c.verb) if c.verb in span else -1
        missed = [t for t in span[at + 1:at + 4] if t not in ("the", "a", "an", "that", "this")] if at >= 0 else []
        if missed and missed[0] in _PROBLEMS:
            return f"{c.verb} {missed[0]}"
    return ""


_CONSULTED = frozenset("asking consulting telling checking involving warning informing".split())
_LEFT_OUT = frozenset("us me engineering anyone my our".split())
_SPEAKER_AGAINST = ("i hate", "i hated", "i can't stand")
_PLURAL_PARTIES = frozenset("teams squads groups departments".split())
_PROBLEMS = L.PROBLEM_WORDS | frozenset("regression regressions defects case".split())


def _deflected(toks: list[str]) -> str:
    """ "... because of the QA team" / "due to the backend team" in a sentence about a failure; "the PM's fault"."""
    n = len(toks)
    failed = None
    for i, t in enumerate(toks):
        if t == "fault" and i and toks[i - 1].endswith("'s") and toks[i - 1] not in _NOT_OWNERS:
            return f"{toks[i - 1]} fault"
        if (t, toks[i + 1] if i + 1 < n else "") not in (("because", "of"), ("due", "to")):
            continue
        party = _named_party(toks[i + 2:i + 6])
        if party:
            failed = (not L.BLAME_FAILURE.isdisjoint(toks)) if failed is None else failed
            if failed:
                return f"{t} {toks[i + 1]} {party}"
    return ""


def _named_party(window: list[str]) -> str:
    for k, w in enumerate(window):
        if w in _PUNCT_STOP:
            return ""
        word = w[:-2] if w.endswith("'s") else w
        if word in _PARTY_WORDS:
            after = window[k + 1] if k + 1 < len(window) else ""
            if word in L.BLAME_FUNCTIONS and after not in TEAM_NOUNS:  # "due to a legal review" is a process
                return ""
            return word
    return ""


def _owner(cl: tuple[Clause, ...], pos: int) -> int:
    """Index of the clause a token position belongs to, or -1 before the first clause."""
    k = -1
    for i, c in enumerate(cl):
        if c.start <= pos:
            k = i
    return k


def _listed(toks: list[str], cl: tuple[Clause, ...], hits: Hits) -> list[tuple[int, str]]:
    """Phrase-list words ("incompetent", "dropped the ball", "took credit for my") aimed at someone else."""
    out = []
    for name in ("people_negative", "blame"):
        for pos, phrase in hits.get(name, ()):
            k = _owner(cl, pos)
            owner = cl[k] if k >= 0 else None
            subject = owner.subject if owner else NONE
            if owner is not None and owner.verb in _FEELING or pos and toks[pos - 1] in _FEELING:
                continue  # "she felt undermined", "it felt disrespectful": a feeling, not a judgement
            if owner is not None and owner.mood == NEGATED and not any(_is_negation(w) for w in phrase.split()):
                continue  # "he wasn't careless" defends him
            if subject == OTHER or (subject in (THING, NONE) and name == "people_negative") or \
                    phrase.startswith(_SPEAKER_AGAINST):  # "I really hate customers": contempt for a party
                out.append((k, phrase))
    return out


# Words in double quotes (curly ones are folded to these): bounded, so a stray quote costs one linear scan.
_QUOTED = re.compile(r'"[^"\n]{1,400}"')


def unquoted_blame(low: str, toks: list[str], cl: tuple[Clause, ...], hits: Hits) -> tuple[str, ...]:
    """blame_hits on the sentence without its quoted words: 'Often the position is "This coworker is impossible to
    work with!"' reports what people say; the speaker's own words are the ones outside the quotes."""
    bare = _QUOTED.sub(" ", low) if '"' in low else low
    if bare == low:
        return blame_hits(toks, cl, hits)
    typed = TOKEN.findall(bare)
    said = implicit_i(typed)
    return blame_hits(said, tuple(clauses(said)), tolerant_hits(bare, typed))


def blame_hits(toks: list[str], cl: tuple[Clause, ...], hits: Hits) -> tuple[str, ...]:
    """Every piece of blame in the sentence, at most one per clause: deflection first, then listed words, then
    the clause readings. Empty when nothing is aimed at anyone else."""
    found: dict[int, str] = {}
    deflection = hits.get("deflection")
    if deflection:
        found[-2] = deflection[0][1]
    else:
        deflected = _deflected(toks) if ("because" in toks or "due" in toks or "fault" in toks) else ""
        if deflected:
            found[-2] = deflected
    for k, phrase in _listed(toks, cl, hits):
        found.setdefault(k, phrase)
    for k, c in enumerate(cl):
        if k in found or not _party(toks, c):
            continue
        span = toks[c.start:cl[k + 1].start if k + 1 < len(cl) else len(toks)]
        words = _judgement(span) or _against_speaker(span) or _failure_pinned(toks, c, span) or \
            _duty_missed(toks, c, span)
        if words:
            found[k] = words
    return tuple(found.values())

