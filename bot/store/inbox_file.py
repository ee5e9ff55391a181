"""On SQLite the inbox and the thread cursors live in a file of their own beside the database: `<db>.inbox`.

Why: SQLite has one write lock per file. With the inbox in the main file, storing an event before
its ack waited for whichever worker transaction (a member's answer, its feedback, its queued reply)
held that lock, a few milliseconds at p99. In its own file, written by its own connections, the ack
queues only behind other acks and the short updates that mark rows handled.

Exactly-once no longer rests on one transaction covering the flow and the inbox row: the worker
writes a handled key (`handled_events`, in the main file) in the flow's own transaction, and marks
the inbox row done afterwards (stardrill.store.inbox). PostgreSQL keeps one database for both.

An older database kept `inbox` and `cursors` in the main file; opening it moves their rows here (new,
failed and done rows alike: done ones still dedupe redeliveries) and drops the old tables. The move is
idempotent, so a crash half-way is finished at the next open.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Migrations

from stardrill.store.db import Store, StoreError

INBOX_MIGRATIONS = Migrations("stardrill-inbox")
SUFFIX = ".inbox"
TABLES = ("inbox", "cursors")  # what lives in the inbox file on SQLite (in the one database on PostgreSQL)
COLUMNS = "platform, event_id, body, status, attempts, received_at, done_at, error, thread_id, position"


def inbox_path(db: Path | str) -> Path:
    """The inbox file of the SQLite database at `db`."""
    db = Path(db)
    return db.with_name(db.name + SUFFIX)


@INBOX_MIGRATIONS()
def m001_inbox_and_cursors(db) -> None:
    # The same tables as the main schema's m005 and m007 (PostgreSQL keeps those): the trigger keeps a
    # question thread's newest message seen, so storing an event stays one statement.
    for statement in (
        "CREATE TABLE IF NOT EXISTS inbox (id INTEGER PRIMARY KEY, platform TEXT NOT NULL, event_id TEXT NOT NULL, "
        "body TEXT, status TEXT NOT NULL DEFAULT 'new', attempts INTEGER NOT NULL DEFAULT 0, received_at TEXT NOT NULL, "
        "done_at TEXT, error TEXT, thread_id TEXT, position TEXT, UNIQUE (platform, event_id))",
        "CREATE INDEX IF NOT EXISTS inbox_open ON inbox (platform, id) WHERE status = 'new'",
        "CREATE TABLE IF NOT EXISTS cursors (platform TEXT NOT NULL, thread_id TEXT NOT NULL, last_seen TEXT NOT NULL, "
        "PRIMARY KEY (platform, thread_id))",
        "CREATE TRIGGER IF NOT EXISTS inbox_cursor AFTER INSERT ON inbox WHEN NEW.thread_id IS NOT NULL BEGIN "
        "INSERT INTO cursors (platform, thread_id, last_seen) VALUES (NEW.platform, NEW.thread_id, NEW.position) "
        "ON CONFLICT (platform, thread_id) DO UPDATE SET last_seen = MAX(last_seen, excluded.last_seen); END",
    ):
        db.execute(statement)


class InboxStore(Store):
    """The inbox file: a Store of its own (connections, write queue, checkpoints), with the inbox schema."""

    migrations = INBOX_MIGRATIONS

    def _open_inbox(self) -> Store:
        return self


def open_inbox(main: Store) -> InboxStore:
    """The inbox file beside `main`, with any rows an older version left in the main file moved into it."""
    box = InboxStore(inbox_path(main.path), main.synchronous, main.busy_timeout_ms)
    try:
        move_old_rows(main.path, box.path, main.busy_timeout_ms)
    except sqlite3.Error as exc:
        box.close()
        raise StoreError(f"cannot move the inbox of {main.path} into {box.path}: {exc}") from exc
    return box


def move_old_rows(db: Path, box: Path, busy_timeout_ms: int) -> int:
    """Move `inbox` and `cursors` rows from the main file into the inbox file and drop the old tables.

    One transaction over both files; in WAL mode each file commits atomically but not the two
    together, so the copy is written to be repeated: rows already there are skipped (keyed on the
    event), cursors keep the newest position.
    """
    conn = sqlite3.connect(str(db), timeout=busy_timeout_ms / 1000, isolation_level=None)
    try:
        if not _has_table(conn):  # the usual case, checked without taking the write lock
            return 0
        conn.execute("ATTACH DATABASE ? AS box", (str(box),))
        conn.execute("BEGIN IMMEDIATE")
        if not _has_table(conn):  # another process moved them while this one waited
            conn.execute("ROLLBACK")
            return 0
        moved = conn.execute(f"INSERT INTO box.inbox ({COLUMNS}) SELECT {COLUMNS} FROM main.inbox WHERE true ORDER BY id "
                             "ON CONFLICT (platform, event_id) DO NOTHING").rowcount
        conn.execute("INSERT INTO box.cursors (platform, thread_id, last_seen) SELECT platform, thread_id, last_seen "
                     "FROM main.cursors WHERE true ON CONFLICT (platform, thread_id) "
                     "DO UPDATE SET last_seen = MAX(last_seen, excluded.last_seen)")
        for statement in ("DROP TRIGGER IF EXISTS main.inbox_cursor", "DROP TABLE main.inbox",
                          "DROP TABLE IF EXISTS main.cursors"):
            conn.execute(statement)
        conn.execute("COMMIT")
        return moved
    finally:
        conn.close()


def _has_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'inbox'").fetchone() is not None
