"""run_due on an injected clock: catch-up after a restart, pause/skip/holidays, wrap-ups, refusals, DST nights."""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from stardrill.schedules import repo
from stardrill.schedules.service import ScheduleService
from tests.chat import Member, deliver
from tests.schedule_kit import Recorder, add, at, posts

BERLIN, NY = "Europe/Berlin", "America/New_York"


def service(app, recorder, **kw) -> ScheduleService:
    return ScheduleService(app, {"console": recorder}, **kw)


def test_post_due_while_down_is_sent_once_at_start_on_the_same_day(app, clock):
    add(app, "team", "09:00", BERLIN)
    clock.set(at("2026-03-02 10:30", BERLIN))  # the bot was down at 09:00
    first = Recorder(app)
    svc = service(app, first)
    assert svc.start()
    svc.stop()
    assert first.kinds() == ["question"]
    again = Recorder(app)  # a restart, and a second delivery of the same wake-up
    clock.set(at("2026-03-02 11:00", BERLIN))
    svc = service(app, again)
    assert svc.start()
    assert svc.run_due(clock.now()).claimed == []
    svc.stop()
    assert again.sent == []
    rows = posts(app)
    assert len(rows) == 1 and rows[0]["status"] == "sent" and rows[0]["local_date"] == "2026-03-02" and rows[0]["message_id"]


def test_missed_post_is_never_sent_a_day_late(app, clock):
    add(app, "team", "20:00", "Australia/Sydney")
    clock.set(at("2026-03-03 00:30", "Australia/Sydney"))  # down over the 20:00 post; now past local midnight
    recorder = Recorder(app)
    assert service(app, recorder).run_due(clock.now()).claimed == []
    clock.set(at("2026-03-03 19:59", "Australia/Sydney"))
    assert service(app, recorder).run_due(clock.now()).claimed == []
    assert recorder.sent == [] and posts(app) == []


def test_catch_up_respects_the_grace(app, clock):
    add(app, "team", "09:00", BERLIN)
    clock.set(at("2026-03-02 10:01", BERLIN))
    recorder = Recorder(app)
    assert service(app, recorder, grace=timedelta(minutes=60)).run_due(clock.now()).claimed == []
    assert service(app, recorder, grace=timedelta(minutes=62)).run_due(clock.now()).claimed == ["console:team@2026-03-02"]


def test_pause_resume_skip_and_holidays(app, clock):
    add(app, "team", "09:00", BERLIN, skip="2026-03-04")
    recorder = Recorder(app)
    svc = service(app, recorder)
    dates = []

    def day(local_date: str) -> None:
        for hhmm in ("08:59", "09:00", "09:30", "17:30"):
            clock.set(at(f"{local_date} {hhmm}", BERLIN))
            dates.extend(c.split("@")[1] for c in svc.run_due(clock.now()).claimed)

    day("2026-03-02")  # Monday: posts
    repo.set_paused(app.store, "console", "team", True, "holiday week", clock.now())
    day("2026-03-03")  # paused
    clock.set(at("2026-03-03 12:00", BERLIN))
    repo.set_paused(app.store, "console", "team", False, None, clock.now())
    day("2026-03-03")  # resumed after 09:00: today's missed post is not back-filled
    day("2026-03-04")  # a skip date
    assert repo.skip_next(app.store, "console", "team", clock.now()).isoformat() == "2026-03-05"
    day("2026-03-05")  # skipped once
    assert not repo.get(app.store, "console", "team").skip_pending
    day("2026-03-06")
    day("2026-03-07")  # Saturday
    assert dates == ["2026-03-02", "2026-03-06"]
    assert recorder.kinds().count("question") == 2


def test_wrap_up_at_five_pm_once_and_next_post_wraps_an_open_thread(app, clock):
    add(app, "team", "09:00", BERLIN)
    add(app, "night", "18:00", BERLIN)  # after 17:00: wrapped by the next post
    recorder = Recorder(app)
    svc = service(app, recorder)
    for stamp in ("2026-03-02 09:00", "2026-03-02 16:59", "2026-03-02 17:00", "2026-03-02 17:05", "2026-03-02 18:00",
                  "2026-03-03 09:00", "2026-03-03 18:00"):
        clock.set(at(stamp, BERLIN))
        svc.run_due(clock.now())
    assert recorder.kinds("team") == ["question", "wrapup", "question", "wrapup"]  # the second at Tuesday's 17:00
    assert recorder.kinds("night") == ["question", "wrapup", "question"]  # Tuesday's post wraps Monday's first
    wrap = next(m for m in recorder.sent if m.kind == "wrapup" and m.target.channel == "team")
    first = posts(app)[0]
    assert wrap.target.thread == first["thread_id"] and first["status"] == "wrapped"


def test_a_manual_post_after_the_wrapup_time_stays_open(app, clock):
    add(app, "team", "09:00", BERLIN, wrapup="12:00")
    recorder = Recorder(app)
    svc = service(app, recorder)
    for stamp in ("2026-03-02 09:00", "2026-03-02 12:00"):
        clock.set(at(stamp, BERLIN))
        svc.run_due(clock.now())
    assert recorder.kinds() == ["question", "wrapup"]
    clock.set(at("2026-03-02 12:30", BERLIN))
    deliver(app, Member(app, "lead").command("stardrill", "now"))
    clock.set(at("2026-03-02 12:31", BERLIN))
    svc.run_due(clock.now())
    assert recorder.kinds() == ["question", "wrapup"] and posts(app)[1]["status"] == "sent"


