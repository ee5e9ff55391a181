"""The SQLite inbox in a file of its own (stardrill.store.inbox_file): exactly-once through the handled key,
and older databases, whose inbox sat in the main file, upgraded without losing a row.

SQLite only: on PostgreSQL the inbox is a table of the one database and a row is marked done in the
flow's own transaction, so there is no gap between the flow's commit and the mark to test.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from stardrill.app import Stardrill
from stardrill.store import Store, inbox
from stardrill.store.inbox_file import inbox_path
from tests.chat import STRONG
from tests.fakes.slack_harness import CHANNEL, core_id, fake, start_world  # noqa: F401 (fixtures)

ANSWER_2 = STRONG.replace("about $8K a week", "about $9K a week")

# The inbox and cursors as an older version kept them in the main file (migrations m005 and m007).
OLD_SCHEMA = (
    "CREATE TABLE inbox (id INTEGER PRIMARY KEY, platform TEXT NOT NULL, event_id TEXT NOT NULL, body TEXT, "
    "status TEXT NOT NULL DEFAULT 'new', attempts INTEGER NOT NULL DEFAULT 0, received_at TEXT NOT NULL, done_at TEXT, "
    "error TEXT, thread_id TEXT, position TEXT, UNIQUE (platform, event_id))",
    "CREATE INDEX inbox_open ON inbox (platform, id) WHERE status = 'new'",
    "CREATE TABLE cursors (platform TEXT NOT NULL, thread_id TEXT NOT NULL, last_seen TEXT NOT NULL, "
    "PRIMARY KEY (platform, thread_id))",
    "CREATE TRIGGER inbox_cursor AFTER INSERT ON inbox WHEN NEW.thread_id IS NOT NULL BEGIN "
    "INSERT INTO cursors (platform, thread_id, last_seen) VALUES (NEW.platform, NEW.thread_id, NEW.position) "
    "ON CONFLICT (platform, thread_id) DO UPDATE SET last_seen = MAX(last_seen, excluded.last_seen); END",
)
COLUMNS = "platform, event_id, body, status, attempts, received_at, done_at, error, thread_id, position"


@pytest.fixture
def sqlite_app(bank, clock, tmp_path):
    app = Stardrill(bank, Store(tmp_path / "stardrill.db"), clock, default_level="senior", seed=7)
    yield app
    app.store.close()


def keep_bodies(store) -> None:
    """Copy every inbox body as it is stored (the worker drops it once handled): what a crash would have left."""
    store.inbox.execute("CREATE TABLE kept (event_id TEXT, body TEXT)")
    store.inbox.execute("CREATE TRIGGER keep AFTER INSERT ON inbox BEGIN "
                        "INSERT INTO kept (event_id, body) VALUES (NEW.event_id, NEW.body); END")


def as_if_crashed_before_settling(store, event_id: str) -> None:
    """The files as a kill -9 between the flow's commit and the inbox mark leaves them: the flow's rows and the
    handled key committed in the main file, the inbox row still `new` with its body."""
    assert store.row("SELECT 1 AS found FROM handled_events WHERE event_id = ?", (event_id,))
    store.inbox.execute("UPDATE inbox SET status = 'new', done_at = NULL, "
                        "body = (SELECT body FROM kept WHERE kept.event_id = inbox.event_id) WHERE event_id = ?",
                        (event_id,))


def status(store, event_id: str) -> str:
    return store.inbox.row("SELECT status FROM inbox WHERE event_id = ?", (event_id,))["status"]


def answered(world, thread: str, event_id: str) -> tuple[int, int, int]:
    """(answers stored, replies to the event queued in the outbox, posts in the thread on the platform)."""
    store = world.core.store
    answers = store.row("SELECT COUNT(*) AS n FROM answers")["n"]
    queued = store.row("SELECT COUNT(*) AS n FROM outbox WHERE reply_to = ?", (event_id,))["n"]
    return answers, queued, len(world.fake.calls_to("chat.postMessage", thread_ts=thread))


def one_answer_handled(fake, app, monkeypatch):
    """Run Stardrill until one answer in a question's thread is handled and its inbox row done, then stop it.

    (the stopped world, the thread, the answer's Slack event, its core event id)."""
    world = start_world(fake, app, monkeypatch, "http")
    try:
        thread = world.post_question()
        said = world.say("UANA", STRONG, thread=thread)
        world.thread_posts(thread)
        event_id = core_id(f"msg:{CHANNEL}:{said['event']['ts']}")
        fake.wait_for(lambda: status(app.store, event_id) == "done", what="the answer handled")
        return world, thread, said, event_id
    finally:
        world.running.stop()


def test_a_redelivery_after_a_crash_between_commit_and_mark_is_only_marked_done(fake, sqlite_app, monkeypatch):
    keep_bodies(sqlite_app.store)
    world, thread, said, event_id = one_answer_handled(fake, sqlite_app, monkeypatch)
    assert answered(world, thread, event_id) == (1, 1, 1)

    world = start_world(fake, sqlite_app, monkeypatch, "http")  # the process after the crash, already started
    try:
        as_if_crashed_before_settling(sqlite_app.store, event_id)
        assert world.send("events_api", said, retry_attempt=1) == 200  # Slack retries: the ack had not reached it
        fake.wait_for(lambda: status(sqlite_app.store, event_id) == "done", what="the redelivery settled")
        assert answered(world, thread, event_id) == (1, 1, 1)  # the flow did not run again: no second answer or reply
    finally:
        world.running.stop()


def test_a_restart_after_a_crash_between_commit_and_mark_only_marks_the_row_done(fake, sqlite_app, monkeypatch):
    keep_bodies(sqlite_app.store)
    _, thread, _, event_id = one_answer_handled(fake, sqlite_app, monkeypatch)
    as_if_crashed_before_settling(sqlite_app.store, event_id)

    world = start_world(fake, sqlite_app, monkeypatch, "http")  # the next start handles every row not done
    try:
        fake.wait_for(lambda: status(sqlite_app.store, event_id) == "done", what="the row settled at start")
        assert answered(world, thread, event_id) == (1, 1, 1)
    finally:
        world.running.stop()


def make_old(db, rows: list[tuple], cursors: list[tuple], drop_inbox_file: bool = True) -> None:
    """Turn a closed database into what an older version left: inbox and cursors in the main file, no inbox file."""
    for suffix in ("", "-wal", "-shm") if drop_inbox_file else ():
        inbox_path(db).with_name(inbox_path(db).name + suffix).unlink(missing_ok=True)
    con = sqlite3.connect(db)
    try:
        for statement in OLD_SCHEMA:
            con.execute(statement)
        con.executemany("INSERT INTO cursors (platform, thread_id, last_seen) VALUES (?, ?, ?)", cursors)
        con.executemany(f"INSERT INTO inbox ({COLUMNS}) VALUES ({', '.join('?' * 10)})", rows)  # the trigger: MAX
        con.commit()
    finally:
        con.close()


def main_tables(db) -> set[str]:
    con = sqlite3.connect(db)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()


def test_an_older_database_with_new_inbox_rows_upgrades_and_handles_them(fake, bank, clock, tmp_path, monkeypatch):
    db = tmp_path / "stardrill.db"
    app = Stardrill(bank, Store(db), clock, default_level="senior", seed=7)
    keep_bodies(app.store)
    _, thread, said, first = one_answer_handled(fake, app, monkeypatch)
    done_rows = [tuple(r.values()) for r in app.store.inbox.rows(f"SELECT {COLUMNS} FROM inbox ORDER BY id")]
    cursors = [tuple(r.values()) for r in app.store.inbox.rows("SELECT platform, thread_id, last_seen FROM cursors")]
    body = app.store.inbox.row("SELECT body FROM kept WHERE event_id = ?", (first,))["body"]
    app.store.close()
    # A second member's answer, acked by the old version and not handled when it stopped
    ts = said["event"]["ts"]
    later = f"{float(ts) + 1:.6f}"
    second = first.replace(ts, later)
    waiting = ("slack", second, body.replace(ts, later).replace("UANA", "UBO").replace("$8K", "$9K"), "new", 0,
               "2026-03-02T09:00:05+00:00", None, None, core_id(thread), later)
    make_old(db, done_rows + [waiting], cursors)

    store = Store(db)  # the upgrade: rows move to the inbox file
    assert not {"inbox", "cursors"} & main_tables(db)
    moved = {r["event_id"]: r["status"] for r in store.inbox.rows("SELECT event_id, status FROM inbox")}
    assert moved[first] == "done" and moved[second] == "new" and len(moved) == len(done_rows) + 1
    assert store.inbox.row("SELECT last_seen FROM cursors WHERE thread_id = ?", (core_id(thread),))["last_seen"] == later
    app = Stardrill(bank, store, clock, default_level="senior", seed=7)
    world = start_world(fake, app, monkeypatch, "http")
    try:
        world.thread_posts(thread, 2)  # the waiting answer got its feedback
        fake.wait_for(lambda: status(store, second) == "done", what="the moved row handled")
        assert store.row("SELECT COUNT(*) AS n FROM answers")["n"] == 2
        assert [r["user_id"] for r in store.rows("SELECT user_id FROM answers ORDER BY id")] == [
            core_id("UANA"), core_id("UBO")]
        assert len(fake.calls_to("chat.postMessage", thread_ts=thread)) == 2
    finally:
        world.running.stop()
        store.close()


def test_a_move_cut_short_is_finished_at_the_next_open_without_doubles(tmp_path):
    db = tmp_path / "stardrill.db"
    Store(db).close()
    rows = [("slack", f"E{i}", "{}", "new" if i % 2 else "done", 0, "2026-03-02T09:00:00+00:00", None, None,
             "T1", f"1.{i}") for i in range(6)]
    make_old(db, rows, [("slack", "T1", "1.5")])
    Store(db).close()  # the first open moved them
    # the main file's rows back, the inbox file kept: as if the move had committed in one file and not the other
    make_old(db, rows[:4], [("slack", "T1", "1.3")], drop_inbox_file=False)
    store = Store(db)
    try:
        found = store.inbox.rows("SELECT event_id, status FROM inbox ORDER BY event_id")
        assert [(r["event_id"], r["status"]) for r in found] == [(f"E{i}", "new" if i % 2 else "done") for i in range(6)]
        assert store.inbox.row("SELECT last_seen FROM cursors WHERE thread_id = 'T1'")["last_seen"] == "1.5"
        assert not {"inbox", "cursors"} & main_tables(db)
    finally:
        store.close()


def test_an_insert_while_another_process_writes_the_inbox_file_waits_without_the_interpreter_lock(tmp_path):
    store = Store(tmp_path / "stardrill.db")
    other = sqlite3.connect(store.inbox.path, isolation_level=None, check_same_thread=False)  # another process
    try:
        other.execute("BEGIN IMMEDIATE")
        ticks, waiting = [], threading.Event()

        def tick() -> None:  # runs only while the insert below waits with the interpreter lock given away
            waiting.wait(5)
            end = time.monotonic() + 0.2
            while time.monotonic() < end:
                ticks.append(1)
                time.sleep(0.001)
            other.execute("COMMIT")

        beside = threading.Thread(target=tick)
        beside.start()
        waiting.set()
        stored = inbox.receive(store, "slack", "E1", "{}", "2026-03-02T09:00:00+00:00", ("T1", "1.0"))
        beside.join(5)
        assert stored.fresh and len(ticks) > 20
        assert store.inbox.rows("SELECT event_id, status FROM inbox") == [{"event_id": "E1", "status": "new"}]
        assert inbox.last_seen(store, "slack", "T1") == "1.0"
    finally:
        other.close()
        store.close()
