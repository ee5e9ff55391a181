"""Question-specific criteria (signal matching with light stemming) and the general rubric.

A criterion is met when its signals show up with some weight (two distinct signals in one
sentence, or one there plus others elsewhere), partly met on a single signal, missing otherwise.
Evidence is always the user's own sentence, verbatim, trimmed to 300 characters.
"""

from __future__ import annotations

import re
from functools import lru_cache

from stardrill.content_models import Criterion, Question
from stardrill.feedback.analysis import Analysis
from stardrill.feedback.kinds import CONFLICTS, kind, kind_of, reconcile
from stardrill.feedback.model import CriterionResult
from stardrill.feedback.structure import RESULT
from stardrill.feedback.text import Sentence, stem_tokens, tokens, trim
from stardrill.feedback.verbs import STATE

Prepared = tuple[str, str, tuple[str, ...]]  # (signal, raw token form, stemmed tokens)
# A figure or a named step of the speaker's; "I learned", "I noticed" and "I wanted" name none.
_DETAIL = re.compile(r"\d|\bI (?!learned|realised|realized|noticed|wanted|needed)(?:[a-z]+ed|built|wrote|ran|led|made|"
                     r"took|set|brought|sent|found|proved|cut|spent|dug)\b")


def _prepare(criteria: list[Criterion]) -> dict[str, list[Prepared]]:
    """Token and stemmed forms of every signal of every criterion, stemmed in one pass per call.

    Multi-word signals also match with up to two words in between ('brought a fix' matches
    'brought a tested fix', 'nobody asked' matches 'nobody had asked'): speakers rarely use the
    author's exact phrase.
    """
    signals = [(c.id, sig.lower()) for c in criteria for sig in c.signals if not _broad(sig.lower())]
    stemmed = stem_tokens("\n".join(_uncontract(tokens(sig)) for _, sig in signals)).split("\n")
    out: dict[str, list[Prepared]] = {c.id: [] for c in criteria}
    for (cid, sig), st in zip(signals, stemmed):
        out[cid].append((sig, _uncontract(tokens(sig)), tuple(st.split())))
    return out


_NEGATED = re.compile(r"(?<= )([a-z]+)n't(?= )")
_NEGATED_BASE = {"wo": "will", "ca": "can", "sha": "shall"}


def _uncontract(line: str) -> str:
    """ "wasn't part of my sprint" -> "was not part of my sprint", on signals and answers alike: a signal written
    "not part of my" then matches a speaker who says "wasn't part of my", and "couldn't tell them" still matches
    itself. `line` is padded token text."""
    if "n't " not in line:
        return line
    return _NEGATED.sub(lambda m: _NEGATED_BASE.get(m.group(1), m.group(1)) + " not", line)


_PUNCT = frozenset(",;:()\"!?-=\u2192")
_QUANTIFIER = re.compile(r" (a|any|large|small|huge|big|growing|certain|great) number of ")
_BROAD = frozenset("from to with the and per by of in on at for a an it is was".split())


def _broad(signal: str) -> bool:
    """Signals that match nearly any story ("%", "$", "from", "to") prove nothing about the criterion."""
    letters = re.sub(r"[^a-z]", "", signal)
    return len(letters) <= 2 or signal.strip() in _BROAD


@lru_cache(maxsize=16384)
def _gapped(stemmed: tuple[str, ...]) -> re.Pattern:
    """Compiled once per signal: the bank has more multi-word signals than `re`'s own 512-entry cache holds."""
    return re.compile(" " + r"(?:\S+ ){0,2}".join(re.escape(t) + " " for t in stemmed))


def _positions(haystack: str, needle: str) -> list[int]:
    out, i = [], haystack.find(needle)
    while i >= 0:
        out.append(i)
        i = haystack.find(needle, i + 1)
    return out


