"""`stardrill db copy`: move a SQLite database into an empty PostgreSQL one, and prove nothing was lost.

The source is read in one read transaction (a consistent snapshot even while a bot writes to it,
thanks to WAL); the target is written in one transaction, so a failure half-way leaves it empty.
Rows keep their ids (answers, feedback and reviews point at each other by id) and each identity
sequence then starts after the largest id copied. Triggers are off during the copy: the thread
cursors are copied as they were, not rebuilt from the inbox.

The SQLite inbox and cursors live in a file apart (stardrill.store.inbox_file); it is attached to the
copy's connection and read first, so every row it shows done has its handled key in the main file's
later snapshot. PostgreSQL keeps no such key in its exactly-once check: an inbox row a crash left `new`
after its flow committed (its key present) arrives there `done`, or it would be handled twice.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from stardrill.store.db import Store
from stardrill.store.inbox_file import TABLES as INBOX_TABLES
from stardrill.store.pg import PgStore

# an inbox row is copied `done` when its event's flow has committed (see the module docstring)
SETTLED = {"status": "CASE WHEN status = 'new' AND EXISTS (SELECT 1 FROM main.handled_events AS h WHERE "
                     "h.platform = inbox.platform AND h.event_id = inbox.event_id) THEN 'done' ELSE status END"}


class CopyError(Exception):
    """The copy cannot start or did not verify; the message says why in one line."""


@dataclass(frozen=True)
class Copied:
    tables: dict[str, int]  # table -> rows, verified on both sides

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def copy(source: Store, target: PgStore) -> Copied:
    tables = table_order(source)
    busy = {t: n for t, n in counts(target, tables).items() if n}
    if busy:
        listed = ", ".join(f"{t} ({n})" for t, n in sorted(busy.items()))
        raise CopyError(f"the target database is not empty: {listed}; copy only into a new, empty database")
    conn = sqlite3.connect(str(source.path), isolation_level=None)  # one read transaction over every table
    try:
        conn.execute("ATTACH DATABASE ? AS box", (str(source.inbox.path),))
        conn.execute("BEGIN")
        conn.execute("SELECT COUNT(*) FROM box.inbox").fetchone()  # the inbox file's snapshot starts first
        expected = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        with target.write() as tx:
            for table in tables:
                _copy_table(conn, tx.conn, table)
        conn.execute("COMMIT")
    finally:
        conn.close()
    found = counts(target, tables)
    wrong = {t: (expected[t], found[t]) for t in tables if expected[t] != found[t]}
    if wrong:  # only a writer that started between the copy and this check can cause it
        listed = ", ".join(f"{t}: {a} in SQLite, {b} in PostgreSQL" for t, (a, b) in wrong.items())
        raise CopyError(f"row counts differ after the copy ({listed}); was something else writing to the "
                        "PostgreSQL database? Empty it and copy again")
    return Copied(found)


def table_order(source: Store) -> list[str]:
    """Stardrill's tables, each after the tables it references (PostgreSQL checks foreign keys at once).

    The inbox file's tables come last (they reference nothing); read unqualified, they resolve to the
    attached inbox file, the main file having none of that name."""
    names = [r["name"] for r in source.rows(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name != '_sqlite_migrations' "
        "ORDER BY name")]
    names += [t for t in INBOX_TABLES if t not in names]
    refs = {t: {r["table"] for r in source.rows(f'PRAGMA foreign_key_list("{t}")')} - {t} for t in names
            if t not in INBOX_TABLES}
    refs.update({t: set() for t in INBOX_TABLES})
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [t for t in names if t not in ordered and refs[t] <= set(ordered)]
        if not ready:
            raise CopyError(f"tables reference each other in a cycle: {sorted(set(names) - set(ordered))}")
        ordered += ready
    return ordered


def counts(store, tables: list[str]) -> dict[str, int]:
    return {t: store.row(f'SELECT COUNT(*) AS n FROM "{t}"')["n"] for t in tables}


def _copy_table(source: sqlite3.Connection, target, table: str) -> None:
    columns = [r[1] for r in source.execute(f'PRAGMA table_info("{table}")')]
    listed = ", ".join(f'"{c}"' for c in columns)
    target.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    read = ", ".join(SETTLED.get(c, f'"{c}"') if table == "inbox" else f'"{c}"' for c in columns)
    with target.cursor().copy(f'COPY "{table}" ({listed}) FROM STDIN') as out:
        for row in source.execute(f'SELECT {read} FROM "{table}"'):
            out.write_row(row)
    target.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
    if "id" in columns and _has_identity(target, table):
        target.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                       f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)')


def _has_identity(conn, table: str) -> bool:
    return conn.execute("SELECT pg_get_serial_sequence(%s, 'id') IS NOT NULL", (f'"{table}"',)).fetchone()[0]

