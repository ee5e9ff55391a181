"""The bank's quality rules, beyond what the schema can say: each finding is `file: field: message`.

`stardrill content validate` reports them as errors for the bundled bank and as warnings for team
packs; tests/test_bank_quality.py holds the bundled bank to them. Rules, by number:
  1 one question per text; 2 a model answer for every level band a question serves, written at its
  level's scope; 3 model answers fit their time; 4 weak examples worth learning from; 5 signals that
  generalise; 6 failure and recovery; 7 timing frameworks agree and no provenance reaches members;
  8 quiz items that cannot be guessed from their shape.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from stardrill.content_loader import Bank, Problem
from stardrill.content_models import LEADERSHIP_PRINCIPLES, BANDS, LevelProfile, Question, band_of
from stardrill.feedback.criteria import Forms, _prepare  # the engine's own matcher, for rule 5
from stardrill.feedback.text import split_sentences, stem_phrase

WPM = 140
LENGTH_TOLERANCE = 0.15
MAX_VERBATIM_SIGNALS = 0.25
MAX_OFF_TOPIC_MATCH = 0.20
MAX_SHOWN_ELSEWHERE = 0.08
BARE_SIGNALS = frozenset("from to % $ now by of in on at with for and the a an per since then reduced improved".split())
WEAK_PROBE_WORDS = 15
LONG_WEAK_WORDS = 100
MIN_FAILURE_PROBE_SHARE = 0.30
MAX_LONGEST_CORRECT = 0.40
PROVENANCE = re.compile(r"\bseeds? ?\d{3}\b|\bper the (?:seed|guide)\b|\bsource:|\bseed guide", re.I)
FAILURE_PROBE = re.compile(r"\b(?:differently|went wrong|go wrong|mistake|regret|again|fail\w*|if you could redo)\b", re.I)
# American spellings the bank must not use (it writes British English everywhere).
AMERICAN = re.compile(
    r"\b(?:\w*(?:prioritiz|organiz|recogniz|realiz|emphasiz|summariz|apologiz|criticiz|minimiz|maximiz|"
    r"standardiz|categoriz|specializ|utiliz|mobiliz|formaliz)\w*|analyz\w*|behavior\w*|colors?|centers?|"
    r"favor\w*|honor\w*|labor|judgment|programs? (?:manager|management|of work)|defense|offense|licensed?|"
    r"catalog|dialog(?!ue)|modeling|canceled|traveled|labeled|signaled)\b",
    re.I,
)


@dataclass(frozen=True)
class Finding:
    rule: int
    problem: Problem

    def __str__(self) -> str:
        return str(self.problem)


def words(text: str) -> int:
    return len(text.split())


def target_words(level: LevelProfile) -> int:
    return round(level.framework.total * WPM / 60)


def check(bank: Bank, questions: Iterable[Question] | None = None) -> list[Finding]:
    """Every rule violation of the given questions (default: the whole bank), judged against the whole bank."""
    chosen = list(questions if questions is not None else bank.questions.values())
    found: list[Finding] = []
    found += duplicate_texts(bank, chosen)
    for q in chosen:
        where = bank.sources.get(q.id, "?")
        for rule, field, message in question_findings(bank, q):
            found.append(Finding(rule, Problem(where, f"{q.id}.{field}", message)))
    found += off_topic_criteria(bank, chosen)
    found += collection_findings(bank, chosen)
    return found


def question_findings(bank: Bank, q: Question) -> list[tuple[int, str, str]]:
    return [*_bands(bank, q), *_lengths(bank, q), *_weak(q), *_signals(q), *_provenance(q), *_spelling(q)]


def duplicate_texts(bank: Bank, chosen: list[Question]) -> list[Finding]:
    by_text: dict[str, list[str]] = defaultdict(list)
    for q in bank.questions.values():
        by_text[normalise_text(q.text)].append(q.id)
    out = []
    for q in chosen:
        twins = [i for i in by_text[normalise_text(q.text)] if i != q.id]
        if twins:
            msg = f"the same question text as {', '.join(twins)}; keep one question per text"
            out.append(Finding(1, Problem(bank.sources.get(q.id, "?"), f"{q.id}.text", msg)))
    return out


def normalise_text(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


def _bands(bank: Bank, q: Question) -> list[tuple[int, str, str]]:
    from stardrill.feedback import calibration

    out = []
    served = {band_of(lv) for lv in q.levels}
    have = Counter(band_of(e.level) for e in q.strong_examples)
    for band in sorted(served - set(have)):
        out.append((2, "strong_examples", f"no model answer for the {band} band ({'/'.join(BANDS[band])}) it serves"))
    for band, n in have.items():
        if n > 1:
            out.append((2, "strong_examples", f"{n} model answers for the {band} band; keep one"))
    for i, example in enumerate(q.strong_examples):
        if example.level not in q.levels:
            out.append((2, f"strong_examples[{i}].level", f"{example.level!r} is not one of the question's levels"))
            continue
        level = bank.levels.get(example.level)
        if level is None:
            continue
        direction, message = calibration.compare(calibration.extract(example.text().lower()), level)
        if direction:
            out.append((2, f"strong_examples[{i}]", f"scope: {message}"))
    return out


def _lengths(bank: Bank, q: Question) -> list[tuple[int, str, str]]:
    out = []
    for i, example in enumerate(q.strong_examples):
        level = bank.levels.get(example.level)
        if level is None:
            continue
        target, n = target_words(level), words(example.text())
        if abs(n - target) > LENGTH_TOLERANCE * target:
            out.append((3, f"strong_examples[{i}]", f"{n} words; a {level.framework.total} s {example.level} answer "
                        f"at {WPM} wpm needs {target} (+-{LENGTH_TOLERANCE:.0%})"))
    return out


def _weak(q: Question) -> list[tuple[int, str, str]]:
    out = []
    if len(q.weak_examples) < 2:
        out.append((4, "weak_examples", "needs at least two weak examples: a short one and a 100+ word one"))
    if not any(w.kind == "thin" for w in q.weak_examples):
        out.append((4, "weak_examples", "no short ('thin') weak example"))
    if not any(w.kind != "thin" and words(w.text) >= LONG_WEAK_WORDS for w in q.weak_examples):
        out.append((4, "weak_examples", f"no weak example of {LONG_WEAK_WORDS}+ words that is weak for a reason other than length"))
    for i, probe in enumerate(q.probes):
        if words(probe.weak.text) < WEAK_PROBE_WORDS:
            out.append((4, f"probes[{i}].weak.text", f"{words(probe.weak.text)} words; a real weak reply has {WEAK_PROBE_WORDS}+"))
    return out


def _signals(q: Question) -> list[tuple[int, str, str]]:
    out = []
    model = " ".join(e.text() for e in q.strong_examples).lower()
    signals = [(c.id, s.lower().strip()) for c in q.criteria for s in c.signals]
    for cid, signal in signals:
        if signal in BARE_SIGNALS or not re.search(r"[a-z]{3}", signal):
            out.append((5, f"criteria.{cid}.signals", f"{signal!r} is too broad to be a signal on its own"))
    verbatim = [s for _, s in signals if s in model]
    if signals and len(verbatim) > MAX_VERBATIM_SIGNALS * len(signals):
        out.append((5, "criteria", f"{len(verbatim)} of {len(signals)} signals are copied from the model answers "
                    f"(at most {MAX_VERBATIM_SIGNALS:.0%}): {', '.join(sorted(set(verbatim))[:6])}"))
    return out


def _provenance(q: Question) -> list[tuple[int, str, str]]:
    return [(7, path, "internal provenance note in text members read") for path, text in prose(q) if PROVENANCE.search(text)]


def _spelling(q: Question) -> list[tuple[int, str, str]]:
    out = []
    for path, text in [("text", q.text), *prose(q)]:
        m = AMERICAN.search(text)
        if m:
            out.append((10, path, f"American spelling {m.group(0)!r}; the bank writes British English"))
    return out


def prose(q: Question) -> list[tuple[str, str]]:
    """Every prose string of a question that members can read, with its field path."""
    out: list[tuple[str, str]] = []

    def walk(value, path: str) -> None:
        if isinstance(value, str):
            out.append((path, value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in {"id", "level", "kind", "competencies", "levels", "companies", "tags", "signals"}:
                    walk(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")

    walk(q.model_dump(exclude={"text"}), "")
    return out


# -- rule 5, across questions: a criterion must not be met by stories about other things ------------

def criterion_hits(signals: list[str], stemmed_text: str) -> int:
    """How many distinct signals of a criterion appear in a stemmed text (two make it 'met')."""
    return sum(1 for s in _stemmed(tuple(signals)) if s in stemmed_text)


@lru_cache(maxsize=8192)
def _stemmed(signals: tuple[str, ...]) -> frozenset[str]:
    """A criterion's distinct signals, stemmed once: rule 5 reads each against every unrelated model answer."""
    return frozenset(s for s in (stem_phrase(sig) for sig in signals) if s.strip())


