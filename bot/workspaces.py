"""A platform workspace's lifecycle: uninstalled (schedules paused), installed again (resumed), purged after retention.

Platform-neutral: an adapter that serves several workspaces gives every channel and member id of one
workspace the same prefix (`WORKSPACE:`), and tells this module when a workspace removes the app. The
core itself never parses ids; this module only matches that prefix.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from stardrill.clock import iso
from stardrill.schedules import repo
from stardrill.store import Store

log = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 30


def prefix(workspace: str) -> str:
    return f"{workspace}:"


def _owned(column: str) -> str:
    """SQL: the id in `column` belongs to the workspace (portable: substr, not LIKE, whose case rules differ)."""
    return f"substr({column}, 1, ?) = ?"


def _owned_params(workspace: str) -> tuple[int, str]:
    return len(prefix(workspace)), prefix(workspace)


def of(core_id: str | None) -> str | None:
    """The workspace an adapter qualified the id with (None: a bare id, the single-workspace deployment's)."""
    head, sep, _ = (core_id or "").partition(":")
    return head if sep else None


def schedules_of(store: Store, platform: str, workspace: str | None) -> list[repo.Schedule]:
    """The schedules of the workspace's channels (workspace None: of the bare channel ids)."""
    if workspace is None:
        rows = store.rows("SELECT * FROM schedules WHERE platform = ? AND channel_id NOT LIKE '%:%' ORDER BY channel_id",
                          (platform,))
    else:
        rows = store.rows(f"SELECT * FROM schedules WHERE platform = ? AND {_owned('channel_id')} ORDER BY channel_id",
                          (platform, *_owned_params(workspace)))
    return [schedule for row in rows for schedule in [repo.readable(store, row)] if schedule is not None]


def removed(store: Store, platform: str) -> set[str]:
    """The platform's workspaces that removed the app and have not installed it again (yet to be purged)."""
    return {r["workspace"] for r in store.rows(
        "SELECT workspace FROM workspaces WHERE platform = ? AND uninstalled_at IS NOT NULL", (platform,))}


def uninstalled(store: Store, platform: str, workspace: str, reason: str, now: datetime) -> int:
    """Remember when the workspace removed the app and pause its active schedules with `reason`; returns how many."""
    store.execute(
        "INSERT INTO workspaces (platform, workspace, uninstalled_at, reason) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (platform, workspace) DO UPDATE SET uninstalled_at = COALESCE(workspaces.uninstalled_at, "
        "excluded.uninstalled_at), reason = excluded.reason",
        (platform, workspace, iso(now), reason),
    )
    active = store.rows(f"SELECT channel_id FROM schedules WHERE platform = ? AND paused = 0 AND {_owned('channel_id')}",
                        (platform, *_owned_params(workspace)))
    for row in active:
        repo.set_paused(store, platform, row["channel_id"], True, reason, now)
    log.warning("%s workspace %s removed the app (%s): %d schedule(s) paused; its members' data is deleted after the "
                "retention period unless it is installed again", platform, workspace, reason, len(active))
    return len(active)


def removed_at(store: Store, platform: str, workspace: str) -> str | None:
    row = store.row("SELECT uninstalled_at FROM workspaces WHERE platform = ? AND workspace = ?", (platform, workspace))
    return row["uninstalled_at"] if row else None


def reinstalled(store: Store, platform: str, workspace: str, now: datetime) -> int:
    """Installed again: nothing is purged, and the schedules the uninstall paused resume; returns how many."""
    row = store.row("SELECT reason FROM workspaces WHERE platform = ? AND workspace = ?", (platform, workspace))
    if row is None:
        return 0
    store.execute("DELETE FROM workspaces WHERE platform = ? AND workspace = ?", (platform, workspace))
    paused = store.rows(
        # the reason itself, or a refused post that quotes it (a send that was queued when the app was removed)
        f"SELECT channel_id FROM schedules WHERE platform = ? AND paused = 1 AND paused_reason LIKE ? AND {_owned('channel_id')}",
        (platform, f"%{row['reason']}%", *_owned_params(workspace)))
    for found in paused:
        repo.set_paused(store, platform, found["channel_id"], False, None, now)
    log.info("%s workspace %s installed the app again: %d schedule(s) resumed", platform, workspace, len(paused))
    return len(paused)


def purge_due(store: Store, platform: str, retention_days: int, now: datetime) -> list[str]:
    """Delete the data of every workspace uninstalled more than `retention_days` ago; returns those workspaces."""
    cutoff = iso(now - timedelta(days=retention_days))
    due = [r["workspace"] for r in store.rows(
        "SELECT workspace FROM workspaces WHERE platform = ? AND uninstalled_at IS NOT NULL AND uninstalled_at <= ?",
        (platform, cutoff))]
    for workspace in due:
        counts = purge(store, platform, workspace)
        log.warning("%s workspace %s: uninstalled over %d days ago; deleted %s", platform, workspace, retention_days,
                    ", ".join(f"{n} {what}" for what, n in counts.items()))
    return due


def purge(store: Store, platform: str, workspace: str) -> dict[str, int]:
    """Every row of the workspace's members and channels, in one transaction (children before their parents)."""
    owned = _owned_params(workspace)
    mine = f"SELECT id FROM answers WHERE platform = ? AND {_owned('user_id')}"
    posts = f"SELECT id FROM posts WHERE platform = ? AND {_owned('channel_id')}"
    who = (platform, *owned)
    scheduled = [r["channel_id"] for r in store.rows(
        f"SELECT channel_id FROM schedules WHERE platform = ? AND {_owned('channel_id')}", who)]
    with store.write() as db:
        counts = {
            "story tags": db.execute(f"DELETE FROM stories WHERE platform = ? AND {_owned('user_id')}", who).rowcount,
            "reviews": db.execute(f"DELETE FROM reviews WHERE answer_id IN ({mine}) OR (reviewer_platform = ? AND "
                                  f"{_owned('reviewer_id')})", who + who).rowcount,
            "feedback": db.execute(f"DELETE FROM feedback WHERE answer_id IN ({mine})", who).rowcount,
        }
        counts["answers"] = db.execute(f"DELETE FROM answers WHERE platform = ? AND ({_owned('user_id')} OR "
                                       f"post_id IN ({posts}))", (platform, *owned, *who)).rowcount
        counts["sessions"] = db.execute(f"DELETE FROM sessions WHERE platform = ? AND ({_owned('user_id')} OR "
                                        f"post_id IN ({posts}))", (platform, *owned, *who)).rowcount
        counts["quiz attempts"] = db.execute(f"DELETE FROM quiz_attempts WHERE platform = ? AND {_owned('user_id')}",
                                             who).rowcount
        counts["posts"] = db.execute(f"DELETE FROM posts WHERE platform = ? AND {_owned('channel_id')}", who).rowcount
        counts["schedules"] = db.execute(f"DELETE FROM schedules WHERE platform = ? AND {_owned('channel_id')}",
                                         who).rowcount
        counts["channels"] = db.execute(f"DELETE FROM channels WHERE platform = ? AND {_owned('channel_id')}",
                                        who).rowcount
        counts["members"] = db.execute(f"DELETE FROM users WHERE platform = ? AND {_owned('user_id')}", who).rowcount
        # where catch-up read up to: in the inbox's database (on PostgreSQL this joins the transaction)
        store.inbox.execute(f"DELETE FROM cursors WHERE platform = ? AND {_owned('thread_id')}", who)
        db.execute("DELETE FROM workspaces WHERE platform = ? AND workspace = ?", (platform, workspace))
    for channel in scheduled:
        repo.notify(store, platform, channel)  # a running scheduler drops their jobs
    return counts


# (table, id column, platform column): every place a channel, member or message (thread) id is looked up by
ID_COLUMNS = (
    ("channels", "channel_id", "platform"), ("users", "user_id", "platform"), ("schedules", "channel_id", "platform"),
    ("posts", "channel_id", "platform"), ("posts", "message_id", "platform"), ("posts", "thread_id", "platform"),
    ("sessions", "user_id", "platform"), ("sessions", "channel_id", "platform"), ("answers", "user_id", "platform"),
    ("answers", "channel_id", "platform"), ("answers", "thread_id", "platform"), ("answers", "message_id", "platform"),
    ("stories", "user_id", "platform"), ("quiz_attempts", "user_id", "platform"),
    ("reviews", "reviewer_id", "reviewer_platform"), ("cursors", "thread_id", "platform"),
)
INBOX_TABLES = {"cursors"}  # kept with the inbox: a file of its own on SQLite (stardrill.store.inbox_file)
UNIQUE_IDS = {"channels": "channel_id", "users": "user_id", "schedules": "channel_id", "cursors": "thread_id"}  # in the key


def adopt(store: Store, platform: str, workspace: str) -> int:
    """Give every bare id of the platform (written before workspaces were tracked) the workspace's prefix.

    Idempotent: only ids without a prefix change, so running it at every start costs one read of those columns.
    A bare row whose prefixed twin already exists keeps its bare id (never two rows for one key).
    """
    head = prefix(workspace)
    old = [r["channel_id"] for r in store.rows(
        "SELECT channel_id FROM schedules WHERE platform = ? AND channel_id NOT LIKE '%:%'", (platform,))]
    changed = 0
    with store.write() as db:
        for table, column, owner in ID_COLUMNS:
            twin = ""
            if UNIQUE_IDS.get(table) == column:
                twin = (f" AND NOT EXISTS (SELECT 1 FROM {table} AS twin WHERE twin.{owner} = {table}.{owner} "
                        f"AND twin.{column} = ? || {table}.{column})")
            elif (table, column) == ("posts", "channel_id"):
                twin = (" AND NOT EXISTS (SELECT 1 FROM posts AS twin WHERE twin.platform = posts.platform AND "
                        "twin.channel_id = ? || posts.channel_id AND twin.local_date = posts.local_date AND twin.slot = posts.slot)")
            params = (head, platform) + ((head,) if twin else ())
            where = store.inbox if table in INBOX_TABLES else db  # cursors: the inbox's database (joins on PostgreSQL)
            changed += where.execute(f"UPDATE {table} SET {column} = ? || {column} WHERE {owner} = ? AND {column} IS NOT NULL "
                                  f"AND {column} != '' AND {column} NOT LIKE '%:%'{twin}", params).rowcount
    for channel in old:  # a running scheduler reloads both keys
        repo.notify(store, platform, channel)
        repo.notify(store, platform, head + channel)
    return changed
