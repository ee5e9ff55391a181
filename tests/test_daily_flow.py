"""The daily thread state machine: question -> answers -> feedback -> probes -> wrap-up."""

from __future__ import annotations

import json

from stardrill.messages import CONTRAST, PROBE, RETRY, REVIEW, Sent
from tests.chat import STRONG, WEAK, Member, button, deliver, messages


def open_question(app, lead):
    out = lead.command("stardrill", "now")
    question = messages(out, "question")[0]
    thread = deliver(app, out)[0]
    return question, thread


def test_question_opens_a_thread_and_replies_get_feedback_in_it(app):
    lead, ana = Member(app, "lead"), Member(app, "ana")
    question, thread = open_question(app, lead)
    assert question.opens_thread and question.track.startswith("post:")
    assert any(s.title == "A strong answer covers" for s in question.sections)

    out = ana.say(STRONG, thread=thread)
    feedback = messages(out, "feedback")[0]
    assert feedback.target.thread == thread and feedback.target.private_to is None
    assert {b.action for b in feedback.buttons} == {PROBE, CONTRAST, REVIEW, RETRY}
    stored = app.store.rows("SELECT a.text, f.score, f.body FROM answers a JOIN feedback f ON f.answer_id = a.id")
    assert len(stored) == 1 and stored[0]["text"] == STRONG
    assert json.loads(stored[0]["body"])["score"] == stored[0]["score"]


def test_feedback_is_about_that_answer(app):
    lead, ana, bo = Member(app, "lead"), Member(app, "ana"), Member(app, "bo")
    _, thread = open_question(app, lead)
    strong = messages(ana.say(STRONG, thread=thread), "feedback")[0]
    weak = messages(bo.say(WEAK, thread=thread), "feedback")[0]
    assert "Ana" in strong.text and "Bo" in weak.text
    scores = [r["score"] for r in app.store.rows("SELECT score FROM feedback ORDER BY answer_id")]
    assert scores[0] > scores[1]
    body = "\n".join(s.body for s in weak.sections)
    assert "They fixed it." in body or "everyone was happy" in body  # quotes bo's own words


def test_a_reply_that_comes_before_its_question_is_stored_is_held_until_it_is(app):
    # A member can answer in the question's thread before the bot has stored that thread's id.
    lead, ana = Member(app, "lead"), Member(app, "ana")
    question = messages(lead.command("stardrill", "now"), "question")[0]
    assert ana.say(STRONG, thread="ts-early", event_id="Ev-early") == []  # not answered yet, and not marked seen
    assert app.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 0
    app.sent(question.track, Sent("ts-early", "ts-early"))
    assert messages(ana.say(STRONG, thread="ts-early", event_id="Ev-early"), "feedback")  # the same delivery again
    assert app.store.row("SELECT thread_id FROM answers") == {"thread_id": "ts-early"}


def test_a_question_stuck_unsent_for_ten_minutes_no_longer_holds_other_threads(app, clock):
    lead, ana = Member(app, "lead"), Member(app, "ana")
    lead.command("stardrill", "now")  # claimed, never reported sent
    assert ana.say("lunch?", thread="ts-chat", event_id="Ev-chat") == []
    assert app.store.row("SELECT COUNT(*) AS n FROM events WHERE event_id = 'Ev-chat'")["n"] == 0  # held
    clock.advance(minutes=11)
    assert ana.say("lunch?", thread="ts-chat", event_id="Ev-chat") == []
    assert app.store.row("SELECT COUNT(*) AS n FROM events WHERE event_id = 'Ev-chat'")["n"] == 1  # handled: chatter


def test_redelivered_reply_gets_one_feedback(app):
    lead, ana = Member(app, "lead"), Member(app, "ana")
    _, thread = open_question(app, lead)
    assert messages(ana.say(STRONG, thread=thread, event_id="Ev-same"), "feedback")
    assert ana.say(STRONG, thread=thread, event_id="Ev-same") == []
    assert app.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 1


