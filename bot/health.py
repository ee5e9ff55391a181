"""Readiness of a running `stardrill run`, and the status file `stardrill health` reads.

Ready means the store answers a read, the scheduler state is known (leader or follower) and every
configured platform's connection is up (adapters register a probe for theirs). The HTTP endpoints
ask `Status.checks()` live. Socket Mode and Discord open no inbound port, so each running process
also writes its checks and a heartbeat to a small JSON file beside the database, one file per
process (named by host and pid: two processes, or two containers sharing a volume, may serve one
database), and `stardrill health` judges the files of its own host.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

BEAT_SECONDS = 5.0
STALE_SECONDS = 30.0  # six missed beats: the process is wedged or gone

Probe = Callable[[], tuple[bool, str]]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok' if self.ok else 'FAIL':<4} {self.name}: {self.detail}"


def all_ok(checks: list[Check]) -> bool:
    return bool(checks) and all(c.ok for c in checks)


class Status:
    """What this process knows about its own readiness."""

    def __init__(self, db_path: Path | str, platforms: list[str], store_check: Probe | None = None):
        self.db_path = Path(db_path)  # a SQLite file, or the stem of this host's files about a PostgreSQL store
        self.platforms = list(platforms)
        self._store_check = store_check
        self._probes: dict[str, Probe] = {}
        self.scheduler: str | None = None  # "leader" or "follower" once known
        self.stopping = False  # set at shutdown: not ready while replies in flight finish

    def watch(self, platform: str, probe: Probe) -> None:
        self._probes[platform] = probe

    def checks(self) -> list[Check]:
        found = [self._store(), self._scheduler(), *(self._platform(p) for p in self.platforms)]
        return found + [Check("shutdown", False, "stopping")] if self.stopping else found

    def _store(self) -> Check:
        if self._store_check is not None:
            return Check("store", *self._store_check())
        try:
            conn = sqlite3.connect(self.db_path.resolve().as_uri() + "?mode=rw", uri=True, timeout=2)
            try:
                tables = conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error as exc:
            return Check("store", False, f"{self.db_path}: {exc}")
        return Check("store", tables > 0, f"{self.db_path} answers ({tables} tables)")

    def _scheduler(self) -> Check:
        if self.scheduler is None:
            return Check("scheduler", False, "not started yet")
        return Check("scheduler", True, self.scheduler)

    def _platform(self, platform: str) -> Check:
        probe = self._probes.get(platform)
        if probe is None:
            return Check(platform, False, "not started yet")
        try:
            ok, detail = probe()
        except Exception as exc:  # a probe must never take the health endpoint down with it
            ok, detail = False, f"probe failed: {type(exc).__name__}: {exc}"
        return Check(platform, ok, detail)


# -- the status file ---------------------------------------------------------------------------------


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname()) or "host"


def status_path(db_path: Path | str, pid: int | None = None) -> Path:
    db = Path(db_path)
    return db.with_name(f"{db.name}.health.{_host()}.{pid or os.getpid()}.json")


class Heartbeat:
    """Writes this process's checks to its status file every BEAT_SECONDS and on `beat()`; removes it on stop."""

    def __init__(self, status: Status, interval: float = BEAT_SECONDS):
        self.status, self.interval = status, interval
        self.path = status_path(status.db_path)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stardrill-heartbeat", daemon=True)
        self._warned = False

    def start(self) -> None:
        self.write()
        self._thread.start()

    def beat(self) -> None:
        """Write now (a state changed), from any thread."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(5)
        self.path.unlink(missing_ok=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            if not self._stop.is_set():
                self.write()

    def write(self) -> None:
        record = {"pid": os.getpid(), "host": socket.gethostname(), "heartbeat": time.time(),
                  "checks": [asdict(c) for c in self.status.checks()]}
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            temporary.write_text(json.dumps(record))
            os.replace(temporary, self.path)  # readers never see half a file
        except OSError as exc:
            if not self._warned:
                log.warning("cannot write the health status file %s: %s", self.path, exc)
                self._warned = True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, belongs to someone else
    return True


def _read(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("pid"), int) else None


def report(db_path: Path | str, now: float | None = None) -> list[Check]:
    """The checks of every `stardrill run` on this host that serves this database, from their status files."""
    db = Path(db_path)
    now = time.time() if now is None else now
    found: list[Check] = []
    for path in sorted(db.parent.glob(f"{glob.escape(db.name)}.health.{_host()}.*.json")):
        record = _read(path)
        if record is None:
            continue
        if not _alive(record["pid"]):
            path.unlink(missing_ok=True)  # left by a process that was killed: it speaks for nobody
            continue
        age = now - float(record.get("heartbeat", 0))
        fresh = age <= STALE_SECONDS
        found.append(Check("process", fresh, f"pid {record['pid']}, last heartbeat {age:.0f} s ago"
                                             + ("" if fresh else f" (stale after {STALE_SECONDS:.0f} s)")))
        found += [Check(c["name"], bool(c["ok"]) and fresh, c["detail"]) for c in record.get("checks", [])]
    if not found:
        found.append(Check("process", False, f"no `stardrill run` with Slack or Discord on this host is using {db}"))
    return found
