"""Shared by tests/test_schedule_*.py: a recording adapter (a fake platform that remembers what it posted)."""

from __future__ import annotations

import itertools
import json
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from stardrill.messages import Message, Sent
from stardrill.ports import DeliveryError
from stardrill.schedules import repo, rules


class Recorder:
    """A platform in memory (or in a JSON-lines file, so it outlives a killed process)."""

    def __init__(self, app, platform: str = "console", log: Path | None = None, refuse: str | None = None, fail: int = 0):
        self.app, self.platform, self.log = app, platform, log
        self.refuse, self.fail = refuse, fail  # refuse: permanent error text; fail: transient failures to raise first
        self.sent: list[Message] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.arrived = threading.Event()

    def deliver(self, outbound) -> None:
        with self._lock:
            if self.refuse:
                raise DeliveryError(self.refuse, permanent=True)
            if self.fail:
                self.fail -= 1
                raise DeliveryError("timeout talking to the platform")
            for message in outbound:
                message_id = f"{self.platform}-{next(self._ids)}"
                self.sent.append(message)
                if self.log:
                    with self.log.open("a") as f:
                        f.write(json.dumps({"channel": message.target.channel, "track": message.track, "id": message_id}) + "\n")
                if message.track:
                    self.app.sent(message.track, Sent(message_id, message_id))
        self.arrived.set()

    def already_posted(self, channel: str, track: str) -> str | None:
        for record in platform_log(self.log):
            if record["channel"] == channel and record["track"] == track:
                return record["id"]
        return None

    def kinds(self, channel: str | None = None) -> list[str]:
        return [m.kind for m in self.sent if channel is None or m.target.channel == channel]


def platform_log(path: Path | None) -> list[dict]:
    if path is None or not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def at(text: str, tz: str) -> datetime:
    """'2026-03-02 09:00' local in tz -> aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz)).astimezone(rules.UTC)


def add(app, channel: str, time: str, tz: str, *, days=None, skip=None, wrapup=None, since: str = "2026-01-01 00:00", platform="console"):
    rule = rules.make_rule(time, tz, days, None, wrapup, at(since, tz))
    if skip:
        rule = rule.with_(skip_dates=frozenset(rules.date.fromisoformat(d) for d in skip.split(",")))
    repo.save(app.store, platform, channel, rule, at(since, tz))


def posts(app) -> list[dict]:
    return app.store.rows("SELECT * FROM posts ORDER BY id")
