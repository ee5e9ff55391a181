"""PostgreSQL as the shared store: settings, migrations, claims, SKIP LOCKED, advisory locks, `db copy`.

Every test here runs against the throwaway server (tests/pg_server.py); two PgStore objects on one
database stand for two replicas (each has its own pool and sessions, as two processes would).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from stardrill.app import Stardrill
from stardrill.store import StoreError, inbox, open_store, outbox, records
from stardrill.store.copy import CopyError, copy
from stardrill.store.db import Store
from stardrill.store.migrations import MIGRATIONS
from stardrill.store.pg import PgStore, redacted
from stardrill.schedules.lock import AdvisorySchedulerLock
from stardrill.store.pg_locks import AdvisoryProcessMark
from tests.chat import STRONG, Member
from tests.test_console_e2e import stardrill


@pytest.fixture
def url(pg_url):
    return pg_url


def replicas(url: str, n: int = 2) -> list[PgStore]:
    return [PgStore(url, pool_size=4) for _ in range(n)]


def kill_sessions(url: str, application_name: str) -> int:
    """End those sessions as a vanished machine's would end, and wait until the server has let them go."""
    with psycopg.connect(url, autocommit=True) as conn:
        killed = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                              (application_name,)).fetchall()
        deadline = time.monotonic() + 10
        while conn.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = %s",
                           (application_name,)).fetchone()[0] and time.monotonic() < deadline:
            time.sleep(0.01)  # termination is asynchronous: the backend exits, then its locks are freed
    return len(killed)


