"""Which processes are alive: each one holds an flock on its own small file next to the database.

An outbox row being sent names the process that claimed it. Why an flock (as for the scheduler
lock, schedules/lock.py): the kernel drops it the moment the process dies, even on kill -9, so a
restart can tell at once that a claim was left by a dead process and recover it, without waiting
for a heartbeat to go stale. POSIX only (Linux, macOS, the Docker image).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import uuid
from pathlib import Path


def owners_dir(db_path) -> Path:
    return Path(f"{db_path}.owners")


class ProcessMark:
    def __init__(self, db_path):
        self.dir = owners_dir(db_path)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._fd: int | None = os.open(self.dir / self.token, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def alive(self, token: str | None) -> bool:
        """True while the process that wrote `token` holds its mark (this one included)."""
        if not token:
            return False
        if token == self.token:
            return self._fd is not None
        path = self.dir / token
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            return False  # gone: its owner released it on a clean stop
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True  # somebody holds it: that process is running
        else:
            with contextlib.suppress(OSError):
                path.unlink()  # a dead process's mark: tidy it away
            return False
        finally:
            os.close(fd)

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            (self.dir / self.token).unlink()
        os.close(self._fd)
        self._fd = None


def process_mark(store):
    """This process's mark on `store`: an flock beside a SQLite file, an advisory lock on PostgreSQL."""
    if store.kind == "postgresql":
        from stardrill.store.pg_locks import AdvisoryProcessMark

        return AdvisoryProcessMark(store)
    return ProcessMark(store.path)
