"""A database that cannot be read or written mid-command: one line for the operator, and the member's text kept.

Seen in the field: a torn write or a bad disk leaves the schema readable while a table's pages are
garbage, so Stardrill starts and then every action fails. Going on would print an error per action
and drop what members type; stopping with one line (and the text saved beside the database) does not.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from stardrill.adapters.bootstrap import StartupError
from stardrill.store import StoreError

DAMAGE_WORDS = ("malformed", "not a database", "corrupt")


class DatabaseTrouble(StartupError):
    """The database failed mid-command; the message is the one line to print (exit code 2)."""


def is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, (sqlite3.DatabaseError, StoreError))


def describe(exc: BaseException, path: Path | str) -> str:
    reason = str(exc).rsplit(": ", 1)[-1] if isinstance(exc, StoreError) else str(exc)
    if any(word in reason.lower() for word in DAMAGE_WORDS):
        return (f"the database {path} is damaged ({reason}): restore it from a backup, "
                "or move it aside to start a new one")
    return f"cannot use the database {path} ({reason})"


def keep(path: Path | str, who: str, texts: list[str]) -> Path | None:
    """Append what `who` typed to `<database>.unsaved.txt`; the file's path, or None if it cannot be written either."""
    texts = [t for t in texts if t and t.strip()]
    if not texts:
        return None
    kept = Path(f"{path}.unsaved.txt")
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    try:
        with open(kept, "a", encoding="utf-8") as out:
            for text in texts:
                out.write(f"--- {stamp} {who}: typed, not stored (the database failed) ---\n{text}\n")
    except OSError:
        return None
    return kept
