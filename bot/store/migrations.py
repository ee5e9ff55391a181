"""Schema migrations (sqlite-utils' built-in Migrations). Append new ones at the end; never edit applied ones.

On SQLite, `inbox` and `cursors` (m005, m007) move to the inbox file at open (stardrill.store.inbox_file):
a change to them goes in a migration here (PostgreSQL) and one in inbox_file's INBOX_MIGRATIONS (SQLite).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Migrations

MIGRATIONS = Migrations("stardrill")

# Tables every Stardrill database has had since m001. `stardrill restore` requires them of a backup, and
# opening a file refuses one that has tables but none of these (and no record of Stardrill's migrations).
STARDRILL_TABLES = frozenset({"posts", "answers", "feedback"})


def is_another_programs_database(path: Path, migration_set: str) -> bool:
    """True when `path` is a SQLite file with tables, none of them Stardrill's and no record of `migration_set`.

    Read only, without creating or changing anything. A missing or empty file is a new database (False),
    and so is a file SQLite cannot read: opening it says what is wrong with it in its own words.
    """
    if not path.is_file() or _holds_nothing(path):
        return False
    try:
        tables, recorded_sets = _tables_and_migration_sets(path)
    except sqlite3.Error:
        return False
    return bool(tables) and not tables & STARDRILL_TABLES and migration_set not in recorded_sets


def _holds_nothing(path: Path) -> bool:
    """An empty file with no write-ahead log beside it (in WAL mode a new database's first pages are in the -wal)."""
    wal = Path(f"{path}-wal")
    return path.stat().st_size == 0 and not (wal.is_file() and wal.stat().st_size > 0)


def _tables_and_migration_sets(path: Path) -> tuple[set[str], set[str]]:
    """The file's own tables and the sqlite-utils migration sets recorded in it."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=10)
    try:
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'")}
        recorded = Migrations.migrations_table
        sets = {row[0] for row in conn.execute(f"SELECT DISTINCT migration_set FROM {recorded}")} if recorded in tables else set()
    finally:
        conn.close()
    return tables, sets


def _run_each(db, script: str) -> None:
    """Run statements one by one: executescript() would COMMIT the migration's transaction early."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@MIGRATIONS()
def m001_core_tables(db) -> None:
    _run_each(
        db,
        """
        CREATE TABLE IF NOT EXISTS channels (
            platform TEXT NOT NULL, channel_id TEXT NOT NULL, name TEXT,
            private_feedback INTEGER NOT NULL DEFAULT 0, blind INTEGER NOT NULL DEFAULT 0,
            digest INTEGER NOT NULL DEFAULT 0, leaderboard INTEGER NOT NULL DEFAULT 0,
            level TEXT, created_at TEXT NOT NULL,
            PRIMARY KEY (platform, channel_id)
        );
        CREATE TABLE IF NOT EXISTS users (
            platform TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT, level TEXT,
            digest_opt_out INTEGER NOT NULL DEFAULT 0, prep_date TEXT, prep_level TEXT,
            created_at TEXT NOT NULL,
            PRIMARY KEY (platform, user_id)
        );
        CREATE TABLE IF NOT EXISTS schedules (
            platform TEXT NOT NULL, channel_id TEXT NOT NULL,
            time TEXT NOT NULL, tz TEXT NOT NULL, days TEXT NOT NULL,
            skip_dates TEXT NOT NULL DEFAULT '[]', paused INTEGER NOT NULL DEFAULT 0,
            skip_next INTEGER NOT NULL DEFAULT 0, wrapup_time TEXT, paused_reason TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (platform, channel_id)
        );
        CREATE TABLE IF NOT EXISTS posts (
            id INTEGER PRIMARY KEY, platform TEXT NOT NULL, channel_id TEXT NOT NULL,
            local_date TEXT NOT NULL, slot TEXT NOT NULL DEFAULT 'daily',
            question_id TEXT NOT NULL, level TEXT, status TEXT NOT NULL DEFAULT 'claimed',
            message_id TEXT, thread_id TEXT, claimed_at TEXT NOT NULL, sent_at TEXT,
            wrapped_at TEXT, error TEXT,
            UNIQUE (platform, channel_id, local_date, slot)
        );
        CREATE INDEX IF NOT EXISTS posts_thread ON posts (platform, thread_id);
        CREATE INDEX IF NOT EXISTS posts_channel ON posts (platform, channel_id, id);
        CREATE TABLE IF NOT EXISTS sessions (
            id INTEGER PRIMARY KEY, platform TEXT NOT NULL, user_id TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'practice', post_id INTEGER REFERENCES posts(id),
            channel_id TEXT, question_id TEXT NOT NULL, level TEXT NOT NULL,
            state TEXT NOT NULL, probe_index INTEGER NOT NULL DEFAULT -1,
            filters TEXT NOT NULL DEFAULT '{}', started_at TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS sessions_user ON sessions (platform, user_id, kind, state);
        CREATE TABLE IF NOT EXISTS answers (
            id INTEGER PRIMARY KEY, platform TEXT NOT NULL, user_id TEXT NOT NULL,
            channel_id TEXT, thread_id TEXT, message_id TEXT,
            post_id INTEGER REFERENCES posts(id), session_id INTEGER REFERENCES sessions(id),
            question_id TEXT NOT NULL, probe_index INTEGER, level TEXT NOT NULL,
            text TEXT NOT NULL, hidden INTEGER NOT NULL DEFAULT 0,
            local_date TEXT NOT NULL, created_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS answers_user ON answers (platform, user_id, id);
        CREATE INDEX IF NOT EXISTS answers_post ON answers (post_id);
        CREATE TABLE IF NOT EXISTS feedback (
            answer_id INTEGER PRIMARY KEY REFERENCES answers(id) ON DELETE CASCADE,
            score INTEGER NOT NULL, verdict TEXT NOT NULL, body TEXT NOT NULL,
            message_id TEXT, created_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS reviews (
            id INTEGER PRIMARY KEY,
            answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
            reviewer_platform TEXT NOT NULL, reviewer_id TEXT NOT NULL,
            ratings TEXT NOT NULL, comment TEXT, created_at TEXT NOT NULL,
            UNIQUE (answer_id, reviewer_platform, reviewer_id)
        );
        CREATE TABLE IF NOT EXISTS events (
            platform TEXT NOT NULL, event_id TEXT NOT NULL, seen_at TEXT NOT NULL,
            PRIMARY KEY (platform, event_id)
        );
        CREATE TABLE IF NOT EXISTS locks (
            name TEXT PRIMARY KEY, owner TEXT NOT NULL, heartbeat TEXT NOT NULL
        );
        """
    )


@MIGRATIONS()
def m002_schedule_skip_on_and_effective_from(db) -> None:
    # skip_on: the one fire date `skip` cancelled (a flag alone would post again at the next tick that day);
    # effective_from: fires before the schedule was added or resumed never count as missed.
    db.execute("ALTER TABLE schedules ADD COLUMN skip_on TEXT")
    db.execute("ALTER TABLE schedules ADD COLUMN effective_from TEXT")


@MIGRATIONS()
def m002_quiz_attempts(db) -> None:
    _run_each(
        db,
        """
        CREATE TABLE IF NOT EXISTS quiz_attempts (
            id INTEGER PRIMARY KEY, platform TEXT NOT NULL, user_id TEXT NOT NULL,
            question_id TEXT NOT NULL, item INTEGER NOT NULL, chosen INTEGER NOT NULL,
            correct INTEGER NOT NULL, created_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS quiz_user ON quiz_attempts (platform, user_id)
        """,
    )


@MIGRATIONS()
def m003_progress_stories_and_indexes(db) -> None:
    # stories: a member's name for the real story behind an answer (one name per answer, many answers per story).
    # answers_progress covers a member's stats (count, questions practised, answer times) without table lookups.
    # answers_channel_day serves the weekly digest (a channel's answers in a date range).
    _run_each(
        db,
        """
        CREATE TABLE IF NOT EXISTS stories (
            id INTEGER PRIMARY KEY, platform TEXT NOT NULL, user_id TEXT NOT NULL,
            answer_id INTEGER NOT NULL UNIQUE REFERENCES answers(id) ON DELETE CASCADE,
            name TEXT NOT NULL, created_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS stories_user ON stories (platform, user_id, name);
        CREATE INDEX IF NOT EXISTS answers_progress ON answers (platform, user_id, probe_index, created_at, question_id);
        CREATE INDEX IF NOT EXISTS answers_channel_day ON answers (platform, channel_id, local_date)
        """,
    )


# Questions that shared a text with another question were merged into one; stored rows follow the
# kept question so history, streaks and spaced repetition keep working.
MERGED_QUESTIONS = {
    "pl-disagree-manager": "ic-disagree-with-manager",
    "ic-multi-team-technical-decision": "tj-multi-team-decision",
    "ss-multi-team-technical-decision": "tj-multi-team-decision",
    "ic-deliver-bad-news-to-team": "pl-bad-news",
    "od-bad-news": "pl-bad-news",
    "ss-bad-news-to-team": "pl-bad-news",
    "ic-team-behind-schedule": "od-behind-schedule",
    "pl-behind-schedule": "od-behind-schedule",
    "tj-wrong-technical-call": "od-wrong-technical-approach",
    "od-key-people-leave": "pl-key-departures",
    "od-speed-quality-tradeoff": "tj-speed-vs-quality",
    "tj-quality-moving-fast": "od-quality-while-moving-fast",
    "od-incomplete-information": "tj-decision-incomplete-info",
    "ss-decision-incomplete-info": "tj-decision-incomplete-info",
    "ss-scale-team-5-to-15": "pl-scale-team",
}


@MIGRATIONS()
def m004_merge_duplicate_questions(db) -> None:
    for table in ("posts", "sessions", "answers"):  # quiz attempts name an item index of the old question: left as they are
        for old, new in MERGED_QUESTIONS.items():
            db.execute(f"UPDATE {table} SET question_id = ? WHERE question_id = ?", (new, old))


@MIGRATIONS()
def m005_nudge_time_and_nudged_at(db) -> None:
    # channels.nudge_time: local HH:MM of the opt-in reminder in an open question's thread (NULL: off);
    # posts.nudged_at: the claim that makes the reminder once per question, whatever the number of ticks or processes.
    db.execute("ALTER TABLE channels ADD COLUMN nudge_time TEXT")
    db.execute("ALTER TABLE posts ADD COLUMN nudged_at TEXT")


@MIGRATIONS()
def m005_inbox_outbox_cursors(db) -> None:
    # inbox: every inbound event, written before it is acked; `done` only once its replies are in the outbox.
    # outbox: everything the bot sends, claimed -> sent -> marked with the platform's id; one lane sends in order.
    # cursors: the newest message seen in each question thread, where catch-up after downtime starts reading.
    _run_each(
        db,
        """
        CREATE TABLE IF NOT EXISTS inbox (
            id INTEGER PRIMARY KEY, platform TEXT NOT NULL, event_id TEXT NOT NULL, body TEXT,
            status TEXT NOT NULL DEFAULT 'new', attempts INTEGER NOT NULL DEFAULT 0,
            received_at TEXT NOT NULL, done_at TEXT, error TEXT,
            UNIQUE (platform, event_id)
        );
        CREATE INDEX IF NOT EXISTS inbox_open ON inbox (platform, id) WHERE status = 'new';
        CREATE TABLE IF NOT EXISTS outbox (
            id INTEGER PRIMARY KEY, platform TEXT NOT NULL, lane TEXT NOT NULL,
            step TEXT NOT NULL DEFAULT 'message', body TEXT, track TEXT, reply_to TEXT, author TEXT,
            status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, not_before REAL,
            claimed_at REAL, claimed_by TEXT, message_id TEXT, thread_id TEXT, sent_at TEXT, error TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS outbox_open ON outbox (platform, lane, id) WHERE status IN ('pending', 'sending');
        CREATE INDEX IF NOT EXISTS outbox_track ON outbox (track) WHERE track IS NOT NULL;
        CREATE TABLE IF NOT EXISTS cursors (
            platform TEXT NOT NULL, thread_id TEXT NOT NULL, last_seen TEXT NOT NULL,
            PRIMARY KEY (platform, thread_id)
        )
        """,
    )


@MIGRATIONS()
def m006_outbox_reply_index(db) -> None:
    # "are all replies to this event out?" is asked after every send that answers an event
    db.execute("CREATE INDEX IF NOT EXISTS outbox_reply ON outbox (reply_to) WHERE status IN ('pending', 'sending')")


@MIGRATIONS()
def m007_inbox_thread_cursor_trigger(db) -> None:
    # The newest message seen in a question thread is kept by a trigger, so storing an event before its
    # ack stays one statement (its cost is in the ack).
    db.execute("ALTER TABLE inbox ADD COLUMN thread_id TEXT")
    db.execute("ALTER TABLE inbox ADD COLUMN position TEXT")
    db.execute(
        "CREATE TRIGGER IF NOT EXISTS inbox_cursor AFTER INSERT ON inbox WHEN NEW.thread_id IS NOT NULL BEGIN "
        "INSERT INTO cursors (platform, thread_id, last_seen) VALUES (NEW.platform, NEW.thread_id, NEW.position) "
        "ON CONFLICT (platform, thread_id) DO UPDATE SET last_seen = MAX(last_seen, excluded.last_seen); END"
    )


@MIGRATIONS()
def m008_workspaces_and_slack_installations(db) -> None:
    # workspaces: a Slack workspace (or Grid org) that uninstalled the app: its schedules are paused and its
    # members' data is deleted once the retention period has passed, unless it is installed again.
    # slack_installations / slack_oauth_states: Bolt's installation and OAuth state stores, in this database.
    # channels.guild_id: the Discord server a channel belongs to (Discord ids are global snowflakes already).
    _run_each(
        db,
        """
        CREATE TABLE IF NOT EXISTS workspaces (
            platform TEXT NOT NULL, workspace TEXT NOT NULL, uninstalled_at TEXT, reason TEXT,
            PRIMARY KEY (platform, workspace)
        );
        CREATE TABLE IF NOT EXISTS slack_installations (
            workspace TEXT PRIMARY KEY, enterprise_id TEXT, enterprise_name TEXT, team_id TEXT, team_name TEXT,
            is_enterprise_install INTEGER NOT NULL DEFAULT 0, app_id TEXT, installer_id TEXT,
            bot_id TEXT, bot_user_id TEXT, bot_scopes TEXT, bot_token TEXT NOT NULL, bot_refresh_token TEXT,
            bot_token_expires_at INTEGER, installed_at REAL NOT NULL, updated_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS slack_oauth_states (
            state TEXT PRIMARY KEY, expires_at REAL NOT NULL
        );
        ALTER TABLE channels ADD COLUMN guild_id TEXT
        """,
    )


@MIGRATIONS()
def m009_handled_events(db) -> None:
    # handled_events: an inbound event whose flow has committed, written in that same transaction. On SQLite the
    # inbox lives in a file of its own (stardrill.store.inbox_file), so this key, not the inbox row, is what
    # makes handling exactly-once there; PostgreSQL marks the inbox row in the flow's transaction instead.
    db.execute(
        "CREATE TABLE IF NOT EXISTS handled_events (platform TEXT NOT NULL, event_id TEXT NOT NULL, "
        "handled_at TEXT NOT NULL, PRIMARY KEY (platform, event_id))"
    )
