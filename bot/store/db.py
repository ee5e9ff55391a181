"""Connection policy for one SQLite file shared by Bolt worker threads, APScheduler threads and an asyncio loop.

Why this shape (SQLite facts, 2026): WAL lets readers run beside the one writer; a read-then-write
transaction opened as DEFERRED fails at once with "database is locked" whatever the busy timeout,
so every write here opens with BEGIN IMMEDIATE; sqlite3 connections refuse to cross threads, so
each thread gets its own connection to the same file. SQLite's automatic WAL checkpoint runs inside
whichever commit crosses 1,000 pages and fsyncs the database there, a 3-5 ms stall on a reply every
hundred answers or so; here the request connections never checkpoint and one background thread does
it every CHECKPOINT_EVERY write transactions instead, woken by an event (starting a thread on the
commit that crossed the count cost that commit a fraction of a millisecond); closing the last
connection checkpoints too.

Writers in one process also queue on a fair lock before BEGIN IMMEDIATE: SQLite's busy handler
sleeps and polls, so under load a writer could wait behind many later ones; an event that must be
stored before its ack goes to the front of that queue.

The inbox is a second file with a Store of its own (`Store.inbox`, stardrill.store.inbox_file): the
front of a queue is still behind the transaction holding the lock, and a flow's transaction holds the
main file's lock for milliseconds, so acks write to a file whose lock only acks and short marks take.
"""

from __future__ import annotations

import collections
import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from stardrill.store import held
from stardrill.store.held import HeldStatement
from stardrill.store.migrations import MIGRATIONS, is_another_programs_database

BUSY_TIMEOUT_MS = 10_000
CHECKPOINT_EVERY = 100  # write transactions between background checkpoints (about 1,000 WAL pages of answers)


class StoreError(Exception):
    """The database cannot be opened or written; the message says why in one line."""


def default_db_path() -> Path:
    """``STARDRILL_DB`` if set, else ``~/.local/share/stardrill/stardrill.db``."""
    if os.environ.get("STARDRILL_DB"):
        return Path(os.environ["STARDRILL_DB"]).expanduser()
    return built_in_db_path()


