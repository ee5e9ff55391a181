"""Damage families: rewrites that make a strong answer worse in one known way, two wordings each.

Wording "a" of every family is used to fit the weights (bench/train_feedback.py); wording "b" is kept
out of training, so the property tests can check that damage the scorer never saw still costs points.
None of these wordings comes from the engine's word lists' tests or from bench/data/realworld.jsonl.

Each function takes a `feedback_texts.Text` and returns the damaged answer, or None when the family does
not apply (an answer with no "I" cannot lose it). When the source gives STAR parts they are used; for
other answers the result, reflection and action sentences are found with this module's own cues (not
the engine's labeller, so a labelling mistake cannot hide a damage).
"""

from __future__ import annotations

import re

from feedback_texts import PARTS, Text

FAMILIES = ("we", "vague-numbers", "hedges", "vague-result", "no-result", "generic-reflection", "setup-padding",
            "blame", "would")
WORDINGS = ("a", "b")

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9$\"'])")
_RESULT_CUE = re.compile(r"\d|\b(?:result|as a result|in the end|ended up|outcome|within|dropped|fell|rose|grew|"
                         r"saved|reduced|increased|improved|cut|launched|shipped|adopted|promoted)\b", re.I)
_LESSON_CUE = re.compile(r"\b(?:learn|learnt|lesson|taught me|since then|now I|looking back|in hindsight|"
                         r"next time|I realised|I realized|takeaway)\w*", re.I)
_I_VERB = re.compile(r"\bI\s+(?:also\s+|then\s+|quickly\s+|personally\s+|first\s+)?([a-z]+ed|" +
                     "built|wrote|ran|led|made|took|set|brought|sent|found|gave|met|spent|kept|held|chose|drove|"
                     "cut|won|grew|began|rebuilt|rewrote|sat|spoke|taught|told|put|got|did|went|saw|paid|sold"
                     r")\b")
_IRREGULAR_BASE = {"built": "build", "wrote": "write", "ran": "run", "led": "lead", "made": "make", "took": "take",
                   "set": "set", "brought": "bring", "sent": "send", "found": "find", "gave": "give", "met": "meet",
                   "spent": "spend", "kept": "keep", "held": "hold", "chose": "choose", "drove": "drive", "cut": "cut",
                   "won": "win", "grew": "grow", "began": "begin", "rebuilt": "rebuild", "rewrote": "rewrite",
                   "sat": "sit", "spoke": "speak", "taught": "teach", "told": "tell", "put": "put", "got": "get",
                   "did": "do", "went": "go", "saw": "see", "paid": "pay", "sold": "sell"}
_NUMBER = re.compile(r"[$\u00a3\u20ac]?\d[\d,]*(?:\.\d+)?\s?(?:%|percent|[kKmM]\b|x\b|ms\b)?|\b(?:two|three|four|five|"
                     r"six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|"
                     r"thousand|million|half|a dozen|dozens|hundreds|thousands)\b", re.I)

VAGUE_QTY = {"a": ("several", "many", "a lot of"), "b": ("some", "a number of", "plenty of")}
HEDGE = {"a": ("I think ", "Maybe ", "I guess "), "b": ("Probably ", "Sort of, ", "I believe ")}
VAGUE_END = {
    "a": ("In the end it went really well and everyone was happy with how it turned out.",
          "I learned that communication is really important."),
    "b": ("Things got a lot better after that and the team was pleased with the outcome.",
          "The main lesson for me was that teamwork is key."),
}
ACTIVITY = {
    "a": "After that we kept working through the remaining items and checked in with everyone regularly.",
    "b": "We continued meeting every week to go over whatever had come up since the last meeting.",
}
GENERIC_LESSON = {
    "a": "Looking back, I learned that communication is important and that it pays to stay positive.",
    "b": "It taught me that collaboration is key and that teamwork matters.",
}
PADDING = {
    "a": ("For some background, the system had grown over several years and a lot of different people had worked "
          "on it.", "The organisation had been through a couple of reorganisations, so ownership had shifted around.",
          "At the time there were several other projects going on and everyone was fairly busy."),
    "b": ("To give more context, the company had been growing fast and its processes had not kept up.",
          "There was some history here, because a similar issue had come up before and opinions differed.",
          "Several groups were involved, including product, operations and partner teams in other offices."),
}
BLAME = {
    "a": "Honestly, the other team was careless and it was their fault that this happened in the first place.",
    "b": "My manager kept ignoring the problem, and the people on the platform side were lazy about fixing it.",
}


def sentences(text: str) -> list[str]:
    return [s for s in _SENT.split(text.strip()) if s]


def _roles(t: Text) -> dict[str, list[str]]:
    """Sentences per role: the source's parts, else cue-based (results near the end, lessons anywhere)."""
    if t.parts:
        return {p: sentences(t.parts.get(p, "")) for p in PARTS}
    sents = sentences(t.text)
    n = len(sents)
    refl = [s for s in sents if _LESSON_CUE.search(s)]
    result = [s for i, s in enumerate(sents) if s not in refl and i >= n * 0.5 and _RESULT_CUE.search(s)]
    action = [s for s in sents if s not in refl and s not in result and _I_VERB.search(s)]
    situation = [s for s in sents if s not in refl + result + action]
    return {"situation": situation, "task": [], "action": action, "result": result, "reflection": refl}


