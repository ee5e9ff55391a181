"""Peer review rules: not your own answer, one review per reviewer (the second replaces the first), roll-up to the author."""

from __future__ import annotations

from stardrill.messages import REVIEW, REVIEW_SUBMIT, Choice
from tests.chat import STRONG, Member, button, deliver, messages, modals


def answered(app):
    lead, ana = Member(app, "lead"), Member(app, "ana")
    out = lead.command("stardrill", "now")
    thread = deliver(app, out)[0]
    feedback = messages(ana.say(STRONG, thread=thread), "feedback")[0]
    return ana, thread, button(feedback, REVIEW).value


def ratings(form, status="met"):
    return {f.id: status for f in form.fields if isinstance(f, Choice)}


def test_review_form_has_the_questions_criteria(app, bank):
    _, thread, answer_id = answered(app)
    form = modals(Member(app, "bo").press(REVIEW, answer_id, thread=thread))[0]
    question = bank.question(app.store.row("SELECT question_id FROM answers")["question_id"])
    assert [f.id for f in form.fields if isinstance(f, Choice)] == [c.id for c in question.criteria]
    assert form.action == REVIEW_SUBMIT and form.for_user == "bo"


def test_own_answer_cannot_be_reviewed(app):
    ana, thread, answer_id = answered(app)
    refused = messages(ana.press(REVIEW, answer_id, thread=thread), "error")[0]
    assert "can't review your own answer" in refused.text
    sneaky = ana.submit(REVIEW_SUBMIT, answer_id, {"x": "met"}, thread=thread)
    assert messages(sneaky, "error")
    assert app.store.row("SELECT COUNT(*) AS n FROM reviews")["n"] == 0


def test_second_review_replaces_the_first_and_author_sees_rollup(app):
    _, thread, answer_id = answered(app)
    bo, cy = Member(app, "bo"), Member(app, "cy")
    form = modals(bo.press(REVIEW, answer_id, thread=thread))[0]
    bo.submit(REVIEW_SUBMIT, answer_id, {**ratings(form, "missing"), "comment": "first try"}, thread=thread)
    out = bo.submit(REVIEW_SUBMIT, answer_id, {**ratings(form, "met"), "comment": ""}, thread=thread)
    assert "replaced" in messages(out, "review")[0].text
    out = cy.submit(REVIEW_SUBMIT, answer_id, ratings(form, "partly"), thread=thread)
    rollup = [m for m in messages(out, "review") if m.target.private_to is None][0]
    assert rollup.target.thread == thread and "2 peer review(s)" in rollup.text
    first_line = rollup.sections[0].body.splitlines()[0]
    assert first_line.endswith(": 1 met, 1 partly, 0 missing")
    assert app.store.row("SELECT COUNT(*) AS n FROM reviews")["n"] == 2


def test_incomplete_review_is_refused_and_not_stored(app):
    _, thread, answer_id = answered(app)
    out = Member(app, "bo").submit(REVIEW_SUBMIT, answer_id, {"comment": "no ratings"}, thread=thread)
    assert "needs one of met / partly / missing" in messages(out, "error")[0].text
    assert app.store.row("SELECT COUNT(*) AS n FROM reviews")["n"] == 0


def test_review_command_in_thread_targets_latest_teammate_answer(app):
    _, thread, answer_id = answered(app)
    form = modals(Member(app, "bo").command("review", "", thread=thread))[0]
    assert form.value == answer_id


def test_review_command_in_the_channel_offers_the_latest_questions_answers(app):
    ana, thread, answer_id = answered(app)
    messages(Member(app, "bo").say(STRONG, thread=thread), "feedback")
    picker = messages(ana.command("review", ""), "review")[0]  # no thread: how Slack runs every slash command
    assert picker.target.private_to == "ana"
    assert [(b.label, b.action) for b in picker.buttons] == [("Review Bo", REVIEW)]  # never her own answer
    form = modals(ana.press(REVIEW, picker.buttons[0].value))[0]
    assert form.value == picker.buttons[0].value != answer_id


def test_review_command_in_a_channel_without_a_question_says_so(app):
    refused = messages(Member(app, "bo").command("review", ""), "error")[0]
    assert "No question has been posted in this channel" in refused.text
    assert app.store.row("SELECT COUNT(*) AS n FROM reviews")["n"] == 0
