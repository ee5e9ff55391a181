"""`stardrill backup TARGET --force` never writes over what is not a plain backup file of its own.

Refused: a target that exists and is not a regular file (here a FIFO, standing in for a device), and
any of the live database's side files (its -wal and -shm, the inbox file and its own, the scheduler
lock), which a running bot depends on. Each is refused in one line and left byte for byte as it was.
"""

from __future__ import annotations

import os
import stat

import pytest

from stardrill.schedules.lock import lock_path
from stardrill.store import Store
from stardrill.store.inbox_file import inbox_path
from tests.ops_kit import environment, stardrill


def one_line(run) -> str:
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


@pytest.fixture
def live(tmp_path):
    """A throwaway database held open as a running bot holds it, so its side files exist."""
    db = tmp_path / "live.db"
    store = Store(db)
    store.execute("INSERT INTO events (platform, event_id, seen_at) VALUES ('load', '000001', 'now')")
    store.inbox.execute("INSERT INTO inbox (platform, event_id, body, received_at) VALUES ('slack', 'E1', '{}', 'now')")
    lock_path(db).write_bytes(b"")  # the scheduler's flock file, as a running scheduler leaves it
    yield db
    store.close()


def side_file_names(db) -> list:
    box = inbox_path(db)
    return [f"{db}-wal", f"{db}-shm", str(box), f"{box}-wal", f"{box}-shm", str(lock_path(db))]


def test_backup_force_refuses_a_fifo_and_leaves_it_a_fifo(live, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    run = stardrill("backup", "--force", str(fifo), env=environment(live))
    assert run.returncode == 1
    assert one_line(run) == f"error: {fifo} is not a regular file (a device, pipe or socket); give the backup a file name"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []


@pytest.mark.parametrize("force", [["--force"], []])
def test_backup_refuses_every_side_file_of_the_live_database_and_leaves_its_bytes(live, force):
    names = side_file_names(live)
    for name in names:
        assert os.path.exists(name), name  # the test covers files a running bot really has
    before = {name: open(name, "rb").read() for name in names}
    for name in names:
        run = stardrill("backup", *force, name, env=environment(live))
        assert run.returncode == 1, (name, run.stdout)
        assert one_line(run) == (f"error: {name} belongs to the live database {live} (one of its side files); "
                                 "give the backup another name")
    assert {name: open(name, "rb").read() for name in names} == before


def test_backup_refuses_a_journal_name_that_does_not_exist_yet(live):
    journal = f"{live}-journal"  # SQLite would take a stray file of this name for a hot journal and roll it back
    run = stardrill("backup", journal, env=environment(live))
    assert run.returncode == 1 and "one of its side files" in one_line(run)
    assert not os.path.exists(journal)


def test_backup_force_still_replaces_an_ordinary_earlier_backup(live, tmp_path):
    earlier = tmp_path / "live.db.bak"  # named after the database, yet no side file of it
    earlier.write_bytes(b"an older backup")
    run = stardrill("backup", "--force", str(earlier), env=environment(live))
    assert run.returncode == 0, run.stderr
    assert earlier.read_bytes().startswith(b"SQLite format 3\x00")