class Forms:
    """The answer's sentences indexed once: token -> sentences holding it, raw and stemmed.

    A one-word signal is a dict lookup; a longer one intersects its tokens' sentences first and runs its
    gapped pattern only on those sentences' short lines. This is the engine's hottest loop.
    """

    def __init__(self, sentences: list[Sentence], needed: frozenset[str] | None = None,
                 words: list[tuple[str, ...]] | None = None):
        self.sentences = sentences
        self.low = [s.low for s in sentences]
        # `words`: the readings' tokens, when the caller has them (one tokenization per answer, not two).
        raw = ([" " + " ".join([t for t in ws if t[0] not in _PUNCT]) + " " for ws in words] if words is not None
               else [tokens(low) for low in self.low])
        raw = [_uncontract(line) for line in raw]
        # "a number of teams" says "several", not a figure: it never matches a signal about the number.
        self.raw = [_QUANTIFIER.sub(" several ", line) if " number of " in line else line for line in raw]
        # One stemming pass over all sentences: token strings never hold a newline, and each line
        # is padded with spaces, so stemming the joined text equals stemming line by line.
        self.stemmed = stem_tokens("\n".join(self.raw)).split("\n") if sentences else []
        self.index: dict[str, set[int]] = {}
        for i, (raw, stem) in enumerate(zip(self.raw, self.stemmed)):
            words = set(raw.split()) | set(stem.split())
            for t in (words & needed if needed is not None else words):
                self.index.setdefault(t, set()).add(i)

    def sentences_with(self, prepared: tuple[str, str, str]) -> set[int]:
        """Indices of sentences containing the signal (words raw or stemmed, multi-word ones with up to two
        words in between, two-word ones also in either order)."""
        signal, raw, stemmed = prepared
        if not stemmed:
            return set()
        if len(stemmed) == 1:
            return self.index.get(stemmed[0], set()) | self.index.get(raw.strip(), set())
        held = []
        for t in stemmed:  # most signals stop at their first word, which the answer never says
            where = self.index.get(t)
            if not where:
                return set()
            held.append(where)
        found = set.intersection(*held)
        if not found or (len(stemmed) == 2 and min(map(len, stemmed)) >= 3):  # "revenue delay" ~ "delayed revenue"
            return found
        pattern = _gapped(stemmed)
        return {i for i in found if pattern.search(self.stemmed[i])}


def _offsets(lines: list[str]) -> list[int]:
    out, pos = [], 0
    for line in lines:
        out.append(pos)
        pos += len(line) + 1
    return out


def _sentence_hits(prepared_signals: list[Prepared], forms: Forms) -> list[tuple[Sentence, list[str]]]:
    found: dict[int, list[str]] = {}
    for prepared in prepared_signals:
        for i in sorted(forms.sentences_with(prepared)):
            found.setdefault(i, []).append(prepared[0])
    return [(forms.sentences[i], found[i]) for i in sorted(found)]


def match(criterion: Criterion, sentences: list[Sentence], forms: Forms | None = None,
          prepared: list[Prepared] | None = None, fits: set[int] = frozenset()) -> CriterionResult:
    """Status and verbatim evidence for one question criterion. `fits`: indices of sentences that carry
    what this kind of criterion is about (an outcome for an impact criterion, a lesson for a reflection
    one); among sentences with as many signals, evidence comes from one of those."""
    prepared = prepared if prepared is not None else _prepare([criterion])[criterion.id]
    hits = _sentence_hits(prepared, forms if forms is not None else Forms(sentences))
    if not hits:
        return CriterionResult(criterion.id, criterion.label, "missing", None,
                               f"Not in your answer: {criterion.good}")
    # The sentence with the most distinct signals; among equals, the one with a number or a named step
    # ("proved the cause with 40 sample invoices" beats the complaint that names the same cause).
    best, found = max(hits, key=lambda h: (len(set(h[1])), h[0].index in fits, bool(_DETAIL.search(h[0].text)),
                                           -h[0].index))
    elsewhere = {sig for _, f in hits for sig in f} - set(found)
    # Signals are alternative wordings of one idea: two of them, or one in a sentence that carries a
    # number or a named step of the speaker's, with another elsewhere, show it.
    strength = len(set(found)) + 0.5 * len(elsewhere) + 0.5 * bool(_DETAIL.search(best.text))
    evidence = trim(best.text)
    if strength >= 2:
        return CriterionResult(criterion.id, criterion.label, "met", evidence, "")
    return CriterionResult(criterion.id, criterion.label, "partly", evidence,
                           f"Only a hint of it (\u201c{found[0]}\u201d). What would make it land: {criterion.good}")


