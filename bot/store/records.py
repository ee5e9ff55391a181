"""Small repository functions over the tables. Each takes the Store and returns plain dicts or ids."""

from __future__ import annotations

import json

from stardrill import metrics
from stardrill.store.db import Store


def mark_event(store: Store, platform: str, event_id: str, now: str) -> bool:
    """Record a platform delivery id; False when it was seen before (at-least-once delivery)."""
    if not event_id:
        return True
    cur = store.execute(
        "INSERT INTO events (platform, event_id, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", (platform, event_id, now)
    )
    return cur.rowcount == 1


# -- users and channels ---------------------------------------------------------------------------


def ensure_user(store: Store, platform: str, user_id: str, name: str, now: str) -> None:
    """Create the member on first sight and keep their display name current (runs on every event)."""
    with store.write() as db:
        db.execute(
            "INSERT INTO users (platform, user_id, name, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (platform, user_id) DO UPDATE SET name = COALESCE(NULLIF(excluded.name, ''), users.name)",
            (platform, user_id, name, now),
        )


def set_user_field(store: Store, platform: str, user_id: str, field: str, value) -> None:
    assert field in {"level", "digest_opt_out", "prep_date", "prep_level", "name"}
    store.execute(f"UPDATE users SET {field} = ? WHERE platform = ? AND user_id = ?", (value, platform, user_id))


def ensure_channel(store: Store, platform: str, channel_id: str, now: str) -> dict:
    """The channel's row, created on first sight (read first: every answer passes here, few are a first)."""
    found = store.row("SELECT * FROM channels WHERE platform = ? AND channel_id = ?", (platform, channel_id))
    if found is not None:
        return found
    store.execute(
        "INSERT INTO channels (platform, channel_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (platform, channel_id, now),
    )
    return store.row("SELECT * FROM channels WHERE platform = ? AND channel_id = ?", (platform, channel_id))


def set_channel_flag(store: Store, platform: str, channel_id: str, flag: str, value) -> None:
    assert flag in {"private_feedback", "blind", "digest", "leaderboard", "level", "name", "nudge_time"}
    store.execute(f"UPDATE channels SET {flag} = ? WHERE platform = ? AND channel_id = ?", (value, platform, channel_id))


# -- posts -------------------------------------------------------------------------------------------


def claim_post(store: Store, platform: str, channel_id: str, local_date: str, slot: str, question_id: str, level: str, now: str) -> int | None:
    """Claim a post under its unique key; None when it was already claimed (never post twice)."""
    found = store.execute(
        "INSERT INTO posts (platform, channel_id, local_date, slot, question_id, level, claimed_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, channel_id, local_date, slot) DO NOTHING RETURNING id",
        (platform, channel_id, local_date, slot, question_id, level, now),
    ).fetchone()
    if found is None:
        return None
    metrics.POSTS_CLAIMED.labels(platform).inc()
    return found[0]


def claim_posts(store: Store, platform: str, slot: str, claims: list[tuple[str, str, str, str]], now: str) -> dict[str, int]:
    """claim_post for many channels of one platform, (channel, local date, question id, level) each, in one statement:
    {channel: post id} of those claimed now; one claimed before is left out (the same UNIQUE key guards each row).
    Rows are inserted in the order given, so their ids follow it, as one claim_post after another would give."""
    if not claims:
        return {}
    found = store.execute(
        "INSERT INTO posts (platform, channel_id, local_date, slot, question_id, level, claimed_at) VALUES "
        f"{', '.join(['(?, ?, ?, ?, ?, ?, ?)'] * len(claims))} "
        "ON CONFLICT (platform, channel_id, local_date, slot) DO NOTHING RETURNING id, channel_id",
        [value for channel, local_date, question_id, level in claims
         for value in (platform, channel, local_date, slot, question_id, level, now)],
    ).fetchall()
    if found:
        metrics.POSTS_CLAIMED.labels(platform).inc(len(found))
    return {channel: post_id for post_id, channel in found}


def post(store: Store, post_id: int) -> dict | None:
    return store.row("SELECT * FROM posts WHERE id = ?", (post_id,))


def post_by_thread(store: Store, platform: str, thread_id: str) -> dict | None:
    return store.row("SELECT * FROM posts WHERE platform = ? AND thread_id = ? ORDER BY id DESC LIMIT 1", (platform, thread_id))


