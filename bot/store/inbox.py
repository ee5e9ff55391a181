"""The inbox table: every inbound event, written (deduped on its platform id) before the platform is acked.

A row is `new` until a worker has handled it and handed its replies to the outbox, in the same
transaction as the flow's own writes (stardrill.worker); then `done`, and its body (the member's
words) is dropped. A redelivery of a `new` row is handled again; of a `done` row, ignored.
`cursors` keeps the newest message seen per question thread, where catch-up after downtime reads from.
"""

from __future__ import annotations

from dataclasses import dataclass

from stardrill.store.db import Store
from stardrill.store.dialect import skip_locked

MAX_ATTEMPTS = 3  # a row whose handling fails this often is given up (the member is told) instead of retried forever
KEEP_DAYS = 7  # done rows are kept this long for dedupe (platform redeliveries come within minutes)


@dataclass(frozen=True)
class Received:
    row_id: int
    fresh: bool  # False: a redelivery
    done: bool  # already handled: a duplicate to ignore


def receive(store: Store, platform: str, event_id: str, body: str, now: str,
            cursor: tuple[str, str] | None = None) -> Received:
    """Store one delivery, or find the row of an earlier delivery of it. `cursor`: (thread id, sortable position).

    One statement (a trigger keeps the thread's cursor), ahead of queued writers: this is the ack's cost.
    """
    thread, position = cursor or (None, None)
    found = store.write_one(
        "INSERT INTO inbox (platform, event_id, body, received_at, thread_id, position) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (platform, event_id) DO NOTHING RETURNING id",
        (platform, event_id, body, now, thread, position), urgent=True,
    )
    if found:
        return Received(found[0][0], True, False)
    earlier = store.row("SELECT id, status FROM inbox WHERE platform = ? AND event_id = ?", (platform, event_id))
    return Received(earlier["id"], False, earlier["status"] != "new")


def load(store: Store, row_id: int) -> dict | None:
    return store.row("SELECT * FROM inbox WHERE id = ?", (row_id,))


def is_new(store: Store, row_id: int) -> bool:
    row = store.row("SELECT status FROM inbox WHERE id = ?", (row_id,))
    return row is not None and row["status"] == "new"


def take(store: Store, row_id: int) -> bool:
    """Inside the worker's transaction: True when the row is still to be handled, and now this transaction's.

    On PostgreSQL the row stays locked until the transaction ends; a replica already handling it
    makes this False at once (SKIP LOCKED), and once that replica commits the row is `done`.
    """
    return store.row(f"SELECT id FROM inbox WHERE id = ? AND status = 'new'{skip_locked(store.kind)}", (row_id,)) is not None


def orphans(store: Store, platform: str, received_before: str) -> list[int]:
    """Rows still not handled that arrived before `received_before`: left by a replica that died."""
    return [r["id"] for r in store.rows(
        "SELECT id FROM inbox WHERE platform = ? AND status = 'new' AND received_at < ? ORDER BY id",
        (platform, received_before))]


def open_rows(store: Store, platform: str) -> list[int]:
    """Ids of rows not handled yet, oldest first (what a crash or a stop left)."""
    return [r["id"] for r in store.rows("SELECT id FROM inbox WHERE platform = ? AND status = 'new' ORDER BY id", (platform,))]


def finish(store: Store, row_id: int, now: str) -> None:
    """Mark handled (inside the worker's transaction) and drop the member's words."""
    store.execute("UPDATE inbox SET status = 'done', done_at = ?, body = NULL, error = NULL WHERE id = ?", (now, row_id))


def note_failure(store: Store, row_id: int, error: str, now: str) -> bool:
    """Count a failed attempt; True when the row is given up (status `failed`, body dropped)."""
    with store.write() as db:
        db.execute("UPDATE inbox SET attempts = attempts + 1, error = ? WHERE id = ?", (error[:300], row_id))
        attempts = db.execute("SELECT attempts FROM inbox WHERE id = ?", (row_id,)).fetchone()[0]
        if attempts < MAX_ATTEMPTS:
            return False
        db.execute("UPDATE inbox SET status = 'failed', done_at = ?, body = NULL WHERE id = ?", (now, row_id))
    return True


def last_seen(store: Store, platform: str, thread_id: str) -> str | None:
    row = store.row("SELECT last_seen FROM cursors WHERE platform = ? AND thread_id = ?", (platform, thread_id))
    return row["last_seen"] if row else None


def prune(store: Store, before: str) -> int:
    """Forget handled rows received before `before` (ISO time); cursors stay."""
    return store.execute("DELETE FROM inbox WHERE status != 'new' AND received_at < ?", (before,)).rowcount


def depths(store: Store, platforms: list[str] = ()) -> dict[str, int]:
    """Inbound events stored and not handled yet, per platform (the inbox depth gauge; read from any thread)."""
    found = dict.fromkeys(platforms, 0)
    found.update(dict(store.snapshot("SELECT platform, COUNT(*) FROM inbox WHERE status = 'new' GROUP BY platform")))
    return found
