"""Text handling: clean raw input, split it into sentences, count words, light stemming.

Everything here is regex-based and linear in the input size, so a 50,000-character paste or a
blob of binary junk costs the same as a long answer: we cap the analysed text at MAX_CHARS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CHARS = 12_000  # ~2,000 words: far beyond any spoken answer, so the cap never bites real answers
WPM = 140  # rubric facts: 130-175 wpm recommended; 140 is the default speaking pace

# C0/C1 control characters (keeping \t and \n), lone surrogates and non-characters: they come
# from pasted binaries or broken encodings and would break JSON output or printing.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0]+")
# A sentence ends at . ! ? (plus closing quotes/brackets) followed by whitespace and a likely
# sentence start; blank lines and bullet breaks also end a sentence. Decimals such as 0.3% never
# match because no whitespace follows the dot.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]\u201d\u2019]*\s+(?=[\"'(\[\u201c\u2018]?[A-Z0-9$])|\s*\n\s*")
# Spoken transcripts often arrive as one unpunctuated run; split long runs at clause joints.
_CLAUSE = re.compile(r";\s+|,\s+(?=(?:and then|so|then|but|which meant|after that)\b)")
_LONG_SENTENCE = 45  # words
# Without commas either ("so i dug through the logs and i rolled it back and after that i added a canary"): a long
# run is cut where a new clause starts with its subject, so what happened stays in one piece with its figures.
_SPOKEN_JOINT = re.compile(r"\s+(?=(?:and|so|but)\s+(?:then\s+|after\s+that\s+)?(?:i|we|they|he|she)\s)"
                           r"|(?<!\band)(?<!\bso)(?<!\bbut)\s+(?=(?:then|after\s+that)\s+(?:i|we|they|he|she)\s)")
_MAX_PIECE = 60  # words: longer runs are cut into pieces, so per-sentence work is bounded whatever the input
_WORD = re.compile(r"[A-Za-z0-9$%][A-Za-z0-9$%'\u2019.,\-]*")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


@dataclass(frozen=True)
class Sentence:
    """One sentence: `text` is the user's words verbatim (whitespace collapsed), `low` is for matching."""

    index: int
    text: str
    low: str
    words: int


def clean(raw: object) -> tuple[str, bool]:
    """Return (text safe to analyse, whether it was truncated). Never raises."""
    if raw is None:
        return "", False
    if isinstance(raw, (bytes, bytearray)):
        raw = bytes(raw).decode("utf-8", errors="replace")
    elif not isinstance(raw, str):
        raw = str(raw)
    truncated = len(raw) > MAX_CHARS
    if truncated:
        # Cut before cleaning so the work done is bounded by MAX_CHARS, then back off to a space
        # so we never analyse half a word.
        raw = raw[:MAX_CHARS]
        space = raw.rfind(" ", MAX_CHARS - 200)
        raw = raw[:space] if space > 0 else raw
    text = _CONTROL.sub(" ", raw).replace("\r", "\n")
    text = _EMPHASIS.sub(r"\2", text) if "*" in text else text
    text = _SPACES.sub(" ", text)
    return text.strip(), truncated


# Chat emphasis, "*Result*:" (Slack) or "**Action**" (Discord): the words are the answer, the stars are not, and a
# quote that kept one ("Result*: ...") would read as broken. Bounded: a pair is at most 80 characters apart.
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,2})([^\s*][^*\n]{0,80}?)(?<!\s)\1(?![\w*])")


def normalise(text: str) -> str:
    """Lower-case with typographic quotes and dashes folded, so word lists match both spellings."""
    return text.translate(_QUOTES).lower()


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def seconds(words: int) -> int:
    """Spoken seconds at WPM (speaking time, not reading time)."""
    return round(words * 60 / WPM)


