"""Spaced repetition: weak answers come back after 1, 3, 7, then 14 days until met; the team rotation prefers weak spots."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from stardrill import daily
from stardrill.messages import PRACTICE_STOP
from stardrill.picker import pick
from stardrill.progress.spaced import Attempt, due, focus, pending
from tests.chat import STRONG, WEAK, Member, deliver, messages

D0 = date(2026, 3, 2)
Q = "lead-without-title"


def tries(*days_unmet):
    return [Attempt(Q, D0 + timedelta(days=day), ("impact",) if unmet else ()) for day, unmet in days_unmet]


def test_intervals_grow_1_3_7_14_then_stay_at_14():
    history = []
    expected_gaps = [1, 3, 7, 14, 14]
    day = 0
    for gap in expected_gaps:
        history += tries((day, True))
        (review,) = pending(history)
        assert review.due_on == D0 + timedelta(days=day + gap), (day, gap)
        assert not due(history, review.due_on - timedelta(days=1)) and due(history, review.due_on)
        day += gap


def test_met_retires_a_question_and_a_later_miss_starts_over():
    assert pending(tries((0, True), (1, False))) == []
    (again,) = pending(tries((0, True), (1, True), (4, False), (20, True)))
    assert again.reps == 1 and again.due_on == D0 + timedelta(days=21)


def test_several_tries_on_one_day_are_one_repetition():
    (review,) = pending(tries((0, True), (0, True)))
    assert review.reps == 1 and review.due_on == D0 + timedelta(days=1)


def test_focus_alternates_reviews_with_new_ground_except_in_prep():
    reviews = pending(tries((0, True)))
    assert focus(reviews, ["frugality"], practice_count=0).due == (Q,)
    assert focus(reviews, ["frugality"], practice_count=1).due == ()
    assert focus(reviews, ["frugality"], practice_count=1, prep=True).due == (Q,)
    assert focus(reviews, [], practice_count=1).due == (Q,)  # nothing new to explore: review anyway


def test_picker_takes_due_first_and_keeps_its_rotation_otherwise(bank):
    used = [Q]
    assert pick(bank.questions.values(), used, seed=1, due=[Q]).id == Q
    assert pick(bank.questions.values(), used, seed=1, due=["no-such-question"]).id != Q
    assert pick(bank.questions.values(), used, seed=1) == pick(bank.questions.values(), used, seed=1, due=())


def _practise(app, clock, when: datetime, text: str | None = None, args: str = "") -> str:
    clock.set(when)
    ana = Member(app, "ana")
    out = ana.command("practice", args)
    question = messages(out, "practice")[0]
    if text:
        ana.say(text, direct=True)
    ana.press(PRACTICE_STOP, next(b.value for b in question.buttons if b.action == PRACTICE_STOP))
    return question.sections[0].body


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, 2, hour, tzinfo=timezone.utc) + timedelta(days=day)


def test_practice_brings_a_weak_question_back_at_growing_intervals(app, clock, bank):
    text = bank.question(Q).text
    _practise(app, clock, _at(0), WEAK, Q)  # practice #1: weak
    assert _practise(app, clock, _at(0, 10)) != text  # not due the same day (practice #2)
    clock.set(_at(1))
    out = Member(app, "ana").command("practice")  # practice #3, a review turn: back after 1 day
    assert messages(out, "practice")[0].sections[0].body == text
    assert any(s.title == "Back for another try" for s in messages(out, "practice")[0].sections)
    Member(app, "ana").say(WEAK, direct=True)  # still weak: next gap is 3 days
    picks = [_practise(app, clock, _at(day, hour)) for day in (2, 3) for hour in (9, 10)]
    assert text not in picks
    assert text in [_practise(app, clock, _at(4, hour)) for hour in (9, 10)]


def test_a_met_answer_retires_the_question(app, clock, bank):
    text = bank.question(Q).text
    _practise(app, clock, _at(0), WEAK, Q)
    _practise(app, clock, _at(1), STRONG, Q)  # met all four tracked criteria
    assert text not in [_practise(app, clock, _at(day, hour)) for day in (2, 3, 4, 8) for hour in (9, 10)]


def test_daily_rotation_prefers_the_competencies_the_team_answered_worst(app, clock, bank):
    lead = Member(app, "lead")
    posted = []
    for day, answer in enumerate((WEAK, STRONG, STRONG)):
        clock.set(_at(day))
        out = lead.command("stardrill", "now")
        thread = deliver(app, out)[0]
        posted.append(app.store.row("SELECT question_id FROM posts ORDER BY id DESC LIMIT 1")["question_id"])
        Member(app, "ana").say(answer, thread=thread)
    weakest = daily.weak_team_competencies(app, "console", "team")
    assert set(bank.question(posted[0]).competencies) & set(weakest[:len(bank.question(posted[0]).competencies)])
    clock.set(_at(3))
    deliver(app, lead.command("stardrill", "now"))
    latest = app.store.row("SELECT question_id FROM posts ORDER BY id DESC LIMIT 1")["question_id"]
    recent = set(bank.question(posted[1]).competencies) | set(bank.question(posted[2]).competencies)
    preferred = next(c for c in weakest if c not in recent)
    assert preferred in bank.question(latest).competencies


def test_same_store_state_and_seed_give_the_same_practice_question(bank, tmp_path, clock):
    from stardrill.app import Stardrill
    from stardrill.store import Store

    picks = []
    for name in ("a.db", "b.db"):
        app = Stardrill(bank, Store(tmp_path / name), clock, seed=11)
        _practise(app, clock, _at(0), WEAK, Q)
        picks.append([_practise(app, clock, _at(day)) for day in (1, 2, 5)])
    assert picks[0] == picks[1]
