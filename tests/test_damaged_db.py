"""A partly damaged database: one clear line, a non-zero exit, and nothing the member typed is lost."""

from __future__ import annotations

import re
import sqlite3

import pytest

from tests.test_console_e2e import stardrill

ROUTINE = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ INFO ")
TYPED = "Only I noticed the invoices were double counted, so I rebuilt the report and we saved $40K."


@pytest.fixture
def damaged(tmp_path):
    """A database whose schema opens fine but whose feedback table is garbage (a torn write, a bad disk)."""
    db = tmp_path / "d.db"
    stardrill("practice", "--question", "lead-without-title", stdin="I fixed the build.\n.\n", db=db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'feedback'").fetchone()[0]
    con.close()
    with open(db, "r+b") as f:
        f.seek((root - 1) * page)
        f.write(b"\xff" * page)
    return db


def one_error_line(run) -> str:
    """The one problem line; `run` may also log its routine start-up at INFO (the scheduler), nothing else."""
    lines = [line for line in run.stderr.decode().strip().splitlines() if not ROUTINE.match(line)]
    assert len(lines) == 1, run.stderr.decode()
    assert lines[0].startswith("error: ") and "damaged" in lines[0]
    return lines[0]


@pytest.mark.parametrize("command", [["stats"], ["history"], ["history", "--answer", "1"], ["export", "--user", "you"]])
def test_reading_commands_say_so_in_one_line(damaged, command):
    run = stardrill(*command, db=damaged)
    assert run.returncode == 2
    one_error_line(run)


@pytest.mark.parametrize("command", [["practice", "--question", "lead-without-title", "--user", "bo"], ["run"]])
def test_what_the_member_typed_is_kept_beside_the_database(damaged, command):
    # bo has no answers yet, so nothing reads the damaged pages until his answer's feedback is stored
    stdin = ("/stardrill now\n/as bo\n" if command == ["run"] else "") + f"{TYPED}\n.\n"
    run = stardrill(*command, stdin=stdin, db=damaged)
    assert run.returncode == 2
    line = one_error_line(run)
    kept = damaged.parent / "d.db.unsaved.txt"
    assert str(kept) in line and TYPED in kept.read_text()
