"""Try again now: a new attempt at the same question, whose feedback says what improved since the last try."""

from __future__ import annotations

from stardrill.messages import ANSWER_SUBMIT, PRACTICE_NEXT, PRACTICE_STOP, RETRY
from tests.chat import STRONG, WEAK, Member, button, deliver, messages, modals


def since(message) -> str:
    return next(s.body for s in message.sections if s.title.startswith("Since your last try"))


def test_in_the_thread_try_again_opens_the_form_and_the_new_feedback_shows_progress(app):
    lead, ana = Member(app, "lead"), Member(app, "ana")
    thread = deliver(app, lead.command("stardrill", "now"))[0]
    first = messages(ana.say(WEAK, thread=thread), "feedback")[0]
    assert not any(s.title.startswith("Since your last try") for s in first.sections)
    form = modals(ana.press(RETRY, button(first, RETRY).value, thread=thread))[0]
    assert form.action == ANSWER_SUBMIT and "try again" in form.intro.lower()
    again = messages(ana.submit(form.action, form.value, {"answer": STRONG}, thread=thread), "feedback")[0]
    scores = [r["score"] for r in app.store.rows("SELECT score FROM feedback ORDER BY answer_id")]
    text = since(again)
    assert f"{scores[0]} → {scores[1]}" in text and "Now met:" in text
    assert app.store.row("SELECT COUNT(*) AS n FROM answers WHERE user_id = 'ana'")["n"] == 2


def test_only_the_author_can_try_again_on_an_answer(app):
    lead, ana = Member(app, "lead"), Member(app, "ana")
    thread = deliver(app, lead.command("stardrill", "now"))[0]
    first = messages(ana.say(WEAK, thread=thread), "feedback")[0]
    refused = messages(Member(app, "bo").press(RETRY, button(first, RETRY).value, thread=thread), "error")
    assert refused and "reply in the thread" in refused[0].text


def test_after_the_wrap_up_try_again_is_a_private_practice_on_the_same_question(app):
    lead, ana = Member(app, "lead"), Member(app, "ana")
    thread = deliver(app, lead.command("stardrill", "now"))[0]
    first = messages(ana.say(WEAK, thread=thread), "feedback")[0]
    lead.command("stardrill", "wrapup")
    start = messages(ana.press(RETRY, button(first, RETRY).value, thread=thread), "practice")[0]
    question_id = app.store.row("SELECT question_id FROM posts")["question_id"]
    assert start.target.direct_to == "ana" and app.bank.question(question_id).text in start.text
    feedback = messages(ana.say(STRONG, direct=True), "feedback")[0]
    assert "Now met:" in since(feedback)


def test_in_practice_try_again_asks_the_same_question_and_the_summary_offers_it(app):
    ana = Member(app, "ana")
    ana.command("practice", "lead-without-title")
    feedback = messages(ana.say(WEAK, direct=True), "feedback")[0]
    session = str(app.store.row("SELECT id FROM sessions")["id"])
    stopped = messages(ana.press(PRACTICE_STOP, session))[0]
    assert {b.action for b in stopped.buttons} == {RETRY, PRACTICE_NEXT}
    again = messages(ana.press(RETRY, button(feedback, RETRY).value), "practice")[0]
    assert app.bank.question("lead-without-title").text in again.text
    better = messages(ana.say(STRONG, direct=True), "feedback")[0]
    assert "→" in since(better)
    rows = app.store.rows("SELECT question_id FROM sessions ORDER BY id")
    assert [r["question_id"] for r in rows] == ["lead-without-title", "lead-without-title"]