def off_topic_criteria(bank: Bank, chosen: list[Question]) -> list[Finding]:
    examples = [(q, stem_phrase(e.text())) for q in bank.questions.values() for e in q.strong_examples]
    out = []
    for q in chosen:
        others = [text for other, text in examples if not set(other.competencies) & set(q.competencies)]
        if len(others) < 10:
            continue
        for c in q.criteria:
            share = sum(criterion_hits(c.signals, t) >= 2 for t in others) / len(others)
            if share > MAX_OFF_TOPIC_MATCH:
                msg = f"met by {share:.0%} of model answers to unrelated questions (at most {MAX_OFF_TOPIC_MATCH:.0%})"
                out.append(Finding(5, Problem(bank.sources.get(q.id, "?"), f"{q.id}.criteria.{c.id}", msg)))
    return out + shown_elsewhere(bank, chosen)


def shown_elsewhere(bank: Bank, chosen: list[Question]) -> list[Finding]:
    """A criterion whose signals, read as the feedback reads them, show up in more than MAX_SHOWN_ELSEWHERE of the
    weak examples and follow-up replies of questions sharing none of its question's competencies: broad phrasings
    ("the team", "i worked") that would hand unrelated stories a "partly"."""
    texts = [(q, text) for q in bank.questions.values()
             for text in [w.text for w in q.weak_examples] + [p.strong.text for p in q.probes]]
    sentences, text_of = [], []  # every sentence of every text in one index: one lookup per signal, not per text
    for i, (_, text) in enumerate(texts):
        for sentence in split_sentences(text):
            sentences.append(sentence)
            text_of.append(i)
    forms = Forms(sentences)
    out = []
    for q in chosen:
        others = {i for i, (other, _) in enumerate(texts) if not set(other.competencies) & set(q.competencies)}
        if len(others) < 20:
            continue
        prepared = _prepare(q.criteria)
        for c in q.criteria:
            shown = {text_of[i] for p in prepared[c.id] for i in forms.sentences_with(p)} & others
            share = len(shown) / len(others)
            if share > MAX_SHOWN_ELSEWHERE:
                msg = (f"its signals show up in {share:.0%} of weak answers and follow-up replies to unrelated "
                       f"questions (at most {MAX_SHOWN_ELSEWHERE:.0%}): use phrasings of this criterion's own idea")
                out.append(Finding(5, Problem(bank.sources.get(q.id, "?"), f"{q.id}.criteria.{c.id}", msg)))
    return out