_PREPARED: dict[int, tuple[list[Criterion], dict[str, list[Prepared]]]] = {}


def _prepared_for(criteria: list[Criterion]) -> dict[str, list[Prepared]]:
    """`_prepare` once per criteria list (a bank's questions are loaded once and never change).

    Keyed by identity, holding the list itself so the id cannot be reused while the entry lives.
    """
    entry = _PREPARED.get(id(criteria))
    if entry is None or entry[0] is not criteria:
        if len(_PREPARED) > 4096:  # team packs reloaded many times in one process: start over
            _PREPARED.clear()
        entry = _PREPARED[id(criteria)] = (criteria, _prepare(criteria))
    return entry[1]


def warm(questions) -> int:
    """Prepare every question's signals and compile their gapped patterns now, so no answer after this pays for
    it (the speed bench's warm-up); returns how many patterns there are."""
    patterns = {st for q in questions for signals in _prepared_for(q.criteria).values() for _, _, st in signals
                if len(st) > 1}
    for stemmed in patterns:
        _gapped(stemmed)
    return len(patterns)


_NEEDED: dict[int, tuple[dict, frozenset[str]]] = {}


def _needed(prepared: dict[str, list[Prepared]]) -> frozenset[str]:
    """Every token the question's signals can match on (so the answer's index holds only those)."""
    entry = _NEEDED.get(id(prepared))
    if entry is None or entry[0] is not prepared:
        words = {t for signals in prepared.values() for _, raw, stemmed in signals for t in (*stemmed, raw.strip())}
        entry = _NEEDED[id(prepared)] = (prepared, frozenset(words))
    return entry[1]


def question_criteria(question: Question, a: Analysis) -> tuple[CriterionResult, ...]:
    sentences = [x.sentence for x in a.labelled]
    prepared = _prepared_for(question.criteria)
    forms = Forms(sentences, _needed(prepared), [r.tokens for r in a.readings])
    fits = {
        "impact": {i for i, r in enumerate(a.readings) if r.deltas or r.outcome},
        "ownership": {i for i, r in enumerate(a.readings) if r.i_verbs},
        "reflection": {i for i, r in enumerate(a.readings) if r.first("lesson")},
        "evidence": {i for i, _ in _sizings(a)},
    }
    return tuple(match(c, sentences, forms, prepared[c.id], fits.get(kind(f"{c.id} {c.label}"), set()))
                 for c in question.criteria)


OWN_WORDS = "Shown in your own words"  # the note of a criterion met by its kind, not by its signals


