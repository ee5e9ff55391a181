"""The store a test runs on, per engine: a SQLite file in the test's folder, or a fresh schema on the
run's PostgreSQL server; and a second handle on the same database (another process's connections)."""

from __future__ import annotations

from pathlib import Path

from stardrill.store import Store
from tests.pg_server import postgres_url


def open_test_store(engine: str, folder: Path):
    if engine == "postgresql":
        from stardrill.store.pg import PgStore

        return PgStore(postgres_url(), pool_size=4, local=folder / "postgresql")
    return Store(folder / "stardrill.db")


def reopen(store):
    """A new store object on the same database: what a restarted or second process would open."""
    if store.kind == "postgresql":
        from stardrill.store.pg import PgStore

        return PgStore(store.url, pool_size=4, local=store.path)
    return Store(store.path)


def address(store) -> str:
    """What a child process is given to open the same database: the URL, or the file's path."""
    return store.url if store.kind == "postgresql" else str(store.path)


def open_address(value: str):
    from stardrill.store import open_store

    return open_store(url=value) if value.startswith("postgresql") else Store(value)
