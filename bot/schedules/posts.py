"""The scheduler's few queries over `posts` (the claim itself is daily.claim_questions -> records.claim_posts)."""

from __future__ import annotations

from datetime import date


def claimed_days(store, since: date, schedules: list | None = None) -> set[tuple[str, str, str]]:
    """(platform, channel, local date) of every daily post claimed since `since`, in any status;
    only those of `schedules`' channels when given (a wake-up for one channel reads one channel's rows)."""
    if schedules is None:
        rows = store.rows("SELECT platform, channel_id, local_date FROM posts WHERE slot = 'daily' AND local_date >= ?",
                          (since.isoformat(),))
        return {(r["platform"], r["channel_id"], r["local_date"]) for r in rows}
    channels: dict[str, list[str]] = {}
    for schedule in schedules:
        channels.setdefault(schedule.platform, []).append(schedule.channel)
    found = set()
    for platform, names in channels.items():
        for start in range(0, len(names), 500):
            part = names[start:start + 500]
            rows = store.rows(
                "SELECT platform, channel_id, local_date FROM posts WHERE slot = 'daily' AND local_date >= ? "
                f"AND platform = ? AND channel_id IN ({', '.join('?' for _ in part)})", (since.isoformat(), platform, *part))
            found |= {(r["platform"], r["channel_id"], r["local_date"]) for r in rows}
    return found


def orphans(store) -> list[dict]:
    """Daily posts claimed but never confirmed sent: the process died (or failed) between claim and send.

    A post queued in the outbox is not an orphan: the outbox sends it, or finds it on the platform.
    """
    return store.rows("SELECT * FROM posts WHERE slot = 'daily' AND status = 'claimed' AND message_id IS NULL "
                      "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.track = 'post:' || posts.id) ORDER BY id")


def get(store, post_id: int) -> dict | None:
    return store.row("SELECT * FROM posts WHERE id = ?", (post_id,))


def mark_failed(store, post_id: int, error: str, now: str) -> None:
    store.execute("UPDATE posts SET status = 'failed', error = ? WHERE id = ? AND status = 'claimed'", (error[:500], post_id))


def note_error(store, post_id: int, error: str) -> None:
    store.execute("UPDATE posts SET error = ? WHERE id = ?", (error[:500], post_id))

