"""The outbox table: everything the bot sends, in lanes, claimed -> sent -> marked with the platform's id.

A lane is where order matters and pacing applies: a channel (its threads included: Slack's ~1
message/s counts them) or one member's private messages. Each lane sends its oldest open row first;
a Discord thread is its own step, queued right after the message it hangs on. A row is `sending`
from its claim until the platform's id is stored; a claim whose process died is recovered by asking
the platform for the message (posted after the claim's time), never by guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stardrill import wire
from stardrill.store.db import Store
from stardrill.store.dialect import skip_locked

MESSAGE, THREAD = "message", "thread"
KEEP_DAYS = 7


@dataclass(frozen=True)
class Row:
    id: int
    platform: str
    lane: str
    step: str
    body: str | None
    track: str | None
    reply_to: str | None
    author: str | None
    status: str
    attempts: int
    not_before: float | None
    claimed_at: float | None
    claimed_by: str | None
    message_id: str | None = None
    item: object = field(default=None, compare=False, repr=False)  # the value itself, when this process queued it

    @property
    def payload(self):
        """The message (or retraction) to send; a thread step's fields as a dict."""
        return self.item if self.item is not None else wire.loads(self.body)


def _row(found: dict) -> Row:
    return Row(**{k: found[k] for k in Row.__dataclass_fields__ if k != "item"})


def lane_of(item) -> str:
    """Private and direct messages go in their member's lane, as does taking a member's message down (so
    a note about it follows it); everything else in its channel's."""
    target = item.target
    person = getattr(target, "private_to", None) or getattr(target, "direct_to", None) or getattr(item, "author", None)
    return f"user:{person}" if person else target.channel


def enqueue(store: Store, platform: str, items: list, now: str, *, reply_to: str | None = None,
            author: str | None = None, claim: "ClaimFor | None" = None) -> list[Row]:
    """Queue messages in order (inside the caller's transaction when there is one).

    `claim` lets the caller take rows of lanes it holds as `sending` at once, saving a write on the
    hot path; a lane with older open rows is never jumped.
    """
    rows = []
    with store.write() as db:
        for item in items:
            lane = lane_of(item)
            track = getattr(item, "track", None)
            take = claim is not None and not _lane_open(db, platform, lane) and claim.wants(lane)
            body = wire.dumps(item)
            row_id = db.execute(
                "INSERT INTO outbox (platform, lane, step, body, track, reply_to, author, status, attempts, claimed_at,"
                " claimed_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (platform, lane, MESSAGE, body, track, reply_to, author, "sending" if take else "pending",
                 int(take), claim.at if take else None, claim.owner if take else None, now),
            ).fetchone()[0]
            rows.append(Row(row_id, platform, lane, MESSAGE, body, track, reply_to, author,
                            "sending" if take else "pending", int(take), None, claim.at if take else None,
                            claim.owner if take else None, item=item))
            if take:
                claim.took(lane)
    return rows


class ClaimFor:
    """What a caller may claim at enqueue time: lanes it reserved with the sender, at `at`, as `owner`."""

    def __init__(self, owner: str, at: float, reserve):
        self.owner, self.at, self._reserve = owner, at, reserve
        self.lanes: set[str] = set()

    def wants(self, lane: str) -> bool:
        return lane not in self.lanes and self._reserve(lane)

    def took(self, lane: str) -> None:
        self.lanes.add(lane)


def _lane_open(db, platform: str, lane: str) -> bool:
    return db.execute(
        "SELECT 1 FROM outbox WHERE platform = ? AND lane = ? AND status IN ('pending', 'sending') LIMIT 1", (platform, lane)
    ).fetchone() is not None


def enqueue_thread(store: Store, after: Row, channel: str, message_id: str, name: str, now: str) -> None:
    """The thread on a posted message, as its own step (a crash between the two never loses the thread)."""
    body = wire.dumps({"channel": channel, "message_id": message_id, "name": name})
    store.execute(
        "INSERT INTO outbox (platform, lane, step, body, track, reply_to, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (after.platform, after.lane, THREAD, body, after.track, after.reply_to, after.author, now),
    )