def _join(roles: dict[str, list[str]]) -> str:
    return " ".join(s for p in PARTS for s in roles.get(p, []))


def _ordered(t: Text, roles: dict[str, list[str]]) -> list[str]:
    """The answer's sentences in their own order (parts known: part order)."""
    return [s for p in PARTS for s in roles[p]] if t.parts else sentences(t.text)


def we(t: Text, w: str) -> str | None:
    if not re.search(r"\b(?:I|my|me)\b", t.text):
        return None
    if w == "a":
        swap = {"I": "we", "me": "us", "my": "our", "My": "Our", "myself": "ourselves", "I'm": "we're", "I've": "we've",
                "I'd": "we'd", "I'll": "we'll"}
        out = re.sub(r"\b(?:I'm|I've|I'd|I'll|I|me|my|My|myself)\b", lambda m: swap[m.group(0)], t.text)
    else:
        swap = {"I": "the team", "me": "the team", "my": "the team's", "My": "The team's", "myself": "the team"}
        out = re.sub(r"\b(?:I|me|my|My|myself)\b", lambda m: swap[m.group(0)], t.text)
    return re.sub(r"(^|[.!?]\s+)(we|the)\b", lambda m: m.group(1) + m.group(2).capitalize(), out)


_STARTS_SENTENCE = re.compile(r"(?:^|[.!?][\"')]*\s+)[\"'(]?\Z")


def vague_numbers(t: Text, w: str) -> str | None:
    words = VAGUE_QTY[w]
    count = [0]

    def swap(m: re.Match) -> str:
        count[0] += 1
        word = words[count[0] % len(words)]
        # A sentence that opened on the number opens on the vague word, capitalised as a speaker would write it
        # ("12 months later" -> "Several months later", not "several months later").
        if _STARTS_SENTENCE.search(m.string, 0, m.start()):
            word = word[:1].upper() + word[1:]
        if word.endswith(" of") and re.match(r"\s*of\b", m.string[m.end():m.end() + 5]):
            word = word[:-3]  # "40% of costs" -> "plenty of costs", not "plenty of of costs"
        found = m.group(0)
        return word + found[len(found.rstrip()):]  # the space the number pattern took stays ("12 people" -> "some people")
    out = _NUMBER.sub(swap, t.text)
    return out if count[0] else None


def hedges(t: Text, w: str) -> str:
    out = []
    for i, s in enumerate(sentences(t.text)):
        if i % 2 == 0:
            prefix = HEDGE[w][(i // 2) % 3]
            s = prefix + (s if s.startswith("I ") or s.startswith("I'") else s[:1].lower() + s[1:])
        out.append(s)
    return " ".join(out)


def vague_result(t: Text, w: str) -> str | None:
    roles = _roles(t)
    if not roles["result"] and not roles["reflection"]:
        return None
    keep = [s for s in _ordered(t, roles) if s not in roles["result"] and s not in roles["reflection"]]
    return " ".join(keep + list(VAGUE_END[w]))


def no_result(t: Text, w: str) -> str | None:
    roles = _roles(t)
    if not roles["result"]:
        return None
    keep = [s for s in _ordered(t, roles) if s not in roles["result"]]
    return " ".join(keep + ([ACTIVITY[w]] if w == "b" else []))


def generic_reflection(t: Text, w: str) -> str:
    roles = _roles(t)
    keep = [s for s in _ordered(t, roles) if s not in roles["reflection"]]
    return " ".join(keep + [GENERIC_LESSON[w]])


def setup_padding(t: Text, w: str) -> str | None:
    roles = _roles(t)
    if not roles["action"]:
        return None
    pad = list(PADDING[w])
    out, used = [], False
    for s in _ordered(t, roles):
        if s in roles["action"]:
            if not used:
                out.extend(pad)
                used = True
            continue
        out.append(s)
    return " ".join(out)


def blame(t: Text, w: str) -> str:
    sents = sentences(t.text)
    return " ".join(sents[:1] + [BLAME[w]] + sents[1:])


def _base(verb: str) -> str:
    if verb in _IRREGULAR_BASE:
        return _IRREGULAR_BASE[verb]
    if verb.endswith("ied"):
        return verb[:-3] + "y"
    stem = verb[:-2]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "ls":
        return stem[:-1]
    if stem.endswith(("c", "v", "z", "at", "it", "ut", "iz", "ag", "ar", "ur", "id", "ag", "ud", "os", "ang", "rg")):
        return stem + "e"
    return stem


def would(t: Text, w: str) -> str | None:
    if not _I_VERB.search(t.text):
        return None
    mood = "would" if w == "a" else "usually"
    return _I_VERB.sub(lambda m: f"I {mood} {_base(m.group(1))}", t.text)


DAMAGE = {"we": we, "vague-numbers": vague_numbers, "hedges": hedges, "vague-result": vague_result,
          "no-result": no_result, "generic-reflection": generic_reflection, "setup-padding": setup_padding,
          "blame": blame, "would": would}


def damaged(t: Text, family: str, wording: str) -> str | None:
    out = DAMAGE[family](t, wording)
    return out if out and out.strip() != t.text.strip() else None
