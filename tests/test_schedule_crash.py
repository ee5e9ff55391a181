"""kill -9 between claim and send, for real: a child process claims, then hangs in deliver; we SIGKILL it and restart.

Two moments: before the platform got the message (the restart must send it: no loss) and after the
platform got it but before the bot stored its id (the restart must ask the platform and not resend:
no duplicate). The fake platform's record is a file, so it outlives the killed process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from stardrill.schedules.service import ScheduleService
from tests.schedule_kit import Recorder, add, at, platform_log, posts
from tests.stores import address

ROOT = Path(__file__).resolve().parents[1]
BERLIN = "Europe/Berlin"

CHILD = textwrap.dedent("""
    import sys, threading
    from pathlib import Path
    from stardrill.app import Stardrill
    from stardrill.clock import FixedClock
    from stardrill.content_loader import load_bank
    from stardrill.schedules.service import ScheduleService
    from tests.schedule_kit import Recorder, at
    from tests.stores import open_address

    db, log, moment = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    app = Stardrill(load_bank(), open_address(db), FixedClock(at("2026-03-02 09:00", "Europe/Berlin")), seed=7)

    class Hangs(Recorder):
        def deliver(self, outbound):
            if moment == "after-platform":
                for m in outbound:  # the platform has it; the bot never learns the id
                    with self.log.open("a") as f:
                        f.write('{"channel": "%s", "track": "%s", "id": "console-99"}\\n' % (m.target.channel, m.track))
            Path(str(self.log) + ".hung").write_text("hung")
            threading.Event().wait()  # forever: the parent kills us here

    ScheduleService(app, {"console": Hangs(app, log=log)}).start()
""")


@pytest.mark.parametrize("moment", ["before-platform", "after-platform"])
def test_kill_9_between_claim_and_send_then_restart_posts_exactly_once(app, clock, tmp_path, moment):
    add(app, "team", "09:00", BERLIN)
    log = tmp_path / "platform.jsonl"
    child = subprocess.Popen([sys.executable, "-c", CHILD, address(app.store), str(log), moment], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    hung = Path(f"{log}.hung")
    deadline = time.monotonic() + 30
    while not hung.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert hung.exists(), child.stderr.read().decode() if child.poll() is not None else "child never reached deliver"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    [row] = posts(app)
    assert row["status"] == "claimed" and row["message_id"] is None  # the crash left a claim without an id

    clock.set(at("2026-03-02 09:20", BERLIN))
    recorder = Recorder(app, log=log)
    svc = ScheduleService(app, {"console": recorder})
    assert svc.start()  # the kernel dropped the dead child's lock
    svc.run_due(clock.now())
    svc.stop()
    on_platform = platform_log(log)
    assert len(on_platform) == 1, on_platform  # no loss, no duplicate
    [row] = posts(app)
    assert row["status"] == "sent" and row["message_id"] == on_platform[0]["id"]
    assert len(recorder.sent) == (1 if moment == "before-platform" else 0)


def test_a_claim_left_by_a_crash_is_reported_once_its_day_has_passed(app, clock, tmp_path, caplog):
    add(app, "team", "09:00", BERLIN)
    from stardrill import daily

    assert daily.claim_question(app, "console", "team", local_date="2026-03-02") is not None  # then "crash"
    clock.set(at("2026-03-03 08:00", BERLIN))
    recorder = Recorder(app, log=tmp_path / "platform.jsonl")
    svc = ScheduleService(app, {"console": recorder})
    assert svc.start()
    svc.stop()
    assert recorder.sent == []
    row = posts(app)[0]
    assert row["status"] == "failed" and "local day" in row["error"]
    assert any("local day" in r.getMessage() for r in caplog.records)
