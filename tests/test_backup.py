"""`stardrill backup` and `stardrill restore` as child processes on real SQLite files, beside a writing process."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

from stardrill.store import Store
from tests.ops_kit import environment, stardrill

# Another process writing like a busy bot: one committed row per line printed, at least 500 of them,
# and on until its stdin closes, so the backup is taken while writes go on.
WRITER = """
import sys, threading
from stardrill.store import Store
store = Store(sys.argv[1])
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
written = 0
while written < 500 or not stop.is_set():
    written += 1
    store.execute("INSERT INTO events (platform, event_id, seen_at) VALUES ('load', ?, 'now')", (f"{written:06d}",))
    print(written, flush=True)
store.close()
"""


def rows(db) -> list[int]:
    con = sqlite3.connect(db)
    try:
        return [int(r[0]) for r in con.execute("SELECT event_id FROM events WHERE platform = 'load' ORDER BY event_id")]
    finally:
        con.close()


def integrity(db) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("PRAGMA integrity_check")]
    finally:
        con.close()


def one_line(run) -> str:
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


def test_a_backup_taken_during_500_writes_holds_every_row_committed_before_it(tmp_path):
    db, copy = tmp_path / "live.db", tmp_path / "copy.db"
    Store(db).close()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    printed: list[int] = []
    hundred = threading.Event()

    def read() -> None:  # drain the pipe all along: a full pipe would stall the writer mid-backup
        for line in writer.stdout:
            printed.append(int(line))
            if len(printed) >= 100:
                hundred.set()
        hundred.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert hundred.wait(60) and printed, "the writer never got going"
        committed = printed[-1]  # every row up to here was committed before the backup began
        run = stardrill("backup", str(copy), env=environment(db))
        writer.stdin.close()  # only now may the writer stop (after its 500th row at the earliest)
        assert writer.wait(60) == 0
        reader.join(10)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"backed up {db} to {copy} (") and "integrity ok" in run.stdout
    assert integrity(copy) == ["ok"]
    saved = rows(copy)
    assert saved[:committed] == list(range(1, committed + 1))
    assert saved == list(range(1, len(saved) + 1))  # a consistent snapshot: a prefix of the writes, no gap
    last = printed[-1]
    assert last >= 500 and rows(db) == list(range(1, last + 1))
    assert not (tmp_path / "copy.db-wal").exists()  # the copy is one self-contained file


def test_restore_replaces_the_database_and_keeps_the_one_it_replaced(tmp_path):
    db, copy = tmp_path / "s.db", tmp_path / "copy.db"
    env = environment(db)
    store = Store(db)
    store.execute("INSERT INTO events (platform, event_id, seen_at) VALUES ('load', '000001', 'now')")
    assert stardrill("backup", str(copy), env=env).returncode == 0
    store.execute("INSERT INTO events (platform, event_id, seen_at) VALUES ('load', '000002', 'now')")
    store.close()

    run = stardrill("restore", str(copy), env=env)
    assert run.returncode == 0, run.stderr
    first, second = run.stdout.splitlines()
    assert first == f"restored {db} from {copy} (0 answers, integrity ok)"
    previous = second.removeprefix("the database it replaced is saved as ")
    assert rows(db) == [1] and rows(previous) == [1, 2]
    assert integrity(db) == ["ok"]
    Store(db).close()  # the restored file opens as the bot opens it (migrations apply, nothing to do)


def test_backup_refuses_bad_targets_in_one_line(tmp_path):
    db = tmp_path / "s.db"
    env = environment(db)
    missing = stardrill("backup", str(tmp_path / "b.db"), env=env)
    assert missing.returncode == 1 and one_line(missing) == f"error: no database at {db} (STARDRILL_DB)"
    Store(db).close()
    no_folder = stardrill("backup", str(tmp_path / "nope" / "b.db"), env=env)
    assert no_folder.returncode == 1
    assert one_line(no_folder) == f"error: cannot write {tmp_path / 'nope' / 'b.db'}: the folder {tmp_path / 'nope'} does not exist"
    assert stardrill("backup", str(tmp_path / "b.db"), env=env).returncode == 0
    again = stardrill("backup", str(tmp_path / "b.db"), env=env)
    assert again.returncode == 1
    assert one_line(again) == f"error: {tmp_path / 'b.db'} already exists; choose another name (or pass --force to replace it)"
    assert stardrill("backup", "--force", str(tmp_path / "b.db"), env=env).returncode == 0
    itself = stardrill("backup", "--force", str(db), env=env)
    assert itself.returncode == 1 and one_line(itself) == f"error: {db} is the database itself"


def test_restore_refuses_what_is_not_a_stardrill_database_and_leaves_the_live_one_alone(tmp_path):
    db = tmp_path / "s.db"
    env = environment(db)
    store = Store(db)
    store.execute("INSERT INTO events (platform, event_id, seen_at) VALUES ('load', '000001', 'now')")
    store.close()
    text = tmp_path / "notes.txt"
    text.write_text("not a database, just notes\n" * 100)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()

    cases = {
        str(tmp_path / "absent.db"): f"error: no file at {tmp_path / 'absent.db'}",
        str(text): f"error: {text} is not a SQLite database (file is not a database)",
        str(other): f"error: {other} is a SQLite database but not Stardrill's (no answers, feedback, posts table)",
    }
    for source, message in cases.items():
        run = stardrill("restore", source, env=env)
        assert (run.returncode, one_line(run)) == (1, message)
    assert rows(db) == [1]
    assert sorted(p.name for p in tmp_path.iterdir() if "before-restore" in p.name) == []


def inbox_rows(db) -> list[tuple]:
    """The inbox as the bot reads it (in its own file beside the database since the inbox moved out)."""
    store = Store(db)
    try:
        return [tuple(r.values()) for r in store.inbox.rows("SELECT event_id, status, body FROM inbox ORDER BY event_id")]
    finally:
        store.close()


def test_backup_and_restore_carry_the_inbox_file(tmp_path):
    db, copy = tmp_path / "s.db", tmp_path / "copy.db"
    env = environment(db)
    store = Store(db)
    for event, state in (("E1", "new"), ("E2", "done")):  # E1 was acked and not handled yet when the backup ran
        store.inbox.execute("INSERT INTO inbox (platform, event_id, body, status, received_at, thread_id, position) "
                            "VALUES ('slack', ?, '{}', ?, 'now', 'T1', ?)", (event, state, event))
    store.close()
    assert stardrill("backup", str(copy), env=env).returncode == 0
    assert not (tmp_path / "copy.db.inbox").exists()  # one file: the inbox's tables are inside it
    store = Store(db)
    store.inbox.execute("INSERT INTO inbox (platform, event_id, body, received_at) VALUES ('slack', 'E3', '{}', 'now')")
    store.close()

    run = stardrill("restore", str(copy), env=env)
    assert run.returncode == 0, run.stderr
    previous = run.stdout.splitlines()[1].removeprefix("the database it replaced is saved as ")
    assert inbox_rows(db) == [("E1", "new", "{}"), ("E2", "done", "{}")]  # the backup's inbox, E1 still to handle
    assert [r[0] for r in inbox_rows(previous)] == ["E1", "E2", "E3"]  # the replaced one kept its inbox too
    store = Store(db)
    try:
        assert store.inbox.row("SELECT last_seen FROM cursors WHERE thread_id = 'T1'")["last_seen"] == "E2"
    finally:
        store.close()
