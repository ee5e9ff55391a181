"""STARDRILL_DB naming another program's SQLite file: refused in one line before anything is written to it.

Opening a database applies Stardrill's migrations, which would add its tables to that file, switch it
to WAL mode and create an inbox file beside it. A new path or an empty file is a new database, and a
Stardrill database opens as always.
"""

from __future__ import annotations

import sqlite3

import pytest

from stardrill.store import Store, StoreError
from tests.ops_kit import environment, stardrill


def refusal(path) -> str:
    return (f"{path} is another program's SQLite database (it has tables, none of them Stardrill's); "
            "set STARDRILL_DB to a new file or a Stardrill database")


def other_programs_db(path, *statements: str):
    con = sqlite3.connect(path)
    for statement in statements or ("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
                                    "INSERT INTO notes (body) VALUES ('keep me')"):
        con.execute(statement)
    con.commit()
    con.close()
    return path


def folder(tmp_path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in tmp_path.iterdir()}


@pytest.mark.parametrize("command", [["stats"], ["schedule", "list"]])
def test_the_cli_refuses_another_programs_database_and_writes_nothing(tmp_path, command):
    other = other_programs_db(tmp_path / "other.db")
    before = folder(tmp_path)
    run = stardrill(*command, env=environment(other))
    assert run.returncode != 0
    assert run.stderr.strip().splitlines() == [f"error: {refusal(other)}"]
    assert folder(tmp_path) == before  # same bytes, and no inbox, -wal or -shm file beside it


def test_a_file_that_only_records_another_programs_migrations_is_refused(tmp_path):
    other = other_programs_db(tmp_path / "other.db",
                              "CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT, applied_at TEXT)",
                              "INSERT INTO _sqlite_migrations VALUES ('someone-else', 'm001', 'now')")
    with pytest.raises(StoreError) as refused:
        Store(other)
    assert str(refused.value) == refusal(other)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


@pytest.mark.parametrize("prepare", ["absent", "empty"])
def test_a_new_path_or_an_empty_file_becomes_a_stardrill_database(tmp_path, prepare):
    db = tmp_path / "new.db"
    if prepare == "empty":
        db.touch()
    run = stardrill("stats", env=environment(db))
    assert run.returncode == 0, run.stderr
    assert {"posts", "answers", "feedback"} <= {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master")}


def test_a_stardrill_database_with_an_extra_table_of_the_operators_still_opens(tmp_path):
    db = tmp_path / "s.db"
    Store(db).close()
    other_programs_db(db)  # an operator's own table added beside Stardrill's
    store = Store(db)
    try:
        assert store.row("SELECT body FROM notes")["body"] == "keep me"
    finally:
        store.close()
