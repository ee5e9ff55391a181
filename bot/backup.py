"""`stardrill backup` and `stardrill restore`: SQLite's online backup API, safe beside a running bot.

Why the backup API and not a file copy: the database runs in WAL mode, so the main file alone is
not the database (recent commits live in the -wal file), and copying both files while the bot
writes can pair a WAL with the wrong main file. The backup API copies pages inside one read
transaction: a consistent snapshot of everything committed before it began, while writers go on
(in WAL mode readers never block writers). All pages are copied in one step because a stepwise
copy restarts whenever another connection writes, and under steady writes might never finish.

The inbox and thread cursors live in a file of their own beside the database (`<db>.inbox`,
stardrill.store.inbox_file). A backup is still one file: the inbox file's tables are written into it,
as an older database kept them, read in a snapshot taken just before the main file's (so every
inbox row the backup shows done has its handled key in the backup). A restore replaces both files:
the inbox file is set aside with the database, and the next start moves the restored rows back out.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from stardrill.health import report
from stardrill.schedules.lock import LOCK_NAME, lock_path
from stardrill.store.inbox_file import TABLES as INBOX_TABLES
from stardrill.store.inbox_file import inbox_path
from stardrill.store.migrations import STARDRILL_TABLES
from stardrill.store.owners import owners_dir


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why in one line."""


@dataclass(frozen=True)
class Restored:
    answers: int
    previous: Path | None  # where the database it replaced was saved


