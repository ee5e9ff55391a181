"""The daemon pool's threads: they run what they are given, and on Linux at a lower OS priority than the
threads that ack (which keep the process's own)."""

from __future__ import annotations

import os
import sys
import threading
import time

from stardrill.threads import BACKGROUND_NICENESS, DaemonPool


def test_a_pool_thread_runs_its_jobs_at_background_priority_and_the_caller_keeps_its_own():
    seen: list[int] = []
    done = threading.Event()

    def job() -> None:
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        done.set()

    own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    pool = DaemonPool(1, "test-pool")
    try:
        pool.submit(job)
        assert done.wait(5)
    finally:
        pool.stop(1)
    if sys.platform.startswith("linux"):
        assert seen == [min(19, own + BACKGROUND_NICENESS)]
    else:
        assert len(seen) == 1
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == own


def test_stop_drops_queued_jobs_and_reports_running_ones():
    release, started, ran = threading.Event(), threading.Event(), []
    pool = DaemonPool(1, "test-pool")
    pool.submit(lambda: (started.set(), release.wait(5)))
    assert started.wait(5)
    pool.submit(lambda: ran.append("queued"))
    assert pool.stop(0.1) is False  # the running job has not finished
    release.set()
    time.sleep(0.2)  # time for the pool thread to take the next job, were it still queued
    assert ran == []  # the queued job was dropped: what it would have done stays in the database
