"""The PostgreSQL store: the same interface as the SQLite one (`rows`, `row`, `write`, `write_one`, `insert_one`, `execute`).

Why this shape: several Stardrill processes, on several machines, share one database. Connections
come from psycopg's pool; a thread in a write transaction keeps its connection until the
transaction ends (reads inside it see its writes, nested writes join it, as on SQLite), and a read
outside one borrows a connection for that statement only. Connections run in autocommit, so a
read never holds a snapshot open. Statements are written once, in SQL both engines accept;
`dialect.for_postgres` turns them into psycopg's syntax. Writers that must not interleave
(claims, the inbox) rely on UNIQUE constraints and `FOR UPDATE SKIP LOCKED`, not on a process lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.adapt import Loader
from psycopg.rows import dict_row
from psycopg.types.numeric import Int8Dumper
from psycopg_pool import ConnectionPool, PoolTimeout

from stardrill.store import dialect
from stardrill.store.db import Result, StoreError, default_db_path, missing_folder_problem
from stardrill.store.migrations import MIGRATIONS

POOL_TIMEOUT_S = 30.0  # waiting longer for a free connection means the pool is too small for the load
CONNECT_TIMEOUT_S = 10
# TCP keepalives: a session whose machine vanished (no FIN, no RST) is dropped within ~25 s, which
# frees its advisory locks, so another replica takes over the scheduler inside the 30 s promise.
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3}
MIGRATIONS_TABLE = "stardrill_migrations"


def is_url(value: str | None) -> bool:
    return bool(value) and value.split(":", 1)[0] in ("postgresql", "postgres")


def scheme_said(url: str) -> str:
    """What a URL that is not PostgreSQL's starts with, for a message: its scheme ("got 'mysql'") if it names one.
    Nothing else of it is quoted: without a scheme, the whole value may be a password."""
    head, sep, _ = url.strip().partition("://")
    if sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]{0,19}", head):
        return f"got {head!r}"
    return "it names no scheme"


def redacted(url: str) -> str:
    """The URL without its password, for logs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class _NumericLoader(Loader):
    """SUM() and AVG() return NUMERIC: load it as int when whole, else float (SQLite gives the same)."""

    def load(self, data):
        text = bytes(data).decode()
        return int(text) if text.lstrip("-").isdigit() else float(text)


class _BoolAsInt(Int8Dumper):
    """Flags are INTEGER 0/1 columns on both engines (SQLite has no boolean): send True as 1."""

    def dump(self, obj):
        return super().dump(int(obj))


def _configure(conn: psycopg.Connection) -> None:
    conn.adapters.register_loader("numeric", _NumericLoader)
    conn.adapters.register_dumper(bool, _BoolAsInt)


