"""The inbox: every inbound event, written (deduped on its platform id) before the platform is acked.

A row is `new` until a worker has handled it and handed its replies to the outbox; then `done`, and its
body (the member's words) is dropped. A redelivery of a `new` row is handled again; of a `done` row, ignored.
`cursors` keeps the newest message seen per question thread, where catch-up after downtime reads from.

Where the rows live (`store.inbox`): on PostgreSQL, in the one database, and a worker marks its row done
in the flow's own transaction (the row taken with SKIP LOCKED). On SQLite, in a file of their own
(stardrill.store.inbox_file) so an ack never waits for a flow's transaction; there the flow's transaction
writes a handled key (`handled_events`, main file) instead, and the row is marked done after the commit,
before its replies go out (`settle`). A crash between the two leaves a `new` row whose key is present: the next look at it
(restart, sweep, redelivery) finds the key and only marks it done.
"""

from __future__ import annotations

from dataclasses import dataclass

from stardrill.store.db import Store
from stardrill.store.dialect import skip_locked

MAX_ATTEMPTS = 3  # a row whose handling fails this often is given up (the member is told) instead of retried forever
KEEP_DAYS = 7  # done rows (and handled keys) are kept this long for dedupe (platform redeliveries come within minutes)
SETTLE_SLOTS = 16  # row ids per statement that marks rows done (SQLite)
_SETTLE = (f"UPDATE inbox SET status = 'done', done_at = ?, body = NULL, error = NULL "
           f"WHERE id IN ({', '.join('?' * SETTLE_SLOTS)}) AND status = 'new'")


@dataclass(frozen=True)
class Received:
    row_id: int
    fresh: bool  # False: a redelivery
    done: bool  # already handled: a duplicate to ignore


def apart(store: Store) -> bool:
    """True when the inbox is a file of its own (SQLite): exactly-once rests on the handled key."""
    return store.inbox is not store


def receive(store: Store, platform: str, event_id: str, body: str, now: str,
            cursor: tuple[str, str] | None = None) -> Received:
    """Store one delivery, or find the row of an earlier delivery of it. `cursor`: (thread id, sortable position).

    One statement (a trigger keeps the thread's cursor), ahead of queued inbox writers: this is the ack's cost.
    """
    thread, position = cursor or (None, None)
    box = store.inbox
    found = box.insert_one(
        "INSERT INTO inbox (platform, event_id, body, received_at, thread_id, position) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (platform, event_id) DO NOTHING",
        (platform, event_id, body, now, thread, position), urgent=True,
    )
    if found is not None:
        return Received(found, True, False)
    earlier = box.row("SELECT id, status FROM inbox WHERE platform = ? AND event_id = ?", (platform, event_id))
    return Received(earlier["id"], False, earlier["status"] != "new")


def load(store: Store, row_id: int) -> dict | None:
    return store.inbox.row("SELECT * FROM inbox WHERE id = ?", (row_id,))


def is_new(store: Store, row_id: int) -> bool:
    row = store.inbox.row("SELECT status FROM inbox WHERE id = ?", (row_id,))
    return row is not None and row["status"] == "new"


def take(store: Store, row_id: int, key: tuple[str, str]) -> bool:
    """Inside the worker's transaction: True when the event is still to be handled, and now this transaction's.

    `key`: (platform, event id). On PostgreSQL the row stays locked until the transaction ends; a replica
    already handling it makes this False at once (SKIP LOCKED), and once that replica commits the row is
    `done`. On SQLite the transaction holds the main file's write lock, so no other writer can be
    handling it; False when its handled key is there (a process committed it and may not have settled it).
    """
    if apart(store):
        return store.row("SELECT 1 AS found FROM handled_events WHERE platform = ? AND event_id = ?", key) is None
    return store.row(f"SELECT id FROM inbox WHERE id = ? AND status = 'new'{skip_locked(store.kind)}", (row_id,)) is not None


def finish(store: Store, row_id: int, key: tuple[str, str], now: str) -> None:
    """Inside the worker's transaction: the event is handled. PostgreSQL: the row is done and its words dropped;
    SQLite: the handled key is written (the row is marked by `settle` once this transaction has committed)."""
    if apart(store):
        store.execute("INSERT INTO handled_events (platform, event_id, handled_at) VALUES (?, ?, ?) "
                      "ON CONFLICT (platform, event_id) DO NOTHING", (*key, now))
        return
    _mark_done(store, row_id, now)


