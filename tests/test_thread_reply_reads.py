"""A reply in a question's thread is handled from one read of its post, channel, schedule and member
(records.thread_reply): the level, the local date and the channel's flags it stores come out as before."""

from __future__ import annotations

from stardrill.schedules import repo, rules
from stardrill.store import records
from tests.chat import STRONG, Member, deliver, messages


def open_question(app, lead):
    out = lead.command("stardrill", "now")
    return deliver(app, out)[0]


def stored_answers(app) -> list[dict]:
    return app.store.rows("SELECT user_id, level, local_date FROM answers ORDER BY id")


def test_an_answer_is_stored_at_the_members_level_else_the_channels_else_the_default(app):
    lead, ana, bo, cy = Member(app, "lead"), Member(app, "ana"), Member(app, "bo"), Member(app, "cy")
    thread = open_question(app, lead)
    ana.say("hello")  # ana is a member on record before her level is set
    records.set_user_field(app.store, "console", "ana", "level", "staff")
    records.set_channel_flag(app.store, "console", "team", "level", "em")
    assert messages(ana.say(STRONG, thread=thread), "feedback")
    assert messages(bo.say(STRONG, thread=thread), "feedback")
    records.set_channel_flag(app.store, "console", "team", "level", None)
    assert messages(cy.say(STRONG, thread=thread), "feedback")
    assert [(a["user_id"], a["level"]) for a in stored_answers(app)] == [("ana", "staff"), ("bo", "em"), ("cy", "senior")]


def test_an_answer_is_dated_in_the_channels_schedule_timezone(app):
    lead, ana = Member(app, "lead"), Member(app, "ana")
    thread = open_question(app, lead)
    assert messages(ana.say(STRONG, thread=thread), "feedback")  # no schedule: UTC, 2026-03-02 09:00
    rule = rules.make_rule("09:00", "Pacific/Pago_Pago", "mon-fri", None, None, app.now())  # UTC-11: still March 1st
    repo.save(app.store, "console", "team", rule, app.now())
    assert messages(ana.say(STRONG, thread=thread), "feedback")
    assert [a["local_date"] for a in stored_answers(app)] == ["2026-03-02", "2026-03-01"]


def test_a_reply_in_a_thread_whose_channel_has_no_row_gets_feedback_and_creates_the_row(app):
    lead, ana = Member(app, "lead"), Member(app, "ana")
    thread = open_question(app, lead)
    app.store.execute("DELETE FROM channels WHERE platform = 'console' AND channel_id = 'team'")
    feedback = messages(ana.say(STRONG, thread=thread), "feedback")
    assert feedback and feedback[0].target.private_to is None
    assert records.ensure_channel(app.store, "console", "team", app.stamp())["blind"] == 0
    assert app.store.row("SELECT COUNT(*) AS n FROM channels WHERE channel_id = 'team'")["n"] == 1


def test_private_feedback_and_blind_channels_read_from_the_same_row(app):
    lead, ana, bo = Member(app, "lead"), Member(app, "ana"), Member(app, "bo")
    thread = open_question(app, lead)
    records.set_channel_flag(app.store, "console", "team", "private_feedback", 1)
    feedback = messages(ana.say(STRONG, thread=thread), "feedback")
    assert feedback and feedback[0].target.private_to == "ana"
    records.set_channel_flag(app.store, "console", "team", "blind", 1)
    assert not messages(bo.say(STRONG, thread=thread), "feedback")  # blind: a thread reply is refused, not stored
    assert [a["user_id"] for a in stored_answers(app)] == ["ana"]


def test_a_thread_that_is_not_a_question_reads_nothing_more(app):
    ana = Member(app, "ana")
    assert ana.say(STRONG, thread="ts-unknown") == []
    assert records.thread_reply(app.store, "console", "ts-unknown", "ana") is None