def test_probe_on_request_then_reply_is_judged_against_the_probe(app, bank):
    lead, ana = Member(app, "lead"), Member(app, "ana")
    _, thread = open_question(app, lead)
    feedback = messages(ana.say(STRONG, thread=thread), "feedback")[0]
    probe = messages(ana.press(PROBE, button(feedback, PROBE).value, thread=thread), "probe")[0]
    post = app.store.row("SELECT question_id FROM posts")
    first_probe = bank.question(post["question_id"]).probes[0]
    assert first_probe.question in probe.text and probe.target.thread == thread

    out = ana.say("I brought their lead a tested fix and the revenue numbers, so merging was an easy yes.", thread=thread)
    reply = messages(out, "feedback")[0]
    assert first_probe.question in reply.text
    assert any("strong reply" in s.title for s in reply.sections)
    rows = app.store.rows("SELECT probe_index FROM answers ORDER BY id")
    assert [r["probe_index"] for r in rows] == [None, 0]
    # the next reply is a fresh answer again, not another probe reply
    ana.say(WEAK, thread=thread)
    assert app.store.row("SELECT probe_index FROM answers ORDER BY id DESC LIMIT 1")["probe_index"] is None


def test_contrast_shows_strong_weak_and_this_answers_standing(app):
    lead, ana = Member(app, "lead"), Member(app, "ana")
    _, thread = open_question(app, lead)
    feedback = messages(ana.say(WEAK, thread=thread), "feedback")[0]
    contrast = messages(ana.press(CONTRAST, button(feedback, CONTRAST).value, thread=thread), "contrast")[0]
    titles = [s.title for s in contrast.sections]
    assert titles[0].startswith("A strong answer at ") and "(an example, not the correct answer)" in titles[0]
    assert "A weak answer" in titles and "Where your answer stands on the same criteria" in titles


def test_wrap_up_tallies_without_names_or_scores_and_happens_once(app):
    lead, ana, bo = Member(app, "lead"), Member(app, "ana"), Member(app, "bo")
    _, thread = open_question(app, lead)
    ana.say(STRONG, thread=thread)
    bo.say(WEAK, thread=thread)
    wrap = messages(lead.command("stardrill", "wrapup"), "wrapup")[0]
    text = "\n".join(s.body for s in wrap.sections)
    assert "2 member(s) answered" in text and "of 2 answers" in text
    assert "Ana" not in text and "/100" not in text
    again = lead.command("stardrill", "wrapup")
    assert messages(again, "error")


def test_blind_mode_hides_answers_until_wrap_up(app):
    lead, ana = Member(app, "lead"), Member(app, "ana")
    lead.command("stardrill", "blind on")
    _, thread = open_question(app, lead)
    post_id = str(app.store.row("SELECT id FROM posts")["id"])
    form = ana.press("answer", post_id, thread=thread)[0]
    out = ana.submit(form.action, form.value, {"answer": STRONG}, thread=thread)
    assert messages(out, "feedback")[0].target.private_to == "ana"
    assert app.store.row("SELECT hidden FROM answers")["hidden"] == 1
    wrap = messages(lead.command("stardrill", "wrapup"), "wrapup")[0]
    revealed = next(s for s in wrap.sections if s.title == "Answers, revealed together")
    assert STRONG in revealed.body and revealed.quote


def test_next_question_wraps_up_the_previous_one(app):
    lead = Member(app, "lead")
    open_question(app, lead)
    out = lead.command("stardrill", "now")
    assert [m.kind for m in messages(out)] == ["wrapup", "question"]


def test_bad_replies_are_refused_clearly_and_store_nothing(app):
    lead, ana = Member(app, "lead"), Member(app, "ana")
    _, thread = open_question(app, lead)
    empty = messages(ana.say("   \n\t ", thread=thread), "error")[0]
    assert "empty" in empty.text and empty.target.private_to == "ana"
    huge = messages(ana.say("x" * 100_001, thread=thread), "error")[0]
    assert "characters" in huge.text
    assert app.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 0
    junk = ana.say("\x00\x01\x02 I fixed \x7fthe build \x1b and it took 5 minutes", thread=thread)
    assert messages(junk, "feedback")
    assert "\x00" not in app.store.row("SELECT text FROM answers")["text"]


def test_non_admins_cannot_post_or_change_channel_settings(app):
    guest = Member(app, "guest", admin=False)
    for args in ("now", "blind on", "wrapup"):
        error = messages(guest.command("stardrill", args), "error")[0]
        assert "admins" in error.text
    assert app.store.row("SELECT COUNT(*) AS n FROM posts")["n"] == 0


def test_admin_users_setting_grants_rights(bank, store, clock):
    from stardrill.app import Stardrill

    app = Stardrill(bank, store, clock, admin_users=frozenset({"console:guest"}))
    out = Member(app, "guest", admin=False).command("stardrill", "now")
    assert messages(out, "question")


def test_unknown_subcommand_is_explained(app):
    error = messages(Member(app, "ana").command("stardrill", "dance"), "error")[0]
    assert "Unknown command" in error.text and "help" in error.text