_REPLY_COLUMNS = {"reply_channel": "channel", "reply_blind": "blind", "reply_private": "private_feedback",
                  "reply_channel_level": "channel_level", "reply_tz": "tz", "reply_member_level": "member_level",
                  "reply_probe": "probe_session"}


def thread_reply(store: Store, platform: str, thread_id: str, user_id: str) -> tuple[dict, dict] | None:
    """Everything handling a member's reply in a question's thread reads, in one statement (one round trip on
    PostgreSQL instead of six): the thread's post, as post_by_thread gives it, and a dict about its channel and
    the member: `channel` (None when the channel has no row yet), `blind`, `private_feedback`, `channel_level`,
    the schedule's `tz` (None without a schedule), the member's `member_level`, and `probe_session`, the id of
    the member's open probe session on this post, which active_session(..., kind="thread") would find (None
    without one, the usual case). None for a thread that is not one of our questions.
    """
    found = store.row(
        "SELECT p.*, c.channel_id AS reply_channel, c.blind AS reply_blind, c.private_feedback AS reply_private, "
        "c.level AS reply_channel_level, s.tz AS reply_tz, u.level AS reply_member_level, "
        "(SELECT o.id FROM sessions o WHERE o.platform = p.platform AND o.user_id = ? AND o.kind = 'thread' "
        "AND o.state != 'done' AND o.post_id = p.id ORDER BY o.id DESC LIMIT 1) AS reply_probe FROM posts p "
        "LEFT JOIN channels c ON c.platform = p.platform AND c.channel_id = p.channel_id "
        "LEFT JOIN schedules s ON s.platform = p.platform AND s.channel_id = p.channel_id "
        "LEFT JOIN users u ON u.platform = p.platform AND u.user_id = ? "
        "WHERE p.platform = ? AND p.thread_id = ? ORDER BY p.id DESC LIMIT 1",
        (user_id, user_id, platform, thread_id),
    )
    if found is None:
        return None
    return found, {name: found.pop(column) for column, name in _REPLY_COLUMNS.items()}


def latest_post(store: Store, platform: str, channel_id: str) -> dict | None:
    return store.row(
        "SELECT * FROM posts WHERE platform = ? AND channel_id = ? AND status != 'failed' ORDER BY id DESC LIMIT 1",
        (platform, channel_id),
    )


def mark_post_sent(store: Store, post_id: int, message_id: str, thread_id: str, now: str) -> None:
    store.execute(
        "UPDATE posts SET status = 'sent', message_id = ?, thread_id = ?, sent_at = ? WHERE id = ?",
        (message_id, thread_id, now, post_id),
    )


def mark_post_wrapped(store: Store, post_id: int, now: str) -> bool:
    cur = store.execute(
        "UPDATE posts SET status = 'wrapped', wrapped_at = ? WHERE id = ? AND status = 'sent'", (now, post_id)
    )
    return cur.rowcount == 1


def channel_history(store: Store, platform: str, channel_id: str) -> list[str]:
    rows = store.rows("SELECT question_id FROM posts WHERE platform = ? AND channel_id = ? ORDER BY id", (platform, channel_id))
    return [r["question_id"] for r in rows]


def count_slots(store: Store, platform: str, channel_id: str, local_date: str) -> int:
    row = store.row(
        "SELECT COUNT(*) AS n FROM posts WHERE platform = ? AND channel_id = ? AND local_date = ?",
        (platform, channel_id, local_date),
    )
    return row["n"]


# -- answers and feedback --------------------------------------------------------------------------


def add_answer(store: Store, **row) -> int:
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    return store.execute(f"INSERT INTO answers ({cols}) VALUES ({marks}) RETURNING id", tuple(row.values())).fetchone()[0]


def answer(store: Store, answer_id: int) -> dict | None:
    return store.row("SELECT * FROM answers WHERE id = ?", (answer_id,))


def save_feedback(store: Store, answer_id: int, score: int, verdict: str, body: dict, now: str) -> None:
    store.execute(
        "INSERT INTO feedback (answer_id, score, verdict, body, created_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (answer_id) DO UPDATE SET score = excluded.score, verdict = excluded.verdict, body = excluded.body, "
        "message_id = NULL, created_at = excluded.created_at",
        (answer_id, score, verdict, json.dumps(body), now),
    )


def feedback_for(store: Store, answer_id: int) -> dict | None:
    row = store.row("SELECT * FROM feedback WHERE answer_id = ?", (answer_id,))
    if row:
        row["body"] = json.loads(row["body"])
    return row