def soon(check, seconds: float = 5.0) -> bool:
    """Whether `check()` comes true within `seconds`. A closed session's backend frees its locks a moment after the
    socket closes (as after a kill), so a look straight after a release can still see them held."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def soon_dead(mark: AdvisoryProcessMark, token: str) -> bool:
    return soon(lambda: not mark.alive(token))


# -- choosing and opening the store ---------------------------------------------------------------------


def test_the_url_setting_chooses_postgresql_and_bad_values_say_why(url, monkeypatch, tmp_path):
    monkeypatch.setenv("STARDRILL_DB", str(tmp_path / "unused.db"))
    monkeypatch.setenv("STARDRILL_DATABASE_URL", url)
    store = open_store()
    try:
        assert store.kind == "postgresql"
        assert not (tmp_path / "unused.db").exists()
    finally:
        store.close()
    monkeypatch.setenv("STARDRILL_DATABASE_URL", " ")
    with pytest.raises(StoreError, match="STARDRILL_DATABASE_URL is set but empty"):
        open_store()
    monkeypatch.setenv("STARDRILL_DATABASE_URL", "mysql://x@y/z")
    with pytest.raises(StoreError, match="must be a postgresql:// URL"):
        open_store()
    monkeypatch.delenv("STARDRILL_DATABASE_URL")
    sqlite = open_store()
    try:
        assert sqlite.kind == "sqlite" and (tmp_path / "unused.db").exists()
    finally:
        sqlite.close()


def test_an_unreachable_server_is_one_line_without_the_password():
    with pytest.raises(StoreError) as caught:
        PgStore("postgresql://bob:hunter2@127.0.0.1:9/nowhere", pool_size=1)
    message = str(caught.value)
    assert "hunter2" not in message and "bob:***@127.0.0.1:9" in message and "\n" not in message
    assert redacted("postgresql://bob:hunter2@h/db") == "postgresql://bob:***@h/db"


def test_replicas_starting_together_apply_each_migration_once(url):
    with ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(lambda _: PgStore(url, pool_size=2), range(4)))
    try:
        applied = stores[0].rows("SELECT name FROM stardrill_migrations ORDER BY name")
        assert sorted(r["name"] for r in applied) == sorted(m.name for m in MIGRATIONS._migrations)
        tables = {r["table_name"] for r in stores[0].rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
        assert {"answers", "feedback", "posts", "inbox", "outbox", "cursors"} <= tables
    finally:
        for s in stores:
            s.close()


# -- the guarantees, with two replicas racing -------------------------------------------------------------


def test_a_post_is_claimed_by_exactly_one_replica(url):
    a, b = replicas(url)
    start = threading.Barrier(8)

    def claim(store, i):
        start.wait()
        return records.claim_post(store, "slack", f"C{i % 4}", "2026-03-02", "daily", "q", "senior", "t")

    try:
        with ThreadPoolExecutor(8) as pool:
            ids = list(pool.map(lambda i: claim((a, b)[i % 2], i), range(8)))
    finally:
        a.close(), b.close()
    won = [i for i in ids if i is not None]
    assert len(won) == 4 and len(set(won)) == 4  # one claim per channel, whichever replica asked


def test_an_event_delivered_to_two_replicas_is_stored_once(url):
    a, b = replicas(url)
    try:
        first = inbox.receive(a, "slack", "Ev1", "{}", "2026-03-02T09:00:00+00:00")
        second = inbox.receive(b, "slack", "Ev1", "{}", "2026-03-02T09:00:01+00:00")
        assert first.fresh and not second.fresh and first.row_id == second.row_id
        assert records.mark_event(a, "slack", "E9", "t") and not records.mark_event(b, "slack", "E9", "t")
    finally:
        a.close(), b.close()


def test_an_inbox_row_being_handled_is_skipped_not_waited_for(url):
    a, b = replicas(url)
    try:
        row = inbox.receive(a, "slack", "Ev2", "{}", "2026-03-02T09:00:00+00:00").row_id
        key = ("slack", "Ev2")
        holding, release = threading.Event(), threading.Event()

        def handle_on_a(commit: bool):
            try:
                with a.write():
                    assert inbox.take(a, row, key)
                    holding.set()
                    release.wait(10)
                    if commit:
                        inbox.finish(a, row, key, "2026-03-02T09:00:02+00:00")
                    else:
                        raise RuntimeError("the replica died mid-flow")
            except RuntimeError:
                pass

        worker = threading.Thread(target=handle_on_a, args=(False,))
        worker.start()
        holding.wait(10)
        with b.write():
            assert not inbox.take(b, row, key)  # held by A: B moves on at once
        release.set()
        worker.join(10)
        with b.write():  # A rolled back: the row is B's to handle
            assert inbox.take(b, row, key)
            inbox.finish(b, row, key, "2026-03-02T09:00:03+00:00")
        with a.write():
            assert not inbox.take(a, row, key)  # done
    finally:
        a.close(), b.close()


def test_an_outbox_row_is_claimed_by_one_replica(url):
    a, b = replicas(url)
    try:
        from stardrill.messages import Message, Target

        [row] = outbox.enqueue(a, "slack", [Message(Target("slack", "C1"), "hello")], "t")
        start = threading.Barrier(2)

        def claim(store, owner):
            start.wait()
            return outbox.claim(store, row.id, owner, 1.0)

        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda pair: claim(*pair), [(a, "A"), (b, "B")]))
        assert sorted(results) == [False, True]
        assert outbox.get(a, row.id).status == "sending"
    finally:
        a.close(), b.close()


# -- session locks -------------------------------------------------------------------------------------------


def test_one_scheduler_lock_and_takeover_when_its_session_dies(url):
    a, b = replicas(url)
    try:
        first, second = AdvisorySchedulerLock(a, lambda: "t1"), AdvisorySchedulerLock(b, lambda: "t2")
        assert first.acquire() and not second.acquire()
        assert first.owner in second.holder()
        assert kill_sessions(url, "stardrill-lock") >= 1  # the holder's machine is gone
        assert second.acquire()
        first.heartbeat()  # notices it lost the lock
        assert not first.held and second.held
        second.release()
        assert soon(first.acquire)  # the released session's backend lets go a moment after it closes
        first.release()
    finally:
        a.close(), b.close()


def test_a_process_mark_is_alive_exactly_while_its_session_is(url):
    a, b = replicas(url)
    try:
        mine, theirs = AdvisoryProcessMark(a), AdvisoryProcessMark(b)
        assert mine.alive(theirs.token) and theirs.alive(mine.token) and mine.alive(mine.token)
        assert not mine.alive("nobody-1-deadbeef") and not mine.alive(None)
        theirs.release()
        assert soon_dead(mine, theirs.token)
        for _ in range(30):  # each clean stop frees its mark, however soon another process looks
            brief = AdvisoryProcessMark(b)
            brief.release()
            assert soon_dead(mine, brief.token)
        again = AdvisoryProcessMark(b)
        kill_sessions(url, "stardrill-lock")  # every lock session here, this one's included
        assert not mine.alive(again.token)
    finally:
        a.close(), b.close()


# -- moving over from SQLite -------------------------------------------------------------------------------


def _practised_sqlite(tmp_path, bank, clock) -> Store:
    store = Store(tmp_path / "old.db")
    app = Stardrill(bank, store, clock, default_level="senior", seed=7)
    member = Member(app, "U1")
    member.command("practice", "lead-without-title")
    member.say(STRONG, direct=True)
    member.command("practice", "ownership")
    member.say("I'd rather not answer that one today.", direct=True)
    return store


def test_db_copy_moves_every_row_keeps_ids_and_refuses_a_second_copy(url, tmp_path, bank, clock):
    source = _practised_sqlite(tmp_path, bank, clock)
    target = PgStore(url, pool_size=2)
    try:
        copied = copy(source, target)
        assert copied.tables["answers"] == 2 and copied.tables["feedback"] == 2 and copied.rows > 4
        for table in ("answers", "feedback", "sessions", "users"):
            assert source.rows(f"SELECT * FROM {table} ORDER BY 1") == target.rows(f"SELECT * FROM {table} ORDER BY 1")
        new_id = records.add_answer(target, platform="console", user_id="U2", question_id="q", level="senior",
                                    text="x", local_date="2026-03-02", created_at="t")
        assert new_id == max(r["id"] for r in source.rows("SELECT id FROM answers")) + 1  # the sequence moved on
        with pytest.raises(CopyError, match=r"not empty: .*answers \(3\)"):
            copy(source, target)
    finally:
        source.close(), target.close()


def test_db_copy_takes_the_inbox_file_and_copies_a_handled_row_as_done(url, tmp_path, bank, clock):
    source = _practised_sqlite(tmp_path, bank, clock)
    for event in ("E1", "E2", "E3"):
        inbox.receive(source, "slack", event, "{}", "2026-03-02T09:00:00+00:00", ("T1", event))
    e1 = source.inbox.row("SELECT id FROM inbox WHERE event_id = 'E1'")["id"]
    with source.write():  # E1: its flow committed, then the process died before marking the row
        assert inbox.take(source, e1, ("slack", "E1"))
        inbox.finish(source, e1, ("slack", "E1"), "2026-03-02T09:00:01+00:00")
    e3 = source.inbox.row("SELECT id FROM inbox WHERE event_id = 'E3'")["id"]
    with source.write():
        inbox.finish(source, e3, ("slack", "E3"), "2026-03-02T09:00:01+00:00")
    inbox.settle(source, [e3], "2026-03-02T09:00:02+00:00")
    target = PgStore(url, pool_size=2)
    try:
        copied = copy(source, target)
        assert copied.tables["inbox"] == 3 and copied.tables["cursors"] == 1
        found = {r["event_id"]: r["status"] for r in target.rows("SELECT event_id, status FROM inbox")}
        assert found == {"E1": "done", "E2": "new", "E3": "done"}  # E1 would be handled twice if copied as new
        assert inbox.open_rows(target, "slack") == [source.inbox.row("SELECT id FROM inbox WHERE event_id = 'E2'")["id"]]
        assert inbox.last_seen(target, "slack", "T1") == "E3"
    finally:
        source.close(), target.close()


def test_db_copy_command_prints_the_counts(url, tmp_path, bank, clock):
    _practised_sqlite(tmp_path, bank, clock).close()
    env = {"STARDRILL_DB": str(tmp_path / "old.db")}
    done = stardrill("db", "copy", "--to", url, env=env)
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0, err
    assert "answers                  2 rows" in out and "row counts match" in out
    again = stardrill("db", "copy", "--to", url, env=env)
    assert again.returncode == 1 and again.stderr.decode().startswith("error: the target database is not empty")
    missing = stardrill("db", "copy", "--to", url, env={"STARDRILL_DB": str(tmp_path / "none.db")})
    assert missing.returncode == 2 and "there is no SQLite database at" in missing.stderr.decode()
    wrong = stardrill("db", "copy", "--to", "sqlite:///x.db", env=env)
    assert wrong.returncode == 2 and "--to must be a postgresql:// URL" in wrong.stderr.decode()
