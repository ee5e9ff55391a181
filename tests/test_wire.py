"""wire.dumps writes what json.dumps(wire.plain(value)) wrote, character for character: rows queued before and
after read the same, and loads gives the value back."""

from __future__ import annotations

import dataclasses
import json
import random

from stardrill import wire
from stardrill.messages import Button, Message, Section, Target

ODD = [None, True, False, 0, -5, 2**70, 1.5, float("nan"), float("inf"), -0.0, "", "ünïcødé ✓ 😀", "lone \ud800",
       'quote " back \\ slash\n\t\x00', {"k": 1, 2: (3, "x")}, [1, [2]], ()]


def reference(value) -> str:
    return json.dumps(wire.plain(value), separators=(",", ":"))


def some_value(rnd: random.Random, depth: int = 0):
    roll = rnd.random()
    if depth > 3 or roll < 0.45:
        return rnd.choice(ODD)
    if roll < 0.6:
        return tuple(some_value(rnd, depth + 1) for _ in range(rnd.randint(0, 3)))
    if roll < 0.7:
        return {rnd.choice(["a", "dc", "map", 1]): some_value(rnd, depth + 1) for _ in range(rnd.randint(0, 2))}
    return some_instance(rnd, depth + 1)


def some_instance(rnd: random.Random, depth: int = 0):
    """Any wire type with any values in its fields (frozen dataclasses do not check types)."""
    kind = rnd.choice(sorted(wire.TYPES.values(), key=lambda k: k.__name__))
    value = object.__new__(kind)
    for f in dataclasses.fields(kind):
        object.__setattr__(value, f.name, some_value(rnd, depth))
    return value


def test_dumps_writes_what_json_dumps_of_plain_wrote():
    rnd = random.Random(17)
    for _ in range(3000):
        value = some_instance(rnd) if rnd.random() < 0.7 else some_value(rnd)
        assert wire.dumps(value) == reference(value)


def test_a_queued_question_reads_back_as_itself():
    question = Message(Target("slack", "T1:C1"), "Today's question: why? \ud83d", (Section("Question", "why?"),
                       Section("How to answer", "Reply", quote=True)), (Button("Answer", "answer", "12"),),
                       kind="question", opens_thread=True, track="post:12")
    text = wire.dumps(question)
    assert text == reference(question) and text.isascii()
    assert wire.loads(text) == wire.scrub(question)
