"""A small pool of daemon threads fed by a queue.

Why not concurrent.futures: its threads are joined when the interpreter exits, so one send stuck
on a platform's Retry-After would hold a stopping process past Docker's 10 s. What these threads
leave undone stays in the database (inbox or outbox) and is picked up at the next start.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


BACKGROUND_NICENESS = 10  # added to the process's own


def background() -> None:
    """Lower this thread's OS priority: on a busy machine the threads that ack the platform (a deadline of 3 s,
    and every wait on them is a wait on the interpreter lock too) get a core first; work behind them waits."""
    try:
        me = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, me, min(19, os.getpriority(os.PRIO_PROCESS, me) + BACKGROUND_NICENESS))
    except (AttributeError, OSError):  # not Linux (priority is per process there), or not allowed: run as is
        pass


class DaemonPool:
    def __init__(self, size: int, name: str):
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._busy = 0
        self._idle = threading.Condition()
        self._threads = [threading.Thread(target=self._run, name=f"{name}-{i}", daemon=True) for i in range(size)]
        for thread in self._threads:
            thread.start()

    def submit(self, job: Callable[[], None]) -> None:
        # No lock here: an ack hands its event over through this, and a lock held by a pool thread that
        # is waiting for the interpreter lock would hold the ack up for as long (milliseconds under load).
        self._jobs.put(job)

    def _run(self) -> None:
        background()
        while True:
            job = self._jobs.get()
            if job is None:
                return
            with self._idle:
                if self._stopping.is_set():
                    continue  # dropped: what it would have done stays in the database
                self._busy += 1
            try:
                job()
            except Exception:
                log.exception("a background job failed")
            finally:
                self._done()

    def _done(self) -> None:
        with self._idle:
            self._busy -= 1
            self._idle.notify_all()

    def stop(self, wait: float) -> bool:
        """Drop queued jobs, let running ones finish for up to `wait` seconds; True when all finished."""
        with self._idle:
            self._stopping.set()  # under the lock: a job is either counted as running here, or dropped
        for _ in self._threads:
            self._jobs.put(None)
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout=wait)
