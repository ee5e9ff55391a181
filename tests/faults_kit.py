"""Shared by tests/test_faults_*.py: the real `stardrill run` in a child process against the fakes, killed and restarted.

The fakes run in the test process, so what the platform received outlives a killed bot. Waits poll a
condition until a generous deadline; assertions are about what was stored and posted, with counts.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import psycopg

from stardrill.store import Store, dialect, open_store
from stardrill.store.inbox_file import inbox_path
from tests import ops_kit
from tests.pg_server import postgres_url
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack
from tests.fakes.slack_harness import APP_TOKEN, BOT_TOKEN, SECRET

ROOT = Path(__file__).resolve().parents[1]
CLEARED = ("STARDRILL_DATABASE_URL", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN", "STARDRILL_METRICS_PORT",
           "STARDRILL_LOG_FORMAT", "STARDRILL_LOG_LEVEL", "STARDRILL_ADMIN_USERS")


class BotDb:
    """The database bot processes share: a SQLite file, or a schema on the test run's PostgreSQL server.

    Tests read it from outside, as an operator would, with SQLite's SQL (translated for PostgreSQL).
    """

    def __init__(self, engine: str, folder: Path, name: str = "bot.db"):
        self.engine = engine
        self.path = folder / name  # the SQLite file; on PostgreSQL, the folder of this host's files about it
        self.url = postgres_url() if engine == "postgresql" else None

    def env(self) -> dict:
        return {"STARDRILL_DB": str(self.path), **({"STARDRILL_DATABASE_URL": self.url} if self.url else {})}

    def store(self):
        return open_store(self.url) if self.url else Store(self.path)

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.url is None:
            return _sqlite_rows(self.path, sql, params)
        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(dialect.for_postgres(sql), params).fetchall()

    def __str__(self) -> str:
        return self.url or str(self.path)


def environment(db: "BotDb | Path", slack: FakeSlack | None = None, discord: FakeDiscord | None = None, *,
                slack_mode: str = "http", **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(NO_COLOR="1", PYTHONPATH=str(ROOT))
    env.update(db.env() if isinstance(db, BotDb) else {"STARDRILL_DB": str(db)})
    if slack is not None:
        env.update(SLACK_BOT_TOKEN=BOT_TOKEN, STARDRILL_SLACK_API_URL=slack.url)
        env.update(SLACK_SIGNING_SECRET=SECRET) if slack_mode == "http" else env.update(SLACK_APP_TOKEN=APP_TOKEN)
    if discord is not None:
        env.update(DISCORD_TOKEN=discord.token, STARDRILL_DISCORD_API_URL=discord.base_url)
    env.update(extra)
    return env


def wait_until(condition, timeout: float = 20.0, every: float = 0.05, what: str = "condition"):
    """ops_kit.wait_until, polling faster: fault tests time acks and sends."""
    return ops_kit.wait_until(condition, timeout=timeout, every=every, what=what)


class Bot(ops_kit.Bot):
    """`stardrill run ...` in a child process; its log (stderr) collected line by line (see ops_kit.Bot)."""

    def __init__(self, args: list[str], env: dict):
        super().__init__(["run", *args], env)

    def kill(self) -> None:
        """kill -9: no handler runs, nothing is flushed or released by the process itself."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, float]:
        """Send the signal; (exit code, seconds until the process was gone)."""
        started = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait(10)
        return code, time.monotonic() - started


def slack_bot(fake: FakeSlack, db: Path, **extra) -> tuple[Bot, int]:
    """A Slack HTTP-mode bot; returns it and its port once it listens."""
    bot = Bot(["--platform", "slack", "--slack-mode", "http", "--port", "0"], environment(db, slack=fake, **extra))
    return bot, int(bot.wait_log(r"listening on port (\d+)").group(1))


def discord_bot(fake: FakeDiscord, db: Path, **extra) -> Bot:
    bot = Bot(["--platform", "discord"], environment(db, discord=fake, **extra))
    bot.wait_log(r"discord adapter started")
    return bot


def rows(db: "BotDb | Path", sql: str, params: tuple = ()) -> list[tuple]:
    """Read the bot's database from outside (its own connection, as an operator would)."""
    if isinstance(db, BotDb):
        return db.rows(sql, params)
    return _sqlite_rows(db, sql, params)


def _sqlite_rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """The inbox file is attached: `inbox` and `cursors`, absent from the main file, resolve to it."""
    con = sqlite3.connect(db, timeout=10)
    try:
        if inbox_path(db).exists():
            con.execute("ATTACH DATABASE ? AS box", (str(inbox_path(db)),))
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def count(db: "BotDb | Path", sql: str, params: tuple = ()) -> int:
    return rows(db, sql, params)[0][0]