def answers_for_post(store: Store, post_id: int, top_level_only: bool = True) -> list[dict]:
    extra = " AND a.probe_index IS NULL" if top_level_only else ""
    return store.rows(
        "SELECT a.*, f.score, f.body, u.name AS user_name FROM answers a "
        "LEFT JOIN feedback f ON f.answer_id = a.id "
        "LEFT JOIN users u ON u.platform = a.platform AND u.user_id = a.user_id "
        f"WHERE a.post_id = ?{extra} ORDER BY a.id",
        (post_id,),
    )


def user_question_history(store: Store, platform: str, user_id: str) -> list[str]:
    rows = store.rows(
        "SELECT question_id FROM sessions WHERE platform = ? AND user_id = ? AND kind = 'practice' ORDER BY id",
        (platform, user_id),
    )
    return [r["question_id"] for r in rows]


# -- reviews -----------------------------------------------------------------------------------------


def upsert_review(store: Store, answer_id: int, platform: str, reviewer_id: str, ratings: dict, comment: str, now: str) -> bool:
    """Store a review; a second review by the same reviewer replaces the first. True when it replaced one."""
    with store.write() as db:
        existed = db.execute(
            "SELECT 1 FROM reviews WHERE answer_id = ? AND reviewer_platform = ? AND reviewer_id = ?",
            (answer_id, platform, reviewer_id),
        ).fetchone()
        db.execute(
            "INSERT INTO reviews (answer_id, reviewer_platform, reviewer_id, ratings, comment, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (answer_id, reviewer_platform, reviewer_id) "
            "DO UPDATE SET ratings = excluded.ratings, comment = excluded.comment, created_at = excluded.created_at",
            (answer_id, platform, reviewer_id, json.dumps(ratings), comment, now),
        )
    return existed is not None


def reviews_for(store: Store, answer_id: int) -> list[dict]:
    rows = store.rows("SELECT * FROM reviews WHERE answer_id = ? ORDER BY id", (answer_id,))
    for r in rows:
        r["ratings"] = json.loads(r["ratings"])
    return rows


# -- practice sessions -------------------------------------------------------------------------------


def start_session(
    store: Store, platform: str, user_id: str, channel_id: str, question_id: str, level: str, filters: dict, now: str,
    *, kind: str = "practice", post_id: int | None = None, state: str = "awaiting_answer", probe_index: int = -1,
) -> int:
    """Open a conversation; any open one of the same kind (and thread, for thread probes) is closed first."""
    with store.write() as db:
        db.execute(
            "UPDATE sessions SET state = 'done', updated_at = ? WHERE platform = ? AND user_id = ? AND kind = ? "
            "AND state != 'done' AND COALESCE(post_id, 0) = COALESCE(?, 0)",
            (now, platform, user_id, kind, post_id),
        )
        found = db.execute(
            "INSERT INTO sessions (platform, user_id, kind, post_id, channel_id, question_id, level, state, probe_index,"
            " filters, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (platform, user_id, kind, post_id, channel_id, question_id, level, state, probe_index, json.dumps(filters), now, now),
        ).fetchone()
    return found[0]


def active_session(store: Store, platform: str, user_id: str, kind: str = "practice", post_id: int | None = None) -> dict | None:
    row = store.row(
        "SELECT * FROM sessions WHERE platform = ? AND user_id = ? AND kind = ? AND state != 'done' "
        "AND COALESCE(post_id, 0) = COALESCE(?, 0) ORDER BY id DESC LIMIT 1",
        (platform, user_id, kind, post_id),
    )
    if row:
        row["filters"] = json.loads(row["filters"])
    return row


def session(store: Store, session_id: int) -> dict | None:
    row = store.row("SELECT * FROM sessions WHERE id = ?", (session_id,))
    if row:
        row["filters"] = json.loads(row["filters"])
    return row


def update_session(store: Store, session_id: int, state: str, probe_index: int, now: str) -> None:
    store.execute(
        "UPDATE sessions SET state = ?, probe_index = ?, updated_at = ? WHERE id = ?", (state, probe_index, now, session_id)
    )


def session_answers(store: Store, session_id: int) -> list[dict]:
    return store.rows(
        "SELECT a.*, f.score, f.verdict FROM answers a LEFT JOIN feedback f ON f.answer_id = a.id "
        "WHERE a.session_id = ? ORDER BY a.id",
        (session_id,),
    )
