"""Which bank question a free-standing story answers (the shortcut's "closest question"), on the real bank."""

from __future__ import annotations

from stardrill.closest import closest
from tests.chat import WEAK

MISTAKE = ("I made a mistake: I deployed a config change without review and broke login for 10 minutes. "
           "I owned up, rolled back and added a review check.")
MENTORING = "I hired three engineers for my team last year and mentored a junior who was promoted after six months."


def test_a_story_is_read_against_the_question_it_answers(bank):
    assert closest(bank.questions.values(), MISTAKE, "senior").id == "od-mistake"
    assert closest(bank.questions.values(), MENTORING, "senior").id == "pl-mentor-junior"


def test_no_question_fits_chatter_or_a_story_too_thin_to_place(bank):
    assert closest(bank.questions.values(), "Lunch at noon? Pizza on 5th.", "senior") is None
    assert closest(bank.questions.values(), "The team meeting moved to Thursday; the review is next week.", "senior") is None
    assert closest(bank.questions.values(), WEAK, "senior") is None


def test_the_choice_does_not_depend_on_the_order_of_the_bank(bank):
    questions = list(bank.questions.values())
    assert closest(reversed(questions), MISTAKE, "em").id == closest(questions, MISTAKE, "em").id
