"""The store: migrations apply twice safely, data survives reopening, concurrent writers never see 'locked'."""

from __future__ import annotations

import os
import sqlite3
import threading

import pytest

from stardrill.store import Store, StoreError
from stardrill.store import records
from stardrill.store.migrations import MIGRATIONS
from tests.stores import reopen


def test_migrations_apply_twice_safely(tmp_path):
    path = tmp_path / "s.db"
    first = Store(path)
    tables = set(first.db.table_names())
    MIGRATIONS.apply(first.db)
    second = Store(path)
    assert set(second.db.table_names()) == tables
    assert [m.name for m in MIGRATIONS.applied(second.db)] == [m.name for m in MIGRATIONS.applied(first.db)]
    assert {"channels", "posts", "answers", "feedback", "reviews", "users", "sessions", "events", "schedules"} <= tables


def test_data_survives_reopen(store):
    post_id = records.claim_post(store, "slack", "C1", "2026-03-02", "daily", "q1", "senior", "t")
    store.close()
    again = reopen(store)
    try:
        assert records.post(again, post_id)["question_id"] == "q1"
        if again.kind == "sqlite":
            assert again.row("PRAGMA journal_mode")["journal_mode"] == "wal"
        else:  # reopening applied no migration twice
            assert again.row("SELECT COUNT(*) AS n FROM stardrill_migrations")["n"] == len(MIGRATIONS._migrations)
    finally:
        again.close()


def test_claim_is_unique_per_channel_day_slot(store):
    assert records.claim_post(store, "slack", "C1", "2026-03-02", "daily", "q1", "senior", "t") is not None
    assert records.claim_post(store, "slack", "C1", "2026-03-02", "daily", "q2", "senior", "t") is None
    assert records.claim_post(store, "slack", "C1", "2026-03-03", "daily", "q2", "senior", "t") is not None


def test_event_dedupe(store):
    assert records.mark_event(store, "slack", "Ev1", "t") is True
    assert records.mark_event(store, "slack", "Ev1", "t") is False
    assert records.mark_event(store, "discord", "Ev1", "t") is True


def test_concurrent_writers_from_threads(store):
    errors: list[Exception] = []

    def writer(n: int) -> None:
        try:
            for i in range(50):
                records.mark_event(store, "slack", f"{n}-{i}", "t")
                with store.write() as db:  # read-then-write
                    count = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
                    db.execute("INSERT INTO locks (name, owner, heartbeat) VALUES (?, ?, ?)", (f"{n}-{i}", "x", str(count)))
        except Exception as exc:  # collected, then asserted empty
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.row("SELECT COUNT(*) AS n FROM events")["n"] == 300
    assert store.row("SELECT COUNT(*) AS n FROM locks")["n"] == 300


def test_failed_transaction_leaves_nothing(store):
    with pytest.raises(RuntimeError):
        with store.write() as db:
            db.execute("INSERT INTO events (platform, event_id, seen_at) VALUES ('x', 'y', 't')")
            raise RuntimeError("boom")
    assert store.row("SELECT COUNT(*) AS n FROM events")["n"] == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions, so a read-only file cannot be simulated")
def test_read_only_path_is_one_clear_error(tmp_path):
    path = tmp_path / "ro.db"
    Store(path).close()
    os.chmod(path, 0o444)
    os.chmod(tmp_path, 0o555)
    try:
        with pytest.raises(StoreError, match="cannot"):
            Store(path).execute("INSERT INTO events (platform, event_id, seen_at) VALUES ('a', 'b', 'c')")
    finally:
        os.chmod(tmp_path, 0o755)


def test_directory_as_db_path_is_one_clear_error(tmp_path):
    with pytest.raises(StoreError, match="cannot use database"):
        Store(tmp_path)


def test_path_under_a_file_is_one_clear_error(tmp_path):
    (tmp_path / "plain-file").write_text("x")
    with pytest.raises(StoreError, match="cannot use database"):
        Store(tmp_path / "plain-file" / "s.db")


def test_locked_db_reports_instead_of_hanging(tmp_path):
    path = tmp_path / "l.db"
    Store(path).close()
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked"):
            Store(path, busy_timeout_ms=200).execute("INSERT INTO events (platform, event_id, seen_at) VALUES ('a', 'b', 'c')")
    finally:
        holder.rollback()
        holder.close()


def test_commits_never_checkpoint_and_the_background_checkpoint_copies_the_wal(tmp_path):
    """A commit that checkpoints stalls its reply for milliseconds; the copy into the file happens aside."""
    from stardrill.store.db import CHECKPOINT_EVERY

    path = tmp_path / "s.db"
    store = Store(path)
    wal = tmp_path / "s.db-wal"
    size_before = path.stat().st_size
    bulky = "x" * 50_000  # about 25 pages a write: past SQLite's own 1,000-page autocheckpoint long before the last
    for i in range(CHECKPOINT_EVERY - 1):
        records.mark_event(store, "slack", f"ev{i}-{bulky}", "t")
    assert path.stat().st_size == size_before  # every page is still in the WAL: no commit checkpointed
    assert wal.stat().st_size > 0
    records.mark_event(store, "slack", "ev-last", "t")  # the CHECKPOINT_EVERY-th write starts one aside
    store.wait_for_checkpoint()
    assert path.stat().st_size > size_before
    copy = tmp_path / "copy.db"  # the database file alone, without its WAL, now holds every event
    copy.write_bytes(path.read_bytes())
    with sqlite3.connect(copy) as plain:
        assert plain.execute("SELECT COUNT(*) FROM events").fetchone()[0] == CHECKPOINT_EVERY


def test_rows_of_merged_questions_follow_the_kept_question(tmp_path, bank):
    """Questions that shared a text were merged; a store written before keeps its history under the kept id."""
    from stardrill.store.migrations import MERGED_QUESTIONS

    path = tmp_path / "s.db"
    store = Store(path)
    post_id = records.claim_post(store, "slack", "C1", "2026-03-02", "daily", "od-bad-news", "em", "t")
    store.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_merge_duplicate_questions'")
    store.close()
    assert records.post(Store(path), post_id)["question_id"] == "pl-bad-news"
    assert not set(MERGED_QUESTIONS) & set(bank.questions)  # a merged id is gone from the bank
    assert set(MERGED_QUESTIONS.values()) <= set(bank.questions)  # and the question it joined is there