def in_own_words(criteria: list[Criterion], results: tuple[CriterionResult, ...], a: Analysis
                 ) -> tuple[CriterionResult, ...]:
    """A criterion of a known kind that none of its signals found is "partly" met where the answer shows that kind in
    its own words: a measured change for an impact criterion, a lesson with the change that makes it stick for a
    reflection one, that change (a check, an alert, a habit) for one about preventing a repeat, concrete steps of the
    speaker's own for an ownership one. The signals are the bank author's words ("tickets fell"); a speaker says
    "error rates fell 30%". The caller applies it only to an answer that is about this question (an unrelated
    story's result is not this question's effect). `results` are in the order of `criteria`."""
    shown = {
        "impact": _measured_change(a),
        "evidence": _first([(a.sentences[i], "") for i, _ in _sizings(a)[:1]]),
        "reflection": _first(a.mechanisms) if a.mechanisms and a.lessons else None,
        "mechanism": _first(a.mechanisms),
        "ownership": _best_own_action(a) if _ownership(a).status == "met" else None,
    }
    out = []
    for criterion, c in zip(criteria, results):
        quote = shown.get(kind_of(c)) if c.status == "missing" else None
        if quote:
            c = CriterionResult(c.id, c.label, "partly", quote,
                                f"{OWN_WORDS}, not yet as this question asks: {criterion.good}")
        out.append(c)
    return tuple(out)


def _sizings(a: Analysis) -> list[tuple[int, str]]:
    """Sentences where the speaker sizes the problem before the result: a figure beside a step of their own that is
    no outcome ("I pulled a month of failed sends, and 80 percent were timeouts"), not the scene ("I was one of
    four engineers")."""
    late = _in_result_part(a)
    return [(i, r.quantities[0]) for i, r in enumerate(a.readings) if r.quantities and
            any(v not in STATE for v in r.i_verbs) and not (r.deltas or r.outcome) and i not in late]


def _first(hits) -> str | None:
    return trim(hits[0][0].text) if hits else None


def _told_as_result(a: Analysis) -> str | None:
    """The measured change the answer tells as its result (a change, else a measured outcome, in the Result or
    the lesson), not the problem the story opened with ("we noticed crash rates had doubled"); else its first change."""
    late = _in_result_part(a)
    for hits in (a.deltas, a.outcome_numbers):
        found = [h for h in hits if h[0].index in late]
        if found:
            return trim(found[0][0].text)
    return _first(a.deltas)


def _measured_change(a: Analysis) -> str | None:
    """The change the answer measured ("from 2.1% to 0.4%", "cut by 30%"), the one in its Result part first."""
    late = _in_result_part(a)
    return _first([h for h in a.deltas if h[0].index in late] or a.deltas)


def _in_result_part(a: Analysis) -> set[int]:
    """Indices of the sentences in the Result part or after it (the lesson)."""
    return {x.sentence.index for x in a.labelled if x.part >= RESULT}


def _best_own_action(a: Analysis) -> str | None:
    return trim(a.best_own_action[0].text) if a.i_actions else None


def _ownership(a: Analysis) -> CriterionResult:
    label = "Your own actions"
    # "I helped where I could", "I tried to keep everyone calm": steps nobody can picture; nor is a stand-in ("I
    # identified the root cause"), as in the ownership score.
    concrete = a.own_concrete - len(a.stand_ins) >= 2
    if a.own_clauses >= 2 and a.own_clauses >= a.we_clauses and not a.handoffs and concrete:
        return CriterionResult("ownership", label, "met", _best_own_action(a))
    if a.own_clauses >= 1:
        note = (f"{a.we_clauses} actions say \u201cwe\u201d; say which steps were yours."
                if a.we_clauses > a.own_clauses else
                "Only one step is yours; give each thing you did its own \u201cI\u201d sentence."
                if a.own_clauses < 2 else
                f"\u201c{a.stand_ins[0][1]}\u201d names no step: say which cause you found and what you changed."
                if a.stand_ins else
                "Your steps are general (helping, supporting, coordinating): name what you did, built or decided.")
        if a.handoffs:
            note = f"The fix passes to someone else (\u201c{a.handoffs[0][1]}\u201d); say what you did to carry it."
        return CriterionResult("ownership", label, "partly", _best_own_action(a), note)
    return CriterionResult("ownership", label, "missing", _first(a.we_actions or a.other_actions),
                           "No sentence says what you did: tell the steps you took, each as \u201cI ...\u201d.")