class Transaction:
    """What `write()` yields: `execute(sql, params)` in the transaction (the sqlite_utils Database's role)."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def execute(self, sql: str, params=()) -> Result:
        return Result(self.conn.execute(dialect.for_postgres(sql), params))


class PgStore:
    kind = "postgresql"

    def __init__(self, url: str, pool_size: int = 10, local: Path | None = None):
        self.url = url
        self.label = redacted(url)
        self.path = local or local_path(url)  # where this host keeps files about the store (health status)
        if local is None:
            _prepare_health_folder(self.path.parent)  # before connecting: a mistyped STARDRILL_DB folder stops here
        self.inbox = self  # one database: the inbox and cursors are tables beside the rest (SQLite keeps a file apart)
        self._local = threading.local()
        self._pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=False, configure=_configure,
                                    kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S, **KEEPALIVES},
                                    name="stardrill")
        self._open_checked()

    def _open_checked(self) -> None:
        try:  # a direct connection first: the pool would only say "timed out", not why
            psycopg.connect(self.url, connect_timeout=CONNECT_TIMEOUT_S).close()
            self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
            migrate(self)
        except (psycopg.Error, PoolTimeout) as exc:
            self._pool.close()
            raise StoreError(f"cannot use database {self.label}: {_one_line(exc)}") from exc

    def connect(self, **extra) -> psycopg.Connection:
        """A connection of its own, outside the pool (advisory locks live as long as it does)."""
        conn = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, **KEEPALIVES, **extra)
        _configure(conn)
        return conn

    @contextlib.contextmanager
    def _borrowed(self) -> Iterator[psycopg.Connection]:
        conn = getattr(self._local, "tx", None)
        if conn is not None:
            yield conn
            return
        try:
            with self._pool.connection(timeout=POOL_TIMEOUT_S) as conn:
                yield conn
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise StoreError(f"cannot use database {self.label}: {_one_line(exc)}") from exc

    @contextlib.contextmanager
    def write(self, urgent: bool = False) -> Iterator[Transaction]:
        """A transaction on this thread's connection; a nested call joins the outer one."""
        if getattr(self._local, "tx", None) is not None:
            yield Transaction(self._local.tx)
            return
        with self._borrowed() as conn:
            self._local.tx = conn
            try:
                with conn.transaction():
                    yield Transaction(conn)
            except psycopg.OperationalError as exc:
                raise StoreError(f"cannot write to database {self.label}: {_one_line(exc)}") from exc
            finally:
                self._local.tx = None

    def rows(self, sql: str, params: tuple | list | dict = ()) -> list[dict]:
        with self._borrowed() as conn:
            try:
                cursor = conn.cursor(row_factory=dict_row)
                return cursor.execute(dialect.for_postgres(sql), params).fetchall()
            except psycopg.errors.NumericValueOutOfRange:
                return []  # an id typed as 2**63 or more: no row can have it (as on SQLite)

    def row(self, sql: str, params: tuple | list | dict = ()) -> dict | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def write_one(self, sql: str, params: tuple | list = (), urgent: bool = False) -> list[tuple]:
        """One statement as its own transaction (autocommit); its RETURNING rows."""
        with self._borrowed() as conn:
            return Result(conn.execute(dialect.for_postgres(sql), params)).fetchall()

    def insert_one(self, sql: str, params: tuple | list = (), urgent: bool = False) -> int | None:
        """One INSERT (ending ON CONFLICT ... DO NOTHING) as its own transaction: the new row's id, or None."""
        found = self.write_one(f"{sql} RETURNING id", params, urgent)
        return found[0][0] if found else None

    def update_one(self, sql: str, params: tuple | list = ()) -> int:
        """One UPDATE or DELETE as its own transaction (autocommit); the rows it changed."""
        with self._borrowed() as conn:
            return conn.execute(dialect.for_postgres(sql), params).rowcount

    def execute(self, sql: str, params: tuple | list | dict = ()) -> Result:
        with self.write() as tx:
            return tx.execute(sql, params)

    def snapshot(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        """A read from any thread (metrics scrapes), as plain tuples."""
        with self._borrowed() as conn:
            return conn.execute(dialect.for_postgres(sql), params).fetchall()

    def wait_for_checkpoint(self) -> None:
        """Nothing to wait for: PostgreSQL checkpoints on its own."""

    def close(self) -> None:
        self._pool.close()
        self._local = threading.local()


def local_path(url: str) -> Path:
    """A stem for this host's files about a PostgreSQL store, beside where a SQLite file would live."""
    parts = urlsplit(url)
    digest = hashlib.sha256(redacted(url).encode()).hexdigest()[:12]
    name = f"postgresql-{parts.hostname or 'local'}-{(parts.path or '/').strip('/') or 'db'}-{digest}"
    return default_db_path().parent / name  # STARDRILL_DB's folder when it is set, else the built-in one


def _prepare_health_folder(folder: Path) -> None:
    """Refuse a missing STARDRILL_DB folder as the SQLite store does; make the built-in one if it can be.

    A failure to make it is not an error: only health files go there, and the database works without them."""
    if problem := missing_folder_problem(folder):
        raise StoreError(problem)
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)


def migrate(store: PgStore) -> None:
    """Apply pending migrations in one transaction; replicas starting together queue on a lock."""
    with store.write() as tx:
        tx.execute("SELECT pg_advisory_xact_lock(?, 0)", (namespace(tx.conn),))
        tx.execute(f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {r[0] for r in tx.execute(f"SELECT name FROM {MIGRATIONS_TABLE}")}
        for migration in MIGRATIONS._migrations:
            if migration.name in done:
                continue
            migration.fn(_MigrationDb(tx))
            tx.execute(f"INSERT INTO {MIGRATIONS_TABLE} (name, applied_at) VALUES (?, now()::text)", (migration.name,))


class _MigrationDb:
    """The `db` a migration function is given, speaking PostgreSQL."""

    def __init__(self, tx: Transaction):
        self.tx = tx

    def execute(self, sql: str, params=()):
        result = None
        for statement in dialect.postgres_statements(sql):
            result = Result(self.tx.conn.execute(statement, params))
        return result


def namespace(conn: psycopg.Connection) -> int:
    """The first key of this store's advisory locks: stable per database and schema, so two Stardrill
    installs in two schemas of one database never take each other's locks."""
    schema = conn.execute("SELECT current_database() || '.' || current_schema()").fetchone()[0]
    return int.from_bytes(hashlib.sha256(f"stardrill:{schema}".encode()).digest()[:4], "big", signed=True)


def _one_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())
