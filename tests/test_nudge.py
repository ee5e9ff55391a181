"""The opt-in nudge: one message in the open question's thread at the set time, with how many answered; never who not."""

from __future__ import annotations

from stardrill.messages import ANSWER
from stardrill.schedules.service import ScheduleService
from tests.chat import STRONG, WEAK, Member, deliver, messages
from tests.schedule_kit import Recorder, add, at

BERLIN = "Europe/Berlin"


def open_question(app, clock, when: str = "2026-03-02 09:00"):
    clock.set(at(when, BERLIN))
    lead = Member(app, "lead")
    return lead, deliver(app, lead.command("stardrill", "now"))[0]


def nudges(recorder) -> list:
    return [m for m in recorder.sent if m.kind == "nudge"]


def test_nudge_on_sets_the_time_and_only_admins_may(app):
    guest = Member(app, "guest", admin=False)
    assert "admins" in messages(guest.command("stardrill", "nudge on 15:00"), "error")[0].text
    lead = Member(app, "lead")
    reply = messages(lead.command("stardrill", "nudge on 15:30"))[0]
    assert reply.target.private_to == "lead" and "15:30" in reply.text
    assert app.store.row("SELECT nudge_time FROM channels") == {"nudge_time": "15:30"}
    assert "15:00" in messages(lead.command("stardrill", "nudge on"))[0].text  # the default time
    assert messages(lead.command("stardrill", "nudge on 25:00"), "error")
    lead.command("stardrill", "nudge off")
    assert app.store.row("SELECT nudge_time FROM channels") == {"nudge_time": None}


def test_one_nudge_in_the_thread_at_the_time_counting_answers_never_naming(app, clock):
    add(app, "team", "18:00", BERLIN)  # the channel's calendar is Berlin time; nothing else is due before 18:00
    lead, thread = open_question(app, clock)
    lead.command("stardrill", "nudge on 15:00")
    Member(app, "ana").say(STRONG, thread=thread)
    Member(app, "bo").say(WEAK, thread=thread)
    recorder = Recorder(app)
    service = ScheduleService(app, {"console": recorder})
    service.run_due(at("2026-03-02 14:59", BERLIN))
    assert nudges(recorder) == []
    service.run_due(at("2026-03-02 15:00", BERLIN))
    service.run_due(at("2026-03-02 15:10", BERLIN))  # a later tick, or a second process: still one
    (nudge,) = nudges(recorder)
    assert nudge.target.thread == thread and not nudge.target.private_to
    assert "2 members have answered" in nudge.text and [b.action for b in nudge.buttons] == [ANSWER]
    everything = nudge.text + "".join(s.body for s in nudge.sections)
    assert "Ana" not in everything and "Bo" not in everything and "lead" not in everything.lower()


def test_no_nudge_without_opting_in_or_once_the_question_is_wrapped(app, clock):
    lead, thread = open_question(app, clock)
    recorder = Recorder(app)
    service = ScheduleService(app, {"console": recorder})
    service.run_due(at("2026-03-02 16:00", BERLIN))
    assert nudges(recorder) == []  # not opted in
    lead.command("stardrill", "nudge on 15:00")
    lead.command("stardrill", "wrapup")
    service.run_due(at("2026-03-02 16:00", BERLIN))
    assert nudges(recorder) == []


def test_a_question_nobody_answered_yet_gets_an_inviting_nudge(app, clock):
    lead, thread = open_question(app, clock)
    lead.command("stardrill", "nudge on 10:00")  # no schedule: the channel's day is UTC
    recorder = Recorder(app)
    ScheduleService(app, {"console": recorder}).run_due(at("2026-03-02 11:30", BERLIN))
    (nudge,) = nudges(recorder)
    assert "Nobody has answered yet" in nudge.text