def backup(db: Path | str, target: Path | str, *, replace: bool = False) -> int:
    """Copy the live database to `target` (a self-contained file that passed integrity_check); returns its size."""
    db, target = Path(db), Path(target)
    if not db.is_file():
        raise BackupError(f"no database at {db} (STARDRILL_DB)")
    if not target.parent.is_dir():
        raise BackupError(f"cannot write {target}: the folder {target.parent} does not exist")
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the backup a file name")
    if target.exists() and target.samefile(db):
        raise BackupError(f"{target} is the database itself")
    if _is_side_file(db, target):
        raise BackupError(f"{target} belongs to the live database {db} (one of its side files); "
                          "give the backup another name")
    if target.exists() and not target.is_file():
        raise BackupError(f"{target} is not a regular file (a device, pipe or socket); give the backup a file name")
    if target.exists() and not replace:
        raise BackupError(f"{target} already exists; choose another name (or pass --force to replace it)")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        _copy_with_inbox(db, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    _sync_folder(target.parent)
    return target.stat().st_size


def side_files(db: Path) -> list[Path]:
    """The files the running bot keeps beside the database at `db`, named as the store and scheduler name them.

    Replacing any of them under a running bot loses data or breaks a lock: a -wal file holds commits
    not yet in the main file, the inbox file holds acknowledged events, and a replaced lock file is a
    new inode that nobody's flock covers.
    """
    inbox = inbox_path(db)
    sqlite_own = ("-wal", "-shm", "-journal")  # SQLite's files beside each database file it opens
    return [lock_path(db), inbox, *(Path(f"{base}{suffix}") for base in (db, inbox) for suffix in sqlite_own)]


def _is_side_file(db: Path, target: Path) -> bool:
    """True when `target` is (or names) one of the live database's side files, its process marks or status files."""
    where = _real(target)
    if where in {_real(path) for path in side_files(db)}:
        return True
    if where.parent == _real(owners_dir(db)):
        return True  # a process's liveness mark (store/owners.py): replacing it drops that process's flock
    is_status = where.name.startswith(f"{db.name}.health.")  # health.status_path: the running bot's status files
    if is_status and where.parent == _real(db).parent:
        return True
    return any(target.exists() and path.exists() and target.samefile(path) for path in side_files(db))


def _real(path: Path) -> Path:
    """`path` with its folder's symlinks and `..` resolved, so two spellings of one file compare equal."""
    return path.parent.resolve() / path.name


def restore(source: Path | str, db: Path | str) -> Restored:
    """Replace the database's contents with `source` after checking it; refused while a bot runs on it."""
    source, db = Path(source), Path(db)
    if not source.is_file():
        raise BackupError(f"no file at {source}")
    if db.exists() and source.samefile(db):
        raise BackupError(f"{source} is the database itself")
    with _connection(source, "ro") as backup_db:
        _check(backup_db, str(source))
        _require_stardrill(backup_db, source)
        db.parent.mkdir(parents=True, exist_ok=True)
        with _no_running_bot(db):
            previous = _set_aside(db)
            _remove_inbox(db)  # the restored file brings its own inbox rows (moved out at the next start)
            with _connection(db, "rwc") as live:
                _copy_pages(backup_db, live, str(db))
                _check(live, str(db))
                answers = live.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    return Restored(answers, previous)


# -- pieces ----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _connection(path: Path, mode: str):
    """A connection that never creates the file unless mode is rwc; errors become one-line BackupErrors."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + f"?mode={mode}", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {path}: {exc}") from None
    try:
        yield conn
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a usable SQLite database: {exc}") from None
    finally:
        conn.close()


def _copy_with_inbox(db: Path, path: Path) -> None:
    """The database and its inbox file as one file at `path` (see the module docstring)."""
    box = inbox_path(db)
    with contextlib.ExitStack() as stack:
        inbox = stack.enter_context(_connection(box, "rw")) if box.is_file() else None
        if inbox is not None:
            inbox.isolation_level = None
            inbox.execute("BEGIN")  # a read transaction: its snapshot starts at the first read
            tables = {t: _snapshot(inbox, t) for t in INBOX_TABLES}
        source = stack.enter_context(_connection(db, "rw"))
        _copy(source, path, str(db), extra=tables if inbox is not None else None)


def _snapshot(conn: sqlite3.Connection, table: str) -> tuple[str, list[tuple]]:
    schema = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0]
    return schema, conn.execute(f'SELECT * FROM "{table}"').fetchall()


def _copy(source: sqlite3.Connection, path: Path, label: str, extra: dict | None = None) -> None:
    """Copy `source` into a new file at `path`; `extra`: tables to add, {name: (CREATE statement, rows)}."""
    dest = sqlite3.connect(path)
    try:
        _copy_pages(source, dest, label)
        for table, (schema, found) in (extra or {}).items():
            if dest.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone() is None:
                dest.execute(schema)
            if found:
                dest.executemany(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(found[0]))})', found)
        dest.commit()
        dest.execute("PRAGMA journal_mode=DELETE")  # a self-contained file: no -wal to carry along
        _check(dest, f"the copy of {label}")
    finally:
        dest.close()
    with open(path, "rb+") as written:
        os.fsync(written.fileno())


def _copy_pages(source: sqlite3.Connection, dest: sqlite3.Connection, label: str) -> None:
    try:
        source.backup(dest)  # pages=-1: every page in one step, one read transaction (see the module docstring)
    except sqlite3.Error as exc:
        raise BackupError(f"copying {label} failed: {exc}") from None


def _check(conn: sqlite3.Connection, label: str) -> None:
    try:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{label} is not a SQLite database ({exc})") from None
    if result != ["ok"]:
        raise BackupError(f"{label} fails PRAGMA integrity_check: {result[0]}")


def _require_stardrill(conn: sqlite3.Connection, path: Path) -> None:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = STARDRILL_TABLES - tables
    if missing:
        raise BackupError(f"{path} is a SQLite database but not Stardrill's (no {', '.join(sorted(missing))} table)")


@contextlib.contextmanager
def _no_running_bot(db: Path):
    """Hold the scheduler lock while restoring, so no scheduler starts on a half-restored database.

    The lock (bot/schedules/lock.py) is the same flock a running scheduler holds; a status file of a
    live `stardrill run` on this host (bot/health.py) also counts, since a follower holds no lock.
    """
    fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BackupError(f"a running Stardrill schedules posts on {db} ({_holder(db)}); "
                              "stop it, then restore") from None
        running = [c.detail for c in report(db) if c.name == "process" and c.ok]
        if running:
            raise BackupError(f"a running `stardrill run` uses {db} ({running[0]}); stop it, then restore")
        yield
    finally:
        os.close(fd)  # closing drops the flock


def _holder(db: Path) -> str:
    try:
        with _connection(db, "ro") as conn:
            row = conn.execute("SELECT owner, heartbeat FROM locks WHERE name = ?", (LOCK_NAME,)).fetchone()
    except (BackupError, sqlite3.Error):
        row = None
    return f"lock held by {row[0]} since {row[1]}" if row else "its scheduler lock is held"


def _set_aside(db: Path) -> Path | None:
    """Save the database being replaced next to it; an unreadable one is moved aside instead of copied."""
    if not db.exists():
        return None
    saved = db.with_name(f"{db.name}.before-restore-{datetime.now().strftime('%Y%m%dT%H%M%S')}")
    try:
        _copy_with_inbox(db, saved)
    except BackupError:
        saved.unlink(missing_ok=True)
        for live, aside in ((db, saved), (inbox_path(db), inbox_path(saved))):
            for suffix in ("", "-wal", "-shm"):
                if Path(f"{live}{suffix}").exists():
                    os.replace(f"{live}{suffix}", f"{aside}{suffix}")
    return saved


def _remove_inbox(db: Path) -> None:
    """Delete the live inbox file (its rows are in the set-aside copy); no bot has it open (checked)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{inbox_path(db)}{suffix}").unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (the folder entry), where the platform allows opening folders."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
