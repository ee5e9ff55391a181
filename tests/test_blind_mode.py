"""Blind mode keeps its promise: no answer and no name reaches anyone else before the reveal."""

from __future__ import annotations

from stardrill.events import MessagePosted, Where
from stardrill.messages import ANSWER, PROBE, REVIEW, REVIEW_SUBMIT, Message, Modal, Retract
from tests.chat import STRONG, WEAK, Member, button, deliver, messages, modals, nid


def blind_question(app):
    lead = Member(app, "lead")
    lead.command("stardrill", "blind on")
    thread = deliver(app, lead.command("stardrill", "now"))[0]
    post_id = str(app.store.row("SELECT id FROM posts")["id"])
    return lead, thread, post_id


def reply(app, user: str, text: str, thread: str, *, removable: bool):
    member = Member(app, user)
    event = MessagePosted(nid(), member.actor, Where("team", thread), text, nid("m"), removable=removable)
    return app.handle(event)


def public(out) -> list[Message]:
    return [m for m in messages(out) if not m.target.private_to and not m.target.direct_to]


def form_answer(app, user: str, thread: str, post_id: str, text: str):
    member = Member(app, user)
    form = modals(member.press(ANSWER, post_id, thread=thread))[0]
    return member.submit(form.action, form.value, {"answer": text}, thread=thread)


def test_a_thread_reply_is_removed_not_counted_and_the_author_gets_the_answer_button(app):
    _, thread, post_id = blind_question(app)
    out = reply(app, "maria", STRONG, thread, removable=True)
    retract = [o for o in out if isinstance(o, Retract)]
    assert len(retract) == 1 and retract[0].message_id and retract[0].target.thread == thread
    note = messages(out)[0]
    assert note.target.direct_to == "maria" and [b.action for b in note.buttons] == [ANSWER]
    assert note.buttons[0].value == post_id
    assert "removed" in note.text and STRONG in "\n".join(s.body for s in note.sections)  # her words are kept
    assert public(out) == []
    assert app.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 0


def test_where_the_platform_cannot_remove_it_the_author_is_told_to_delete_it(app):
    _, thread, _ = blind_question(app)
    out = reply(app, "maria", STRONG, thread, removable=False)
    assert not [o for o in out if isinstance(o, Retract)]
    note = messages(out)[0]
    assert note.target.direct_to == "maria" and "delete it" in note.text and note.buttons[0].action == ANSWER
    assert public(out) == [] and app.store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 0


def test_a_hidden_answer_cannot_be_reviewed_or_picked_before_the_reveal(app):
    lead, thread, post_id = blind_question(app)
    form_answer(app, "maria", thread, post_id, STRONG)
    answer_id = str(app.store.row("SELECT id FROM answers")["id"])
    bo = Member(app, "bo")
    assert "revealed" in messages(bo.press(REVIEW, answer_id, thread=thread), "error")[0].text
    out = bo.submit(REVIEW_SUBMIT, answer_id, {"comment": "x"}, thread=thread)
    assert public(out) == [] and "revealed" in messages(out, "error")[0].text
    assert modals(bo.command("review", "", thread=thread)) == []  # /review in the thread does not pick it
    assert app.store.row("SELECT COUNT(*) AS n FROM reviews")["n"] == 0
    lead.command("stardrill", "wrapup")
    assert modals(bo.press(REVIEW, answer_id, thread=thread)), "after the reveal it can be reviewed"


def test_a_probe_on_a_hidden_answer_is_a_private_form_not_a_public_thread_post(app, bank):
    _, thread, post_id = blind_question(app)
    feedback = messages(form_answer(app, "maria", thread, post_id, STRONG), "feedback")[0]
    assert feedback.target.private_to == "maria"
    maria = Member(app, "maria")
    out = maria.press(PROBE, button(feedback, PROBE).value, thread=thread)
    assert public(out) == []
    form = modals(out)[0]
    question = bank.question(app.store.row("SELECT question_id FROM posts")["question_id"])
    assert question.probes[0].question in form.intro
    done = maria.submit(form.action, form.value, {"answer": "I showed their lead the revenue numbers."}, thread=thread)
    assert public(done) == [] and messages(done, "feedback")[0].target.private_to == "maria"
    rows = app.store.rows("SELECT probe_index, hidden FROM answers ORDER BY id")
    assert rows == [{"probe_index": None, "hidden": 1}, {"probe_index": 0, "hidden": 1}]
    assert messages(Member(app, "bo").press(PROBE, button(feedback, PROBE).value, thread=thread), "error")


def test_the_reveal_shows_every_form_answer_and_nothing_was_public_before(app):
    lead, thread, post_id = blind_question(app)
    seen = form_answer(app, "maria", thread, post_id, STRONG) + form_answer(app, "bo", thread, post_id, WEAK)
    assert public(seen) == []
    wrap = messages(lead.command("stardrill", "wrapup"), "wrapup")[0]
    revealed = next(s for s in wrap.sections if s.title == "Answers, revealed together")
    assert STRONG in revealed.body and WEAK in revealed.body and "Maria" in revealed.body


def test_digests_and_leaderboards_do_not_name_a_hidden_answer_before_the_reveal(app):
    lead, thread, post_id = blind_question(app)
    form_answer(app, "maria", thread, post_id, STRONG)
    lead.command("stardrill", "leaderboard on")
    shown = messages(lead.command("stardrill", "digest now")) + messages(lead.command("stardrill", "leaderboard"))
    everything = "\n".join(m.text + "".join(s.body for s in m.sections) for m in shown)
    assert "Maria" not in everything
    lead.command("stardrill", "wrapup")
    after = messages(lead.command("stardrill", "digest now"))[0]
    assert "Maria" in "".join(s.body for s in after.sections)  # revealed: counted and named like everyone