def heads(store: Store, platform: str) -> list[Row]:
    """The first open row of every lane: a thread step before anything else queued in its lane."""
    found = store.rows(
        "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY lane ORDER BY step != 'thread', id) AS n FROM outbox "
        "WHERE platform = ? AND status IN ('pending', 'sending')) AS open_rows WHERE n = 1 ORDER BY id",
        (platform,),
    )
    return [_row(r) for r in found]


def get(store: Store, row_id: int) -> Row | None:
    found = store.row("SELECT * FROM outbox WHERE id = ?", (row_id,))
    return _row(found) if found else None


def claim(store: Store, row_id: int, owner: str, at: float) -> bool:
    """Take a pending row for sending; False when another thread or replica took it first (it is never waited for)."""
    cur = store.execute(
        "UPDATE outbox SET status = 'sending', claimed_at = ?, claimed_by = ?, attempts = attempts + 1 "
        f"WHERE id IN (SELECT id FROM outbox WHERE id = ? AND status = 'pending'{skip_locked(store.kind)})",
        (at, owner, row_id),
    )
    return cur.rowcount == 1


def take_over(store: Store, row_id: int, dead_owner: str, owner: str, at: float) -> bool:
    """Claim a row a dead process left `sending` (its claim time is kept: the platform is searched from it)."""
    cur = store.execute(
        "UPDATE outbox SET claimed_by = ?, attempts = attempts + 1 WHERE id = ? AND status = 'sending' AND claimed_by IS ?",
        (owner, row_id, dead_owner),
    )
    return cur.rowcount == 1


_MARK_SENT = ("UPDATE outbox SET status = 'sent', message_id = ?, thread_id = ?, sent_at = ?, body = NULL, error = NULL "
              "WHERE id = ? AND status = 'sending'")


def mark_sent(store: Store, row_id: int, message_id: str, thread_id: str | None, now: str, *, alone: bool = False) -> bool:
    """Sent: store the platform's ids and drop the body (it may quote members' answers).

    `alone`: nothing else changes with it, so it is its own transaction in one call (on PostgreSQL one round
    trip, not BEGIN, UPDATE, COMMIT); the caller must not be inside a transaction.
    """
    if alone:
        return bool(store.write_one(f"{_MARK_SENT} RETURNING id", (message_id, thread_id, now, row_id)))
    return store.execute(_MARK_SENT, (message_id, thread_id, now, row_id)).rowcount == 1


def retry_later(store: Store, row_id: int, not_before: float, error: str) -> None:
    store.execute("UPDATE outbox SET status = 'pending', not_before = ?, error = ? WHERE id = ?",
                  (not_before, error[:300], row_id))


def recheck_later(store: Store, row_id: int, not_before: float, error: str) -> None:
    """The platform could not say whether a claimed row went out: ask again later, still `sending`."""
    store.execute("UPDATE outbox SET not_before = ?, error = ?, claimed_by = NULL WHERE id = ?",
                  (not_before, error[:300], row_id))


def mark_failed(store: Store, row_id: int, error: str) -> None:
    store.execute("UPDATE outbox SET status = 'failed', error = ?, body = NULL WHERE id = ?", (error[:300], row_id))


def open_for(store: Store, reply_to: str) -> int:
    """Rows answering one event that are not sent yet."""
    return store.row("SELECT COUNT(*) AS n FROM outbox WHERE reply_to = ? AND status IN ('pending', 'sending')",
                     (reply_to,))["n"]


def owns_track(store: Store, track: str) -> bool:
    """The outbox carries this tracked message (so the scheduler's own recovery leaves it alone)."""
    return store.row("SELECT 1 AS x FROM outbox WHERE track = ? LIMIT 1",
                     (track,)) is not None


def prune(store: Store, before: str) -> int:
    return store.execute("DELETE FROM outbox WHERE status IN ('sent', 'failed') AND created_at < ?", (before,)).rowcount


def depths(store: Store, platforms: list[str] = ()) -> dict[str, int]:
    """Messages decided and not yet confirmed sent, per platform (the outbox depth gauge; read from any thread)."""
    found = dict.fromkeys(platforms, 0)
    found.update(dict(store.snapshot(
        "SELECT platform, COUNT(*) FROM outbox WHERE status IN ('pending', 'sending') GROUP BY platform")))
    return found
