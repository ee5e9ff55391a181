"""Connection policy for one SQLite file shared by Bolt worker threads, APScheduler threads and an asyncio loop.

Why this shape (SQLite facts, 2026): WAL lets readers run beside the one writer; a read-then-write
transaction opened as DEFERRED fails at once with "database is locked" whatever the busy timeout,
so every write here opens with BEGIN IMMEDIATE; sqlite3 connections refuse to cross threads, so
each thread gets its own connection to the same file. SQLite's automatic WAL checkpoint runs inside
whichever commit crosses 1,000 pages and fsyncs the database there, a 3-5 ms stall on a reply every
hundred answers or so; here the request connections never checkpoint and a background thread does
it every CHECKPOINT_EVERY write transactions instead (closing the last connection checkpoints too).

Writers in one process also queue in arrival order on a fair lock before BEGIN IMMEDIATE: SQLite's
busy handler sleeps and polls, so under load a writer could wait behind many later ones (an event
that must be stored before its ack, behind a flood of replies being handled).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from stardrill.store.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 10_000
CHECKPOINT_EVERY = 100  # write transactions between background checkpoints (about 1,000 WAL pages of answers)


class StoreError(Exception):
    """The database cannot be opened or written; the message says why in one line."""


def default_db_path() -> Path:
    """``STARDRILL_DB`` if set, else ``~/.local/share/stardrill/stardrill.db``."""
    if os.environ.get("STARDRILL_DB"):
        return Path(os.environ["STARDRILL_DB"]).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "stardrill" / "stardrill.db"


class FairLock:
    """A lock taken in arrival order (a ticket lock): no writer waits behind writers that came after it."""

    def __init__(self):
        self._cond = threading.Condition(threading.Lock())
        self._next = 0
        self._serving = 0

    def __enter__(self) -> None:
        with self._cond:
            ticket = self._next
            self._next += 1
            while self._serving != ticket:
                self._cond.wait()

    def __exit__(self, *exc) -> None:
        with self._cond:
            self._serving += 1
            self._cond.notify_all()


class Store:
    """A SQLite file with one connection per thread and migrations applied at open."""

    def __init__(self, path: str | Path | None = None, synchronous: str = "NORMAL", busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.path = Path(path) if path is not None else default_db_path()
        self.synchronous = synchronous
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._writes = 0
        self._checkpointing = threading.Lock()  # held while a background checkpoint runs
        self._writers = FairLock()
        self._open_checked()

    def _open_checked(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = self.db
            MIGRATIONS.apply(db)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot use database {self.path}: {exc}") from exc

    @property
    def db(self) -> sqlite_utils.Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._connect()
            self._local.db = db
        return db

    def _connect(self) -> sqlite_utils.Database:
        conn = sqlite3.connect(str(self.path), timeout=self.busy_timeout_ms / 1000)
        conn.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={self.synchronous}")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA wal_autocheckpoint=0")  # see the module docstring: checkpoints run in the background
        with self._lock:
            self._all.append(conn)
        return sqlite_utils.Database(conn, execute_plugins=False)

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction that takes the write lock up front (BEGIN IMMEDIATE)."""
        db = self.db
        conn = db.conn
        if conn.in_transaction:  # nested: join the outer transaction
            yield db
            return
        with self._writers:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"cannot write to database {self.path}: {exc}") from exc
            try:
                yield db
            except BaseException:
                conn.rollback()
                raise
            else:
                try:
                    conn.commit()
                except sqlite3.Error as exc:
                    conn.rollback()
                    raise StoreError(f"cannot write to database {self.path}: {exc}") from exc
        self._count_write()

    def _count_write(self) -> None:
        with self._lock:
            self._writes += 1
            due = self._writes % CHECKPOINT_EVERY == 0
        if due and self._checkpointing.acquire(blocking=False):
            threading.Thread(target=self._checkpoint, name="stardrill-checkpoint", daemon=True).start()

    def _checkpoint(self) -> None:
        """Copy the WAL into the database file off the request threads (PASSIVE: never blocks a writer)."""
        try:
            conn = sqlite3.connect(str(self.path), timeout=self.busy_timeout_ms / 1000)
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                conn.close()
        except sqlite3.Error:
            pass  # the next checkpoint, or closing the last connection, copies what this one could not
        finally:
            self._checkpointing.release()

    def wait_for_checkpoint(self) -> None:
        """Return once no background checkpoint is running (for shutdown and tests)."""
        with self._checkpointing:
            pass

    def rows(self, sql: str, params: tuple | list | dict = ()) -> list[dict]:
        # Plain cursor reads: sqlite_utils' query() wraps every read in a SAVEPOINT, which the hot
        # path (a thread reply runs about ten reads) does not need.
        cursor = self.db.conn.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, values)) for values in cursor]

    def row(self, sql: str, params: tuple | list | dict = ()) -> dict | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def execute(self, sql: str, params: tuple | list | dict = ()) -> sqlite3.Cursor:
        """Run one write statement in its own IMMEDIATE transaction (or the caller's)."""
        with self.write() as db:
            return db.execute(sql, params)

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._all.clear()
        self._local = threading.local()
