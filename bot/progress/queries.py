"""The SQL behind a member's progress. Plain dicts out; every query is bounded by (platform, user_id).

Indexes: answers_progress (platform, user_id, probe_index, created_at, question_id) covers the
count, the practised questions and the answer times; recent rows walk answers_user backwards.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from stardrill.store import Store

TOP = "a.platform = ? AND a.user_id = ? AND a.probe_index IS NULL"


def answer_count(store: Store, platform: str, user_id: str) -> int:
    return store.row(f"SELECT COUNT(*) AS n FROM answers a WHERE {TOP}", (platform, user_id))["n"]


def answer_days(store: Store, platform: str, user_id: str, zone: ZoneInfo) -> set[date]:
    """Local dates (in `zone`) on which the member answered anything: a daily question, practice or a probe."""
    rows = store.rows("SELECT DISTINCT created_at FROM answers WHERE platform = ? AND user_id = ?", (platform, user_id))
    return {datetime.fromisoformat(r["created_at"]).astimezone(zone).date() for r in rows}


def practised_questions(store: Store, platform: str, user_id: str) -> list[str]:
    rows = store.rows(f"SELECT DISTINCT question_id FROM answers a WHERE {TOP}", (platform, user_id))
    return [r["question_id"] for r in rows]


def recent(store: Store, platform: str, user_id: str, limit: int) -> list[dict]:
    """The member's latest top-level answers with their feedback body parsed, newest first."""
    rows = store.rows(
        "SELECT a.id, a.question_id, a.local_date, a.created_at, a.level, f.score, f.verdict, f.body "
        f"FROM answers a LEFT JOIN feedback f ON f.answer_id = a.id WHERE {TOP} ORDER BY a.id DESC LIMIT ?",
        (platform, user_id, limit),
    )
    for row in rows:
        row["body"] = json.loads(row["body"]) if row["body"] else {}
    return rows


def attempts(store: Store, platform: str, user_id: str, per_question: int = 6) -> list[dict]:
    """The latest few answers per question (enough for the spaced-repetition intervals), oldest first;
    `components` is the feedback's per-criterion part (parsed here: JSON functions differ between engines)."""
    # The window runs over the covering index only; bodies are read for the few rows kept.
    rows = store.rows(
        "SELECT w.question_id, w.created_at, f.body FROM ("
        " SELECT a.id, a.question_id, a.created_at,"
        " ROW_NUMBER() OVER (PARTITION BY a.question_id ORDER BY a.created_at DESC, a.id DESC) AS n"
        f" FROM answers a WHERE {TOP}"
        ") w JOIN feedback f ON f.answer_id = w.id WHERE w.n <= ? ORDER BY w.created_at, w.id",
        (platform, user_id, per_question),
    )
    for row in rows:
        row["components"] = (json.loads(row.pop("body") or "{}") or {}).get("components") or {}
    return rows


def home_schedule(store: Store, platform: str, user_id: str, channel: str | None = None) -> dict | None:
    """The schedule a member's streak is counted on: this channel's if it has one, else the channel of
    their latest answer to a scheduled channel's question; None means UTC, Monday to Friday."""
    if channel:
        row = store.row("SELECT * FROM schedules WHERE platform = ? AND channel_id = ?", (platform, channel))
        if row:
            return row
    # Few schedules, many answers: ask each scheduled channel for the member's latest answer there.
    return store.row(
        "SELECT * FROM (SELECT s.*, (SELECT MAX(a.id) FROM answers a WHERE a.platform = s.platform AND a.user_id = ? "
        "AND a.channel_id = s.channel_id AND a.post_id IS NOT NULL) AS last_answer FROM schedules s WHERE s.platform = ?) "
        "AS scheduled WHERE last_answer IS NOT NULL ORDER BY last_answer DESC LIMIT 1",
        (user_id, platform),
    )


def user(store: Store, platform: str, user_id: str) -> dict | None:
    return store.row("SELECT * FROM users WHERE platform = ? AND user_id = ?", (platform, user_id))


def practice_sessions(store: Store, platform: str, user_id: str, since: str | None = None) -> int:
    sql = "SELECT COUNT(*) AS n FROM sessions WHERE platform = ? AND user_id = ? AND kind = 'practice'"
    params: tuple = (platform, user_id)
    if since:
        sql, params = sql + " AND started_at >= ?", params + (since,)
    return store.row(sql, params)["n"]


# -- stories -------------------------------------------------------------------------------------------


def tag_story(store: Store, platform: str, user_id: str, answer_id: int, name: str, now: str) -> None:
    store.execute(
        "INSERT INTO stories (platform, user_id, answer_id, name, created_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (answer_id) DO UPDATE SET name = excluded.name, created_at = excluded.created_at",
        (platform, user_id, answer_id, name, now),
    )


def stories(store: Store, platform: str, user_id: str) -> list[dict]:
    return store.rows(
        "SELECT s.name, s.answer_id, a.question_id FROM stories s JOIN answers a ON a.id = s.answer_id "
        "WHERE s.platform = ? AND s.user_id = ? ORDER BY s.name, s.answer_id",
        (platform, user_id),
    )


def latest_answer_in_thread(store: Store, platform: str, user_id: str, thread: str) -> dict | None:
    return store.row(
        f"SELECT a.* FROM answers a WHERE {TOP} AND a.thread_id = ? ORDER BY a.id DESC LIMIT 1",
        (platform, user_id, thread),
    )


# -- forget-me ----------------------------------------------------------------------------------------------


def forget(store: Store, platform: str, user_id: str) -> dict[str, int]:
    """Delete a member's answers with their feedback, the reviews given on them, their sessions, quiz attempts
    and story tags, in one transaction. Their reviews of others' answers, their settings and everyone else stay."""
    who = (platform, user_id)
    mine = "SELECT id FROM answers WHERE platform = ? AND user_id = ?"
    with store.write() as db:
        counts = {
            "story tags": db.execute("DELETE FROM stories WHERE platform = ? AND user_id = ?", who).rowcount,
            "reviews received": db.execute(f"DELETE FROM reviews WHERE answer_id IN ({mine})", who).rowcount,
            "feedback": db.execute(f"DELETE FROM feedback WHERE answer_id IN ({mine})", who).rowcount,
        }
        counts["answers"] = db.execute("DELETE FROM answers WHERE platform = ? AND user_id = ?", who).rowcount
        counts["sessions"] = db.execute("DELETE FROM sessions WHERE platform = ? AND user_id = ?", who).rowcount
        counts["quiz attempts"] = db.execute("DELETE FROM quiz_attempts WHERE platform = ? AND user_id = ?", who).rowcount
    return counts