def settle(store: Store, row_ids: list[int], now: str) -> None:
    """After the worker's transaction, taken or not: on SQLite mark the rows done (their keys are committed);
    on PostgreSQL nothing is left to do (`finish` did it, or the replica holding the row will).

    SETTLE_SLOTS ids per statement, the last repeated to fill it: one statement text, prepared once.
    """
    if not apart(store):
        return
    for first in range(0, len(row_ids), SETTLE_SLOTS):
        some = row_ids[first:first + SETTLE_SLOTS]
        store.inbox.update_one(_SETTLE, (now, *some, *[some[-1]] * (SETTLE_SLOTS - len(some))))


def _mark_done(store: Store, row_id: int, now: str) -> None:
    store.inbox.execute("UPDATE inbox SET status = 'done', done_at = ?, body = NULL, error = NULL WHERE id = ?",
                        (now, row_id))


def drop(store: Store, row_id: int, error: str, now: str) -> None:
    """Give up on a row that cannot be handled at all (its body is unreadable): `failed`, with why."""
    store.inbox.execute("UPDATE inbox SET status = 'failed', done_at = ?, body = NULL, error = ? WHERE id = ?",
                        (now, error[:300], row_id))


def orphans(store: Store, platform: str, received_before: str) -> list[int]:
    """Rows still not handled that arrived before `received_before`: left by a replica that died."""
    return [r["id"] for r in store.inbox.rows(
        "SELECT id FROM inbox WHERE platform = ? AND status = 'new' AND received_at < ? ORDER BY id",
        (platform, received_before))]


def open_rows(store: Store, platform: str) -> list[int]:
    """Ids of rows not handled yet, oldest first (what a crash or a stop left)."""
    return [r["id"] for r in store.inbox.rows(
        "SELECT id FROM inbox WHERE platform = ? AND status = 'new' ORDER BY id", (platform,))]


def note_failure(store: Store, row_id: int, error: str, now: str) -> bool:
    """Count a failed attempt; True when the row is given up (status `failed`, body dropped)."""
    with store.inbox.write() as db:
        db.execute("UPDATE inbox SET attempts = attempts + 1, error = ? WHERE id = ?", (error[:300], row_id))
        attempts = db.execute("SELECT attempts FROM inbox WHERE id = ?", (row_id,)).fetchone()[0]
        if attempts < MAX_ATTEMPTS:
            return False
        db.execute("UPDATE inbox SET status = 'failed', done_at = ?, body = NULL WHERE id = ?", (now, row_id))
    return True


def last_seen(store: Store, platform: str, thread_id: str) -> str | None:
    row = store.inbox.row("SELECT last_seen FROM cursors WHERE platform = ? AND thread_id = ?", (platform, thread_id))
    return row["last_seen"] if row else None


def prune(store: Store, before: str, now: str) -> int:
    """Forget handled rows, and handled keys, from before `before` (ISO time); cursors stay.

    A key goes only once its row is settled: rows a crash left `new` with their key are marked done first.
    """
    if apart(store):
        settle_handled(store, now)
    store.execute("DELETE FROM handled_events WHERE handled_at < ?", (before,))
    return store.inbox.execute("DELETE FROM inbox WHERE status != 'new' AND received_at < ?", (before,)).rowcount


def settle_handled(store: Store, now: str) -> int:
    """SQLite: mark done every `new` row whose handled key is present (a crash came between commit and settle)."""
    left = store.inbox.rows("SELECT id, platform, event_id FROM inbox WHERE status = 'new' ORDER BY id")
    handled = [r["id"] for r in left if store.row(
        "SELECT 1 AS found FROM handled_events WHERE platform = ? AND event_id = ?", (r["platform"], r["event_id"]))]
    settle(store, handled, now)
    return len(handled)


def depths(store: Store, platforms: list[str] = ()) -> dict[str, int]:
    """Inbound events stored and not handled yet, per platform (the inbox depth gauge; read from any thread)."""
    found = dict.fromkeys(platforms, 0)
    found.update(dict(store.inbox.snapshot("SELECT platform, COUNT(*) FROM inbox WHERE status = 'new' GROUP BY platform")))
    return found
