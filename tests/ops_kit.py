"""Shared by tests/test_ops_*.py: the real `stardrill` in a child process, its log lines, and what it serves.

Waits poll a condition until a deadline and then let the test assert; no assertion depends on
how long anything took.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack
from tests.fakes.slack_harness import APP_TOKEN, BOT_TOKEN, SECRET

PLATFORM_VARIABLES = ("STARDRILL_DATABASE_URL", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN",
                      "STARDRILL_METRICS_PORT", "STARDRILL_LOG_FORMAT", "STARDRILL_LOG_LEVEL")


def environment(db: Path, slack: FakeSlack | None = None, discord: FakeDiscord | None = None,
                slack_mode: str = "http", **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in PLATFORM_VARIABLES}
    env.update(STARDRILL_DB=str(db), NO_COLOR="1")
    if slack is not None:
        env.update(SLACK_BOT_TOKEN=BOT_TOKEN, STARDRILL_SLACK_API_URL=slack.url)
        env.update(SLACK_SIGNING_SECRET=SECRET) if slack_mode == "http" else env.update(SLACK_APP_TOKEN=APP_TOKEN)
    if discord is not None:
        env.update(DISCORD_TOKEN=discord.token, STARDRILL_DISCORD_API_URL=discord.base_url)
    env.update(extra)
    return env


def stardrill(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stardrill", *args], env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)


def wait_until(condition, timeout: float = 30.0, every: float = 0.2, what: str = "condition"):
    """Poll `condition()` until it returns something truthy; that value, or AssertionError naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(every)


class Bot:
    """`stardrill run ...` in a child process; stderr (the log) is collected line by line."""

    def __init__(self, args: list[str], env: dict):
        self.proc = subprocess.Popen([sys.executable, "-m", "stardrill", *args], env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    @property
    def log(self) -> str:
        with self._cond:
            return "".join(self.lines)

    def wait_log(self, pattern: str, timeout: float = 30.0) -> re.Match:
        """The first log line matching `pattern` (a regex); fails with the log so far if the bot exits first."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    if found := regex.search(line):
                        return found
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"no log line matches {pattern!r}; log:\n{''.join(self.lines)[-4000:]}")
                self._cond.wait(0.2)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(10)


def sent_thread(db: Path, platform: str) -> str:
    """The thread of the platform's question post once the bot has recorded it as sent."""
    def stored() -> str | None:
        con = sqlite3.connect(db)
        try:
            row = con.execute("SELECT thread_id FROM posts WHERE platform = ? AND status = 'sent'", (platform,)).fetchone()
        finally:
            con.close()
        return (row[0].partition(":")[2] or row[0]) if row else None  # Slack's ts: the core's id less its workspace

    return wait_until(stored, what=f"the {platform} question to be recorded as sent")


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def samples(url: str) -> dict[tuple, float]:
    """Scrape /metrics: {(sample name, sorted labels...): value}."""
    status, text = get(url)
    assert status == 200, text
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, *sorted(sample.labels.items()))] = sample.value
    return found


def value(scraped: dict, name: str, **labels) -> float | None:
    return scraped.get((name, *sorted(labels.items())))


def json_body(text: str) -> dict:
    return json.loads(text)