# -- rules 6 and 8, over a collection (the bundled bank, or one pack) ---------------------------------

def collection_findings(bank: Bank, chosen: list[Question]) -> list[Finding]:
    if not chosen:
        return []
    where = ", ".join(sorted({bank.sources.get(q.id, "?") for q in chosen})) if len(chosen) < len(bank.questions) else "bank"
    out = []
    with_probe = sum(any(FAILURE_PROBE.search(p.question) for p in q.probes) for q in chosen)
    if len(chosen) >= 10 and with_probe < MIN_FAILURE_PROBE_SHARE * len(chosen):
        out.append(Finding(6, Problem(where, "probes", f"{with_probe} of {len(chosen)} questions ask what went wrong or "
                                      f"what you would do differently (at least {MIN_FAILURE_PROBE_SHARE:.0%})")))
    items = [item for q in chosen for item in q.quiz]
    longest = sum(len(item.options[item.answer]) >= max(len(o) for o in item.options) for item in items)
    if len(items) >= 10 and longest > MAX_LONGEST_CORRECT * len(items):
        out.append(Finding(8, Problem(where, "quiz", f"the right option is the longest in {longest} of {len(items)} items "
                                      f"(at most {MAX_LONGEST_CORRECT:.0%})")))
    four = [item.answer for item in items if len(item.options) == 4]
    counts = Counter(four)
    if len(four) >= 20 and any(counts[i] < 0.15 * len(four) or counts[i] > 0.35 * len(four) for i in range(4)):
        spread = ", ".join(f"{i}: {counts[i]}" for i in range(4))
        out.append(Finding(8, Problem(where, "quiz", f"right answers are not spread over the positions ({spread})")))
    return out


def framework_findings(bank: Bank) -> list[Finding]:
    """Rule 7: management and L7 answers get at least as long as senior IC ones."""
    def total(level_id: str) -> int:
        return bank.levels[level_id].framework.total if level_id in bank.levels else 0

    senior_ic = max(total(lv) for lv in BANDS["ic-senior"])
    return [
        Finding(7, Problem("levels.toml", f"{lv}.default_minutes", f"{total(lv)} s is shorter than senior IC answers ({senior_ic} s)"))
        for lv in BANDS["management"] if total(lv) < senior_ic
    ]


def principle_band_counts(bank: Bank) -> dict[str, dict[str, int]]:
    """Questions per Leadership Principle and band, counting a band only where a model answer is written for it."""
    counts: dict[str, dict[str, int]] = {lp: dict.fromkeys(BANDS, 0) for lp in LEADERSHIP_PRINCIPLES}
    for q in bank.questions.values():
        bands = {band_of(e.level) for e in q.strong_examples}
        for lp in q.principles:
            for band in bands:
                counts[lp][band] += 1
    return counts
