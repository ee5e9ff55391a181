"""The store's write lock (bot/store/db.py FairLock): one holder at a time, turns in arrival order, urgent
writers (an event stored before its ack) ahead of the rest, and the lock handed on even when a holder fails."""

from __future__ import annotations

import threading
import time

import pytest

from stardrill.store.db import FairLock


def queued(lock: FairLock, count: int) -> None:
    """Wait until `count` threads stand in the lock's queue (so the next one surely arrives after them)."""
    deadline = time.monotonic() + 5
    while len(lock._queue) < count:
        assert time.monotonic() < deadline, "a thread never queued"
        time.sleep(0.001)


def take_turns(lock: FairLock, arrivals: list[tuple[str, bool]]) -> list[str]:
    """Hold the lock, let `arrivals` (name, urgent) queue one after another, release; the order they got it."""
    order: list[str] = []
    threads = []
    with lock.hold():
        for i, (name, urgent) in enumerate(arrivals):
            def write(name=name, urgent=urgent):
                with lock.hold(urgent=urgent):
                    order.append(name)
            threads.append(threading.Thread(target=write))
            threads[-1].start()
            queued(lock, i + 1)
    for thread in threads:
        thread.join(5)
    return order


def test_writers_get_the_lock_in_the_order_they_asked():
    assert take_turns(FairLock(), [(name, False) for name in "abcdef"]) == list("abcdef")


def test_urgent_writers_go_ahead_of_the_others_and_in_order_among_themselves():
    arrivals = [("a", False), ("b", False), ("urgent-1", True), ("c", False), ("urgent-2", True)]
    assert take_turns(FairLock(), arrivals) == ["urgent-1", "urgent-2", "a", "b", "c"]


def test_one_holder_at_a_time_under_contention():
    lock, count, inside, overlaps = FairLock(), [0], [0], []

    def write(urgent: bool):
        for _ in range(300):
            with lock.hold(urgent=urgent):
                inside[0] += 1
                if inside[0] != 1:
                    overlaps.append(inside[0])
                seen = count[0]
                time.sleep(0)  # let another thread run mid-update: only the lock keeps this exact
                count[0] = seen + 1
                inside[0] -= 1

    threads = [threading.Thread(target=write, args=(i % 2 == 0,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert overlaps == [] and count[0] == 8 * 300


def test_a_holder_that_fails_still_hands_the_lock_on():
    lock = FairLock()
    order = []

    def waiter():
        with lock.hold():
            order.append("next")

    thread = threading.Thread(target=waiter)
    with pytest.raises(RuntimeError):
        with lock.hold():
            thread.start()
            queued(lock, 1)
            raise RuntimeError("the transaction failed")
    thread.join(5)
    assert order == ["next"]
    with lock.hold():  # and it is free again afterwards
        pass