def test_permanent_refusal_pauses_the_schedule_with_a_reason(app, clock, caplog):
    add(app, "team", "09:00", BERLIN)
    clock.set(at("2026-03-02 09:00", BERLIN))
    with caplog.at_level(logging.ERROR):
        service(app, Recorder(app, refuse="not_in_channel")).run_due(clock.now())
    schedule = repo.get(app.store, "console", "team")
    assert schedule.rule.paused and "not_in_channel" in schedule.paused_reason
    assert posts(app)[0]["status"] == "failed"
    assert any("schedule for console:team paused" in r.getMessage() for r in caplog.records)
    clock.set(at("2026-03-03 09:00", BERLIN))
    recorder = Recorder(app)
    service(app, recorder).run_due(clock.now())
    assert recorder.sent == []


def test_transient_failure_is_retried_once_at_the_next_tick(app, clock):
    add(app, "team", "09:00", BERLIN)
    recorder = Recorder(app, fail=1)
    svc = service(app, recorder)
    clock.set(at("2026-03-02 09:00", BERLIN))
    assert svc.run_due(clock.now()).failed == ["console:team"]
    assert posts(app)[0]["status"] == "claimed"
    clock.advance(seconds=30)
    svc.run_due(clock.now())
    svc.run_due(clock.now())
    assert recorder.kinds() == ["question"] and posts(app)[0]["status"] == "sent"


@pytest.mark.parametrize("hhmm, night, expected", [
    ("01:30", "2026-11-01", "01:30 EDT"),  # repeated hour: first occurrence only
    ("02:30", "2026-03-08", "03:00 EDT"),  # missing hour: first minute after the gap
    ("09:00", "2026-11-01", "09:00 EST"),
    ("09:00", "2026-03-08", "09:00 EDT"),
])
def test_ticking_every_minute_through_a_dst_night_posts_exactly_once(app, clock, hhmm, night, expected):
    add(app, "team", hhmm, NY, days="daily")
    recorder = Recorder(app)
    svc = service(app, recorder, grace=timedelta(hours=12))
    clock.set(at(f"{night} 00:00", NY))
    fired = []
    for _ in range(11 * 60):  # 00:00 to 11:00 local, which lasts 10 or 12 real hours on these days
        if svc.run_due(clock.now()).claimed:
            fired.append(clock.now())
        clock.advance(minutes=1)
    assert [f.astimezone(ZoneInfo(NY)).strftime("%H:%M %Z") for f in fired] == [expected]
    assert len(recorder.sent) == 1


def test_schedules_of_platforms_without_an_adapter_here_are_left_alone(app, clock):
    add(app, "C1", "09:00", BERLIN, platform="slack")
    clock.set(at("2026-03-02 09:05", BERLIN))
    assert service(app, Recorder(app)).run_due(clock.now()).claimed == []
    assert posts(app) == []  # not claimed: the process that runs Slack will post it


def test_first_post_of_a_week_brings_last_weeks_digest_once(app, clock):
    add(app, "team", "09:00", BERLIN, days="mon-fri")
    lead = Member(app, "lead")
    lead.command("stardrill", "digest on")
    recorder = Recorder(app)
    svc = service(app, recorder)
    clock.set(at("2026-03-06 09:00", BERLIN))  # Friday: a question; someone answers it
    svc.run_due(clock.now())
    thread = app.store.row("SELECT thread_id FROM posts")["thread_id"]
    Member(app, "ana").say("I traced the slow build to a cache miss and cut it from 20 to 6 minutes.", thread=thread)
    clock.set(at("2026-03-09 09:00", BERLIN))  # Monday: a new ISO week
    svc.run_due(clock.now())
    clock.set(at("2026-03-10 09:00", BERLIN))  # Tuesday: same week, no second digest
    svc.run_due(clock.now())
    svc.stop()
    assert recorder.kinds() == ["question", "wrapup", "digest", "question", "wrapup", "question"]
    digest = next(m for m in recorder.sent if m.kind == "digest")
    assert "2026-03-02 to 2026-03-08" in digest.text


def test_a_wake_up_for_one_channel_posts_that_channel_once_and_a_full_tick_the_rest(app, clock):
    for channel in ("a", "b", "c"):
        add(app, channel, "09:00", BERLIN)
    clock.set(at("2026-03-02 09:00", BERLIN))
    recorder = Recorder(app)
    svc = service(app, recorder)
    assert svc.run_due(clock.now(), keys={"console:b"}).claimed == ["console:b@2026-03-02"]
    assert svc.run_due(clock.now(), keys={"console:b", "console:gone"}).claimed == []  # claimed already; no such row
    assert sorted(svc.run_due(clock.now()).claimed) == ["console:a@2026-03-02", "console:c@2026-03-02"]
    assert [m.target.channel for m in recorder.sent] == ["b", "a", "c"]


def test_many_channels_due_at_once_are_claimed_in_batches_each_exactly_once(app, clock):
    from stardrill.schedules.service import CLAIMS_PER_TRANSACTION

    count = 2 * CLAIMS_PER_TRANSACTION + 7
    for i in range(count):
        add(app, f"c{i:03d}", "09:00", BERLIN)
    clock.set(at("2026-03-02 09:00", BERLIN))
    recorder = Recorder(app)
    svc = service(app, recorder)
    assert len(svc.run_due(clock.now()).claimed) == count
    assert svc.run_due(clock.now()).claimed == []
    assert sorted(m.target.channel for m in recorder.sent) == [f"c{i:03d}" for i in range(count)]
    assert {r["status"] for r in posts(app)} == {"sent"} and len(posts(app)) == count
