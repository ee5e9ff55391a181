"""Persistence: SQLite by default, PostgreSQL when `STARDRILL_DATABASE_URL` is set; migrations and small repositories."""

from __future__ import annotations

import os

from stardrill.store.db import Store, StoreError

__all__ = ["Store", "StoreError", "open_store"]

URL_SETTING = "STARDRILL_DATABASE_URL"
POOL_SETTING = "STARDRILL_DATABASE_POOL_SIZE"


def open_store(url: str | None = None, path=None):
    """The configured store: PostgreSQL at `url` (or STARDRILL_DATABASE_URL), else the SQLite file."""
    if url is None and path is None:
        url = os.environ.get(URL_SETTING)
        if url is not None and not url.strip():
            raise StoreError(f"{URL_SETTING} is set but empty: give a postgresql:// URL, or unset it to use SQLite")
    if url:
        from stardrill.store.pg import PgStore, is_url, scheme_said  # psycopg is imported only when PostgreSQL is used

        if not is_url(url):
            raise StoreError(f"{URL_SETTING} must be a postgresql:// URL ({scheme_said(url)}); "
                             "unset it to use the SQLite file in STARDRILL_DB")
        return PgStore(url, pool_size=pool_size())
    return Store(path)


def local_path():
    """Where this host keeps files about the configured store (health status): the SQLite file, or a stem for PostgreSQL."""
    url = os.environ.get(URL_SETTING, "").strip()
    if url:
        from stardrill.store.pg import local_path as pg_local_path

        return pg_local_path(url)
    from stardrill.store.db import default_db_path

    return default_db_path()


def pool_size() -> int:
    raw = os.environ.get(POOL_SETTING, "").strip() or "10"
    if not raw.isdigit() or not 1 <= int(raw) <= 1000:
        raise StoreError(f"{POOL_SETTING} must be a whole number from 1 to 1000 (got {raw!r})")
    return int(raw)
