"""One scheduler per database, APScheduler really waking the service, and chat changes re-arming it at once."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from stardrill.app import Stardrill
from stardrill.schedules.service import ScheduleService
from stardrill.store import Store
from tests.chat import Member
from tests.schedule_kit import Recorder, add, at, posts
from tests.stores import address, reopen

ROOT = Path(__file__).resolve().parents[1]
BERLIN = "Europe/Berlin"

SECOND_PROCESS = textwrap.dedent("""
    import sys
    from stardrill.app import Stardrill
    from stardrill.content_loader import load_bank
    from stardrill.schedules.service import ScheduleService
    from tests.schedule_kit import Recorder
    from tests.stores import open_address
    import logging; logging.basicConfig(level=logging.WARNING)
    app = Stardrill(load_bank(), open_address(sys.argv[1]))
    service = ScheduleService(app, {"console": Recorder(app)})
    print("scheduling" if service.start() else "not scheduling")
    service.stop()
""")


def test_two_starts_on_one_database_make_one_scheduler(app, bank, clock, caplog):
    add(app, "team", "09:00", BERLIN)
    clock.set(at("2026-03-02 09:01", BERLIN))
    first, second = Recorder(app), None
    one = ScheduleService(app, {"console": first})
    assert one.start()
    other_app = Stardrill(bank, reopen(app.store), clock, seed=7)  # a second start, its own connections
    second = Recorder(other_app)
    two = ScheduleService(other_app, {"console": second})
    with caplog.at_level(logging.WARNING):
        assert not two.start()
    assert any("another scheduler already runs" in r.getMessage() and "pid" in r.getMessage() for r in caplog.records)
    run = subprocess.run([sys.executable, "-c", SECOND_PROCESS, address(app.store)], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert run.stdout.strip() == "not scheduling", run.stderr
    assert "another scheduler already runs" in run.stderr
    one.stop()
    three = ScheduleService(other_app, {"console": second})
    try:
        assert three.start()  # released on stop: the next start takes over
    finally:
        three.stop()  # a scheduler left running would wake after the session's thread pools are gone
        other_app.store.close()
    assert len(first.sent) == 1 and second.sent == [] and len(posts(app)) == 1


def _eventually(probe, seconds: float = 5.0):
    deadline = time.monotonic() + seconds
    while (found := probe()) is None and time.monotonic() < deadline:
        time.sleep(0.01)
    return found


class MovingClock:
    """Real time, shifted: the test lives a second before a schedule's minute without waiting for it."""

    def __init__(self, start: datetime):
        self.offset = start - datetime.now(timezone.utc)

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset


def test_apscheduler_wakes_the_service_for_a_post_a_second_ahead(bank, tmp_path):
    store = Store(tmp_path / "w.db")
    clock = MovingClock(at("2026-03-02 08:59:59", BERLIN))
    app = Stardrill(bank, store, clock, seed=7)
    add(app, "team", "09:00", BERLIN)
    recorder = Recorder(app)
    svc = ScheduleService(app, {"console": recorder})
    assert svc.start()
    try:
        assert recorder.sent == []  # not due yet at start
        assert recorder.arrived.wait(timeout=10), "APScheduler never woke the service"
        woke = clock.now()
        assert at("2026-03-02 09:00", BERLIN) <= woke < at("2026-03-02 09:00:05", BERLIN)
        assert recorder.kinds() == ["question"]
        next_run = _eventually(lambda: svc.waker.next_run("console", "team"))  # re-armed for the 17:00 wrap-up
        assert timedelta(hours=7, minutes=59) < next_run - datetime.now(timezone.utc) < timedelta(hours=8, minutes=1)
    finally:
        svc.stop()
        store.close()


def test_a_chat_command_rearms_a_running_scheduler_at_once(app, clock):
    clock.set(at("2026-03-02 10:00", BERLIN))
    svc = ScheduleService(app, {"console": Recorder(app)})
    assert svc.start()
    try:
        assert svc.waker.next_run("console", "team") is None
        lead = Member(app, "lead")
        lead.command("stardrill", "schedule 11:00 Europe/Berlin daily")
        first = svc.waker.next_run("console", "team")
        assert timedelta(minutes=59) < first - datetime.now(timezone.utc) <= timedelta(hours=1)
        lead.command("stardrill", "pause")
        assert svc.waker.next_run("console", "team") is None
        lead.command("stardrill", "resume")
        assert svc.waker.next_run("console", "team") is not None
    finally:
        svc.stop()
