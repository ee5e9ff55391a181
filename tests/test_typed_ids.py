"""Ids typed by members or carried in button values: digits that are not ASCII, or past 64 bits, get a
plain answer and never an exception (str.isdigit() accepts '²' and '٣', which int() then rejects)."""

from __future__ import annotations

import pytest

from stardrill.ids import row_id
from stardrill.messages import CONTRAST, PRACTICE_STOP, PROBE, REVIEW
from tests.chat import Member, messages

ODD = ["²", "٣", "１２", str(2**63), "-1", " 7 ", "9" * 5000]  # 4,300+ digits: int() itself refuses them


@pytest.mark.parametrize("text, expected", [("7", 7), (" 7 ", 7), ("²", None), ("٣", None), ("１２", None),
                                            (str(2**63 - 1), 2**63 - 1), (str(2**63), None), ("-1", None), ("", None),
                                            ("0" * 30 + "7", 7), ("9" * 5000, None)])
def test_row_id_takes_plain_ascii_digits_within_sqlite_range(text, expected):
    assert row_id(text) == expected


@pytest.mark.parametrize("odd", ODD)
def test_commands_answer_odd_ids_in_words(app, odd):
    ana = Member(app, "ana")
    for name, args in (("review", odd), ("stardrill", f"history {odd}"), ("stardrill", f"story launch {odd}")):
        out = messages(ana.command(name, args))
        assert out and all(m.target.private_to == "ana" for m in out), (name, args)


@pytest.mark.parametrize("odd", ODD)
def test_buttons_with_odd_values_answer_in_words(app, odd):
    ana = Member(app, "ana")
    for action in (PROBE, CONTRAST, REVIEW, PRACTICE_STOP):
        out = messages(ana.press(action, odd))
        assert out and out[0].kind == "error", (action, odd, out)


def test_an_id_past_64_bits_is_id_shaped_but_finds_no_row(app):
    from stardrill.ids import is_row_id

    huge = str(2**64)
    assert is_row_id(huge) and row_id(huge) is None and not is_row_id("²")
    out = messages(Member(app, "ana").command("stardrill", f"history {huge}"))
    assert f"Answer {huge} is not one of" in out[0].text
