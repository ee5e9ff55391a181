"""One scheduler per database, plus a `locks` row saying who holds it.

SQLite: an exclusive file lock (flock) next to the database file. PostgreSQL: a session-level
advisory lock held on a connection of its own (store/pg_locks.py). Why locks the system frees
rather than only a heartbeat row: the kernel drops an flock, and the server an advisory lock, the
moment the holder dies (kill -9 included), so a standby never waits for a heartbeat to go stale, and
two processes (or two services in one process) can never both hold it. The `locks` row is only
for the operator: a refused process names the holder in its log line. The flock is POSIX only
(Linux, macOS, the Docker image).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import socket
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

LOCK_NAME = "scheduler"


def lock_path(db_path) -> Path:
    return Path(f"{db_path}.scheduler.lock")


class HolderRow:
    """The `locks` row naming the process that schedules, with its heartbeat."""

    def __init__(self, store, now_stamp):
        self.store, self._stamp = store, now_stamp
        self.owner = f"{socket.gethostname()} pid {os.getpid()} ({uuid.uuid4().hex[:8]})"

    def record(self) -> None:
        self.store.execute(
            "INSERT INTO locks (name, owner, heartbeat) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, heartbeat = excluded.heartbeat",
            (LOCK_NAME, self.owner, self._stamp()),
        )

    def describe(self) -> str:
        row = self.store.row("SELECT owner, heartbeat FROM locks WHERE name = ?", (LOCK_NAME,))
        return f"{row['owner']}, last heartbeat {row['heartbeat']}" if row else "unknown"

    def beat(self) -> None:
        self.store.execute("UPDATE locks SET heartbeat = ? WHERE name = ? AND owner = ?", (self._stamp(), LOCK_NAME, self.owner))

    def clear(self) -> None:
        self.store.execute("DELETE FROM locks WHERE name = ? AND owner = ?", (LOCK_NAME, self.owner))


class SchedulerLock:
    """SQLite: an flock on a file beside the database."""

    def __init__(self, store, now_stamp):
        self.store = store
        self.path = lock_path(store.path)
        self.row = HolderRow(store, now_stamp)
        self.owner = self.row.owner
        self._fd: int | None = None

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        self.row.record()
        return True

    def holder(self) -> str:
        return self.row.describe()

    def heartbeat(self) -> None:
        if self._fd is not None:
            self.row.beat()

    def release(self) -> None:
        if self._fd is None:
            return
        self.row.clear()
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


class AdvisorySchedulerLock:
    """PostgreSQL: a session-level advisory lock; the other replicas retry it and take over when its session ends."""

    def __init__(self, store, now_stamp):
        from stardrill.store.pg_locks import SCHEDULER_KEY, SessionLock

        self.store = store
        self.row = HolderRow(store, now_stamp)
        self.owner = self.row.owner
        self._lock = SessionLock(store, SCHEDULER_KEY)

    def acquire(self) -> bool:
        if not self._lock.try_take():
            return False
        self.row.record()
        return True

    def holder(self) -> str:
        return self.row.describe()

    def heartbeat(self) -> None:
        if not self._lock.held:
            return
        if not self._lock.still_held():
            log.error("lost the scheduler lock on %s (its connection dropped); another process may schedule now",
                      self.store.label)
            return
        self.row.beat()

    def release(self) -> None:
        if not self._lock.held:
            return
        with contextlib.suppress(Exception):  # the database may be the thing that went away
            self.row.clear()
        self._lock.drop()

    @property
    def held(self) -> bool:
        return self._lock.held


def scheduler_lock(store, now_stamp):
    """The one-scheduler lock for `store`: an flock beside a SQLite file, an advisory lock on PostgreSQL."""
    if store.kind == "postgresql":
        return AdvisorySchedulerLock(store, now_stamp)
    return SchedulerLock(store, now_stamp)
