"""The scheduler posting through the Slack adapter: schedule command -> post -> thread -> feedback; refusals pause."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from stardrill.ports import DeliveryError
from stardrill.schedules.service import ScheduleService
from tests.chat import STRONG
from tests.fakes.slack_harness import ADMIN, CHANNEL, core_id, fake, http_world, is_question, world  # noqa: F401

BERLIN = ZoneInfo("Europe/Berlin")
DUE = datetime(2026, 3, 3, 9, 30, tzinfo=BERLIN)  # Tuesday; the schedule is set on Monday 10:00 Berlin (the test clock)


def schedule(world, channel: str = CHANNEL):
    world.command(ADMIN, "schedule 09:30 Europe/Berlin mon-fri", channel=channel)
    world.fake.wait_for(lambda: world.core.store.row("SELECT time, tz FROM schedules WHERE channel_id = ?", (core_id(channel),)),
                        what="the schedule row")
    return ScheduleService(world.core, {"slack": world.running.adapter})


def test_scheduled_question_opens_a_thread_that_collects_answers(world):
    service = schedule(world)
    service.run_due(DUE)
    post = [c for c in world.fake.calls_to("chat.postMessage", channel=CHANNEL) if is_question(c)]
    assert len(post) == 1
    thread = world.ts_of(post[0])
    world.say("UANA", STRONG, thread=thread)
    assert world.thread_posts(thread)[0].params["text"].startswith("Feedback for ana")
    service.run_due(DUE)  # a second tick (or a restarted process) the same day posts nothing
    assert len([c for c in world.fake.calls_to("chat.postMessage", channel=CHANNEL) if is_question(c)]) == 1
    assert world.core.store.row("SELECT status, thread_id FROM posts") == {"status": "sent", "thread_id": core_id(thread)}


def test_not_in_channel_pauses_the_schedule_instead_of_failing_daily(http_world):
    service = schedule(http_world, "C0GONE")
    http_world.fake.fail("chat.postMessage", "not_in_channel", channel="C0GONE", times=-1)
    service.run_due(DUE)
    row = http_world.core.store.row("SELECT paused, paused_reason FROM schedules WHERE channel_id = ?",
                                        (core_id("C0GONE"),))
    assert row["paused"] == 1 and "not_in_channel" in row["paused_reason"]


def test_already_posted_raises_when_slack_cannot_be_asked(http_world):
    http_world.fake.fail("conversations.history", "not_in_channel")
    with pytest.raises(DeliveryError):
        http_world.running.adapter.already_posted(CHANNEL, "post:1")