def built_in_db_path() -> Path:
    """Where the database lives when ``STARDRILL_DB`` is not set (XDG's data folder)."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "stardrill" / "stardrill.db"


def missing_folder_problem(folder: Path) -> str | None:
    """Why files cannot go in `folder` (the database's, or a PostgreSQL store's health files'), or None.

    Only the built-in location's folder is Stardrill's to make. A folder named through STARDRILL_DB that does
    not exist is almost always a typo: making it would start an empty database where nobody looks, and the
    member's answers would seem lost."""
    if folder == built_in_db_path().parent or folder.exists():
        return None
    named_by = " for STARDRILL_DB" if folder == default_db_path().parent else ""
    return f"the folder {folder}{named_by} does not exist; create it or fix the path"


def prepare_folder(folder: Path) -> None:
    """Make the built-in location's folder on first use; refuse (StoreError) any other folder that is missing."""
    if problem := missing_folder_problem(folder):
        raise StoreError(problem)
    folder.mkdir(parents=True, exist_ok=True)


class FairLock:
    """Writers take turns in arrival order; an urgent one (an event to store before its ack) goes first.

    A ticket queue rather than threading.Lock: a plain lock lets a busy thread take it again and again
    while another waits, and SQLite's own busy handler sleeps and polls. The holder hands the lock
    straight to the next ticket and wakes that one thread only: waking every waiter to see whose turn
    it is cost each write a wake-up per waiting thread (10,000 posts due at once: 2.9 s of hand-overs).
    """

    def __init__(self):
        self._mutex = threading.Lock()
        self._held = False  # while False the queue is empty: a release hands over to the first in line
        self._queue: collections.deque = collections.deque()  # waiters' tickets, each a lock they block on
        self._urgent = 0  # urgent tickets, all at the front of the queue

    @contextlib.contextmanager
    def hold(self, urgent: bool = False) -> Iterator[None]:
        self._acquire(urgent)
        try:
            yield
        finally:
            self._release()

    def _acquire(self, urgent: bool) -> None:
        with self._mutex:
            if not self._held:
                self._held = True
                return
            ticket = threading.Lock()
            ticket.acquire()
            if urgent:
                self._queue.insert(self._urgent, ticket)
                self._urgent += 1
            else:
                self._queue.append(ticket)
        ticket.acquire()  # blocks until a holder hands the lock over: from then on this thread holds it

    def _release(self) -> None:
        with self._mutex:
            if not self._queue:
                self._held = False
                return
            if self._urgent:
                self._urgent -= 1  # the urgent ones are at the front
            ticket = self._queue.popleft()
        ticket.release()  # still held: it passes to that thread


class Result:
    """What a statement left: its row count and its rows, fetched before its transaction ended (a cursor
    may not outlive the commit, and a pooled connection goes back to the pool)."""

    def __init__(self, cursor):
        self._rows = cursor.fetchall() if cursor.description is not None else []
        self.rowcount = cursor.rowcount  # after the fetch: SQLite counts RETURNING rows as they are stepped

    def fetchall(self) -> list[tuple]:
        return self._rows

    def fetchone(self):
        return self._rows[0] if self._rows else None

    def __iter__(self):
        return iter(self._rows)


class Store:
    """A SQLite file with one connection per thread and migrations applied at open.

    `inbox` is where the inbox and thread cursors live: a second Store on the file beside this one
    (stardrill.store.inbox_file), so an ack never queues behind a flow's transaction here.
    """

    kind = "sqlite"
    migrations = MIGRATIONS

    def __init__(self, path: str | Path | None = None, synchronous: str = "NORMAL", busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        if path is None and "STARDRILL_DB" in os.environ and not os.environ["STARDRILL_DB"].strip():
            raise StoreError("STARDRILL_DB is set but empty: give the database file's path, or unset it for the default")
        self.path = Path(path) if path is not None else default_db_path()
        self.label = str(self.path)
        self.synchronous = synchronous
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._writes = 0
        self._checkpointing = threading.Lock()  # held while a background checkpoint runs
        self._checkpoint_due = threading.Event()
        self._checkpointer: threading.Thread | None = None  # started at the first checkpoint, lives with the process
        self._writers = FairLock()
        self._held: dict[str, HeldStatement | None] = {}  # one-step statements run with the interpreter lock held
        self._open_checked()
        self.inbox = self._open_inbox()

    def _open_inbox(self) -> "Store":
        from stardrill.store.inbox_file import open_inbox  # it builds on this class

        try:
            return open_inbox(self)
        except StoreError:
            self.close()
            raise

    def _open_checked(self) -> None:
        self._refuse_another_programs_file()
        try:
            prepare_folder(self.path.parent)
            db = self.db
            self.migrations.apply(db)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot use database {self.path}: {exc}") from exc

    def _refuse_another_programs_file(self) -> None:
        """Refuse an existing SQLite file that has tables but none of Stardrill's, before anything writes to it.

        Why before the first connection: opening switches the file to WAL mode, the migrations add
        Stardrill's tables and an inbox file appears beside it, all in someone else's database.
        """
        if is_another_programs_database(self.path, self.migrations.name):
            raise StoreError(f"{self.path} is another program's SQLite database (it has tables, none of them "
                             "Stardrill's); set STARDRILL_DB to a new file or a Stardrill database")

    @property
    def db(self) -> sqlite_utils.Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._connect()
            self._local.db = db
        return db

    def _connect(self) -> sqlite_utils.Database:
        return sqlite_utils.Database(self._open(), execute_plugins=False)

    def _open(self, isolation_level: str | None = "") -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), timeout=self.busy_timeout_ms / 1000, isolation_level=isolation_level)
        conn.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={self.synchronous}")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA wal_autocheckpoint=0")  # see the module docstring: checkpoints run in the background
        with self._lock:
            self._all.append(conn)
        return conn

    @contextlib.contextmanager
    def write(self, urgent: bool = False) -> Iterator[sqlite_utils.Database]:
        """A write transaction that takes the write lock up front (BEGIN IMMEDIATE); `urgent` goes before queued writers."""
        db = self.db
        conn = db.conn
        if conn.in_transaction:  # nested: join the outer transaction
            yield db
            return
        with self._writers.hold(urgent):
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
            if due and self._checkpointer is None:
                self._checkpointer = threading.Thread(target=self._checkpoints, name="stardrill-checkpoint", daemon=True)
                self._checkpointer.start()
        if due:
            self._checkpoint_due.set()  # a signal, not a new thread: this runs on the commit that crossed the count

    def _checkpoints(self) -> None:
        """Copy the WAL into the database file off the request threads (PASSIVE: never blocks a writer)."""
        conn = None
        try:
            while True:
                self._checkpoint_due.wait()
                with self._checkpointing:
                    self._checkpoint_due.clear()
                    if threading.current_thread() is not self._checkpointer:
                        return  # the store was closed: a later write starts a new one
                    try:
                        conn = conn or sqlite3.connect(str(self.path), timeout=self.busy_timeout_ms / 1000)
                        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                    except sqlite3.Error:
                        pass  # the next checkpoint, or closing the last connection, copies what this one could not
        finally:
            if conn is not None:
                conn.close()

    def wait_for_checkpoint(self) -> None:
        """Return once no background checkpoint is due or running (for shutdown and tests)."""
        while self._checkpoint_due.is_set():
            time.sleep(0.005)
        with self._checkpointing:
            pass
        if self.inbox is not self:
            self.inbox.wait_for_checkpoint()

    def rows(self, sql: str, params: tuple | list | dict = ()) -> list[dict]:
        # Plain cursor reads: sqlite_utils' query() wraps every read in a SAVEPOINT, which the hot
        # path (a thread reply runs about ten reads) does not need.
        try:
            cursor = self.db.conn.execute(sql, params)
        except OverflowError:  # an id typed as 2**63 or more: no row can have it (SQLite integers are 64-bit)
            return []
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, values)) for values in cursor]

    def row(self, sql: str, params: tuple | list | dict = ()) -> dict | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def write_one(self, sql: str, params: tuple | list = (), urgent: bool = False) -> list[tuple]:
        """One statement as its own transaction, in a single call into SQLite (an autocommit connection).

        For the ack path: BEGIN, the statement and COMMIT as three calls each give the interpreter lock
        away and wait to get it back, which under load is most of the cost. Its rows (RETURNING) are
        returned; the statement is complete, and committed, when this returns.
        """
        conn = getattr(self._local, "single", None)
        if conn is None:
            conn = self._local.single = self._open(isolation_level=None)
        with self._writers.hold(urgent):
            try:
                found = conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                raise StoreError(f"cannot write to database {self.path}: {exc}") from exc
        self._count_write()
        return found

    def insert_one(self, sql: str, params: tuple | list = (), urgent: bool = False) -> int | None:
        """One INSERT (ending ON CONFLICT ... DO NOTHING) as its own transaction: the new row's id, or None.

        For the ack path: see `_one_step`. The id is SQLite's last insert rowid, read only when the
        statement inserted (a trigger's inserts do not change it).
        """
        changed, row_id = self._one_step(sql, params, urgent)
        return row_id if changed == 1 else None

    def update_one(self, sql: str, params: tuple | list = ()) -> int:
        """One UPDATE or DELETE as its own transaction, through `_one_step`; the rows it changed."""
        return self._one_step(sql, params, False)[0]

    def _one_step(self, sql: str, params: tuple | list, urgent: bool) -> tuple[int, int]:
        """One write statement with no result rows as its own transaction: (rows changed, last insert rowid).

        First with the interpreter lock held (stardrill.store.held: no hand-off to busy threads
        mid-statement, which under load was most of an ack's cost, and no holding of the write queue
        while waiting for that lock); when that cannot run (no shared libsqlite3, the file busy in
        another process), through the sqlite3 module in ONE step into SQLite.
        """
        with self._writers.hold(urgent):
            statement = self._held_statement(sql)
            written, changed, row_id = statement.run(tuple(params)) if statement is not None else (False, 0, 0)
            if not written:
                conn = getattr(self._local, "single", None)
                if conn is None:
                    conn = self._local.single = self._open(isolation_level=None)
                try:
                    cursor = conn.execute(sql, params)
                except sqlite3.OperationalError as exc:
                    raise StoreError(f"cannot write to database {self.path}: {exc}") from exc
                changed, row_id = cursor.rowcount, cursor.lastrowid
        self._count_write()
        return changed, row_id

    def _held_statement(self, sql: str) -> HeldStatement | None:
        """The statement prepared for running with the interpreter lock held, made at its first use (under the
        write queue), or None where that cannot be."""
        if sql not in self._held:
            try:
                self._held[sql] = HeldStatement(str(self.path), sql, self.synchronous) if held.available() else None
            except OSError:
                self._held[sql] = None
        return self._held[sql]

    def execute(self, sql: str, params: tuple | list | dict = ()) -> Result:
        """Run one write statement in its own IMMEDIATE transaction (or the caller's)."""
        with self.write() as db:
            return Result(db.execute(sql, params))

    def snapshot(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        """A read from any thread (metrics scrapes, health checks) on a short-lived connection of its own:
        such threads come and go, and each would otherwise keep a connection open for good."""
        try:
            conn = sqlite3.connect(self.path.resolve().as_uri() + "?mode=rw", uri=True, timeout=2)
            try:
                return conn.execute(sql, params).fetchall()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    def close(self) -> None:
        inbox = getattr(self, "inbox", self)  # absent when opening failed before the inbox file was opened
        if inbox is not self:
            inbox.close()
        with self._writers.hold():  # a held statement is freed in C: never while a writer may be running it
            held_statements, self._held = self._held, {}
        for statement in held_statements.values():
            if statement is not None:
                statement.close()
        with self._lock:
            if self._checkpointer is not None:
                self._checkpointer = None
                self._checkpoint_due.set()  # wakes it to end
            for conn in self._all:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._all.clear()
        self._local = threading.local()
