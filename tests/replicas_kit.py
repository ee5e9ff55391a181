"""Several `stardrill run` replicas (Slack HTTP mode, real processes) on one database, and what the fake Slack
received from them. Shared by tests/test_replicas.py and bench/replicas.py.

The replicas listen on ports chosen here, so a replica restarted after kill -9 comes back where a load
balancer expects it. `Tally` reads the fake's calls as they arrive: daily questions per channel (the
posts carrying Stardrill's metadata) and feedback per member per question thread (each member answers
a thread once, and the feedback's headline names who it is for).
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from stardrill.schedules import repo, rules
from tests.fakes import slack_payloads as p
from tests.fakes.slack import TEAM, FakeSlack
from tests.fakes.slack_harness import SECRET
from tests.faults_kit import Bot, BotDb, environment

LEADS = "scheduler started"
STANDS_BY = "another scheduler already runs"
TAKES_OVER = "this one schedules them now"
FEEDBACK_FOR = re.compile(r"^Feedback for (\S+?):")


class SharedDb(BotDb):
    """The replicas' database: a given PostgreSQL URL (a server the caller started), or a SQLite file."""

    def __init__(self, folder: Path, url: str | None = None):
        self.engine = "postgresql" if url else "sqlite"
        self.path, self.url = folder / "bot.db", url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def distinct_free_ports(count: int) -> list[int]:
    """`count` different free ports: each pick closes its socket, so two picks can return the same port."""
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


class Replicas:
    """`count` Slack HTTP-mode processes on one database, started together."""

    def __init__(self, fake: FakeSlack, db: BotDb, count: int, **extra: str):
        self.fake, self.db, self.extra = fake, db, extra
        self.ports = distinct_free_ports(count)
        self.bots = [self._spawn(port) for port in self.ports]
        try:
            for bot in self.bots:
                bot.wait_log(r"listening on port")
        except BaseException:
            self.stop()  # none outlives a failed start (the fixture only stops groups that started)
            raise

    def _spawn(self, port: int) -> Bot:
        return Bot(["--platform", "slack", "--slack-mode", "http", "--port", str(port)],
                   environment(self.db, slack=self.fake, **self.extra))

    def leader(self, timeout: float = 60.0) -> int:
        """The index of the replica that holds the scheduler lock (it logged that it started scheduling)."""
        return self.first_to_log(LEADS, timeout)[0]

    def wait_takeover(self, timeout: float = 30.0) -> tuple[int, float]:
        """(index, epoch seconds the line was logged) of a surviving replica that took over the scheduler."""
        return self.first_to_log(TAKES_OVER, timeout)

    def first_to_log(self, text: str, timeout: float) -> tuple[int, float]:
        deadline, read = time.monotonic() + timeout, [0] * len(self.bots)
        while time.monotonic() < deadline:
            for i, bot in enumerate(self.bots):
                new = bot.lines[read[i]:]  # only appended to: read each line once
                read[i] += len(new)
                for line in new:
                    if text in line and self.alive(i):
                        return i, logged_at(line)
            time.sleep(0.01)
        raise AssertionError(f"no replica logged {text!r} within {timeout:.0f} s")

    def alive(self, i: int) -> bool:
        return self.bots[i].proc.poll() is None

    def live_ports(self) -> list[int]:
        return [port for i, port in enumerate(self.ports) if self.alive(i)]

    def kill(self, i: int) -> None:
        self.bots[i].kill()

    def restart(self, i: int) -> None:
        """What a supervisor does after a crash: the same command, on the same port."""
        self.bots[i] = self._spawn(self.ports[i])
        self.bots[i].wait_log(r"listening on port")

    def stop(self) -> list[int]:
        return [bot.stop()[0] for i, bot in enumerate(self.bots) if self.alive(i)]


def due_a_minute_ago(store, channels: list[str]) -> None:
    """Daily schedules whose post fell due a minute ago, on today's date in their zone (never across midnight)."""
    now = datetime.now(timezone.utc)
    for zone in ("UTC", "Etc/GMT+6", "Etc/GMT-6"):
        local = (now - timedelta(minutes=1)).astimezone(ZoneInfo(zone))
        if local.date() == now.astimezone(ZoneInfo(zone)).date():
            break
    rule = rules.make_rule(local.strftime("%H:%M"), zone, None, None, None, now - timedelta(days=1))
    for channel in channels:
        repo.save(store, "slack", f"{TEAM}:{channel}", rule, now - timedelta(days=1))


def logged_at(line: str) -> float:
    """Epoch seconds of a text log line (`2026-03-02 09:00:00,123 INFO ...`, local time)."""
    stamp, millis = line[:23].split(",")
    return time.mktime(time.strptime(stamp, "%Y-%m-%d %H:%M:%S")) + int(millis) / 1000


def sent_threads(db: BotDb) -> dict[str, str]:
    """Channel (Slack's id) -> thread of its question, for every question the replicas recorded as sent."""
    found = db.rows("SELECT channel_id, thread_id FROM posts WHERE status = 'sent' AND thread_id IS NOT NULL")
    return {channel.partition(":")[2] or channel: thread.partition(":")[2] or thread for channel, thread in found}


def answer_body(channel: str, thread_ts: str, user: str, text: str) -> tuple[str, str]:
    """A member's reply in a question thread, as Slack's signed Events API body (its event id is the message's)."""
    return p.http_body("events_api", p.message(channel, user, text, thread_ts))


def post(port: int, body: tuple[str, str]) -> int:
    """One signed delivery to one replica; its HTTP status (an OSError when nothing listens there)."""
    return p.signed_post(f"http://127.0.0.1:{port}/slack/events", body[0], body[1], SECRET)[0]


class Tally:
    """Question posts per channel and feedback per (channel, thread, member), read from the fake as they arrive."""

    def __init__(self, fake: FakeSlack):
        self.fake = fake
        self._seen = 0
        self.questions: dict[str, list] = defaultdict(list)  # channel -> its daily question posts (Call)
        self.feedback: dict[tuple[str, str, str], list] = defaultdict(list)  # (channel, thread, member) -> feedback

    def read(self) -> "Tally":
        new = self.fake.calls[self._seen:]  # the fake only appends; a slice is taken whole
        self._seen += len(new)
        for call in new:
            if call.method == "chat.postMessage" and call.status == 200 and not call.error:
                self._count(call)
        return self

    def _count(self, call) -> None:
        params = call.params
        if not params.get("thread_ts"):
            meta = params.get("metadata")
            meta = json.loads(meta) if isinstance(meta, str) else meta or {}
            if meta.get("event_type") == "stardrill_post":
                self.questions[params["channel"]].append(call)
            return
        found = FEEDBACK_FOR.match(params.get("text") or "")
        if found:
            self.feedback[(params["channel"], params["thread_ts"], found.group(1).lower())].append(call)

    def answers_for(self, channel: str, thread: str, user: str) -> list:
        return self.feedback.get((channel, thread, user.lower()), [])

    def duplicate_posts(self) -> int:
        return sum(len(calls) - 1 for calls in self.questions.values() if len(calls) > 1)

    def duplicate_feedback(self) -> int:
        return sum(len(calls) - 1 for calls in self.feedback.values() if len(calls) > 1)