def _impact(a: Analysis) -> CriterionResult:
    label = "Quantified impact"
    if a.deltas and (a.business or a.second_order or len(a.deltas) >= 2 or a.outcome_numbers):
        return CriterionResult("quantified-impact", label, "met", _told_as_result(a))
    if a.deltas or a.outcome_numbers:
        note = ("Say what the change meant for customers, cost or other teams." if a.deltas else
                "Give the before and after you measured and what it meant for customers or cost." if a.levels else
                "Say what that work changed, with the measurement you had: for customers, cost or the team.")
        return CriterionResult("quantified-impact", label, "partly", _first(a.deltas or a.outcome_numbers), note)
    if a.outcomes:
        return CriterionResult("quantified-impact", label, "partly", _first(a.outcomes),
                               "A result, but no measurement: give the measurement you had (from what to what).")
    return CriterionResult("quantified-impact", label, "missing", None,
                           "No measured outcome: give the measurement you had (what changed, from what to what).")


def _structure(a: Analysis, setup_heavy: bool) -> CriterionResult:
    label = "Clear STAR structure"
    # The first sentence of the Action part where you (or "we") act: "During a sprint, my manager suggested I look
    # into this" is the setup, and "I needed to cut costs" the task.
    acting = [s for s in a.action_sentences if a.readings[s.index].i_verbs or a.readings[s.index].we_verbs]
    first_action = acting[0] if acting else a.labelled[a.first_action].sentence if a.first_action is not None else \
        a.action_sentences[0] if a.action_sentences else None
    evidence = trim(first_action.text) if first_action else None
    acted, result = a.own_clauses + a.we_clauses > 0, bool(a.outcomes or a.deltas)
    if acted and result and not setup_heavy:
        return CriterionResult("structure", label, "met", evidence)
    missing = [n for n, ok in (("what you did", acted), ("the result", result)) if not ok]
    note = ("Missing " + " and ".join(missing) + "." if missing
            else f"The setup runs about {a.setup_words * 60 // 140} s before anybody acts; get to your actions sooner.")
    if missing == ["the result"] and a.told_results:
        # The story does end ("the ops team now uses the alert"): say what would make that ending land.
        note = "The ending says what happened, not what it changed: add the measurement you had, from what to what."
    return CriterionResult("structure", label, "missing" if len(missing) == 2 else "partly", evidence, note)


def _reflection(a: Analysis) -> CriterionResult:
    label = "Specific reflection"
    if a.mechanisms and a.lessons:
        return CriterionResult("reflection", label, "met", _first(a.mechanisms))
    if a.generic_lessons:  # a generic lesson never beats none
        return CriterionResult("reflection", label, "missing", _first(a.generic_lessons),
                               "A lesson anyone could say: name the change you made since (a check, an alert, a "
                               "habit) and where it paid off.")
    if a.lessons:
        return CriterionResult("reflection", label, "partly", _first(a.lessons),
                               "Name the change you made since (a check, an alert, a habit) and where it paid off.")
    return CriterionResult("reflection", label, "missing", None,
                           "No lesson: close with what you do differently since, and the mechanism that makes it stick.")


def general_criteria(a: Analysis, setup_heavy: bool = False) -> tuple[CriterionResult, ...]:
    """The rubric used when there is no question: ownership, quantified impact, structure, reflection.
    Read from the same counts as the flags, so the two always agree."""
    return (_ownership(a), _impact(a), _structure(a, setup_heavy), _reflection(a))


def coverage(results: tuple[CriterionResult, ...]) -> float:
    """0..1: met 1, partly 0.5, averaged over the criteria."""
    return sum(STATUS_VALUE[c.status] for c in results) / len(results) if results else 0.0


STATUS_VALUE = {"met": 1.0, "partly": 0.5, "missing": 0.0}

__all__ = ["match", "question_criteria", "in_own_words", "OWN_WORDS", "general_criteria", "reconcile", "coverage",
           "kind_of", "CONFLICTS", "RESULT"]
