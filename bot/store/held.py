"""The inbox's one-statement writes with the interpreter lock held: the SQLite Python already uses, through ctypes.

Why: Python's sqlite3 module gives the interpreter lock away around every step into SQLite and must
win it back afterwards. The inbox INSERT itself takes about 50 microseconds; winning the lock back
from threads that are busy (workers scoring answers, senders, the SDK's own threads) took 1-4 ms at
p99, in front of every ack. Called through `ctypes.PyDLL`, which keeps the lock, the step runs
start to end with no hand-off; a step that short holds the others up less than one switch interval.
(Measured here, the inbox INSERT beside two threads busy in Python: p99 3.6 ms through the sqlite3
module, 0.24 ms held; alone, 0.27 and 0.18 ms.)

What keeps this safe:
- Only the copy of SQLite already loaded by Python's sqlite3 (looked up in /proc/self/maps and opened
  with RTLD_NOLOAD): two copies in one process would not see each other's POSIX file locks, which
  can corrupt a database (sqlite.org/howtocorrupt.html, 2.2.1). No such copy (SQLite linked into
  Python statically, another platform): `available()` is False and callers use the sqlite3 module.
- It never waits with the lock held: its busy timeout is 0, so a file another process is writing
  makes `insert` return None at once (nothing written), and the caller takes the sqlite3 module's
  path, which waits with the lock given away. Any other error or unusual value does the same.
- Callers serialise it with their other writers (the Store's fair lock), so it never meets a writer
  of this process mid-transaction.
"""

from __future__ import annotations

import ctypes
import os
import threading

SQLITE_OK, SQLITE_DONE = 0, 101
OPEN_READWRITE = 0x2
TRANSIENT = ctypes.c_void_p(-1)  # SQLite copies bound text before bind returns

_library = None
_looked = False
_looking = threading.Lock()


def _loaded_path() -> str | None:
    """Where the libsqlite3 this process already mapped lives (Linux), else None."""
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.rstrip("\n").split(" ", 5)[-1].strip()
                if "/libsqlite3" in path:
                    return path
    except OSError:
        return None
    return None


def _declare(lib) -> None:
    p, c = ctypes.c_void_p, ctypes.c_char_p
    lib.sqlite3_open_v2.argtypes = [c, ctypes.POINTER(p), ctypes.c_int, c]
    lib.sqlite3_close_v2.argtypes = [p]
    lib.sqlite3_exec.argtypes = [p, c, p, p, p]
    lib.sqlite3_prepare_v2.argtypes = [p, c, ctypes.c_int, ctypes.POINTER(p), p]
    lib.sqlite3_bind_text.argtypes = [p, ctypes.c_int, c, ctypes.c_int, p]
    lib.sqlite3_bind_int64.argtypes = [p, ctypes.c_int, ctypes.c_int64]
    lib.sqlite3_bind_null.argtypes = [p, ctypes.c_int]
    lib.sqlite3_step.argtypes = [p]
    lib.sqlite3_reset.argtypes = [p]
    lib.sqlite3_clear_bindings.argtypes = [p]
    lib.sqlite3_finalize.argtypes = [p]
    lib.sqlite3_changes.argtypes = [p]
    lib.sqlite3_last_insert_rowid.argtypes = [p]
    lib.sqlite3_last_insert_rowid.restype = ctypes.c_int64


def library():
    """libsqlite3 as a PyDLL (calls keep the interpreter lock), or None when it cannot be the same copy."""
    global _library, _looked
    with _looking:
        if not _looked:
            _looked = True
            import sqlite3  # noqa: F401 (maps the library, when Python links it dynamically)

            path = _loaded_path()
            if path is not None:
                try:
                    lib = ctypes.PyDLL(path, mode=os.RTLD_NOLOAD | os.RTLD_NOW)
                    _declare(lib)
                    _library = lib
                except (OSError, AttributeError):
                    _library = None
        return _library


def available() -> bool:
    return library() is not None


class HeldStatement:
    """One connection to a SQLite file and one prepared statement, run with the interpreter lock held."""

    def __init__(self, path: str, sql: str, synchronous: str):
        self._lib = library()
        self._db = ctypes.c_void_p()
        self._statement = ctypes.c_void_p()
        if self._lib is None:
            raise OSError("no shared libsqlite3 in this process")
        if self._lib.sqlite3_open_v2(path.encode(), ctypes.byref(self._db), OPEN_READWRITE, None) != SQLITE_OK:
            self.close()
            raise OSError(f"cannot open {path}")
        for pragma in (f"PRAGMA synchronous={synchronous}", "PRAGMA wal_autocheckpoint=0"):  # as the Store's own
            if self._lib.sqlite3_exec(self._db, pragma.encode(), None, None, None) != SQLITE_OK:
                self.close()
                raise OSError(f"cannot set {pragma} on {path}")
        if self._lib.sqlite3_prepare_v2(self._db, sql.encode(), -1, ctypes.byref(self._statement), None) != SQLITE_OK:
            self.close()
            raise OSError(f"cannot prepare a statement on {path}")

    def run(self, params: tuple) -> tuple[bool, int, int]:
        """(True, rows changed, last insert rowid) once committed; (False, 0, 0): nothing written, use the
        sqlite3 module instead (the file is busy in another process, or a value this does not bind)."""
        lib, statement = self._lib, self._statement
        try:
            for index, value in enumerate(params, 1):
                if value is None:
                    lib.sqlite3_bind_null(statement, index)
                elif isinstance(value, str):
                    data = value.encode()
                    lib.sqlite3_bind_text(statement, index, data, len(data), TRANSIENT)
                elif isinstance(value, int) and not isinstance(value, bool) and -2**63 <= value < 2**63:
                    lib.sqlite3_bind_int64(statement, index, value)
                else:
                    lib.sqlite3_clear_bindings(statement)
                    return False, 0, 0
        except UnicodeError:  # a lone surrogate: the sqlite3 module reports it as it always has
            lib.sqlite3_clear_bindings(statement)
            return False, 0, 0
        done = lib.sqlite3_step(statement)
        lib.sqlite3_reset(statement)
        lib.sqlite3_clear_bindings(statement)
        if done != SQLITE_DONE:  # busy (another process writes this file) or an error: nothing was committed
            return False, 0, 0
        return True, lib.sqlite3_changes(self._db), lib.sqlite3_last_insert_rowid(self._db)

    def close(self) -> None:
        if self._lib is None:
            return
        if self._statement:
            self._lib.sqlite3_finalize(self._statement)
            self._statement = ctypes.c_void_p()
        if self._db:
            self._lib.sqlite3_close_v2(self._db)
            self._db = ctypes.c_void_p()
