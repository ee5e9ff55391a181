"""Per-channel pacing for chat.postMessage.

Why (Slack docs, 2026-03): chat.postMessage allows about one message per second per channel, with
short bursts tolerated; past that Slack answers 429. A busy thread (ten members answering at once)
or a fan-out must not turn into a 429 storm, so each channel gets a small burst and then ~1/s.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Pacer:
    """GCRA (virtual scheduling): `wait(channel)` blocks just long enough to keep each channel at `rate`/s."""

    def __init__(self, rate: float = 1.0, burst: int = 4, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.interval = 1.0 / rate
        self.tolerance = (burst - 1) * self.interval
        self.clock, self.sleep = clock, sleep
        self._due: dict[str, float] = {}
        self._lock = threading.Lock()

    def reserve(self, channel: str) -> float:
        """Book the channel's next slot; the delay in seconds before sending in it."""
        with self._lock:
            now = self.clock()
            due = max(self._due.get(channel, now), now)
            delay = max(0.0, due - self.tolerance - now)
            self._due[channel] = due + self.interval
            return delay

    def wait(self, channel: str) -> float:
        delay = self.reserve(channel)
        if delay > 0:
            self.sleep(delay)
        return delay