def split_sentences(text: str) -> list[Sentence]:
    """Split cleaned text into sentences, breaking over-long unpunctuated runs at clause joints."""
    pieces: list[tuple[str, int]] = []  # (text, words): each piece is counted once
    for chunk in (sub for whole in _BOUNDARY.split(text) for sub in _lowercase_starts(whole)):
        chunk = chunk.strip(" -*\u2022\t")
        if not chunk:
            continue
        n = count_words(chunk)
        if n > _LONG_SENTENCE:
            pieces.extend((p.strip(), count_words(p)) for part in _CLAUSE.split(chunk) for p in _spoken_joints(part)
                          if p.strip())
        else:
            pieces.append((chunk, n))
    out: list[Sentence] = []
    for piece, n in pieces:
        for part, m in (_chunks(piece) if n > _MAX_PIECE else ((piece, n),)):
            if m:
                out.append(Sentence(len(out), part, normalise(part), m))
    return out


# Chat answers are often typed in lower case ("i traced it. errors dropped to zero."): a stop before a lower-case
# word ends a sentence too, unless it closes an abbreviation ("e.g. the", "vs. them", "approx. 3", "U.S. teams").
# A stop right before the space: after a closing quote the sentence may go on ("adding 'does it run twice?' to ...").
_LOWER_START = re.compile(r"[.!?]\s+(?=[a-z])")
_ABBREVIATIONS = frozenset("e.g eg i.e ie etc vs approx incl esp mr mrs ms dr st no fig al cf resp dept est min max "
                           "avg ca jr sr".split())


def _lowercase_starts(chunk: str) -> list[str]:
    if "." not in chunk and "?" not in chunk and "!" not in chunk:
        return [chunk]
    out, start = [], 0
    for m in _LOWER_START.finditer(chunk):
        if chunk[m.start()] == "." and _abbreviation(chunk, m.start()):
            continue
        out.append(chunk[start:m.start() + 1])
        start = m.end()
    out.append(chunk[start:])
    return out


def _abbreviation(chunk: str, dot: int) -> bool:
    """The word the stop closes is an abbreviation: a known one, an initial ("J."), or dotted ("U.S.")."""
    word = chunk[max(chunk.rfind(" ", 0, dot), chunk.rfind("\t", 0, dot)) + 1:dot].lstrip("(\"'\u201c\u2018")
    return (word.lower() in _ABBREVIATIONS or len(word) == 1 and word.isupper()
            or _DOTTED.fullmatch(word) is not None)


_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def _spoken_joints(part: str) -> list[str]:
    return _SPOKEN_JOINT.split(part) if count_words(part) > _LONG_SENTENCE else [part]


def _chunks(piece: str) -> list[tuple[str, int]]:
    """An unpunctuated run over _MAX_PIECE words, cut at whitespace into pieces of 40 words (never mid-token)."""
    out, part, n = [], [], 0
    for token in piece.split(" "):
        k = count_words(token)
        if n + k > 40 and part:
            out.append((" ".join(part), n))
            part, n = [], 0
        part.append(token)
        n += k
    if part and n:
        out.append((" ".join(part), n))
    return out


# Object pronouns collapse to one token so 'walked them through' matches 'walked him through'.
_PRONOUNS = {"him": "them", "her": "them", "us": "them", "his": "their", "our": "their", "its": "their", "he": "they",
             "she": "they"}  # a signal "what they wanted" also matches "what she wanted"
# One suffix (or a possessive) off tokens with 3+ letters before it, then a final 'e':
# 'traced', 'tracing', 'traces' -> 'trac'; "team's" -> 'team'. Two whole-string passes, because
# this runs on every sentence and a per-word Python loop is several times slower.
_SUFFIX = re.compile(r"(?<=[a-z0-9']{3})(?:'s|'|ing|ed|es|(?<![su])s|ly)(?= )")  # "miss", "focus" keep their s
_FINAL_E = re.compile(r"(?<=[a-z0-9']{3})e(?= )")
_TOKEN = re.compile(r"[a-z0-9$%][a-z0-9$%']*")  # an opening quote is not part of the word: "'i was wrong'"


def tokens(text: str) -> str:
    """Normalised text as space-separated tokens, padded so ' word ' matches whole words only."""
    return " " + " ".join(_TOKEN.findall(text)) + " "


