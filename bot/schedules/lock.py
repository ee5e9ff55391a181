"""One scheduler per database: an exclusive file lock next to the DB, plus a `locks` row saying who holds it.

Why a file lock (flock) rather than only a heartbeat row: the kernel drops it the moment the holder
dies, even on kill -9, so a restart never waits for a heartbeat to go stale, and two processes (or
two services in one process: flock is per open file) can never both hold it. The `locks` row is
only for the operator: the refused process names the holder in its log line. POSIX only (Linux,
macOS, the Docker image).
"""

from __future__ import annotations

import fcntl
import os
import socket
import uuid
from pathlib import Path

LOCK_NAME = "scheduler"


def lock_path(db_path) -> Path:
    return Path(f"{db_path}.scheduler.lock")


class SchedulerLock:
    def __init__(self, store, now_stamp):
        self.store = store
        self.path = lock_path(store.path)
        self.owner = f"{socket.gethostname()} pid {os.getpid()} ({uuid.uuid4().hex[:8]})"
        self._stamp = now_stamp
        self._fd: int | None = None

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        self.store.execute(
            "INSERT INTO locks (name, owner, heartbeat) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, heartbeat = excluded.heartbeat",
            (LOCK_NAME, self.owner, self._stamp()),
        )
        return True

    def holder(self) -> str:
        row = self.store.row("SELECT owner, heartbeat FROM locks WHERE name = ?", (LOCK_NAME,))
        return f"{row['owner']}, last heartbeat {row['heartbeat']}" if row else "unknown"

    def heartbeat(self) -> None:
        if self._fd is not None:
            self.store.execute("UPDATE locks SET heartbeat = ? WHERE name = ? AND owner = ?", (self._stamp(), LOCK_NAME, self.owner))

    def release(self) -> None:
        if self._fd is None:
            return
        self.store.execute("DELETE FROM locks WHERE name = ? AND owner = ?", (LOCK_NAME, self.owner))
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def scheduler_lock(store, now_stamp):
    """The one-scheduler lock for `store`: an flock beside a SQLite file, an advisory lock on PostgreSQL."""
    if store.kind == "postgresql":
        from stardrill.store.pg_locks import AdvisorySchedulerLock

        return AdvisorySchedulerLock(store, now_stamp)
    return SchedulerLock(store, now_stamp)
