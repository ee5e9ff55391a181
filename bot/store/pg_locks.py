"""Locks that live and die with a PostgreSQL session: the scheduler's (schedules/lock.py) and each process's "alive" mark.

The PostgreSQL counterparts of the flocks beside a SQLite file (schedules/lock.py, owners.py), for
processes on several machines. A session-level advisory lock is held on a connection of its own;
the server frees it the moment that session ends: a clean stop, kill -9 (the kernel closes the
socket) or, for a machine that vanished, when TCP keepalives give up (pg.KEEPALIVES, ~25 s).
Keys are (namespace of this database and schema, key): 0 serialises migrations, 1 is the
scheduler, each process's mark hashes its token into 16 and up.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import socket
import uuid

import psycopg

from stardrill.store.pg import PgStore, namespace

log = logging.getLogger(__name__)

SCHEDULER_KEY = 1


def mark_key(token: str) -> int:
    return 16 + int.from_bytes(hashlib.sha256(token.encode()).digest()[:4], "big") % (2**31 - 16)


class SessionLock:
    """One advisory lock on a dedicated connection."""

    def __init__(self, store: PgStore, key: int):
        self.store, self.key = store, key
        self._conn: psycopg.Connection | None = None
        self.namespace: int | None = None

    def try_take(self) -> bool:
        try:
            conn = self.store.connect(application_name="stardrill-lock")
            self.namespace = namespace(conn)
            taken = conn.execute("SELECT pg_try_advisory_lock(%s, %s)", (self.namespace, self.key)).fetchone()[0]
        except psycopg.Error as exc:
            log.warning("cannot reach %s to take a lock: %s", self.store.label, exc)
            return False
        if not taken:
            conn.close()
            return False
        self._conn = conn
        return True

    def still_held(self) -> bool:
        """False when the lock's session is gone (the server restarted, the network dropped it)."""
        if self._conn is None:
            return False
        try:
            self._conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            self.drop()
            return False

    def drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                # Ending the session frees the lock, a moment later on the server. No unlock first: a round trip
                # here would hold a stop for as long as a dead network takes to give up.
                self._conn.close()
            self._conn = None

    @property
    def held(self) -> bool:
        return self._conn is not None


class AdvisoryProcessMark:
    """This process is alive while its session holds the lock named by its token (outbox claims name it)."""

    def __init__(self, store: PgStore):
        self.store = store
        self.token = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._lock = SessionLock(store, mark_key(self.token))
        if not self._lock.try_take():
            raise RuntimeError(f"cannot take this process's mark on {store.label}")

    def alive(self, token: str | None) -> bool:
        if not token:
            return False
        if token == self.token:
            return self._lock.held
        row = self.store.row(
            "SELECT 1 AS x FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE d.datname = current_database() "
            "AND l.locktype = 'advisory' AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 2 AND l.granted",
            (self._lock.namespace % 2**32, mark_key(token)),
        )
        return row is not None

    def release(self) -> None:
        self._lock.drop()