# Irregular past forms to their lemma, so the bank's lemma-form signals ("i build a", "bring a fix") match
# what people say ("I built a", "brought a fix").
_IRREGULAR = dict(pair.split(":") for pair in (
    "built:build rebuilt:rebuild wrote:write rewrote:rewrite written:write ran:run led:lead made:make took:take "
    "taken:take brought:bring sent:send found:find gave:give given:give met:meet spent:spend kept:keep held:hold "
    "chose:choose chosen:choose drove:drive driven:drive grew:grow grown:grow began:begin begun:begin sat:sit "
    "spoke:speak spoken:speak taught:teach told:tell got:get did:do done:do went:go gone:go saw:see seen:see "
    "paid:pay sold:sell thought:think caught:catch bought:buy left:leave lost:lose won:win stood:stand "
    "understood:understand knew:know known:know fell:fall rose:rise broke:break broken:break shown:show "
    "felt:feel heard:hear dealt:deal meant:mean sought:seek fought:fight threw:throw drew:draw flew:fly"
).split())


def stem_tokens(padded: str) -> str:
    """A deliberately light stemmer over a token string (see `tokens`); enough for signal lists.
    Word by word through a memo (a pure function of the word, so the memo never changes a result)."""
    known = _STEMS.get  # the memo first: most words were stemmed before, and a call per word is the cost here
    return "\n".join([" ".join([known(t) or _stem(t) for t in line.split(" ")]) for line in padded.split("\n")])


_STEMS: dict[str, str] = {}


def _stem(word: str) -> str:
    stem = _STEMS.get(word)
    if stem is None:
        if len(_STEMS) > 100_000:  # pasted junk full of unique tokens: start over rather than grow
            _STEMS.clear()
        w = _PRONOUNS.get(word, word)
        w = _IRREGULAR.get(w, w)
        stem = _STEMS[word] = _FINAL_E.sub("", _base_form(w, _SUFFIX.sub("", f" {w} ").strip())).strip() if w else w
    return stem


_DOUBLED_STAYS = frozenset("lsdzf")  # "called" -> "call", "added" -> "add", "staffed" -> "staff"


def _base_form(word: str, stem: str) -> str:
    """`stem` (the word without its suffix) as its base form would stem, padded for _FINAL_E: the consonant doubled
    before -ed/-ing goes ("shipped", "stopping", "planned" -> "ship", "stop", "plan"), so the signal "ship behind a
    flag" matches "we shipped it behind a flag"; "agreed" and "agrees" keep the "ee" of "agree"."""
    if stem != word and word.endswith(("ed", "ing")) and len(stem) >= 4 and stem[-1] == stem[-2] and \
            stem[-1] not in _DOUBLED_STAYS and stem[-1] not in "aeiouy":
        return f" {stem[:-1]} "
    if word.endswith("eed") and stem == word[:-2]:  # "agreed" -> "agree" (then "agre"); "speed", "exceed" stay whole
        return f" {word[:-1]} " if word[:-1] in _EE_VERBS else f" {word} "
    if word.endswith("ees") and stem == word[:-2]:  # "agrees", "employees": only the "s" goes
        return f" {word[:-1]} "
    return f" {stem} "


# Verbs ending in "ee": their past ends in "eed" like "speed", "exceed" and "proceed", which are whole words.
_EE_VERBS = frozenset("agree disagree free guarantee decree referee oversee foresee flee".split())


def stem_phrase(text: str) -> str:
    """Stem every token of free text: ' trac the drop '."""
    return stem_tokens(tokens(text))


def trim(text: str, limit: int = 300) -> str:
    """Trim evidence to about `limit` chars at whitespace, marking the cut. Never cuts inside a token
    ("50%" is never quoted as "5"): with no whitespace in reach the text is kept whole up to the next one."""
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit)
    if space <= 0:
        space = text.find(" ", limit)
        if space < 0:
            return text
    return text[:space].rstrip(" ,;") + "\u2026"
