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


def post(store: Store, post_id: int) -> dict | None:
    return store.row("SELECT * FROM posts WHERE id = ?", (post_id,))


def post_by_thread(store: Store, platform: str, thread_id: str) -> dict | None:
    return store.row("SELECT * FROM posts WHERE platform = ? AND thread_id = ? ORDER BY id DESC LIMIT 1", (platform, thread_id))


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
